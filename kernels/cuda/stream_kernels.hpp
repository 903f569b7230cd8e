// STREAM kernels on an NVIDIA GPU: the same operations as kernels/cpu, on
// device pointers, queued on the default stream (callers synchronise).
#pragma once

#include <cstddef>

namespace cb::kernels::cuda {

void fill(double* x, double value, std::size_t n);
void copy(const double* a, double* c, std::size_t n);
void scale(double* b, const double* c, double scalar, std::size_t n);
void add(const double* a, const double* b, double* c, std::size_t n);
void triad(double* a, const double* b, const double* c, double scalar,
           std::size_t n);
// Blocks until queued work is done; returns the CUDA error name or "" if ok.
const char* synchronize();

}  // namespace cb::kernels::cuda
