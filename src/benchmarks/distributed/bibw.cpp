// distributed.bibw: bidirectional bandwidth between a pair of ranks
// (osu_bibw's method). Both ranks post a window of receives, then a window of
// sends to each other, and wait for all of them: an iteration is one window in
// each direction. The ranks send different patterns, and each checks what it
// received, so a message crossed with the rank's own send buffer is caught.
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

constexpr int kTag = 44;

class BibwBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    CB_CHECK(ctx.group && ctx.group->size() == 2,
             "bibw needs a group of two ranks");
    int rank = ctx.group->rank();
    link_ = {std::any_cast<MPI_Comm>(ctx.group->native()), 1 - rank, kTag};
    size_ = p2p::checked_size(ctx.params);
    window_ = p2p::checked_window(ctx.params);
    // Receives first, then sends: one Waitall over both halves.
    requests_.assign(2 * static_cast<std::size_t>(window_), MPI_REQUEST_NULL);
    auto bytes = static_cast<std::size_t>(size_);
    send_ = p2p::patterned(rank, bytes);
    recv_.assign(bytes, 0);
  }

  std::vector<Operation> operations() override {
    Operation op;
    op.time_metric = "window_time";
    op.rates = {{"bandwidth", "MB/s",
                 2.0 * static_cast<double>(size_) * window_ / 1e6}};
    op.run = [this](std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) exchange();
    };
    return {op};
  }

  Verification verify() override {
    std::size_t wrong = p2p::count_wrong(recv_, link_.peer);
    return {wrong == 0, std::to_string(wrong) + " wrong bytes of " +
                            std::to_string(recv_.size()) +
                            " received from rank " +
                            std::to_string(link_.peer) + " in 1 buffers"};
  }

 private:
  void exchange() {
    // Receives first, as osu_bibw: most messages then find a posted receive.
    p2p::post_receives(recv_, window_, link_, requests_.data());
    p2p::post_sends(send_, window_, link_, requests_.data() + window_);
    MPI_Waitall(2 * window_, requests_.data(), MPI_STATUSES_IGNORE);
  }

  p2p::Link link_;
  int size_ = 0, window_ = 1;
  std::vector<MPI_Request> requests_;
  std::vector<unsigned char> send_, recv_;
};

}  // namespace

CB_REGISTER_BENCHMARK(
    BibwBenchmark,
    p2p::p2p_info("distributed.bibw", GroupShape::Pair,
                  "MPI bidirectional bandwidth between a pair of ranks, a "
                  "window of messages in flight each way (osu_bibw's method)",
                  std::int64_t{1} << 20,
                  "messages in flight per direction per iteration"));

}  // namespace cb
