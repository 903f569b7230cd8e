// Report writers over the comparison model (DESIGN.md "Regressions":
// console table, Markdown for a CI summary, CSV, JSON, JUnit XML). Each is a
// pure function of the model: it decides nothing and does no I/O, so that
// every format says the same thing and is tested against a golden file.
#pragma once

#include <string>

#include "stats/comparison.hpp"
#include "storage/comparison_info.hpp"

namespace cb {

// An aligned table for a terminal: regressions first, then improvements,
// then the rest in model order; ANSI red/green for regression/improvement
// only when `colour`; a last line with the count per verdict and the
// geometric-mean change per kind.
std::string comparison_console(const stats::Comparison& comparison,
                               bool colour);

// GitHub-flavoured Markdown for a CI job summary: the outcome in the first
// line, tables of regressions and improvements, everything else folded in
// <details>, and the geometric-mean change per kind. `info` (optional) adds
// the baseline and the settings under the first line.
std::string comparison_markdown(const stats::Comparison& comparison,
                                const ComparisonInfo* info = nullptr);

// One header line, then one line per row, in model order; RFC 4180 quoting;
// NaN as an empty field.
std::string comparison_csv(const stats::Comparison& comparison);

// {"rows": [...], "by_kind": [...], "counts": {...}, "regressions": N} plus
// "baseline": {...} when `info` is given; NaN and infinities as null.
std::string comparison_json(const stats::Comparison& comparison,
                            const ComparisonInfo* info = nullptr);

// JUnit XML: one <testsuite name="clusterbench">, one <testcase> per row
// (classname = benchmark, name = "<key> <metric>"). A regression is a
// <failure>, a failed case an <error>; insufficient, new, missing and
// incomparable rows are <skipped>; improvement and unchanged pass.
std::string comparison_junit(const stats::Comparison& comparison);

}  // namespace cb
