// Two-sided Mann-Whitney U test, matching scipy.stats.mannwhitneyu(x, y,
// alternative="two-sided", method="auto") of SciPy 1.10. Pure function.
#pragma once

#include <span>

namespace cb::stats {

struct MannWhitney {
  double u = 0;        // U of x (SciPy's statistic): pairs (xi, yj) with
                       // xi > yj, plus half of the ties
  double p_value = 0;  // two-sided
  bool exact = false;  // p from the exact null distribution of U
};

// Method choice as SciPy 1.10's _mwu_choose_method (its code, which says
// "<= 8"; its docstring says "less than 8"): exact when min(nx, ny) <= 8 and
// no value occurs twice in x and y together; otherwise the normal
// approximation with tie correction and continuity correction 0.5.
// Empty x or y, or any NaN: u and p_value are NaN.
MannWhitney mann_whitney_u(std::span<const double> x,
                           std::span<const double> y);

}  // namespace cb::stats
