// Summaries of raw samples and the precision rule the measurement loop stops
// on. Pure functions: no I/O, no MPI.
#pragma once

#include <span>
#include <utility>

#include "core/result.hpp"

namespace cb::stats {

double median(std::span<const double> values);
// Linear interpolation between order statistics (numpy's default), q in [0,1].
double quantile(std::span<const double> values, double q);

// The order every function here sorts by: ascending, NaN last (a strict weak
// order even with NaN in the data).
bool less_nan_last(double a, double b);
// quantile() of values already sorted by less_nan_last: no copy, no sort.
double quantile_sorted(std::span<const double> sorted, double q);

// Distribution-free confidence interval of the median from order statistics
// (exact binomial for small n, normal approximation for large n). With too few
// samples for the requested confidence it returns (min, max).
std::pair<double, double> median_ci(std::span<const double> values,
                                    double confidence = 0.95);

// Half-width of the 95% median CI relative to the median.
double relative_ci_halfwidth(std::span<const double> values);

// The adaptive stopping rule: true once the 95% CI of the median lies within
// +-target_rel_ci of the median.
bool precise_enough(std::span<const double> values, double target_rel_ci);

// Fills every field of MetricSummary from one series (valid = n > 0).
MetricSummary summarize(const Series& series);

}  // namespace cb::stats
