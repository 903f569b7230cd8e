// Percentile bootstrap confidence interval of a ratio of medians. Pure
// function: the same inputs and seed give the same interval on every
// platform (std::mt19937_64 is fully specified by the standard, and indices
// are drawn by our own rejection sampling rather than by
// std::uniform_int_distribution, whose output differs between standard
// libraries).
#pragma once

#include <cstdint>
#include <span>
#include <utility>

namespace cb::stats {

// Percentile bootstrap of median(current) / median(baseline): each of
// `resamples` rounds resamples both samples with replacement (current first,
// then baseline, from one generator), and the interval is the
// (1-confidence)/2 and (1+confidence)/2 quantiles (numpy's linear method) of
// the resampled ratios. Empty input gives (NaN, NaN). Throws cb::Error unless
// 0 < confidence < 1 and resamples >= 1.
std::pair<double, double> bootstrap_median_ratio_ci(
    std::span<const double> current, std::span<const double> baseline,
    double confidence = 0.95, int resamples = 2000, std::uint64_t seed = 42);

}  // namespace cb::stats
