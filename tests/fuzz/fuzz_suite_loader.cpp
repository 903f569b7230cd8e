// Fuzz target: TOML text -> validated suite (or one input error). The same
// entry point is built with libFuzzer (-DCLUSTERBENCH_FUZZ=ON, clang) and,
// in every build, with replay_main.cpp to replay the regression corpus.
//
// Invariants checked here, beyond "no crash, no hang, no sanitizer report":
// every failure is a cb::Error of kind Input whose one-line message starts
// with the file name, and a suite that loads expands to at most kMaxCases.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/suite.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"

namespace {

[[noreturn]] void violated(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_suite_loader: invariant violated: %s: %s\n", what,
               detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string path = "fuzz.toml";
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    cb::Suite suite = cb::parse_suite(text, path, cb::Registry::instance());
    std::size_t total = 0;
    for (const auto& entry : suite.benchmarks) total += cb::case_count(entry);
    if (total > cb::kMaxCases)
      violated("too many cases", std::to_string(total));
    // Expanding the largest suites is slow and proves little more.
    if (total <= 2000 && cb::expand(suite).size() != total)
      violated("expand() disagrees with case_count()", std::to_string(total));
  } catch (const cb::Error& e) {
    std::string_view message = e.what();
    if (e.kind() != cb::ErrorKind::Input)
      violated("not an input error", e.what());
    if (message.substr(0, path.size()) != path)
      violated("message does not start with the file", e.what());
    if (message.find('\n') != std::string_view::npos)
      violated("message is not one line", e.what());
  }
  // Any other exception escapes and ends the fuzzer: that is a bug too.
  return 0;
}
