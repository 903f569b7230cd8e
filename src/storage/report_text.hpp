// Internal to src/storage: escaping and number spelling shared by the text
// report writers (CSV, JSON, JUnit XML, console, Markdown), so that every
// format spells the same value the same way.
#pragma once

#include <string>
#include <string_view>

namespace cb::storage {

// The shortest text that reads back to the same double (std::to_chars, so
// it does not depend on the fmt or libc version): golden files stay stable.
// "nan", "inf", "-inf" for non-finite values.
std::string shortest(double value);

// RFC 4180: a field with a comma, quote, CR or LF is quoted and its quotes
// doubled; others are written as they are.
std::string csv_field(std::string_view text);
// A number for CSV: shortest(), empty for NaN (what pandas reads as NaN).
std::string csv_number(double value);

// A JSON string literal, quotes included. Control characters are escaped;
// UTF-8 passes through.
std::string json_string(std::string_view text);
// A JSON number, or null for NaN and infinities (JSON has no spelling).
std::string json_number(double value);

// Text for XML 1.0 content and attribute values: &<>"' escaped, and the
// control characters XML 1.0 forbids even as references replaced by U+FFFD.
std::string xml_escape(std::string_view text);

// One JUnit <testcase> line (or block): `attrs` are its attributes, already
// escaped; `child` is "failure", "error" or "skipped", or empty for a pass;
// message, type (omitted when empty) and body are escaped here.
std::string junit_testcase(std::string_view attrs, std::string_view child,
                           std::string_view message = {},
                           std::string_view type = {},
                           std::string_view body = {});

// The change a ratio stands for, signed, one decimal: 0.84 -> "-16.0%",
// +inf -> "+inf%"; `missing` for NaN.
std::string percent_change(double ratio, std::string_view missing);

// Display width of UTF-8 text in a terminal: one column per code point (no
// wide-character tables; keys and units are rarely CJK).
std::size_t display_width(std::string_view text);

}  // namespace cb::storage
