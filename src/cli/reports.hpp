// Report files for `run --report`, `compare --report` and `export`: one file
// per format next to the result file, each rendered by a storage writer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "stats/comparison.hpp"
#include "storage/run_info.hpp"

namespace cb {

// "md,csv,json,junit" -> the formats; throws cb::Error(Input) naming a bad one.
std::vector<std::string> parse_report_formats(const std::string& list);

// Writes <prefix>.md, .csv, .json, .junit.xml for the requested formats:
// the comparison's when there is one, the results' otherwise. Prints each path.
// Each file is written beside its place and renamed into it, so that a
// failed write never leaves half a report over a whole one.
// `markdown_appendix` is added to the Markdown report (a history's trends).
void write_reports(const std::vector<std::string>& formats,
                   const std::string& prefix, const RunInfo& info,
                   const std::vector<CaseResult>& cases,
                   const std::optional<stats::Comparison>& comparison,
                   const std::string& markdown_appendix = "");

// The files write_reports writes for `formats`: <prefix>.md, ... or, for a
// comparison, <prefix>.comparison.md, ... (checked before a run starts).
std::vector<std::string> report_paths(const std::vector<std::string>& formats,
                                      const std::string& prefix,
                                      bool comparison);

// "results/smoke-x.h5" -> "results/smoke-x"
std::string report_prefix(const std::string& h5_path);

}  // namespace cb
