#include "cluster/result_stream.hpp"

#include <chrono>
#include <thread>

#include "cluster/serialization.hpp"

namespace cb {

void ResultSender::send(const CaseResult& result) {
  reap();
  Pending& p = pending_.emplace_back();
  p.bytes = to_bytes(result);
  MPI_Isend(p.bytes.data(), static_cast<int>(p.bytes.size()), MPI_BYTE, 0,
            kResultTag, comm_, &p.request);
}

void ResultSender::reap() {
  for (auto it = pending_.begin(); it != pending_.end();) {
    int done = 0;
    MPI_Test(&it->request, &done, MPI_STATUS_IGNORE);
    it = done ? pending_.erase(it) : std::next(it);
  }
}

void ResultSender::drain(const std::function<void()>& poll) {
  while (true) {
    reap();
    if (pending_.empty()) return;
    if (poll) poll();
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

int ResultReceiver::poll() {
  int handled = 0;
  while (true) {
    int arrived = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, kResultTag, comm_, &arrived, &status);
    if (!arrived) return handled;
    int length = 0;
    MPI_Get_count(&status, MPI_BYTE, &length);
    std::string bytes(length, '\0');
    MPI_Recv(bytes.data(), length, MPI_BYTE, status.MPI_SOURCE, kResultTag,
             comm_, MPI_STATUS_IGNORE);
    sink_(from_bytes<CaseResult>(bytes));
    ++handled;
  }
}

void ResultReceiver::receive(int count) {
  while (count > 0) {
    count -= poll();
    if (count > 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

}  // namespace cb
