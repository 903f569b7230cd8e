// Reading CaseStatus back from its spelling in result files (the inverse of
// cb::to_string(CaseStatus) in core).
#pragma once

#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace cb::storage {

inline std::optional<CaseStatus> parse_status(std::string_view text) {
  for (auto s : {CaseStatus::Ok, CaseStatus::Failed, CaseStatus::Skipped,
                 CaseStatus::Timeout})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

}  // namespace cb::storage
