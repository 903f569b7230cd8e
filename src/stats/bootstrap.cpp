#include "stats/bootstrap.hpp"

#include <cstddef>
#include <limits>
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

void resample(std::mt19937_64& rng, std::span<const double> from,
              std::vector<double>& into) {
  into.resize(from.size());
  for (double& v : into) v = from[draw_index(rng, from.size())];
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
  std::vector<double> c, b;
  std::vector<double> ratios;
  ratios.reserve(static_cast<std::size_t>(resamples));
  for (int i = 0; i < resamples; ++i) {
    resample(rng, current, c);
    resample(rng, baseline, b);
    ratios.push_back(median(c) / median(b));
  }
  const double tail = (1.0 - confidence) / 2.0;
  return {quantile(ratios, tail), quantile(ratios, 1.0 - tail)};
}

}  // namespace cb::stats
