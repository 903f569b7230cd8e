// Summaries of one case: which raw series become rows of /metrics.
#pragma once

#include "core/result.hpp"

namespace cb::stats {

// Summarises the headline series of `result` into result.metrics: for a group
// case the series derived across ranks (rank kAcrossRanks), for a local case
// every series. `valid` is set only when the case is ok (verified) and the
// metric has samples.
void summarize_case(CaseResult& result);

// Relative half-width of the median's 95% CI above which a metric is flagged
// unstable in /metrics.
inline constexpr double kUnstableRelCi = 0.05;

}  // namespace cb::stats
