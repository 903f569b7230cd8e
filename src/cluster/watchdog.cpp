#include "cluster/watchdog.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace cb {
namespace {

double now_s() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Watchdog::Watchdog() : thread_([this] { watch(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

double Watchdog::deadline_for(double timeout_s) {
  return timeout_s + std::clamp(0.5 * timeout_s, 2.0, 60.0);
}

void Watchdog::arm(const std::string& what, double seconds) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    what_ = what;
    deadline_ = now_s() + seconds;
  }
  changed_.notify_all();
}

void Watchdog::disarm() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    deadline_ = 0;
  }
  changed_.notify_all();
}

void Watchdog::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!quit_) {
    if (deadline_ == 0) {
      changed_.wait(lock);
      continue;
    }
    double left = deadline_ - now_s();
    if (left > 0) {
      changed_.wait_for(lock, std::chrono::duration<double>(left));
      continue;
    }
    // Only async-safe-ish calls from here: the main thread is stuck
    // somewhere we cannot know, possibly inside MPI.
    std::fprintf(stderr,
                 "clusterbench: fatal: %s did not come back long after its "
                 "timeout_s; ending the job (the result file keeps every "
                 "case finished before, status partial)\n",
                 what_.c_str());
    std::fflush(stderr);
    std::_Exit(3);
  }
}

}  // namespace cb
