#include "cluster/watchdog.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

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
  return timeout_s + std::clamp(timeout_s, 10.0, 300.0);
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
      // Capped: a huge timeout would overflow the clock's arithmetic and
      // make wait_for return at once, spinning this thread.
      changed_.wait_for(lock,
                        std::chrono::duration<double>(std::min(left, 60.0)));
      continue;
    }
    // Only async-safe-ish calls from here: the main thread is stuck
    // somewhere we cannot know, possibly inside MPI.
    // write(2), not stdio: the stuck main thread may hold stderr's lock.
    std::string message =
        "clusterbench: fatal: " + what_ +
        " did not come back long after its timeout_s; ending the job (the "
        "result file keeps every case finished before, status partial)\n";
    ssize_t ignored = ::write(2, message.data(), message.size());
    (void)ignored;
    std::_Exit(3);
  }
}

}  // namespace cb
