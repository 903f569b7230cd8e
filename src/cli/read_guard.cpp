#include "cli/read_guard.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iterator>

#include "cli/exit_codes.hpp"

namespace cb {

namespace {

// Written by the handlers with write(2): prepared before HDF5 runs, since
// nothing else is safe in a signal handler.
char crash_message[1024];
char deadline_message[1024];
std::size_t crash_length = 0, deadline_length = 0;

constexpr int kCrashSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
struct sigaction saved_crash[std::size(kCrashSignals)];
struct sigaction saved_alarm;

void say_and_exit(const char* message, std::size_t length) {
  ssize_t ignored = write(STDERR_FILENO, message, length);
  (void)ignored;
  _exit(kExitInput);
}

void on_crash(int) {
  say_and_exit(crash_message, crash_length);
}
void on_deadline(int) {
  say_and_exit(deadline_message, deadline_length);
}

std::size_t prepare(char* buffer, std::size_t size, const std::string& path,
                    const char* why) {
  int n = std::snprintf(buffer, size,
                        "clusterbench: error: %s: not a clusterbench result "
                        "file (damaged: %s)\n",
                        path.c_str(), why);
  return n < 0 ? 0
               : std::min<std::size_t>(static_cast<std::size_t>(n), size - 1);
}

}  // namespace

unsigned ReadGuard::deadline_s(unsigned long long bytes) {
  return 5 + static_cast<unsigned>(bytes / 50'000'000ULL);
}

ReadGuard::ReadGuard(const std::string& path) {
  std::error_code error;
  auto bytes = std::filesystem::file_size(path, error);
  unsigned seconds = deadline_s(error ? 0 : bytes);
  crash_length = prepare(crash_message, sizeof crash_message, path,
                         "the HDF5 library crashed reading it");
  char why[128];
  std::snprintf(why, sizeof why,
                "the HDF5 library was still reading it after %u s", seconds);
  deadline_length =
      prepare(deadline_message, sizeof deadline_message, path, why);
  struct sigaction action {};
  sigemptyset(&action.sa_mask);
  action.sa_handler = on_crash;
  action.sa_flags = SA_RESETHAND;
  for (std::size_t i = 0; i < std::size(kCrashSignals); ++i)
    sigaction(kCrashSignals[i], &action, &saved_crash[i]);
  action.sa_handler = on_deadline;
  action.sa_flags = 0;
  sigaction(SIGALRM, &action, &saved_alarm);
  alarm(seconds);
}

ReadGuard::~ReadGuard() {
  alarm(0);
  sigaction(SIGALRM, &saved_alarm, nullptr);
  for (std::size_t i = 0; i < std::size(kCrashSignals); ++i)
    sigaction(kCrashSignals[i], &saved_crash[i], nullptr);
}

ResultFile read_results_guarded(const std::string& path) {
  ReadGuard guard(path);
  return read_results(path);
}

std::optional<stats::Comparison> read_comparison_guarded(
    const std::string& path) {
  ReadGuard guard(path);
  return read_comparison(path);
}

}  // namespace cb
