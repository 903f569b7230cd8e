// distributed.message_rate: aggregate message rate and bandwidth of many pairs
// streaming at once (osu_mbw_mr's method). Group rank r < n/2 sends windows of
// messages to rank r + n/2, which acknowledges each window; with an odd n the
// last rank idles. Receivers check what they got.
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

constexpr int kDataTag = 45, kAckTag = 46;

enum class Role { Sender, Receiver, Idle };

class MessageRateBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    CB_CHECK(ctx.group && ctx.group->size() >= 2,
             "message_rate needs a group of at least two ranks");
    comm_ = std::any_cast<MPI_Comm>(ctx.group->native());
    size_ = p2p::checked_size(ctx.params);
    window_ = p2p::checked_window(ctx.params);
    pairs_ = ctx.group->size() / 2;
    int rank = ctx.group->rank();
    role_ = rank < pairs_       ? Role::Sender
            : rank < 2 * pairs_ ? Role::Receiver
                                : Role::Idle;
    int peer = -1;
    if (role_ != Role::Idle)
      peer = role_ == Role::Sender ? rank + pairs_ : rank - pairs_;
    link_ = {comm_, peer, kDataTag, kAckTag};
    requests_.assign(static_cast<std::size_t>(window_), MPI_REQUEST_NULL);
    auto bytes = static_cast<std::size_t>(size_);
    // Every sender sends the same bytes: rank 0's pattern.
    if (role_ == Role::Sender)
      send_ = p2p::patterned(0, bytes);
    else if (role_ == Role::Receiver)
      recv_.assign(bytes, 0);
  }

  std::vector<Operation> operations() override {
    Operation op;
    op.time_metric = "window_time";
    double messages = static_cast<double>(pairs_) * window_;
    op.rates = {{"message_rate", "Mmsg/s", messages / 1e6},
                {"bandwidth", "MB/s", messages * size_ / 1e6}};
    op.run = [this](std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) {
        if (role_ == Role::Sender)
          p2p::send_window(send_, window_, link_, requests_);
        if (role_ == Role::Receiver)
          p2p::receive_window(recv_, window_, link_, requests_);
      }
      // The loop derives the rates from the mean time of all members. Ending
      // together makes every member's time that of the slowest pair, as
      // osu_mbw_mr reports the slowest rank's: an idle rank (odd n) or a fast
      // pair would otherwise pull the mean down and inflate the rates. One
      // barrier per batch costs little against a sample of >= 1 ms.
      MPI_Barrier(comm_);
    };
    return {op};
  }

  Verification verify() override {
    if (role_ != Role::Receiver)
      return {true, role_ == Role::Sender ? "a sender; its receiver checks"
                                          : "idle (odd group size)"};
    std::size_t wrong = p2p::count_wrong(recv_, 0);
    return {wrong == 0, std::to_string(wrong) + " wrong bytes of " +
                            std::to_string(recv_.size()) +
                            " received in 1 buffers"};
  }

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
  p2p::Link link_;
  Role role_ = Role::Idle;
  int pairs_ = 0, size_ = 0, window_ = 1;
  std::vector<MPI_Request> requests_;
  std::vector<unsigned char> send_, recv_;  // senders send, receivers receive
};

}  // namespace

CB_REGISTER_BENCHMARK(
    MessageRateBenchmark,
    p2p::p2p_info("distributed.message_rate", GroupShape::AllRanks,
                  "MPI aggregate message rate and bandwidth of n/2 pairs "
                  "streaming windows of messages at once (osu_mbw_mr's method)",
                  std::int64_t{8},
                  "messages in flight per pair per iteration"));

}  // namespace cb
