// Typed benchmark parameters: what a benchmark declares, and the values one
// case runs with.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace cb {

enum class ParamType {
  Int,     // whole number
  Bytes,   // whole number of bytes; the suite may write "4KiB"
  Float,   // real number
  String,  // free text or one of `choices`
  Bool,
};

using ParamValue = std::variant<std::int64_t, double, std::string, bool>;

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::Int;
  ParamValue default_value;
  std::string doc;                   // one line, shown by `clusterbench list`
  std::vector<std::string> choices;  // allowed values for String, if limited
  // Other spellings the suite may use, e.g. "sizes" for "size" (DESIGN.md's
  // example writes `sizes = "8B:1MiB:x4"`).
  std::vector<std::string> aliases;
  // Int and Bytes: the values a suite may give, checked when it loads (a
  // size no MPI call can take is a suite error, not a failed case).
  std::int64_t minimum = std::numeric_limits<std::int64_t>::min();
  std::int64_t maximum = std::numeric_limits<std::int64_t>::max();
};

// Sorted by name, so that printing it gives the canonical form used in keys.
using ParamSet = std::map<std::string, ParamValue>;

const char* to_string(ParamType type);
std::string to_string(const ParamValue& value);
// "name=value,name=value" in name order; the stable part of a case key.
std::string canonical(const ParamSet& params);
// Human-friendly byte count: 8B, 4KiB, 1MiB.
std::string format_bytes(std::int64_t bytes);

// Typed access; throws cb::Error naming the parameter when absent or mistyped.
std::int64_t get_int(const ParamSet& params, const std::string& name);
double get_float(const ParamSet& params, const std::string& name);
const std::string& get_string(const ParamSet& params, const std::string& name);
bool get_bool(const ParamSet& params, const std::string& name);

}  // namespace cb
