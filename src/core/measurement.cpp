#include "core/measurement.hpp"

#include <algorithm>
#include <cmath>
#include <csignal>

#include "core/error.hpp"
#include "core/group.hpp"
#include "core/interrupt.hpp"

namespace cb {
namespace {

// Upper bound on iterations batched into one sample (a no-op benchmark must
// not spin forever during calibration).
constexpr std::int64_t kMaxIterationsPerSample = std::int64_t{1} << 24;

// Collects the series of one operation while sampling.
struct OpSeries {
  Series time;                   // local: own; group: average across ranks
  Series time_min, time_max;     // group only: fastest and slowest rank
  Series own_time;               // group only: this rank's raw time
  std::vector<Series> rates;     // derived from `time`
  std::vector<Series> recorded;  // Operation::recorded, this rank's
};

OpSeries make_series(const Operation& op, bool grouped, int world_rank) {
  OpSeries s;
  int rank = grouped ? kAcrossRanks : world_rank;
  auto series = [&](const std::string& metric, const std::string& unit,
                    Better better, int r) {
    return Series{metric_name(op.name, metric), unit, better, r, {}};
  };
  s.time = series(op.time_metric, "s", Better::Lower, rank);
  if (grouped) {
    s.time_min = series(op.time_metric + "_min", "s", Better::Lower, rank);
    s.time_max = series(op.time_metric + "_max", "s", Better::Lower, rank);
    s.own_time = series(op.time_metric, "s", Better::Lower, world_rank);
  }
  for (const Rate& rate : op.rates)
    s.rates.push_back(series(rate.metric, rate.unit, Better::Higher, rank));
  for (const Recorded& r : op.recorded)
    s.recorded.push_back(series(r.metric, r.unit, r.better, world_rank));
  return s;
}

void record_rates(const Operation& op, OpSeries& s, double time) {
  for (std::size_t i = 0; i < op.rates.size(); ++i)
    s.rates[i].values.push_back(
        time > 0 ? op.rates[i].amount_per_iteration / time : 0.0);
}

}  // namespace

std::string metric_name(const std::string& prefix, const std::string& metric) {
  return prefix.empty() ? metric : prefix + "." + metric;
}

double MeasurementLoop::time_batch(Operation& op, std::int64_t iterations,
                                   Group* group, std::vector<Series>* keep) {
  if (op.before_batch) op.before_batch();
  // Barrier so that all members start a sample together; then each rank times
  // its own part (the reductions afterwards give min/avg/max across ranks).
  if (group) group->barrier();
  double start = clock_.now_s();
  op.run(iterations);
  op.sync();
  double elapsed = clock_.now_s() - start;
  if (op.after_batch) op.after_batch();
  if (op.drain) {
    auto values = op.drain();
    if (keep != nullptr)
      for (std::size_t i = 0; i < values.size() && i < keep->size(); ++i)
        (*keep)[i].values.insert((*keep)[i].values.end(), values[i].begin(),
                                 values[i].end());
  }
  return elapsed;
}

std::int64_t MeasurementLoop::calibrate(Operation& op,
                                        const MeasureSettings& settings,
                                        Group* group) {
  // Grow the batch until one sample takes at least min_sample_time_s. Each
  // step's time is agreed across the group, so every member makes the same
  // number of calls (a ping-pong would deadlock otherwise).
  std::int64_t iterations = 1;
  double spent = 0;  // the same on every member: a sum of agreed times
  while (true) {
    double t = time_batch(op, iterations, group);
    if (group) group->max(std::span<double>(&t, 1));
    spent += t;
    // timeout_s bounds calibration too; the sampling loop then reports it.
    if (t >= settings.min_sample_time_s ||
        iterations >= kMaxIterationsPerSample || spent >= settings.timeout_s)
      return iterations;
    double factor = t > 0 ? settings.min_sample_time_s / t * 1.2 : 16.0;
    factor = std::clamp(factor, 2.0, 1024.0);
    iterations =
        std::min(kMaxIterationsPerSample,
                 static_cast<std::int64_t>(std::ceil(iterations * factor)));
  }
}

Measurement MeasurementLoop::run(std::vector<Operation>& operations,
                                 const MeasureSettings& settings, Group* group,
                                 int world_rank) {
  CB_CHECK(!operations.empty(),
           "a benchmark must declare at least one operation");
  const bool grouped = group != nullptr;
  const double start = clock_.now_s();
  Measurement result;

  for (Operation& op : operations) {
    if (settings.warmup > 0) time_batch(op, settings.warmup, group);
    result.iterations_per_sample.push_back(calibrate(op, settings, group));
  }

  std::vector<OpSeries> series;
  for (const Operation& op : operations)
    series.push_back(make_series(op, grouped, world_rank));

  const std::size_t n_ops = operations.size();
  std::vector<double> times(n_ops), sums(n_ops), mins(n_ops), maxs(n_ops + 1);
  while (true) {
    for (std::size_t i = 0; i < n_ops; ++i) {
      Operation& op = operations[i];
      std::int64_t n = result.iterations_per_sample[i];
      times[i] = time_batch(op, n, group, &series[i].recorded) /
                 static_cast<double>(n) / op.time_divisor;
    }
    ++result.samples;
    double elapsed = clock_.now_s() - start;
    if (grouped) {
      // One sum, one min and one max reduction per sample, outside the timed
      // region. Elapsed time rides along in the max so that the stop decision
      // below sees the same numbers on every member.
      std::copy(times.begin(), times.end(), sums.begin());
      std::copy(times.begin(), times.end(), mins.begin());
      std::copy(times.begin(), times.end(), maxs.begin());
      maxs[n_ops] = elapsed;
      group->sum(sums);
      group->min(mins);
      group->max(maxs);
      elapsed = maxs[n_ops];
      for (std::size_t i = 0; i < n_ops; ++i) {
        double avg = sums[i] / group->size();
        series[i].own_time.values.push_back(times[i]);
        series[i].time.values.push_back(avg);
        series[i].time_min.values.push_back(mins[i]);
        series[i].time_max.values.push_back(maxs[i]);
        record_rates(operations[i], series[i], avg);
      }
    } else {
      for (std::size_t i = 0; i < n_ops; ++i) {
        series[i].time.values.push_back(times[i]);
        record_rates(operations[i], series[i], times[i]);
      }
    }

    bool precise =
        std::all_of(series.begin(), series.end(), [&](const OpSeries& s) {
          return precise_enough_(s.time.values, settings.target_rel_ci);
        });
    bool enough = result.samples >= settings.min_samples;
    // timeout_s bounds the whole case: past it, sampling stops even short of
    // min_samples, and the case says so.
    bool timed_out = elapsed >= settings.timeout_s;
    bool stop = (enough && (precise || elapsed >= settings.max_time_s)) ||
                result.samples >= settings.max_samples || timed_out;
    if (grouped) {
      // Every member computed the same decision from the same reduced data,
      // as long as MPI's sums are bitwise identical everywhere, which MPI only
      // recommends. The leader's word is final, so nobody can leave early.
      bool leader = group->rank() == 0;
      // A signal seen by any member stops them all at this same sample.
      double votes[4] = {
          leader && stop ? 1.0 : 0.0, leader && precise ? 1.0 : 0.0,
          leader && timed_out ? 1.0 : 0.0, pending_signal() != 0 ? 1.0 : 0.0};
      group->max(votes);
      stop = votes[0] > 0.5;
      precise = votes[1] > 0.5;
      timed_out = votes[2] > 0.5;
      if (votes[3] > 0.5)
        throw Interrupted(pending_signal() ? pending_signal() : SIGTERM);
    }
    if (stop) {
      result.precise = enough && precise;
      result.timed_out =
          timed_out && !result.precise && result.samples < settings.max_samples;
      result.elapsed_s = elapsed;
      break;
    }
    if (between_samples_) between_samples_();
    // A signal abandons the case here, outside the timed region.
    throw_if_interrupted();
  }

  for (OpSeries& s : series) {
    result.series.push_back(std::move(s.time));
    if (grouped) {
      result.series.push_back(std::move(s.time_min));
      result.series.push_back(std::move(s.time_max));
    }
    for (Series& rate : s.rates) result.series.push_back(std::move(rate));
    if (grouped) result.series.push_back(std::move(s.own_time));
    for (Series& r : s.recorded) result.series.push_back(std::move(r));
  }
  return result;
}

}  // namespace cb
