// `clusterbench run`: suite in, HDF5 out. Every failure that must stop the
// job goes through agree() so that all ranks leave together with one message.
#include <fmt/format.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output_guard.hpp"
#include "cli/progress.hpp"
#include "cli/read_guard.hpp"
#include "cli/reports.hpp"
#include "cluster/error_agreement.hpp"
#include "cluster/executor.hpp"
#include "cluster/inventory_gather.hpp"
#include "cluster/mpi_group.hpp"
#include "cluster/rounds.hpp"
#include "cluster/serialization.hpp"
#include "config/suite.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/version.hpp"
#include "hardware/device_assignment.hpp"
#include "hardware/stability.hpp"
#include "stats/case_summary.hpp"
#include "stats/comparison.hpp"
#include "stats/interference.hpp"
#include "stats/pair_matrix.hpp"
#include "stats/pool_saturation.hpp"
#include "stats/summary.hpp"
#include "storage/comparison_report.hpp"
#include "storage/hdf5_reader.hpp"
#include "storage/hdf5_writer.hpp"
#include "storage/markdown_summary.hpp"

namespace cb {
namespace {

// What rank 0 alone holds between the phases of a run.
struct RootState {
  Suite suite;
  Inventory inventory;
  Plan plan;
  std::string output;
  std::unique_ptr<Hdf5Writer> writer;
  std::vector<CaseResult> results;
  std::optional<ResultFile> baseline;  // with --baseline
  std::optional<ResultFile> resumed;   // with --resume
  int case_id_offset = 0;
  std::vector<std::string> report_formats;
};

// Every failure found before the first case runs exits 2: nothing was run,
// and the message says whether the suite, the command line or the machine is
// at fault.
std::optional<AgreedError> failure(const std::exception& e, int rank) {
  return AgreedError{rank, e.what(), kExitInput};
}

std::string default_output(const Suite& suite) {
  std::string stamp = utc_now_iso8601();  // 2026-11-27T13:45:00Z
  std::erase(stamp, ':');
  std::erase(stamp, '-');
  return "results/" + suite.name + "-" + stamp + ".h5";
}

void apply_only(Plan& plan, const std::string& glob) {
  if (glob.empty()) return;
  std::vector<PlannedCase> kept;
  for (PlannedCase& c : plan.cases)
    if (fnmatch(glob.c_str(), c.key.c_str(), 0) == 0 ||
        fnmatch(glob.c_str(), c.spec.benchmark.c_str(), 0) == 0)
      kept.push_back(std::move(c));
  if (kept.empty())
    throw Error(ErrorKind::Input,
                "--only '" + glob +
                    "' matches no case; keys look like "
                    "'distributed.allreduce[dtype=float32,...]@mpi:all2'");
  for (std::size_t i = 0; i < kept.size(); ++i)
    kept[i].case_id = static_cast<int>(i);
  plan.cases = std::move(kept);
}

// --resume appends to a file of the same suite and job size: its /ranks,
// /nodes and /devices describe the first allocation.
void check_resumable(const ResultFile& file, const Suite& suite, int world_size,
                     const std::string& path) {
  if (file.info.suite_text != suite.text)
    throw Error(ErrorKind::Input,
                "--resume " + path +
                    ": the file was written with another suite text; "
                    "resume with the same suite file");
  if (file.info.world_size != world_size)
    throw Error(
        ErrorKind::Input,
        fmt::format(
            "--resume {}: the file was written by {} ranks; resume with "
            "the same number (this job has {})",
            path, file.info.world_size, world_size));
}

// --resume: cases that are ok in the file are not run again; failed, timed
// out, skipped and missing ones are.
void skip_done(Plan& plan, const ResultFile& file, const std::string& path) {
  std::set<std::string> done;
  for (const CaseResult& c : file.cases)
    if (c.status == CaseStatus::Ok) done.insert(c.key);
  std::vector<PlannedCase> left;
  for (PlannedCase& c : plan.cases)
    if (!done.count(c.key)) left.push_back(std::move(c));
  if (left.empty())
    throw Error(
        ErrorKind::Input,
        "--resume " + path + ": every case of the suite is already ok there");
  for (std::size_t i = 0; i < left.size(); ++i)
    left[i].case_id = static_cast<int>(i);
  fmt::print("resuming {}: {} case(s) already ok, {} to run\n", path,
             plan.cases.size() - left.size(), left.size());
  plan.cases = std::move(left);
}

// Nothing the user already has is replaced unless --force says so (the
// rules: docs/reliability.md, "Files a command writes"). --resume completes
// its file, and the reports it rewrites are derived from that file.
void check_outputs(const RunOptions& options, const RootState& root) {
  const std::string& baseline = options.compare.baseline;
  if (!baseline.empty() && same_file(root.output, baseline))
    throw Error(ErrorKind::Input,
                root.output +
                    " is the --baseline file; write the new run to another "
                    "-o (even --force would replace the baseline it is "
                    "compared with)");
  if (root.resumed) return;
  refuse_existing(
      {root.output}, options.force,
      ", --resume " + root.output + " completes it, or choose another -o");
  std::string prefix = options.compare.report_prefix.empty()
                           ? report_prefix(root.output)
                           : options.compare.report_prefix;
  std::vector<std::string> reports =
      report_paths(root.report_formats, prefix, false);
  if (!baseline.empty())
    for (std::string& path : report_paths(root.report_formats, prefix, true))
      reports.push_back(std::move(path));
  refuse_existing(reports, options.force,
                  " (a report of an earlier run), or choose another -o or "
                  "--report-prefix");
}

void print_plan(const Plan& plan) {
  fmt::print("plan: {} cases on {} ranks (isolation {})\n", plan.cases.size(),
             plan.world_size, to_string(plan.isolation));
  for (const PlannedCase& c : plan.cases) {
    if (c.skipped)
      fmt::print("  {:>4}  skipped  {}  -- {}\n", c.case_id, c.key,
                 c.skip_reason);
    else
      fmt::print("  {:>4}  ranks {:<8} {}  (~{:.1f} s)\n", c.case_id,
                 format_ranks(c.ranks), c.key, c.cost_s);
  }
  for (std::size_t r = 0; r < plan.rank_load_s.size(); ++r)
    fmt::print("  rank {} estimated busy {:.1f} s\n", r, plan.rank_load_s[r]);
}

// The job's partition, nodes, tasks per node and time limit. Slurm exports
// all but the time limit, which squeue tells (empty when it cannot).
std::vector<std::pair<std::string, std::string>> slurm_provenance(
    const std::string& job) {
  auto env = [](const char* name) {
    const char* value = std::getenv(name);
    return std::string(value ? value : "");
  };
  std::string limit;
  std::string command = "squeue -h -o %l -j " + job + " 2>/dev/null";
  if (job.find_first_not_of("0123456789_") == std::string::npos) {
    if (FILE* pipe = popen(command.c_str(), "r")) {
      char line[64] = {};
      if (std::fgets(line, sizeof line, pipe)) limit = line;
      pclose(pipe);
    }
  }
  while (!limit.empty() &&
         std::isspace(static_cast<unsigned char>(limit.back())))
    limit.pop_back();
  return {{"partition", env("SLURM_JOB_PARTITION")},
          {"nodelist", env("SLURM_JOB_NODELIST")},
          {"tasks_per_node", env("SLURM_TASKS_PER_NODE")},
          {"time_limit", limit}};
}

RunInfo run_info(const MpiContext& mpi, const RootState& root,
                 const std::string& command) {
  RunInfo info;
  info.tool_version = kToolVersion;
  info.git_commit = kGitCommit;
  info.created_utc = utc_now_iso8601();
  info.status = "partial";
  info.command_line = command;
  info.mpi_library = mpi.library_version();
  info.mpi_thread_level = mpi.thread_level();
  info.backends_built = kBackendsBuilt;
  if (const char* job = std::getenv("SLURM_JOB_ID")) {
    info.slurm_job_id = job;
    info.slurm = slurm_provenance(job);
  }
  info.world_size = mpi.size();
  info.n_nodes = static_cast<int>(root.inventory.nodes.size());
  info.suite_text = root.suite.text;
  return info;
}

// Runs `step` on rank 0 only and makes every rank agree on its outcome.
template <typename F>
std::optional<AgreedError> on_root(const MpiContext& mpi, F step) {
  std::optional<AgreedError> local;
  if (mpi.rank() == 0) {
    try {
      step();
    } catch (const std::exception& e) {
      local = failure(e, 0);
    }
  }
  return agree(mpi.world(), local);
}

int report(const MpiContext& mpi, const AgreedError& error) {
  if (mpi.rank() == 0) {
    std::string where =
        error.rank == 0 ? "" : fmt::format("rank {}: ", error.rank);
    fmt::print(stderr, "clusterbench: error: {}{}\n", where, error.message);
  }
  return error.exit_code;
}

// Redraw the progress line only for a person at a terminal. mpirun gives rank
// 0 a pseudo-terminal even when its own output goes to a file, so under a
// launcher isatty() proves nothing: there the batch-log form (one line per
// case) is used unless CLUSTERBENCH_PROGRESS=tty asks otherwise.
bool redraw_progress() {
  if (const char* mode = std::getenv("CLUSTERBENCH_PROGRESS"))
    return std::string(mode) == "tty";
  bool launched = std::getenv("OMPI_COMM_WORLD_SIZE") ||
                  std::getenv("PMI_RANK") || std::getenv("PMIX_RANK") ||
                  std::getenv("SLURM_PROCID");
  return !launched && isatty(STDOUT_FILENO) != 0;
}

// SIGTERM (a Slurm time limit, scancel, mpirun passing one on) and SIGINT
// (Ctrl-C) only record the signal; the run stops at the next safe point.
void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = [](int signal_number) { record_signal(signal_number); };
  sigemptyset(&action.sa_mask);
  // Restart interrupted system calls: a write to a full pipe must not fail.
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
}

void quiet_unless_verbose(const MpiContext& mpi, bool verbose) {
  if (mpi.rank() != 0 && !verbose) std::freopen("/dev/null", "w", stdout);
}

}  // namespace

int run_command(const RunOptions& options, int* argc, char*** argv) {
  MpiContext mpi(argc, argv);
  install_stop_handlers();
  quiet_unless_verbose(mpi, options.verbose);
  RootState root;

  // 1. The suite (and the baseline, if any), read and validated on rank 0.
  if (auto e = on_root(mpi, [&] {
        root.suite = load_suite(options.suite, Registry::instance());
        root.report_formats = parse_report_formats(options.compare.report);
        // A bad baseline is found now, before minutes of benchmarking.
        if (!options.compare.baseline.empty())
          root.baseline = read_results_guarded(options.compare.baseline);
        if (!options.resume.empty()) {
          if (!options.output.empty() && options.output != options.resume)
            throw Error(ErrorKind::Input,
                        "--resume appends to " + options.resume + "; -o " +
                            options.output + " names another file");
          root.resumed = read_results_guarded(options.resume);
        }
        root.output = !options.resume.empty()  ? options.resume
                      : options.output.empty() ? default_output(root.suite)
                                               : options.output;
        if (!options.dry_run) check_outputs(options, root);
      }))
    return report(mpi, *e);

  // 2. Every rank's hardware.
  std::optional<AgreedError> probe_error;
  LocalProbe probe;
  try {
    probe = probe_local(mpi.rank(), mpi.node_rank());
  } catch (const std::exception& e) {
    probe_error = failure(e, mpi.rank());
  }
  if (auto e = agree(mpi.world(), probe_error)) return report(mpi, *e);
  // One GPU per rank: see hardware/device_assignment.hpp.
  Inventory inventory = assign_devices(gather_inventory(mpi, probe));

  // 3. The plan, and the output file (before anything runs: an unwritable
  // output is an input error, found before minutes of benchmarking).
  if (auto e = on_root(mpi, [&] {
        root.inventory = std::move(inventory);
        std::vector<CaseTemplate> templates = expand(root.suite);
        if (options.case_timeout)
          for (CaseTemplate& t : templates)
            t.measure.timeout_s = *options.case_timeout;
        root.plan = make_plan(templates, root.inventory, root.suite.isolation,
                              Registry::instance());
        for (const RankInfo& r : root.inventory.ranks)
          root.plan.rank_node.push_back(r.node_id);
        apply_only(root.plan, options.only);
        if (root.resumed) {
          check_resumable(*root.resumed, root.suite, mpi.size(),
                          options.resume);
          skip_done(root.plan, *root.resumed, options.resume);
        }
        if (options.dry_run) return print_plan(root.plan);
        if (root.resumed) {
          check_resumable(*root.resumed, root.suite, mpi.size(),
                          options.resume);
          root.output = options.resume;
          root.writer = Hdf5Writer::reopen(root.output, utc_now_iso8601());
          root.case_id_offset = root.writer->next_case_id();
          return;
        }
        std::filesystem::path parent =
            std::filesystem::path(root.output).parent_path();
        std::error_code ignored;
        if (!parent.empty())
          std::filesystem::create_directories(parent, ignored);
        root.writer = std::make_unique<Hdf5Writer>(
            root.output, run_info(mpi, root, options.command_line),
            root.inventory,
            options.force ? Existing::ReplaceOnFirstCase : Existing::Refuse);
      }))
    return report(mpi, *e);
  if (options.dry_run) return kExitOk;

  // 4. Run. Rank 0 writes each result as it arrives.
  Plan plan = from_bytes<Plan>(broadcast_bytes(
      mpi.world(), 0, mpi.rank() == 0 ? to_bytes(root.plan) : std::string()));
  SteadyClock clock;
  MeasurementLoop loop(clock, stats::precise_enough);
  RankResources resources;
  resources.world_rank = mpi.rank();
  resources.pus = probe.rank.bound_pus;
  resources.l3_bytes = probe.node.l3_bytes;
  resources.mem_bytes = probe.node.mem_bytes;
  RunnerContext ctx{Registry::instance(), loop, resources, probe.node.hostname};

  std::unique_ptr<Progress> progress;
  if (mpi.rank() == 0) {
    fmt::print(
        "clusterbench {}: suite '{}', {} cases on {} ranks ({} nodes) -> {}\n",
        kToolVersion, root.suite.name, plan.cases.size(), mpi.size(),
        root.inventory.nodes.size(), root.output);
    progress = std::make_unique<Progress>(plan, stdout, redraw_progress());
  }
  ExecutorHooks hooks;
  hooks.on_start = [&](const PlannedCase& c) { progress->started(c); };
  hooks.on_round = [&](int case_id) { progress->round_done(case_id); };
  hooks.on_result = [&](CaseResult r) {
    stats::summarize_case(r);
    // A resumed file already has case ids: new ones come after them.
    r.case_id += root.case_id_offset;
    root.writer->append(r);
    r.case_id -= root.case_id_offset;
    progress->finished(r);
    root.results.push_back(std::move(r));
  };
  try {
    execute_plan(mpi, plan, ctx, hooks);
  } catch (const Interrupted& e) {
    // Every rank gets the signal (Slurm signals all tasks; mpirun forwards
    // it). Rank 0 closes the file, which holds every finished case and stays
    // "partial"; nobody waits for anybody any more.
    if (mpi.rank() == 0) {
      progress->close();
      const bool replaced = root.writer->in_place();
      root.writer.reset();
      // Cases kept part-way through their rounds are not "done".
      const auto part_way = std::count_if(
          root.results.begin(), root.results.end(), interrupted_between_rounds);
      const std::string kept =
          part_way ? fmt::format(
                         " ({} more kept part-way through their "
                         "rounds, as timeout)",
                         part_way)
                   : "";
      if (replaced)
        fmt::print(stderr,
                   "clusterbench: {}: stopped after {} of {} cases{}; partial "
                   "results in {} (status partial)\n",
                   e.what(), root.results.size() - part_way, plan.cases.size(),
                   kept, root.output);
      else
        fmt::print(stderr,
                   "clusterbench: {}: stopped before the first case; {} is "
                   "left as it was (--force replaces it only once the new "
                   "run has a case)\n",
                   e.what(), root.output);
    }
    std::fflush(nullptr);
    std::_Exit(kExitCasesFailed);
  } catch (const std::exception& e) {
    // Ranks are mid-run and cannot agree any more: end the job now rather
    // than leave anyone waiting. The file keeps every case written so far.
    fmt::print(stderr, "clusterbench: fatal: rank {} on {}: {}\n", mpi.rank(),
               probe.node.hostname, e.what());
    std::fflush(stderr);
    mpi.abort(kExitCasesFailed);
  }

  // The load at the end, next to the load at the start in /ranks: a run
  // that shared its nodes with something else shows it.
  double load = read_load_avg();
  std::vector<double> loads(mpi.rank() == 0 ? mpi.size() : 0);
  MPI_Gather(&load, 1, MPI_DOUBLE, loads.data(), 1, MPI_DOUBLE, 0, mpi.world());
  if (mpi.rank() != 0) return kExitOk;
  // A resumed file's first loads belong to the first allocation: kept.
  if (!root.resumed) root.writer->set_load_end(loads);
  progress->close();
  // Everything after the run judges the whole file: with --resume, the
  // cases that were already ok there plus the ones run now.
  if (root.resumed) {
    std::set<std::string> rerun;
    for (const CaseResult& r : root.results) rerun.insert(r.key);
    std::vector<CaseResult> all;
    for (CaseResult& c : root.resumed->cases)
      if (!rerun.count(c.key)) all.push_back(std::move(c));
    for (CaseResult& r : root.results) all.push_back(std::move(r));
    root.results = std::move(all);
  }
  for (const stats::PairMatrix& matrix :
       stats::pair_matrices(root.results, mpi.size()))
    root.writer->write_pair_matrix(matrix);
  if (auto matrices = stats::interference(root.results); !matrices.empty())
    root.writer->write_interference(matrices);
  if (auto pools = stats::pool_saturation(root.results); !pools.empty())
    root.writer->write_pool_saturation(pools);
  std::optional<stats::Comparison> comparison;
  if (root.baseline) {
    stats::CompareSettings settings =
        compare_settings(root.suite.compare, options.compare);
    comparison = stats::compare(root.results, root.baseline->cases, settings);
    root.writer->write_comparison(
        *comparison,
        ComparisonInfo{options.compare.baseline,
                       root.baseline->info.created_utc, settings.threshold,
                       settings.alpha, settings.min_samples});
  }
  root.writer->finish(utc_now_iso8601());
  root.writer.reset();
  RunInfo info = run_info(mpi, root, options.command_line);
  info.status = "complete";
  fmt::print("\n{}\nresults: {}\n", markdown_summary(info, root.results),
             root.output);
  if (comparison)
    fmt::print("\ncompared with {}:\n{}", options.compare.baseline,
               comparison_console(*comparison, redraw_progress()));
  std::string prefix = options.compare.report_prefix.empty()
                           ? report_prefix(root.output)
                           : options.compare.report_prefix;
  write_reports(root.report_formats, prefix, info, root.results, std::nullopt);
  if (comparison) {
    write_reports(root.report_formats, prefix, info, root.results, comparison);
    return verdict_exit_code(*comparison, root.results);
  }
  bool failed = std::any_of(root.results.begin(), root.results.end(),
                            [](const CaseResult& r) {
                              return r.status == CaseStatus::Failed ||
                                     r.status == CaseStatus::Timeout;
                            });
  return failed ? kExitCasesFailed : kExitOk;
}

}  // namespace cb
