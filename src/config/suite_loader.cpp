// TOML suite -> validated Suite. The only file that includes toml11, which is
// slow to compile. Every error is cb::Error(Input) starting "path:line: ", so
// that editors and CI logs can jump to it, and says what would be valid.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <list>
#include <set>
#include <sstream>
#include <toml.hpp>

#include "config/suite.hpp"
#include "config/suite_text.hpp"
#include "config/sweep.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"

namespace cb {

namespace {

using Value = toml::value;

// Longer than any timeout a suite means: a week. Bigger values are typos
// (or "1e300" for "forever"), and would overflow the clocks' arithmetic.
constexpr double kMaxSeconds = 7 * 24 * 3600.0;
// More rounds than this splits a case's budget into meaningless slivers.
constexpr int kMaxRounds = 100;

const std::vector<std::string> kMeasureKeys = {
    "warmup",        "min_samples",       "max_samples", "max_time_s",
    "target_rel_ci", "min_sample_time_s", "timeout_s",   "rounds"};
const std::vector<std::string> kSuiteOnlyKeys = {"name", "description",
                                                 "isolation", "presets"};
const std::vector<std::string> kTopLevelKeys = {"suite", "benchmark", "compare",
                                                "presets"};

// The parameter naming one preset whose values a case takes, and the one
// naming several (comma-separated) that a case runs together: their shapes
// go, rendered, into kShapesParam.
const char* const kPresetParam = "preset";
const char* const kModelsParam = "models";
const char* const kShapesParam = "model_shapes";
const char* const kNoPreset = "custom";

int line_of(const Value& value) {
  return static_cast<int>(value.location().line());
}

// toml11 3.7 reads integers with an istream, which saturates on overflow:
// 99999999999999999999 silently becomes INT64_MAX. A saturated value is
// checked against the text the file holds.
bool integer_overflowed(const Value& value) {
  std::int64_t v = value.as_integer();
  if (v != std::numeric_limits<std::int64_t>::max() &&
      v != std::numeric_limits<std::int64_t>::min())
    return false;
  auto where = value.location();
  const std::string& line = where.line_str();
  std::size_t first = where.column() > 0 ? where.column() - 1 : 0;
  if (first >= line.size()) return false;
  std::string token;
  for (char c : line.substr(first, where.region()))
    if (c != '_' && c != '+') token += c;
  int base = 10;
  if (token.size() > 2 && token[0] == '0' &&
      (token[1] == 'x' || token[1] == 'o' || token[1] == 'b')) {
    base = token[1] == 'x' ? 16 : token[1] == 'o' ? 8 : 2;
    token = token.substr(2);
  }
  std::int64_t parsed = 0;
  auto [end, error] =
      std::from_chars(token.data(), token.data() + token.size(), parsed, base);
  return error == std::errc::result_out_of_range;
}

// A table's keys in file order, so that the first problem in the file is the
// one reported (toml11 keeps tables in unordered maps).
std::vector<std::pair<std::string, const Value*>> in_file_order(
    const Value& table) {
  std::vector<std::pair<std::string, const Value*>> out;
  for (const auto& [key, value] : table.as_table())
    out.emplace_back(key, &value);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    auto la = a.second->location(), lb = b.second->location();
    if (la.line() != lb.line()) return la.line() < lb.line();
    if (la.column() != lb.column()) return la.column() < lb.column();
    return a.first < b.first;
  });
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// "did you mean 'x'? " for the candidate nearest `key`, or "" when none.
std::string did_you_mean(const std::string& key,
                         const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  std::size_t best_distance = static_cast<std::size_t>(-1);
  for (const auto& candidate : candidates) {
    std::size_t d = edit_distance(key, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = &candidate;
    }
  }
  return best ? fmt::format("did you mean '{}'? ", *best) : "";
}

// What the user wrote, for "expected X, got Y".
std::string describe(const Value& value) {
  switch (value.type()) {
    case toml::value_t::boolean: return value.as_boolean() ? "true" : "false";
    case toml::value_t::integer:
      return fmt::format("the integer {}", value.as_integer());
    case toml::value_t::floating: {
      std::string text = fmt::format("{}", value.as_floating());
      if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
      return "the float " + text;  // "2.0", not "2", which reads as an int
    }
    case toml::value_t::string:
      return fmt::format("the string \"{}\"", value.as_string().str);
    case toml::value_t::array: return "a list";
    case toml::value_t::table: return "a table";
    default: return "a date or time";
  }
}

std::string show(const ParamSpec& spec, const ParamValue& value) {
  if (spec.type == ParamType::Bytes)
    return format_bytes(std::get<std::int64_t>(value));
  if (spec.type == ParamType::String)
    return "'" + std::get<std::string>(value) + "'";
  return to_string(value);
}

std::string expectation(const ParamSpec& spec) {
  switch (spec.type) {
    case ParamType::Int:
      return "an integer, a list of integers, or a range like \"1:64:x2\"";
    case ParamType::Bytes:
      return "a byte count (4096 or \"4KiB\"), a list of them, or a range "
             "like \"8B:1MiB:x4\"";
    case ParamType::Float: return "a number or a list of numbers";
    case ParamType::String:
      return spec.choices.empty()
                 ? "a string or a list of strings"
                 : "a string or a list of strings, each one of: " +
                       join(spec.choices);
    case ParamType::Bool: return "true, false or [true, false]";
  }
  return "?";
}

// The line of a [suite] or entry key that set min/max_samples, so that the
// "max_samples < min_samples" error points at what the user wrote.
struct SampleLines {
  int min_samples = 0;
  int max_samples = 0;
};

class Loader {
 public:
  Loader(const std::string& path, const Registry& registry, Presets presets)
      : path_(path), registry_(registry), presets_mode_(presets) {}

  void read(const Value& root, Suite& suite) const {
    check_integers(root);
    for (const auto& [key, value] : in_file_order(root)) {
      if (contains(kTopLevelKeys, key)) continue;
      std::string hint =
          contains(kSuiteOnlyKeys, key) || contains(kMeasureKeys, key)
              ? fmt::format("'{}' belongs in the [suite] table", key)
              : did_you_mean(key, kTopLevelKeys) +
                    "a suite has one [suite] table, [[benchmark]] entries, "
                    "optional [presets.<name>] tables and an optional "
                    "[compare] table";
      fail(line_of(*value),
           fmt::format("unknown top-level key '{}' ({})", key, hint));
    }
    const auto& top = root.as_table();
    auto suite_it = top.find("suite");
    if (suite_it == top.end())
      fail_file("missing [suite] table (add [suite] with name = \"...\")");
    read_suite_table(suite_it->second, suite);
    if (auto presets_it = top.find("presets"); presets_it != top.end())
      add_presets(presets_it->second, path_);
    auto bench_it = top.find("benchmark");
    if (bench_it == top.end())
      fail_file(
          "no [[benchmark]] entries: the suite would run nothing (add "
          "[[benchmark]] with name = \"<kind>.<name>\"; `clusterbench list` "
          "shows the registered benchmarks)");
    read_benchmarks(bench_it->second, suite);
    if (auto compare_it = top.find("compare"); compare_it != top.end())
      read_compare_table(compare_it->second, suite);
  }

 private:
  [[noreturn]] void fail(int line, const std::string& message) const {
    throw Error(ErrorKind::Input,
                fmt::format("{}:{}: {}", file_, line, message));
  }
  [[noreturn]] void fail_file(const std::string& message) const {
    throw Error(ErrorKind::Input, fmt::format("{}: {}", file_, message));
  }
  [[noreturn]] void fail_key(const Value& value, const std::string& where,
                             const std::string& key,
                             const std::string& problem) const {
    fail(line_of(value), fmt::format("{} {}: {}", where, key, problem));
  }

  // Every integer in the file, before anything reads one.
  void check_integers(const Value& value) const {
    if (value.is_integer() && integer_overflowed(value))
      fail(line_of(value), fmt::format("integer '{}' does not fit in 64 bits",
                                       value.location().line_str().substr(
                                           value.location().column() - 1,
                                           value.location().region())));
    if (value.is_array())
      for (const auto& item : value.as_array()) check_integers(item);
    if (value.is_table())
      for (const auto& [key, item] : value.as_table()) check_integers(item);
  }

  // ---- [compare] ----------------------------------------------------------

  void read_compare_table(const Value& table, Suite& suite) const {
    if (!table.is_table())
      fail(line_of(table), "'compare' must be a table: write [compare]");
    const std::string where = "[compare]";
    CompareConfig& c = suite.compare;
    for (const auto& [key, value] : in_file_order(table)) {
      if (key == "threshold") {
        c.threshold = read_fraction(*value, where, key, "e.g. 0.05 for 5%");
      } else if (key == "alpha") {
        c.alpha = read_fraction(*value, where, key, "e.g. 0.05");
      } else if (key == "min_samples") {
        c.min_samples = read_count(*value, where, key, 2);
      } else if (key == "thresholds") {
        read_thresholds(*value, suite);
      } else {
        const std::vector<std::string> valid = {"threshold", "alpha",
                                                "min_samples", "thresholds"};
        fail(line_of(*value),
             fmt::format("{}: unknown key '{}' ({}valid keys: {})", where, key,
                         did_you_mean(key, valid), join(valid)));
      }
    }
  }

  double read_fraction(const Value& value, const std::string& where,
                       const std::string& key,
                       const std::string& example) const {
    double v = read_number(value, where, key,
                           ("a number in (0, 1), " + example).c_str());
    if (!(v > 0 && v < 1))
      fail_key(value, where, key,
               fmt::format("must be in (0, 1), {}, got {}", example, v));
    return v;
  }

  // thresholds = { "distributed.pingpong" = 0.1,
  // "hardware.stream.triad.bandwidth" = 0.03 }
  void read_thresholds(const Value& table, Suite& suite) const {
    const std::string where = "[compare] thresholds";
    if (!table.is_table())
      fail(line_of(table),
           where +
               ": expected a table of name = fraction, e.g. "
               "thresholds = { \"distributed.pingpong\" = 0.1 }");
    for (const auto& [name, value] : in_file_order(table)) {
      bool known = registry_.find(name) != nullptr;
      for (const auto* bench : registry_.all())
        known = known || name.rfind(bench->info.name + ".", 0) == 0;
      // A bare metric name ("busbw") applies to every benchmark that has it.
      known = known || name.find('.') == std::string::npos;
      if (!known)
        fail(line_of(*value),
             fmt::format("{}: '{}' names no registered benchmark ({}keys are a "
                         "benchmark, benchmark.metric or a bare metric name)",
                         where, name, did_you_mean(name, benchmark_names())));
      suite.compare.thresholds[name] =
          read_fraction(*value, where, "'" + name + "'", "e.g. 0.1 for 10%");
    }
  }

  std::vector<std::string> benchmark_names() const {
    std::vector<std::string> names;
    for (const auto* bench : registry_.all()) names.push_back(bench->info.name);
    return names;
  }

  // ---- [suite] ------------------------------------------------------------

  void read_suite_table(const Value& table, Suite& suite) const {
    if (!table.is_table())
      fail(line_of(table), "'suite' must be a table: write [suite]");
    const std::string where = "[suite]";
    bool has_name = false;
    SampleLines lines;
    for (const auto& [key, value] : in_file_order(table)) {
      if (key == "name") {
        suite.name = read_name(*value, where);
        has_name = true;
      } else if (key == "description") {
        if (!value->is_string())
          fail_key(*value, where, key,
                   "expected a string, got " + describe(*value));
        suite.description = value->as_string().str;
      } else if (key == "isolation") {
        suite.isolation = read_isolation(*value, where);
      } else if (key == "presets") {
        if (presets_mode_ == Presets::Resolve) read_preset_files(*value, where);
      } else if (!read_measure_key(key, *value, where, suite.measure, lines)) {
        std::vector<std::string> valid = kSuiteOnlyKeys;
        valid.insert(valid.end(), kMeasureKeys.begin(), kMeasureKeys.end());
        std::string hint =
            key == "benchmark"
                ? "[[benchmark]] entries are tables of their own, not keys of "
                  "[suite]"
            : is_any_param(key)
                ? "parameters are set in a [[benchmark]] entry"
                : did_you_mean(key, valid) + "valid keys: " + join(valid);
        fail(line_of(*value),
             fmt::format("{}: unknown key '{}' ({})", where, key, hint));
      }
    }
    if (!has_name)
      fail(line_of(table), "[suite] name: missing (add name = \"...\")");
    check_sample_bounds(suite.measure, lines, where);
  }

  std::string read_name(const Value& value, const std::string& where) const {
    if (!value.is_string() || value.as_string().str.empty())
      fail_key(value, where, "name",
               "expected a non-empty string, got " + describe(value));
    const std::string& name = value.as_string().str;
    // The suite name makes the default output file name
    // (results/<name>-<time>.h5) and is printed on terminals.
    bool control = std::any_of(name.begin(), name.end(), [](char c) {
      return std::iscntrl(static_cast<unsigned char>(c)) != 0;
    });
    if (control || name.find('/') != std::string::npos || name[0] == '.')
      fail_key(value, where, "name",
               "must not contain '/' or control characters, nor start with "
               "'.' (it names the output file), e.g. \"nightly-cpu\"");
    if (name.size() > 200)
      fail_key(value, where, "name",
               fmt::format("{} bytes long; at most 200", name.size()));
    return name;
  }

  Isolation read_isolation(const Value& value, const std::string& where) const {
    std::string text = value.is_string() ? value.as_string().str : "";
    if (text == "node") return Isolation::Node;
    if (text == "rank") return Isolation::Rank;
    fail_key(value, where, "isolation",
             fmt::format("expected \"node\" (local cases of a node run one at "
                         "a time) or \"rank\" (concurrently), got {}",
                         describe(value)));
  }

  bool is_any_param(const std::string& key) const {
    for (const auto* bench : registry_.all())
      for (const auto& spec : bench->info.params)
        if (spec.name == key || contains(spec.aliases, key)) return true;
    return false;
  }

  // ---- measurement settings ([suite] defaults, per-entry overrides) -------

  bool read_measure_key(const std::string& key, const Value& value,
                        const std::string& where, MeasureSettings& measure,
                        SampleLines& lines) const {
    if (key == "warmup") {
      measure.warmup = read_count(value, where, key, 0);
    } else if (key == "min_samples") {
      measure.min_samples = read_count(value, where, key, 1);
      lines.min_samples = line_of(value);
    } else if (key == "max_samples") {
      measure.max_samples = read_count(value, where, key, 1);
      lines.max_samples = line_of(value);
    } else if (key == "max_time_s") {
      measure.max_time_s = read_seconds(value, where, key);
    } else if (key == "rounds") {
      measure.rounds = read_count(value, where, key, 1);
      if (measure.rounds > kMaxRounds)
        fail_key(value, where, key,
                 fmt::format("must be at most {}, got {}", kMaxRounds,
                             measure.rounds));
    } else if (key == "timeout_s") {
      measure.timeout_s = read_seconds(value, where, key);
    } else if (key == "min_sample_time_s") {
      measure.min_sample_time_s = read_seconds(value, where, key);
    } else if (key == "target_rel_ci") {
      double v =
          read_number(value, where, key, "a number in (0, 1), e.g. 0.02");
      if (!(v > 0 && v < 1))
        fail_key(
            value, where, key,
            fmt::format("must be in (0, 1), e.g. 0.02 for +-2%, got {}", v));
      measure.target_rel_ci = v;
    } else {
      return false;
    }
    return true;
  }

  int read_count(const Value& value, const std::string& where,
                 const std::string& key, int minimum) const {
    if (!value.is_integer())
      fail_key(value, where, key,
               fmt::format("expected an integer >= {}, got {}", minimum,
                           describe(value)));
    std::int64_t v = value.as_integer();
    if (v < minimum)
      fail_key(value, where, key,
               fmt::format("must be an integer >= {}, got {}", minimum, v));
    if (v > INT_MAX)
      fail_key(value, where, key,
               fmt::format("{} is too large (at most {})", v, INT_MAX));
    return static_cast<int>(v);
  }

  double read_number(const Value& value, const std::string& where,
                     const std::string& key, const char* expected) const {
    if (value.is_integer()) return static_cast<double>(value.as_integer());
    if (!value.is_floating())
      fail_key(value, where, key,
               fmt::format("expected {}, got {}", expected, describe(value)));
    return value.as_floating();
  }

  double read_seconds(const Value& value, const std::string& where,
                      const std::string& key) const {
    double v = read_number(value, where, key, "a number of seconds > 0");
    if (!(v > 0) || !(v <= kMaxSeconds))
      fail_key(value, where, key,
               fmt::format("must be a number of seconds > 0 and at most {:g} "
                           "(a week), got {}",
                           kMaxSeconds, v));
    return v;
  }

  void check_sample_bounds(const MeasureSettings& measure,
                           const SampleLines& lines,
                           const std::string& where) const {
    if (measure.max_samples >= measure.min_samples) return;
    int line = lines.max_samples ? lines.max_samples : lines.min_samples;
    fail(line, fmt::format("{}: max_samples ({}) must be >= min_samples ({})",
                           where, measure.max_samples, measure.min_samples));
  }

  // ---- [[benchmark]] ------------------------------------------------------

  void read_benchmarks(const Value& value, Suite& suite) const {
    if (!value.is_array())
      fail(line_of(value),
           "'benchmark' must be an array of tables: write [[benchmark]] "
           "(two brackets) before each entry");
    if (value.as_array().empty())
      fail(line_of(value),
           "no [[benchmark]] entries: the suite would run nothing");
    std::size_t total = 0;
    for (const auto& item : value.as_array()) {
      BenchmarkEntry entry = read_entry(item, suite.measure);
      std::size_t count = case_count(entry);
      total = total > SIZE_MAX - count ? SIZE_MAX : total + count;
      if (total > kMaxCases)
        fail(entry.line,
             fmt::format("[[benchmark]] {}: expands to {} cases{}, more than "
                         "the limit of {} (check the sweeps: \"+1\" where "
                         "\"x2\" was meant?)",
                         entry.name, count,
                         count == total
                             ? ""
                             : fmt::format(", making {} in the suite", total),
                         kMaxCases));
      for (const BenchmarkEntry& earlier : suite.benchmarks)
        check_no_overlap(earlier, entry);
      suite.benchmarks.push_back(std::move(entry));
    }
  }

  // Two entries of one benchmark that share a case (every parameter's sweep
  // and the backends intersect) would make two cases with one key, which the
  // result file and the baseline comparison could not tell apart.
  void check_no_overlap(const BenchmarkEntry& earlier,
                        const BenchmarkEntry& entry) const {
    if (earlier.name != entry.name) return;
    std::string backend;
    for (const auto& b : entry.backends)
      if (contains(earlier.backends, b)) backend = b;
    if (backend.empty()) return;
    std::string example;
    for (const auto& [name, values] : entry.params) {
      auto it = earlier.params.find(name);
      if (it == earlier.params.end()) return;
      const ParamValue* shared = nullptr;
      for (const auto& v : values)
        if (std::find(it->second.begin(), it->second.end(), v) !=
            it->second.end()) {
          shared = &v;
          break;
        }
      if (!shared) return;
      example += (example.empty() ? "" : ",") + name + "=" + to_string(*shared);
    }
    fail(entry.line,
         fmt::format("[[benchmark]] {}: repeats a case of the entry at line {} "
                     "({}@{}); each case may appear once: split the sweeps so "
                     "that they do not overlap",
                     entry.name, earlier.line, example, backend));
  }

  BenchmarkEntry read_entry(const Value& table,
                            const MeasureSettings& defaults) const {
    if (!table.is_table())
      fail(line_of(table),
           "each [[benchmark]] entry must be a table, got " + describe(table));
    BenchmarkEntry entry;
    entry.line = line_of(table);
    entry.measure = defaults;
    const auto* bench = find_benchmark(table);
    const BenchmarkInfo& info = bench->info;
    entry.name = info.name;
    entry.backends = info.backends;
    const std::string where = "[[benchmark]] " + info.name;

    SampleLines lines;
    std::map<std::string, std::string> spelled;  // param -> key that set it
    for (const auto& [key, value] : in_file_order(table)) {
      if (key == "name") continue;
      if (key == "backend") {
        entry.backends = read_backends(info, *value, where);
      } else if (read_measure_key(key, *value, where, entry.measure, lines)) {
      } else if (const ParamSpec* spec = find_param(info, key)) {
        auto [it, fresh] = spelled.emplace(spec->name, key);
        if (!fresh)
          fail_key(*value, where, key,
                   fmt::format("sets parameter '{}', which '{}' already sets",
                               spec->name, it->second));
        entry.params[spec->name] = read_sweep(*spec, *value, where, key);
      } else {
        fail(line_of(*value), unknown_entry_key(info, key, where));
      }
    }
    for (const auto& spec : info.params)
      entry.params.try_emplace(spec.name,
                               std::vector<ParamValue>{spec.default_value});
    check_sample_bounds(entry.measure, lines, where);
    if (presets_mode_ == Presets::Resolve) {
      resolve_preset(info, table, entry, spelled, where);
      resolve_models(info, table, entry, where);
    }
    return entry;
  }

  const RegisteredBenchmark* find_benchmark(const Value& table) const {
    const auto& fields = table.as_table();
    auto it = fields.find("name");
    if (it == fields.end())
      fail(line_of(table),
           "[[benchmark]] name: missing (add name = \"<kind>.<name>\"; "
           "`clusterbench list` shows the registered benchmarks)");
    std::string name = read_name(it->second, "[[benchmark]]");
    if (const auto* found = registry_.find(name)) return found;
    std::string best = registry_.closest(name);
    fail(
        line_of(it->second),
        fmt::format("[[benchmark]] name: unknown benchmark '{}' ({}"
                    "`clusterbench list` shows the registered benchmarks)",
                    name, best.empty() ? "" : "did you mean '" + best + "'? "));
  }

  static const ParamSpec* find_param(const BenchmarkInfo& info,
                                     const std::string& key) {
    for (const auto& spec : info.params)
      if (spec.name == key || contains(spec.aliases, key)) return &spec;
    return nullptr;
  }

  std::string unknown_entry_key(const BenchmarkInfo& info,
                                const std::string& key,
                                const std::string& where) const {
    if (key == "description" || key == "isolation")
      return fmt::format("{}: '{}' can only be set in [suite]", where, key);
    std::vector<std::string> valid = {"name", "backend"};
    valid.insert(valid.end(), kMeasureKeys.begin(), kMeasureKeys.end());
    std::vector<std::string> params;
    for (const auto& spec : info.params) {
      valid.push_back(spec.name);
      valid.insert(valid.end(), spec.aliases.begin(), spec.aliases.end());
      params.push_back(spec.name);
    }
    std::sort(params.begin(), params.end());
    return fmt::format(
        "{}: unknown key '{}' ({}parameters of {}: {}; other keys: name, "
        "backend, {})",
        where, key, did_you_mean(key, valid), info.name,
        params.empty() ? "none" : join(params), join(kMeasureKeys));
  }

  std::vector<std::string> read_backends(const BenchmarkInfo& info,
                                         const Value& value,
                                         const std::string& where) const {
    std::vector<const Value*> items;
    if (value.is_array())
      for (const auto& item : value.as_array()) items.push_back(&item);
    else
      items.push_back(&value);
    if (items.empty())
      fail_key(value, where, "backend",
               "empty list (leave 'backend' out to use all of: " +
                   join(info.backends) + ")");
    std::vector<std::string> out;
    for (const Value* item : items) {
      if (!item->is_string())
        fail_key(*item, where, "backend",
                 fmt::format("expected a string or a list of strings from {}, "
                             "got {}",
                             join(info.backends), describe(*item)));
      const std::string& name = item->as_string().str;
      if (!contains(info.backends, name))
        fail_key(*item, where, "backend",
                 fmt::format("'{}' is not a backend of {} ({}valid: {})", name,
                             info.name, did_you_mean(name, info.backends),
                             join(info.backends)));
      if (contains(out, name))
        fail_key(*item, where, "backend",
                 fmt::format("'{}' is listed twice", name));
      out.push_back(name);
    }
    return out;
  }

  // ---- parameter values ---------------------------------------------------

  struct Point {
    ParamValue value;
    const Value* origin;  // for the line of a duplicate
  };

  std::vector<ParamValue> read_sweep(const ParamSpec& spec, const Value& value,
                                     const std::string& where,
                                     const std::string& key) const {
    std::vector<Point> points;
    if (value.is_array()) {
      if (value.as_array().empty())
        fail_key(value, where, key,
                 "empty list (give at least one value, or leave the key out "
                 "for the default " +
                     show(spec, spec.default_value) + ")");
      for (const auto& item : value.as_array()) {
        if (item.is_array())
          fail_key(
              item, where, key,
              "lists cannot be nested (expected " + expectation(spec) + ")");
        read_point(spec, item, where, key, points);
      }
    } else {
      read_point(spec, value, where, key, points);
    }
    std::set<ParamValue> seen;
    std::vector<ParamValue> out;
    for (auto& point : points) {
      if (!seen.insert(point.value).second)
        fail_key(*point.origin, where, key,
                 fmt::format("{} appears twice in the sweep (list each "
                             "value once)",
                             show(spec, point.value)));
      out.push_back(std::move(point.value));
    }
    return out;
  }

  // One list element or scalar; a range string adds several points.
  void read_point(const ParamSpec& spec, const Value& value,
                  const std::string& where, const std::string& key,
                  std::vector<Point>& out) const {
    auto wrong_type = [&]() {
      fail_key(value, where, key,
               fmt::format("expected {}, got {}", expectation(spec),
                           describe(value)));
    };
    switch (spec.type) {
      case ParamType::Int:
      case ParamType::Bytes: {
        bool bytes = spec.type == ParamType::Bytes;
        if (value.is_integer()) {
          if (bytes && value.as_integer() < 0)
            fail_key(value, where, key,
                     fmt::format("a byte count must be >= 0, got {}",
                                 value.as_integer()));
          check_bounds(spec, value.as_integer(), value, where, key);
          out.push_back({value.as_integer(), &value});
          return;
        }
        if (!value.is_string()) wrong_type();
        const std::string& text = value.as_string().str;
        if (is_range(text)) {
          std::vector<std::int64_t> range;
          try {
            range = expand_range(text, bytes);
          } catch (const Error& e) {
            fail_key(value, where, key, e.what());
          }
          for (std::int64_t v : range) {
            check_bounds(spec, v, value, where, key);
            out.push_back({v, &value});
          }
          return;
        }
        if (!bytes) wrong_type();
        auto parsed = parse_bytes(text);
        if (!parsed)
          fail_key(value, where, key,
                   fmt::format("\"{}\" is not a byte count (expected an "
                               "integer with an optional unit B, KiB, MiB, "
                               "GiB or TiB, e.g. \"4KiB\", or a range like "
                               "\"8B:1MiB:x4\")",
                               text));
        check_bounds(spec, *parsed, value, where, key);
        out.push_back({*parsed, &value});
        return;
      }
      case ParamType::Float: {
        double v = 0;
        if (value.is_integer())
          v = static_cast<double>(value.as_integer());
        else if (value.is_floating())
          v = value.as_floating();
        else
          wrong_type();
        if (!std::isfinite(v))
          fail_key(value, where, key,
                   fmt::format("expected a finite number, got {}", v));
        out.push_back({v, &value});
        return;
      }
      case ParamType::String: {
        if (!value.is_string()) wrong_type();
        const std::string& text = value.as_string().str;
        if (!spec.choices.empty() && !contains(spec.choices, text))
          fail_key(value, where, key,
                   fmt::format("'{}' is not a valid choice ({}valid: {})", text,
                               did_you_mean(text, spec.choices),
                               join(spec.choices)));
        out.push_back({text, &value});
        return;
      }
      case ParamType::Bool:
        if (!value.is_boolean()) wrong_type();
        out.push_back({value.as_boolean(), &value});
        return;
    }
  }

  // ---- presets ------------------------------------------------------------
  // [presets.<name>] tables hold parameter values (a model's shape) that an
  // entry takes with preset = "<name>", from the suite itself or from the
  // files [suite] presets = "models.toml" names (relative to the suite).

  struct Preset {
    std::string file;  // where it is defined, for messages
    const Value* table;
  };

  // Restores file_ (the file that messages name) when it goes.
  struct InFile {
    InFile(const Loader& loader, const std::string& file)
        : loader_(loader), saved_(loader.file_) {
      loader.file_ = file;
    }
    ~InFile() { loader_.file_ = saved_; }
    const Loader& loader_;
    std::string saved_;
  };

  void read_preset_files(const Value& value, const std::string& where) const {
    std::vector<const Value*> items;
    if (value.is_array())
      for (const auto& item : value.as_array()) items.push_back(&item);
    else
      items.push_back(&value);
    for (const Value* item : items) {
      if (!item->is_string())
        fail_key(
            *item, where, "presets",
            "expected a file name or a list of them (e.g. \"models.toml\", "
            "relative to this suite), got " +
                describe(*item));
      std::string name = item->as_string().str;
      std::string file = name;
      auto slash = path_.rfind('/');
      if (!name.empty() && name[0] != '/' && slash != std::string::npos)
        file = path_.substr(0, slash + 1) + name;
      std::FILE* probe = std::fopen(file.c_str(), "rb");
      if (probe == nullptr)
        fail_key(
            *item, where, "presets",
            fmt::format("cannot read '{}' ({})", file, std::strerror(errno)));
      std::fclose(probe);
      try {
        preset_files_.push_back(toml::parse(file));
      } catch (const toml::exception& e) {
        throw Error(ErrorKind::Input,
                    fmt::format("{}:{}: invalid TOML: {}", file,
                                e.location().line(), e.what()));
      }
      const auto& top = preset_files_.back().as_table();
      auto it = top.find("presets");
      if (it == top.end())
        fail_key(*item, where, "presets",
                 fmt::format("'{}' has no [presets.<name>] tables", file));
      add_presets(it->second, file);
    }
    named_preset_files_ = true;
  }

  void add_presets(const Value& value, const std::string& file) const {
    InFile in(*this, file);
    if (!value.is_table())
      fail(line_of(value),
           "'presets' must hold tables: write [presets.<name>]");
    for (const auto& [name, table] : in_file_order(value)) {
      if (!table->is_table())
        fail(line_of(*table),
             fmt::format("presets.{} must be a table of parameter values",
                         name));
      if (name == kNoPreset)
        fail(line_of(*table), fmt::format("'{}' is reserved: it means no "
                                          "preset",
                                          kNoPreset));
      auto [it, fresh] = presets_.emplace(name, Preset{file, table});
      if (!fresh)
        fail(line_of(*table),
             fmt::format("preset '{}' is defined twice (first in {})", name,
                         it->second.file));
    }
  }

  // Where presets come from when the suite names none: models.toml next to
  // the suite, configs/models.toml under the working directory, and the
  // source tree's (a build run in place).
  std::vector<std::string> default_preset_files() const {
    std::vector<std::string> files;
    auto slash = path_.rfind('/');
    files.push_back(
        (slash == std::string::npos ? "" : path_.substr(0, slash + 1)) +
        "models.toml");
    files.push_back("configs/models.toml");
#ifdef CB_DEFAULT_PRESETS
    files.push_back(CB_DEFAULT_PRESETS);
#endif
    return files;
  }

  // Loads the first default presets file, once, if the suite named none.
  void load_default_presets() const {
    if (defaults_tried_) return;
    defaults_tried_ = true;
    for (const std::string& file : default_preset_files()) {
      std::FILE* probe = std::fopen(file.c_str(), "rb");
      if (probe == nullptr) continue;
      std::fclose(probe);
      Value root;
      try {
        root = toml::parse(file);
      } catch (const toml::exception& e) {
        throw Error(ErrorKind::Input,
                    fmt::format("{}:{}: invalid TOML: {}", file,
                                e.location().line(), e.what()));
      }
      preset_files_.push_back(std::move(root));
      const auto& top = preset_files_.back().as_table();
      if (auto it = top.find("presets"); it != top.end()) {
        for (const auto& [name, table] : it->second.as_table())
          if (!presets_.count(name))
            presets_.emplace(name, Preset{file, &table});
      }
      return;
    }
  }

  const Preset& find_preset(const std::string& name, const Value* origin,
                            const std::string& where,
                            const std::string& key) const {
    auto it = presets_.find(name);
    if (it == presets_.end() && !named_preset_files_) {
      load_default_presets();
      it = presets_.find(name);
    }
    if (it != presets_.end()) return it->second;
    std::vector<std::string> known;
    for (const auto& [n, p] : presets_) known.push_back(n);
    std::string problem = fmt::format(
        "unknown preset '{}' ({}presets come from [presets.<name>] tables in "
        "the suite or in the files named by [suite] presets = "
        "[\"models.toml\"]; known: {})",
        name, did_you_mean(name, known), known.empty() ? "none" : join(known));
    if (origin != nullptr) fail_key(*origin, where, key, problem);
    fail_file(where + " " + key + ": " + problem);
  }

  // The line of the entry's key that set `param`, or null for a default.
  static const Value* origin_of(const Value& table, const ParamSpec& spec) {
    for (const auto& [key, value] : table.as_table())
      if (key == spec.name || contains(spec.aliases, key)) return &value;
    return nullptr;
  }

  // preset = "<name>": each name's values, checked against the benchmark's
  // parameters, minus those the entry sets itself.
  void resolve_preset(const BenchmarkInfo& info, const Value& table,
                      BenchmarkEntry& entry,
                      const std::map<std::string, std::string>& spelled,
                      const std::string& where) const {
    const ParamSpec* spec = find_param(info, kPresetParam);
    // A preset parameter with fixed choices names shapes built into its
    // benchmark; only an open one is looked up in [presets].
    if (spec == nullptr || !spec->choices.empty()) return;
    const Value* origin = origin_of(table, *spec);
    for (const ParamValue& v : entry.params[kPresetParam]) {
      const std::string& name = std::get<std::string>(v);
      if (name == kNoPreset) continue;
      const Preset& preset = find_preset(name, origin, where, kPresetParam);
      InFile in(*this, preset.file);
      ParamSet values;
      const std::string preset_where = "[presets." + name + "]";
      for (const auto& [key, value] : in_file_order(*preset.table)) {
        const ParamSpec* target = find_param(info, key);
        if (target == nullptr || target->name == kPresetParam)
          fail(line_of(*value),
               fmt::format("{}: '{}' is not a parameter of {} ({}used by "
                           "preset = \"{}\" at {}:{})",
                           preset_where, key, info.name,
                           did_you_mean(key, param_names(info)), name, path_,
                           origin ? line_of(*origin) : entry.line));
        if (spelled.count(target->name)) continue;  // the entry wins
        std::vector<Point> points;
        read_point(*target, *value, preset_where, key, points);
        if (points.size() != 1)
          fail_key(*value, preset_where, key,
                   "a preset sets one value, not a range");
        values[target->name] = points.front().value;
      }
      entry.presets[kPresetParam][name] = std::move(values);
    }
  }

  // models = "a,b": the named presets rendered into model_shapes as
  // "a{key=value,...};b{...}", for benchmarks that run several models.
  void resolve_models(const BenchmarkInfo& info, const Value& table,
                      BenchmarkEntry& entry, const std::string& where) const {
    const ParamSpec* spec = find_param(info, kModelsParam);
    if (spec == nullptr || find_param(info, kShapesParam) == nullptr) return;
    const Value* origin = origin_of(table, *spec);
    for (const ParamValue& v : entry.params[kModelsParam]) {
      const std::string& list = std::get<std::string>(v);
      std::string shapes;
      std::stringstream in(list);
      std::string name;
      while (std::getline(in, name, ',')) {
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        const Preset& preset = find_preset(name, origin, where, kModelsParam);
        shapes += (shapes.empty() ? "" : ";") + name + "{" +
                  render(*preset.table) + "}";
      }
      if (shapes.empty())
        fail(origin ? line_of(*origin) : entry.line,
             fmt::format("{} {}: name the presets to run, e.g. \"bert-tiny,"
                         "gpt2-tiny\"",
                         where, kModelsParam));
      entry.presets[kModelsParam][list] = {{kShapesParam, shapes}};
    }
  }

  std::string render(const Value& table) const {
    std::vector<std::string> items;
    for (const auto& [key, value] : table.as_table()) {
      std::string text;
      if (value.is_integer())
        text = std::to_string(value.as_integer());
      else if (value.is_string())
        text = value.as_string().str;
      else if (value.is_floating())
        text = fmt::format("{}", value.as_floating());
      else if (value.is_boolean())
        text = value.as_boolean() ? "true" : "false";
      else
        fail(line_of(value),
             fmt::format("presets: '{}' must be a number, string or boolean "
                         "to be used in models = ...",
                         key));
      if (text.find_first_of("{};=") != std::string::npos)
        fail(line_of(value),
             fmt::format("presets: '{}' = \"{}\" cannot hold any of {{ }} ; = "
                         "when used in models = ...",
                         key, text));
      items.push_back(key + "=" + text);
    }
    std::sort(items.begin(), items.end());
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
  }

  static std::vector<std::string> param_names(const BenchmarkInfo& info) {
    std::vector<std::string> names;
    for (const auto& spec : info.params) names.push_back(spec.name);
    return names;
  }

  // ParamSpec::minimum and maximum of an Int or Bytes parameter.
  void check_bounds(const ParamSpec& spec, std::int64_t v, const Value& value,
                    const std::string& where, const std::string& key) const {
    if (v >= spec.minimum && v <= spec.maximum) return;
    bool bytes = spec.type == ParamType::Bytes;
    auto text = [&](std::int64_t n) {
      return bytes ? format_bytes(n) : std::to_string(n);
    };
    std::string valid;
    if (spec.maximum == std::numeric_limits<std::int64_t>::max())
      valid = "at least " + text(spec.minimum);
    else if (spec.minimum == std::numeric_limits<std::int64_t>::min())
      valid = "at most " + text(spec.maximum);
    else
      valid = "from " + text(spec.minimum) + " to " + text(spec.maximum);
    std::string range = value.is_string() && is_range(value.as_string().str)
                            ? " (in range \"" + value.as_string().str + "\")"
                            : "";
    fail_key(value, where, key,
             fmt::format("{}{} is out of bounds: {} must be {}", text(v), range,
                         spec.name, valid));
  }

  std::string path_;
  const Registry& registry_;
  Presets presets_mode_;
  mutable std::string file_ = path_;  // the file messages name
  mutable std::map<std::string, Preset> presets_;
  mutable std::list<Value> preset_files_;    // the presets point into these
  mutable bool named_preset_files_ = false;  // [suite] presets = ... given
  mutable bool defaults_tried_ = false;
};

}  // namespace

namespace {

// toml11's messages span several lines (the source line, a caret, hints):
// "[error] toml::parse_key: an invalid key appeared.\n --> f\n 1 | [suite\n
// | ^--- is not a valid key\nHint: ...". One line keeps CI logs and MPI
// output readable: "an invalid key appeared. (is not a valid key)".
std::string one_line_toml_error(const std::string& what) {
  std::vector<std::string> lines;
  std::istringstream in(what);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  if (lines.empty()) return what;
  std::string head = lines[0];
  if (head.rfind("[error] ", 0) == 0) head = head.substr(8);
  // Drop the parser function's name: "toml::parse_key: ".
  std::size_t colon = head.find(':', head.rfind("toml::", 0) == 0 ? 6 : 0);
  if (colon != std::string::npos &&
      head.find_first_of(" ", 0) > colon)  // no space before it: a name
    head = head.substr(colon + 1);
  while (!head.empty() && head.front() == ' ') head.erase(0, 1);
  std::vector<std::string> notes;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    std::size_t at = line.find("^--- ");
    std::size_t skip = 5;
    if (at == std::string::npos) {
      at = line.find("~ ");
      skip = 2;
      if (at == std::string::npos || line.find("| ") > at) continue;
    }
    std::string note = line.substr(at + skip);
    if (!note.empty() && note != "here" &&
        std::find(notes.begin(), notes.end(), note) == notes.end())
      notes.push_back(note);
  }
  std::string out = head;
  for (std::size_t i = 0; i < notes.size(); ++i)
    out += (i == 0 ? " (" : "; ") + notes[i];
  if (!notes.empty()) out += ")";
  // Characters that are not text (a binary file) stay out of the message.
  for (char& c : out)
    if (std::iscntrl(static_cast<unsigned char>(c))) c = '?';
  return out;
}

}  // namespace

Suite parse_suite(const std::string& text, const std::string& path,
                  const Registry& registry, Presets presets) {
  check_suite_text(text, path);
  Value root;
  try {
    std::istringstream in(text);
    root = toml::parse(in, path);
  } catch (const toml::exception& e) {
    // The line itself names the key ("warmup =") where the note does not.
    std::string source = e.location().line_str();
    for (char& c : source)
      if (std::iscntrl(static_cast<unsigned char>(c))) c = ' ';
    if (source.size() > 80) source = source.substr(0, 77) + "...";
    while (!source.empty() && source.back() == ' ') source.pop_back();
    throw Error(ErrorKind::Input,
                fmt::format("{}:{}: invalid TOML: {}{}", path,
                            e.location().line(), one_line_toml_error(e.what()),
                            source.empty() ? "" : " in: " + source));
  } catch (const std::exception& e) {
    throw Error(ErrorKind::Input, fmt::format("{}: invalid TOML: {}", path,
                                              one_line_toml_error(e.what())));
  }
  Suite suite;
  suite.path = path;
  suite.text = text;
  Loader(path, registry, presets).read(root, suite);
  return suite;
}

Suite load_suite(const std::string& path, const Registry& registry) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  auto cannot_read = [&](int error) {
    return Error(ErrorKind::Input,
                 fmt::format("{}: cannot read suite file ({})", path,
                             std::strerror(error)));
  };
  if (file == nullptr) throw cannot_read(errno);
  std::string text;
  char buffer[8192];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
    text.append(buffer, n);
  int error = std::ferror(file) ? (errno != 0 ? errno : EIO) : 0;
  std::fclose(file);
  if (error != 0) throw cannot_read(error);
  return parse_suite(text, path, registry);
}

}  // namespace cb
