// The last line of defence against a hang: a case that never returns to the
// measurement loop (a deadlocked collective, a stuck driver) cannot be
// stopped from inside, so a thread on each rank ends the process once the
// case is well past its timeout. The launcher then ends the job; rank 0's
// file keeps every case finished before (status partial).
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace cb {

class Watchdog {
 public:
  Watchdog();
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Starts watching `what` for `seconds`; arming again replaces the watch.
  void arm(const std::string& what, double seconds);
  void disarm();

  // How long past a case's timeout_s the watchdog waits (as long again,
  // between 10 and 300 s more): the loop stops a case at timeout_s between
  // samples, so this only fires when it cannot.
  static double deadline_for(double timeout_s);

 private:
  void watch();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::string what_;
  double deadline_ = 0;  // steady-clock seconds; 0 = disarmed
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace cb
