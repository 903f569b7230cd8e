// distributed.allgather: MPI_Allgather; size is the gathered vector (n
// blocks); busbw = algbw * (n-1)/n.
#include "benchmarks/distributed/collective.hpp"
#include "core/registry.hpp"

namespace cb::collective {
namespace {

class Allgather final : public CollectiveBenchmark {
  bool blocked() const override { return true; }
  Layout layout(std::size_t count) const override {
    return {count / ranks_, count};
  }
  double bus_factor(int n) const override { return gather_bus_factor(n); }
  void fill_inputs() override {
    // In place, a rank's block already sits at its place in the output.
    for (std::size_t j = 0; j < block(); ++j) {
      if (in_place_)
        recv_.store(rank_ * block() + j, input(rank_, j));
      else
        send_.store(j, input(rank_, j));
    }
  }
  void call() override {
    int n = static_cast<int>(block());
    if (in_place_)
      MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, recv_buffer(), n,
                    type_.mpi, comm_);
    else
      MPI_Allgather(send_buffer(), n, type_.mpi, recv_buffer(), n, type_.mpi,
                    comm_);
  }
  bool has_nccl() const override { return true; }
  bool nccl_in_place() const override { return true; }
  void call_nccl(kernels::Communicator& c) override {
    // In place, NCCL reads this rank's block from its place in the output.
    char* own =
        static_cast<char*>(recv_buffer()) + rank_ * block() * type_.bytes;
    c.all_gather(in_place_ ? own : send_buffer(), recv_buffer(), block(),
                 type_.element);
  }
  double expected(std::size_t i) const override {
    return input(static_cast<int>(i / block()), i % block());
  }
};

}  // namespace

CB_REGISTER_BENCHMARK(
    Allgather, collective_info("distributed.allgather",
                               "MPI_Allgather: time min/avg/max, algbw, busbw "
                               "(factor (n-1)/n)",
                               {}));

}  // namespace cb::collective
