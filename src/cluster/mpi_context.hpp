// RAII ownership of MPI for one process: initialises it (as one rank when the
// program was started without a launcher) and finalises it on scope exit.
#pragma once

#include <mpi.h>

#include <functional>
#include <string>

namespace cb {

class MpiContext {
 public:
  MpiContext(int* argc, char*** argv);
  ~MpiContext();
  MpiContext(const MpiContext&) = delete;
  MpiContext& operator=(const MpiContext&) = delete;

  MPI_Comm world() const { return MPI_COMM_WORLD; }
  MPI_Comm node() const { return node_; }  // ranks sharing this node's memory
  int rank() const { return rank_; }
  int size() const { return size_; }
  int node_rank() const { return node_rank_; }
  int node_leader() const { return node_leader_; }  // world rank of node_rank 0
  std::string library_version() const;
  // The thread support MPI_Init_thread provided: "single", "funneled", ...
  std::string thread_level() const;

  // Ends every rank of the job now (used when ranks cannot agree any more).
  [[noreturn]] void abort(int exit_code) const;

 private:
  MPI_Comm node_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1, node_rank_ = 0, node_leader_ = 0;
  int thread_level_ = MPI_THREAD_SINGLE;
};

// The thread support to ask MPI for, from CLUSTERBENCH_MPI_THREADS (null or
// empty: "single"; else "single", "funneled", "serialized" or "multiple";
// anything else is an input error naming the variable). Single by default:
// only the main thread ever calls MPI (the benchmarks' worker threads and
// the watchdog never do), and Open MPI 4.1 adds 0.06 us (+23%) to every
// shared-memory message under MPI_THREAD_FUNNELED, which osu_latency does
// not pay (docs/validation.md).
int requested_thread_level(const char* env);
const char* thread_level_name(int level);

// Waits for `request` without spinning a core at 100%: tests it, runs `poll`
// (rank 0 drains results there) and naps. Waiting ranks must not steal the
// cores of a rank that is measuring on the same node.
void wait_politely(MPI_Request& request, const std::function<void()>& poll);
void barrier_politely(MPI_Comm comm, const std::function<void()>& poll);

}  // namespace cb
