// hardware.stream: STREAM copy/scale/add/triad plus BabelStream's dot, on the
// host (OpenMP threads matching the rank's cpuset) or on a GPU, through the
// device API. Follows the STREAM rules: each array is at least 4x the
// last-level cache (the node's L3, or the GPU's L2) unless the suite sets
// array_size, bytes are counted as STREAM counts them (no write-allocate
// traffic), and every result is checked against the scalar recurrence of the
// same kernels (BabelStream's check_solution).
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/hardware/device_case.hpp"
#include "benchmarks/hardware/limits.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"
#include "cpu/stream_kernels.hpp"

namespace cb {
namespace {

// BabelStream's start values and scalar: the recurrence stays bounded
// however many iterations the measurement loop runs.
constexpr double kStartA = 0.1, kStartB = 0.2, kStartC = 0.0, kScalar = 0.4;
constexpr std::int64_t kMinElements = 1 << 20;

BenchmarkInfo stream_info() {
  BenchmarkInfo info;
  info.name = "hardware.stream";
  info.kind = Kind::Hardware;
  info.scope = Scope::Local;
  info.backends = {"cpu", "cuda"};
  info.summary = "STREAM copy/scale/add/triad/dot memory bandwidth (fp64)";
  info.params = {
      {"array_size",
       ParamType::Bytes,
       std::int64_t{0},
       "bytes per array; 0 = 4x the last-level cache (STREAM rule)",
       {},
       {},
       0,
       kMaxBufferBytes},
      {"threads",
       ParamType::Int,
       std::int64_t{0},
       "OpenMP threads (cpu); 0 = one per PU of the rank's cpuset",
       {},
       {},
       0,
       kMaxThreads},
  };
  info.cost = [](const ParamSet&) { return 5.0; };
  return info;
}

// Mean |x[i] - expected| of a device array, read back in chunks so that the
// check needs little host memory.
double mean_abs_error(kernels::Device& device, const double* x, double expected,
                      std::size_t n) {
  const std::size_t chunk = std::min<std::size_t>(n, 8 << 20);
  std::vector<double> host(chunk);
  double sum = 0;
  for (std::size_t begin = 0; begin < n; begin += chunk) {
    std::size_t count = std::min(chunk, n - begin);
    device.copy(host.data(), x + begin, count * sizeof(double));
    device.synchronize();
    sum += kernels::cpu::mean_abs_error(host.data(), expected, count) *
           static_cast<double>(count);
  }
  return n ? sum / static_cast<double>(n) : 0.0;
}

class StreamBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    device_ = open_case_device(ctx);
    const bool host = ctx.backend == "cpu";
    const std::uint64_t cache =
        host ? ctx.resources.l3_bytes : device_->properties().cache_bytes;
    const std::uint64_t memory =
        host ? ctx.resources.mem_bytes : device_->properties().memory_bytes;
    std::int64_t bytes = get_int(ctx.params, "array_size");
    if (bytes == 0) bytes = static_cast<std::int64_t>(4 * cache);
    n_ = static_cast<std::size_t>(std::max(bytes / 8, kMinElements));
    // Three arrays must fit in memory with room to spare.
    CB_CHECK(3 * n_ * 8 < memory / 2 || memory == 0,
             "STREAM arrays of " +
                 format_bytes(static_cast<std::int64_t>(n_ * 8)) +
                 " do not fit in half the memory; set array_size");
    std::int64_t threads = get_int(ctx.params, "threads");
    threads_ = threads > 0 ? static_cast<int>(threads)
                           : std::max(1, ctx.resources.pus);
    omp_set_num_threads(threads_);
    a_ = DeviceBuffer(*device_, n_ * 8);
    b_ = DeviceBuffer(*device_, n_ * 8);
    c_ = DeviceBuffer(*device_, n_ * 8);
    // On the host, the parallel fill places pages where the threads that use
    // them run (first touch).
    device_->stream_fill(a(), kStartA, n_);
    device_->stream_fill(b(), kStartB, n_);
    device_->stream_fill(c(), kStartC, n_);
    device_->synchronize();
    ea_ = kStartA, eb_ = kStartB, ec_ = kStartC;
  }

  std::vector<Operation> operations() override {
    double word = 8.0 * static_cast<double>(n_) / 1e9;  // GB per array pass
    auto op = [this](std::string name, double gb, std::function<void()> one) {
      Operation o;
      o.name = std::move(name);
      o.rates = {{"bandwidth", "GB/s", gb}};
      o.run = [one](std::int64_t n) {
        for (std::int64_t i = 0; i < n; ++i) one();
      };
      o.sync = [this] { device_->synchronize(); };
      return o;
    };
    return {
        op("copy", 2 * word, [this] { copy(); }),
        op("scale", 2 * word, [this] { scale(); }),
        op("add", 3 * word, [this] { add(); }),
        op("triad", 3 * word, [this] { triad(); }),
        op("dot", 2 * word, [this] { dot(); }),
    };
  }

  Verification verify() override {
    double ea = mean_abs_error(*device_, a(), ea_, n_);
    double eb = mean_abs_error(*device_, b(), eb_, n_);
    double ec = mean_abs_error(*device_, c(), ec_, n_);
    const double epsilon = 1e-8;  // relative, as BabelStream checks fp64
    auto bad = [&](double err, double expected) {  // NaN counts as bad
      return !(err <= epsilon * std::max(std::fabs(expected), 1e-300));
    };
    const double dot_expected = dot_expected_;
    bool dot_bad =
        dot_runs_ > 0 && bad(std::fabs(dot_ - dot_expected) / double(n_),
                             dot_expected / double(n_));
    Verification v;
    v.ok = !(bad(ea, ea_) || bad(eb, eb_) || bad(ec, ec_) || dot_bad);
    v.detail = "mean abs error a=" + std::to_string(ea) +
               " b=" + std::to_string(eb) + " c=" + std::to_string(ec) +
               " over " + std::to_string(n_) + " elements; dot " +
               std::to_string(dot_) + " (expected " +
               std::to_string(dot_expected) + ")";
    return v;
  }

  ParamSet resolved_params() const override {
    ParamSet p = {{"array_size", static_cast<std::int64_t>(n_ * 8)}};
    if (device_->properties().backend == "host")
      p["threads"] = std::int64_t{threads_};
    return p;
  }

  void teardown() override {
    a_ = {}, b_ = {}, c_ = {};
    device_.reset();
  }

 private:
  double* a() const { return a_.as<double>(); }
  double* b() const { return b_.as<double>(); }
  double* c() const { return c_.as<double>(); }
  // Each kernel also advances the scalar it should have produced everywhere.
  void copy() { device_->stream_copy(a(), c(), n_), ec_ = ea_; }
  void scale() {
    device_->stream_scale(b(), c(), kScalar, n_), eb_ = kScalar * ec_;
  }
  void add() { device_->stream_add(a(), b(), c(), n_), ec_ = ea_ + eb_; }
  void triad() {
    device_->stream_triad(a(), b(), c(), kScalar, n_),
        ea_ = eb_ + kScalar * ec_;
  }
  void dot() {
    dot_ = device_->stream_dot(a(), b(), n_), ++dot_runs_;
    dot_expected_ = ea_ * eb_ * static_cast<double>(n_);
  }

  std::unique_ptr<kernels::Device> device_;
  std::size_t n_ = 0;
  int threads_ = 1;
  DeviceBuffer a_, b_, c_;
  double ea_ = 0, eb_ = 0, ec_ = 0;
  double dot_ = 0, dot_expected_ = 0;
  std::int64_t dot_runs_ = 0;
};

}  // namespace

CB_REGISTER_BENCHMARK(StreamBenchmark, stream_info());

}  // namespace cb
