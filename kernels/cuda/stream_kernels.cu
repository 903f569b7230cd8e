#include "cuda/stream_kernels.hpp"

namespace cb::kernels::cuda {
namespace {

constexpr int kBlock = 1024;  // BabelStream's TBSIZE

int blocks(std::size_t n) {
  return static_cast<int>((n + kBlock - 1) / kBlock);
}

__device__ std::size_t index() {
  return blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
}

__global__ void fill_kernel(double* x, double value, std::size_t n) {
  std::size_t i = index();
  if (i < n) x[i] = value;
}
__global__ void copy_kernel(const double* a, double* c, std::size_t n) {
  std::size_t i = index();
  if (i < n) c[i] = a[i];
}
__global__ void scale_kernel(double* b, const double* c, double s,
                             std::size_t n) {
  std::size_t i = index();
  if (i < n) b[i] = s * c[i];
}
__global__ void add_kernel(const double* a, const double* b, double* c,
                           std::size_t n) {
  std::size_t i = index();
  if (i < n) c[i] = a[i] + b[i];
}
__global__ void triad_kernel(double* a, const double* b, const double* c,
                             double s, std::size_t n) {
  std::size_t i = index();
  if (i < n) a[i] = b[i] + s * c[i];
}
__global__ void dot_kernel(const double* a, const double* b, double* partial,
                           std::size_t n) {
  __shared__ double sums[kBlock];
  double sum = 0;
  const std::size_t stride = static_cast<std::size_t>(blockDim.x) * gridDim.x;
  for (std::size_t i = index(); i < n; i += stride) sum += a[i] * b[i];
  sums[threadIdx.x] = sum;
  for (int half = blockDim.x / 2; half > 0; half /= 2) {
    __syncthreads();
    if (threadIdx.x < half) sums[threadIdx.x] += sums[threadIdx.x + half];
  }
  if (threadIdx.x == 0) partial[blockIdx.x] = sums[0];
}

}  // namespace

void fill(double* x, double value, std::size_t n, cudaStream_t stream) {
  fill_kernel<<<blocks(n), kBlock, 0, stream>>>(x, value, n);
}
void copy(const double* a, double* c, std::size_t n, cudaStream_t stream) {
  copy_kernel<<<blocks(n), kBlock, 0, stream>>>(a, c, n);
}
void scale(double* b, const double* c, double scalar, std::size_t n,
           cudaStream_t stream) {
  scale_kernel<<<blocks(n), kBlock, 0, stream>>>(b, c, scalar, n);
}
void add(const double* a, const double* b, double* c, std::size_t n,
         cudaStream_t stream) {
  add_kernel<<<blocks(n), kBlock, 0, stream>>>(a, b, c, n);
}
void triad(double* a, const double* b, const double* c, double scalar,
           std::size_t n, cudaStream_t stream) {
  triad_kernel<<<blocks(n), kBlock, 0, stream>>>(a, b, c, scalar, n);
}
void dot_partials(const double* a, const double* b, std::size_t n,
                  double* partial, int blocks, cudaStream_t stream) {
  dot_kernel<<<blocks, kBlock, 0, stream>>>(a, b, partial, n);
}

}  // namespace cb::kernels::cuda
