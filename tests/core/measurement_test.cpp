// The measurement loop with a fake clock (time advances only when an
// operation "runs") and fake groups, so stopping rules are tested exactly.
#include "core/measurement.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <mutex>
#include <thread>

#include "core/group.hpp"
#include "stats/summary.hpp"

namespace cb {
namespace {

class FakeClock final : public Clock {
 public:
  double now_s() override { return t; }
  double t = 0;
};

// An operation whose iterations take `cost(i)` seconds of fake time each.
Operation fake_op(FakeClock& clock, std::function<double(std::int64_t)> cost,
                  std::int64_t* calls = nullptr) {
  Operation op;
  op.rates = {{"bandwidth", "GB/s", 2.0}};
  op.run = [&clock, cost, calls](std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) {
      std::int64_t k = calls ? (*calls)++ : 0;
      clock.t += cost(k);
    }
  };
  return op;
}

MeasureSettings settings() {
  MeasureSettings s;
  s.warmup = 2;
  s.min_samples = 5;
  s.max_samples = 50;
  s.max_time_s = 100;
  s.target_rel_ci = 0.02;
  s.min_sample_time_s = 1e-3;
  return s;
}

TEST(MeasurementLoop, ConstantTimeStopsAtFirstValidCiWithBatching) {
  FakeClock clock;
  MeasurementLoop loop(clock, stats::precise_enough);
  std::vector<Operation> ops{fake_op(clock, [](std::int64_t) { return 1e-6; })};
  Measurement m = loop.run(ops, settings(), nullptr, 3);
  // min_samples is 5, but a 95% median CI needs 6 samples to exist.
  EXPECT_EQ(m.samples, 6);
  EXPECT_TRUE(m.precise);
  // 1 us per iteration: batches of at least 1000 iterations reach 1 ms.
  ASSERT_EQ(m.iterations_per_sample.size(), 1u);
  EXPECT_GE(m.iterations_per_sample[0], 1000);
  ASSERT_EQ(m.series.size(), 2u);  // time, bandwidth
  EXPECT_EQ(m.series[0].metric, "time");
  EXPECT_EQ(m.series[0].rank, 3);
  EXPECT_EQ(m.series[0].values.size(), 6u);
  EXPECT_NEAR(m.series[0].values[0], 1e-6, 1e-12);
  EXPECT_EQ(m.series[1].metric, "bandwidth");
  EXPECT_EQ(m.series[1].better, Better::Higher);
  EXPECT_NEAR(m.series[1].values[0], 2.0 / 1e-6, 1e-3);
}

TEST(MeasurementLoop, NoisyTimeRunsToMaxSamples) {
  FakeClock clock;
  MeasurementLoop loop(clock, stats::precise_enough);
  // Alternating 1 ms and 2 ms iterations (batches of one): never precise.
  std::int64_t calls = 0;
  std::vector<Operation> ops{fake_op(
      clock, [](std::int64_t k) { return k % 2 ? 2e-3 : 1e-3; }, &calls)};
  MeasureSettings s = settings();
  s.max_samples = 20;
  Measurement m = loop.run(ops, s, nullptr, 0);
  EXPECT_EQ(m.samples, 20);
  EXPECT_FALSE(m.precise);
}

TEST(MeasurementLoop, TimeLimitStopsAfterMinSamples) {
  FakeClock clock;
  MeasurementLoop loop(clock, stats::precise_enough);
  std::int64_t calls = 0;
  std::vector<Operation> ops{fake_op(
      clock, [](std::int64_t k) { return k % 2 ? 0.2 : 0.1; }, &calls)};
  MeasureSettings s = settings();
  s.max_time_s = 1.0;
  Measurement m = loop.run(ops, s, nullptr, 0);
  EXPECT_EQ(m.samples, 5);  // the limit is reached before 5, min_samples wins
  EXPECT_FALSE(m.precise);
}

TEST(MeasurementLoop, TimeoutStopsEvenBeforeMinSamples) {
  FakeClock clock;
  MeasurementLoop loop(clock, stats::precise_enough);
  std::vector<Operation> ops{fake_op(clock, [](std::int64_t) { return 0.3; })};
  MeasureSettings s = settings();
  s.timeout_s = 1.0;
  Measurement m = loop.run(ops, s, nullptr, 0);
  EXPECT_TRUE(m.timed_out);
  EXPECT_LT(m.samples, s.min_samples);
  EXPECT_GE(m.elapsed_s, 1.0);
  // The same case without the limit is not a timeout.
  s.timeout_s = 1000;
  Measurement full = loop.run(ops, s, nullptr, 0);
  EXPECT_FALSE(full.timed_out);
  EXPECT_GE(full.samples, s.min_samples);
}

TEST(MeasurementLoop, DivisorAndPrefixShapeMetrics) {
  FakeClock clock;
  MeasurementLoop loop(clock, stats::precise_enough);
  Operation op = fake_op(clock, [](std::int64_t) { return 4e-3; });
  op.name = "copy";
  op.time_metric = "latency";
  op.time_divisor = 2;
  std::vector<Operation> ops{op};
  Measurement m = loop.run(ops, settings(), nullptr, 0);
  EXPECT_EQ(m.series[0].metric, "copy.latency");
  EXPECT_NEAR(m.series[0].values[0], 2e-3, 1e-12);
  EXPECT_EQ(m.series[1].metric, "copy.bandwidth");
}

// Values an operation records itself (per-request latencies) are kept from
// sampling batches only; the before/after hooks run around every batch,
// outside the timed region.
TEST(MeasurementLoop, RecordedValuesAndBatchHooks) {
  FakeClock clock;
  MeasurementLoop loop(clock, stats::precise_enough);
  Operation op = fake_op(clock, [](std::int64_t) { return 2e-3; });
  op.name = "serve";
  std::vector<double> pending;
  int batches = 0, open = 0;
  op.run = [&](std::int64_t n) {
    EXPECT_EQ(open, 1);  // inside before/after
    for (std::int64_t i = 0; i < n; ++i) {
      clock.t += 2e-3;
      pending.push_back(batches < 2 ? -1.0 : 5.0);  // warm-up, calibration
    }
    ++batches;
  };
  op.before_batch = [&] { ++open, clock.t += 1.0; };  // not timed
  op.after_batch = [&] { --open, clock.t += 1.0; };
  op.recorded = {{"request_latency", "s", Better::Lower}};
  op.drain = [&] {
    std::vector<std::vector<double>> out{pending};
    pending.clear();
    return out;
  };
  std::vector<Operation> ops{op};
  MeasureSettings s = settings();
  s.max_time_s = 1e9;
  Measurement m = loop.run(ops, s, nullptr, 4);
  EXPECT_EQ(open, 0);
  EXPECT_NEAR(m.series[0].values[0], 2e-3, 1e-12);  // hooks untimed
  const Series& recorded = m.series.back();
  EXPECT_EQ(recorded.metric, "serve.request_latency");
  EXPECT_EQ(recorded.rank, 4);
  // One value per sampled iteration, none from warm-up or calibration.
  EXPECT_EQ(recorded.values.size(), std::size_t(m.samples));
  for (double v : recorded.values) EXPECT_EQ(v, 5.0);
}

TEST(MeasurementLoop, RejectsEmptyOperations) {
  FakeClock clock;
  MeasurementLoop loop(clock, stats::precise_enough);
  std::vector<Operation> none;
  EXPECT_ANY_THROW(loop.run(none, settings(), nullptr, 0));
}

// A group of threads: reductions through shared slots and std::barrier.
class ThreadGroup final : public Group {
 public:
  struct Shared {
    explicit Shared(int n) : size(n), sync(n), slots(n) {}
    int size;
    std::barrier<> sync;
    std::vector<std::vector<double>> slots;
  };
  ThreadGroup(Shared& shared, int rank) : shared_(shared), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return shared_.size; }
  void barrier() override { shared_.sync.arrive_and_wait(); }
  void sum(std::span<double> v) override {
    reduce(v, [](double a, double b) { return a + b; });
  }
  void min(std::span<double> v) override {
    reduce(v, [](double a, double b) { return std::min(a, b); });
  }
  void max(std::span<double> v) override {
    reduce(v, [](double a, double b) { return std::max(a, b); });
  }
  std::any native() const override { return {}; }

 private:
  template <typename F>
  void reduce(std::span<double> v, F f) {
    shared_.slots[rank_].assign(v.begin(), v.end());
    shared_.sync.arrive_and_wait();
    for (std::size_t i = 0; i < v.size(); ++i) {
      double acc = shared_.slots[0][i];
      for (int r = 1; r < shared_.size; ++r) acc = f(acc, shared_.slots[r][i]);
      v[i] = acc;
    }
    shared_.sync.arrive_and_wait();
  }
  Shared& shared_;
  int rank_;
};

TEST(MeasurementLoop, GroupMembersAgreeOnEveryDecision) {
  // Rank 1 is noisy and twice as slow; rank 0 alone would stop at once. The
  // members must still take the same number of samples and batch sizes.
  constexpr int kRanks = 3;
  ThreadGroup::Shared shared(kRanks);
  std::vector<Measurement> results(kRanks);
  std::vector<std::thread> threads;
  for (int r = 0; r < kRanks; ++r) {
    threads.emplace_back([&, r] {
      FakeClock clock;
      ThreadGroup group(shared, r);
      MeasurementLoop loop(clock, stats::precise_enough);
      std::int64_t calls = 0;
      auto cost = [r](std::int64_t k) {
        return r == 1 ? (k % 3 ? 2e-3 : 5e-3) : 1e-3;
      };
      std::vector<Operation> ops{fake_op(clock, cost, &calls)};
      MeasureSettings s = settings();
      s.max_samples = 12;
      results[r] = loop.run(ops, s, &group, 10 + r);
    });
  }
  for (auto& t : threads) t.join();
  for (int r = 1; r < kRanks; ++r) {
    EXPECT_EQ(results[r].samples, results[0].samples);
    EXPECT_EQ(results[r].iterations_per_sample,
              results[0].iterations_per_sample);
  }
  // Series: time (avg), time_min, time_max, bandwidth (across), own time.
  const Measurement& m = results[0];
  ASSERT_EQ(m.series.size(), 5u);
  EXPECT_EQ(m.series[0].metric, "time");
  EXPECT_EQ(m.series[0].rank, kAcrossRanks);
  EXPECT_EQ(m.series[1].metric, "time_min");
  EXPECT_EQ(m.series[2].metric, "time_max");
  EXPECT_EQ(m.series[4].rank, 10);
  for (std::size_t i = 0; i < m.series[0].values.size(); ++i) {
    EXPECT_LE(m.series[1].values[i], m.series[0].values[i]);
    EXPECT_GE(m.series[2].values[i], m.series[0].values[i]);
    // The across-rank series are identical on every member.
    EXPECT_EQ(results[2].series[0].values[i], m.series[0].values[i]);
  }
  EXPECT_NEAR(m.series[1].values[0], 1e-3, 1e-9);  // fastest rank
}

}  // namespace
}  // namespace cb
