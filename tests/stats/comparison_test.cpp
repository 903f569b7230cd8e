#include "stats/comparison.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "stats/case_summary.hpp"
#include "stats/history.hpp"

namespace cb::stats {
namespace {

// n values spread +-1% around centre, deterministic and tie-free.
std::vector<double> around(double centre, std::size_t n = 10) {
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(
        centre *
        (1.0 + 0.01 * (static_cast<double>((i * 7) % 11) - 5.0) / 5.0));
  return out;
}

struct MetricData {
  std::string metric;
  Better better;
  std::vector<double> values;
  std::string unit = "s";
};

// A local case: one series per metric (rank 0), summarised as run does.
CaseResult make_case(const std::string& key, std::vector<MetricData> data,
                     const std::string& kind = "hardware",
                     const std::string& benchmark = "hardware.stream") {
  CaseResult c;
  c.key = key;
  c.benchmark = benchmark;
  c.kind = kind;
  c.scope = "local";
  c.device_name = "cpu0";
  c.params = {{"size", std::int64_t{1024}}, {"threads", std::int64_t{8}}};
  for (MetricData& d : data)
    c.samples.push_back({d.metric, d.unit, d.better, 0, std::move(d.values)});
  summarize_case(c);
  return c;
}

CaseResult one_metric(const std::string& key, Better better,
                      std::vector<double> values) {
  return make_case(key, {{"time", better, std::move(values)}});
}

ComparisonRow only_row(const Comparison& cmp) {
  EXPECT_EQ(cmp.rows.size(), 1u);
  return cmp.rows.front();
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(Comparison, VerdictNames) {
  EXPECT_STREQ(to_string(Verdict::Regression), "regression");
  EXPECT_STREQ(to_string(Verdict::Improvement), "improvement");
  EXPECT_STREQ(to_string(Verdict::Unchanged), "unchanged");
  EXPECT_STREQ(to_string(Verdict::Insufficient), "insufficient");
  EXPECT_STREQ(to_string(Verdict::New), "new");
  EXPECT_STREQ(to_string(Verdict::Missing), "missing");
  EXPECT_STREQ(to_string(Verdict::Incomparable), "incomparable");
  EXPECT_STREQ(to_string(Verdict::Failed), "failed");
}

TEST(Comparison, LowerIsBetterRegressionAndImprovement) {
  const CaseResult base = one_metric("k", Better::Lower, around(100.0));
  const Comparison slower =
      compare({one_metric("k", Better::Lower, around(120.0))}, {base}, {});
  const ComparisonRow r = only_row(slower);
  EXPECT_EQ(r.verdict, Verdict::Regression) << r.reason;
  EXPECT_NEAR(r.ratio, 1.2, 1e-12);
  EXPECT_DOUBLE_EQ(r.ratio, r.current_median / r.baseline_median);
  EXPECT_LT(r.p_value, 0.05);
  EXPECT_EQ(r.n_current, 10u);
  EXPECT_EQ(r.n_baseline, 10u);
  EXPECT_EQ(r.key, "k");
  EXPECT_EQ(r.metric, "time");
  EXPECT_EQ(r.unit, "s");
  EXPECT_EQ(r.better, Better::Lower);
  EXPECT_TRUE(slower.any_regression());

  const Comparison faster =
      compare({one_metric("k", Better::Lower, around(80.0))}, {base}, {});
  EXPECT_EQ(only_row(faster).verdict, Verdict::Improvement)
      << only_row(faster).reason;
  EXPECT_FALSE(faster.any_regression());
}

TEST(Comparison, HigherIsBetterFlipsDirection) {
  const CaseResult base = one_metric("k", Better::Higher, around(100.0));
  const Comparison lower =
      compare({one_metric("k", Better::Higher, around(80.0))}, {base}, {});
  EXPECT_EQ(only_row(lower).verdict, Verdict::Regression);
  const Comparison higher =
      compare({one_metric("k", Better::Higher, around(120.0))}, {base}, {});
  EXPECT_EQ(only_row(higher).verdict, Verdict::Improvement);
}

TEST(Comparison, ThresholdIsPlainRatioBothWays) {
  // Lower is better: worse above 1 + t, better below 1 / (1 + t).
  const CaseResult base = one_metric("k", Better::Lower, around(100.0));
  CompareSettings s;
  s.threshold = 0.25;
  // 0.81 > 1/1.25 = 0.8: not better by more than the threshold.
  EXPECT_EQ(only_row(compare({one_metric("k", Better::Lower, around(81.0))},
                             {base}, s))
                .verdict,
            Verdict::Unchanged);
  EXPECT_EQ(only_row(compare({one_metric("k", Better::Lower, around(79.0))},
                             {base}, s))
                .verdict,
            Verdict::Improvement);
  EXPECT_EQ(only_row(compare({one_metric("k", Better::Lower, around(124.0))},
                             {base}, s))
                .verdict,
            Verdict::Unchanged);
  EXPECT_EQ(only_row(compare({one_metric("k", Better::Lower, around(126.0))},
                             {base}, s))
                .verdict,
            Verdict::Regression);
}

TEST(Comparison, UnchangedWithinThresholdEvenIfSignificant) {
  const CaseResult base = one_metric("k", Better::Lower, around(100.0, 30));
  const Comparison cmp =
      compare({one_metric("k", Better::Lower, around(103.0, 30))}, {base}, {});
  const ComparisonRow r = only_row(cmp);
  EXPECT_EQ(r.verdict, Verdict::Unchanged);
  EXPECT_LT(r.p_value, 0.05);
  EXPECT_TRUE(contains(r.reason, "within")) << r.reason;
}

TEST(Comparison, UnchangedWhenMovedButNotSignificant) {
  const CaseResult base =
      one_metric("k", Better::Lower, {80, 90, 100, 110, 120});
  const Comparison cmp = compare(
      {one_metric("k", Better::Lower, {85, 96, 107, 118, 129})}, {base}, {});
  const ComparisonRow r = only_row(cmp);
  EXPECT_EQ(r.verdict, Verdict::Unchanged);
  EXPECT_NEAR(r.ratio, 1.07, 1e-12);
  EXPECT_GE(r.p_value, 0.05);
  EXPECT_TRUE(contains(r.reason, "+7.0%")) << r.reason;
  EXPECT_TRUE(contains(r.reason, "but p=")) << r.reason;
}

TEST(Comparison, ThresholdFor) {
  CompareSettings s;
  s.threshold = 0.05;
  s.benchmark_threshold["hardware.stream"] = 0.10;
  s.metric_threshold["time"] = 0.20;
  s.metric_threshold["hardware.stream.time"] = 0.30;
  EXPECT_DOUBLE_EQ(s.threshold_for("hardware.stream", "time"), 0.30);
  EXPECT_DOUBLE_EQ(s.threshold_for("hardware.gemm", "time"), 0.20);
  EXPECT_DOUBLE_EQ(s.threshold_for("hardware.stream", "bw"), 0.10);
  EXPECT_DOUBLE_EQ(s.threshold_for("hardware.gemm", "bw"), 0.05);
}

TEST(Comparison, ThresholdOverridesChangeTheVerdict) {
  const CaseResult base = one_metric("k", Better::Lower, around(100.0));
  const CaseResult cur = one_metric("k", Better::Lower, around(115.0));
  CompareSettings s;
  EXPECT_EQ(only_row(compare({cur}, {base}, s)).verdict, Verdict::Regression);
  s.benchmark_threshold["hardware.stream"] = 0.20;
  EXPECT_EQ(only_row(compare({cur}, {base}, s)).verdict, Verdict::Unchanged);
  s.metric_threshold["time"] = 0.10;  // bare metric beats benchmark
  EXPECT_EQ(only_row(compare({cur}, {base}, s)).verdict, Verdict::Regression);
  s.metric_threshold["hardware.stream.time"] = 0.16;  // most specific
  EXPECT_EQ(only_row(compare({cur}, {base}, s)).verdict, Verdict::Unchanged);
  s.metric_threshold["other.bench.time"] = 0.01;  // another benchmark's
  EXPECT_EQ(only_row(compare({cur}, {base}, s)).verdict, Verdict::Unchanged);
}

TEST(Comparison, IncomparableOnDevice) {
  const CaseResult base = one_metric("k", Better::Lower, around(100.0));
  CaseResult cur = one_metric("k", Better::Lower, around(200.0));
  cur.device_name = "H100";
  const ComparisonRow r = only_row(compare({cur}, {base}, {}));
  EXPECT_EQ(r.verdict, Verdict::Incomparable);
  EXPECT_EQ(r.reason, "device differs: 'H100' vs 'cpu0'");
  EXPECT_TRUE(std::isnan(r.ratio));
  EXPECT_TRUE(std::isnan(r.p_value));
}

TEST(Comparison, IncomparableOnParams) {
  const CaseResult base = one_metric("k", Better::Lower, around(100.0));
  CaseResult cur = one_metric("k", Better::Lower, around(100.0));
  cur.params["threads"] = std::int64_t{4};
  const ComparisonRow r = only_row(compare({cur}, {base}, {}));
  EXPECT_EQ(r.verdict, Verdict::Incomparable);
  EXPECT_EQ(r.reason, "param 'threads' differs: '4' vs '8'");

  CaseResult extra = one_metric("k", Better::Lower, around(100.0));
  extra.params["affinity"] = std::string("close");
  const ComparisonRow e = only_row(compare({extra}, {base}, {}));
  EXPECT_EQ(e.verdict, Verdict::Incomparable);
  EXPECT_TRUE(contains(e.reason, "'affinity'")) << e.reason;
}

TEST(Comparison, IncomparableOnUnit) {
  const CaseResult base = one_metric("k", Better::Lower, around(100.0));
  CaseResult cur =
      make_case("k", {{"time", Better::Lower, around(100.0), "ms"}});
  const ComparisonRow r = only_row(compare({cur}, {base}, {}));
  EXPECT_EQ(r.verdict, Verdict::Incomparable);
  EXPECT_TRUE(contains(r.reason, "unit")) << r.reason;
}

TEST(Comparison, InsufficientSamples) {
  CompareSettings s;
  s.min_samples = 5;
  const CaseResult base = one_metric("k", Better::Lower, around(100.0, 4));
  const CaseResult cur = one_metric("k", Better::Lower, around(200.0, 10));
  const ComparisonRow r = only_row(compare({cur}, {base}, s));
  EXPECT_EQ(r.verdict, Verdict::Insufficient);
  EXPECT_EQ(r.n_baseline, 4u);
  EXPECT_EQ(r.n_current, 10u);
  EXPECT_TRUE(std::isnan(r.p_value));
  EXPECT_FALSE(compare({cur}, {base}, s).any_regression());
  s.min_samples = 4;
  EXPECT_EQ(only_row(compare({cur}, {base}, s)).verdict, Verdict::Regression);
}

TEST(Comparison, NewAndMissingCasesAndMetrics) {
  const CaseResult both_base =
      make_case("both", {{"time", Better::Lower, around(1.0)},
                         {"old_metric", Better::Lower, around(2.0)}});
  const CaseResult both_cur =
      make_case("both", {{"time", Better::Lower, around(1.0)},
                         {"new_metric", Better::Higher, around(3.0)}});
  const CaseResult gone = make_case(
      "gone",
      {{"a", Better::Lower, around(1.0)}, {"b", Better::Lower, around(1.0)}});
  const CaseResult fresh = one_metric("fresh", Better::Lower, around(1.0));
  const Comparison cmp = compare({both_cur, fresh}, {gone, both_base}, {});
  ASSERT_EQ(cmp.rows.size(), 6u);
  EXPECT_EQ(cmp.rows[0].metric, "time");
  EXPECT_EQ(cmp.rows[0].verdict, Verdict::Unchanged);
  EXPECT_EQ(cmp.rows[1].metric, "new_metric");
  EXPECT_EQ(cmp.rows[1].verdict, Verdict::New);
  EXPECT_EQ(cmp.rows[1].n_current, 10u);
  EXPECT_EQ(cmp.rows[2].metric, "old_metric");
  EXPECT_EQ(cmp.rows[2].verdict, Verdict::Missing);
  EXPECT_EQ(cmp.rows[2].n_baseline, 10u);
  EXPECT_EQ(cmp.rows[3].key, "fresh");
  EXPECT_EQ(cmp.rows[3].verdict, Verdict::New);
  EXPECT_TRUE(std::isnan(cmp.rows[3].baseline_median));
  EXPECT_EQ(cmp.rows[4].key, "gone");
  EXPECT_EQ(cmp.rows[4].metric, "a");
  EXPECT_EQ(cmp.rows[4].verdict, Verdict::Missing);
  EXPECT_EQ(cmp.rows[5].metric, "b");
  EXPECT_EQ(cmp.rows[5].verdict, Verdict::Missing);
  EXPECT_TRUE(std::isnan(cmp.rows[5].current_median));
}

TEST(Comparison, FailedOnEitherSide) {
  const CaseResult ok = one_metric("k", Better::Lower, around(100.0));
  CaseResult bad = one_metric("k", Better::Lower, around(200.0));
  bad.status = CaseStatus::Failed;
  bad.error = "out of memory";

  const ComparisonRow cur_failed = only_row(compare({bad}, {ok}, {}));
  EXPECT_EQ(cur_failed.verdict, Verdict::Failed);
  EXPECT_TRUE(contains(cur_failed.reason, "current")) << cur_failed.reason;
  EXPECT_TRUE(contains(cur_failed.reason, "out of memory"));

  const ComparisonRow base_failed = only_row(compare({ok}, {bad}, {}));
  EXPECT_EQ(base_failed.verdict, Verdict::Failed);
  EXPECT_TRUE(contains(base_failed.reason, "baseline")) << base_failed.reason;
  EXPECT_FALSE(contains(base_failed.reason, "current"));

  // Failed wins over incomparable, and a case without metrics still reports.
  CaseResult empty;
  empty.key = "k";
  empty.kind = "hardware";
  empty.device_name = "other";
  empty.status = CaseStatus::Timeout;
  const Comparison cmp = compare({empty}, {ok}, {});
  ASSERT_EQ(cmp.rows.size(), 1u);
  EXPECT_EQ(cmp.rows[0].verdict, Verdict::Failed);
  EXPECT_EQ(cmp.rows[0].metric, "time");  // from the baseline
  EXPECT_TRUE(contains(cmp.rows[0].reason, "timeout"));

  CaseResult both_empty = empty;
  const Comparison none = compare({empty}, {both_empty}, {});
  ASSERT_EQ(none.rows.size(), 1u);
  EXPECT_EQ(none.rows[0].metric, "");
  EXPECT_EQ(none.rows[0].verdict, Verdict::Failed);
}

TEST(Comparison, SkippedIsNotFailed) {
  const CaseResult ok = one_metric("k", Better::Lower, around(100.0));
  CaseResult skipped;
  skipped.key = "k";
  skipped.kind = "hardware";
  skipped.status = CaseStatus::Skipped;
  skipped.error = "CUDA: no driver";
  const Comparison both = compare({skipped}, {skipped}, {});
  ASSERT_EQ(both.rows.size(), 1u);
  EXPECT_EQ(both.rows[0].verdict, Verdict::Insufficient);
  EXPECT_TRUE(contains(both.rows[0].reason, "no driver"))
      << both.rows[0].reason;
  EXPECT_EQ(only_row(compare({skipped}, {ok}, {})).verdict,
            Verdict::Insufficient);
  EXPECT_EQ(only_row(compare({ok}, {skipped}, {})).verdict, Verdict::New);
  EXPECT_FALSE(compare({skipped}, {skipped}, {}).any_regression());
}

TEST(Comparison, GroupCaseUsesAcrossRankSeries) {
  // Rank 0 alone would look like a regression; the across-ranks series
  // (the /metrics row) is unchanged, and that is what is compared.
  auto group = [](std::vector<double> rank0, std::vector<double> across) {
    CaseResult c;
    c.key = "g";
    c.benchmark = "distributed.allreduce";
    c.kind = "distributed";
    c.scope = "group";
    c.device_name = "net";
    c.samples.push_back({"latency", "us", Better::Lower, 0, std::move(rank0)});
    c.samples.push_back(
        {"latency", "us", Better::Lower, kAcrossRanks, std::move(across)});
    summarize_case(c);
    return c;
  };
  const CaseResult base = group(around(10.0), around(10.0, 12));
  const CaseResult cur = group(around(50.0), around(10.0, 12));
  const ComparisonRow r = only_row(compare({cur}, {base}, {}));
  EXPECT_EQ(r.verdict, Verdict::Unchanged) << r.reason;
  EXPECT_EQ(r.n_current, 12u);
  EXPECT_DOUBLE_EQ(r.ratio, 1.0);
}

TEST(Comparison, BootstrapCiIsDeterministicAndContainsRatio) {
  const CaseResult base = one_metric("k", Better::Lower, around(100.0, 20));
  const CaseResult cur = one_metric("k", Better::Lower, around(110.0, 20));
  const ComparisonRow a = only_row(compare({cur}, {base}, {}));
  const ComparisonRow b = only_row(compare({cur}, {base}, {}));
  EXPECT_EQ(a.ratio_ci_low, b.ratio_ci_low);
  EXPECT_EQ(a.ratio_ci_high, b.ratio_ci_high);
  EXPECT_LE(a.ratio_ci_low, a.ratio);
  EXPECT_GE(a.ratio_ci_high, a.ratio);
  EXPECT_LT(a.ratio_ci_low, a.ratio_ci_high);
}

TEST(Comparison, ZeroAndNegativeMedians) {
  const CaseResult zero = one_metric("k", Better::Lower, {0, 0, 0, 0, 0});
  const CaseResult some = one_metric("k", Better::Lower, {1, 2, 3, 4, 5});
  const ComparisonRow from_zero = only_row(compare({some}, {zero}, {}));
  EXPECT_TRUE(std::isinf(from_zero.ratio));
  EXPECT_EQ(from_zero.verdict, Verdict::Regression) << from_zero.reason;
  EXPECT_EQ(only_row(compare({zero}, {zero}, {})).ratio, 1.0);
  const CaseResult negative =
      one_metric("k", Better::Lower, {-1, -2, -3, -4, -5});
  EXPECT_EQ(only_row(compare({negative}, {some}, {})).verdict,
            Verdict::Incomparable);
}

TEST(Comparison, GeomeanPerKind) {
  const std::vector<CaseResult> base = {
      make_case("h1", {{"time", Better::Lower, around(100.0)}}),
      make_case("h2", {{"bw", Better::Higher, around(100.0)}}),
      make_case("h3", {{"time", Better::Lower, around(100.0, 3)}}),
      make_case("m1", {{"tokens", Better::Higher, around(50.0)}}, "model",
                "model.llama"),
  };
  const std::vector<CaseResult> cur = {
      make_case("h1", {{"time", Better::Lower, around(125.0)}}),     // 0.8
      make_case("h2", {{"bw", Better::Higher, around(125.0)}}),      // 1.25
      make_case("h3", {{"time", Better::Lower, around(500.0, 3)}}),  // skipped
      make_case("m1", {{"tokens", Better::Higher, around(51.0)}}, "model",
                "model.llama"),                                  // 1.02
      make_case("new", {{"time", Better::Lower, around(1.0)}}),  // skipped
  };
  const Comparison cmp = compare(cur, base, {});
  ASSERT_EQ(cmp.by_kind.size(), 2u);
  EXPECT_EQ(cmp.by_kind[0].kind, "hardware");
  EXPECT_EQ(cmp.by_kind[0].metrics, 2u);
  EXPECT_NEAR(cmp.by_kind[0].geomean_ratio, 1.0, 1e-12);  // sqrt(0.8*1.25)
  EXPECT_EQ(cmp.by_kind[1].kind, "model");
  EXPECT_EQ(cmp.by_kind[1].metrics, 1u);
  EXPECT_NEAR(cmp.by_kind[1].geomean_ratio, 1.02, 1e-12);
  EXPECT_TRUE(cmp.any_regression());
}

// Student's t quantiles from SciPy (scipy.stats.t.ppf(q, df)).
constexpr double kT975Df2 = 4.302652729911275;
constexpr double kT995Df2 = 9.92484320091807;
constexpr double kT975Df199 = 1.971956544249395;

// Known values: logs of {e^-0.1, 1, e^0.1} have mean 0, sd 0.1; with k = 3
// the half-width is t(0.975, 2) * 0.1 * sqrt(4/3).
TEST(Comparison, RunPredictionIntervalOnLogs) {
  auto [low, high] =
      run_prediction_interval({std::exp(-0.1), 1.0, std::exp(0.1)});
  const double half = kT975Df2 * 0.1 * std::sqrt(4.0 / 3.0);
  EXPECT_NEAR(std::log(low), -half, 1e-9);
  EXPECT_NEAR(std::log(high), half, 1e-9);
  // Too few runs (NaNs and non-positive values do not count): no interval.
  auto [l2, h2] = run_prediction_interval({1.0, std::nan(""), 0.0, 2.0});
  EXPECT_TRUE(std::isnan(l2) && std::isnan(h2));
  // Many runs: close to the normal quantile.
  std::vector<double> many;
  for (int i = 0; i < 200; ++i) many.push_back(i % 2 ? 1.1 : 1.0 / 1.1);
  auto [l3, h3] = run_prediction_interval(many);
  EXPECT_NEAR(std::log(h3),
              kT975Df199 * std::log(1.1) * std::sqrt(1 + 1 / 200.0) *
                  std::sqrt(200.0 / 199.0),
              1e-9);
  EXPECT_NEAR(std::log(l3), -std::log(h3), 1e-12);
}

// For the mean of m runs the interval shrinks to sqrt(1/m + 1/k).
TEST(Comparison, RunPredictionIntervalForAMeanOfRuns) {
  auto [low, high] =
      run_prediction_interval({std::exp(-0.1), 1.0, std::exp(0.1)}, 4);
  const double half = kT975Df2 * 0.1 * std::sqrt(1.0 / 4 + 1.0 / 3);
  EXPECT_NEAR(std::log(low), -half, 1e-9);
  EXPECT_NEAR(std::log(high), half, 1e-9);
  // 0 future runs is read as 1, not as a division by zero.
  auto [l1, h1] =
      run_prediction_interval({std::exp(-0.1), 1.0, std::exp(0.1)}, 0);
  EXPECT_NEAR(std::log(h1), kT975Df2 * 0.1 * std::sqrt(4.0 / 3.0), 1e-9);
  EXPECT_NEAR(std::log(l1), -std::log(h1), 1e-12);
}

// Another confidence takes another t quantile: t(0.995, 2) for 99%.
TEST(Comparison, RunPredictionIntervalAtAnotherConfidence) {
  auto [low, high] =
      run_prediction_interval({std::exp(-0.1), 1.0, std::exp(0.1)}, 1, 0.99);
  const double half = kT995Df2 * 0.1 * std::sqrt(4.0 / 3.0);
  EXPECT_NEAR(std::log(low), -half, 1e-9);
  EXPECT_NEAR(std::log(high), half, 1e-9);
}

// alpha sets the band's level too: a 10% slowdown leaves the runs' 95%
// interval (about +-7.8% here) but not their 99% one (about +-13%), so it is
// a regression at alpha 0.05 and not at 0.01, although the U test against
// the pooled samples rejects at both.
TEST(Comparison, AlphaSetsThePredictionIntervalLevel) {
  std::vector<std::vector<CaseResult>> history;
  for (double c : {0.97, 1.03, 1.0, 0.98, 1.02})
    history.push_back({one_metric("k", Better::Lower, around(c))});
  const std::vector<CaseResult> pooled = pool_runs(history);
  const CaseResult slower = one_metric("k", Better::Lower, around(1.10));
  CompareSettings settings;
  settings.history = &history;

  const ComparisonRow at5 = only_row(compare({slower}, pooled, settings));
  EXPECT_EQ(at5.verdict, Verdict::Regression) << at5.reason;
  EXPECT_TRUE(contains(at5.reason, "outside the runs' 95% prediction"))
      << at5.reason;

  settings.alpha = 0.01;
  const ComparisonRow at1 = only_row(compare({slower}, pooled, settings));
  EXPECT_LT(at1.p_value, 0.01);
  EXPECT_EQ(at1.verdict, Verdict::Unchanged) << at1.reason;
  EXPECT_TRUE(contains(at1.reason, "inside the runs' 99% prediction"))
      << at1.reason;
}

// A 6% slowdown inside the band one run may wander in (about +-7.5% here) is
// not a verdict; the same slowdown seen in each of four current runs leaves
// the band for a mean of four (about +-4.7%) and is.
TEST(Comparison, SeveralCurrentRunsNarrowTheBand) {
  std::vector<std::vector<CaseResult>> history;
  for (double c : {0.97, 1.03, 1.0, 0.98, 1.02})
    history.push_back({one_metric("k", Better::Lower, around(c))});
  const std::vector<CaseResult> pooled = pool_runs(history);
  std::vector<std::vector<CaseResult>> now;
  for (double c : {1.05, 1.07, 1.06, 1.06})
    now.push_back({one_metric("k", Better::Lower, around(c))});
  CompareSettings settings;
  settings.history = &history;

  const ComparisonRow one = only_row(compare(now[2], pooled, settings));
  EXPECT_EQ(one.verdict, Verdict::Unchanged) << one.reason;
  EXPECT_TRUE(contains(one.reason, "inside the runs' 95% prediction"))
      << one.reason;

  settings.current_runs = &now;
  const ComparisonRow four =
      only_row(compare(pool_runs(now), pooled, settings));
  EXPECT_EQ(four.verdict, Verdict::Regression) << four.reason;
  EXPECT_EQ(four.n_current, 40u);
  EXPECT_TRUE(contains(four.reason, "prediction interval for a mean of 4 runs"))
      << four.reason;
  EXPECT_TRUE(contains(four.reason, "geometric mean 1.06")) << four.reason;

  // The same four runs, each as fast as the history: no verdict.
  std::vector<std::vector<CaseResult>> same;
  for (double c : {0.99, 1.01, 1.0, 1.0})
    same.push_back({one_metric("k", Better::Lower, around(c))});
  settings.current_runs = &same;
  EXPECT_EQ(only_row(compare(pool_runs(same), pooled, settings)).verdict,
            Verdict::Unchanged);
}

// Against a history whose runs' medians spread widely, a move that is
// significant against the pooled samples but inside the runs' band is not a
// regression; the same move against steady runs is.
TEST(Comparison, HistoryNeedsTheMoveOutsideTheRunsBand) {
  auto runs_at = [](std::vector<double> centres) {
    std::vector<std::vector<CaseResult>> runs;
    for (double c : centres)
      runs.push_back({one_metric("k", Better::Lower, around(c))});
    return runs;
  };
  CaseResult current = one_metric("k", Better::Lower, around(1.15));
  CompareSettings settings;
  for (auto centres : {std::vector<double>{0.8, 1.2, 0.9, 1.1, 1.0},
                       std::vector<double>{1.0, 1.01, 0.99, 1.0, 1.005}}) {
    auto runs = runs_at(centres);
    std::vector<CaseResult> pooled = pool_runs(runs);
    settings.history = &runs;
    ComparisonRow row = only_row(compare({current}, pooled, settings));
    bool steady = centres[0] == 1.0;
    EXPECT_EQ(row.verdict, steady ? Verdict::Regression : Verdict::Unchanged)
        << row.reason;
    EXPECT_TRUE(contains(row.reason, "prediction interval")) << row.reason;
  }
  // Every row against a history says how small a move it could see: here
  // the steady runs' band, about +-2.3% around 1.0.
  auto steady = runs_at({1.0, 1.01, 0.99, 1.0, 1.005});
  std::vector<CaseResult> pooled = pool_runs(steady);
  settings.history = &steady;
  ComparisonRow same = only_row(
      compare({one_metric("k", Better::Lower, around(1.0))}, pooled, settings));
  EXPECT_EQ(same.verdict, Verdict::Unchanged);
  EXPECT_TRUE(contains(same.reason, "inside the runs' 95% prediction"))
      << same.reason;
  EXPECT_TRUE(contains(same.reason, "moves under ~2.")) << same.reason;
  // Without a history (one baseline run) the rule is unchanged.
  settings.history = nullptr;
  EXPECT_EQ(
      only_row(compare({current}, {one_metric("k", Better::Lower, around(1.0))},
                       settings))
          .verdict,
      Verdict::Regression);
}

}  // namespace
}  // namespace cb::stats
