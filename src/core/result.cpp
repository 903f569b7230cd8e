#include "core/result.hpp"

namespace cb {

const char* to_string(CaseStatus status) {
  switch (status) {
    case CaseStatus::Ok: return "ok";
    case CaseStatus::Failed: return "failed";
    case CaseStatus::Skipped: return "skipped";
    case CaseStatus::Timeout: return "timeout";
  }
  return "?";
}

}  // namespace cb
