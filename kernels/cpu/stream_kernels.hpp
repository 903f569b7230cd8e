// STREAM kernels on the host, parallelised with OpenMP over the calling
// thread's team (the caller sets the thread count to match the rank's cpuset).
#pragma once

#include <cstddef>

namespace cb::kernels::cpu {

// Writes `value` in parallel so that pages are first touched by the threads
// that will use them (NUMA placement).
void fill(double* x, double value, std::size_t n);
void copy(const double* a, double* c, std::size_t n);  // c = a
void scale(double* b, const double* c, double scalar,
           std::size_t n);  // b = s*c
void add(const double* a, const double* b, double* c,
         std::size_t n);  // c = a+b
void triad(double* a, const double* b, const double* c, double scalar,
           std::size_t n);  // a = b+s*c
double dot(const double* a, const double* b,
           std::size_t n);  // sum a[i]*b[i]
// Sum of |x[i] - expected| / n, computed in parallel (used to verify).
double mean_abs_error(const double* x, double expected, std::size_t n);

}  // namespace cb::kernels::cpu
