// distributed.bandwidth: one-way streaming bandwidth between a pair of ranks
// (osu_bw's method). Rank 0 keeps a window of non-blocking sends in flight and
// waits for rank 1 to acknowledge the whole window, so an iteration is one
// window and latency is hidden behind it. Rank 1 checks what it received.
#include <mpi.h>

#include <any>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/group.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

constexpr int kDataTag = 42, kAckTag = 43, kAckBytes = 4;
constexpr std::int64_t kMaxWindow = std::int64_t{1} << 20;

BenchmarkInfo bandwidth_info() {
  BenchmarkInfo info;
  info.name = "distributed.bandwidth";
  info.kind = Kind::Distributed;
  info.scope = Scope::Group;
  info.shape = GroupShape::Pair;
  info.backends = {"mpi"};
  info.summary =
      "MPI one-way bandwidth between a pair of ranks, a window of messages "
      "in flight (osu_bw's method)";
  info.params = {
      {"size",
       ParamType::Bytes,
       std::int64_t{1} << 20,
       "message size in bytes",
       {},
       {"sizes"}},
      {"window",
       ParamType::Int,
       std::int64_t{64},
       "messages in flight per iteration",
       {},
       {}},
  };
  info.cost = [](const ParamSet&) { return 0.5; };
  return info;
}

unsigned char pattern(std::size_t i) {
  return static_cast<unsigned char>(i * 7 + 13);
}

class BandwidthBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    CB_CHECK(ctx.group && ctx.group->size() == 2,
             "bandwidth needs a group of two ranks");
    comm_ = std::any_cast<MPI_Comm>(ctx.group->native());
    rank_ = ctx.group->rank();
    std::int64_t size = get_int(ctx.params, "size");
    std::int64_t window = get_int(ctx.params, "window");
    CB_CHECK(size >= 0 && size < (std::int64_t{1} << 31),
             "size must be in [0, 2GiB)");
    // The cap bounds the request array, and size * window stays below 2^51:
    // no overflow in the byte counts below.
    CB_CHECK(window >= 1 && window <= kMaxWindow,
             "window must be in [1, 2^20]");
    size_ = static_cast<int>(size);
    window_ = static_cast<int>(window);
    requests_.assign(static_cast<std::size_t>(window_), MPI_REQUEST_NULL);
    auto bytes = static_cast<std::size_t>(size);
    if (rank_ == 0) {
      // One send buffer for the whole window, as osu_bw: concurrent sends may
      // read the same buffer (MPI 3).
      send_.resize(bytes);
      for (std::size_t i = 0; i < bytes; ++i) send_[i] = pattern(i);
    } else {
      // One receive buffer for the whole window, as OSU: 64 distinct buffers
      // of 1 MiB fall out of cache and measured 0.62x osu_bw. Every message
      // carries the same bytes, so the buffer checks them all.
      std::size_t slots = 1;
      recv_.assign(slots, std::vector<unsigned char>(bytes, 0));
    }
  }

  std::vector<Operation> operations() override {
    Operation op;
    op.time_metric = "window_time";
    op.rates = {
        {"bandwidth", "MB/s", static_cast<double>(size_) * window_ / 1e6}};
    op.run = [this](std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) {
        if (rank_ == 0)
          send();
        else
          receive();
      }
    };
    return {op};
  }

  Verification verify() override {
    if (rank_ == 0) return {true, "rank 0 only sends; rank 1 checks the data"};
    std::size_t wrong = 0, total = 0;
    for (const std::vector<unsigned char>& buf : recv_) {
      for (std::size_t i = 0; i < buf.size(); ++i)
        wrong += buf[i] != pattern(i);
      total += buf.size();
    }
    return {wrong == 0, std::to_string(wrong) + " wrong bytes of " +
                            std::to_string(total) + " received in " +
                            std::to_string(recv_.size()) + " buffers"};
  }

 private:
  void send() {
    for (int j = 0; j < window_; ++j)
      MPI_Isend(send_.data(), size_, MPI_BYTE, 1, kDataTag, comm_,
                &requests_[j]);
    MPI_Waitall(window_, requests_.data(), MPI_STATUSES_IGNORE);
    // The ack makes the time cover delivery, not just local completion.
    MPI_Recv(ack_, kAckBytes, MPI_BYTE, 1, kAckTag, comm_, MPI_STATUS_IGNORE);
  }

  void receive() {
    for (int j = 0; j < window_; ++j)
      MPI_Irecv(recv_[j % recv_.size()].data(), size_, MPI_BYTE, 0, kDataTag,
                comm_, &requests_[j]);
    MPI_Waitall(window_, requests_.data(), MPI_STATUSES_IGNORE);
    MPI_Send(ack_, kAckBytes, MPI_BYTE, 0, kAckTag, comm_);
  }

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 0, window_ = 1;
  std::vector<MPI_Request> requests_;
  std::vector<unsigned char> send_;
  std::vector<std::vector<unsigned char>> recv_;  // rank 1: one per slot or 1
  char ack_[kAckBytes] = {};
};

}  // namespace

CB_REGISTER_BENCHMARK(BandwidthBenchmark, bandwidth_info());

}  // namespace cb
