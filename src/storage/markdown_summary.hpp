// A compact GitHub-Markdown summary of a run, for CI job summaries
// ($GITHUB_STEP_SUMMARY) and terminals: one row per case and headline metric.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/run_info.hpp"

namespace cb {

std::string markdown_summary(const RunInfo& info,
                             const std::vector<CaseResult>& cases);

// A value with an SI prefix and three significant digits: times in "s" (or
// ms/us/ns) become "4.56 us"; prefixed rates and amounts such as "MB/s" or
// "GFLOP/s" are rescaled ("12.3 GB/s"); other units are left as they are.
std::string format_quantity(double value, const std::string& unit);

}  // namespace cb
