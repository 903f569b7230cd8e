// Interruption by a signal (a Slurm time limit sends SIGTERM, Ctrl-C SIGINT).
// The handler only records the signal; the program looks at it where it can
// stop cleanly: between samples, between cases and while waiting.
#pragma once

#include <stdexcept>
#include <string>

namespace cb {

// Async-signal-safe: called from the signal handler.
void record_signal(int signal_number) noexcept;
// The recorded signal, or 0.
int pending_signal() noexcept;

class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal_number);
  int signal_number() const { return signal_number_; }

 private:
  int signal_number_;
};

// Throws Interrupted when a signal has been recorded.
void throw_if_interrupted();

}  // namespace cb
