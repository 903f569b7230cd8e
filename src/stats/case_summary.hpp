// Summaries of one case: which raw series become rows of /metrics.
#pragma once

#include "core/result.hpp"

namespace cb::stats {

// Summarises the headline series of `result` into result.metrics: for a group
// case the series derived across ranks (rank kAcrossRanks), for a local case
// every series. `valid` is set only when the case is ok (verified) and the
// metric has samples.
void summarize_case(CaseResult& result);

}  // namespace cb::stats
