// distributed.bandwidth: one-way streaming bandwidth between a pair of ranks
// (osu_bw's method). Rank 0 keeps a window of non-blocking sends in flight and
// waits for rank 1 to acknowledge the whole window, so an iteration is one
// window and latency is hidden behind it. Rank 1 checks what it received.
#include <mpi.h>

#include <any>
#include <cstdint>
#include <string>
#include <vector>

#include "benchmarks/distributed/p2p.hpp"
#include "core/error.hpp"
#include "core/group.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

constexpr int kDataTag = 42, kAckTag = 43;

class BandwidthBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    CB_CHECK(ctx.group && ctx.group->size() == 2,
             "bandwidth needs a group of two ranks");
    rank_ = ctx.group->rank();
    link_ = {std::any_cast<MPI_Comm>(ctx.group->native()), 1 - rank_, kDataTag,
             kAckTag};
    size_ = p2p::checked_size(ctx.params);
    window_ = p2p::checked_window(ctx.params);
    requests_.assign(static_cast<std::size_t>(window_), MPI_REQUEST_NULL);
    auto bytes = static_cast<std::size_t>(size_);
    if (rank_ == 0)
      send_ = p2p::patterned(0, bytes);
    else
      recv_.assign(bytes, 0);
  }

  std::vector<Operation> operations() override {
    Operation op;
    op.time_metric = "window_time";
    op.rates = {
        {"bandwidth", "MB/s", static_cast<double>(size_) * window_ / 1e6}};
    op.run = [this](std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) {
        if (rank_ == 0)
          p2p::send_window(send_, window_, link_, requests_);
        else
          p2p::receive_window(recv_, window_, link_, requests_);
      }
    };
    return {op};
  }

  Verification verify() override {
    if (rank_ == 0) return {true, "rank 0 only sends; rank 1 checks the data"};
    std::size_t wrong = p2p::count_wrong(recv_, 0);
    return {wrong == 0, std::to_string(wrong) + " wrong bytes of " +
                            std::to_string(recv_.size()) +
                            " received in 1 buffers"};
  }

 private:
  p2p::Link link_;
  int rank_ = 0, size_ = 0, window_ = 1;
  std::vector<MPI_Request> requests_;
  std::vector<unsigned char> send_, recv_;  // rank 0 sends, rank 1 receives
};

}  // namespace

CB_REGISTER_BENCHMARK(
    BandwidthBenchmark,
    p2p::p2p_info("distributed.bandwidth", GroupShape::Pair,
                  "MPI one-way bandwidth between a pair of ranks, a window of "
                  "messages in flight (osu_bw's method)",
                  std::int64_t{1} << 20, "messages in flight per iteration"));

}  // namespace cb
