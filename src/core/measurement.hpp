// The one measurement loop of the program. It owns warm-up, batching of
// iterations into samples, device sync, barriers for group cases, adaptive
// stopping (collective for group cases) and keeps every raw sample.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/benchmark.hpp"
#include "core/case.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

namespace cb {

class Group;

// Decides whether samples are precise enough to stop (see
// stats::precise_enough).
using PrecisionRule =
    std::function<bool(std::span<const double> samples, double target_rel_ci)>;

struct Measurement {
  // Local case: every metric as measured by this rank. Group case: metrics
  // across the group (rank kAcrossRanks; identical on every member) followed
  // by this rank's own raw times.
  std::vector<Series> series;
  int samples = 0;
  std::vector<std::int64_t> iterations_per_sample;  // per operation
  bool precise = false;    // stopped because the CI target was met
  bool timed_out = false;  // stopped by MeasureSettings::timeout_s
  double elapsed_s = 0;
};

class MeasurementLoop {
 public:
  MeasurementLoop(Clock& clock, PrecisionRule precise_enough)
      : clock_(clock), precise_enough_(std::move(precise_enough)) {}

  // `group` is null for local cases. Every member of a group must call this
  // with the same operations and settings: all decisions are collective.
  Measurement run(std::vector<Operation>& operations,
                  const MeasureSettings& settings, Group* group,
                  int world_rank);

  // Called between samples, outside the timed region: rank 0 receives and
  // writes other ranks' results there, so that they reach the file while
  // its own long cases run.
  void set_between_samples(std::function<void()> hook) {
    between_samples_ = std::move(hook);
  }

 private:
  std::int64_t calibrate(Operation& op, const MeasureSettings& settings,
                         Group* group);
  // Drains the operation's recorded values into `keep` (sampling batches)
  // or drops them (null: warm-up and calibration).
  double time_batch(Operation& op, std::int64_t iterations, Group* group,
                    std::vector<Series>* keep = nullptr);

  Clock& clock_;
  PrecisionRule precise_enough_;
  std::function<void()> between_samples_;
};

// "copy" + "time" -> "copy.time"; "" + "latency" -> "latency".
std::string metric_name(const std::string& prefix, const std::string& metric);

}  // namespace cb
