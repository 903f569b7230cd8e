// The CUDA backend of the device API: one GPU, one non-blocking stream that
// every call queues on, a cuBLAS handle bound to that stream. Built into the
// plugin libclusterbench-cuda.so (see device_loader).
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <memory>
#include <string>

#include "cuda/tensor_ops.hpp"
#include "device/device.hpp"

namespace cb::kernels {

// Throws DeviceError naming the call and CUDA's error if status != success.
void check_cuda(cudaError_t status, const char* call);

// CUDA's current device is a per-thread setting. A Device may be used from
// threads other than the one that opened it (the model benchmarks run models
// and pool contexts on worker threads), so every call first makes its GPU
// current on the calling thread (cheap when it already is).
void make_current(int index);
void make_current_quietly(int index) noexcept;  // for destructors and frees

class CudaDevice final : public Device {
 public:
  explicit CudaDevice(int index);
  ~CudaDevice() override;
  CudaDevice(const CudaDevice&) = delete;
  CudaDevice& operator=(const CudaDevice&) = delete;

  const DeviceProperties& properties() const override { return properties_; }
  void* allocate(std::size_t bytes) override;
  void release(void* buffer) noexcept override;
  void* allocate_host(std::size_t bytes, bool pinned) override;
  void release_host(void* buffer, bool pinned) noexcept override;
  void copy(void* dst, const void* src, std::size_t bytes) override;
  void synchronize() override;

  void stream_fill(double* x, double value, std::size_t n) override;
  void stream_copy(const double* a, double* c, std::size_t n) override;
  void stream_scale(double* b, const double* c, double scalar,
                    std::size_t n) override;
  void stream_add(const double* a, const double* b, double* c,
                  std::size_t n) override;
  void stream_triad(double* a, const double* b, const double* c, double scalar,
                    std::size_t n) override;
  double stream_dot(const double* a, const double* b, std::size_t n) override;

  FmaRun fma_shape(Precision p, std::int64_t steps) override;
  void fma_chains(Precision p, std::int64_t steps, double a, double b,
                  double start, double delta, void* out) override;

  void gemm(Precision p, int n, const void* a, const void* b,
            void* c) override;  // cuda_gemm.cpp
  void upload(Precision p, const float* host, void* device,
              std::size_t count) override;
  void download(Precision p, const void* device, float* host,
                std::size_t count) override;

  TensorOps& tensor_ops(Precision p) override;

  cudaStream_t stream() const { return stream_; }

 private:
  void launched(const char* kernel);  // checks the launch itself

  DeviceProperties properties_;
  cudaStream_t stream_ = nullptr;
  cublasHandle_t blas_ = nullptr;
  double* dot_partial_ = nullptr;       // device, dot_blocks_ entries
  double* dot_partial_host_ = nullptr;  // pinned
  int dot_blocks_ = 0;
  // One per Precision (by its value), made on first use.
  std::unique_ptr<TensorOps> tensor_ops_[5];
};

}  // namespace cb::kernels
