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
    // As the executor walks them: a skipped case has no rounds at all.
    rounds_of_.push_back(c.skipped ? 0 : std::max(1, c.spec.measure.rounds));
    max_rounds_ = std::max(max_rounds_, rounds_of_.back());
  }
  rounds_in_.assign(cost_of_.size(), 0);
  with_round_.assign(static_cast<std::size_t>(max_rounds_), 0);
  needed_.assign(static_cast<std::size_t>(max_rounds_), 0);
  for (int rounds : rounds_of_)
    for (int k = 0; k + 1 < rounds; ++k) ++needed_[k];  // not its last round
}

double Progress::credited(int case_id) const {
  const int rounds = rounds_of_[case_id];
  if (rounds == 0) return 0.0;
  return cost_of_[case_id] * std::min(rounds_in_[case_id], rounds) / rounds;
}

void Progress::round_done(int case_id) {
  if (case_id < 0 || static_cast<std::size_t>(case_id) >= cost_of_.size())
    return;
  const double before = credited(case_id);
  const int had = rounds_in_[case_id]++;
  done_cost_ += credited(case_id) - before;
  const int rounds = rounds_of_[case_id];
  if (had + 1 >= rounds) return;  // its last round: finished() reports it
  if (terminal_) {
    redraw();
    return;
  }
  // A batch log gets one line per case only when its last round is in: in
  // between, a line each time every case in rounds has one more round in.
  if (++with_round_[had] == needed_[had]) {
    fmt::print(out_, "round {} of {} done | left ~{}\n", had + 1, max_rounds_,
               eta());
    std::fflush(out_);
  }
}

std::string Progress::eta() const {
  // Two estimates, the larger wins. Elapsed time scaled by the share of
  // estimated cost still to run, so a suite whose first cases are long does
  // not promise too much; and the mean time per measured case so far times
  // the cases left, because the registry's costs are a CPU's and can be 50x
  // off for a GPU (a GEMM of n = 8192 is costed 221 s and takes 4 s on an
  // H100: after five of them an H100 run said "left ~1 s" with 47 cases and
  // a minute to go).
  double cases = 0, cases_in = 0;  // measured cases; their rounds in
  for (std::size_t i = 0; i < rounds_of_.size(); ++i) {
    if (rounds_of_[i] == 0) continue;  // skipped: takes no time
    cases += 1;
    cases_in += double(std::min(rounds_in_[i], rounds_of_[i])) / rounds_of_[i];
  }
  if (done_cost_ <= 0 && cases_in <= 0) return "?";
  const double elapsed = clock_.now_s() - start_s_;
  double left = 0;
  if (done_cost_ > 0) left = elapsed * (total_cost_ - done_cost_) / done_cost_;
  if (cases_in > 0)
    left = std::max(left, elapsed * (cases - cases_in) / cases_in);
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
    // Whatever its rounds have not credited yet (all of it for a skipped
    // case, the rest for one interrupted between rounds).
    done_cost_ += cost_of_[result.case_id] - credited(result.case_id);
    rounds_in_[result.case_id] =
        std::max(rounds_in_[result.case_id], rounds_of_[result.case_id]);
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
