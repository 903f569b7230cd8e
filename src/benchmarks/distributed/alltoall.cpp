// distributed.alltoall: MPI_Alltoall; size is one rank's whole send vector
// (n blocks, one per destination); busbw = algbw * (n-1)/n.
#include "benchmarks/distributed/collective.hpp"
#include "core/registry.hpp"

namespace cb::collective {
namespace {

class Alltoall final : public CollectiveBenchmark {
  bool blocked() const override { return true; }
  Layout layout(std::size_t count) const override {
    return {in_place_ ? 0 : count, count};
  }
  double bus_factor(int n) const override { return gather_bus_factor(n); }
  void fill_inputs() override {
    Buffer& in = in_place_ ? recv_ : send_;
    for (std::size_t i = 0; i < count_; ++i) in.store(i, input(rank_, i));
  }
  void call() override {
    int n = static_cast<int>(block());
    if (in_place_)
      MPI_Alltoall(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, recv_buffer(), n,
                   type_.mpi, comm_);
    else
      MPI_Alltoall(send_buffer(), n, type_.mpi, recv_buffer(), n, type_.mpi,
                   comm_);
  }
  // Block r of the output is block `rank_` of rank r's input.
  bool has_nccl() const override { return true; }
  void call_nccl(kernels::Communicator& c) override {
    c.all_to_all(send_buffer(), recv_buffer(), block(), type_.element);
  }
  double expected(std::size_t i) const override {
    int from = static_cast<int>(i / block());
    return input(from, rank_ * block() + i % block());
  }
};

}  // namespace

CB_REGISTER_BENCHMARK(
    Alltoall, collective_info("distributed.alltoall",
                              "MPI_Alltoall: time min/avg/max, algbw, busbw "
                              "(factor (n-1)/n)",
                              {}));

}  // namespace cb::collective
