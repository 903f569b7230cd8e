// `clusterbench list`: the registry, as a table or JSON. Never starts MPI.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "core/registry.hpp"

namespace cb {

std::string json_quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20)
          out += fmt::format("\\u{:04x}", c);
        else
          out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

namespace {

std::string json_value(const ParamValue& v) {
  if (std::holds_alternative<std::string>(v))
    return json_quote(std::get<std::string>(v));
  return to_string(v);
}

std::string join(const std::vector<std::string>& items, const char* sep,
                 bool quote) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += quote ? json_quote(item) : item;
  }
  return out;
}

void print_json() {
  fmt::print("[\n");
  auto all = Registry::instance().all();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const BenchmarkInfo& b = all[i]->info;
    fmt::print(
        "  {{\"name\": {}, \"kind\": \"{}\", \"scope\": \"{}\", \"backends\": "
        "[{}], "
        "\"summary\": {}, \"params\": [",
        json_quote(b.name), to_string(b.kind), to_string(b.scope),
        join(b.backends, ", ", true), json_quote(b.summary));
    for (std::size_t j = 0; j < b.params.size(); ++j) {
      const ParamSpec& p = b.params[j];
      fmt::print(
          "{}\n    {{\"name\": {}, \"type\": \"{}\", \"default\": {}, \"doc\": "
          "{}, "
          "\"choices\": [{}], \"aliases\": [{}]}}",
          j ? "," : "", json_quote(p.name), to_string(p.type),
          json_value(p.default_value), json_quote(p.doc),
          join(p.choices, ", ", true), join(p.aliases, ", ", true));
    }
    fmt::print("]}}{}\n", i + 1 < all.size() ? "," : "");
  }
  fmt::print("]\n");
}

void print_table() {
  for (const RegisteredBenchmark* entry : Registry::instance().all()) {
    const BenchmarkInfo& b = entry->info;
    fmt::print("{}  (kind {}, scope {}, backends {})\n  {}\n", b.name,
               to_string(b.kind), to_string(b.scope),
               join(b.backends, ", ", false), b.summary);
    for (const ParamSpec& p : b.params) {
      std::string extra;
      if (!p.choices.empty())
        extra += " one of: " + join(p.choices, ", ", false) + ";";
      if (!p.aliases.empty())
        extra += " also: " + join(p.aliases, ", ", false) + ";";
      fmt::print("    {:<12} {:<7} default {:<8} {}{}\n", p.name,
                 to_string(p.type), to_string(p.default_value), p.doc, extra);
    }
    fmt::print("\n");
  }
}

}  // namespace

int list_command(bool json) {
  if (json)
    print_json();
  else
    print_table();
  return kExitOk;
}

}  // namespace cb
