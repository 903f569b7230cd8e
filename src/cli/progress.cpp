#include "cli/progress.hpp"

#include <fmt/format.h>

namespace cb {

Progress::Progress(const Plan& plan, std::FILE* out, bool terminal)
    : out_(out), terminal_(terminal), start_s_(clock_.now_s()) {
  total_ = static_cast<int>(plan.cases.size());
  for (const PlannedCase& c : plan.cases) {
    cost_of_.push_back(c.skipped ? 0.0 : c.cost_s);
    total_cost_ += cost_of_.back();
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
      static_cast<std::size_t>(result.case_id) < cost_of_.size())
    done_cost_ += cost_of_[result.case_id];
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
