// hardware.latency: load-to-use memory latency of one thread, by pointer
// chasing (lmbench lat_mem_rd, Intel MLC idle latency). The lines of the
// working set are linked in one random cycle, so every load waits for the
// previous one and no prefetcher can guess the next; a sweep over working
// set sizes shows each cache level and then DRAM.
#include <sys/mman.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/hardware/limits.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"
#include "cpu/pointer_chase.hpp"

namespace cb {
namespace {

namespace k = kernels::cpu;

constexpr std::int64_t kLoadsPerIteration = 1024;
constexpr std::uint64_t kSeed = 0x6c61742d6d656d;  // fixed: same cycle each run
constexpr std::size_t kHugePage = std::size_t{2} << 20;

BenchmarkInfo latency_info() {
  BenchmarkInfo info;
  info.name = "hardware.latency";
  info.kind = Kind::Hardware;
  info.scope = Scope::Local;
  info.backends = {"cpu"};
  info.summary =
      "memory load latency (ns per load) by chasing pointers through a "
      "random cycle of lines, one thread";
  info.params = {
      {"working_set",
       ParamType::Bytes,
       std::int64_t{32} << 20,
       "bytes chased through; sweep it to see each cache level and DRAM",
       {},
       {"sizes"},
       16,
       kMaxBufferBytes},
      {"stride",
       ParamType::Bytes,
       std::int64_t{64},
       "bytes between linked lines (one cache line); multiple of 8",
       {},
       {},
       8,
       std::int64_t{1} << 30},
      {"huge_pages",
       ParamType::Bool,
       true,
       "advise transparent huge pages, so that TLB misses add little (as "
       "Intel MLC uses large pages)",
       {},
       {}},
  };
  // Linking the cycle touches every line once in random order.
  info.cost = [](const ParamSet& p) {
    return 0.5 + 4.0 * get_int(p, "working_set") / 1e9;
  };
  return info;
}

struct FreeDeleter {
  void operator()(std::byte* p) const { std::free(p); }
};

class LatencyBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    stride_ = static_cast<std::size_t>(get_int(ctx.params, "stride"));
    const std::int64_t working_set = get_int(ctx.params, "working_set");
    CB_CHECK(stride_ >= sizeof(void*) && stride_ % sizeof(void*) == 0,
             "stride must be a positive multiple of " +
                 std::to_string(sizeof(void*)) + " bytes");
    CB_CHECK(working_set >= static_cast<std::int64_t>(2 * stride_),
             "working_set must hold at least two strides");
    lines_ = static_cast<std::size_t>(working_set) / stride_;
    CB_CHECK(lines_ <= 0xffffffffu, "working_set / stride must be < 2^32");
    CB_CHECK(ctx.resources.mem_bytes == 0 ||
                 lines_ * (stride_ + 4) < ctx.resources.mem_bytes / 2,
             "working_set does not fit in half the node's memory");

    const std::size_t bytes = lines_ * stride_;
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    buffer_.reset(
        static_cast<std::byte*>(std::aligned_alloc(kHugePage, rounded)));
    CB_CHECK(buffer_ != nullptr, "cannot allocate " + format_bytes(rounded));
    if (get_bool(ctx.params, "huge_pages"))
      madvise(buffer_.get(), rounded, MADV_HUGEPAGE);  // advice only

    next_ = k::random_cycle(lines_, kSeed);
    k::link_lines(buffer_.get(), stride_, next_);  // first touch, untimed
    cursor_ = buffer_.get();
    steps_ = 0;
  }

  std::vector<Operation> operations() override {
    Operation op;  // one metric: "latency", seconds per load
    op.time_metric = "latency";
    op.time_divisor = static_cast<double>(kLoadsPerIteration);
    op.run = [this](std::int64_t n) {
      // One chase across the whole batch: it goes on where the last ended,
      // so that a large working set is really walked, not its first lines.
      cursor_ = k::chase(cursor_, n * kLoadsPerIteration);
      steps_ += n * kLoadsPerIteration;
      sink_ = cursor_;  // observable: the loads cannot be dropped
    };
    return {op};
  }

  Verification verify() override {
    // The links form one cycle over every line ...
    k::CycleCheck cycle = k::check_cycle(buffer_.get(), stride_, lines_);
    // ... and the timed chase ended where the index walk says it must.
    std::uint32_t line = 0;
    for (std::int64_t i = 0; i < steps_ % static_cast<std::int64_t>(lines_);
         ++i)
      line = next_[line];
    const bool at_end = cursor_ == buffer_.get() + line * stride_;
    Verification v;
    v.ok = cycle.inside && cycle.distinct == lines_ &&
           cycle.returned == lines_ && at_end;
    v.detail = "cycle visits " + std::to_string(cycle.distinct) + " of " +
               std::to_string(lines_) + " lines, back at the start after " +
               std::to_string(cycle.returned) + " steps" +
               (cycle.inside ? "" : ", a link leaves the buffer") + "; after " +
               std::to_string(steps_) + " timed loads the chase is " +
               (at_end ? "at the expected line" : "at a wrong line");
    return v;
  }

  ParamSet resolved_params() const override {
    return {{"working_set", static_cast<std::int64_t>(lines_ * stride_)}};
  }

  void teardown() override { buffer_.reset(), next_ = {}; }

 private:
  std::size_t stride_ = 64, lines_ = 0;
  std::unique_ptr<std::byte, FreeDeleter> buffer_;
  std::vector<std::uint32_t> next_;  // the cycle as indices, for verify
  const void* cursor_ = nullptr;
  std::int64_t steps_ = 0;
  const void* volatile sink_ = nullptr;
};

}  // namespace

CB_REGISTER_BENCHMARK(LatencyBenchmark, latency_info());

}  // namespace cb
