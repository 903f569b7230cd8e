// distributed.reduce_scatter: MPI_Reduce_scatter_block (sum); size is the
// full input vector, each rank keeps one reduced block; busbw factor (n-1)/n.
#include "benchmarks/distributed/collective.hpp"
#include "core/registry.hpp"

namespace cb::collective {
namespace {

class ReduceScatter final : public CollectiveBenchmark {
  bool blocked() const override { return true; }
  // In place, the full input and the result share the receive buffer.
  Layout layout(std::size_t count) const override {
    return {count, in_place_ ? count : count / ranks_};
  }
  double bus_factor(int n) const override { return gather_bus_factor(n); }
  void fill_inputs() override {
    Buffer& in = in_place_ ? recv_ : send_;
    for (std::size_t i = 0; i < count_; ++i) in.store(i, input(rank_, i));
  }
  void call() override {
    MPI_Reduce_scatter_block(send_or_in_place(), recv_buffer(),
                             static_cast<int>(block()), type_.mpi, MPI_SUM,
                             comm_);
  }
  // In place, only the first block of the buffer is this rank's result.
  std::size_t output_count() const override { return block(); }
  bool has_nccl() const override { return true; }
  void call_nccl(kernels::Communicator& c) override {
    c.reduce_scatter(send_buffer(), recv_buffer(), block(), type_.element);
  }
  double expected(std::size_t i) const override {
    std::size_t global = rank_ * block() + i;
    return rank_sum(ranks_) * static_cast<double>(global % 7 + 1);
  }
};

}  // namespace

CB_REGISTER_BENCHMARK(
    ReduceScatter,
    collective_info("distributed.reduce_scatter",
                    "MPI_Reduce_scatter_block (sum): time min/avg/max, "
                    "algbw, busbw (factor (n-1)/n)",
                    {}));

}  // namespace cb::collective
