// Reading a result file the user named, with a guard around HDF5 itself.
//
// HDF5 1.10 (Debian 12) crashes (SIGSEGV in its global heap and attribute
// code) or loops forever on some damaged files; fuzzing found both
// (docs/reliability.md). Our reader checks what it can before and after
// every HDF5 call, but cannot stop the library inside one. So while a user's
// file is read, a crash or a deadline passing ends the program with exit
// code 2 and one message naming the file, instead of a core dump or a hang
// (under MPI, rank 0 leaving ends the job).
#pragma once

#include <optional>
#include <string>

#include "storage/hdf5_reader.hpp"

namespace cb {

// Armed for its lifetime: SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT (glibc's
// heap checks) and a deadline
// (alarm) print "clusterbench: error: <path>: ..." and _exit(2).
class ReadGuard {
 public:
  explicit ReadGuard(const std::string& path);
  ~ReadGuard();
  ReadGuard(const ReadGuard&) = delete;
  ReadGuard& operator=(const ReadGuard&) = delete;

  // Seconds a file of `bytes` bytes may take to read: 5 s, plus 1 s for
  // every 50 MB (a large, sound file reads at hundreds of MB/s).
  static unsigned deadline_s(unsigned long long bytes);
};

ResultFile read_results_guarded(const std::string& path);
std::optional<stats::Comparison> read_comparison_guarded(
    const std::string& path);

}  // namespace cb
