#include "storage/report_text.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>

namespace cb::storage {

std::string shortest(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::array<char, 32> buffer{};
  auto [end, ec] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (ec != std::errc()) return fmt::format("{}", value);
  return std::string(buffer.data(), end);
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos)
    return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_number(double value) {
  return std::isnan(value) ? std::string() : shortest(value);
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        else
          out += c;
    }
  }
  return out + "\"";
}

std::string json_number(double value) {
  return std::isfinite(value) ? shortest(value) : "null";
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      // In attributes a raw newline or tab would be normalised to a space
      // by the parser; references keep them.
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      case '\t': out += "&#9;"; break;
      default:
        if (u < 0x20)
          out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
        else
          out += c;
    }
  }
  return out;
}

std::string junit_testcase(std::string_view attrs, std::string_view child,
                           std::string_view message, std::string_view type,
                           std::string_view body) {
  if (child.empty()) return fmt::format("  <testcase {}/>\n", attrs);
  std::string type_attr = type.empty()
                              ? std::string()
                              : fmt::format(" type=\"{}\"", xml_escape(type));
  std::string inner =
      body.empty()
          ? fmt::format("<{} message=\"{}\"{}/>", child, xml_escape(message),
                        type_attr)
          : fmt::format("<{0} message=\"{1}\"{2}>{3}</{0}>", child,
                        xml_escape(message), type_attr, xml_escape(body));
  return fmt::format("  <testcase {}>\n    {}\n  </testcase>\n", attrs, inner);
}

std::string percent_change(double ratio, std::string_view missing) {
  if (std::isnan(ratio)) return std::string(missing);
  if (std::isinf(ratio)) return ratio > 0 ? "+inf%" : "-inf%";
  double pct = (ratio - 1.0) * 100.0;
  // Rounds to zero: no "-0.0%".
  if (std::fabs(pct) < 0.05) return "+0.0%";
  return fmt::format("{:+.1f}%", pct);
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  return width;
}

}  // namespace cb::storage
