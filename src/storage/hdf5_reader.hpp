// Reads a result file written by Hdf5Writer back into the result model, for
// `compare`, `export` and `--resume`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "hardware/inventory.hpp"
#include "stats/comparison.hpp"
#include "storage/comparison_info.hpp"
#include "storage/run_info.hpp"

namespace cb {

struct ResultFile {
  RunInfo info;
  Inventory inventory;
  std::vector<CaseResult> cases;  // in the order they were written
};

// Throws cb::Error(Input) "<path>: not a clusterbench result file (...)"
// for a missing, non-HDF5, truncated or foreign file, or another schema
// version.
// A key that appears more than once (a run resumed with --resume appends)
// is returned once, as its last row.
ResultFile read_results(const std::string& path);

// The comparison stored by Hdf5Writer::write_comparison (rows and
// by_kind), or nullopt when the file has no /comparison (run without a
// baseline). Throws like read_results for a file that is not a clusterbench
// result file or a malformed /comparison.
std::optional<stats::Comparison> read_comparison(const std::string& path);
// The attributes of /comparison; nullopt when there is none.
std::optional<ComparisonInfo> read_comparison_info(const std::string& path);

}  // namespace cb
