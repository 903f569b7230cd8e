// Reads a result file written by Hdf5Writer back into the result model, for
// `compare`, `export` and `--resume`.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "hardware/inventory.hpp"
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
ResultFile read_results(const std::string& path);

}  // namespace cb
