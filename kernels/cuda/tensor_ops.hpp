// TensorOps for the CUDA backend (see tensor_ops.cu): one per element type,
// owned by CudaDevice and queued on its stream.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <memory>

#include "device/device.hpp"
#include "device/tensor_ops.hpp"

namespace cb::kernels {

// float32, float16 or bfloat16 storage (float32 arithmetic); throws
// Unsupported for any other precision.
std::unique_ptr<TensorOps> make_cuda_tensor_ops(Precision p, int device,
                                                cudaStream_t stream,
                                                cublasHandle_t blas);

}  // namespace cb::kernels
