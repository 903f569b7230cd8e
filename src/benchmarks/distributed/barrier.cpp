// distributed.barrier: MPI_Barrier across all ranks; time only (no data).
#include <mpi.h>

#include <any>

#include "core/error.hpp"
#include "core/group.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

BenchmarkInfo barrier_info() {
  BenchmarkInfo info;
  info.name = "distributed.barrier";
  info.kind = Kind::Distributed;
  info.scope = Scope::Group;
  info.shape = GroupShape::AllRanks;
  info.backends = {"mpi"};
  info.summary = "MPI_Barrier across all ranks: time min/avg/max";
  info.cost = [](const ParamSet&) { return 0.3; };
  return info;
}

class BarrierBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    CB_CHECK(ctx.group != nullptr, "barrier runs on a group of ranks");
    comm_ = std::any_cast<MPI_Comm>(ctx.group->native());
  }
  std::vector<Operation> operations() override {
    Operation op;
    op.run = [this](std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) MPI_Barrier(comm_);
    };
    return {op};
  }
  // A barrier has no output; that every rank came back is the check.
  Verification verify() override { return {true, "no output to check"}; }

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
};

}  // namespace

CB_REGISTER_BENCHMARK(BarrierBenchmark, barrier_info());

}  // namespace cb
