// The clock the measurement loop reads; passed in so tests can fake time.
#pragma once

#include <chrono>
#include <string>

namespace cb {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual double now_s() = 0;  // monotonic seconds
};

class SteadyClock final : public Clock {
 public:
  double now_s() override {
    return std::chrono::duration<double>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
};

// "2026-11-27T13:45:00Z"
std::string utc_now_iso8601();

}  // namespace cb
