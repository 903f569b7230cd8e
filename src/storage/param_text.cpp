#include "storage/param_text.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace cb::storage {

std::optional<double> param_number(const ParamValue& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value))
    return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* b = std::get_if<bool>(&value)) return *b ? 1.0 : 0.0;
  return std::nullopt;
}

std::string param_text(const ParamValue& value) {
  if (const auto* d = std::get_if<double>(&value)) {
    std::string text = fmt::format("{}", *d);  // shortest round-trip form
    if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
    return text;
  }
  return to_string(value);
}

ParamValue parse_param(double number, const std::string& text) {
  if (std::isnan(number)) return text;
  if (text == "true" && number == 1) return true;
  if (text == "false" && number == 0) return false;
  const char* end = text.data() + text.size();
  std::int64_t i = 0;
  if (auto r = std::from_chars(text.data(), end, i);
      r.ec == std::errc() && r.ptr == end)
    return i;
  double d = 0;
  if (auto r = std::from_chars(text.data(), end, d);
      r.ec == std::errc() && r.ptr == end)
    return d;
  return number;  // value_str cut or edited by hand: trust the number
}

}  // namespace cb::storage
