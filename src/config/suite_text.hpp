// Checks on the raw bytes of a suite file, before the TOML parser sees them:
// what toml11 would accept silently, report confusingly, or crash on.
#pragma once

#include <string>

namespace cb {

// Deeper nesting of arrays and inline tables than any suite needs; toml11
// parses recursively, so a file of a million '[' would exhaust the stack.
inline constexpr int kMaxSuiteNesting = 32;

// Throws cb::Error(Input) "path:line:column: ..." when `text` is not UTF-8,
// holds a control character TOML forbids (NUL, ESC, ...), or nests arrays,
// inline tables or dotted keys deeper than kMaxSuiteNesting.
void check_suite_text(const std::string& text, const std::string& path);

}  // namespace cb
