#include "cli/progress.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace cb {

Progress::Progress(const Plan& plan, std::FILE* out, bool terminal)
    : out_(out), terminal_(terminal), start_s_(clock_.now_s()) {
  total_ = static_cast<int>(plan.cases.size());
  for (const PlannedCase& c : plan.cases) {
    cost_of_.push_back(c.skipped ? 0.0 : c.cost_s);
    total_cost_ += cost_of_.back();
  }
  credited_.assign(cost_of_.size(), 0.0);
  rounds_in_.assign(cost_of_.size(), 0);
  for (const PlannedCase& c : plan.cases)
    if (!c.skipped) max_rounds_ = std::max(max_rounds_, c.spec.measure.rounds);
  with_round_.assign(static_cast<std::size_t>(max_rounds_), 0);
  needed_.assign(static_cast<std::size_t>(max_rounds_), 0);
  for (const PlannedCase& c : plan.cases)
    for (int k = 0; !c.skipped && k + 1 < c.spec.measure.rounds; ++k)
      ++needed_[k];  // round k+1 is not this case's last
}

void Progress::round_done(int case_id, int rounds) {
  if (case_id < 0 || static_cast<std::size_t>(case_id) >= cost_of_.size() ||
      rounds < 1)
    return;
  const double share = cost_of_[case_id] / rounds;
  const double add = std::min(share, cost_of_[case_id] - credited_[case_id]);
  credited_[case_id] += add;
  done_cost_ += add;
  if (rounds == 1) return;
  if (terminal_) {
    redraw();
    return;
  }
  // A batch log gets one line per case only when its last round is in: in
  // between, a line each time every case in rounds has one more round in.
  const int had = rounds_in_[case_id]++;
  if (had + 1 >= rounds) return;
  if (++with_round_[had] == needed_[had]) {
    fmt::print(out_, "round {} of {} done | left ~{}\n", had + 1, max_rounds_,
               eta());
    std::fflush(out_);
  }
}

std::string Progress::eta() const {
  // Scales elapsed time by the share of estimated cost still to run, so a
  // suite whose first cases are long does not promise too much.
  if (done_cost_ <= 0) return "?";
  double elapsed = clock_.now_s() - start_s_;
  double left = elapsed * (total_cost_ - done_cost_) / done_cost_;
  return fmt::format("{:.0f} s", left);
}

void Progress::started(const PlannedCase& planned) {
  current_ = planned.key;
  if (terminal_) redraw();
}

void Progress::redraw() {
  fmt::print(out_, "\r\033[K[{}/{}] {} | left ~{}", done_, total_, current_,
             eta());
  std::fflush(out_);
}

void Progress::finished(const CaseResult& result) {
  ++done_;
  if (result.case_id >= 0 &&
      static_cast<std::size_t>(result.case_id) < cost_of_.size()) {
    // Whatever its rounds have not credited yet (all of it without rounds).
    done_cost_ += cost_of_[result.case_id] - credited_[result.case_id];
    credited_[result.case_id] = cost_of_[result.case_id];
  }
  std::string line = fmt::format(
      "[{:>{}}/{}] {:<7} {} ({:.2f} s)", done_, std::to_string(total_).size(),
      total_, to_string(result.status), result.key, result.wall_s);
  if (!result.error.empty()) line += " -- " + result.error;
  if (terminal_) {
    // Keep only noteworthy lines on screen; the rest is redrawn over.
    if (result.status == CaseStatus::Failed ||
        result.status == CaseStatus::Timeout)
      fmt::print(out_, "\r\033[K{}\n", line);
    redraw();
  } else {
    fmt::print(out_, "{} | left ~{}\n", line, eta());
    std::fflush(out_);
  }
}

void Progress::close() {
  if (terminal_) fmt::print(out_, "\r\033[K");
  std::fflush(out_);
}

}  // namespace cb
