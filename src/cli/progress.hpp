// Rank 0's progress report: cases done of total, the current case and time
// left. Redrawn in place on a terminal; one line per case in a batch log.
#pragma once

#include <cstdio>
#include <string>

#include "cluster/partition.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

namespace cb {

class Progress {
 public:
  Progress(const Plan& plan, std::FILE* out, bool terminal);
  void started(const PlannedCase& planned);
  // One of the rounds of a case is in: 1/rounds of its cost is done, so that
  // a run in rounds has an estimate before its last round.
  void round_done(int case_id);
  void finished(const CaseResult& result);
  void close();  // ends the redrawn line on a terminal

 private:
  std::string eta() const;
  double credited(int case_id) const;  // cost of its rounds in so far
  void redraw();

  std::FILE* out_;
  bool terminal_;
  mutable SteadyClock clock_;
  double start_s_;
  int total_ = 0, done_ = 0;
  double total_cost_ = 0, done_cost_ = 0;
  std::vector<double> cost_of_;  // by case_id
  std::vector<int> rounds_of_;   // by case_id: 0 if skipped, else >= 1
  std::vector<int> rounds_in_;   // by case_id: rounds received
  std::vector<int> with_round_;  // [k]: cases with round k+1 in
  std::vector<int> needed_;      // [k]: cases for which it is not the last
  int max_rounds_ = 1;
  std::string current_;
};

}  // namespace cb
