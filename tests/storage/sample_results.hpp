// A realistic run (2 nodes, 4 ranks) with every shape of result the writer
// must handle: local and group cases, per-rank and across-rank (-1) samples,
// failed and skipped cases, and parameters of every type. Shared by the round
// trip test and write_sample_file (which feeds tests/python/check_results.py).
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "hardware/inventory.hpp"
#include "storage/run_info.hpp"

namespace cb::sample {

inline RunInfo sample_run_info() {
  RunInfo info;
  info.tool_version = "0.1.0";
  info.git_commit = "0123456789ab";
  info.created_utc = "2024-05-01T12:00:00Z";
  info.status = "partial";
  info.command_line = "clusterbench run smoke.toml -o out.h5";
  info.mpi_library = "Open MPI v4.1.4";
  info.mpi_thread_level = "funneled";
  info.backends_built = "cpu,mpi";
  info.slurm_job_id = "123456";
  info.world_size = 4;
  info.n_nodes = 2;
  info.suite_text =
      "[suite]\nname = \"smoke\"  # ünïcode comment\n\n[[benchmark]]\n"
      "name = \"distributed.allreduce\"\nsizes = \"8B:1MiB:x4\"\n";
  return info;
}

inline Inventory sample_inventory() {
  Inventory inv;
  for (int n = 0; n < 2; ++n)
    inv.nodes.push_back({n, "node" + std::to_string(n) + ".cluster",
                         "AMD EPYC 7763 64-Core Processor", 2, 128, 256, 8,
                         512ull << 20, 512ull << 30});
  for (int r = 0; r < 4; ++r)
    inv.ranks.push_back({r, r / 2, r % 2, r % 2 ? "4-7" : "0-3", 4, 40000L + r,
                         "performance", "on", 0.5 + r, 1.5 + r});
  for (int r = 0; r < 4; ++r) {
    DeviceInfo cpu;
    cpu.rank = r;
    cpu.backend = "cpu";
    cpu.index = 0;
    cpu.name = "AMD EPYC 7763 64-Core Processor";
    cpu.mem_bytes = 512ull << 30;
    cpu.compute_units = 4;
    cpu.clock_mhz = 2450;
    inv.devices.push_back(cpu);
    DeviceInfo cuda;
    cuda.rank = r;
    cuda.backend = "cuda";
    cuda.status = "CUDA: not built";
    inv.devices.push_back(cuda);
  }
  return inv;
}

// Order statistics as the stats module would give them (close enough for a
// fixture: the writer stores, it does not compute).
inline MetricSummary summarize(const Series& s) {
  std::vector<double> v = s.values;
  std::sort(v.begin(), v.end());
  auto q = [&](double p) {
    double pos = p * static_cast<double>(v.size() - 1);
    auto lo = static_cast<std::size_t>(pos);
    std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
  };
  MetricSummary m;
  m.metric = s.metric;
  m.unit = s.unit;
  m.better = s.better;
  m.n = v.size();
  m.min = v.front();
  m.max = v.back();
  m.median = q(0.5);
  m.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(m.n);
  double ss = 0;
  for (double x : v) ss += (x - m.mean) * (x - m.mean);
  m.stddev =
      std::sqrt(ss / static_cast<double>(std::max<std::size_t>(1, m.n - 1)));
  m.p05 = q(0.05);
  m.p95 = q(0.95);
  m.p90 = q(0.90);
  m.p99 = q(0.99);
  m.ci_low = q(0.3);
  m.ci_high = q(0.7);
  m.valid = m.n >= 5;
  return m;
}

inline Series noisy(const std::string& metric, const std::string& unit,
                    Better better, int rank, double center, int n,
                    std::mt19937& rng) {
  std::normal_distribution<double> noise(1.0, 0.02);
  Series s{metric, unit, better, rank, {}};
  for (int i = 0; i < n; ++i) s.values.push_back(center * noise(rng));
  return s;
}

inline std::vector<CaseResult> sample_cases() {
  std::mt19937 rng(42);
  std::vector<CaseResult> cases;
  int id = 0;
  // A local case per rank: STREAM triad on the CPU.
  for (int r = 0; r < 4; ++r) {
    CaseResult c;
    c.case_id = id++;
    c.benchmark = "hardware.stream";
    c.kind = "hardware";
    c.scope = "local";
    c.backend = "cpu";
    c.device_name = "AMD EPYC 7763 64-Core Processor";
    c.ranks = std::to_string(r);
    c.params = {{"array_bytes", std::int64_t{1} << 26},
                {"op", std::string("triad")}};
    c.key = "hardware.stream[array_bytes=67108864,op=triad]@cpu:" + c.ranks;
    c.verification = "mean abs error a=0 b=0 c=0 over 8388608 elements";
    c.wall_s = 1.5;
    c.started_utc = "2024-05-01T12:00:01Z";
    c.samples = {noisy("time", "s", Better::Lower, r, 4.2e-3, 20, rng),
                 noisy("bandwidth", "GB/s", Better::Higher, r, 47.9, 20, rng)};
    for (const Series& s : c.samples) c.metrics.push_back(summarize(s));
    cases.push_back(c);
  }
  // A group case over all ranks, swept over sizes: per-rank times, and the
  // across-rank series (rank -1) the summaries are computed from.
  for (std::int64_t size : {8, 1024, 65536, 1048576}) {
    CaseResult c;
    c.case_id = id++;
    c.benchmark = "distributed.allreduce";
    c.kind = "distributed";
    c.scope = "group";
    c.backend = "mpi";
    c.device_name = "";
    c.ranks = "0-3";
    c.params = {{"size", size},
                {"dtype", std::string("float32")},
                {"in_place", size > 1024},
                {"warmup_fraction", 0.25}};
    c.key = "distributed.allreduce[" + std::string("dtype=float32,in_place=") +
            (size > 1024 ? "true" : "false") + ",size=" + std::to_string(size) +
            ",warmup_fraction=0.25]@mpi:0-3";
    c.wall_s = 0.8;
    c.started_utc = "2024-05-01T12:00:05Z";
    c.verification =
        "0 wrong elements of " + std::to_string(size / 4) + " (float32)";
    double t = 3e-6 + static_cast<double>(size) / 5e9;
    for (int r = 0; r < 4; ++r)
      c.samples.push_back(noisy("time", "s", Better::Lower, r, t, 10, rng));
    Series across = noisy("time", "s", Better::Lower, kAcrossRanks, t, 10, rng);
    Series busbw{"busbw", "GB/s", Better::Higher, kAcrossRanks, {}};
    for (double x : across.values)
      busbw.values.push_back(static_cast<double>(size) / x * 1.5 / 1e9);
    c.metrics = {summarize(across), summarize(busbw)};
    c.samples.push_back(across);
    c.samples.push_back(busbw);
    cases.push_back(c);
  }
  {  // The backend was not built: skipped with a reason, no metrics.
    CaseResult c;
    c.case_id = id++;
    c.benchmark = "hardware.stream";
    c.kind = "hardware";
    c.scope = "local";
    c.backend = "cuda";
    c.ranks = "0";
    c.status = CaseStatus::Skipped;
    c.error = "CUDA: not built";
    c.params = {{"array_bytes", std::int64_t{1} << 26},
                {"op", std::string("triad")}};
    c.key = "hardware.stream[array_bytes=67108864,op=triad]@cuda:0";
    cases.push_back(c);
  }
  {  // A failed case, with a unicode string parameter and error.
    CaseResult c;
    c.case_id = id++;
    c.benchmark = "model.transformer";
    c.kind = "model";
    c.scope = "local";
    c.backend = "cpu";
    c.device_name = "AMD EPYC 7763 64-Core Processor";
    c.ranks = "1";
    c.status = CaseStatus::Failed;
    c.error = "verification failed: max |Δ| = 3.2e-2 > 1e-3 (ρ=0.9)";
    c.params = {{"preset", std::string("bert-tiny-ünï-😀")},
                {"batch", std::int64_t{8}},
                {"scale", 2.0},
                {"causal", false},
                {"label", std::string("true")},
                {"offset", std::int64_t{-3}}};
    c.key = "model.transformer[batch=8,...]@cpu:1";
    c.wall_s = 0.1;
    c.started_utc = "2024-05-01T12:00:09Z";
    cases.push_back(c);
  }
  return cases;
}

}  // namespace cb::sample
