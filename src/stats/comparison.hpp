// Regression detection against a baseline: the comparison model and the pure
// verdict logic (DESIGN.md "Regressions"; rendered as /comparison and by the
// report writers). No I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/benchmark.hpp"
#include "core/result.hpp"

namespace cb::stats {

enum class Verdict {
  Regression,    // worse by more than the threshold, and p < alpha
  Improvement,   // better by more than the threshold, and p < alpha
  Unchanged,     // within the threshold, or not significant
  Insufficient,  // fewer than min_samples raw samples on either side
  New,           // case or metric only in the current results
  Missing,       // case or metric only in the baseline
  Incomparable,  // device, params or unit differ, or the ratio is undefined
  Failed,        // either side's case status is not ok
};
// "regression", "improvement", "unchanged", "insufficient", "new", "missing",
// "incomparable", "failed".
const char* to_string(Verdict verdict);

struct CompareSettings {
  double threshold = 0.05;  // relative move of the median, e.g. 0.05 = 5%
  // Significance level of the Mann-Whitney U test and, with a history, one
  // minus the level of the runs' prediction interval.
  double alpha = 0.05;
  std::size_t min_samples = 5;
  std::map<std::string, double> benchmark_threshold;  // by benchmark name
  // By "benchmark.metric" (e.g. "hardware.stream.triad") or bare metric name.
  std::map<std::string, double> metric_threshold;
  // Bootstrap CI of the ratio of medians.
  double ci_confidence = 0.95;
  int bootstrap_resamples = 2000;
  std::uint64_t bootstrap_seed = 42;

  // A baseline of several runs (compare --history): every run's results,
  // oldest first. With at least kMinRunsForSpread runs a regression (or
  // improvement) must also lie outside the 1 - alpha prediction interval of the
  // runs' medians: a run, not a sample, is the unit that varies between runs.
  const std::vector<std::vector<CaseResult>>* history = nullptr;
  // The current side as several runs of the same build (compare NEW-1.h5
  // NEW-2.h5 ... --history DIR), `current` being their pooled samples. The
  // geometric mean of their medians is then held against the prediction
  // interval for a mean of that many runs, which is narrower by up to
  // sqrt(runs): drift between runs, not sample noise, is what limits a
  // verdict (docs/regression-detection.md), and only more runs average it.
  const std::vector<std::vector<CaseResult>>* current_runs = nullptr;

  // Most specific wins: metric_threshold["benchmark.metric"], then
  // metric_threshold["metric"], then benchmark_threshold["benchmark"], then
  // threshold.
  double threshold_for(const std::string& benchmark,
                       const std::string& metric) const;
};

struct ComparisonRow {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::string key, benchmark, kind, metric, unit;
  Better better = Better::Lower;
  double baseline_median = kNaN, current_median = kNaN;
  double ratio = kNaN;  // current_median / baseline_median
  double ratio_ci_low = kNaN, ratio_ci_high = kNaN;
  double p_value = kNaN;  // two-sided Mann-Whitney U on the raw samples
  std::size_t n_baseline = 0, n_current = 0;
  Verdict verdict = Verdict::Unchanged;
  std::string reason;  // one line, for people
};

struct KindChange {
  std::string kind;
  // Geometric mean over the kind's regression/improvement/unchanged rows of
  // the "goodness" ratio (Higher: ratio, Lower: 1/ratio): > 1 is better.
  double geomean_ratio = 1.0;
  std::size_t metrics = 0;  // rows that entered the mean
};

struct Comparison {
  std::vector<ComparisonRow> rows;
  std::vector<KindChange> by_kind;  // sorted by kind
  bool any_regression() const;
};

inline constexpr std::size_t kMinRunsForSpread = 3;

// The prediction interval (two-sided, at `confidence`) for the geometric
// mean of the medians of m more runs (m = future_runs), from the medians of k
// earlier runs (positive values; computed on their logarithms, so that it is
// a band of ratios): mean +- t(1 - (1 - confidence)/2, k-1) * sd *
// sqrt(1/m + 1/k). NaNs are dropped; fewer than kMinRunsForSpread values give
// {NaN, NaN}. confidence must lie in (0, 1).
std::pair<double, double> run_prediction_interval(std::vector<double> medians,
                                                  std::size_t future_runs = 1,
                                                  double confidence = 0.95);

// Rows come in the order of `current`, each case's metrics in its order, then
// metrics only in the baseline; then cases only in the baseline, in their
// order. A case without metrics still gets one row (empty metric) when it is
// new, missing or failed. Duplicate keys: the first case with a key wins.
Comparison compare(const std::vector<CaseResult>& current,
                   const std::vector<CaseResult>& baseline,
                   const CompareSettings& settings);

}  // namespace cb::stats
