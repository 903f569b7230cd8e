// The subcommands. Each returns the process exit code; main() only parses.
#pragma once

#include <string>
#include <vector>

namespace cb {

struct RunOptions {
  std::string suite;
  std::string output;  // default: results/<suite>-<UTC time>.h5
  std::string only;    // glob on case keys
  bool dry_run = false;
  bool verbose = false;
  std::string command_line;
};

int run_command(const RunOptions& options, int* argc, char*** argv);
int list_command(bool json);
int hw_command(bool json, int* argc, char*** argv);

// JSON string literal with escapes (for --json outputs).
std::string json_quote(const std::string& text);

}  // namespace cb
