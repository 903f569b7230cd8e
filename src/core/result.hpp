// The result model: one CaseResult per case, which every writer (HDF5,
// Markdown, CSV, ...) renders and nothing else computes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/benchmark.hpp"
#include "core/param.hpp"

namespace cb {

enum class CaseStatus { Ok, Failed, Skipped, Timeout };
const char* to_string(CaseStatus status);

// Rank value of a series derived across the ranks of a group case.
inline constexpr int kAcrossRanks = -1;

// Raw samples of one metric as seen by one rank (or across ranks).
struct Series {
  std::string metric;
  std::string unit;
  Better better = Better::Lower;
  int rank = kAcrossRanks;
  std::vector<double> values;
};

struct MetricSummary {
  std::string metric;
  std::string unit;
  Better better = Better::Lower;
  std::size_t n = 0;
  double min = 0, median = 0, mean = 0, max = 0, stddev = 0;
  double p05 = 0, p95 = 0;
  double p90 = 0, p99 = 0;         // tail latency (p50 is the median)
  double ci_low = 0, ci_high = 0;  // 95% confidence interval of the median
  bool valid = false;              // output verified and enough samples
  // The 95% CI of the median is wider than +-5% of it: a noisy result whose
  // small moves mean nothing (rerun on a quieter node, or take more samples).
  bool unstable = false;
};

struct CaseResult {
  int case_id = 0;
  std::string key;  // benchmark[canonical params]@backend:device slot
  std::string benchmark;
  std::string kind;
  std::string scope;
  std::string backend;
  std::string device_name;
  std::string ranks;  // "0" or "0,1" or "0-3"
  CaseStatus status = CaseStatus::Ok;
  std::string error;  // why it failed or was skipped
  // What the output was checked against, as the benchmark said (ok cases).
  std::string verification;
  double wall_s = 0;
  std::string started_utc;
  ParamSet params;
  std::vector<MetricSummary> metrics;  // one per headline series
  std::vector<Series> samples;         // every raw sample
};

}  // namespace cb
