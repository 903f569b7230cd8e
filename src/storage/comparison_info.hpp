// How a comparison was made: stored as attributes of /comparison next to the
// rows (DESIGN.md "Results in HDF5") and shown in report headers.
#pragma once

#include <cstddef>
#include <string>

namespace cb {

struct ComparisonInfo {
  std::string baseline_path;         // as given on the command line
  std::string baseline_created_utc;  // the baseline file's created_utc
  double threshold = 0.05;           // default relative move of the median
  double alpha = 0.05;               // significance level of the U test
  std::size_t min_samples = 5;
};

}  // namespace cb
