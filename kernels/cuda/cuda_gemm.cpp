// GEMM through cuBLAS: cublasGemmEx with the data and compute types of each
// precision, as the frameworks call it (fp16/bf16 inputs and outputs with
// float32 accumulation; TF32 as float32 data on tensor cores).
#include <string>

#include "cuda/cuda_device.hpp"

namespace cb::kernels {
namespace {

struct GemmTypes {
  cudaDataType data;
  cublasComputeType_t compute;
};

GemmTypes gemm_types(Precision p) {
  switch (p) {
    case Precision::FP64: return {CUDA_R_64F, CUBLAS_COMPUTE_64F};
    case Precision::FP32: return {CUDA_R_32F, CUBLAS_COMPUTE_32F};
    case Precision::TF32: return {CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32};
    case Precision::FP16: return {CUDA_R_16F, CUBLAS_COMPUTE_32F};
    case Precision::BF16: return {CUDA_R_16BF, CUBLAS_COMPUTE_32F};
  }
  return {CUDA_R_32F, CUBLAS_COMPUTE_32F};
}

}  // namespace

void CudaDevice::gemm(Precision p, int n, const void* a, const void* b,
                      void* c) {
  make_current(properties().index);
  const GemmTypes t = gemm_types(p);
  const double one64 = 1, zero64 = 0;
  const float one32 = 1, zero32 = 0;  // scale type of the 32F compute types
  const bool fp64 = p == Precision::FP64;
  const void* alpha = fp64 ? static_cast<const void*>(&one64) : &one32;
  const void* beta = fp64 ? static_cast<const void*>(&zero64) : &zero32;
  cublasStatus_t status = cublasGemmEx(
      blas_, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, alpha, a, t.data, n, b, t.data,
      n, beta, c, t.data, n, t.compute, CUBLAS_GEMM_DEFAULT);
  if (status != CUBLAS_STATUS_SUCCESS)
    throw DeviceError(std::string("cublasGemmEx(") + to_string(p) + ", n=" +
                      std::to_string(n) + "): " + cublasGetStatusName(status));
}

}  // namespace cb::kernels
