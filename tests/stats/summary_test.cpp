#include "stats/summary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <span>
#include <vector>

#include "core/error.hpp"

namespace cb::stats {
namespace {

// Expected figures below were computed with numpy 1.24 (/usr/bin/python3):
//   x = np.array([3.1, 1.2, 5.5, 2.2, 9.9, 4.4, 7.7, 6.6, 8.8, 0.5, 10.1])
//   np.median(x) -> 5.5;  np.quantile(x, 0.05) -> 0.85
//   np.quantile(x, 0.95) -> 10.0;  np.quantile(x, 0.3) -> 3.1
//   np.quantile(x, 0.37) -> 4.010000000000001;  x.mean() -> 5.454545454545455
//   x.std(ddof=1) -> 3.446552955160746
const std::vector<double> kX = {3.1, 1.2, 5.5, 2.2, 9.9, 4.4,
                                7.7, 6.6, 8.8, 0.5, 10.1};
//   y = np.array([4.0, 1.0, 3.0, 2.0])
//   np.median(y) -> 2.5;  np.quantile(y, 0.05) -> 1.15
//   np.quantile(y, 0.95) -> 3.8499999999999996;  np.quantile(y, 0.25) -> 1.75
//   y.std(ddof=1) -> 1.2909944487358056
const std::vector<double> kY = {4.0, 1.0, 3.0, 2.0};

constexpr double kTol = 1e-12;

std::vector<double> iota_values(int n, double start = 1.0) {
  std::vector<double> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), start);
  // Shuffled with a fixed seed: the functions must not rely on sorted input.
  std::mt19937_64 rng(7);
  std::shuffle(v.begin(), v.end(), rng);
  return v;
}

TEST(Quantile, MatchesNumpyLinear) {
  EXPECT_NEAR(median(kX), 5.5, kTol);
  EXPECT_NEAR(quantile(kX, 0.05), 0.85, kTol);
  EXPECT_NEAR(quantile(kX, 0.95), 10.0, kTol);
  EXPECT_NEAR(quantile(kX, 0.3), 3.1, kTol);
  EXPECT_NEAR(quantile(kX, 0.37), 4.010000000000001, kTol);
  EXPECT_DOUBLE_EQ(quantile(kX, 0.0), 0.5);
  EXPECT_DOUBLE_EQ(quantile(kX, 1.0), 10.1);

  EXPECT_NEAR(median(kY), 2.5, kTol);
  EXPECT_NEAR(quantile(kY, 0.05), 1.15, kTol);
  EXPECT_NEAR(quantile(kY, 0.95), 3.8499999999999996, kTol);
  EXPECT_NEAR(quantile(kY, 0.25), 1.75, kTol);
}

TEST(Quantile, EdgeCases) {
  const std::vector<double> empty;
  EXPECT_TRUE(std::isnan(median(empty)));
  EXPECT_TRUE(std::isnan(quantile(empty, 0.3)));
  const std::vector<double> one = {42.0};
  EXPECT_EQ(median(one), 42.0);
  EXPECT_EQ(quantile(one, 0.05), 42.0);
  EXPECT_EQ(quantile(one, 1.0), 42.0);
  EXPECT_THROW(quantile(kX, -0.1), cb::Error);
  EXPECT_THROW(quantile(kX, 1.5), cb::Error);
}

TEST(MedianCi, ExactOrderStatistics) {
  // l = largest l with P(Binomial(n, 1/2) <= l-1) <= 0.025 (computed with
  // math.comb in Python): n=11 -> 2, n=20 -> 6, n=1000 -> 469.
  auto [lo, hi] = median_ci(kX);
  EXPECT_EQ(lo, 1.2);  // x_(2) of sorted kX
  EXPECT_EQ(hi, 9.9);  // x_(10)

  // Values 1..n (shuffled): x_(k) == k.
  auto ci20 = median_ci(iota_values(20));
  EXPECT_EQ(ci20.first, 6.0);
  EXPECT_EQ(ci20.second, 15.0);
  auto ci1000 = median_ci(iota_values(1000));
  EXPECT_EQ(ci1000.first, 469.0);
  EXPECT_EQ(ci1000.second, 532.0);

  // 99%: P(B<=3) = 0.00129 <= 0.005 < P(B<=4) = 0.00591 for n=20 -> l=4.
  auto ci99 = median_ci(iota_values(20), 0.99);
  EXPECT_EQ(ci99.first, 4.0);
  EXPECT_EQ(ci99.second, 17.0);
}

TEST(MedianCi, NormalApproximationForLargeN) {
  // Exact l for n=2000 is 956 and for n=1001 is 470; the continuity-corrected
  // normal approximation gives 956 and 469 (one step conservative).
  auto ci2000 = median_ci(iota_values(2000));
  EXPECT_EQ(ci2000.first, 956.0);
  EXPECT_EQ(ci2000.second, 1045.0);
  auto ci1001 = median_ci(iota_values(1001));
  EXPECT_EQ(ci1001.first, 469.0);
  EXPECT_EQ(ci1001.second, 533.0);
  // Sanity on a large sample: exact l for n=10000 is 4902.
  auto ci10k = median_ci(iota_values(10000));
  EXPECT_EQ(ci10k.first, 4902.0);
  EXPECT_EQ(ci10k.second, 5099.0);
}

TEST(MedianCi, SmallSamplesGiveMinMax) {
  EXPECT_TRUE(std::isnan(median_ci({}).first));
  EXPECT_TRUE(std::isnan(median_ci({}).second));
  for (int n = 1; n <= 6; ++n) {
    // n < 6: no order statistic reaches 95%; n = 6: l = 1 is (min, max) too.
    auto [lo, hi] = median_ci(iota_values(n, 10.0));
    EXPECT_EQ(lo, 10.0) << n;
    EXPECT_EQ(hi, 10.0 + n - 1) << n;
  }
  // n = 9 is the first with l = 2.
  auto [lo, hi] = median_ci(iota_values(9));
  EXPECT_EQ(lo, 2.0);
  EXPECT_EQ(hi, 8.0);
  EXPECT_THROW(median_ci(kX, 1.0), cb::Error);
  EXPECT_THROW(median_ci(kX, 0.0), cb::Error);
}

TEST(MedianCi, CoverageBySimulation) {
  // 2000 trials of n=20 from Exp(1) (median ln 2) with a fixed seed; the
  // nominal coverage with l=6 is 1 - 2 P(B<=5) = 0.9586.
  std::mt19937_64 rng(12345);
  std::exponential_distribution<double> exp1(1.0);
  const double true_median = std::log(2.0);
  const int trials = 2000;
  int covered = 0;
  std::vector<double> sample(20);
  for (int t = 0; t < trials; ++t) {
    for (double& v : sample) v = exp1(rng);
    auto [lo, hi] = median_ci(sample);
    if (lo <= true_median && true_median <= hi) ++covered;
  }
  const double coverage = static_cast<double>(covered) / trials;
  EXPECT_GE(coverage, 0.93);
  EXPECT_LE(coverage, 0.99);
}

TEST(MedianCi, NarrowsWithMoreSamples) {
  std::mt19937_64 rng(99);
  std::normal_distribution<double> noise(100.0, 5.0);
  std::vector<double> pool(5120);
  for (double& v : pool) v = noise(rng);
  double previous = std::numeric_limits<double>::infinity();
  for (std::size_t n = 10; n <= pool.size(); n *= 2) {
    std::span<const double> first(pool.data(), n);
    auto [lo, hi] = median_ci(first);
    const double width = hi - lo;
    EXPECT_LT(width, previous) << "n=" << n;
    EXPECT_LE(lo, median(first));
    EXPECT_GE(hi, median(first));
    EXPECT_NEAR(relative_ci_halfwidth(first), width / 2 / median(first), 1e-12);
    previous = width;
  }
  // Deterministic grid: evenly spaced values, width shrinks like 1/sqrt(n).
  previous = std::numeric_limits<double>::infinity();
  for (int n = 8; n <= 8192; n *= 2) {
    std::vector<double> grid(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) grid[i] = (i + 1.0) / (n + 1.0);
    auto [lo, hi] = median_ci(grid);
    EXPECT_LT(hi - lo, previous) << "n=" << n;
    previous = hi - lo;
  }
}

TEST(RelativeCiHalfwidth, SpecialCases) {
  EXPECT_EQ(relative_ci_halfwidth(std::vector<double>{3.0}), 0.0);
  EXPECT_EQ(relative_ci_halfwidth(std::vector<double>(10, 3.0)), 0.0);
  EXPECT_EQ(relative_ci_halfwidth(std::vector<double>(10, 0.0)), 0.0);
  // Median 0 with spread: infinitely imprecise relative to the median.
  EXPECT_TRUE(
      std::isinf(relative_ci_halfwidth(std::vector<double>{-1.0, 0.0, 1.0})));
  EXPECT_TRUE(std::isinf(relative_ci_halfwidth(std::vector<double>{})));
  // (min, max) = (1, 4), median 2.5 -> 1.5 / 2.5.
  EXPECT_NEAR(relative_ci_halfwidth(kY), 0.6, kTol);
  // Negative medians use |median|.
  EXPECT_NEAR(relative_ci_halfwidth(std::vector<double>{-4, -1, -3, -2}), 0.6,
              kTol);
}

TEST(PreciseEnough, ConstantAndNoisyData) {
  EXPECT_FALSE(precise_enough(std::vector<double>{}, 0.02));
  EXPECT_FALSE(precise_enough(std::vector<double>{1.0}, 0.02));
  // Fewer than 6 samples never make a 95% interval, however close they are.
  EXPECT_FALSE(precise_enough(std::vector<double>{1.0, 1.0}, 0.02));
  EXPECT_FALSE(precise_enough(std::vector<double>(5, 2.5), 0.02));
  EXPECT_TRUE(precise_enough(std::vector<double>(6, 2.5), 0.0));
  EXPECT_TRUE(precise_enough(std::vector<double>(50, 2.5), 0.0));

  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> wide(0.5, 1.5);  // +-50%
  std::vector<double> noisy(20);
  for (double& v : noisy) v = wide(rng);
  EXPECT_FALSE(precise_enough(noisy, 0.02));
  EXPECT_TRUE(precise_enough(noisy, 1.0));

  std::uniform_real_distribution<double> tight(0.995, 1.005);  // +-0.5%
  std::vector<double> quiet(20);
  for (double& v : quiet) v = tight(rng);
  EXPECT_TRUE(precise_enough(quiet, 0.02));

  // From n = 6 the interval is (min, max) until n = 8: agreeing samples.
  EXPECT_FALSE(
      precise_enough(std::vector<double>{1.0, 1.1, 1.0, 1.0, 1.0, 1.0}, 0.02));
  EXPECT_TRUE(
      precise_enough(std::vector<double>{1.0, 1.01, 1.0, 1.0, 1.0, 1.0}, 0.02));
}

TEST(Summarize, AllFields) {
  Series s{"time", "s", Better::Lower, 3, kX};
  const MetricSummary m = summarize(s);
  EXPECT_EQ(m.metric, "time");
  EXPECT_EQ(m.unit, "s");
  EXPECT_EQ(m.better, Better::Lower);
  EXPECT_EQ(m.n, 11u);
  EXPECT_EQ(m.min, 0.5);
  EXPECT_EQ(m.max, 10.1);
  EXPECT_NEAR(m.median, 5.5, kTol);
  EXPECT_NEAR(m.mean, 5.454545454545455, kTol);
  EXPECT_NEAR(m.stddev, 3.446552955160746, kTol);
  EXPECT_NEAR(m.p05, 0.85, kTol);
  EXPECT_NEAR(m.p95, 10.0, kTol);
  EXPECT_NEAR(m.p90, 9.9, kTol);  // np.quantile(x, [0.9, 0.99])
  EXPECT_NEAR(m.p99, 10.08, kTol);
  EXPECT_EQ(m.ci_low, 1.2);
  EXPECT_EQ(m.ci_high, 9.9);
  EXPECT_TRUE(m.valid);

  Series y{"bandwidth", "GB/s", Better::Higher, kAcrossRanks, kY};
  const MetricSummary my = summarize(y);
  EXPECT_EQ(my.better, Better::Higher);
  EXPECT_NEAR(my.stddev, 1.2909944487358056, kTol);
  EXPECT_NEAR(my.mean, 2.5, kTol);
  EXPECT_EQ(my.ci_low, 1.0);
  EXPECT_EQ(my.ci_high, 4.0);
}

TEST(Summarize, EmptyAndSingle) {
  Series empty{"time", "s", Better::Lower, 0, {}};
  const MetricSummary e = summarize(empty);
  EXPECT_EQ(e.n, 0u);
  EXPECT_FALSE(e.valid);
  EXPECT_EQ(e.metric, "time");
  for (double v : {e.min, e.median, e.mean, e.max, e.stddev, e.p05, e.p95,
                   e.p90, e.p99, e.ci_low, e.ci_high})
    EXPECT_TRUE(std::isnan(v));

  Series one{"time", "s", Better::Lower, 0, {0.25}};
  const MetricSummary o = summarize(one);
  EXPECT_EQ(o.n, 1u);
  EXPECT_TRUE(o.valid);
  EXPECT_EQ(o.stddev, 0.0);
  for (double v : {o.min, o.median, o.mean, o.max, o.p05, o.p95, o.p90, o.p99,
                   o.ci_low, o.ci_high})
    EXPECT_EQ(v, 0.25);
}

TEST(Summarize, NaNDoesNotBreakSorting) {
  Series s{"time", "s", Better::Lower, 0, {2.0, std::nan(""), 1.0, 3.0}};
  const MetricSummary m = summarize(s);
  EXPECT_EQ(m.n, 4u);
  EXPECT_EQ(m.min, 1.0);
  EXPECT_TRUE(std::isnan(m.max));
  EXPECT_TRUE(std::isnan(m.mean));
}

}  // namespace
}  // namespace cb::stats
