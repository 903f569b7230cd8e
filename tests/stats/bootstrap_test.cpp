#include "stats/bootstrap.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "stats/summary.hpp"

namespace cb::stats {
namespace {

std::vector<double> noisy(double centre, std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> out(n);
  // Deterministic noise without <random> distributions (platform-neutral).
  for (double& v : out)
    v = centre *
        (1.0 + 0.02 * (static_cast<double>(rng() % 1001) / 500.0 - 1.0));
  return out;
}

TEST(Bootstrap, DeterministicForASeed) {
  const std::vector<double> cur = noisy(110.0, 30, 1),
                            base = noisy(100.0, 25, 2);
  const auto a = bootstrap_median_ratio_ci(cur, base, 0.95, 500, 7);
  const auto b = bootstrap_median_ratio_ci(cur, base, 0.95, 500, 7);
  EXPECT_EQ(a, b);
  const auto c = bootstrap_median_ratio_ci(cur, base, 0.95, 500, 8);
  EXPECT_NE(a, c);
}

// The definition, written out plainly: draw each resample value by value
// (the documented rejection sampling, current then baseline from one
// generator), take both medians, then the percentiles of the ratios. The
// library must give exactly these numbers, however it computes them.
std::pair<double, double> reference_ci(std::span<const double> cur,
                                       std::span<const double> base,
                                       double confidence, int resamples,
                                       std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto draw = [&](std::span<const double> from) {
    const std::uint64_t n = from.size(), max = ~std::uint64_t{0};
    const std::uint64_t limit = max - (max % n + 1) % n;
    std::vector<double> out;
    for (std::size_t i = 0; i < from.size(); ++i) {
      std::uint64_t r;
      do r = rng();
      while (r > limit);
      out.push_back(from[r % n]);
    }
    return out;
  };
  std::vector<double> ratios;
  for (int i = 0; i < resamples; ++i) {
    const std::vector<double> c = draw(cur);
    const std::vector<double> b = draw(base);
    ratios.push_back(median(c) / median(b));
  }
  const double tail = (1.0 - confidence) / 2.0;
  return {quantile(ratios, tail), quantile(ratios, 1.0 - tail)};
}

TEST(Bootstrap, EqualsResamplingValueByValue) {
  // Odd and even sizes, ties, and one sample of a single value.
  std::vector<double> ties = noisy(50.0, 40, 3);
  for (std::size_t i = 0; i < ties.size(); i += 3) ties[i] = 50.0;
  const std::vector<std::pair<std::vector<double>, std::vector<double>>>
      inputs = {{noisy(110.0, 30, 1), noisy(100.0, 25, 2)},
                {ties, noisy(49.0, 7, 4)},
                {{3.0}, noisy(2.0, 300, 5)}};
  for (const auto& [cur, base] : inputs)
    for (std::uint64_t seed : {42u, 7u}) {
      EXPECT_EQ(bootstrap_median_ratio_ci(cur, base, 0.95, 300, seed),
                reference_ci(cur, base, 0.95, 300, seed));
      EXPECT_EQ(bootstrap_median_ratio_ci(cur, base, 0.8, 301, seed),
                reference_ci(cur, base, 0.8, 301, seed));
    }
}

TEST(Bootstrap, IntervalContainsPointRatio) {
  const std::vector<double> cur = noisy(110.0, 30, 3),
                            base = noisy(100.0, 25, 4);
  const double ratio = median(cur) / median(base);
  const auto [lo, hi] = bootstrap_median_ratio_ci(cur, base);
  EXPECT_LE(lo, ratio);
  EXPECT_GE(hi, ratio);
  EXPECT_LT(lo, hi);
  EXPECT_GT(lo, 1.05);  // a clear 10% shift with 2% noise
  EXPECT_LT(hi, 1.15);
}

TEST(Bootstrap, WiderAtHigherConfidence) {
  const std::vector<double> cur = noisy(50.0, 20, 5), base = noisy(50.0, 20, 6);
  const auto [lo90, hi90] = bootstrap_median_ratio_ci(cur, base, 0.90);
  const auto [lo99, hi99] = bootstrap_median_ratio_ci(cur, base, 0.99);
  EXPECT_LE(lo99, lo90);
  EXPECT_GE(hi99, hi90);
}

TEST(Bootstrap, ConstantSamplesGiveAPoint) {
  const std::vector<double> cur(10, 3.0), base(7, 2.0);
  const auto [lo, hi] = bootstrap_median_ratio_ci(cur, base);
  EXPECT_DOUBLE_EQ(lo, 1.5);
  EXPECT_DOUBLE_EQ(hi, 1.5);
}

TEST(Bootstrap, EmptyAndInvalidArguments) {
  const std::vector<double> some = {1.0, 2.0}, none;
  EXPECT_TRUE(std::isnan(bootstrap_median_ratio_ci(none, some).first));
  EXPECT_TRUE(std::isnan(bootstrap_median_ratio_ci(some, none).second));
  EXPECT_THROW(bootstrap_median_ratio_ci(some, some, 1.0), cb::Error);
  EXPECT_THROW(bootstrap_median_ratio_ci(some, some, 0.0), cb::Error);
  EXPECT_THROW(bootstrap_median_ratio_ci(some, some, 0.95, 0), cb::Error);
}

}  // namespace
}  // namespace cb::stats
