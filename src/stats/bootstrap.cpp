#include "stats/bootstrap.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "stats/summary.hpp"

namespace cb::stats {

namespace {

// Uniform index in [0, n) without modulo bias: reject draws from the
// incomplete last block of 2^64 (at most half of them, usually almost none).
std::size_t draw_index(std::mt19937_64& rng, std::size_t n) {
  const std::uint64_t bound = n;
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t limit = max - (max % bound + 1) % bound;  // last usable
  std::uint64_t r;
  do {
    r = rng();
  } while (r > limit);
  return static_cast<std::size_t>(r % bound);
}

// Positions of `values` in ascending order (less_nan_last).
std::vector<std::size_t> sorted_order(std::span<const double> values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return less_nan_last(values[a], values[b]);
  });
  return order;
}

// The median of one resample of `from` with replacement. Equal to
// median(resample) for the same draws, but instead of sorting every resample
// (compare --history resamples hundreds of pooled samples 2000 times per
// metric, which was most of its run time) it counts how often each position
// is drawn and lays the resample out in the order sorted once beforehand.
double resampled_median(std::mt19937_64& rng, std::span<const double> from,
                        std::span<const std::size_t> order,
                        std::vector<std::size_t>& counts,
                        std::vector<double>& sorted) {
  counts.assign(from.size(), 0);
  for (std::size_t i = 0; i < from.size(); ++i)
    ++counts[draw_index(rng, from.size())];
  sorted.clear();
  for (std::size_t position : order)
    sorted.insert(sorted.end(), counts[position], from[position]);
  return quantile_sorted(sorted, 0.5);
}

}  // namespace

std::pair<double, double> bootstrap_median_ratio_ci(
    std::span<const double> current, std::span<const double> baseline,
    double confidence, int resamples, std::uint64_t seed) {
  CB_CHECK(confidence > 0.0 && confidence < 1.0,
           "bootstrap confidence must lie in (0, 1), got " +
               std::to_string(confidence));
  CB_CHECK(resamples >= 1, "bootstrap needs at least one resample, got " +
                               std::to_string(resamples));
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (current.empty() || baseline.empty()) return {kNaN, kNaN};

  std::mt19937_64 rng(seed);
  const std::vector<std::size_t> current_order = sorted_order(current);
  const std::vector<std::size_t> baseline_order = sorted_order(baseline);
  std::vector<std::size_t> counts;
  std::vector<double> sorted;
  std::vector<double> ratios;
  ratios.reserve(static_cast<std::size_t>(resamples));
  for (int i = 0; i < resamples; ++i) {
    const double c =
        resampled_median(rng, current, current_order, counts, sorted);
    const double b =
        resampled_median(rng, baseline, baseline_order, counts, sorted);
    ratios.push_back(c / b);
  }
  const double tail = (1.0 - confidence) / 2.0;
  return {quantile(ratios, tail), quantile(ratios, 1.0 - tail)};
}

}  // namespace cb::stats
