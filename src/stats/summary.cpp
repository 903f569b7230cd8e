#include "stats/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.hpp"

namespace cb::stats {

// NaN sorts last so that a stray NaN gives NaN results rather than undefined
// behaviour in std::sort.
bool less_nan_last(double a, double b) {
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  return a < b;
}

// numpy.quantile(..., method="linear").
double quantile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  const double t = h - static_cast<double>(lo);
  const double a = sorted[lo], b = sorted[lo + 1];
  // numpy's _lerp: exact at both ends, monotonic in t.
  return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1.0 - t);
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Largest n for which the binomial CDF is summed exactly; beyond it the normal
// approximation is within one order statistic of the exact answer.
constexpr std::size_t kExactBinomialMax = 1000;

std::vector<double> sorted_copy(std::span<const double> values) {
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end(), less_nan_last);
  return sorted;
}

// z such that P(Z > z) = tail for a standard normal Z (bisection on erfc;
// only used for n > kExactBinomialMax, so speed does not matter). Not
// Boost.Math as in comparison.cpp: this library is also built on the GPU
// machine, which has no Boost.
double upper_normal_quantile(double tail) {
  double lo = 0.0, hi = 40.0;
  for (int i = 0; i < 200 && hi - lo > 1e-12; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (0.5 * std::erfc(mid / std::sqrt(2.0)) > tail)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

// The 1-based order statistic l of the lower CI bound: the largest l with
// P(Binomial(n, 1/2) <= l - 1) <= (1 - confidence) / 2; 0 when none exists.
std::size_t lower_order_statistic(std::size_t n, double confidence) {
  const double tail = (1.0 - confidence) / 2.0;
  // Tolerance so that a confidence chosen to match a CDF value exactly (e.g.
  // 1 - 2/64 for n = 6) is not lost to rounding.
  const double limit = tail * (1.0 + 1e-12);
  if (n <= kExactBinomialMax) {
    double pmf = std::ldexp(1.0, -static_cast<int>(n));  // P(B = 0) = 2^-n
    double cdf = 0.0;
    std::size_t l = 0;
    for (std::size_t k = 0; k < n; ++k) {
      cdf += pmf;
      if (cdf > limit) break;
      l = k + 1;
      pmf *= static_cast<double>(n - k) / static_cast<double>(k + 1);
    }
    return l;
  }
  // Normal approximation with continuity correction:
  // P(B <= l-1) ~ Phi((l - 1/2 - n/2) / (sqrt(n)/2)) <= tail.
  const double nd = static_cast<double>(n);
  const double z = upper_normal_quantile(tail);
  const double l = std::floor(nd / 2.0 + 0.5 - z * std::sqrt(nd) / 2.0);
  return l < 1.0 ? 0 : static_cast<std::size_t>(l);
}

std::pair<double, double> median_ci_sorted(std::span<const double> sorted,
                                           double confidence) {
  const std::size_t n = sorted.size();
  if (n == 0) return {kNaN, kNaN};
  std::size_t l = lower_order_statistic(n, confidence);
  if (l == 0) return {sorted.front(), sorted.back()};
  l = std::min(l, (n + 1) / 2);  // never cross the median
  return {sorted[l - 1], sorted[n - l]};
}

double relative_halfwidth(double median, std::pair<double, double> ci) {
  const auto [lo, hi] = ci;
  if (std::isnan(median) || std::isnan(lo) || std::isnan(hi)) return kInf;
  if (hi == lo) return 0.0;
  if (median == 0.0) return kInf;
  return (hi - lo) / 2.0 / std::fabs(median);
}

}  // namespace

double median(std::span<const double> values) {
  return quantile(values, 0.5);
}

double quantile(std::span<const double> values, double q) {
  CB_CHECK(q >= 0.0 && q <= 1.0,
           "quantile q must lie in [0, 1], got " + std::to_string(q));
  if (values.empty()) return kNaN;
  const auto sorted = sorted_copy(values);
  return quantile_sorted(sorted, q);
}

std::pair<double, double> median_ci(std::span<const double> values,
                                    double confidence) {
  CB_CHECK(confidence > 0.0 && confidence < 1.0,
           "confidence must lie in (0, 1), got " + std::to_string(confidence));
  if (values.empty()) return {kNaN, kNaN};
  const auto sorted = sorted_copy(values);
  return median_ci_sorted(sorted, confidence);
}

double relative_ci_halfwidth(std::span<const double> values) {
  if (values.empty()) return kInf;
  const auto sorted = sorted_copy(values);
  return relative_halfwidth(quantile_sorted(sorted, 0.5),
                            median_ci_sorted(sorted, 0.95));
}

inline constexpr std::size_t kMinSamplesFor95 = 6;

bool precise_enough(std::span<const double> values, double target_rel_ci) {
  // Below 6 samples no pair of order statistics covers the median with 95%
  // confidence ((min, max) covers it with 1 - 2^(1-n): 94% at n = 5), so the
  // interval would overstate the precision: never stop on it.
  if (values.size() < kMinSamplesFor95) return false;
  return relative_ci_halfwidth(values) <= target_rel_ci;
}

MetricSummary summarize(const Series& series) {
  MetricSummary out;
  out.metric = series.metric;
  out.unit = series.unit;
  out.better = series.better;
  out.n = series.values.size();
  if (out.n == 0) {
    out.min = out.median = out.mean = out.max = out.stddev = kNaN;
    out.p05 = out.p95 = out.ci_low = out.ci_high = kNaN;
    out.p90 = out.p99 = kNaN;
    out.valid = false;
    return out;
  }
  const auto sorted = sorted_copy(series.values);
  out.min = sorted.front();
  out.max = sorted.back();
  out.median = quantile_sorted(sorted, 0.5);
  out.p05 = quantile_sorted(sorted, 0.05);
  out.p95 = quantile_sorted(sorted, 0.95);
  out.p90 = quantile_sorted(sorted, 0.90);
  out.p99 = quantile_sorted(sorted, 0.99);
  std::tie(out.ci_low, out.ci_high) = median_ci_sorted(sorted, 0.95);

  double sum = 0.0;
  for (double v : sorted) sum += v;
  out.mean = sum / static_cast<double>(out.n);
  if (out.n >= 2) {
    // Two-pass variance: no cancellation for values far from zero.
    double squares = 0.0;
    for (double v : sorted) squares += (v - out.mean) * (v - out.mean);
    out.stddev = std::sqrt(squares / static_cast<double>(out.n - 1));
  } else {
    out.stddev = 0.0;
  }
  out.valid = true;
  return out;
}

}  // namespace cb::stats
