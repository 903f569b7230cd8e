#include "device/device.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

#include "device/communicator.hpp"

namespace cb::kernels {

const char* to_string(Precision p) {
  switch (p) {
    case Precision::FP64: return "float64";
    case Precision::FP32: return "float32";
    case Precision::TF32: return "tf32";
    case Precision::FP16: return "float16";
    case Precision::BF16: return "bfloat16";
  }
  return "?";
}

Precision precision_named(std::string_view name) {
  for (Precision p : {Precision::FP64, Precision::FP32, Precision::TF32,
                      Precision::FP16, Precision::BF16})
    if (name == to_string(p)) return p;
  throw std::invalid_argument("unknown precision '" + std::string(name) +
                              "' (float64, float32, tf32, float16, bfloat16)");
}

std::size_t element_bytes(Precision p) {
  switch (p) {
    case Precision::FP64: return 8;
    case Precision::FP32:
    case Precision::TF32: return 4;
    case Precision::FP16:
    case Precision::BF16: return 2;
  }
  return 0;
}

const char* to_string(Element e) {
  switch (e) {
    case Element::F32: return "float32";
    case Element::F64: return "float64";
    case Element::I32: return "int32";
    case Element::F16: return "float16";
    case Element::BF16: return "bfloat16";
  }
  return "?";
}

Element element_named(std::string_view name) {
  for (Element e :
       {Element::F32, Element::F64, Element::I32, Element::F16, Element::BF16})
    if (name == to_string(e)) return e;
  throw std::invalid_argument("unknown element type '" + std::string(name) +
                              "'");
}

std::size_t element_bytes(Element e) {
  switch (e) {
    case Element::F64: return 8;
    case Element::F32:
    case Element::I32: return 4;
    case Element::F16:
    case Element::BF16: return 2;
  }
  return 0;
}

void Device::unsupported(const std::string& what) const {
  throw Unsupported(properties().backend + " backend: " + what +
                    " is not supported");
}

// Pageable host memory is ordinary memory, aligned for vector loads; pinning
// needs the backend.
void* Device::allocate_host(std::size_t bytes, bool pinned) {
  if (pinned) unsupported("pinned host memory");
  void* p = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
  if (!p) throw std::bad_alloc();
  return p;
}
void Device::release_host(void* buffer, bool) noexcept {
  std::free(buffer);
}

void Device::stream_fill(double*, double, std::size_t) {
  unsupported("STREAM");
}
void Device::stream_copy(const double*, double*, std::size_t) {
  unsupported("STREAM");
}
void Device::stream_scale(double*, const double*, double, std::size_t) {
  unsupported("STREAM");
}
void Device::stream_add(const double*, const double*, double*, std::size_t) {
  unsupported("STREAM");
}
void Device::stream_triad(double*, const double*, const double*, double,
                          std::size_t) {
  unsupported("STREAM");
}
double Device::stream_dot(const double*, const double*, std::size_t) {
  unsupported("STREAM");
}
FmaRun Device::fma_shape(Precision p, std::int64_t) {
  unsupported(std::string("FMA chains in ") + to_string(p));
}
void Device::fma_chains(Precision p, std::int64_t, double, double, double,
                        double, void*) {
  unsupported(std::string("FMA chains in ") + to_string(p));
}
void Device::gemm(Precision p, int, const void*, const void*, void*) {
  unsupported(std::string("GEMM in ") + to_string(p));
}
void Device::upload(Precision p, const float*, void*, std::size_t) {
  unsupported(std::string("elements of ") + to_string(p));
}
void Device::download(Precision p, const void*, float*, std::size_t) {
  unsupported(std::string("elements of ") + to_string(p));
}
TensorOps& Device::tensor_ops(Precision p) {
  unsupported(std::string("model inference in ") + to_string(p));
}

}  // namespace cb::kernels
