// Peak floating-point rate, as the classic peak-flops kernels measure it:
// each thread runs independent chains of x = x*a + b, one fused multiply-add
// per vector per step, with enough chains in flight to cover the FMA latency
// on every FMA port. The instruction set is picked at run time, so one binary
// serves every node (the project is not built with -march=native).
#pragma once

#include <cstdint>
#include <string>

namespace cb::kernels::cpu {

enum class Isa {
  Generic,  // the x86-64 baseline (SSE2): a multiply and an add, no FMA
  Avx2,     // 256-bit FMA (AVX2 + FMA3)
  Avx512,   // 512-bit FMA (AVX-512F)
};

const char* to_string(Isa isa);  // "generic", "avx2", "avx512"
bool supported(Isa isa);         // this CPU runs it (__builtin_cpu_supports)
Isa best_isa();                  // the widest supported

// One thread's chains: `lanes` values per vector, `chains` vectors.
struct FmaShape {
  int lanes = 1;
  int chains = 1;
  int values() const { return lanes * chains; }
};
template <typename T>  // float or double
FmaShape fma_shape(Isa isa);

// Runs `reps` steps of x = x*a + b on every one of fma_shape<T>(isa).values()
// values, chain-major, from `start` into `out`: 2 * values * reps flops.
// `isa` must be supported.
template <typename T>
void fma_chains(Isa isa, std::int64_t reps, T a, T b, const T* start, T* out);

// The exact result of `reps` steps from x0: f + a^reps (x0 - f), f = b/(1-a).
double fma_closed_form(double x0, double a, double b, std::int64_t reps);

// Relative error fma_chains<T> may show against the closed form: each step
// rounds once or twice, and older errors decay by a per step, so at most
// min(reps, 1/(1-a)) of them add up (a in (0, 1)).
template <typename T>
double fma_tolerance(double a, std::int64_t reps);

}  // namespace cb::kernels::cpu
