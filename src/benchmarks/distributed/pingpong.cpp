// distributed.pingpong: round trips of one message between two ranks
// (osu_latency's method): latency is half a round trip; bandwidth is the
// message size over that latency. The echo is checked byte for byte.
#include <mpi.h>

#include <any>
#include <string>
#include <vector>

#include "benchmarks/distributed/p2p.hpp"
#include "core/error.hpp"
#include "core/group.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

constexpr int kTag = 41;

BenchmarkInfo pingpong_info() {
  BenchmarkInfo info = p2p::p2p_info(
      "distributed.pingpong", GroupShape::Pair,
      "MPI point-to-point latency and bandwidth between a pair of ranks",
      std::int64_t{8});
  info.params.push_back(
      {"all_pairs",
       ParamType::Bool,
       false,
       "every pair of ranks (a rank x rank matrix) instead of one intra- and "
       "one "
       "inter-node pair",
       {},
       {}});
  return info;
}

class PingPongBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    CB_CHECK(ctx.group && ctx.group->size() == 2,
             "pingpong needs a group of two ranks");
    comm_ = std::any_cast<MPI_Comm>(ctx.group->native());
    rank_ = ctx.group->rank();
    peer_ = 1 - rank_;
    size_ = p2p::checked_size(ctx.params);
    // As osu_latency: each rank sends from a buffer it never writes into and
    // receives into another (echoing freshly received data instead measured
    // 2x the latency at 64 KiB intra-node). Both directions are checked.
    send_ = p2p::patterned(rank_, static_cast<std::size_t>(size_));
    recv_.assign(send_.size(), 0);
  }

  std::vector<Operation> operations() override {
    Operation op;
    op.time_metric = "latency";
    op.time_divisor = 2;  // one iteration is a round trip: two one-way trips
    op.rates = {{"bandwidth", "MB/s", size_ / 1e6}};
    op.run = [this](std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) {
        if (rank_ == 0) {
          MPI_Send(send_.data(), size_, MPI_BYTE, peer_, kTag, comm_);
          MPI_Recv(recv_.data(), size_, MPI_BYTE, peer_, kTag, comm_,
                   MPI_STATUS_IGNORE);
        } else {
          MPI_Recv(recv_.data(), size_, MPI_BYTE, peer_, kTag, comm_,
                   MPI_STATUS_IGNORE);
          MPI_Send(send_.data(), size_, MPI_BYTE, peer_, kTag, comm_);
        }
      }
    };
    return {op};
  }

  Verification verify() override {
    std::size_t wrong = p2p::count_wrong(recv_, peer_);
    return {wrong == 0, std::to_string(wrong) + " wrong bytes of " +
                            std::to_string(recv_.size()) +
                            " received from rank " + std::to_string(peer_) +
                            " of the pair"};
  }

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, peer_ = 1, size_ = 0;
  std::vector<unsigned char> send_, recv_;
};

}  // namespace

CB_REGISTER_BENCHMARK(PingPongBenchmark, pingpong_info());

}  // namespace cb
