// distributed.reduce: MPI_Reduce (sum) to a root; busbw = algbw (factor 1).
#include "benchmarks/distributed/collective.hpp"
#include "core/registry.hpp"

namespace cb::collective {
namespace {

class Reduce final : public CollectiveBenchmark {
  Layout layout(std::size_t count) const override { return {count, count}; }
  double bus_factor(int n) const override { return rooted_bus_factor(n); }
  void fill_inputs() override {
    // In place, the root's contribution starts in its receive buffer.
    Buffer& in = in_place_ && is_root() ? recv_ : send_;
    for (std::size_t i = 0; i < count_; ++i) in.store(i, input(rank_, i));
  }
  void call() override {
    const void* in = in_place_ && is_root() ? MPI_IN_PLACE : send_buffer();
    MPI_Reduce(in, recv_buffer(), static_cast<int>(count_), type_.mpi, MPI_SUM,
               root_, comm_);
  }
  bool has_nccl() const override { return true; }
  bool nccl_in_place() const override { return true; }
  void call_nccl(kernels::Communicator& c) override {
    c.reduce(in_place_ && is_root() ? recv_buffer() : send_buffer(),
             recv_buffer(), count_, type_.element, root_);
  }
  bool has_output() const override { return is_root(); }
  double expected(std::size_t i) const override {
    return rank_sum(ranks_) * static_cast<double>(i % 7 + 1);
  }
};

}  // namespace

CB_REGISTER_BENCHMARK(Reduce,
                      collective_info("distributed.reduce",
                                      "MPI_Reduce (sum) to a root rank: time "
                                      "min/avg/max, algbw, busbw (factor 1)",
                                      {.in_place = true, .rooted = true}));

}  // namespace cb::collective
