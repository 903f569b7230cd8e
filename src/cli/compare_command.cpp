// `clusterbench compare` and `clusterbench export`: read result files, never
// start MPI, answer in milliseconds on a login node or in CI.
#include <fmt/format.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/reports.hpp"
#include "config/suite.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"
#include "storage/comparison_report.hpp"
#include "storage/hdf5_reader.hpp"
#include "storage/markdown_summary.hpp"

namespace cb {

stats::CompareSettings compare_settings(const CompareConfig& suite,
                                        const CompareOptions& cli) {
  stats::CompareSettings s;
  // The suite's [compare] table, then what the command line says explicitly.
  if (suite.threshold) s.threshold = *suite.threshold;
  if (suite.alpha) s.alpha = *suite.alpha;
  if (suite.min_samples)
    s.min_samples = static_cast<std::size_t>(*suite.min_samples);
  for (const auto& [name, threshold] : suite.thresholds) {
    if (Registry::instance().find(name))
      s.benchmark_threshold[name] = threshold;
    else
      s.metric_threshold[name] = threshold;
  }
  if (cli.threshold) s.threshold = *cli.threshold;
  if (cli.alpha) s.alpha = *cli.alpha;
  if (cli.min_samples)
    s.min_samples = static_cast<std::size_t>(*cli.min_samples);
  return s;
}

CompareConfig suite_compare_config(const ResultFile& file) {
  // The [compare] table of the suite the current file was made with. A suite
  // that no longer parses (a benchmark since renamed) only loses its table.
  try {
    return parse_suite(file.info.suite_text, "/suite", Registry::instance())
        .compare;
  } catch (const Error& e) {
    fmt::print(stderr,
               "clusterbench: warning: ignoring the stored suite's [compare] "
               "table: {}\n",
               e.what());
    return {};
  }
}

int verdict_exit_code(const stats::Comparison& comparison,
                      const std::vector<CaseResult>& cases) {
  if (comparison.any_regression()) return kExitRegression;
  for (const CaseResult& c : cases)
    if (c.status == CaseStatus::Failed || c.status == CaseStatus::Timeout)
      return kExitCasesFailed;
  return kExitOk;
}

int compare_command(const CompareOptions& options) {
  try {
    std::vector<std::string> formats = parse_report_formats(options.report);
    ResultFile current = read_results(options.current);
    ResultFile baseline = read_results(options.baseline);
    stats::CompareSettings settings =
        compare_settings(suite_compare_config(current), options);
    stats::Comparison comparison =
        stats::compare(current.cases, baseline.cases, settings);
    fmt::print("{}",
               comparison_console(comparison, isatty(STDOUT_FILENO) != 0));
    write_reports(formats,
                  options.report_prefix.empty() ? report_prefix(options.current)
                                                : options.report_prefix,
                  current.info, current.cases, comparison);
    return verdict_exit_code(comparison, current.cases);
  } catch (const Error& e) {
    fmt::print(stderr, "clusterbench: error: {}\n", e.what());
    return e.kind() == ErrorKind::Input ? kExitInput : kExitCasesFailed;
  }
}

int export_command(const ExportOptions& options) {
  try {
    std::vector<std::string> formats = parse_report_formats(options.report);
    if (formats.empty())
      throw Error(ErrorKind::Input,
                  "export: --report is required (md, csv, json, junit)");
    ResultFile file = read_results(options.file);
    std::string prefix = options.report_prefix.empty()
                             ? report_prefix(options.file)
                             : options.report_prefix;
    write_reports(formats, prefix, file.info, file.cases, std::nullopt);
    if (auto comparison = read_comparison(options.file))
      write_reports(formats, prefix, file.info, file.cases, comparison);
    return kExitOk;
  } catch (const Error& e) {
    fmt::print(stderr, "clusterbench: error: {}\n", e.what());
    return e.kind() == ErrorKind::Input ? kExitInput : kExitCasesFailed;
  }
}

}  // namespace cb
