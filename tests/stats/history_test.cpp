#include "stats/history.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "stats/case_summary.hpp"

namespace cb::stats {
namespace {

CaseResult run_case(const std::string& key, std::vector<double> values,
                    CaseStatus status = CaseStatus::Ok) {
  CaseResult c;
  c.key = key;
  c.status = status;
  c.samples = {{"time", "s", Better::Lower, 0, std::move(values)}};
  MetricSummary m;
  m.metric = "time";
  m.median = c.samples[0].values.empty() ? 0 : c.samples[0].values[0];
  c.metrics = {m};
  return c;
}

TEST(History, PoolsSamplesOfOkRunsAndResummarises) {
  std::vector<std::vector<CaseResult>> runs = {
      {run_case("a", {1, 1, 1}), run_case("old-only", {5})},
      {run_case("a", {9, 9}, CaseStatus::Failed)},
      {run_case("a", {2, 2, 2}), run_case("b", {7})},
  };
  auto pooled = pool_runs(runs);
  ASSERT_EQ(pooled.size(), 3u);
  EXPECT_EQ(pooled[0].key, "a");  // newest run's order first
  EXPECT_EQ(pooled[1].key, "b");
  EXPECT_EQ(pooled[2].key, "old-only");
  // The failed run's samples stay out; oldest first.
  EXPECT_EQ(pooled[0].samples[0].values,
            (std::vector<double>{1, 1, 1, 2, 2, 2}));
  ASSERT_EQ(pooled[0].metrics.size(), 1u);
  EXPECT_EQ(pooled[0].metrics[0].n, 6u);
  EXPECT_DOUBLE_EQ(pooled[0].metrics[0].median, 1.5);
}

TEST(History, NeverOkKeepsNewestFailure) {
  auto pooled = pool_runs({{run_case("x", {1}, CaseStatus::Failed)},
                           {run_case("x", {2}, CaseStatus::Failed)}});
  ASSERT_EQ(pooled.size(), 1u);
  EXPECT_EQ(pooled[0].status, CaseStatus::Failed);
  EXPECT_EQ(pooled[0].samples[0].values, std::vector<double>{2});
}

TEST(History, TrendHasOneMedianPerRun) {
  std::vector<std::vector<CaseResult>> runs = {
      {run_case("a", {3})}, {}, {run_case("a", {4})}};
  auto t = trend(runs, "a", "time");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0], 3);
  EXPECT_TRUE(std::isnan(t[1]));
  EXPECT_EQ(t[2], 4);
}

}  // namespace
}  // namespace cb::stats

namespace cb::stats {
namespace {

TEST(CaseSummary, FlagsNoisyMetricsUnstable) {
  CaseResult c;
  c.status = CaseStatus::Ok;
  std::vector<double> quiet, noisy;
  for (int i = 0; i < 30; ++i) {
    quiet.push_back(1.0 + 0.001 * (i % 5));
    noisy.push_back(1.0 + 0.5 * (i % 3));
  }
  c.samples = {{"quiet", "s", Better::Lower, 0, quiet},
               {"noisy", "s", Better::Lower, 0, noisy}};
  summarize_case(c);
  ASSERT_EQ(c.metrics.size(), 2u);
  EXPECT_FALSE(c.metrics[0].unstable);
  EXPECT_TRUE(c.metrics[1].unstable);
  EXPECT_TRUE(c.metrics[0].valid);
}

}  // namespace
}  // namespace cb::stats
