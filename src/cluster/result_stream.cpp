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
  while (true) {  // match every message that has arrived...
    int arrived = 0;
    MPI_Message message;
    MPI_Status status;
    MPI_Improbe(MPI_ANY_SOURCE, kResultTag, comm_, &arrived, &message, &status);
    if (!arrived) break;
    int length = 0;
    MPI_Get_count(&status, MPI_BYTE, &length);
    Incoming& in = incoming_.emplace_back();
    in.bytes.resize(length);
    MPI_Imrecv(in.bytes.data(), length, MPI_BYTE, &message, &in.request);
  }
  int handled = 0;  // ...and hand over those that are complete, in order
  while (!incoming_.empty()) {
    int done = 0;
    MPI_Test(&incoming_.front().request, &done, MPI_STATUS_IGNORE);
    if (!done) break;
    sink_(from_bytes<CaseResult>(incoming_.front().bytes));
    incoming_.pop_front();
    ++handled;
  }
  return handled;
}

void ResultReceiver::receive(int count) {
  while (count > 0) {
    count -= poll();
    if (count > 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

}  // namespace cb
