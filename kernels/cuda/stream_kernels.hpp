// STREAM kernels on an NVIDIA GPU (BabelStream's CUDA kernels): the same
// operations as kernels/cpu, on device pointers, queued on `stream`.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace cb::kernels::cuda {

void fill(double* x, double value, std::size_t n, cudaStream_t stream);
void copy(const double* a, double* c, std::size_t n, cudaStream_t stream);
void scale(double* b, const double* c, double scalar, std::size_t n,
           cudaStream_t stream);
void add(const double* a, const double* b, double* c, std::size_t n,
         cudaStream_t stream);
void triad(double* a, const double* b, const double* c, double scalar,
           std::size_t n, cudaStream_t stream);
// Per-block partial sums of a[i]*b[i] into partial[0, blocks): the caller
// adds them up (as BabelStream does), so no atomics decide the result.
void dot_partials(const double* a, const double* b, std::size_t n,
                  double* partial, int blocks, cudaStream_t stream);

}  // namespace cb::kernels::cuda
