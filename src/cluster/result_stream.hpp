// Results travel to rank 0 as each case finishes, not at the end: a killed
// job then still has every finished case in its file.
#pragma once

#include <mpi.h>

#include <functional>
#include <list>
#include <string>

#include "core/result.hpp"

namespace cb {

inline constexpr int kResultTag = 7001;

// On ranks other than 0: non-blocking sends, so a rank never waits for rank 0
// to be ready before going on with its next case.
class ResultSender {
 public:
  explicit ResultSender(MPI_Comm comm) : comm_(comm) {}
  void send(const CaseResult& result);
  // Waits until rank 0 has received everything sent (calls `poll` meanwhile).
  void drain(const std::function<void()>& poll);

 private:
  struct Pending {
    std::string bytes;
    MPI_Request request;
  };
  void reap();
  MPI_Comm comm_;
  std::list<Pending> pending_;  // a list: buffers must not move while in flight
};

// On rank 0: hands every result that has arrived to `sink`.
class ResultReceiver {
 public:
  ResultReceiver(MPI_Comm comm, std::function<void(CaseResult)> sink)
      : comm_(comm), sink_(std::move(sink)) {}
  // Starts receiving what has arrived and hands over what is complete;
  // never blocks (a large result moves only as fast as its sender calls MPI,
  // and rank 0 must not wait for a rank that is busy measuring).
  // Returns how many results it handed to the sink.
  int poll();
  // Blocks (politely) until `count` more results have arrived.
  void receive(int count);

 private:
  struct Incoming {
    std::string bytes;
    MPI_Request request;
  };
  MPI_Comm comm_;
  std::function<void(CaseResult)> sink_;
  std::list<Incoming> incoming_;
};

}  // namespace cb
