// hardware.gemm: dense matrix multiply C = A*B, square n x n. On the CPU
// through OpenBLAS (cblas_sgemm/dgemm) with OpenBLAS's own threads matching
// the rank's cpuset; on a GPU through the device API (cuBLAS cublasGemmEx in
// float64, float32, tf32, float16 and bfloat16). Sampled entries of C are
// checked against a plain dot product in double after timing.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "benchmarks/hardware/device_case.hpp"
#include "benchmarks/hardware/limits.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"
#ifdef CB_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace cb {
namespace {

constexpr int kCheckedEntries = 32;
using kernels::Precision;

BenchmarkInfo gemm_info() {
  BenchmarkInfo info;
  info.name = "hardware.gemm";
  info.kind = Kind::Hardware;
  info.scope = Scope::Local;
  info.backends = {"cpu", "cuda"};
  info.summary = "GEMM FLOP/s, square matrices (OpenBLAS on cpu, cuBLAS)";
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
       "element type; tf32, float16 and bfloat16 on GPUs only",
       {"float32", "float64", "tf32", "float16", "bfloat16"},
       {}},
      {"threads",
       ParamType::Int,
       std::int64_t{0},
       "OpenBLAS threads (cpu); 0 = one per PU of the rank's cpuset",
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

// Sampled entries of C (column-major: x[i + j*n]) against a dot product in
// double of the inputs as stored, relative to sum_k |a_ik * b_kj| (the scale
// rounding errors grow with; |c_ij| itself may be near 0). NaN sticks.
template <typename T, typename C>
double sampled_error(const std::vector<T>& a, const std::vector<T>& b,
                     const std::vector<C>& c, std::size_t n) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::size_t> index(0, n - 1);
  double worst = 0;
  for (int e = 0; e < kCheckedEntries; ++e) {
    std::size_t i = e == 0 ? 0 : index(rng), j = e == 0 ? n - 1 : index(rng);
    double dot = 0, scale = 0;
    for (std::size_t k = 0; k < n; ++k) {
      double term = double(a[i + k * n]) * double(b[k + j * n]);
      dot += term, scale += std::fabs(term);
    }
    double error = std::fabs(c[i + j * n] - dot) / std::max(scale, 1e-300);
    if (!(error <= worst)) worst = error;
  }
  return worst;
}

// Fixed seed: the same matrices every run.
template <typename T>
std::vector<T> random_matrix(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<T> uniform(T(-1), T(1));
  std::vector<T> x(n * n);
  for (T& v : x) v = uniform(rng);
  return x;
}

// What one backend does: set up, multiply, check.
class GemmEngine {
 public:
  virtual ~GemmEngine() = default;
  virtual void multiply() = 0;
  virtual void sync() {}
  virtual double max_error() = 0;
};

#ifdef CB_HAVE_OPENBLAS
template <typename T>
class HostGemm final : public GemmEngine {
 public:
  explicit HostGemm(std::size_t n)
      : n_(n),
        a_(random_matrix<T>(n, 20240601)),
        b_(random_matrix<T>(n, 20240602)),
        c_(n * n, T(0)) {}

  void multiply() override {  // beta = 0: C = A*B
    const int n = static_cast<int>(n_);
    if constexpr (std::is_same_v<T, float>)
      cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f,
                  a_.data(), n, b_.data(), n, 0.0f, c_.data(), n);
    else
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0,
                  a_.data(), n, b_.data(), n, 0.0, c_.data(), n);
  }
  double max_error() override { return sampled_error(a_, b_, c_, n_); }

 private:
  std::size_t n_;
  std::vector<T> a_, b_, c_;
};
#endif

// A GPU: inputs made on the host as float, stored on the device in the case's
// precision, and read back rounded so the check uses what was multiplied.
class DeviceGemm final : public GemmEngine {
 public:
  DeviceGemm(std::unique_ptr<kernels::Device> device, Precision p, int n)
      : device_(std::move(device)), p_(p), n_(n) {
    const std::size_t count = std::size_t(n) * n;
    const std::size_t bytes = count * kernels::element_bytes(p);
    const auto& props = device_->properties();
    CB_CHECK(3.0 * bytes < props.memory_bytes / 2.0,
             "three " + std::to_string(n) +
                 "^2 matrices do not fit in half "
                 "of " +
                 props.name + "'s memory");
    a_ = random_matrix<float>(n, 20240601);
    b_ = random_matrix<float>(n, 20240602);
    da_ = DeviceBuffer(*device_, bytes);
    db_ = DeviceBuffer(*device_, bytes);
    dc_ = DeviceBuffer(*device_, bytes);
    skip_if_unsupported([&] {
      device_->upload(p_, a_.data(), da_.get(), count);
      device_->upload(p_, b_.data(), db_.get(), count);
      device_->download(p_, da_.get(), a_.data(), count);
      device_->download(p_, db_.get(), b_.data(), count);
      device_->gemm(p_, n_, da_.get(), db_.get(), dc_.get());  // supported?
      device_->synchronize();
    });
  }

  void multiply() override {
    device_->gemm(p_, n_, da_.get(), db_.get(), dc_.get());
  }
  void sync() override { device_->synchronize(); }

  double max_error() override {
    const std::size_t count = std::size_t(n_) * n_;
    if (p_ == Precision::FP64) {  // read back at full precision
      std::vector<double> c(count);
      device_->copy(c.data(), dc_.get(), count * 8);
      device_->synchronize();
      return sampled_error(a_, b_, c, std::size_t(n_));
    }
    std::vector<float> c(count);
    device_->download(p_, dc_.get(), c.data(), count);
    return sampled_error(a_, b_, c, std::size_t(n_));
  }

 private:
  std::unique_ptr<kernels::Device> device_;
  Precision p_;
  int n_;
  std::vector<float> a_, b_;
  DeviceBuffer da_, db_, dc_;
};

// Relative to sum |a*b|: the accumulation's rounding for float64/float32;
// tf32 rounds the inputs to 10 mantissa bits, float16/bfloat16 the output.
double tolerance(Precision p) {
  switch (p) {
    case Precision::FP64: return 1e-9;
    case Precision::FP32: return 1e-4;
    case Precision::TF32:
    case Precision::FP16: return 5e-3;
    case Precision::BF16: return 2e-2;
  }
  return 0;
}

class GemmBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    std::int64_t n = get_int(ctx.params, "n");
    CB_CHECK(n > 0 && n <= 1 << 20, "n must be in 1..2^20");
    n_ = n;
    precision_ = kernels::precision_named(get_string(ctx.params, "dtype"));
    if (ctx.backend == "cpu")
      setup_host(ctx);
    else
      engine_ = std::make_unique<DeviceGemm>(open_case_device(ctx), precision_,
                                             static_cast<int>(n));
  }

  std::vector<Operation> operations() override {
    const double n = static_cast<double>(n_);
    Operation op;  // metrics "time" and "flops"
    op.rates = {{"flops", "GFLOP/s", 2.0 * n * n * n / 1e9}};
    op.run = [this](std::int64_t iterations) {
      for (std::int64_t i = 0; i < iterations; ++i) engine_->multiply();
    };
    op.sync = [this] { engine_->sync(); };
    return {op};
  }

  Verification verify() override {
    double error = engine_->max_error();
    char text[200];
    std::snprintf(text, sizeof text,
                  "max error %.3g (tolerance %.0e) of %d sampled entries of C "
                  "against a dot product in double, relative to sum |a*b|",
                  error, tolerance(precision_), kCheckedEntries);
    return {error <= tolerance(precision_), text};
  }

  ParamSet resolved_params() const override {
    if (threads_ == 0) return {};
    return {{"threads", std::int64_t{threads_}}};
  }

  void teardown() override { engine_.reset(); }

 private:
  void setup_host(const CaseContext& ctx) {
#ifdef CB_HAVE_OPENBLAS
    if (precision_ != Precision::FP64 && precision_ != Precision::FP32)
      throw Error(ErrorKind::Unavailable, std::string("OpenBLAS has no ") +
                                              kernels::to_string(precision_) +
                                              " GEMM");
    const bool fp64 = precision_ == Precision::FP64;
    const double bytes = 3.0 * n_ * n_ * (fp64 ? 8 : 4);
    CB_CHECK(
        ctx.resources.mem_bytes == 0 || bytes < ctx.resources.mem_bytes / 2.0,
        "three " + std::to_string(n_) +
            "^2 matrices do not fit in half the node's memory");
    std::int64_t threads = get_int(ctx.params, "threads");
    CB_CHECK(threads >= 0, "threads must be >= 0");
    openblas_set_num_threads(threads > 0 ? static_cast<int>(threads)
                                         : std::max(1, ctx.resources.pus));
    threads_ = openblas_get_num_threads();  // OpenBLAS may cap it
    const auto n = static_cast<std::size_t>(n_);
    if (fp64)
      engine_ = std::make_unique<HostGemm<double>>(n);
    else
      engine_ = std::make_unique<HostGemm<float>>(n);
#else
    (void)ctx;
    throw Error(ErrorKind::Unavailable,
                "this clusterbench was built without OpenBLAS");
#endif
  }

  std::int64_t n_ = 0;
  Precision precision_ = Precision::FP64;
  int threads_ = 0;
  std::unique_ptr<GemmEngine> engine_;
};

}  // namespace

CB_REGISTER_BENCHMARK(GemmBenchmark, gemm_info());

}  // namespace cb
