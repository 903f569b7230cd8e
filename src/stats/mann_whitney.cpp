#include "stats/mann_whitney.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <vector>

namespace cb::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// SciPy 1.10: "if both inputs are large, asymptotic is OK".
constexpr std::size_t kExactMaxSmallerSample = 8;

// P(U <= k) under the null for sample sizes m and n (no ties). The number of
// arrangements with U = j is the coefficient of q^j in the Gaussian binomial
// [m+n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i); m is the smaller
// size, so this costs O(m * k). Coefficients above k are never needed.
double exact_cdf(std::size_t m, std::size_t n, std::size_t k) {
  if (m > n) std::swap(m, n);
  std::vector<double> c(k + 1, 0.0);
  c[0] = 1.0;
  double total = 1.0;  // binom(m + n, m)
  for (std::size_t i = 1; i <= m; ++i) {
    // divide by (1 - q^i): c[j] += c[j - i], ascending
    for (std::size_t j = i; j <= k; ++j) c[j] += c[j - i];
    // multiply by (1 - q^(n+i)): c[j] -= c[j - n - i], descending
    const std::size_t shift = n + i;
    for (std::size_t j = k; j >= shift; --j) c[j] -= c[j - shift];
    total = total * static_cast<double>(n + i) / static_cast<double>(i);
  }
  double count = 0.0;
  for (double v : c) count += v;
  return count / total;
}

}  // namespace

MannWhitney mann_whitney_u(std::span<const double> x,
                           std::span<const double> y) {
  MannWhitney result{kNaN, kNaN, false};
  const std::size_t n1 = x.size(), n2 = y.size();
  if (n1 == 0 || n2 == 0) return result;
  auto is_nan = [](double v) { return std::isnan(v); };
  if (std::any_of(x.begin(), x.end(), is_nan) ||
      std::any_of(y.begin(), y.end(), is_nan))
    return result;

  // Average ranks of the pooled sample (scipy.stats.rankdata "average").
  const std::size_t n = n1 + n2;
  std::vector<double> pooled(x.begin(), x.end());
  pooled.insert(pooled.end(), y.begin(), y.end());
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return pooled[a] < pooled[b];
  });
  std::vector<double> rank(n);
  double tie_term = 0.0;  // sum over tie groups of t^3 - t
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && pooled[order[j]] == pooled[order[i]]) ++j;
    // 1-based ranks i+1 .. j share their average
    const double average = 0.5 * static_cast<double>(i + 1 + j);
    for (std::size_t k = i; k < j; ++k) rank[order[k]] = average;
    const auto t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    i = j;
  }
  const bool ties = tie_term > 0.0;

  double r1 = 0.0;
  for (std::size_t i = 0; i < n1; ++i) r1 += rank[i];
  const auto dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2);
  const double u1 = r1 - dn1 * (dn1 + 1.0) / 2.0;
  const double u2 = dn1 * dn2 - u1;
  const double u = std::max(u1, u2);  // two-sided: twice the upper tail
  result.u = u1;

  double p;
  if (!ties && std::min(n1, n2) <= kExactMaxSmallerSample) {
    result.exact = true;
    // P(U >= u) = P(U <= n1*n2 - u) by symmetry; both include the mass at u.
    // Without ties U is a whole number.
    const auto k = static_cast<std::size_t>(std::llround(std::min(u1, u2)));
    p = 2.0 * exact_cdf(n1, n2, k);
  } else {
    const double dn = static_cast<double>(n);
    const double mu = dn1 * dn2 / 2.0;
    const double var =
        dn1 * dn2 / 12.0 * ((dn + 1.0) - tie_term / (dn * (dn - 1.0)));
    // All values equal: var is 0 and u == mu, so z = -inf and p = 1.
    if (var <= 0.0) {
      p = 1.0;
    } else {
      const double z = (u - mu - 0.5) / std::sqrt(var);
      p = std::erfc(z / std::sqrt(2.0));  // 2 * P(Z > z)
    }
  }
  result.p_value = std::clamp(p, 0.0, 1.0);
  return result;
}

}  // namespace cb::stats
