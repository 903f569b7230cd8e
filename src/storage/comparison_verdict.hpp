// Reading stats::Verdict back from its spelling in /comparison (the inverse
// of stats::to_string(Verdict)).
#pragma once

#include <optional>
#include <string_view>

#include "stats/comparison.hpp"

namespace cb::storage {

inline std::optional<stats::Verdict> parse_verdict(std::string_view text) {
  using stats::Verdict;
  for (auto v : {Verdict::Regression, Verdict::Improvement, Verdict::Unchanged,
                 Verdict::Insufficient, Verdict::New, Verdict::Missing,
                 Verdict::Incomparable, Verdict::Failed})
    if (text == stats::to_string(v)) return v;
  return std::nullopt;
}

}  // namespace cb::storage
