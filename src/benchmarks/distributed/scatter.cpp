// distributed.scatter: MPI_Scatter from a root; size is the root's whole
// vector (n blocks); busbw = algbw * (n-1)/n as nccl-tests counts it.
#include "benchmarks/distributed/collective.hpp"
#include "core/registry.hpp"

namespace cb::collective {
namespace {

class Scatter final : public CollectiveBenchmark {
  bool blocked() const override { return true; }
  Layout layout(std::size_t count) const override {
    return {is_root() ? count : 0, count / ranks_};
  }
  double bus_factor(int n) const override { return gather_bus_factor(n); }
  void fill_inputs() override {
    if (is_root())
      for (std::size_t i = 0; i < count_; ++i) send_.store(i, input(root_, i));
  }
  void call() override {
    int n = static_cast<int>(block());
    MPI_Scatter(send_buffer(), n, type_.mpi, recv_buffer(), n, type_.mpi, root_,
                comm_);
  }
  double expected(std::size_t i) const override {
    return input(root_, rank_ * block() + i);
  }
};

}  // namespace

CB_REGISTER_BENCHMARK(
    Scatter, collective_info("distributed.scatter",
                             "MPI_Scatter from a root rank: time "
                             "min/avg/max, algbw, busbw (factor (n-1)/n)",
                             {.in_place = false, .rooted = true}));

}  // namespace cb::collective
