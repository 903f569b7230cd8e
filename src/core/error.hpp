// One error type for the whole program. Library code throws cb::Error; only
// src/cli turns errors into exit codes, so no rank ever calls exit()
// mid-collective.
#pragma once

#include <stdexcept>
#include <string>

namespace cb {

// What went wrong decides the exit code chosen in src/cli (see DESIGN.md).
enum class ErrorKind {
  Input,    // bad suite, bad command line, unreadable input file -> exit 2
  Runtime,  // a benchmark or the environment failed -> case failed or exit 3
  // This node cannot run the case (a backend's library or device is missing
  // or lacks a feature) -> the case is skipped with the message, not failed.
  Unavailable,
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message)
      : std::runtime_error(std::move(message)), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

[[noreturn]] void throw_check_failure(const char* expr, const char* file,
                                      int line, const std::string& message);

}  // namespace cb

// Records the failed expression with file:line (the rank and host are added by
// the cluster layer when the error is reported).
#define CB_CHECK(expr, message)                                        \
  do {                                                                 \
    if (!(expr))                                                       \
      ::cb::throw_check_failure(#expr, __FILE__, __LINE__, (message)); \
  } while (0)
