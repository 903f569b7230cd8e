// A baseline made of several earlier runs, for nightly jobs that watch a
// cluster's trend (`compare CURRENT --history DIR --last N`).
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"

namespace cb::stats {

// One baseline from several runs (oldest first): for every case key, the raw
// samples of all runs in which the case was ok are pooled per metric and
// summarised again. Pooling, rather than combining the runs' medians, puts the
// run-to-run variation of the machine into the baseline's distribution, so
// the U test compares the new run with everything the machine has done, not
// with one lucky or unlucky run; a median of medians would hide that spread
// and make the test overconfident. Cases come in the newest run's order; a
// key that was never ok keeps its newest (failed) result.
std::vector<CaseResult> pool_runs(
    const std::vector<std::vector<CaseResult>>& runs);

// The median of `metric` of case `key` in each run (NaN where absent).
std::vector<double> trend(const std::vector<std::vector<CaseResult>>& runs,
                          const std::string& key, const std::string& metric);

}  // namespace cb::stats
