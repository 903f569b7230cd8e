#include "core/interrupt.hpp"

#include <csignal>
#include <cstring>

namespace cb {
namespace {
volatile std::sig_atomic_t g_signal = 0;
}  // namespace

void record_signal(int signal_number) noexcept {
  g_signal = signal_number;
}

int pending_signal() noexcept {
  return g_signal;
}

Interrupted::Interrupted(int signal_number)
    : std::runtime_error(std::string("interrupted by ") +
                         (signal_number == SIGTERM ? "SIGTERM"
                          : signal_number == SIGINT
                              ? "SIGINT"
                              : strsignal(signal_number))),
      signal_number_(signal_number) {}

void throw_if_interrupted() {
  if (int s = pending_signal()) throw Interrupted(s);
}

}  // namespace cb
