// Interference matrices and pool saturation from fake results.
#include "stats/interference.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "stats/pool_saturation.hpp"

namespace cb::stats {
namespace {

MetricSummary metric(const std::string& name, double median,
                     Better better = Better::Lower) {
  MetricSummary m;
  m.metric = name, m.median = median, m.better = better, m.valid = true;
  m.p99 = 2 * median;
  return m;
}

// Model a alone takes 1 ms, b 2 ms (batch 1: throughput = 1 / latency).
CaseResult colocate(bool three) {
  CaseResult r;
  r.case_id = 7;
  r.benchmark = "cross_model.colocate";
  auto add = [&](const std::string& op, double latency) {
    r.metrics.push_back(metric(op + ".latency", latency));
    r.metrics.push_back(
        metric(op + ".throughput", 1 / latency, Better::Higher));
  };
  add("a.solo", 1e-3);
  add("a.with.b", 1.5e-3);
  add("b.solo", 2e-3);
  add("b.with.a", 5e-3);
  if (three) {
    add("a.with.c", 1e-3);
    add("a.with_all", 3e-3);
    add("b.with.c", 2e-3);
    add("b.with_all", 8e-3);
    add("c.solo", 4e-3);
    add("c.with.a", 4e-3);
    add("c.with.b", 4e-3);
    add("c.with_all", 4e-3);
  }
  return r;
}

TEST(Interference, PairMatrixAndAggregate) {
  auto all = interference({colocate(false)});
  ASSERT_EQ(all.size(), 1u);
  const Interference& x = all[0];
  EXPECT_EQ(x.case_id, 7);
  EXPECT_EQ(x.models, (std::vector<std::string>{"a", "b"}));
  EXPECT_DOUBLE_EQ(x.slowdown("a", "b"), 1.5);  // a slowed by b
  EXPECT_DOUBLE_EQ(x.slowdown("b", "a"), 2.5);
  EXPECT_TRUE(std::isnan(x.slowdown("a", "a")));
  // Both at once: 1/1.5ms + 1/5ms; time-sliced: (1000 + 500) / 2.
  EXPECT_NEAR(x.aggregate_throughput, 1 / 1.5e-3 + 1 / 5e-3, 1e-9);
  EXPECT_NEAR(x.time_sliced_throughput, 750, 1e-9);
}

TEST(Interference, ThreeModelsUseTheAllColumnForTheAggregate) {
  auto all = interference({colocate(true)});
  ASSERT_EQ(all.size(), 1u);
  const Interference& x = all[0];
  EXPECT_EQ(x.models.size(), 3u);
  EXPECT_DOUBLE_EQ(x.slowdown("a", kWithAll), 3.0);
  EXPECT_DOUBLE_EQ(x.slowdown("b", kWithAll), 4.0);
  EXPECT_DOUBLE_EQ(x.slowdown("c", "b"), 1.0);
  EXPECT_NEAR(x.aggregate_throughput, 1 / 3e-3 + 1 / 8e-3 + 1 / 4e-3, 1e-9);
  EXPECT_EQ(x.rows.size(), 9u);  // 3 models x (2 others + all)
}

TEST(Interference, SkipsFailedAndOtherCases) {
  CaseResult failed = colocate(false);
  failed.status = CaseStatus::Failed;
  CaseResult other = colocate(false);
  other.benchmark = "model.transformer";
  EXPECT_TRUE(interference({failed, other}).empty());
}

CaseResult serve(std::int64_t contexts, double throughput,
                 std::int64_t threads = 1) {
  CaseResult r;
  r.benchmark = "resource_pool.serve";
  r.backend = "cpu";
  r.params = {{"contexts", contexts},
              {"clients", std::int64_t{8}},
              {"threads", threads}};
  r.metrics = {metric("throughput", throughput, Better::Higher),
               metric("request_latency", 1e-3), metric("queue_delay", 2e-4),
               metric("pool_overhead", 1e-6)};
  return r;
}

TEST(PoolSaturation, FirstContextCountWithinToleranceOfTheBest) {
  // Threads resolved per K (PUs / K) must not split the sweep.
  auto all = pool_saturation({serve(4, 1030, 1), serve(1, 400, 4),
                              serve(2, 790, 2), serve(3, 1000, 1)});
  ASSERT_EQ(all.size(), 1u);
  const PoolSaturation& s = all[0];
  ASSERT_EQ(s.points.size(), 4u);
  EXPECT_EQ(s.points[0].contexts, 1);   // sorted
  EXPECT_EQ(s.saturation_contexts, 3);  // 1000 >= 0.95 * 1030
  EXPECT_TRUE(s.saturated);
  EXPECT_DOUBLE_EQ(s.points[2].latency_p99, 2e-3);
  EXPECT_DOUBLE_EQ(s.points[2].queue_p50, 2e-4);
  EXPECT_EQ(s.params, "clients=8");
}

TEST(PoolSaturation, StillGrowingAtTheLargestK) {
  auto all = pool_saturation({serve(1, 100), serve(2, 200), serve(4, 400)});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].saturation_contexts, 4);
  EXPECT_FALSE(all[0].saturated);
  EXPECT_EQ(first_within({}, 0.05), -1);
}

}  // namespace
}  // namespace cb::stats
