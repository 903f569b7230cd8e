#include "cuda/fma_kernels.hpp"

namespace cb::kernels::cuda {
namespace {

template <typename T>
__global__ void fma_kernel(std::int64_t steps, T a, T b, T start, T delta,
                           T* out) {
  T x[kFmaChains];
#pragma unroll
  for (int c = 0; c < kFmaChains; ++c) x[c] = start + T(c) * delta;
#pragma unroll 4
  for (std::int64_t s = 0; s < steps; ++s) {
#pragma unroll
    for (int c = 0; c < kFmaChains; ++c) x[c] = fma(x[c], a, b);
  }
  std::size_t t =
      blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
#pragma unroll
  for (int c = 0; c < kFmaChains; ++c) out[t * kFmaChains + c] = x[c];
}

}  // namespace

template <typename T>
void fma_chains(int blocks, std::int64_t steps, T a, T b, T start, T delta,
                T* out, cudaStream_t stream) {
  fma_kernel<T>
      <<<blocks, kFmaBlock, 0, stream>>>(steps, a, b, start, delta, out);
}

template void fma_chains<float>(int, std::int64_t, float, float, float, float,
                                float*, cudaStream_t);
template void fma_chains<double>(int, std::int64_t, double, double, double,
                                 double, double*, cudaStream_t);

}  // namespace cb::kernels::cuda
