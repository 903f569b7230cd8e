// distributed.gather: MPI_Gather to a root; size is the gathered vector (n
// blocks); busbw = algbw * (n-1)/n as nccl-tests counts it.
#include "benchmarks/distributed/collective.hpp"
#include "core/registry.hpp"

namespace cb::collective {
namespace {

class Gather final : public CollectiveBenchmark {
  bool blocked() const override { return true; }
  Layout layout(std::size_t count) const override {
    return {count / ranks_, is_root() ? count : 0};
  }
  double bus_factor(int n) const override { return gather_bus_factor(n); }
  void call() override {
    int n = static_cast<int>(block());
    MPI_Gather(send_buffer(), n, type_.mpi, recv_buffer(), n, type_.mpi, root_,
               comm_);
  }
  bool has_output() const override { return is_root(); }
  double expected(std::size_t i) const override {
    return input(static_cast<int>(i / block()), i % block());
  }
};

}  // namespace

CB_REGISTER_BENCHMARK(
    Gather, collective_info("distributed.gather",
                            "MPI_Gather to a root rank: time min/avg/max, "
                            "algbw, busbw (factor (n-1)/n)",
                            {.in_place = false, .rooted = true}));

}  // namespace cb::collective
