#include "config/sweep.hpp"

#include <fmt/format.h>

#include <charconv>
#include <limits>

#include "core/error.hpp"

namespace cb {

namespace {

// More points than this is almost surely a typo ("+1" for "x2"), and would
// make a suite that never finishes.
constexpr std::uint64_t kMaxRangePoints = 10000;

struct Unit {
  const char* suffix;
  std::int64_t factor;
};
constexpr Unit kUnits[] = {{"B", 1},
                           {"KiB", std::int64_t{1} << 10},
                           {"MiB", std::int64_t{1} << 20},
                           {"GiB", std::int64_t{1} << 30},
                           {"TiB", std::int64_t{1} << 40}};

std::string trim(const std::string& text) {
  const char* space = " \t";
  auto first = text.find_first_not_of(space);
  if (first == std::string::npos) return "";
  auto last = text.find_last_not_of(space);
  return text.substr(first, last - first + 1);
}

std::optional<std::int64_t> parse_int(const std::string& text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::string syntax_hint(bool bytes) {
  return bytes ? "expected start:stop:xFACTOR or start:stop:+STEP, e.g. "
                 "\"8B:1MiB:x4\" or \"0:1MiB:+64KiB\""
               : "expected start:stop:xFACTOR or start:stop:+STEP, e.g. "
                 "\"1:64:x2\" or \"0:100:+10\"";
}

[[noreturn]] void range_error(const std::string& text, const std::string& what,
                              bool bytes) {
  throw Error(ErrorKind::Input, fmt::format("range \"{}\": {} ({})", text, what,
                                            syntax_hint(bytes)));
}

// A bound or step of a range: a byte count when `bytes`, else an integer.
std::int64_t parse_number(const std::string& range, const std::string& part,
                          const char* role, bool bytes) {
  auto value = bytes ? parse_bytes(part) : parse_int(part);
  if (!value) {
    range_error(range,
                fmt::format("{} '{}' is not {}", role, part,
                            bytes ? "a byte count (an integer with an optional "
                                    "unit B, KiB, MiB, GiB or TiB)"
                                  : "an integer"),
                bytes);
  }
  return *value;
}

std::vector<std::int64_t> geometric(const std::string& range,
                                    std::int64_t start, std::int64_t stop,
                                    const std::string& factor_text,
                                    bool bytes) {
  auto factor = parse_int(factor_text);
  if (!factor || *factor < 2)
    range_error(
        range, fmt::format("factor 'x{}' must be an integer >= 2", factor_text),
        bytes);
  if (start <= 0)
    range_error(range, "a geometric range (xFACTOR) needs start > 0", bytes);
  std::vector<std::int64_t> out;
  for (std::int64_t v = start;; v *= *factor) {
    out.push_back(v);
    if (v > stop / *factor) break;  // the next point would pass stop
  }
  return out;
}

std::vector<std::int64_t> arithmetic(const std::string& range,
                                     std::int64_t start, std::int64_t stop,
                                     const std::string& step_text, bool bytes) {
  std::int64_t step = parse_number(range, step_text, "step", bytes);
  if (step <= 0)
    range_error(range, fmt::format("step '+{}' must be > 0", step_text), bytes);
  // stop >= start, so the unsigned difference is exact even across zero.
  std::uint64_t span =
      static_cast<std::uint64_t>(stop) - static_cast<std::uint64_t>(start);
  std::uint64_t points = span / static_cast<std::uint64_t>(step) + 1;
  if (points > kMaxRangePoints)
    range_error(range,
                fmt::format("{} points, more than the limit of {}; use a "
                            "larger step or a factor",
                            points, kMaxRangePoints),
                bytes);
  std::vector<std::int64_t> out;
  out.reserve(points);
  for (std::uint64_t i = 0; i < points; ++i)
    out.push_back(
        static_cast<std::int64_t>(static_cast<std::uint64_t>(start) +
                                  i * static_cast<std::uint64_t>(step)));
  return out;
}

}  // namespace

std::optional<std::int64_t> parse_bytes(const std::string& input) {
  std::string text = trim(input);
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
    ++digits;
  if (digits == 0) return std::nullopt;
  auto number = parse_int(text.substr(0, digits));
  if (!number) return std::nullopt;  // overflow
  std::string suffix = trim(text.substr(digits));
  if (suffix.empty()) return number;
  for (const auto& unit : kUnits) {
    if (suffix != unit.suffix) continue;
    if (*number > std::numeric_limits<std::int64_t>::max() / unit.factor)
      return std::nullopt;
    return *number * unit.factor;
  }
  return std::nullopt;
}

bool is_range(const std::string& text) {
  return text.find(':') != std::string::npos;
}

std::vector<std::int64_t> expand_range(const std::string& text, bool bytes) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  for (;;) {
    auto colon = text.find(':', begin);
    parts.push_back(trim(text.substr(begin, colon - begin)));
    if (colon == std::string::npos) break;
    begin = colon + 1;
  }
  if (parts.size() != 3)
    range_error(text, "not a range: it needs exactly three parts", bytes);
  std::int64_t start = parse_number(text, parts[0], "start", bytes);
  std::int64_t stop = parse_number(text, parts[1], "stop", bytes);
  if (start > stop)
    range_error(
        text,
        fmt::format("start ({}) is greater than stop ({})", parts[0], parts[1]),
        bytes);
  const std::string& step = parts[2];
  if (!step.empty() && step[0] == 'x')
    return geometric(text, start, stop, step.substr(1), bytes);
  if (!step.empty() && step[0] == '+')
    return arithmetic(text, start, stop, step.substr(1), bytes);
  range_error(text, fmt::format("step '{}' must be xFACTOR or +STEP", step),
              bytes);
}

}  // namespace cb
