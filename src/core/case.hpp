// Cases: one benchmark at one point of its parameter sweep on one backend.
#pragma once

#include <string>

#include "core/param.hpp"

namespace cb {

// How the shared measurement loop samples a case ([suite] keys, which a
// [[benchmark]] entry may override).
struct MeasureSettings {
  int warmup = 2;       // iterations run before sampling, not kept
  int min_samples = 5;  // samples before stopping is considered
  int max_samples = 50;
  double max_time_s = 2.0;          // per case, measured time only
  double target_rel_ci = 0.02;      // stop when the 95% CI of the median is
                                    // within +-target_rel_ci of the median
  double min_sample_time_s = 1e-3;  // iterations are batched up to this
  // Longest a case may take, set-up to verification. Sampling stops at it
  // (the case is recorded as "timeout" with the samples it has); a case that
  // does not come back to the loop at all ends the job soon after (watchdog).
  double timeout_s = 300.0;
  // Measured in this many rounds interleaved with the other cases, samples
  // pooled (cluster/rounds.hpp); the budgets above are for all rounds.
  int rounds = 1;
};

// A case before it is placed on a device and ranks: what the suite asks for.
struct CaseTemplate {
  std::string benchmark;
  ParamSet params;
  std::string backend;
  MeasureSettings measure;
};

}  // namespace cb
