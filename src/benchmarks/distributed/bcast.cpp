// distributed.bcast: MPI_Bcast of the root's vector; busbw = algbw (factor 1).
#include "benchmarks/distributed/collective.hpp"
#include "core/registry.hpp"

namespace cb::collective {
namespace {

class Bcast final : public CollectiveBenchmark {
  // One buffer: the root's data goes out of it, everyone else's comes in.
  Layout layout(std::size_t count) const override { return {0, count}; }
  double bus_factor(int n) const override { return rooted_bus_factor(n); }
  void fill_inputs() override {
    if (is_root())
      for (std::size_t i = 0; i < count_; ++i) recv_.store(i, input(root_, i));
  }
  void call() override {
    MPI_Bcast(recv_buffer(), static_cast<int>(count_), type_.mpi, root_, comm_);
  }
  bool has_nccl() const override { return true; }
  void call_nccl(kernels::Communicator& c) override {
    c.broadcast(recv_buffer(), recv_buffer(), count_, type_.element, root_);
  }
  double expected(std::size_t i) const override { return input(root_, i); }
};

}  // namespace

CB_REGISTER_BENCHMARK(
    Bcast, collective_info("distributed.bcast",
                           "MPI_Bcast from a root rank: time min/avg/max, "
                           "algbw, busbw (factor 1)",
                           {.in_place = false, .rooted = true}));

}  // namespace cb::collective
