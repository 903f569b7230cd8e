// Rounds: each round's share of the budgets, and rank 0's merging of the
// rounds of a case into one result.
#include "cluster/rounds.hpp"

#include <gtest/gtest.h>

namespace cb {
namespace {

CaseResult round_result(int case_id, std::vector<double> times,
                        CaseStatus status = CaseStatus::Ok,
                        std::string error = "") {
  CaseResult r;
  r.case_id = case_id;
  r.key = std::string("k") + std::to_string(case_id);
  r.status = status;
  r.error = std::move(error);
  r.wall_s = 1.5;
  r.samples.push_back({"time", "s", Better::Lower, kAcrossRanks, times});
  r.samples.push_back({"time", "s", Better::Lower, 1, times});
  return r;
}

TEST(Rounds, EachRoundGetsItsShareOfTheBudget) {
  MeasureSettings s;
  s.min_samples = 5, s.max_samples = 30, s.max_time_s = 2.0, s.warmup = 2;
  s.timeout_s = 60, s.rounds = 3;
  MeasureSettings r = round_settings(s);
  EXPECT_EQ(r.min_samples, 2);  // rounded up: 3 rounds give at least 5
  EXPECT_EQ(r.max_samples, 10);
  EXPECT_DOUBLE_EQ(r.max_time_s, 2.0 / 3);
  EXPECT_EQ(r.warmup, 2);  // every round warms up again
  EXPECT_DOUBLE_EQ(r.timeout_s, 60);
  s.rounds = 1;
  MeasureSettings same = round_settings(s);
  EXPECT_EQ(same.min_samples, 5);
  EXPECT_EQ(same.max_samples, 30);
  s.rounds = 50, s.min_samples = 5, s.max_samples = 6;
  EXPECT_EQ(round_settings(s).min_samples, 1);
  EXPECT_EQ(round_settings(s).max_samples, 1);
}

TEST(Rounds, OneRoundPassesStraightThrough) {
  RoundMerger merger;
  auto done = merger.add(round_result(4, {1, 2}), 1);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->samples[0].values.size(), 2u);
  EXPECT_EQ(merger.pending(), 0u);
}

TEST(Rounds, SamplesOfEveryRoundArePooledPerSeries) {
  RoundMerger merger;
  EXPECT_FALSE(merger.add(round_result(7, {1, 2}), 3));
  EXPECT_FALSE(merger.add(round_result(8, {9}), 2));  // another case between
  EXPECT_FALSE(merger.add(round_result(7, {3}), 3));
  EXPECT_EQ(merger.pending(), 2u);
  auto done = merger.add(round_result(7, {4, 5}), 3);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->case_id, 7);
  ASSERT_EQ(done->samples.size(), 2u);  // across ranks and rank 1, apart
  EXPECT_EQ(done->samples[0].values, (std::vector<double>{1, 2, 3, 4, 5}));
  EXPECT_EQ(done->samples[1].rank, 1);
  EXPECT_EQ(done->samples[1].values.size(), 5u);
  EXPECT_DOUBLE_EQ(done->wall_s, 4.5);
  EXPECT_EQ(done->status, CaseStatus::Ok);
  EXPECT_EQ(merger.pending(), 1u);
}

TEST(Rounds, TheWorstRoundDecidesTheStatus) {
  RoundMerger merger;
  merger.add(round_result(1, {1}), 3);
  merger.add(round_result(1, {1}, CaseStatus::Failed,
                          "verification failed: off by one"),
             3);
  auto done = merger.add(round_result(1, {1}, CaseStatus::Timeout, "slow"), 3);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, CaseStatus::Failed);
  EXPECT_EQ(done->error, "round 2 of 3: verification failed: off by one");
}

TEST(Rounds, ASkipKeepsItsReasonAsItIs) {
  RoundMerger merger;
  merger.add(round_result(2, {}, CaseStatus::Skipped, "no GPU"), 2);
  auto done = merger.add(round_result(2, {}, CaseStatus::Skipped, "no GPU"), 2);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, CaseStatus::Skipped);
  EXPECT_EQ(done->error, "no GPU");
}

// An interrupted run: cases with some rounds in are kept as timeout, with
// the samples they have; finished cases have already gone.
TEST(Rounds, AnInterruptedRunKeepsTheRoundsItHas) {
  RoundMerger merger;
  merger.add(round_result(3, {1, 2}), 4);
  merger.add(round_result(3, {3}), 4);
  merger.add(round_result(1, {5}), 2);
  merger.add(round_result(9, {7}), 4);
  merger.add(round_result(9, {8}, CaseStatus::Failed, "wrong"), 4);
  EXPECT_TRUE(merger.add(round_result(1, {6}), 2));
  std::vector<CaseResult> kept = merger.take_unfinished();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].case_id, 3);
  EXPECT_EQ(kept[0].status, CaseStatus::Timeout);
  EXPECT_EQ(kept[0].error, "run interrupted after 2 of 4 rounds");
  EXPECT_EQ(kept[0].samples[0].values, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(kept[1].status, CaseStatus::Failed);  // a failure stays one
  EXPECT_EQ(kept[1].error,
            "run interrupted after 2 of 4 rounds; round 2 of 4: wrong");
  EXPECT_EQ(merger.pending(), 0u);
  // The run's closing message tells them from finished cases.
  EXPECT_TRUE(interrupted_between_rounds(kept[0]));
  EXPECT_TRUE(interrupted_between_rounds(kept[1]));
  EXPECT_FALSE(interrupted_between_rounds(
      round_result(2, {1}, CaseStatus::Timeout, "no sample within 10 s")));
}

}  // namespace
}  // namespace cb
