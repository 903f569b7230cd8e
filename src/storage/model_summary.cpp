#include "storage/model_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "stats/interference.hpp"
#include "stats/pool_saturation.hpp"
#include "storage/markdown_summary.hpp"

namespace cb {
namespace {

bool is_model(const CaseResult& c) {
  return c.status == CaseStatus::Ok &&
         (c.benchmark == "model.transformer" || c.benchmark == "model.mlp");
}

const MetricSummary* find(const CaseResult& c, const std::string& metric) {
  for (const MetricSummary& m : c.metrics)
    if (m.metric == metric) return &m;
  return nullptr;
}

std::string param(const CaseResult& c, const std::string& name) {
  auto it = c.params.find(name);
  return it == c.params.end() ? "" : to_string(it->second);
}

// "bert-base b8 s128 forward", or the family and width for custom shapes;
// the element type when it is not float32 ("... forward bfloat16"), so that
// the precisions of one model are not three rows of the same name.
std::string model_label(const CaseResult& c) {
  std::string preset = param(c, "preset");
  std::string name = preset != "custom" && !preset.empty() ? preset
                     : c.benchmark == "model.mlp"
                         ? "mlp " + param(c, "widths")
                         : fmt::format("{} L{} H{}", param(c, "family"),
                                       param(c, "layers"), param(c, "hidden"));
  std::string out = name + " b" + param(c, "batch");
  if (c.benchmark == "model.transformer")
    out += " s" + param(c, "seq") + " " + param(c, "mode");
  const std::string dtype = param(c, "dtype");
  if (!dtype.empty() && dtype != "float32") out += " " + dtype;
  return out;
}

std::string quantity(const MetricSummary* m, double value) {
  return m ? format_quantity(value, m->unit) : "—";
}

// Parameters that say how a case ran on its backend, not what it computed.
const std::set<std::string> kPlacementParams = {
    "threads", "gflop_per_inference", "parameters"};

}  // namespace

std::string model_latency_section(const std::vector<CaseResult>& cases) {
  std::string rows;
  for (const CaseResult& c : cases) {
    if (!is_model(c)) continue;
    const MetricSummary* l = find(c, "latency");
    const MetricSummary* tokens = find(c, "token_throughput");
    const MetricSummary* tp = find(c, "throughput");
    const MetricSummary* flops = find(c, "flops");
    const MetricSummary* memory = find(c, "memory");
    if (l == nullptr) continue;
    rows += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                        model_label(c), c.backend, quantity(l, l->median),
                        quantity(l, l->p90), quantity(l, l->p99),
                        quantity(tp, tp ? tp->median : 0),
                        quantity(tokens, tokens ? tokens->median : 0),
                        quantity(flops, flops ? flops->median : 0),
                        quantity(memory, memory ? memory->median : 0));
  }
  if (rows.empty()) return "";
  return "\nModel inference (latency percentiles over samples; one sample is "
         "one inference when it lasts min_sample_time_s):\n\n"
         "| model | backend | p50 | p90 | p99 | samples/s | tokens/s | "
         "FLOP/s | memory |\n"
         "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n" +
         rows;
}

std::string cross_hardware_section(const std::vector<CaseResult>& cases) {
  // configuration -> backend -> throughput (samples/s)
  std::map<std::string, std::map<std::string, double>> table;
  std::map<std::string, std::string> labels;
  std::set<std::string> backends;
  for (const CaseResult& c : cases) {
    if (!is_model(c)) continue;
    const MetricSummary* tp = find(c, "throughput");
    if (tp == nullptr) continue;
    ParamSet what = c.params;
    for (const auto& name : kPlacementParams) what.erase(name);
    std::string key = c.benchmark + "[" + canonical(what) + "]";
    table[key][c.backend] = tp->median;
    labels[key] = model_label(c);
    backends.insert(c.backend);
  }
  if (table.empty()) return "";
  // The CPU first: the column every ratio is against.
  std::vector<std::string> columns;
  if (backends.count("cpu")) columns.push_back("cpu");
  for (const auto& b : backends)
    if (b != "cpu") columns.push_back(b);
  std::string out =
      "\nThroughput by backend (samples/s; × = ratio to the CPU):\n\n| model |";
  std::string rule = "| --- |";
  for (const auto& b : columns) out += " " + b + " |", rule += " ---: |";
  out += "\n" + rule + "\n";
  // Rows by label, so that one model's sizes and precisions sit together.
  std::vector<std::pair<std::string, std::string>> order;  // label, key
  for (const auto& [key, label] : labels) order.emplace_back(label, key);
  std::sort(order.begin(), order.end());
  for (const auto& [label, key] : order) {
    const auto& by_backend = table[key];
    out.append("| ").append(label).append(" |");
    auto cpu = by_backend.find("cpu");
    for (const auto& b : columns) {
      auto it = by_backend.find(b);
      if (it == by_backend.end()) {
        out += " — |";
        continue;
      }
      out.append(" ").append(format_quantity(it->second, "samples/s"));
      if (b != "cpu" && cpu != by_backend.end() && cpu->second > 0)
        out += fmt::format(" ({:.2f}×)", it->second / cpu->second);
      out += " |";
    }
    out += "\n";
  }
  return out;
}

std::string interference_section(const std::vector<CaseResult>& cases) {
  std::string out;
  for (const stats::Interference& x : stats::interference(cases)) {
    out += fmt::format(
        "\nInterference, case {} (slowdown of the row model "
        "next to the column model; 1.00 = none):\n\n| slowed ↓ "
        "by → |",
        x.case_id);
    std::vector<std::string> columns = x.models;
    if (x.models.size() > 2) columns.push_back(stats::kWithAll);
    std::string rule = "| --- |";
    for (const auto& c : columns) out += " " + c + " |", rule += " ---: |";
    out += "\n" + rule + "\n";
    for (const auto& row : x.models) {
      out += "| " + row + " |";
      for (const auto& column : columns) {
        double s = x.slowdown(row, column);
        out += std::isnan(s) ? " — |" : fmt::format(" {:.2f} |", s);
      }
      out += "\n";
    }
    out += fmt::format(
        "\nAggregate throughput of all {} at once: {} ({:.2f}× time-slicing "
        "them on the device, {}).\n",
        x.models.size(), format_quantity(x.aggregate_throughput, "samples/s"),
        x.time_sliced_throughput > 0
            ? x.aggregate_throughput / x.time_sliced_throughput
            : NAN,
        format_quantity(x.time_sliced_throughput, "samples/s"));
  }
  return out;
}

std::string pool_section(const std::vector<CaseResult>& cases) {
  std::string out;
  for (const stats::PoolSaturation& s : stats::pool_saturation(cases)) {
    out += "\nServing pool, " + s.params +
           ":\n\n| contexts K | requests/s | latency p50 | latency p99 | "
           "queue p50 | pool overhead p50 |\n| ---: | ---: | ---: | ---: | "
           "---: | ---: |\n";
    for (const stats::PoolPoint& p : s.points)
      out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", p.contexts,
                         format_quantity(p.throughput, "requests/s"),
                         format_quantity(p.latency_p50, "s"),
                         format_quantity(p.latency_p99, "s"),
                         format_quantity(p.queue_p50, "s"),
                         format_quantity(p.overhead_p50, "s"));
    out += s.saturated
               ? fmt::format(
                     "\nThroughput stops growing at K = {} (within "
                     "{:.0f}% of the best K).\n",
                     s.saturation_contexts, 100 * stats::kSaturationTolerance)
               : fmt::format(
                     "\nThroughput still grows at the largest K "
                     "swept ({}): sweep further.\n",
                     s.points.back().contexts);
  }
  return out;
}

std::string model_sections(const std::vector<CaseResult>& cases) {
  return model_latency_section(cases) + cross_hardware_section(cases) +
         interference_section(cases) + pool_section(cases);
}

}  // namespace cb
