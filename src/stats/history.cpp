#include "stats/history.hpp"

#include <limits>
#include <map>
#include <utility>

#include "stats/case_summary.hpp"

namespace cb::stats {
namespace {

const CaseResult* find_case(const std::vector<CaseResult>& run,
                            const std::string& key) {
  for (const CaseResult& c : run)
    if (c.key == key) return &c;
  return nullptr;
}

}  // namespace

std::vector<CaseResult> pool_runs(
    const std::vector<std::vector<CaseResult>>& runs) {
  std::vector<CaseResult> pooled;
  if (runs.empty()) return pooled;
  // Keys in the newest run's order, then keys only older runs have.
  std::vector<std::string> keys;
  std::map<std::string, bool> seen;
  for (auto run = runs.rbegin(); run != runs.rend(); ++run)
    for (const CaseResult& c : *run)
      if (!seen[c.key]) {
        seen[c.key] = true;
        keys.push_back(c.key);
      }
  for (const std::string& key : keys) {
    const CaseResult* newest = nullptr;
    const CaseResult* newest_ok = nullptr;
    for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
      const CaseResult* c = find_case(*run, key);
      if (!c) continue;
      if (!newest) newest = c;
      if (!newest_ok && c->status == CaseStatus::Ok) newest_ok = c;
    }
    if (!newest_ok) {
      pooled.push_back(*newest);
      continue;
    }
    CaseResult merged = *newest_ok;
    // Append every other ok run's samples to the series of the same metric
    // and rank, oldest first so that indices follow time.
    std::map<std::pair<std::string, int>, std::vector<double>> values;
    for (const auto& run : runs) {
      const CaseResult* c = find_case(run, key);
      if (!c || c->status != CaseStatus::Ok) continue;
      for (const Series& s : c->samples) {
        auto& v = values[{s.metric, s.rank}];
        v.insert(v.end(), s.values.begin(), s.values.end());
      }
    }
    for (Series& s : merged.samples) s.values = values[{s.metric, s.rank}];
    summarize_case(merged);
    pooled.push_back(std::move(merged));
  }
  return pooled;
}

std::vector<double> trend(const std::vector<std::vector<CaseResult>>& runs,
                          const std::string& key, const std::string& metric) {
  std::vector<double> medians;
  for (const auto& run : runs) {
    double value = std::numeric_limits<double>::quiet_NaN();
    if (const CaseResult* c = find_case(run, key))
      for (const MetricSummary& m : c->metrics)
        if (m.metric == metric) value = m.median;
    medians.push_back(value);
  }
  return medians;
}

}  // namespace cb::stats
