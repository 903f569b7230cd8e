// Interference between co-located models, from the results of
// cross_model.colocate cases: each model's latency alone
// ("<model>.solo.latency"), next to one other model
// ("<model>.with.<other>.latency") and next to all the others
// ("<model>.with_all.latency"). Pure: tested with fake results.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"

namespace cb::stats {

inline constexpr const char* kWithAll = "all";

struct InterferenceRow {
  std::string model;  // the row model: the one timed
  std::string with;   // the column model running beside it, or kWithAll
  double solo_latency = 0, shared_latency = 0;        // medians, s
  double slowdown = 0;                                // shared / solo
  double solo_throughput = 0, shared_throughput = 0;  // samples/s
};

struct Interference {
  int case_id = 0;
  std::string key;
  std::vector<std::string> models;  // in the case's order
  std::vector<InterferenceRow> rows;
  // Every model at once: the sum of their shared throughputs (next to all
  // the others; for two models, next to each other).
  double aggregate_throughput = 0;
  // Time-slicing instead: each model alone for 1/N of the time.
  double time_sliced_throughput = 0;
  // Row model slowed by column model; NaN where not measured (diagonal).
  double slowdown(const std::string& row, const std::string& column) const;
};

// One entry per ok cross_model.colocate case.
std::vector<Interference> interference(const std::vector<CaseResult>& results);

}  // namespace cb::stats
