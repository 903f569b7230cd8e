// Rank x rank matrices from an all-pairs sweep (`all_pairs = true`): one
// matrix per benchmark, parameter set and metric, and its worst pairs.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"

namespace cb::stats {

struct PairMatrix {
  std::string benchmark;
  std::string params;  // canonical params without all_pairs, e.g. "size=8"
  std::string metric, unit;
  Better better = Better::Lower;
  int ranks = 0;  // matrix is ranks x ranks
  std::vector<double>
      values;  // row-major medians, symmetric, NaN where unmeasured
  double at(int a, int b) const {
    return values[static_cast<std::size_t>(a * ranks + b)];
  }
};

struct WorstPair {
  int a = 0, b = 0;
  double value = 0;
  double vs_median = 0;  // value / median over all measured pairs
};

// Matrices of every ok all-pairs case (slot "pairA-B") in `results`, for each
// headline metric without a rank suffix (latency, bandwidth, ...).
std::vector<PairMatrix> pair_matrices(const std::vector<CaseResult>& results,
                                      int world_size);

// Up to `count` pairs, worst first for the metric's direction, among those no
// better than the median pair.
std::vector<WorstPair> worst_pairs(const PairMatrix& matrix, std::size_t count);

}  // namespace cb::stats
