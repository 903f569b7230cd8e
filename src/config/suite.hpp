// The validated suite model. src/config/suite_loader.cpp is the only file
// that includes toml11; everything else sees these structs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/case.hpp"
#include "core/param.hpp"

namespace cb {

class Registry;

enum class Isolation {
  Node,  // local cases of one node run one at a time
  Rank,  // every rank runs its local cases concurrently
};
const char* to_string(Isolation isolation);

struct BenchmarkEntry {
  std::string name;  // registered benchmark
  int line = 0;      // line of its [[benchmark]] header, for messages
  // Every parameter of the benchmark: one value, or several (a sweep).
  // Parameters the suite does not set hold the registry default.
  std::map<std::string, std::vector<ParamValue>> params;
  std::vector<std::string> backends;  // default: all the benchmark declares
  MeasureSettings measure;            // [suite] values, overridden per entry
  // Values that a preset-naming parameter brings into a case: parameter
  // ("preset") -> its value ("bert-base") -> what to set ({layers: 12, ...}).
  // expand() merges them into each case with that value. Parameters the
  // entry sets itself are left out here, so the entry wins over the preset.
  std::map<std::string, std::map<std::string, ParamSet>> presets;
};

// [compare]: how results of this suite are compared with a baseline. Unset
// values fall back to the command line's (--threshold, --alpha) defaults.
struct CompareConfig {
  std::optional<double> threshold;  // relative move of a median, e.g. 0.05
  std::optional<double> alpha;      // significance level of the U test
  std::optional<int> min_samples;
  // Per benchmark ("distributed.pingpong"), per benchmark metric
  // ("distributed.pingpong.latency") or per metric name ("busbw").
  std::map<std::string, double> thresholds;
};

struct Suite {
  std::string path;  // as given on the command line
  std::string text;  // the TOML text, stored in /suite
  std::string name;
  std::string description;
  Isolation isolation = Isolation::Node;
  MeasureSettings measure;
  std::vector<BenchmarkEntry> benchmarks;
  CompareConfig compare;
};

// Upper bound on cases one suite may expand to; more is almost surely a typo
// in a sweep (e.g. "+1" instead of "x2").
inline constexpr std::size_t kMaxCases = 100000;

// Reads and validates; throws cb::Error(ErrorKind::Input) naming
// "file:line: key: problem (suggestion)".
// Presets: Resolve reads the presets files and fills each case's shape (a
// run); Ignore leaves preset parameters as written, for a suite stored in a
// result file, whose presets files need not exist where it is compared.
enum class Presets { Resolve, Ignore };
Suite load_suite(const std::string& path, const Registry& registry);
Suite parse_suite(const std::string& text, const std::string& path,
                  const Registry& registry, Presets presets = Presets::Resolve);

// The cartesian product of every entry's sweeps and backends, in suite order:
// for each entry, for each backend, every combination of parameter values with
// the parameters taken in name order (the last name varies fastest) and each
// sweep in the order the suite lists it.
std::vector<CaseTemplate> expand(const Suite& suite);

// How many cases `entry` expands to (backends x product of sweep lengths),
// saturating at SIZE_MAX instead of overflowing.
std::size_t case_count(const BenchmarkEntry& entry);

}  // namespace cb
