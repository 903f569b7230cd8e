#include "cpu/fma_chains.hpp"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cb::kernels::cpu {
namespace {

// Chains per thread: an FMA takes ~4 cycles and two can start per cycle, so
// 8 must be in flight; 16 zmm (of 32) and 12 ymm or xmm (of 16) leave room
// for a and b in registers.
constexpr int kChainsAvx512 = 16;
constexpr int kChainsAvx2 = 12;
constexpr int kChainsGeneric = 12;

// Each function below is compiled for its own instruction set and only called
// where the CPU has it; the inner loop over chains unrolls fully, so the
// chains live in registers.
[[gnu::target("avx512f")]] void avx512(std::int64_t reps, double a, double b,
                                       const double* start, double* out) {
  __m512d x[kChainsAvx512];
  for (int c = 0; c < kChainsAvx512; ++c) x[c] = _mm512_loadu_pd(start + 8 * c);
  const __m512d va = _mm512_set1_pd(a), vb = _mm512_set1_pd(b);
  for (std::int64_t r = 0; r < reps; ++r)
#pragma GCC unroll 16
    for (int c = 0; c < kChainsAvx512; ++c)
      x[c] = _mm512_fmadd_pd(x[c], va, vb);
  for (int c = 0; c < kChainsAvx512; ++c) _mm512_storeu_pd(out + 8 * c, x[c]);
}

[[gnu::target("avx512f")]] void avx512(std::int64_t reps, float a, float b,
                                       const float* start, float* out) {
  __m512 x[kChainsAvx512];
  for (int c = 0; c < kChainsAvx512; ++c)
    x[c] = _mm512_loadu_ps(start + 16 * c);
  const __m512 va = _mm512_set1_ps(a), vb = _mm512_set1_ps(b);
  for (std::int64_t r = 0; r < reps; ++r)
#pragma GCC unroll 16
    for (int c = 0; c < kChainsAvx512; ++c)
      x[c] = _mm512_fmadd_ps(x[c], va, vb);
  for (int c = 0; c < kChainsAvx512; ++c) _mm512_storeu_ps(out + 16 * c, x[c]);
}

[[gnu::target("avx2,fma")]] void avx2(std::int64_t reps, double a, double b,
                                      const double* start, double* out) {
  __m256d x[kChainsAvx2];
  for (int c = 0; c < kChainsAvx2; ++c) x[c] = _mm256_loadu_pd(start + 4 * c);
  const __m256d va = _mm256_set1_pd(a), vb = _mm256_set1_pd(b);
  for (std::int64_t r = 0; r < reps; ++r)
#pragma GCC unroll 16
    for (int c = 0; c < kChainsAvx2; ++c) x[c] = _mm256_fmadd_pd(x[c], va, vb);
  for (int c = 0; c < kChainsAvx2; ++c) _mm256_storeu_pd(out + 4 * c, x[c]);
}

[[gnu::target("avx2,fma")]] void avx2(std::int64_t reps, float a, float b,
                                      const float* start, float* out) {
  __m256 x[kChainsAvx2];
  for (int c = 0; c < kChainsAvx2; ++c) x[c] = _mm256_loadu_ps(start + 8 * c);
  const __m256 va = _mm256_set1_ps(a), vb = _mm256_set1_ps(b);
  for (std::int64_t r = 0; r < reps; ++r)
#pragma GCC unroll 16
    for (int c = 0; c < kChainsAvx2; ++c) x[c] = _mm256_fmadd_ps(x[c], va, vb);
  for (int c = 0; c < kChainsAvx2; ++c) _mm256_storeu_ps(out + 8 * c, x[c]);
}

// The baseline: 16-byte vectors (SSE2) through GCC's vector extensions; no
// FMA there, so each step is a multiply and an add (still 2 flops).
template <typename T>
void generic(std::int64_t reps, T a, T b, const T* start, T* out) {
  typedef T V __attribute__((vector_size(16)));
  constexpr int kLanes = 16 / sizeof(T);
  V x[kChainsGeneric];
  for (int c = 0; c < kChainsGeneric; ++c)
    for (int l = 0; l < kLanes; ++l) x[c][l] = start[kLanes * c + l];
  const V va = V{} + a, vb = V{} + b;
  for (std::int64_t r = 0; r < reps; ++r)
#pragma GCC unroll 16
    for (int c = 0; c < kChainsGeneric; ++c) x[c] = x[c] * va + vb;
  for (int c = 0; c < kChainsGeneric; ++c)
    for (int l = 0; l < kLanes; ++l) out[kLanes * c + l] = x[c][l];
}

}  // namespace

const char* to_string(Isa isa) {
  switch (isa) {
    case Isa::Avx512: return "avx512";
    case Isa::Avx2: return "avx2";
    case Isa::Generic: return "generic";
  }
  return "?";
}

bool supported(Isa isa) {
  __builtin_cpu_init();
  switch (isa) {
    case Isa::Avx512: return __builtin_cpu_supports("avx512f");
    case Isa::Avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::Generic: return true;
  }
  return false;
}

Isa best_isa() {
  for (Isa isa : {Isa::Avx512, Isa::Avx2})
    if (supported(isa)) return isa;
  return Isa::Generic;
}

template <typename T>
FmaShape fma_shape(Isa isa) {
  switch (isa) {
    case Isa::Avx512: return {64 / int{sizeof(T)}, kChainsAvx512};
    case Isa::Avx2: return {32 / int{sizeof(T)}, kChainsAvx2};
    case Isa::Generic: return {16 / int{sizeof(T)}, kChainsGeneric};
  }
  return {};
}

template <typename T>
void fma_chains(Isa isa, std::int64_t reps, T a, T b, const T* start, T* out) {
  switch (isa) {
    case Isa::Avx512: return avx512(reps, a, b, start, out);
    case Isa::Avx2: return avx2(reps, a, b, start, out);
    case Isa::Generic: return generic(reps, a, b, start, out);
  }
}

double fma_closed_form(double x0, double a, double b, std::int64_t reps) {
  const long double f = static_cast<long double>(b) / (1.0L - a);
  return static_cast<double>(f + std::pow(static_cast<long double>(a), reps) *
                                     (x0 - f));
}

template <typename T>
double fma_tolerance(double a, std::int64_t reps) {
  const double steps = std::min(static_cast<double>(reps), 1.0 / (1.0 - a));
  return 4.0 * (steps + 1.0) * std::numeric_limits<T>::epsilon();
}

template FmaShape fma_shape<float>(Isa);
template FmaShape fma_shape<double>(Isa);
template void fma_chains<float>(Isa, std::int64_t, float, float, const float*,
                                float*);
template void fma_chains<double>(Isa, std::int64_t, double, double,
                                 const double*, double*);
template double fma_tolerance<float>(double, std::int64_t);
template double fma_tolerance<double>(double, std::int64_t);

}  // namespace cb::kernels::cpu
