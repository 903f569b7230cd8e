#include "storage/markdown_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <sstream>
#include <string_view>

#include "stats/pair_matrix.hpp"
#include "storage/model_summary.hpp"

namespace cb {

namespace {

// Three significant digits, as benchmark tables usually print.
std::string three_digits(double v) {
  double a = std::fabs(v);
  if (a >= 100) return fmt::format("{:.0f}", v);
  if (a >= 10) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}

std::string format_time(double seconds) {
  static constexpr std::array<std::pair<const char*, double>, 4> scales{
      {{"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}}};
  for (const auto& [name, scale] : scales)
    if (std::fabs(seconds) >= scale || scale == 1e-9 || seconds == 0)
      return three_digits(seconds / scale) + " " + name;
  return "";
}

// 1000^position of an SI prefix letter, or -1.
int prefix_power(char c) {
  static constexpr std::string_view prefixes = " kMGTPE";
  if (c == 'K') c = 'k';
  auto at = prefixes.find(c);
  return at == std::string_view::npos || at == 0 ? -1 : static_cast<int>(at);
}

}  // namespace

std::string format_quantity(double value, const std::string& unit) {
  if (!std::isfinite(value)) return fmt::format("{} {}", value, unit);
  if (unit == "s" || unit == "ms" || unit == "us" || unit == "ns") {
    double scale = unit == "s"    ? 1
                   : unit == "ms" ? 1e-3
                   : unit == "us" ? 1e-6
                                  : 1e-9;
    return format_time(value * scale);
  }
  bool scalable = unit.ends_with("/s") || unit.ends_with("B") ||
                  unit.ends_with("FLOP") || unit.ends_with("FLOPS");
  if (!scalable || value == 0)
    return three_digits(value) + (unit.empty() ? "" : " " + unit);
  std::string base = unit;
  int power = 0;
  if (unit.size() > 1 && prefix_power(unit[0]) > 0 &&
      std::isalpha(static_cast<unsigned char>(unit[1]))) {
    power = prefix_power(unit[0]);
    base = unit.substr(1);
  }
  double v = value * std::pow(1000.0, power);
  int out = static_cast<int>(std::floor(std::log10(std::fabs(v)) / 3));
  out = std::max(0, std::min(6, out));
  static constexpr std::string_view names = " kMGTPE";
  std::string prefix = out == 0 ? "" : std::string(1, names[out]);
  return three_digits(v / std::pow(1000.0, out)) + " " + prefix + base;
}

namespace {

// Table cells: a '|' would end the cell, a newline the row.
std::string cell(std::string_view text, std::size_t max_bytes = 160) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  if (out.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
      --cut;
    out = out.substr(0, cut) + "…";
  }
  return out;
}

bool is_bytes_param(const std::string& name) {
  return name == "size" || name.ends_with("_bytes");
}

std::string case_label(const CaseResult& c) {
  std::string out = c.benchmark;
  for (const auto& [name, value] : c.params) {
    const auto* i = std::get_if<std::int64_t>(&value);
    out += " " + name + "=" +
           (i && is_bytes_param(name) ? format_bytes(*i) : to_string(value));
  }
  return out;
}

std::string where(const CaseResult& c) {
  auto at = c.key.rfind('@');
  return at == std::string::npos ? c.backend : c.key.substr(at + 1);
}

std::string ci_percent(const MetricSummary& m) {
  double half = (m.ci_high - m.ci_low) / 2;
  if (m.n == 0 || m.median == 0 || !std::isfinite(half) ||
      !std::isfinite(m.median))
    return "";
  double pct = 100 * half / std::fabs(m.median);
  return pct < 10 ? fmt::format("±{:.1f}%", pct) : fmt::format("±{:.0f}%", pct);
}

// Rates (better = higher) are what readers look for, and so is the one
// unprefixed time of a single-operation case (a ping-pong's latency, a
// collective's time); a case with neither shows its first metric.
std::vector<const MetricSummary*> headline(const CaseResult& c) {
  std::vector<const MetricSummary*> out;
  for (const MetricSummary& m : c.metrics)
    if (m.better == Better::Higher || m.metric == "latency" ||
        m.metric == "time")
      out.push_back(&m);
  if (out.empty() && !c.metrics.empty()) out.push_back(&c.metrics.front());
  return out;
}

// `name = "..."` in the [suite] table; a tiny scan, not a TOML parser.
std::string suite_name(const std::string& toml) {
  std::istringstream in(toml);
  std::string line, section;
  while (std::getline(in, line)) {
    auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    std::string_view l = std::string_view(line).substr(start);
    if (l.starts_with("[")) {
      section = std::string(l);
      continue;
    }
    if (section.rfind("[suite]", 0) != 0 || !l.starts_with("name")) continue;
    auto q1 = l.find_first_of("\"'");
    if (q1 == std::string_view::npos) continue;
    auto q2 = l.find(l[q1], q1 + 1);
    if (q2 != std::string_view::npos)
      return std::string(l.substr(q1 + 1, q2 - q1 - 1));
  }
  return "";
}

// For each all-pairs matrix, the three pairs that are worst for its metric:
// where a slow node or link shows first.
std::string worst_pairs_section(const std::vector<CaseResult>& cases,
                                int world_size) {
  std::string out;
  for (const stats::PairMatrix& m : stats::pair_matrices(cases, world_size)) {
    auto worst = stats::worst_pairs(m, 3);
    if (worst.empty()) continue;
    out += fmt::format("\nWorst pairs, {} {} {}:", m.benchmark, m.params,
                       m.metric);
    for (const stats::WorstPair& p : worst)
      out += fmt::format(" ranks {}-{} {} ({:.2f}x the median pair);", p.a, p.b,
                         format_quantity(p.value, m.unit), p.vs_median);
    out.back() = '\n';
  }
  return out;
}

}  // namespace

std::string markdown_summary(const RunInfo& info,
                             const std::vector<CaseResult>& cases) {
  std::string out = "### clusterbench";
  if (auto name = suite_name(info.suite_text); !name.empty())
    out += " `" + cell(name) + "`";
  out += fmt::format(
      ": {} rank{} on {} node{}, {}\n\n", info.world_size,
      info.world_size == 1 ? "" : "s", info.n_nodes,
      info.n_nodes == 1 ? "" : "s",
      info.status == "complete" ? "complete" : "partial (run did not finish)");
  out += "| case | where | status | metric | median | ±CI | n |\n";
  out += "| --- | --- | --- | --- | ---: | ---: | ---: |\n";

  std::array<int, 4> counts{};
  bool any_invalid = false;
  for (const CaseResult& c : cases) {
    ++counts[static_cast<std::size_t>(c.status)];
    std::string lead = "| " + cell(case_label(c)) + " | " + cell(where(c)) +
                       " | " + to_string(c.status) + " | ";
    auto metrics = headline(c);
    // All-pairs cases are summarised by their worst pairs below, not row by
    // row.
    if (c.status == CaseStatus::Ok && c.key.find(":pair") != std::string::npos)
      continue;
    if (c.status != CaseStatus::Ok || metrics.empty()) {
      std::string why = c.error.empty() ? "—" : cell(c.error, 120);
      out += lead + why + " |  |  |  |\n";
      continue;
    }
    for (const MetricSummary* m : metrics) {
      any_invalid |= !m->valid;
      out += lead + cell(m->metric) + (m->valid ? "" : " ⚠") + " | " +
             format_quantity(m->median, m->unit) + " | " + ci_percent(*m) +
             " | " + std::to_string(m->n) + " |\n";
    }
  }

  out += fmt::format("\n{} case{}", cases.size(), cases.size() == 1 ? "" : "s");
  std::string sep = ": ";
  for (auto s : {CaseStatus::Ok, CaseStatus::Failed, CaseStatus::Skipped,
                 CaseStatus::Timeout}) {
    int n = counts[static_cast<std::size_t>(s)];
    if (n == 0) continue;
    out += sep + std::to_string(n) + " " + to_string(s);
    sep = ", ";
  }
  out += "\n";
  out += worst_pairs_section(cases, info.world_size);
  out += model_sections(cases);
  if (any_invalid)
    out += "\n⚠ output not verified or too few samples: do not trust these.\n";
  return out;
}

}  // namespace cb
