#include <cuda_runtime.h>

#include "cuda/stream_kernels.hpp"

namespace cb::kernels::cuda {
namespace {

constexpr int kBlock = 256;

int blocks(std::size_t n) {
  return static_cast<int>((n + kBlock - 1) / kBlock);
}

__global__ void fill_kernel(double* x, double value, std::size_t n) {
  std::size_t i =
      blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (i < n) x[i] = value;
}
__global__ void copy_kernel(const double* a, double* c, std::size_t n) {
  std::size_t i =
      blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (i < n) c[i] = a[i];
}
__global__ void scale_kernel(double* b, const double* c, double s,
                             std::size_t n) {
  std::size_t i =
      blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (i < n) b[i] = s * c[i];
}
__global__ void add_kernel(const double* a, const double* b, double* c,
                           std::size_t n) {
  std::size_t i =
      blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (i < n) c[i] = a[i] + b[i];
}
__global__ void triad_kernel(double* a, const double* b, const double* c,
                             double s, std::size_t n) {
  std::size_t i =
      blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (i < n) a[i] = b[i] + s * c[i];
}

}  // namespace

void fill(double* x, double value, std::size_t n) {
  fill_kernel<<<blocks(n), kBlock>>>(x, value, n);
}
void copy(const double* a, double* c, std::size_t n) {
  copy_kernel<<<blocks(n), kBlock>>>(a, c, n);
}
void scale(double* b, const double* c, double scalar, std::size_t n) {
  scale_kernel<<<blocks(n), kBlock>>>(b, c, scalar, n);
}
void add(const double* a, const double* b, double* c, std::size_t n) {
  add_kernel<<<blocks(n), kBlock>>>(a, b, c, n);
}
void triad(double* a, const double* b, const double* c, double scalar,
           std::size_t n) {
  triad_kernel<<<blocks(n), kBlock>>>(a, b, c, scalar, n);
}
const char* synchronize() {
  cudaError_t status = cudaDeviceSynchronize();
  return status == cudaSuccess ? "" : cudaGetErrorName(status);
}

}  // namespace cb::kernels::cuda
