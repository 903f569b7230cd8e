// TensorOps for the CUDA backend (see tensor_ops.cu); owned by CudaDevice
// and queued on its stream.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include "device/tensor_ops.hpp"

namespace cb::kernels {

class CudaTensorOps final : public TensorOps {
 public:
  CudaTensorOps(int device, cudaStream_t stream, cublasHandle_t blas);
  ~CudaTensorOps() override;
  CudaTensorOps(const CudaTensorOps&) = delete;
  CudaTensorOps& operator=(const CudaTensorOps&) = delete;

  void linear(const float* x, const float* w, const float* bias, float* y,
              std::size_t m, std::size_t k, std::size_t n) override;
  void layernorm(const float* x, const float* gamma, const float* beta,
                 float* out, std::size_t rows, std::size_t cols,
                 float eps) override;
  void rmsnorm(const float* x, const float* gamma, float* out, std::size_t rows,
               std::size_t cols, float eps) override;
  void gelu(float* x, std::size_t n) override;
  void swiglu(const float* gate_up, float* out, std::size_t rows,
              std::size_t ffn) override;
  void add(float* x, const float* y, std::size_t n) override;
  void rope(float* x, const RopeDims& dims) override;
  void attention(const float* q, const float* k, const float* v, float* out,
                 const AttentionDims& dims) override;
  void copy_rows(float* dst, std::size_t dst_stride, const float* src,
                 std::size_t src_stride, std::size_t rows,
                 std::size_t cols) override;

 private:
  void launched(const char* what);

  int device_;  // the ordinal made current before each call
  cudaStream_t stream_;
  cublasHandle_t blas_;
  float* scratch_ = nullptr;  // attention scores
  std::size_t scratch_floats_ = 0;
};

}  // namespace cb::kernels
