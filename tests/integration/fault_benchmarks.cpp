// Benchmarks that misbehave on purpose, linked only into the integration
// tests' copy of the program (clusterbench-faults), never into clusterbench.
// `fail_rank` picks the world rank that misbehaves (-1: none).
#include <fcntl.h>
#include <mpi.h>
#include <unistd.h>

#include <any>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "benchmarks/distributed/collective.hpp"
#include "core/group.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

BenchmarkInfo make_info(const std::string& name, Kind kind, Scope scope,
                        const std::string& what) {
  BenchmarkInfo info;
  info.name = name;
  info.kind = kind;
  info.scope = scope;
  info.shape = scope == Scope::Group ? GroupShape::AllRanks : GroupShape::None;
  info.backends = {scope == Scope::Group ? "mpi" : "cpu"};
  info.summary = what;
  info.params = {{"fail_rank",
                  ParamType::Int,
                  std::int64_t{-1},
                  "world rank that misbehaves",
                  {},
                  {}}};
  return info;
}

// Does nothing measurable: its wall time minus its measured time is the
// framework's overhead per case.
class Noop : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    rank_ = ctx.resources.world_rank;
    fail_ = get_int(ctx.params, "fail_rank") == rank_;
  }
  std::vector<Operation> operations() override {
    Operation op;
    op.run = [this](std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) sink_ = sink_ + 1;
    };
    return {op};
  }
  Verification verify() override {
    return {true, "a test benchmark: no output to check"};
  }

 protected:
  int rank_ = 0;
  bool fail_ = false;
  volatile std::int64_t sink_ = 0;
};

class FailSetup final : public Noop {
 public:
  void setup(const CaseContext& ctx) override {
    Noop::setup(ctx);
    if (fail_) throw std::runtime_error("injected setup failure");
  }
};

class WrongResult final : public Noop {
 public:
  Verification verify() override {
    return {!fail_, fail_ ? "injected wrong result" : "ok"};
  }
};

// Throws in the middle of timing, while the other members are inside a
// collective: only ending the job can save them.
class FatalMidRun final : public Noop {
 public:
  std::vector<Operation> operations() override {
    auto ops = Noop::operations();
    ops[0].run = [this](std::int64_t) {
      if (fail_) throw std::runtime_error("injected fatal error mid-run");
    };
    return ops;
  }
};

// Sleeps 50 ms per iteration: a long case, planned before everything else.
class Slow final : public Noop {
 public:
  std::vector<Operation> operations() override {
    auto ops = Noop::operations();
    ops[0].run = [](std::int64_t n) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50 * n));
    };
    return ops;
  }
};

// Never comes back: the measurement loop cannot stop it, the watchdog must.
class Hang final : public Noop {
 public:
  std::vector<Operation> operations() override {
    auto ops = Noop::operations();
    ops[0].run = [](std::int64_t) {
      std::this_thread::sleep_for(std::chrono::hours(1));
    };
    return ops;
  }
};

BenchmarkInfo slow_info() {
  BenchmarkInfo info = make_info("hardware.test_slow", Kind::Hardware,
                                 Scope::Local, "sleeps 50 ms per iteration");
  info.cost = [](const ParamSet&) { return 1000.0; };
  return info;
}

// Sleeps like Slow, but holds a per-host lock file while set up: a second
// case starting on the same host while one runs fails with "overlap". With
// isolation = "node" that must never happen.
class Overlap final : public Noop {
 public:
  void setup(const CaseContext& ctx) override {
    Noop::setup(ctx);
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    lock_ = get_string(ctx.params, "lock_dir") + "/" + host + ".lock";
    int fd = open(lock_.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0644);
    if (fd < 0) {
      lock_.clear();
      throw std::runtime_error(std::string("overlap: another case runs on ") +
                               host);
    }
    close(fd);
  }
  std::vector<Operation> operations() override {
    auto ops = Noop::operations();
    ops[0].run = [](std::int64_t n) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * n));
    };
    return ops;
  }
  void teardown() override {
    if (!lock_.empty()) unlink(lock_.c_str());
  }

 private:
  std::string lock_;
};

BenchmarkInfo overlap_info() {
  BenchmarkInfo info =
      make_info("hardware.test_overlap", Kind::Hardware, Scope::Local,
                "fails when another case runs on its host");
  info.params.push_back({"lock_dir",
                         ParamType::String,
                         std::string("/tmp"),
                         "where the lock files go",
                         {},
                         {}});
  return info;
}

// A real allreduce whose output one rank corrupts in a single element: the
// collective harness's validation must fail the case.
class CorruptAllreduce final : public collective::CollectiveBenchmark {
  Layout layout(std::size_t count) const override { return {count, count}; }
  double bus_factor(int n) const override {
    return collective::allreduce_bus_factor(n);
  }
  void call() override {
    MPI_Allreduce(send_.data(), recv_.data(), static_cast<int>(count_),
                  type_.mpi, MPI_SUM, comm_);
    if (rank_ == 1) recv_.store(count_ / 2, -1.0);
  }
  double expected(std::size_t i) const override {
    return collective::rank_sum(ranks_) * static_cast<double>(i % 7 + 1);
  }
};

}  // namespace

CB_REGISTER_BENCHMARK(
    CorruptAllreduce,
    collective::collective_info("distributed.test_corrupt",
                                "allreduce with one corrupted element", {}));
CB_REGISTER_BENCHMARK(Slow, slow_info());
CB_REGISTER_BENCHMARK(Hang,
                      make_info("hardware.test_hang", Kind::Hardware,
                                Scope::Local,
                                "never returns from its first iteration"));
CB_REGISTER_BENCHMARK(Overlap, overlap_info());
CB_REGISTER_BENCHMARK(Noop, make_info("hardware.test_noop", Kind::Hardware,
                                      Scope::Local,
                                      "does nothing (framework overhead)"));
CB_REGISTER_BENCHMARK(FailSetup,
                      make_info("hardware.test_fail_setup", Kind::Hardware,
                                Scope::Local, "setup throws on fail_rank"));
using GroupFailSetup = FailSetup;
CB_REGISTER_BENCHMARK(GroupFailSetup, make_info("distributed.test_fail_setup",
                                                Kind::Distributed, Scope::Group,
                                                "setup throws on fail_rank"));
CB_REGISTER_BENCHMARK(WrongResult,
                      make_info("distributed.test_wrong", Kind::Distributed,
                                Scope::Group,
                                "verification fails on fail_rank"));
CB_REGISTER_BENCHMARK(FatalMidRun,
                      make_info("distributed.test_fatal", Kind::Distributed,
                                Scope::Group,
                                "throws mid-collective on fail_rank"));

}  // namespace cb
