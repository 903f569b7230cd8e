#include "stats/pair_matrix.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "stats/summary.hpp"

namespace cb::stats {
namespace {

// "…@mpi:pair3-7" -> (3, 7); false for any other slot.
bool pair_of(const std::string& key, int& a, int& b) {
  auto at = key.rfind(":pair");
  if (at == std::string::npos) return false;
  return std::sscanf(key.c_str() + at, ":pair%d-%d", &a, &b) == 2;
}

std::string params_without_all_pairs(const ParamSet& params) {
  ParamSet rest = params;
  rest.erase("all_pairs");
  return canonical(rest);
}

// Only the metric itself: time_min/time_max and per-rank rows are left out.
bool matrix_metric(const std::string& metric) {
  return !metric.ends_with("_min") && !metric.ends_with("_max");
}

}  // namespace

std::vector<PairMatrix> pair_matrices(const std::vector<CaseResult>& results,
                                      int world_size) {
  std::map<std::tuple<std::string, std::string, std::string>, PairMatrix> by;
  for (const CaseResult& r : results) {
    int a = 0, b = 0;
    if (r.status != CaseStatus::Ok || !pair_of(r.key, a, b)) continue;
    if (a < 0 || b < 0 || a >= world_size || b >= world_size) continue;
    for (const MetricSummary& m : r.metrics) {
      if (!matrix_metric(m.metric)) continue;
      std::string params = params_without_all_pairs(r.params);
      PairMatrix& pm = by[{r.benchmark, params, m.metric}];
      if (pm.values.empty()) {
        pm.benchmark = r.benchmark;
        pm.params = params;
        pm.metric = m.metric;
        pm.unit = m.unit;
        pm.better = m.better;
        pm.ranks = world_size;
        pm.values.assign(static_cast<std::size_t>(world_size) * world_size,
                         std::numeric_limits<double>::quiet_NaN());
      }
      pm.values[static_cast<std::size_t>(a * world_size + b)] = m.median;
      pm.values[static_cast<std::size_t>(b * world_size + a)] = m.median;
    }
  }
  std::vector<PairMatrix> out;
  for (auto& [key, matrix] : by) out.push_back(std::move(matrix));
  return out;
}

std::vector<WorstPair> worst_pairs(const PairMatrix& matrix,
                                   std::size_t count) {
  std::vector<WorstPair> pairs;
  std::vector<double> values;
  for (int a = 0; a < matrix.ranks; ++a)
    for (int b = a + 1; b < matrix.ranks; ++b) {
      double v = matrix.at(a, b);
      if (std::isnan(v)) continue;
      pairs.push_back({a, b, v, 0});
      values.push_back(v);
    }
  if (pairs.empty()) return {};
  double mid = median(values);
  for (WorstPair& p : pairs) p.vs_median = mid != 0 ? p.value / mid : 0;
  bool lower_is_better = matrix.better == Better::Lower;
  std::stable_sort(
      pairs.begin(), pairs.end(), [&](const WorstPair& x, const WorstPair& y) {
        return lower_is_better ? x.value > y.value : x.value < y.value;
      });
  // Only pairs on the bad side of the median are worth naming.
  std::erase_if(pairs, [&](const WorstPair& p) {
    return lower_is_better ? p.value < mid : p.value > mid;
  });
  if (pairs.size() > count) pairs.resize(count);
  return pairs;
}

}  // namespace cb::stats
