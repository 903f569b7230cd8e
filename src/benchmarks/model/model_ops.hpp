// The tensor operations the model forward passes are written in, behind one
// backend-neutral interface: the CPU backend implements it with OpenBLAS and
// kernels/cpu, a GPU backend with its own kernels, and the models
// (transformer_model, mlp_model) do not change. Buffers live in the
// backend's memory (host for cpu, device for a GPU), row-major, owned by the
// ops object and freed with it, and addressed through Buf.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/benchmark.hpp"
#include "cpu/model_kernels.hpp"
#include "device/device.hpp"

namespace cb::model {

using kernels::cpu::AttentionShape;
using kernels::cpu::RopeShape;

// A place in a backend buffer: the buffer and an offset counted in elements
// of the ops' precision (float32 on the CPU; float16 or bfloat16 on a GPU
// too), so that the models address rows, heads and cache slots the same way
// whatever an element's size. Only the ops object turns it into an address.
class Buf {
 public:
  Buf() = default;
  explicit Buf(void* base, std::size_t offset = 0)
      : base_(base), offset_(offset) {}
  Buf operator+(std::size_t elements) const {
    return Buf(base_, offset_ + elements);
  }
  void* base() const { return base_; }
  std::size_t offset() const { return offset_; }
  explicit operator bool() const { return base_ != nullptr; }

 private:
  void* base_ = nullptr;
  std::size_t offset_ = 0;
};

class ModelOps {
 public:
  virtual ~ModelOps() = default;
  virtual std::string backend() const = 0;
  // The element type of every buffer (weights and activations alike).
  virtual kernels::Precision precision() const {
    return kernels::Precision::FP32;
  }

  // Memory, zeroed; allocated_bytes() is the case's peak footprint, since
  // buffers live until the ops object goes.
  virtual Buf allocate(std::size_t count) = 0;
  virtual std::size_t allocated_bytes() const = 0;
  // Host floats in and out, converted to and from the ops' precision.
  virtual void upload(Buf dst, const float* host, std::size_t count) = 0;
  virtual void download(float* host, Buf src, std::size_t count) = 0;
  // dst row r (stride dst_stride) = src row r (stride src_stride), cols wide.
  virtual void copy_rows(Buf dst, std::size_t dst_stride, Buf src,
                         std::size_t src_stride, std::size_t rows,
                         std::size_t cols) = 0;

  // y[m, n] = x[m, k] * w[k, n] (+ bias[n] unless bias is empty).
  virtual void linear(Buf x, Buf w, Buf bias, Buf y, std::size_t m,
                      std::size_t k, std::size_t n) = 0;
  virtual void layernorm(Buf x, Buf gamma, Buf beta, Buf out, std::size_t rows,
                         std::size_t cols) = 0;
  virtual void rmsnorm(Buf x, Buf gamma, Buf out, std::size_t rows,
                       std::size_t cols) = 0;
  virtual void gelu(Buf x, std::size_t n) = 0;
  virtual void swiglu(Buf gate_up, Buf out, std::size_t rows,
                      std::size_t ffn) = 0;
  virtual void add(Buf x, Buf y, std::size_t n) = 0;
  virtual void rope(Buf x, const RopeShape& shape) = 0;
  virtual void attention(Buf q, Buf k, Buf v, Buf out,
                         const AttentionShape& shape) = 0;
  // Waits for queued work (the measurement loop's Operation::sync).
  virtual void sync() {}
};

// The host backend: OpenBLAS sgemm (sgemv for one row) for `linear`,
// kernels/cpu for the rest, all split across a ThreadTeam of `threads`
// (the calling thread and workers; GEMMs by output columns, one
// single-threaded BLAS call per slice). OpenBLAS's own thread count is
// process-wide: the model benchmarks set it to 1 (set_blas_threads).
std::unique_ptr<ModelOps> make_cpu_ops(int threads);

// A GPU backend: the device's TensorOps (kernels/device/tensor_ops.hpp) for
// `precision` on buffers of that device; every ops object of one case shares
// the device.
std::unique_ptr<ModelOps> make_device_ops(
    std::shared_ptr<kernels::Device> device,
    kernels::Precision precision = kernels::Precision::FP32);

// What a model benchmark makes its ops with, for the case's backend and its
// `dtype` parameter (float32 when it has none): the CPU backend with
// `threads` team members (float32 only), or the case's GPU (opened once
// here). A backend or precision this node cannot run makes the case skipped.
using OpsFactory = std::function<std::unique_ptr<ModelOps>()>;
OpsFactory ops_factory(const CaseContext& ctx, int threads);
// The same, but on a GPU each ops object opens its own handle on the case's
// GPU, with its own queue (a CUDA stream and cuBLAS handle): models made with
// different ops objects then run concurrently on one GPU, as the co-located
// models of cross_model.colocate and the contexts of resource_pool.serve do.
// Each ops object may be driven from any one thread at a time.
OpsFactory concurrent_ops_factory(const CaseContext& ctx, int threads);
void set_blas_threads(int threads);
int blas_threads();

}  // namespace cb::model
