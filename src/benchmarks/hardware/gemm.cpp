// hardware.gemm: dense matrix multiply C = A*B through OpenBLAS
// (cblas_sgemm/cblas_dgemm), square n x n, with OpenBLAS's own threads
// matching the rank's cpuset. Sampled entries of C are checked against a
// plain dot product in double after timing.
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "benchmarks/hardware/limits.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

constexpr int kCheckedEntries = 32;

BenchmarkInfo gemm_info() {
  BenchmarkInfo info;
  info.name = "hardware.gemm";
  info.kind = Kind::Hardware;
  info.scope = Scope::Local;
  info.backends = {"cpu"};
  info.summary = "OpenBLAS sgemm/dgemm FLOP/s, square matrices";
  info.params = {
      {"n",
       ParamType::Int,
       std::int64_t{1024},
       "rows = columns of A, B, C",
       {},
       {},
       1,
       1 << 20},
      {"dtype",
       ParamType::String,
       std::string("float64"),
       "element type (sgemm or dgemm)",
       {"float32", "float64"},
       {}},
      {"threads",
       ParamType::Int,
       std::int64_t{0},
       "OpenBLAS threads; 0 = one per PU of the rank's cpuset",
       {},
       {},
       0,
       kMaxThreads},
  };
  // Set-up, plus some ten multiplies at ~50 GFLOP/s for calibration/samples.
  info.cost = [](const ParamSet& p) {
    double n = static_cast<double>(get_int(p, "n"));
    return 1.0 + 10 * 2 * n * n * n / 50e9;
  };
  return info;
}

// One gemm of one element type: the matrices and the call.
template <typename T>
class Gemm {
 public:
  void setup(std::size_t n) {
    n_ = n;
    std::mt19937_64 rng(20240601);  // fixed: the same matrices every run
    std::uniform_real_distribution<T> uniform(T(-1), T(1));
    a_.resize(n * n), b_.resize(n * n);
    for (T& x : a_) x = uniform(rng);
    for (T& x : b_) x = uniform(rng);
    c_.assign(n * n, T(0));
  }

  void multiply() {
    const int n = static_cast<int>(n_);
    if constexpr (std::is_same_v<T, float>)
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f,
                  a_.data(), n, b_.data(), n, 0.0f, c_.data(), n);
    else
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0,
                  a_.data(), n, b_.data(), n, 0.0, c_.data(), n);
  }

  // Worst error of sampled entries of C, relative to sum_k |a_ik * b_kj|
  // (the scale rounding errors grow with; |c_ij| itself may be near 0).
  double max_error() const {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::size_t> index(0, n_ - 1);
    double worst = 0;
    for (int e = 0; e < kCheckedEntries; ++e) {
      std::size_t i = e == 0 ? 0 : index(rng), j = e == 0 ? n_ - 1 : index(rng);
      double dot = 0, scale = 0;
      for (std::size_t k = 0; k < n_; ++k) {
        double term = double(a_[i * n_ + k]) * double(b_[k * n_ + j]);
        dot += term, scale += std::fabs(term);
      }
      double error = std::fabs(c_[i * n_ + j] - dot) / std::max(scale, 1e-300);
      if (!(error <= worst)) worst = error;  // NaN sticks
    }
    return worst;
  }

 private:
  std::size_t n_ = 0;
  std::vector<T> a_, b_, c_;
};

class GemmBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    std::int64_t n = get_int(ctx.params, "n");
    CB_CHECK(n > 0 && n <= 1 << 20, "n must be in 1..2^20");
    fp64_ = get_string(ctx.params, "dtype") == "float64";
    const double bytes = 3.0 * n * n * (fp64_ ? 8 : 4);
    CB_CHECK(
        ctx.resources.mem_bytes == 0 || bytes < ctx.resources.mem_bytes / 2.0,
        "three " + std::to_string(n) +
            "^2 matrices do not fit in half "
            "the node's memory");
    std::int64_t threads = get_int(ctx.params, "threads");
    CB_CHECK(threads >= 0, "threads must be >= 0");
    openblas_set_num_threads(threads > 0 ? static_cast<int>(threads)
                                         : std::max(1, ctx.resources.pus));
    threads_ = openblas_get_num_threads();  // OpenBLAS may cap it
    n_ = n;
    if (fp64_)
      f64_.setup(static_cast<std::size_t>(n));
    else
      f32_.setup(static_cast<std::size_t>(n));
  }

  std::vector<Operation> operations() override {
    const double n = static_cast<double>(n_);
    Operation op;  // metrics "time" and "flops"
    op.rates = {{"flops", "GFLOP/s", 2.0 * n * n * n / 1e9}};
    op.run = [this](std::int64_t iterations) {
      for (std::int64_t i = 0; i < iterations; ++i)
        fp64_ ? f64_.multiply() : f32_.multiply();  // beta = 0: C = A*B
    };
    return {op};
  }

  Verification verify() override {
    double error = fp64_ ? f64_.max_error() : f32_.max_error();
    double tolerance = fp64_ ? 1e-9 : 1e-3;
    char text[160];
    std::snprintf(text, sizeof text,
                  "max error %.3g (tolerance %.0e) of %d sampled entries of C "
                  "against a dot product in double, relative to sum |a*b|",
                  error, tolerance, kCheckedEntries);
    return {error <= tolerance, text};
  }

  ParamSet resolved_params() const override {
    return {{"threads", std::int64_t{threads_}}};
  }

  void teardown() override { f32_ = {}, f64_ = {}; }

 private:
  std::int64_t n_ = 0;
  bool fp64_ = true;
  int threads_ = 1;
  Gemm<float> f32_;
  Gemm<double> f64_;
};

}  // namespace

CB_REGISTER_BENCHMARK(GemmBenchmark, gemm_info());

}  // namespace cb
