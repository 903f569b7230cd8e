// Fuzz target: bytes -> temporary file -> the result reader, then what
// `compare` and `export` do with what it read. Built like
// fuzz_suite_loader.cpp (libFuzzer, and a replay main in every build).
//
// Invariants: every failure is a cb::Error of kind Input naming the file; no
// other exception, crash or sanitizer report. HDF5's own defects on
// malformed files are documented in docs/reliability.md.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "stats/comparison.hpp"
#include "storage/hdf5_reader.hpp"
#include "storage/markdown_summary.hpp"

namespace {

[[noreturn]] void violated(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_hdf5_reader: invariant violated: %s: %s\n", what,
               detail.c_str());
  std::abort();
}

const std::string& temp_path() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/cb-fuzz-" +
           std::to_string(getpid()) + ".h5";
  }();
  return path;
}

void write_file(const std::string& path, const std::uint8_t* data,
                std::size_t size) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) violated("cannot write the temporary file", path);
  if (size && std::fwrite(data, 1, size, file) != size)
    violated("short write", path);
  std::fclose(file);
}

void check_error(const cb::Error& e, const std::string& path) {
  if (e.kind() != cb::ErrorKind::Input)
    violated("not an input error", e.what());
  if (std::string_view(e.what()).find(path) == std::string_view::npos)
    violated("message does not name the file", e.what());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string& path = temp_path();
  write_file(path, data, size);
  try {
    cb::ResultFile file = cb::read_results(path);
    // What compare and export do next with the cases they read.
    cb::stats::CompareSettings settings;
    settings.bootstrap_resamples = 50;  // the default 2000 only slows fuzzing
    (void)cb::stats::compare(file.cases, file.cases, settings);
    (void)cb::markdown_summary(file.info, file.cases);
  } catch (const cb::Error& e) {
    check_error(e, path);
  }
  try {
    (void)cb::read_comparison(path);
    (void)cb::read_comparison_info(path);
  } catch (const cb::Error& e) {
    check_error(e, path);
  }
  std::remove(path.c_str());
  return 0;
}
