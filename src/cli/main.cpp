// clusterbench: one binary, subcommands (DESIGN.md "Commands").
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "core/error.hpp"
#include "core/version.hpp"

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
  run_cmd->add_option("--only", run.only,
                      "run only cases whose key matches this glob");
  run_cmd->add_flag("--dry-run", run.dry_run,
                    "print the plan (which rank runs what) and exit");
  run_cmd->add_flag("-v,--verbose", run.verbose,
                    "let every rank print, not only rank 0");

  bool list_json = false;
  auto* list_cmd =
      app.add_subcommand("list", "registered benchmarks and their parameters");
  list_cmd->add_flag("--json", list_json, "machine-readable output");

  bool hw_json = false;
  auto* hw_cmd = app.add_subcommand("hw", "hardware inventory of every rank");
  hw_cmd->add_flag("--json", hw_json, "machine-readable output");

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
  } catch (const cb::Error& e) {
    std::fprintf(stderr, "clusterbench: error: %s\n", e.what());
    return e.kind() == ErrorKind::Input ? kExitInput : kExitCasesFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "clusterbench: error: %s\n", e.what());
    return kExitCasesFailed;
  }
  return kExitInput;
}
