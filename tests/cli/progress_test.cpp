// The progress report of a batch log: a line per finished case, and with
// rounds a line per completed round, each with an estimate of the time left.
#include "cli/progress.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

namespace cb {
namespace {

Plan plan_of(int cases, int rounds) {
  Plan plan;
  for (int i = 0; i < cases; ++i) {
    PlannedCase c;
    c.case_id = i;
    c.key = "case" + std::to_string(i);
    c.cost_s = 1.0;
    c.spec.measure.rounds = rounds;
    plan.cases.push_back(c);
  }
  return plan;
}

CaseResult ok(int case_id) {
  CaseResult r;
  r.case_id = case_id;
  r.key = "case" + std::to_string(case_id);
  r.status = CaseStatus::Ok;
  return r;
}

// Everything a Progress printed to a batch log (not a terminal).
class Log {
 public:
  Log() : out_(open_memstream(&buf_, &size_)) {}
  ~Log() {
    std::fclose(out_);
    std::free(buf_);
  }
  std::FILE* out() { return out_; }
  std::string text() {
    std::fflush(out_);
    return std::string(buf_, size_);
  }

 private:
  char* buf_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* out_;
};

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1))
    ++n;
  return n;
}

TEST(Progress, WithoutRoundsOneLinePerCase) {
  Log log;
  Plan plan = plan_of(2, 1);
  Progress progress(plan, log.out(), false);
  progress.round_done(0);
  progress.finished(ok(0));
  progress.round_done(1);
  progress.finished(ok(1));
  const std::string text = log.text();
  EXPECT_EQ(count(text, "\n"), 2u) << text;
  EXPECT_EQ(count(text, "round"), 0u) << text;
  // After the first of two equal cases the estimate is a number, not "?".
  EXPECT_EQ(count(text, "left ~?"), 0u) << text;
}

// The registry's costs are a CPU's: a case costed far above the rest that
// runs fast (a large GEMM on a GPU) must not make the estimate ~0 while cases
// are left. After one case of >= 0.3 s, nine more of the same kind are at
// least 2.7 s away, whatever their estimated costs say.
TEST(Progress, CasesLeftBoundTheEstimateWhenCostsAreOff) {
  Log log;
  Plan plan = plan_of(10, 1);
  plan.cases[0].cost_s = 1000.0;  // cost share left after it: 9e-6
  for (int i = 1; i < 10; ++i) plan.cases[i].cost_s = 0.001;
  Progress progress(plan, log.out(), false);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  progress.round_done(0);
  progress.finished(ok(0));
  const std::string text = log.text();
  const auto at = text.find("left ~");
  ASSERT_NE(at, std::string::npos) << text;
  EXPECT_GE(std::stod(text.substr(at + 6)), 2.0) << text;
}

// Three cases in 4 rounds arrive round by round (as the executor walks the
// plan R times): a line when each of rounds 1-3 is complete, with an
// estimate from the first, then the cases' own lines after round 4.
TEST(Progress, RoundsGiveAnEstimateBeforeTheLastRound) {
  Log log;
  Plan plan = plan_of(3, 4);
  Progress progress(plan, log.out(), false);
  for (int round = 1; round <= 4; ++round)
    for (int c = 0; c < 3; ++c) {
      progress.round_done(c);
      if (round == 4) progress.finished(ok(c));
    }
  const std::string text = log.text();
  EXPECT_EQ(count(text, "round 1 of 4 done | left ~"), 1u) << text;
  EXPECT_EQ(count(text, "round 3 of 4 done"), 1u) << text;
  EXPECT_EQ(count(text, "round 4 of 4"), 0u) << text;
  EXPECT_EQ(count(text, "left ~?"), 0u) << text;
  EXPECT_EQ(count(text, "\n"), 6u) << text;  // 3 rounds + 3 cases
}

// A skipped case is done at once and never has rounds: it neither holds
// back the round lines nor counts twice.
TEST(Progress, SkippedCasesDoNotHoldBackRounds) {
  Log log;
  Plan plan = plan_of(2, 2);
  plan.cases[1].skipped = true;
  Progress progress(plan, log.out(), false);
  progress.finished(ok(1));
  progress.round_done(0);
  progress.round_done(0);
  progress.finished(ok(0));
  const std::string text = log.text();
  EXPECT_EQ(count(text, "round 1 of 2 done"), 1u) << text;
  EXPECT_EQ(count(text, "[2/2]"), 1u) << text;
}

// A case with fewer rounds than the others does not hold back the lines of
// the rounds it does not have.
TEST(Progress, CasesWithFewerRounds) {
  Log log;
  Plan plan = plan_of(2, 3);
  plan.cases[1].spec.measure.rounds = 1;
  Progress progress(plan, log.out(), false);
  progress.round_done(0);
  progress.round_done(1);
  progress.finished(ok(1));
  progress.round_done(0);
  const std::string text = log.text();
  EXPECT_EQ(count(text, "round 1 of 3 done"), 1u) << text;
  EXPECT_EQ(count(text, "round 2 of 3 done"), 1u) << text;
}

}  // namespace
}  // namespace cb
