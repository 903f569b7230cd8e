// hardware.flops: peak floating-point rate of the rank's cores or GPU. Every
// OpenMP thread (or GPU thread) runs independent chains of x = x*a + b (one
// FMA per vector per step) in registers; on the CPU with the widest
// instruction set it has, picked at run time. The results are checked
// against the recurrence's closed form.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/hardware/device_case.hpp"
#include "benchmarks/hardware/limits.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"
#include "cpu/fma_chains.hpp"

namespace cb {
namespace {

namespace k = kernels::cpu;

// Steps per iteration, and a recurrence that neither grows nor settles within
// them: a^4096 = 1/e, so the result still depends on every step and start.
constexpr std::int64_t kReps = 4096;
constexpr double kA = 1.0 - 1.0 / kReps, kB = 1.0 / kReps;  // fixed point 1

BenchmarkInfo flops_info() {
  BenchmarkInfo info;
  info.name = "hardware.flops";
  info.kind = Kind::Hardware;
  info.scope = Scope::Local;
  info.backends = {"cpu", "cuda"};
  info.summary =
      "peak FLOP/s: independent FMA chains in registers on every thread";
  info.params = {
      {"dtype",
       ParamType::String,
       std::string("float64"),
       "element type",
       {"float32", "float64"},
       {}},
      {"threads",
       ParamType::Int,
       std::int64_t{0},
       "OpenMP threads (cpu); 0 = one per PU of the rank's cpuset",
       {},
       {},
       0,
       kMaxThreads},
      {"isa",
       ParamType::String,
       std::string("auto"),
       "instruction set (cpu); auto = the widest this CPU supports",
       {"auto", "avx512", "avx2", "generic"},
       {}},
  };
  info.cost = [](const ParamSet&) { return 2.0; };
  return info;
}

k::Isa parse_isa(const std::string& name) {
  if (name == "auto") return k::best_isa();
  for (k::Isa isa : {k::Isa::Avx512, k::Isa::Avx2, k::Isa::Generic})
    if (name == k::to_string(isa)) return isa;
  CB_CHECK(false, "unknown isa " + name);
  return k::Isa::Generic;
}

// The benchmark for one element type.
template <typename T>
class Chains {
 public:
  void setup(k::Isa isa, int threads) {
    isa_ = isa;
    threads_ = threads;
    values_ = static_cast<std::size_t>(k::fma_shape<T>(isa).values());
    start_.resize(values_);
    for (std::size_t i = 0; i < values_; ++i)  // distinct: no chain folds
      start_[i] = T(0.5) + T(i) / T(2 * values_);
    out_.assign(values_ * threads, T(0));
  }

  // Each thread runs its n iterations without a barrier in between: one
  // parallel region per batch, so its start-up cost is spread over n.
  void run(std::int64_t n) {
#pragma omp parallel num_threads(threads_)
    {
      T* out = out_.data() + values_ * omp_get_thread_num();
      for (std::int64_t i = 0; i < n; ++i)
        k::fma_chains<T>(isa_, kReps, T(kA), T(kB), start_.data(), out);
    }
  }

  // Worst relative error of every thread's last results.
  double max_error() const {
    double worst = 0;
    for (std::size_t i = 0; i < out_.size(); ++i) {
      double expected = k::fma_closed_form(start_[i % values_], kA, kB, kReps);
      double error = std::fabs(out_[i] - expected) / std::fabs(expected);
      if (!(error <= worst)) worst = error;  // NaN sticks
    }
    return worst;
  }

 private:
  k::Isa isa_ = k::Isa::Generic;
  int threads_ = 1;
  std::size_t values_ = 0;
  std::vector<T> start_, out_;
};

// The benchmark on a device: every device thread runs the chains of
// Device::fma_chains; every thread's values are checked afterwards.
class DeviceChains {
 public:
  void setup(const CaseContext& ctx, bool fp64) {
    device_ = open_case_device(ctx);
    precision_ = fp64 ? kernels::Precision::FP64 : kernels::Precision::FP32;
    shape_ = skip_if_unsupported(
        [&] { return device_->fma_shape(precision_, kReps); });
    out_ = DeviceBuffer(*device_, values() * (fp64 ? 8 : 4));
  }
  double flops() const { return shape_.flops(); }
  void run(std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i)
      device_->fma_chains(precision_, kReps, kA, kB, kStart, delta(),
                          out_.get());
  }
  void sync() { device_->synchronize(); }

  double max_error() {
    std::vector<char> host(out_.bytes());
    device_->copy(host.data(), out_.get(), host.size());
    device_->synchronize();
    double worst = 0;
    for (std::size_t i = 0; i < values(); ++i) {
      double x0 = kStart + double(i % shape_.chains) * delta();
      double got = precision_ == kernels::Precision::FP64
                       ? reinterpret_cast<const double*>(host.data())[i]
                       : reinterpret_cast<const float*>(host.data())[i];
      double expected = k::fma_closed_form(x0, kA, kB, kReps);
      double error = std::fabs(got - expected) / std::fabs(expected);
      if (!(error <= worst)) worst = error;  // NaN sticks
    }
    return worst;
  }
  std::string what() const {
    return std::to_string(shape_.threads) + " GPU threads x " +
           std::to_string(shape_.chains) + " chains on " +
           device_->properties().name;
  }

 private:
  static constexpr double kStart = 0.5;
  double delta() const { return 1.0 / (2 * shape_.chains); }
  std::size_t values() const {
    return static_cast<std::size_t>(shape_.threads * shape_.chains);
  }

  std::unique_ptr<kernels::Device> device_;
  kernels::Precision precision_ = kernels::Precision::FP64;
  kernels::FmaRun shape_;
  DeviceBuffer out_;
};

class FlopsBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    fp64_ = get_string(ctx.params, "dtype") == "float64";
    if (ctx.backend != "cpu") {
      gpu_ = std::make_unique<DeviceChains>();
      gpu_->setup(ctx, fp64_);
      return;
    }
    isa_ = parse_isa(get_string(ctx.params, "isa"));
    CB_CHECK(k::supported(isa_), std::string("this CPU does not support isa ") +
                                     k::to_string(isa_));
    std::int64_t threads = get_int(ctx.params, "threads");
    CB_CHECK(threads >= 0, "threads must be >= 0");
    threads_ = threads > 0 ? static_cast<int>(threads)
                           : std::max(1, ctx.resources.pus);
    if (fp64_)
      f64_.setup(isa_, threads_);
    else
      f32_.setup(isa_, threads_);
  }

  std::vector<Operation> operations() override {
    if (gpu_) {
      Operation op;
      op.rates = {{"flops", "GFLOP/s", gpu_->flops() / 1e9}};
      op.run = [this](std::int64_t n) { gpu_->run(n); };
      op.sync = [this] { gpu_->sync(); };
      return {op};
    }
    k::FmaShape shape =
        fp64_ ? k::fma_shape<double>(isa_) : k::fma_shape<float>(isa_);
    Operation op;  // metrics "time" and "flops"
    op.rates = {
        {"flops", "GFLOP/s", 2.0 * shape.values() * kReps * threads_ / 1e9}};
    op.run = [this](std::int64_t n) { fp64_ ? f64_.run(n) : f32_.run(n); };
    return {op};
  }

  Verification verify() override {
    double error = gpu_    ? gpu_->max_error()
                   : fp64_ ? f64_.max_error()
                           : f32_.max_error();
    double tolerance = fp64_ ? k::fma_tolerance<double>(kA, kReps)
                             : k::fma_tolerance<float>(kA, kReps);
    char numbers[64];
    std::snprintf(numbers, sizeof numbers, "%.3g (tolerance %.3g)", error,
                  tolerance);
    std::string where =
        gpu_ ? gpu_->what()
             : std::to_string(threads_) + " threads, isa " + k::to_string(isa_);
    return {error <= tolerance, "max relative error " + std::string(numbers) +
                                    " against the closed form, " + where};
  }

  ParamSet resolved_params() const override {
    if (gpu_) return {};
    return {{"threads", std::int64_t{threads_}},
            {"isa", std::string(k::to_string(isa_))}};
  }

 private:
  bool fp64_ = true;
  k::Isa isa_ = k::Isa::Generic;
  int threads_ = 1;
  Chains<float> f32_;
  Chains<double> f64_;
  std::unique_ptr<DeviceChains> gpu_;
};

}  // namespace

CB_REGISTER_BENCHMARK(FlopsBenchmark, flops_info());

}  // namespace cb
