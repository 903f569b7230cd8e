#include "core/param.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace cb {

const char* to_string(ParamType type) {
  switch (type) {
    case ParamType::Int: return "int";
    case ParamType::Bytes: return "bytes";
    case ParamType::Float: return "float";
    case ParamType::String: return "string";
    case ParamType::Bool: return "bool";
  }
  return "?";
}

std::string to_string(const ParamValue& value) {
  struct Visitor {
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return fmt::format("{}", v); }
    std::string operator()(const std::string& v) const { return v; }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
  };
  return std::visit(Visitor{}, value);
}

std::string canonical(const ParamSet& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += ',';
    out += name + '=' + to_string(value);
  }
  return out;
}

std::string format_bytes(std::int64_t bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (unit < 4 && bytes != 0 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++unit;
  }
  return std::to_string(bytes) + units[unit];
}

namespace {
template <typename T>
const T& get_typed(const ParamSet& params, const std::string& name,
                   const char* type) {
  auto it = params.find(name);
  if (it == params.end())
    throw Error(ErrorKind::Input, "missing parameter '" + name + "'");
  if (const T* v = std::get_if<T>(&it->second)) return *v;
  throw Error(ErrorKind::Input,
              "parameter '" + name + "' is not of type " + type);
}
}  // namespace

std::int64_t get_int(const ParamSet& params, const std::string& name) {
  return get_typed<std::int64_t>(params, name, "int");
}
double get_float(const ParamSet& params, const std::string& name) {
  auto it = params.find(name);
  if (it != params.end())
    if (const auto* i = std::get_if<std::int64_t>(&it->second))
      return static_cast<double>(*i);
  return get_typed<double>(params, name, "float");
}
const std::string& get_string(const ParamSet& params, const std::string& name) {
  return get_typed<std::string>(params, name, "string");
}
bool get_bool(const ParamSet& params, const std::string& name) {
  return get_typed<bool>(params, name, "bool");
}

}  // namespace cb
