#include "stats/pair_matrix.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace cb::stats {
namespace {

CaseResult pair_case(int a, int b, double latency,
                     CaseStatus status = CaseStatus::Ok) {
  CaseResult r;
  r.benchmark = "distributed.pingpong";
  r.key = "distributed.pingpong[all_pairs=true,size=8]@mpi:pair" +
          std::to_string(a) + "-" + std::to_string(b);
  r.params = {{"all_pairs", true}, {"size", std::int64_t{8}}};
  r.status = status;
  MetricSummary m;
  m.metric = "latency";
  m.unit = "s";
  m.better = Better::Lower;
  m.median = latency;
  MetricSummary slowest = m;
  slowest.metric = "latency_max";
  r.metrics = {m, slowest};
  return r;
}

TEST(PairMatrix, BuildsSymmetricMatrixPerMetric) {
  std::vector<CaseResult> cases{pair_case(0, 1, 1e-6), pair_case(0, 2, 9e-6),
                                pair_case(1, 2, 8e-6)};
  CaseResult other = pair_case(0, 1, 1e-6);
  other.key =
      "distributed.pingpong[size=8]@mpi:intra";  // not an all-pairs case
  cases.push_back(other);
  auto matrices = pair_matrices(cases, 3);
  ASSERT_EQ(matrices.size(), 1u);  // latency only: latency_max is left out
  const PairMatrix& m = matrices[0];
  EXPECT_EQ(m.params, "size=8");
  EXPECT_EQ(m.metric, "latency");
  EXPECT_EQ(m.at(2, 0), 9e-6);
  EXPECT_EQ(m.at(0, 2), 9e-6);
  EXPECT_TRUE(std::isnan(m.at(1, 1)));
}

TEST(PairMatrix, WorstPairsFollowDirectionAndSkipGoodOnes) {
  std::vector<CaseResult> cases{pair_case(0, 1, 1e-6),
                                pair_case(0, 2, 9e-6),
                                pair_case(1, 2, 8e-6),
                                pair_case(0, 3, 1e-6),
                                pair_case(1, 3, 1e-6),
                                pair_case(2, 3, 7e-6),
                                pair_case(1, 4, 5e-6, CaseStatus::Failed)};
  auto m = pair_matrices(cases, 5)[0];
  auto worst = worst_pairs(m, 2);
  ASSERT_EQ(worst.size(), 2u);
  EXPECT_EQ(worst[0].a, 0);
  EXPECT_EQ(worst[0].b, 2);
  EXPECT_EQ(worst[1].b, 2);
  EXPECT_GT(worst[0].vs_median, 1.0);
  // Higher is better: the lowest values are the worst.
  m.better = Better::Higher;
  auto lows = worst_pairs(m, 10);
  ASSERT_FALSE(lows.empty());
  EXPECT_EQ(lows[0].value, 1e-6);
  for (const WorstPair& p : lows) EXPECT_LE(p.value, 7e-6);
}

}  // namespace
}  // namespace cb::stats
