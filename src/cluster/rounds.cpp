#include "cluster/rounds.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace cb {
namespace {

int divided(int count, int rounds) {
  return std::max(1, (count + rounds - 1) / rounds);
}

int severity(CaseStatus s) {
  switch (s) {
    case CaseStatus::Ok: return 0;
    case CaseStatus::Skipped: return 1;
    case CaseStatus::Timeout: return 2;
    case CaseStatus::Failed: return 3;
  }
  return 3;
}

void append_samples(CaseResult& into, std::vector<Series>& from) {
  for (Series& s : from) {
    auto same = std::find_if(into.samples.begin(), into.samples.end(),
                             [&](const Series& t) {
                               return t.metric == s.metric && t.rank == s.rank;
                             });
    if (same == into.samples.end())
      into.samples.push_back(std::move(s));
    else
      same->values.insert(same->values.end(), s.values.begin(), s.values.end());
  }
}

}  // namespace

MeasureSettings round_settings(const MeasureSettings& s) {
  MeasureSettings r = s;
  const int rounds = std::max(1, s.rounds);
  r.min_samples = divided(s.min_samples, rounds);
  r.max_samples = std::max(r.min_samples, divided(s.max_samples, rounds));
  r.max_time_s = s.max_time_s / rounds;
  return r;
}

std::optional<CaseResult> RoundMerger::add(CaseResult round, int rounds) {
  if (rounds <= 1) return round;
  const int id = round.case_id;
  auto [it, first] = pending_.try_emplace(id);
  Pending& p = it->second;
  const int number = ++p.received;
  p.rounds = rounds;
  // A skip gives the same reason every round; a failure names its round.
  if (!round.error.empty() && round.status != CaseStatus::Skipped)
    round.error = "round " + std::to_string(number) + " of " +
                  std::to_string(rounds) + ": " + round.error;
  if (first) {
    p.merged = std::move(round);
  } else {
    CaseResult& m = p.merged;
    if (severity(round.status) > severity(m.status)) m.status = round.status;
    if (m.error.empty()) m.error = std::move(round.error);
    m.wall_s += round.wall_s;
    append_samples(m, round.samples);
  }
  if (p.received < rounds) return std::nullopt;
  CaseResult done = std::move(p.merged);
  pending_.erase(it);
  return done;
}

namespace {
constexpr const char* kInterrupted = "run interrupted after ";
}  // namespace

bool interrupted_between_rounds(const CaseResult& r) {
  return r.error.starts_with(kInterrupted);  // its status may be failed
}

std::vector<CaseResult> RoundMerger::take_unfinished() {
  std::vector<CaseResult> out;
  for (auto& [id, p] : pending_) {
    CaseResult r = std::move(p.merged);
    const std::string stopped = kInterrupted + std::to_string(p.received) +
                                " of " + std::to_string(p.rounds) + " rounds";
    if (r.status == CaseStatus::Ok) r.status = CaseStatus::Timeout;
    r.error = r.error.empty() ? stopped : stopped + "; " + r.error;
    out.push_back(std::move(r));
  }
  pending_.clear();
  return out;
}

}  // namespace cb
