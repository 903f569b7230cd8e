#include "cpu/stream_kernels.hpp"

#include <cmath>

namespace cb::kernels::cpu {

void fill(double* x, double value, std::size_t n) {
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) x[i] = value;
}

void copy(const double* a, double* c, std::size_t n) {
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) c[i] = a[i];
}

void scale(double* b, const double* c, double scalar, std::size_t n) {
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) b[i] = scalar * c[i];
}

void add(const double* a, const double* b, double* c, std::size_t n) {
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) c[i] = a[i] + b[i];
}

void triad(double* a, const double* b, const double* c, double scalar,
           std::size_t n) {
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + scalar * c[i];
}

double dot(const double* a, const double* b, std::size_t n) {
  double sum = 0;
#pragma omp parallel for schedule(static) reduction(+ : sum)
  for (std::size_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

double mean_abs_error(const double* x, double expected, std::size_t n) {
  double sum = 0;
#pragma omp parallel for schedule(static) reduction(+ : sum)
  for (std::size_t i = 0; i < n; ++i) sum += std::fabs(x[i] - expected);
  return n ? sum / static_cast<double>(n) : 0.0;
}

}  // namespace cb::kernels::cpu
