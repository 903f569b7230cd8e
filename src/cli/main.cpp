// clusterbench: one binary, subcommands (DESIGN.md "Commands"). main() only
// parses the command line; each subcommand picks its exit code.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "core/error.hpp"
#include "core/version.hpp"

namespace {

// Strictly between 0 and 1: alpha = 0 would ask for an infinitely wide
// prediction interval, alpha = 1 for none at all.
CLI::Validator open_unit_interval() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(input, v) || !(v > 0 && v < 1))
          return "must be in (0, 1), got " + input;
        return {};
      },
      "in (0, 1)");
}

// Options shared by `run --baseline` and `compare`.
void add_compare_options(CLI::App* cmd, cb::CompareOptions& o) {
  cmd->add_option("--threshold", o.threshold,
                  "relative move of a median that can count as a regression "
                  "(default 0.05, or the suite's [compare] threshold)")
      ->check(CLI::Range(0.0, 10.0));
  cmd->add_option(
         "--alpha", o.alpha,
         "significance level of the Mann-Whitney U test, and 1 - the level "
         "of the runs' prediction interval against a history (compare "
         "--history) (default 0.05, or the suite's [compare] alpha)")
      ->check(open_unit_interval());
  cmd->add_option(
         "--min-samples", o.min_samples,
         "fewer raw samples give 'insufficient', not a verdict (default 5)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--report", o.report,
                  "also write reports: md,csv,json,junit");
  cmd->add_option(
      "--report-prefix", o.report_prefix,
      "path prefix of report files (default: the result file without .h5)");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cb;
  CLI::App app{
      "clusterbench: benchmark a cluster's CPUs, accelerators and network "
      "with one MPI program; results in one HDF5 file."};
  app.footer(kExitCodeHelp);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("clusterbench ") +
                                        kToolVersion + " (git " + kGitCommit +
                                        ", backends " + kBackendsBuilt + ")");

  RunOptions run;
  auto* run_cmd = app.add_subcommand(
      "run", "run a suite (under mpirun/srun, or alone as one rank)");
  run_cmd->add_option("suite", run.suite, "suite TOML file")->required();
  run_cmd->add_option(
      "-o,--output", run.output,
      "HDF5 result file (default results/<suite>-<UTC time>.h5)");
  run_cmd->add_flag(
      "--force", run.force,
      "replace an existing -o file and the report files --report would "
      "write (without it they are refused, exit 2); the old result file "
      "stays until the new run has its first case");
  run_cmd->add_option("--only", run.only,
                      "run only cases whose key matches this glob");
  run_cmd->add_flag("--dry-run", run.dry_run,
                    "print the plan (which rank runs what) and exit");
  run_cmd->add_flag("-v,--verbose", run.verbose,
                    "let every rank print, not only rank 0");
  run_cmd->add_option(
      "--baseline", run.compare.baseline,
      "compare with this result file at the end (writes /comparison; "
      "exit 1 on a regression)");
  run_cmd
      ->add_option("--timeout", run.case_timeout,
                   "seconds a case may take before it is stopped as 'timeout' "
                   "(overrides the suite's timeout_s, default 300)")
      ->check(CLI::PositiveNumber);
  run_cmd->add_option("--resume", run.resume,
                      "append to this result file, running only the cases that "
                      "are missing or not ok in it (after a time limit or a "
                      "crash)");
  add_compare_options(run_cmd, run.compare);

  bool list_json = false;
  auto* list_cmd =
      app.add_subcommand("list", "registered benchmarks and their parameters");
  list_cmd->add_flag("--json", list_json, "machine-readable output");

  bool hw_json = false;
  auto* hw_cmd = app.add_subcommand("hw", "hardware inventory of every rank");
  hw_cmd->add_flag("--json", hw_json, "machine-readable output");

  CompareOptions compare;
  auto* compare_cmd = app.add_subcommand(
      "compare",
      "regression verdict: a result file against a baseline or a history");
  std::vector<std::string> compare_files;
  compare_cmd
      ->add_option("files", compare_files,
                   "CURRENT.h5 BASELINE.h5; with --history, CURRENT.h5 and "
                   "any further runs of the same build, judged together")
      ->required();
  compare_cmd->add_option(
      "--history", compare.history,
      "pool the last runs of the same suite and hardware in "
      "this folder as the baseline (nightly trend)");
  compare_cmd
      ->add_option("--last", compare.last,
                   "how many runs of the history (default 10)")
      ->check(CLI::PositiveNumber);
  add_compare_options(compare_cmd, compare);
  compare_cmd->add_flag("--force", compare.force,
                        "replace existing report files (refused without it)");

  ExportOptions exported;
  auto* export_cmd =
      app.add_subcommand("export", "other formats from an HDF5 result file");
  export_cmd->add_option("file", exported.file, "result file")->required();
  export_cmd
      ->add_option("--report", exported.report, "formats: md,csv,json,junit")
      ->required();
  export_cmd->add_option(
      "--report-prefix", exported.report_prefix,
      "path prefix of report files (default: the file without .h5)");
  export_cmd->add_flag("--force", exported.force,
                       "replace existing report files (refused without it)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitInput;
  }
  for (int i = 0; i < argc; ++i)
    run.command_line += (i ? " " : "") + std::string(argv[i]);

  // Subcommands handle their own errors; this is the last line of defence,
  // so that no exception ends the program with an abort and no message.
  try {
    if (*run_cmd) return run_command(run, &argc, &argv);
    if (*list_cmd) return list_command(list_json);
    if (*hw_cmd) return hw_command(hw_json, &argc, &argv);
    if (*compare_cmd) {
      // Which positional is what depends on --history: compare_command says
      // what is wrong with the combination.
      compare.current = compare_files.front();
      compare.repeats.assign(compare_files.begin() + 1, compare_files.end());
      return compare_command(compare);
    }
    if (*export_cmd) return export_command(exported);
  } catch (const cb::Error& e) {
    std::fprintf(stderr, "clusterbench: error: %s\n", e.what());
    return e.kind() == ErrorKind::Input ? kExitInput : kExitCasesFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "clusterbench: error: %s\n", e.what());
    return kExitCasesFailed;
  }
  return kExitInput;
}
