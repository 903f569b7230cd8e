// hardware.stream: STREAM copy/scale/add/triad on the host, with OpenMP
// threads matching the rank's cpuset. Follows the STREAM rules: each array is
// at least 4x the node's last-level cache (unless the suite sets array_size),
// bytes are counted as STREAM counts them (no write-allocate traffic), and
// every result is checked against the scalar recurrence of the same kernels.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/hardware/limits.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"
#include "cpu/stream_kernels.hpp"

namespace cb {
namespace {

namespace k = kernels::cpu;

// BabelStream's start values and scalar: the recurrence stays bounded
// however many iterations the measurement loop runs.
constexpr double kStartA = 0.1, kStartB = 0.2, kStartC = 0.0, kScalar = 0.4;
constexpr std::int64_t kMinElements = 1 << 20;

BenchmarkInfo stream_info() {
  BenchmarkInfo info;
  info.name = "hardware.stream";
  info.kind = Kind::Hardware;
  info.scope = Scope::Local;
  info.backends = {"cpu"};
  info.summary = "STREAM copy/scale/add/triad memory bandwidth (fp64)";
  info.params = {
      {"array_size",
       ParamType::Bytes,
       std::int64_t{0},
       "bytes per array; 0 = 4x the node's last-level cache (STREAM rule)",
       {},
       {},
       0,
       kMaxBufferBytes},
      {"threads",
       ParamType::Int,
       std::int64_t{0},
       "OpenMP threads; 0 = one per PU of the rank's cpuset",
       {},
       {},
       0,
       kMaxThreads},
  };
  info.cost = [](const ParamSet&) { return 5.0; };
  return info;
}

class StreamBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    std::int64_t bytes = get_int(ctx.params, "array_size");
    if (bytes == 0)
      bytes = static_cast<std::int64_t>(4 * ctx.resources.l3_bytes);
    n_ = static_cast<std::size_t>(std::max(bytes / 8, kMinElements));
    std::int64_t threads = get_int(ctx.params, "threads");
    threads_ = threads > 0 ? static_cast<int>(threads)
                           : std::max(1, ctx.resources.pus);
    // Three arrays must fit in memory with room to spare.
    CB_CHECK(3 * n_ * 8 < ctx.resources.mem_bytes / 2 ||
                 ctx.resources.mem_bytes == 0,
             "STREAM arrays of " +
                 format_bytes(static_cast<std::int64_t>(n_ * 8)) +
                 " do not fit in half the node's memory; set array_size");
    omp_set_num_threads(threads_);
    a_.reset(new double[n_]);
    b_.reset(new double[n_]);
    c_.reset(new double[n_]);
    k::fill(a_.get(), kStartA, n_);  // first touch by the threads that use it
    k::fill(b_.get(), kStartB, n_);
    k::fill(c_.get(), kStartC, n_);
    ea_ = kStartA, eb_ = kStartB, ec_ = kStartC;
  }

  std::vector<Operation> operations() override {
    double word = 8.0 * static_cast<double>(n_) / 1e9;  // GB per array pass
    auto op = [](std::string name, double gb,
                 std::function<void(std::int64_t)> run) {
      Operation o;
      o.name = std::move(name);
      o.rates = {{"bandwidth", "GB/s", gb}};
      o.run = std::move(run);
      return o;
    };
    return {
        op("copy", 2 * word,
           [this](std::int64_t n) { repeat(n, [this] { copy(); }); }),
        op("scale", 2 * word,
           [this](std::int64_t n) { repeat(n, [this] { scale(); }); }),
        op("add", 3 * word,
           [this](std::int64_t n) { repeat(n, [this] { add(); }); }),
        op("triad", 3 * word,
           [this](std::int64_t n) { repeat(n, [this] { triad(); }); }),
    };
  }

  Verification verify() override {
    double ea = k::mean_abs_error(a_.get(), ea_, n_);
    double eb = k::mean_abs_error(b_.get(), eb_, n_);
    double ec = k::mean_abs_error(c_.get(), ec_, n_);
    const double epsilon = 1e-8;  // relative, as BabelStream checks fp64
    auto bad = [&](double err, double expected) {  // NaN counts as bad
      return !(err <= epsilon * std::max(std::fabs(expected), 1e-300));
    };
    Verification v;
    v.ok = !(bad(ea, ea_) || bad(eb, eb_) || bad(ec, ec_));
    v.detail = "mean abs error a=" + std::to_string(ea) +
               " b=" + std::to_string(eb) + " c=" + std::to_string(ec) +
               " over " + std::to_string(n_) + " elements";
    return v;
  }

  ParamSet resolved_params() const override {
    return {{"array_size", static_cast<std::int64_t>(n_ * 8)},
            {"threads", std::int64_t{threads_}}};
  }

  void teardown() override { a_.reset(), b_.reset(), c_.reset(); }

 private:
  template <typename F>
  static void repeat(std::int64_t n, F f) {
    for (std::int64_t i = 0; i < n; ++i) f();
  }
  // Each kernel also advances the scalar it should have produced everywhere.
  void copy() { k::copy(a_.get(), c_.get(), n_), ec_ = ea_; }
  void scale() {
    k::scale(b_.get(), c_.get(), kScalar, n_), eb_ = kScalar * ec_;
  }
  void add() { k::add(a_.get(), b_.get(), c_.get(), n_), ec_ = ea_ + eb_; }
  void triad() {
    k::triad(a_.get(), b_.get(), c_.get(), kScalar, n_),
        ea_ = eb_ + kScalar * ec_;
  }

  std::size_t n_ = 0;
  int threads_ = 1;
  std::unique_ptr<double[]> a_, b_, c_;
  double ea_ = 0, eb_ = 0, ec_ = 0;
};

}  // namespace

CB_REGISTER_BENCHMARK(StreamBenchmark, stream_info());

}  // namespace cb
