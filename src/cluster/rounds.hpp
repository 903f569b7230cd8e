// Measuring a case in rounds: the suite's `rounds = R` runs every case R
// times, interleaved with the other cases (round 1 of all, then round 2 of
// all, ...), each round with 1/R of the sample and time budget, and pools
// the raw samples. On a shared machine a case's median moves between runs by
// more than its own confidence interval says (the state of the node during
// those seconds: neighbours, frequency, page placement); rounds spread a
// case over the whole run so that one bad moment weighs 1/R, and the pooled
// median moves less from run to run (docs/regression-detection.md).
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "core/case.hpp"
#include "core/result.hpp"

namespace cb {

// What one round of a case measured with `rounds` rounds may take: the
// sample and time budgets divided (rounded up, at least 1 sample), warm-up
// and timeout unchanged.
MeasureSettings round_settings(const MeasureSettings& case_settings);

// Rank 0's side: collects the rounds of each case and hands back the case
// once all of its rounds are in, with the samples of every round appended
// per (metric, rank), wall time summed, the worst status kept (failed over
// timeout over skipped over ok) and the first error, named by its round
// unless it is a skip's reason.
class RoundMerger {
 public:
  std::optional<CaseResult> add(CaseResult round, int rounds);
  // Cases with rounds still missing (an interrupted run).
  std::size_t pending() const { return pending_.size(); }
  // An interrupted run keeps what it measured: every case with some rounds
  // in, as `timeout` ("run interrupted after k of R rounds") with those rounds'
  // samples, in case_id order. Empties the merger.
  std::vector<CaseResult> take_unfinished();

 private:
  struct Pending {
    CaseResult merged;
    int received = 0;
    int rounds = 0;
  };
  std::map<int, Pending> pending_;  // by case_id
};

// Whether `r` is one of the cases take_unfinished() kept part-way through
// their rounds.
bool interrupted_between_rounds(const CaseResult& r);

}  // namespace cb
