// clusterbench-device-check: runs hardware benchmarks on one device through
// the same benchmark classes and measurement loop as `clusterbench run`, but
// without MPI, HDF5 or a suite, for checking a GPU node (launch/gpu-check.sh
// builds it where only CUDA and CMake exist). Prints one line per metric and
// exits 1 if any case failed its verification or did not run.
//   clusterbench-device-check [--backend cuda] [--device 0] [--time S]
//       benchmark[:param=value,...] ...
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "config/sweep.hpp"
#include "core/case_lifecycle.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/measurement.hpp"
#include "core/registry.hpp"
#include "stats/case_summary.hpp"
#include "stats/summary.hpp"

namespace cb {
namespace {

struct Options {
  std::string backend = "cuda";
  int device = 0;
  double time_s = 2.0;
  std::vector<std::string> cases;
};

ParamValue parse_value(const ParamSpec& spec, const std::string& text) {
  switch (spec.type) {
    case ParamType::Int:
    case ParamType::Bytes:
      if (auto v = parse_bytes(text)) return *v;
      throw Error(ErrorKind::Input, spec.name + ": not a count: " + text);
    case ParamType::Float: return std::stod(text);
    case ParamType::Bool: return text == "true" || text == "1";
    case ParamType::String: return text;
  }
  return text;
}

// "hardware.gemm:dtype=bfloat16,n=8192" -> the benchmark and its parameters
// (defaults for the rest).
ParamSet parse_case(const std::string& text,
                    const RegisteredBenchmark*& entry) {
  std::string name = text.substr(0, text.find(':'));
  entry = Registry::instance().find(name);
  if (!entry)
    throw Error(ErrorKind::Input,
                "unknown benchmark " + name + " (did you mean " +
                    Registry::instance().closest(name) + "?)");
  ParamSet params;
  for (const ParamSpec& spec : entry->info.params)
    params[spec.name] = spec.default_value;
  // A comma starts the next parameter only where "name=" follows and it is
  // outside braces, so that values may hold commas (model.mlp's widths =
  // "784,512,10"; cross_model's model_shapes = "a{family=bert,...};b{...}").
  auto next_param = [&](std::size_t from) {
    int depth = 0;
    for (std::size_t c = from; c < text.size(); ++c) {
      depth += text[c] == '{' ? 1 : text[c] == '}' ? -1 : 0;
      if (text[c] != ',' || depth > 0) continue;
      std::size_t eq = text.find('=', c + 1);
      if (eq == std::string::npos) return std::string::npos;
      std::string param = text.substr(c + 1, eq - c - 1);
      if (!param.empty() &&
          param.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789") ==
              std::string::npos)
        return c;
    }
    return std::string::npos;
  };
  std::size_t at = text.find(':');
  while (at != std::string::npos) {
    std::size_t next = next_param(at + 1);
    std::string item = text.substr(at + 1, next - at - 1);
    std::size_t eq = item.find('=');
    std::string key = item.substr(0, eq);
    const ParamSpec* spec = nullptr;
    for (const ParamSpec& s : entry->info.params)
      if (s.name == key) spec = &s;
    if (!spec || eq == std::string::npos)
      throw Error(ErrorKind::Input, name + ": bad parameter '" + item + "'");
    params[key] = parse_value(*spec, item.substr(eq + 1));
    at = next;
  }
  return params;
}

// Runs one case through the runner's lifecycle; returns false if it failed.
bool run_case(const std::string& text, const Options& options,
              MeasurementLoop& loop) {
  const RegisteredBenchmark* entry = nullptr;
  CaseResult result;
  result.params = parse_case(text, entry);
  result.benchmark = entry->info.name;
  result.backend = options.backend;
  CaseContext ctx;
  ctx.params = result.params;
  ctx.backend = options.backend;
  ctx.device_index = options.device;
  ctx.resources.pus = static_cast<int>(std::thread::hardware_concurrency());
  MeasureSettings settings;
  settings.max_time_s = options.time_s;
  SteadyClock wall;
  double start = wall.now_s();
  run_case_lifecycle(entry, ctx, settings, loop, 0, "", result);
  const std::string verdict = result.status == CaseStatus::Ok
                                  ? "verified: " + result.verification
                                  : result.error;
  stats::summarize_case(result);
  std::printf("%s %s [%s] %s:%d  %.1f s\n", to_string(result.status),
              result.benchmark.c_str(), canonical(result.params).c_str(),
              options.backend.c_str(), options.device, wall.now_s() - start);
  for (const MetricSummary& s : result.metrics)
    if (s.metric.find("time") == std::string::npos)
      std::printf(
          "    %-22s median %10.4g %-8s 95%% CI [%.4g, %.4g]  max %.4g  "
          "n=%zu\n",
          s.metric.c_str(), s.median, s.unit.c_str(), s.ci_low, s.ci_high,
          s.max, s.n);
  std::printf("    %s\n", verdict.c_str());
  std::fflush(stdout);
  return result.status == CaseStatus::Ok;
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw Error(ErrorKind::Input, arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--backend")
      o.backend = next();
    else if (arg == "--device")
      o.device = std::stoi(next());
    else if (arg == "--time")
      o.time_s = std::stod(next());
    else if (arg == "-h" || arg == "--help")
      throw Error(ErrorKind::Input,
                  "usage: clusterbench-device-check [--backend B] [--device N] "
                  "[--time S] benchmark[:param=value,...] ...");
    else
      o.cases.push_back(arg);
  }
  return o;
}

}  // namespace
}  // namespace cb

int main(int argc, char** argv) {
  using namespace cb;
  try {
    Options options = parse_options(argc, argv);
    SteadyClock clock;
    MeasurementLoop loop(clock, stats::precise_enough);
    int failed = 0;
    for (const std::string& c : options.cases)
      failed += !run_case(c, options, loop);
    std::printf("device check: %zu case(s), %d not ok\n", options.cases.size(),
                failed);
    return failed ? 1 : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "clusterbench-device-check: %s\n", e.what());
    return 2;
  }
}
