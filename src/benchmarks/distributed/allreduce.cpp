// distributed.allreduce: MPI_Allreduce (sum). Every rank ends with the sum of
// every rank's vector; busbw = algbw * 2(n-1)/n.
#include "benchmarks/distributed/collective.hpp"
#include "core/registry.hpp"

namespace cb::collective {
namespace {

class Allreduce final : public CollectiveBenchmark {
  Layout layout(std::size_t count) const override { return {count, count}; }
  double bus_factor(int n) const override { return allreduce_bus_factor(n); }
  void fill_inputs() override {
    Buffer& in = in_place_ ? recv_ : send_;
    for (std::size_t i = 0; i < count_; ++i) in.store(i, input(rank_, i));
  }
  void call() override {
    MPI_Allreduce(send_or_in_place(), recv_buffer(), static_cast<int>(count_),
                  type_.mpi, MPI_SUM, comm_);
  }
  bool has_nccl() const override { return true; }
  bool nccl_in_place() const override { return true; }
  void call_nccl(kernels::Communicator& c) override {
    c.all_reduce(in_place_ ? recv_buffer() : send_buffer(), recv_buffer(),
                 count_, type_.element);
  }
  double expected(std::size_t i) const override {
    return rank_sum(ranks_) * static_cast<double>(i % 7 + 1);
  }
};

}  // namespace

CB_REGISTER_BENCHMARK(
    Allreduce,
    collective_info("distributed.allreduce",
                    "MPI_Allreduce (sum) across all ranks: time min/avg/max, "
                    "algbw, busbw (factor 2(n-1)/n)",
                    {}));

}  // namespace cb::collective
