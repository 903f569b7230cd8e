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

#include "core/error.hpp"
#include "core/group.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

constexpr int kTag = 44;
constexpr std::int64_t kMaxWindow = std::int64_t{1} << 20;

BenchmarkInfo bibw_info() {
  BenchmarkInfo info;
  info.name = "distributed.bibw";
  info.kind = Kind::Distributed;
  info.scope = Scope::Group;
  info.shape = GroupShape::Pair;
  info.backends = {"mpi"};
  info.summary =
      "MPI bidirectional bandwidth between a pair of ranks, a window of "
      "messages in flight each way (osu_bibw's method)";
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
       "messages in flight per direction per iteration",
       {},
       {}},
  };
  info.cost = [](const ParamSet&) { return 0.5; };
  return info;
}

// Byte i of a message from `rank`: the two directions differ in every byte.
unsigned char pattern(int rank, std::size_t i) {
  auto byte = static_cast<unsigned char>(i * 7 + 13);
  return rank == 0 ? byte : static_cast<unsigned char>(byte ^ 0x5a);
}

class BibwBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    CB_CHECK(ctx.group && ctx.group->size() == 2,
             "bibw needs a group of two ranks");
    comm_ = std::any_cast<MPI_Comm>(ctx.group->native());
    rank_ = ctx.group->rank();
    peer_ = 1 - rank_;
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
    // Receives first, then sends: one Waitall over both halves.
    requests_.assign(2 * static_cast<std::size_t>(window_), MPI_REQUEST_NULL);
    auto bytes = static_cast<std::size_t>(size);
    // One send buffer for the whole window, as osu_bibw: concurrent sends may
    // read the same buffer (MPI 3).
    send_.resize(bytes);
    for (std::size_t i = 0; i < bytes; ++i) send_[i] = pattern(rank_, i);
    // One receive buffer for the whole window, as OSU: 64 distinct buffers
    // of 1 MiB fall out of cache and measured 0.62x osu_bw. Every message
    // carries the same bytes, so the buffer checks them all.
    std::size_t slots = 1;
    recv_.assign(slots, std::vector<unsigned char>(bytes, 0));
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
    std::size_t wrong = 0, total = 0;
    for (const std::vector<unsigned char>& buf : recv_) {
      for (std::size_t i = 0; i < buf.size(); ++i)
        wrong += buf[i] != pattern(peer_, i);
      total += buf.size();
    }
    return {wrong == 0, std::to_string(wrong) + " wrong bytes of " +
                            std::to_string(total) + " received from rank " +
                            std::to_string(peer_) + " in " +
                            std::to_string(recv_.size()) + " buffers"};
  }

 private:
  void exchange() {
    // Receives first, as osu_bibw: most messages then find a posted receive.
    for (int j = 0; j < window_; ++j)
      MPI_Irecv(recv_[j % recv_.size()].data(), size_, MPI_BYTE, peer_, kTag,
                comm_, &requests_[j]);
    for (int j = 0; j < window_; ++j)
      MPI_Isend(send_.data(), size_, MPI_BYTE, peer_, kTag, comm_,
                &requests_[window_ + j]);
    MPI_Waitall(2 * window_, requests_.data(), MPI_STATUSES_IGNORE);
  }

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, peer_ = 1, size_ = 0, window_ = 1;
  std::vector<MPI_Request> requests_;
  std::vector<unsigned char> send_;
  std::vector<std::vector<unsigned char>> recv_;  // one per slot, or one
};

}  // namespace

CB_REGISTER_BENCHMARK(BibwBenchmark, bibw_info());

}  // namespace cb
