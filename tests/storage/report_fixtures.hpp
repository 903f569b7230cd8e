// Fixed inputs for the report writers' golden files: a comparison with every
// verdict, NaN and infinite fields, and text that every format must escape
// (quotes, commas, <&>, a newline, a tab, '|', non-ASCII). Literal numbers
// only (no random generator), so the golden files are the same on every
// platform.
#pragma once

#include <array>
#include <limits>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "stats/comparison.hpp"
#include "storage/comparison_info.hpp"
#include "storage/run_info.hpp"

namespace cb::fixture {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInf = std::numeric_limits<double>::infinity();

inline stats::ComparisonRow row(std::string key, std::string benchmark,
                                std::string kind, std::string metric,
                                std::string unit, Better better,
                                stats::Verdict verdict) {
  stats::ComparisonRow r;
  r.key = std::move(key);
  r.benchmark = std::move(benchmark);
  r.kind = std::move(kind);
  r.metric = std::move(metric);
  r.unit = std::move(unit);
  r.better = better;
  r.verdict = verdict;
  return r;
}

// The tricky key: a string parameter with quotes, a comma and <&>.
inline const std::string kTrickyKey =
    "model.transformer[label=\"a,b\" <x&y>,preset=bert-tiny]@cpu:1";

inline stats::Comparison comparison() {
  using stats::Verdict;
  stats::Comparison c;
  {  // Rows in model order; the writers put regressions first themselves.
    auto r = row("distributed.allreduce[dtype=float32,size=1048576]@mpi:0-3",
                 "distributed.allreduce", "distributed", "busbw", "GB/s",
                 Better::Higher, Verdict::Improvement);
    r.baseline_median = 10.5, r.current_median = 12.1, r.ratio = 1.152381;
    r.ratio_ci_low = 1.1, r.ratio_ci_high = 1.2, r.p_value = 0.004;
    r.n_baseline = 10, r.n_current = 10;
    r.reason =
        "+15.2% (higher is better), beyond threshold 5%, p=0.004 < "
        "alpha=0.05";
    c.rows.push_back(r);
  }
  {
    auto r = row("hardware.stream[array_bytes=67108864,op=triad]@cpu:0",
                 "hardware.stream", "hardware", "bandwidth", "GB/s",
                 Better::Higher, Verdict::Regression);
    r.baseline_median = 47.9, r.current_median = 40.1, r.ratio = 0.837161;
    r.ratio_ci_low = 0.81, r.ratio_ci_high = 0.86, r.p_value = 0.0012;
    r.n_baseline = 20, r.n_current = 20;
    r.reason =
        "-16.3% (higher is better), beyond threshold 5%, p=0.0012 < "
        "alpha=0.05";
    c.rows.push_back(r);
  }
  {
    auto r = row("hardware.stream[array_bytes=67108864,op=triad]@cpu:0",
                 "hardware.stream", "hardware", "time", "s", Better::Lower,
                 Verdict::Unchanged);
    r.baseline_median = 4.2e-3, r.current_median = 4.242e-3, r.ratio = 1.01;
    r.ratio_ci_low = 0.98, r.ratio_ci_high = 1.04, r.p_value = 0.41;
    r.n_baseline = 20, r.n_current = 20;
    r.reason = "+1.0% (lower is better) within threshold 5%, p=0.41";
    c.rows.push_back(r);
  }
  {
    auto r = row(kTrickyKey, "model.transformer", "model", "time", "s",
                 Better::Lower, Verdict::Regression);
    r.baseline_median = 4.2e-3, r.current_median = 5.1e-3, r.ratio = 1.214286;
    r.ratio_ci_low = 1.15, r.ratio_ci_high = 1.3, r.p_value = 3e-5;
    r.n_baseline = 12, r.n_current = 12;
    r.reason = "+21.4% (lower is better), \"quoted\" <tag> & more, p=3e-05";
    c.rows.push_back(r);
  }
  {  // Zero baseline: an infinite ratio, and too few samples.
    auto r = row("resource_pool.queue[contexts=4]@cpu:0", "resource_pool.queue",
                 "resource_pool", "dropped", "count", Better::Lower,
                 Verdict::Insufficient);
    r.baseline_median = 0, r.current_median = 2, r.ratio = kInf;
    r.n_baseline = 3, r.n_current = 20;
    r.reason = "n=20 current, 3 baseline; need 5";
    c.rows.push_back(r);
  }
  {
    auto r = row("distributed.pingpong[size=8]@mpi:0,1", "distributed.pingpong",
                 "distributed", "latency", "us", Better::Lower, Verdict::New);
    r.current_median = 1.25, r.n_current = 50;
    r.reason = "not in baseline";
    c.rows.push_back(r);
  }
  {
    auto r =
        row("hardware.gemm[dtype=float64,n=4096]@cpu:0", "hardware.gemm",
            "hardware", "flops", "GFLOP/s", Better::Higher, Verdict::Missing);
    r.baseline_median = 1830, r.n_baseline = 10;
    r.reason = "not in current results";
    c.rows.push_back(r);
  }
  {
    auto r = row("hardware.stream[array_bytes=67108864,op=triad]@cuda:0",
                 "hardware.stream", "hardware", "bandwidth", "GB/s",
                 Better::Higher, Verdict::Incomparable);
    r.baseline_median = 1550, r.current_median = 3010;
    r.n_baseline = 20, r.n_current = 20;
    r.reason = "device differs: \"NVIDIA H100\"\n\tvs \"NVIDIA A100\"";
    c.rows.push_back(r);
  }
  {  // A failed case without metrics: one row, empty metric, all NaN.
    auto r = row("model.mlp[batch=8]@cpu:1", "model.mlp", "model", "", "",
                 Better::Lower, Verdict::Failed);
    r.reason = "current failed: verification failed: max |Δ| = 3.2e-2 > 1e-3";
    c.rows.push_back(r);
  }
  c.by_kind = {{"distributed", 1.152381, 1},
               {"hardware", 0.91949, 2},
               {"model", 0.823529, 1}};
  return c;
}

inline ComparisonInfo comparison_info() {
  ComparisonInfo info;
  info.baseline_path = "results/reference/smoke.h5";
  info.baseline_created_utc = "2024-04-01T08:00:00Z";
  info.threshold = 0.05;
  info.alpha = 0.05;
  info.min_samples = 5;
  return info;
}

inline RunInfo run_info() {
  RunInfo info;
  info.tool_version = "0.1.0";
  info.git_commit = "0123456789ab";
  info.created_utc = "2024-05-01T12:00:00Z";
  info.finished_utc = "2024-05-01T12:03:00Z";
  info.status = "complete";
  info.command_line = "clusterbench run smoke.toml -o \"out dir/run.h5\"";
  info.mpi_library = "Open MPI v4.1.4";
  info.hdf5_version = "1.10.8";
  info.backends_built = "cpu,mpi";
  info.world_size = 2;
  info.n_nodes = 1;
  info.suite_text = "[suite]\nname = \"smoke\"\n";
  return info;
}

// Summary fields in order: min, median, mean, max, stddev, p05, p95,
// ci_low, ci_high.
inline MetricSummary metric(std::string name, std::string unit, Better better,
                            std::array<double, 9> v) {
  MetricSummary m;
  m.metric = std::move(name);
  m.unit = std::move(unit);
  m.better = better;
  m.n = 10;
  m.min = v[0], m.median = v[1], m.mean = v[2], m.max = v[3];
  m.stddev = v[4], m.p05 = v[5], m.p95 = v[6];
  m.ci_low = v[7], m.ci_high = v[8];
  // Tail percentiles between their neighbours, so that they are ordered.
  m.p90 = (v[1] + v[6]) / 2, m.p99 = (v[6] + v[3]) / 2;
  m.valid = true;
  return m;
}

// One case of each status; parameters of every type, one with a comma,
// quotes and <&>.
inline std::vector<CaseResult> cases() {
  std::vector<CaseResult> out;
  CaseResult ok;
  ok.case_id = 0;
  ok.key = "hardware.stream[array_bytes=67108864,op=triad]@cpu:0";
  ok.benchmark = "hardware.stream";
  ok.kind = "hardware";
  ok.scope = "local";
  ok.backend = "cpu";
  ok.device_name = "AMD EPYC 7763 64-Core Processor";
  ok.ranks = "0";
  ok.wall_s = 1.5;
  ok.started_utc = "2024-05-01T12:00:01Z";
  ok.verification = "mean abs error a=0 b=0 c=0 over 8388608 elements";
  ok.params = {{"array_bytes", std::int64_t{67108864}},
               {"op", std::string("triad")}};
  // A NaN field (a CI the stats could not give) and an invalid summary.
  ok.metrics = {metric("time", "s", Better::Lower,
                       {0.0036, 0.004, 0.00404, 0.0048, 2e-4, 0.00368, 0.0046,
                        0.00392, kNaN}),
                metric("bandwidth", "GB/s", Better::Higher,
                       {43.2, 48, 48.5, 57.6, 2.4, 44.2, 55.2, 47, 49})};
  ok.metrics[0].valid = false;
  out.push_back(ok);

  CaseResult failed;
  failed.case_id = 1;
  failed.key = kTrickyKey;
  failed.benchmark = "model.transformer";
  failed.kind = "model";
  failed.scope = "local";
  failed.backend = "cpu";
  failed.ranks = "1";
  failed.status = CaseStatus::Failed;
  failed.error = "verification failed: max |Δ| = 3.2e-2 > 1e-3\n<&> \"x\"";
  failed.wall_s = 0.25;
  failed.params = {{"label", std::string("\"a,b\" <x&y>")},
                   {"preset", std::string("bert-tiny")},
                   {"scale", 2.0},
                   {"causal", true}};
  out.push_back(failed);

  CaseResult skipped;
  skipped.case_id = 2;
  skipped.key = "hardware.stream[array_bytes=67108864,op=triad]@cuda:0";
  skipped.benchmark = "hardware.stream";
  skipped.kind = "hardware";
  skipped.scope = "local";
  skipped.backend = "cuda";
  skipped.ranks = "0";
  skipped.status = CaseStatus::Skipped;
  skipped.error = "CUDA: not built";
  skipped.params = {{"array_bytes", std::int64_t{67108864}},
                    {"op", std::string("triad")}};
  out.push_back(skipped);

  CaseResult timeout;
  timeout.case_id = 3;
  timeout.key = "distributed.allreduce[size=8]@mpi:0-1";
  timeout.benchmark = "distributed.allreduce";
  timeout.kind = "distributed";
  timeout.scope = "group";
  timeout.backend = "mpi";
  timeout.ranks = "0-1";
  timeout.status = CaseStatus::Timeout;
  timeout.error = "no result after 60 s";
  timeout.wall_s = 60;
  timeout.params = {{"size", std::int64_t{8}}};
  out.push_back(timeout);
  return out;
}

}  // namespace cb::fixture
