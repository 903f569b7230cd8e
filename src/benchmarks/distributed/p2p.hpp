// What the MPI point-to-point benchmarks (pingpong, bandwidth, bibw,
// message_rate) share: metadata, parameter checks, the byte patterns they send
// and check, and OSU's windowed send and receive. Each benchmark keeps its own
// tags, so that one case's messages can never match another's.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/benchmark.hpp"
#include "core/error.hpp"

namespace cb::p2p {

// One MPI call takes an int count of bytes.
inline constexpr std::int64_t kMaxMessage = (std::int64_t{1} << 31) - 1;
// Bounds the request array; size * window stays below 2^51 (no overflow in
// the byte counts).
inline constexpr std::int64_t kMaxWindow = std::int64_t{1} << 20;

// Metadata shared by the point-to-point benchmarks: a `size` parameter (alias
// `sizes`) and, when window_doc is not empty, a `window` parameter (default 64,
// as OSU) described by it.
inline BenchmarkInfo p2p_info(const std::string& name, GroupShape shape,
                              const std::string& summary,
                              std::int64_t default_size,
                              const std::string& window_doc = "") {
  BenchmarkInfo info;
  info.name = name;
  info.kind = Kind::Distributed;
  info.scope = Scope::Group;
  info.shape = shape;
  info.backends = {"mpi"};
  info.summary = summary;
  info.params = {
      {"size",
       ParamType::Bytes,
       default_size,
       "message size in bytes",
       {},
       {"sizes"},
       0,
       kMaxMessage},
  };
  if (!window_doc.empty())
    info.params.push_back({"window",
                           ParamType::Int,
                           std::int64_t{64},
                           window_doc,
                           {},
                           {},
                           1,
                           kMaxWindow});
  info.cost = [](const ParamSet&) { return 0.5; };
  return info;
}

// The `size` parameter as an MPI count.
inline int checked_size(const ParamSet& params) {
  std::int64_t size = get_int(params, "size");
  CB_CHECK(size >= 0 && size <= kMaxMessage, "size must be in [0, 2GiB)");
  return static_cast<int>(size);
}

// The `window` parameter.
inline int checked_window(const ParamSet& params) {
  std::int64_t window = get_int(params, "window");
  CB_CHECK(window >= 1 && window <= kMaxWindow, "window must be in [1, 2^20]");
  return static_cast<int>(window);
}

// Byte i of a message from `rank`: each rank sends a different pattern (they
// differ in every byte), so that a message that came back unchanged, or from
// the wrong side, is caught.
inline unsigned char pattern(int rank, std::size_t i) {
  return static_cast<unsigned char>(i * 7 + 13 + rank * 101);
}

// `bytes` bytes of rank's pattern: a send buffer.
inline std::vector<unsigned char> patterned(int rank, std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  for (std::size_t i = 0; i < bytes; ++i) buf[i] = pattern(rank, i);
  return buf;
}

// Bytes of `got` that differ from sender_rank's pattern.
inline std::size_t count_wrong(const std::vector<unsigned char>& got,
                               int sender_rank) {
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < got.size(); ++i)
    wrong += got[i] != pattern(sender_rank, i);
  return wrong;
}

// One end of a pair's message stream.
struct Link {
  MPI_Comm comm = MPI_COMM_NULL;
  int peer = -1;
  int data_tag = 0;
  int ack_tag = 0;  // windowed send/receive only
};

// Posts `window` sends of the whole of `buf` to the peer, into requests[0,
// window). One send buffer for the whole window, as OSU: concurrent sends may
// read the same buffer (MPI 3).
inline void post_sends(const std::vector<unsigned char>& buf, int window,
                       const Link& link, MPI_Request* requests) {
  for (int j = 0; j < window; ++j)
    MPI_Isend(buf.data(), static_cast<int>(buf.size()), MPI_BYTE, link.peer,
              link.data_tag, link.comm, &requests[j]);
}

// Posts `window` receives of buf.size() bytes from the peer, into requests[0,
// window). One receive buffer for the whole window, as OSU: 64 distinct
// buffers of 1 MiB fall out of cache and measured 0.62x osu_bw. Every message
// carries the same bytes, so the buffer checks them all.
inline void post_receives(std::vector<unsigned char>& buf, int window,
                          const Link& link, MPI_Request* requests) {
  for (int j = 0; j < window; ++j)
    MPI_Irecv(buf.data(), static_cast<int>(buf.size()), MPI_BYTE, link.peer,
              link.data_tag, link.comm, &requests[j]);
}

constexpr int kAckBytes = 4;

// The sender's side of one window (osu_bw, osu_mbw_mr): the window's sends,
// then the receiver's ack. The ack makes the time cover delivery, not just
// local completion. `requests` holds at least `window` entries.
inline void send_window(const std::vector<unsigned char>& buf, int window,
                        const Link& link, std::vector<MPI_Request>& requests) {
  post_sends(buf, window, link, requests.data());
  MPI_Waitall(window, requests.data(), MPI_STATUSES_IGNORE);
  char ack[kAckBytes] = {};
  MPI_Recv(ack, kAckBytes, MPI_BYTE, link.peer, link.ack_tag, link.comm,
           MPI_STATUS_IGNORE);
}

// The receiver's side of one window: the window's receives, then the ack.
inline void receive_window(std::vector<unsigned char>& buf, int window,
                           const Link& link,
                           std::vector<MPI_Request>& requests) {
  post_receives(buf, window, link, requests.data());
  MPI_Waitall(window, requests.data(), MPI_STATUSES_IGNORE);
  char ack[kAckBytes] = {};
  MPI_Send(ack, kAckBytes, MPI_BYTE, link.peer, link.ack_tag, link.comm);
}

}  // namespace cb::p2p
