// The subcommands. Each returns the process exit code; main() only parses.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cb {

// Explicit command-line settings of a comparison; unset ones come from the
// suite's [compare] table, then from the defaults.
struct CompareOptions {
  std::string current, baseline;
  // With --history: more runs of the same build as `current` (compare NEW-1.h5
  // NEW-2.h5 ... --history DIR), judged together.
  std::vector<std::string> repeats;
  std::optional<double> threshold, alpha;
  std::optional<int> min_samples;
  std::string history;  // compare with the pooled last runs in this folder
  int last = 10;        // how many of them
  std::string report;   // "md,csv,json,junit"
  std::string report_prefix;  // default: the current file without .h5
  bool force = false;         // replace existing report files
};

struct ExportOptions {
  std::string file;
  std::string report;
  std::string report_prefix;
  bool force = false;  // replace existing report files
};

struct RunOptions {
  std::string suite;
  std::string output;  // default: results/<suite>-<UTC time>.h5
  bool force = false;  // replace an existing output (and its reports)
  std::string only;    // glob on case keys
  bool dry_run = false;
  std::optional<double> case_timeout;  // overrides every case's timeout_s
  std::string resume;      // run only what is missing or failed there, append
  CompareOptions compare;  // compare.baseline set: compare at the end
  bool verbose = false;
  std::string command_line;
};

int run_command(const RunOptions& options, int* argc, char*** argv);
int list_command(bool json);
int compare_command(const CompareOptions& options);
int export_command(const ExportOptions& options);
int hw_command(bool json, int* argc, char*** argv);

struct CompareConfig;
namespace stats {
struct CompareSettings;
struct Comparison;
}  // namespace stats
struct CaseResult;

stats::CompareSettings compare_settings(const CompareConfig& suite,
                                        const CompareOptions& cli);
// 1 if any regression; else 3 if a current case failed; else 0.
int verdict_exit_code(const stats::Comparison& comparison,
                      const std::vector<CaseResult>& cases);

// JSON string literal with escapes (for --json outputs).
std::string json_quote(const std::string& text);

}  // namespace cb
