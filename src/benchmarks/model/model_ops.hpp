// The tensor operations the model forward passes are written in, behind one
// backend-neutral interface: the CPU backend implements it with OpenBLAS and
// kernels/cpu, a GPU backend with its own kernels, and the models
// (transformer_model, mlp_model) do not change. Buffers are float* in the
// backend's memory (host for cpu, device for a GPU), row-major, owned by the
// ops object and freed with it.
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

class ModelOps {
 public:
  virtual ~ModelOps() = default;
  virtual std::string backend() const = 0;

  // Memory; allocated_bytes() is the case's peak footprint, since buffers
  // live until the ops object goes.
  virtual float* allocate(std::size_t count) = 0;
  virtual std::size_t allocated_bytes() const = 0;
  virtual void upload(float* dst, const float* host, std::size_t count) = 0;
  virtual void download(float* host, const float* src, std::size_t count) = 0;
  // dst row r (stride dst_stride) = src row r (stride src_stride), cols wide.
  virtual void copy_rows(float* dst, std::size_t dst_stride, const float* src,
                         std::size_t src_stride, std::size_t rows,
                         std::size_t cols) = 0;

  // y[m, n] = x[m, k] * w[k, n] (+ bias[n] unless bias is null).
  virtual void linear(const float* x, const float* w, const float* bias,
                      float* y, std::size_t m, std::size_t k,
                      std::size_t n) = 0;
  virtual void layernorm(const float* x, const float* gamma, const float* beta,
                         float* out, std::size_t rows, std::size_t cols) = 0;
  virtual void rmsnorm(const float* x, const float* gamma, float* out,
                       std::size_t rows, std::size_t cols) = 0;
  virtual void gelu(float* x, std::size_t n) = 0;
  virtual void swiglu(const float* gate_up, float* out, std::size_t rows,
                      std::size_t ffn) = 0;
  virtual void add(float* x, const float* y, std::size_t n) = 0;
  virtual void rope(float* x, const RopeShape& shape) = 0;
  virtual void attention(const float* q, const float* k, const float* v,
                         float* out, const AttentionShape& shape) = 0;
  // Waits for queued work (the measurement loop's Operation::sync).
  virtual void sync() {}
};

// The host backend: OpenBLAS sgemm (sgemv for one row) for `linear`,
// kernels/cpu for the rest, all split across a ThreadTeam of `threads`
// (the calling thread and workers; GEMMs by output columns, one
// single-threaded BLAS call per slice). OpenBLAS's own thread count is
// process-wide: the model benchmarks set it to 1 (set_blas_threads).
std::unique_ptr<ModelOps> make_cpu_ops(int threads);

// A GPU backend: the device's TensorOps (kernels/device/tensor_ops.hpp) on
// buffers of that device; every ops object of one case shares the device.
std::unique_ptr<ModelOps> make_device_ops(
    std::shared_ptr<kernels::Device> device);

// What a model benchmark makes its ops with, for the case's backend: the CPU
// backend with `threads` team members, or the case's GPU (opened once here;
// a backend this node cannot run makes the case skipped).
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
