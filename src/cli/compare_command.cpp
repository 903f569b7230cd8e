// `clusterbench compare` and `clusterbench export`: read result files, never
// start MPI, answer in milliseconds on a login node or in CI.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output_guard.hpp"
#include "cli/read_guard.hpp"
#include "cli/reports.hpp"
#include "config/suite.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"
#include "stats/history.hpp"
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
    return parse_suite(file.info.suite_text, "/suite", Registry::instance(),
                       Presets::Ignore)
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

namespace {

// What must match for two runs to be one history: the suite's name and the
// hardware (every node's CPU model and every usable device's name).
std::string fingerprint(const ResultFile& file) {
  std::string suite;
  try {
    suite = parse_suite(file.info.suite_text, "/suite", Registry::instance(),
                        Presets::Ignore)
                .name;
  } catch (const Error&) {
    return "";  // a suite this build cannot read belongs to no history
  }
  std::vector<std::string> parts;
  for (const NodeInfo& n : file.inventory.nodes) parts.push_back(n.cpu_model);
  for (const DeviceInfo& d : file.inventory.devices)
    if (d.usable() && d.backend != "cpu")
      parts.push_back(d.backend + ":" + d.name);
  std::sort(parts.begin(), parts.end());
  std::string out = suite;
  for (const std::string& p : parts) out += "|" + p;
  return out;
}

// The last `last` result files in `dir` (by creation time) of the same suite
// and hardware as `current`, oldest first, leaving out the current files
// themselves (`current_paths`, the first named in messages). Unreadable files
// are skipped with a warning: a history folder collects whatever nightly jobs
// left there.
std::vector<ResultFile> load_history(
    const std::string& dir, const ResultFile& current,
    const std::vector<std::string>& current_paths, int last) {
  const std::string& current_path = current_paths.front();
  std::error_code error;
  std::filesystem::directory_iterator it(dir, error);
  if (error)
    throw Error(ErrorKind::Input, "--history " + dir + ": " + error.message());
  const std::string want = fingerprint(current);
  if (want.empty())
    throw Error(ErrorKind::Input,
                "--history: cannot read the suite stored in " + current_path +
                    " with this build");
  std::vector<ResultFile> runs;
  for (const auto& entry : it) {
    if (entry.path().extension() != ".h5") continue;
    if (std::any_of(current_paths.begin(), current_paths.end(),
                    [&](const std::string& p) {
                      return std::filesystem::equivalent(entry.path(), p,
                                                         error);
                    }))
      continue;
    try {
      ResultFile run = read_results_guarded(entry.path().string());
      if (run.info.status == "complete" && fingerprint(run) == want)
        runs.push_back(std::move(run));
    } catch (const Error& e) {
      fmt::print(stderr, "clusterbench: warning: skipping {}\n", e.what());
    }
  }
  std::sort(runs.begin(), runs.end(),
            [](const ResultFile& a, const ResultFile& b) {
              return a.info.created_utc < b.info.created_utc;
            });
  if (static_cast<int>(runs.size()) > last)
    runs.erase(runs.begin(), runs.end() - last);
  if (runs.empty())
    throw Error(ErrorKind::Input,
                "--history " + dir +
                    ": no complete result file of the same suite and "
                    "hardware as " +
                    current_path);
  return runs;
}

// For every regression and improvement: its median in each history run, then
// now. Shown on the console and appended to the Markdown report.
std::string trends(const stats::Comparison& comparison,
                   const std::vector<std::vector<CaseResult>>& runs,
                   const std::vector<std::vector<CaseResult>>& current_runs,
                   bool markdown) {
  std::string out;
  for (const stats::ComparisonRow& row : comparison.rows) {
    if (row.verdict != stats::Verdict::Regression &&
        row.verdict != stats::Verdict::Improvement)
      continue;
    // Each run's median, joined by `separator` ("-" where it is absent).
    auto medians = [&](const std::vector<std::vector<CaseResult>>& of,
                       const char* separator) {
      std::string text;
      for (double median : stats::trend(of, row.key, row.metric))
        text += (text.empty() ? "" : separator) +
                (std::isnan(median) ? std::string("-")
                                    : format_quantity(median, row.unit));
      return text;
    };
    std::string line = medians(runs, " → ") + " → ";
    if (current_runs.size() > 1) {
      line += medians(current_runs, ", ") +
              fmt::format(" (now, {} runs)", current_runs.size());
    } else {
      line += format_quantity(row.current_median, row.unit) + " (now)";
    }
    out += markdown
               ? fmt::format("| {} | {} | {} | {} |\n", to_string(row.verdict),
                             row.key, row.metric, line)
               : fmt::format("trend {} {}: {}\n", row.key, row.metric, line);
  }
  if (markdown && !out.empty())
    out =
        "\n#### Trend over the history\n\n| verdict | key | metric | medians, "
        "oldest "
        "first |\n| --- | --- | --- | --- |\n" +
        out;
  return out;
}

// Several current runs (compare NEW-1.h5 NEW-2.h5 ... --history DIR): all of
// the same suite and hardware, oldest first.
std::vector<ResultFile> load_current_runs(const CompareOptions& options) {
  std::vector<ResultFile> runs;
  runs.push_back(read_results_guarded(options.current));
  const std::string want = fingerprint(runs.front());
  for (const std::string& path : options.repeats) {
    runs.push_back(read_results_guarded(path));
    if (fingerprint(runs.back()) != want)
      throw Error(ErrorKind::Input,
                  path + ": not a run of the same suite and hardware as " +
                      options.current +
                      " (several current files must be repeats of one run)");
  }
  std::stable_sort(runs.begin(), runs.end(),
                   [](const ResultFile& a, const ResultFile& b) {
                     return a.info.created_utc < b.info.created_utc;
                   });
  return runs;
}

}  // namespace

int compare_command(const CompareOptions& options) {
  try {
    std::vector<std::string> formats = parse_report_formats(options.report);
    CompareOptions o = options;
    if (o.history.empty() && !o.repeats.empty()) {
      // Without --history the second file is the baseline.
      if (o.repeats.size() > 1)
        throw Error(ErrorKind::Input,
                    "compare takes one BASELINE.h5; to judge several runs of "
                    "the current build together, give them with --history "
                    "DIR (compare new-1.h5 new-2.h5 --history "
                    "results/nightly)");
      o.baseline = o.repeats.front();
      o.repeats.clear();
    }
    const std::string prefix =
        o.report_prefix.empty() ? report_prefix(o.current) : o.report_prefix;
    refuse_existing(report_paths(formats, prefix, true), o.force,
                    ", or choose another --report-prefix");
    std::vector<ResultFile> current_files = load_current_runs(o);
    std::vector<std::vector<CaseResult>> current_runs;
    for (ResultFile& run : current_files)
      current_runs.push_back(std::move(run.cases));
    // One run is judged as it is; several by their pooled samples.
    std::vector<CaseResult> current = current_runs.size() == 1
                                          ? current_runs.front()
                                          : stats::pool_runs(current_runs);
    const RunInfo& info = current_files.back().info;

    std::vector<CaseResult> baseline;
    std::vector<std::vector<CaseResult>> history;
    if (!o.history.empty()) {
      std::vector<std::string> paths{o.current};
      paths.insert(paths.end(), o.repeats.begin(), o.repeats.end());
      for (ResultFile& run :
           load_history(o.history, current_files.front(), paths, o.last))
        history.push_back(std::move(run.cases));
      baseline = stats::pool_runs(history);
      fmt::print("baseline: {} earlier run(s) in {}, samples pooled\n",
                 history.size(), o.history);
      if (current_runs.size() > 1)
        fmt::print("current: {} runs, samples pooled\n", current_runs.size());
    } else if (!o.baseline.empty()) {
      baseline = read_results_guarded(o.baseline).cases;
    } else {
      throw Error(
          ErrorKind::Input,
          "compare needs a BASELINE.h5 or --history DIR (e.g. compare new.h5 "
          "old.h5, or compare new.h5 --history results/nightly --last 10)");
    }
    stats::CompareSettings settings =
        compare_settings(suite_compare_config(current_files.back()), o);
    if (!history.empty()) settings.history = &history;
    if (current_runs.size() > 1) settings.current_runs = &current_runs;
    stats::Comparison comparison = stats::compare(current, baseline, settings);
    fmt::print("{}",
               comparison_console(comparison, isatty(STDOUT_FILENO) != 0));
    std::string appendix;
    if (!history.empty()) {
      fmt::print("{}", trends(comparison, history, current_runs, false));
      appendix = trends(comparison, history, current_runs, true);
    }
    write_reports(formats, prefix, info, current, comparison, appendix);
    // A case that failed in any of the current runs counts.
    std::vector<CaseResult> all;
    for (const auto& run : current_runs)
      all.insert(all.end(), run.begin(), run.end());
    return verdict_exit_code(comparison, all);
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
    // Everything is read before anything is written: a damaged /comparison
    // must not leave half of the reports behind.
    ResultFile file = read_results_guarded(options.file);
    auto comparison = read_comparison_guarded(options.file);
    std::string prefix = options.report_prefix.empty()
                             ? report_prefix(options.file)
                             : options.report_prefix;
    std::vector<std::string> paths = report_paths(formats, prefix, false);
    if (comparison)
      for (std::string& path : report_paths(formats, prefix, true))
        paths.push_back(std::move(path));
    refuse_existing(paths, options.force,
                    ", or choose another --report-prefix");
    write_reports(formats, prefix, file.info, file.cases, std::nullopt);
    if (comparison)
      write_reports(formats, prefix, file.info, file.cases, comparison);
    return kExitOk;
  } catch (const Error& e) {
    fmt::print(stderr, "clusterbench: error: {}\n", e.what());
    return e.kind() == ErrorKind::Input ? kExitInput : kExitCasesFailed;
  }
}

}  // namespace cb
