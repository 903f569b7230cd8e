// Peak-FLOP/s kernel for NVIDIA GPUs: every thread runs kChains independent
// chains x = fma(x, a, b) in registers (enough in flight to cover the FMA
// latency with a full SM), then stores them so none is optimised away.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

namespace cb::kernels::cuda {

constexpr int kFmaChains = 8;
constexpr int kFmaBlock = 256;

// Launches blocks x kFmaBlock threads; out has blocks*kFmaBlock*kFmaChains
// elements; chain c starts at start + c*delta.
template <typename T>  // float or double
void fma_chains(int blocks, std::int64_t steps, T a, T b, T start, T delta,
                T* out, cudaStream_t stream);

}  // namespace cb::kernels::cuda
