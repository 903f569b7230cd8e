// A device plugin for tests: host memory and host kernels behind the device
// API, loaded like libclusterbench-cuda.so (CLUSTERBENCH_PLUGIN_DIR), so that
// the model benchmarks' GPU path (DeviceModelOps, one device handle per
// co-located model or pool context, sync per request, float16 and bfloat16
// storage) runs and is checked on a machine without a GPU. Not a backend:
// built for the tests only.
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "cpu/model_kernels.hpp"
#include "device/device.hpp"

namespace {

using namespace cb::kernels;

std::atomic<int> g_opened{0};         // devices opened since load
std::atomic<long> g_synchronized{0};  // synchronize() calls, all devices

float* f(void* p) {
  return static_cast<float*>(p);
}
const float* f(const void* p) {
  return static_cast<const float*>(p);
}

class HostTensorOps final : public TensorOps {
 public:
  void linear(const void* x, const void* w, const void* bias, void* y,
              std::size_t m, std::size_t k, std::size_t n) override {
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        float acc = bias ? f(bias)[j] : 0.0f;
        for (std::size_t p = 0; p < k; ++p)
          acc += f(x)[i * k + p] * f(w)[p * n + j];
        f(y)[i * n + j] = acc;
      }
  }
  void layernorm(const void* x, const void* gamma, const void* beta, void* out,
                 std::size_t rows, std::size_t cols, float eps) override {
    cpu::layernorm(f(x), f(gamma), f(beta), f(out), rows, cols, eps);
  }
  void rmsnorm(const void* x, const void* gamma, void* out, std::size_t rows,
               std::size_t cols, float eps) override {
    cpu::rmsnorm(f(x), f(gamma), f(out), rows, cols, eps);
  }
  void gelu(void* x, std::size_t n) override { cpu::gelu(f(x), n); }
  void swiglu(const void* gate_up, void* out, std::size_t rows,
              std::size_t ffn) override {
    cpu::swiglu(f(gate_up), f(out), rows, ffn);
  }
  void add(void* x, const void* y, std::size_t n) override {
    cpu::add(f(x), f(y), n);
  }
  void rope(void* x, const RopeDims& d) override {
    cpu::rope(f(x), {d.batch, d.tokens, d.heads, d.head_dim, d.row_stride,
                     d.first_position});
  }
  void attention(const void* q, const void* k, const void* v, void* out,
                 const AttentionDims& d) override {
    cpu::attention(
        f(q), f(k), f(v), f(out),
        {d.batch, d.tokens, d.context, d.capacity, d.heads, d.kv_heads,
         d.head_dim, d.q_stride, d.kv_stride, d.out_stride, d.causal});
  }
  void copy_rows(void* dst, std::size_t dst_stride, const void* src,
                 std::size_t src_stride, std::size_t rows,
                 std::size_t cols) override {
    for (std::size_t r = 0; r < rows; ++r)
      std::memcpy(f(dst) + r * dst_stride, f(src) + r * src_stride,
                  cols * sizeof(float));
  }
};

// 16-bit storage, float arithmetic, one rounding per stored result: what
// the CUDA kernels do. Each operation widens the extent of every operand it
// reads or writes to float, runs the float32 operation, and narrows what it
// wrote (values it did not write round-trip exactly: a float holds every
// float16 and bfloat16 value).
std::uint16_t to_bf16(float v) {
  std::uint32_t bits;
  std::memcpy(&bits, &v, 4);
  bits += 0x7FFF + ((bits >> 16) & 1);  // round to nearest even
  return static_cast<std::uint16_t>(bits >> 16);
}
float from_bf16(std::uint16_t h) {
  std::uint32_t bits = std::uint32_t(h) << 16;
  float v;
  std::memcpy(&v, &bits, 4);
  return v;
}
std::uint16_t to_fp16(float v) {
  _Float16 h = static_cast<_Float16>(v);
  std::uint16_t bits;
  std::memcpy(&bits, &h, 2);
  return bits;
}
float from_fp16(std::uint16_t bits) {
  _Float16 h;
  std::memcpy(&h, &bits, 2);
  return static_cast<float>(h);
}

template <std::uint16_t (*Narrow)(float), float (*Widen)(std::uint16_t)>
class Emulated16 final : public TensorOps {
 public:
  void linear(const void* x, const void* w, const void* bias, void* y,
              std::size_t m, std::size_t k, std::size_t n) override {
    auto xs = in(x, m * k), ws = in(w, k * n), ys = in(y, m * n);
    auto bs = bias ? in(bias, n) : std::vector<float>();
    ops_.linear(xs.data(), ws.data(), bias ? bs.data() : nullptr, ys.data(), m,
                k, n);
    out(y, ys);
  }
  void layernorm(const void* x, const void* gamma, const void* beta, void* o,
                 std::size_t rows, std::size_t cols, float eps) override {
    auto xs = in(x, rows * cols), g = in(gamma, cols), b = in(beta, cols);
    auto os = in(o, rows * cols);
    ops_.layernorm(xs.data(), g.data(), b.data(), os.data(), rows, cols, eps);
    out(o, os);
  }
  void rmsnorm(const void* x, const void* gamma, void* o, std::size_t rows,
               std::size_t cols, float eps) override {
    auto xs = in(x, rows * cols), g = in(gamma, cols), os = in(o, rows * cols);
    ops_.rmsnorm(xs.data(), g.data(), os.data(), rows, cols, eps);
    out(o, os);
  }
  void gelu(void* x, std::size_t n) override {
    auto xs = in(x, n);
    ops_.gelu(xs.data(), n);
    out(x, xs);
  }
  void swiglu(const void* gate_up, void* o, std::size_t rows,
              std::size_t ffn) override {
    auto gs = in(gate_up, rows * 2 * ffn), os = in(o, rows * ffn);
    ops_.swiglu(gs.data(), os.data(), rows, ffn);
    out(o, os);
  }
  void add(void* x, const void* y, std::size_t n) override {
    auto xs = in(x, n), ys = in(y, n);
    ops_.add(xs.data(), ys.data(), n);
    out(x, xs);
  }
  void rope(void* x, const RopeDims& d) override {
    auto xs =
        in(x, (d.batch * d.tokens - 1) * d.row_stride + d.heads * d.head_dim);
    ops_.rope(xs.data(), d);
    out(x, xs);
  }
  void attention(const void* q, const void* k, const void* v, void* o,
                 const AttentionDims& d) override {
    const std::size_t rows = d.batch * d.tokens;
    const std::size_t kv =
        (d.batch * d.capacity - 1) * d.kv_stride + d.kv_heads * d.head_dim;
    auto qs = in(q, (rows - 1) * d.q_stride + d.heads * d.head_dim);
    auto ks = in(k, kv), vs = in(v, kv);
    auto os = in(o, (rows - 1) * d.out_stride + d.heads * d.head_dim);
    ops_.attention(qs.data(), ks.data(), vs.data(), os.data(), d);
    out(o, os);
  }
  void copy_rows(void* dst, std::size_t dst_stride, const void* src,
                 std::size_t src_stride, std::size_t rows,
                 std::size_t cols) override {
    for (std::size_t r = 0; r < rows; ++r)
      std::memcpy(h(dst) + r * dst_stride, h(src) + r * src_stride, cols * 2);
  }

 private:
  static std::uint16_t* h(void* p) { return static_cast<std::uint16_t*>(p); }
  static const std::uint16_t* h(const void* p) {
    return static_cast<const std::uint16_t*>(p);
  }
  static std::vector<float> in(const void* p, std::size_t n) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = Widen(h(p)[i]);
    return v;
  }
  static void out(void* p, const std::vector<float>& v) {
    for (std::size_t i = 0; i < v.size(); ++i) h(p)[i] = Narrow(v[i]);
  }
  HostTensorOps ops_;
};

class HostTensorDevice final : public Device {
 public:
  explicit HostTensorDevice(int index) {
    properties_.backend = "hosttensor";
    properties_.name = "host tensor test device";
    properties_.index = index;
    properties_.compute_units = 1;
    ++g_opened;
  }
  const DeviceProperties& properties() const override { return properties_; }
  void* allocate(std::size_t bytes) override {
    // Not zeroed, as on a GPU: DeviceModelOps must clear what it promises.
    auto* p = static_cast<unsigned char*>(::operator new(bytes));
    std::memset(p, 0xA5, bytes);
    return p;
  }
  void release(void* buffer) noexcept override { ::operator delete(buffer); }
  void copy(void* dst, const void* src, std::size_t bytes) override {
    std::memcpy(dst, src, bytes);
  }
  void synchronize() override { ++g_synchronized; }
  TensorOps& tensor_ops(Precision p) override {
    switch (p) {
      case Precision::FP32: return ops_;
      case Precision::FP16: return fp16_;
      case Precision::BF16: return bf16_;
      default: unsupported(std::string("model inference in ") + to_string(p));
    }
  }
  // Element conversions for float16 and bfloat16 buffers.
  void upload(Precision p, const float* host, void* device,
              std::size_t count) override {
    if (p == Precision::FP32) return copy(device, host, count * sizeof(float));
    auto* d = static_cast<std::uint16_t*>(device);
    for (std::size_t i = 0; i < count; ++i)
      d[i] = p == Precision::FP16 ? to_fp16(host[i]) : to_bf16(host[i]);
  }
  void download(Precision p, const void* device, float* host,
                std::size_t count) override {
    if (p == Precision::FP32) return copy(host, device, count * sizeof(float));
    auto* d = static_cast<const std::uint16_t*>(device);
    for (std::size_t i = 0; i < count; ++i)
      host[i] = p == Precision::FP16 ? from_fp16(d[i]) : from_bf16(d[i]);
  }

 private:
  DeviceProperties properties_;
  HostTensorOps ops_;
  Emulated16<to_fp16, from_fp16> fp16_;
  Emulated16<to_bf16, from_bf16> bf16_;
};

}  // namespace

extern "C" int cb_plugin_abi() {
  return cb::kernels::kDeviceAbiVersion;
}
extern "C" cb::kernels::Device* cb_open_device(int index) {
  return new HostTensorDevice(index);
}
// For the tests' assertions (looked up with dlsym on the loaded plugin).
extern "C" int cb_test_devices_opened() {
  return g_opened.load();
}
extern "C" long cb_test_synchronized() {
  return g_synchronized.load();
}
