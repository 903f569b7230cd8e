// Where a pool stops scaling: resource_pool.serve cases that differ only in
// the number of contexts K, their throughput against K, and the smallest K
// whose throughput is within `tolerance` of the best. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace cb::stats {

struct PoolPoint {
  std::int64_t contexts = 0;
  double throughput = 0;                    // median, requests/s
  double latency_p50 = 0, latency_p99 = 0;  // per request, s (NaN if absent)
  double queue_p50 = 0, overhead_p50 = 0;   // s
};

struct PoolSaturation {
  std::string params;  // canonical parameters without contexts and threads
  std::vector<PoolPoint> points;  // by contexts
  std::int64_t saturation_contexts = 0;
  // false when only the largest K swept reaches it: more might still help.
  bool saturated = false;
};

inline constexpr double kSaturationTolerance = 0.05;

std::vector<PoolSaturation> pool_saturation(
    const std::vector<CaseResult>& results,
    double tolerance = kSaturationTolerance);

// The smallest x whose y is within tolerance of the largest y; -1 if empty.
// Exposed for tests.
std::int64_t first_within(const std::vector<PoolPoint>& points,
                          double tolerance);

}  // namespace cb::stats
