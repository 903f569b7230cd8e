// Report writers over the result model alone, for `clusterbench export
// FILE.h5 --report csv,json,junit` when there is no comparison (Markdown is
// markdown_summary). Pure functions: they render, they decide nothing.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/run_info.hpp"

namespace cb {

// One header line, then one line per case and metric (a case without
// metrics, e.g. failed or skipped, gets one line with empty metric fields):
// key, benchmark, backend, params ("k=v;k=v"), status, metric, unit, better,
// n, median, ci_low, ci_high, mean, min, max, valid. RFC 4180 quoting.
std::string results_csv(const std::vector<CaseResult>& cases);

// {"run": {root attributes and the suite text}, "cases": [{..., "params":
// {name: typed value}, "metrics": [{summary}]}]}; raw samples are left to
// the HDF5 file. NaN and infinities as null.
std::string results_json(const RunInfo& info,
                         const std::vector<CaseResult>& cases);

// JUnit XML: one <testsuite name="clusterbench">, one <testcase> per case
// (classname = benchmark, name = key, time = wall_s). failed and timeout are
// a <failure> with the error, skipped a <skipped> with the reason.
std::string results_junit(const std::vector<CaseResult>& cases);

}  // namespace cb
