#include "cluster/mpi_context.hpp"

#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace cb {

MpiContext::MpiContext(int* argc, char*** argv) {
  // No mpi_yield_when_idle here: it made 8-byte latency 40% higher than
  // osu_latency's. Ranks that wait for others wait politely (test and sleep)
  // in barrier_politely instead; oversubscribed runs get Open MPI's own
  // yielding.
  MPI_Init_thread(
      argc, argv,
      requested_thread_level(std::getenv("CLUSTERBENCH_MPI_THREADS")),
      &thread_level_);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_,
                      MPI_INFO_NULL, &node_);
  MPI_Comm_rank(node_, &node_rank_);
  node_leader_ = rank_;
  MPI_Bcast(&node_leader_, 1, MPI_INT, 0, node_);
}

int requested_thread_level(const char* env) {
  const std::string value = env ? env : "";
  if (value.empty() || value == "single") return MPI_THREAD_SINGLE;
  if (value == "funneled") return MPI_THREAD_FUNNELED;
  if (value == "serialized") return MPI_THREAD_SERIALIZED;
  if (value == "multiple") return MPI_THREAD_MULTIPLE;
  throw Error(ErrorKind::Input,
              "CLUSTERBENCH_MPI_THREADS='" + value +
                  "': expected single, funneled, serialized or multiple");
}

const char* thread_level_name(int level) {
  switch (level) {
    case MPI_THREAD_SINGLE: return "single";
    case MPI_THREAD_FUNNELED: return "funneled";
    case MPI_THREAD_SERIALIZED: return "serialized";
    case MPI_THREAD_MULTIPLE: return "multiple";
  }
  return "unknown";
}

std::string MpiContext::thread_level() const {
  return thread_level_name(thread_level_);
}

MpiContext::~MpiContext() {
  if (node_ != MPI_COMM_NULL) MPI_Comm_free(&node_);
  MPI_Finalize();
}

std::string MpiContext::library_version() const {
  char buffer[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  MPI_Get_library_version(buffer, &length);
  std::string version(buffer, length);
  // Open MPI appends a long build description after the first line.
  if (auto newline = version.find_first_of("\r\n,");
      newline != std::string::npos)
    version.resize(newline);
  return version;
}

void MpiContext::abort(int exit_code) const {
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);
}

void wait_politely(MPI_Request& request, const std::function<void()>& poll) {
  int done = 0;
  MPI_Test(&request, &done, MPI_STATUS_IGNORE);
  while (!done) {
    // A rank waiting for others must notice a signal too.
    throw_if_interrupted();
    if (poll) poll();
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
  }
}

void barrier_politely(MPI_Comm comm, const std::function<void()>& poll) {
  MPI_Request request;
  MPI_Ibarrier(comm, &request);
  wait_politely(request, poll);
}

}  // namespace cb
