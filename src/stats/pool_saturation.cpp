#include "stats/pool_saturation.hpp"

#include <algorithm>
#include <limits>
#include <map>

namespace cb::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const MetricSummary* find(const CaseResult& r, const std::string& metric) {
  for (const MetricSummary& m : r.metrics)
    if (m.metric == metric) return &m;
  return nullptr;
}

double median_of(const CaseResult& r, const std::string& metric) {
  const MetricSummary* m = find(r, metric);
  return m ? m->median : kNaN;
}

}  // namespace

std::int64_t first_within(const std::vector<PoolPoint>& points,
                          double tolerance) {
  double best = -std::numeric_limits<double>::infinity();
  for (const PoolPoint& p : points) best = std::max(best, p.throughput);
  for (const PoolPoint& p : points)
    if (p.throughput >= (1 - tolerance) * best) return p.contexts;
  return -1;
}

std::vector<PoolSaturation> pool_saturation(
    const std::vector<CaseResult>& results, double tolerance) {
  std::map<std::string, PoolSaturation> by;
  for (const CaseResult& r : results) {
    if (r.benchmark != "resource_pool.serve" || r.status != CaseStatus::Ok)
      continue;
    auto k = r.params.find("contexts");
    const MetricSummary* tp = find(r, "throughput");
    if (k == r.params.end() || tp == nullptr) continue;
    ParamSet rest = r.params;
    rest.erase("contexts");
    rest.erase("threads");  // resolved per K when the suite says 0
    std::string key = canonical(rest) + "@" + r.backend;
    PoolSaturation& s = by[key];
    s.params = canonical(rest);
    const MetricSummary* latency = find(r, "request_latency");
    s.points.push_back(
        {std::get<std::int64_t>(k->second), tp->median,
         latency ? latency->median : kNaN, latency ? latency->p99 : kNaN,
         median_of(r, "queue_delay"), median_of(r, "pool_overhead")});
  }
  std::vector<PoolSaturation> out;
  for (auto& [key, s] : by) {
    std::sort(s.points.begin(), s.points.end(),
              [](const PoolPoint& a, const PoolPoint& b) {
                return a.contexts < b.contexts;
              });
    s.saturation_contexts = first_within(s.points, tolerance);
    s.saturated = s.saturation_contexts < s.points.back().contexts;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace cb::stats
