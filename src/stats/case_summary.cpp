#include "stats/case_summary.hpp"

#include <algorithm>

#include "stats/summary.hpp"

namespace cb::stats {

void summarize_case(CaseResult& result) {
  bool grouped =
      std::any_of(result.samples.begin(), result.samples.end(),
                  [](const Series& s) { return s.rank == kAcrossRanks; });
  result.metrics.clear();
  for (const Series& series : result.samples) {
    if (grouped && series.rank != kAcrossRanks) continue;
    MetricSummary summary = summarize(series);
    summary.unstable =
        summary.n > 0 && relative_ci_halfwidth(series.values) > kUnstableRelCi;
    summary.valid = summary.valid && result.status == CaseStatus::Ok;
    result.metrics.push_back(summary);
  }
}

}  // namespace cb::stats
