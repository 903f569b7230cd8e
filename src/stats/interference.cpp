#include "stats/interference.hpp"

#include <cmath>
#include <limits>
#include <map>

namespace cb::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::string kSolo = ".solo.latency";

std::map<std::string, const MetricSummary*> by_name(const CaseResult& r) {
  std::map<std::string, const MetricSummary*> out;
  for (const MetricSummary& m : r.metrics) out[m.metric] = &m;
  return out;
}

double median_of(const std::map<std::string, const MetricSummary*>& metrics,
                 const std::string& name) {
  auto it = metrics.find(name);
  return it == metrics.end() ? kNaN : it->second->median;
}

}  // namespace

double Interference::slowdown(const std::string& row,
                              const std::string& column) const {
  for (const InterferenceRow& r : rows)
    if (r.model == row && r.with == column) return r.slowdown;
  return kNaN;
}

std::vector<Interference> interference(const std::vector<CaseResult>& results) {
  std::vector<Interference> out;
  for (const CaseResult& r : results) {
    if (r.benchmark != "cross_model.colocate" || r.status != CaseStatus::Ok)
      continue;
    Interference x;
    x.case_id = r.case_id;
    x.key = r.key;
    for (const MetricSummary& m : r.metrics)
      if (m.metric.ends_with(kSolo))
        x.models.push_back(m.metric.substr(0, m.metric.size() - kSolo.size()));
    if (x.models.size() < 2) continue;
    auto metrics = by_name(r);
    const bool pairs_only = x.models.size() == 2;
    for (const std::string& a : x.models) {
      std::vector<std::string> columns = x.models;
      columns.push_back(kWithAll);
      for (const std::string& b : columns) {
        if (b == a) continue;
        std::string op = a + (b == kWithAll ? ".with_all" : ".with." + b);
        InterferenceRow row{a,
                            b,
                            median_of(metrics, a + kSolo),
                            median_of(metrics, op + ".latency"),
                            0,
                            median_of(metrics, a + ".solo.throughput"),
                            median_of(metrics, op + ".throughput")};
        if (std::isnan(row.shared_latency)) continue;
        row.slowdown = row.shared_latency / row.solo_latency;
        // Everyone at once: next to all others, or the one other of a pair.
        if (b == kWithAll || pairs_only)
          x.aggregate_throughput += row.shared_throughput;
        x.rows.push_back(row);
      }
      x.time_sliced_throughput +=
          median_of(metrics, a + ".solo.throughput") / double(x.models.size());
    }
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace cb::stats
