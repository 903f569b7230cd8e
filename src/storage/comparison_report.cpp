#include "storage/comparison_report.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <string_view>
#include <vector>

#include "storage/markdown_summary.hpp"
#include "storage/report_text.hpp"

namespace cb {

using stats::Comparison;
using stats::ComparisonRow;
using stats::KindChange;
using stats::Verdict;
using storage::csv_field;
using storage::csv_number;
using storage::json_number;
using storage::json_string;
using storage::percent_change;
using storage::xml_escape;

namespace {

constexpr std::array<Verdict, 8> kVerdicts{
    Verdict::Regression,   Verdict::Improvement, Verdict::Unchanged,
    Verdict::Insufficient, Verdict::New,         Verdict::Missing,
    Verdict::Incomparable, Verdict::Failed};

using Counts = std::array<std::size_t, kVerdicts.size()>;

Counts count(const Comparison& c) {
  Counts n{};
  for (const ComparisonRow& row : c.rows)
    ++n[static_cast<std::size_t>(row.verdict)];
  return n;
}

std::size_t count_of(const Counts& n, Verdict v) {
  return n[static_cast<std::size_t>(v)];
}

// What a reader must act on: listed first, in tables of their own.
bool is_headline(Verdict v) {
  return v == Verdict::Regression || v == Verdict::Improvement;
}

// "2 regressions", "1 improvement", "3 unchanged".
std::string counted(std::size_t n, Verdict v) {
  bool plural = n != 1 && is_headline(v);
  return fmt::format("{} {}{}", n, stats::to_string(v), plural ? "s" : "");
}

// The non-zero counts in verdict order: "2 regressions, 5 unchanged".
std::string counts_text(const Counts& n, bool skip_headline = false) {
  std::string out;
  for (Verdict v : kVerdicts) {
    if (count_of(n, v) == 0) continue;
    if (skip_headline && is_headline(v)) continue;
    out += (out.empty() ? "" : ", ") + counted(count_of(n, v), v);
  }
  return out;
}

// Regressions, then improvements, then the rest, each in model order.
std::vector<const ComparisonRow*> ordered(const Comparison& c) {
  std::vector<const ComparisonRow*> out;
  for (Verdict first : {Verdict::Regression, Verdict::Improvement})
    for (const ComparisonRow& row : c.rows)
      if (row.verdict == first) out.push_back(&row);
  for (const ComparisonRow& row : c.rows)
    if (!is_headline(row.verdict)) out.push_back(&row);
  return out;
}

std::string quantity(double value, const std::string& unit,
                     std::string_view missing) {
  return std::isnan(value) ? std::string(missing)
                           : format_quantity(value, unit);
}

std::string p_text(double p, std::string_view missing) {
  if (std::isnan(p)) return std::string(missing);
  if (p < 1e-4) return "<0.0001";
  return fmt::format("{:.4f}", p);
}

// A geometric-mean "goodness" ratio as a change where + is better.
std::string kind_changes(const std::vector<KindChange>& kinds,
                         std::string_view separator) {
  std::string out;
  for (const KindChange& k : kinds)
    out += fmt::format("{}{} {} ({} metric{})", out.empty() ? "" : separator,
                       k.kind, percent_change(k.geomean_ratio, "n/a"),
                       k.metrics, k.metrics == 1 ? "" : "s");
  return out;
}

// ---- console -------------------------------------------------------------

constexpr std::size_t kConsoleKeyWidth = 64;
constexpr const char* kRed = "\x1b[31m";
constexpr const char* kGreen = "\x1b[32m";
constexpr const char* kReset = "\x1b[0m";

// Long keys keep their head (benchmark, first params) and tail (backend and
// device slot), which is what tells rows apart.
std::string middle_ellipsis(const std::string& text, std::size_t max_width) {
  std::size_t width = storage::display_width(text);
  if (width <= max_width) return text;
  std::size_t head = (max_width - 1) / 2, tail = max_width - 1 - head;
  std::string out, end;
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool starts = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts) ++seen;
    if (seen <= head)
      out += text[i];
    else if (seen > width - tail)
      end += text[i];
  }
  return out + "…" + end;
}

}  // namespace

std::string comparison_console(const Comparison& comparison, bool colour) {
  if (comparison.rows.empty()) return "nothing to compare\n";
  constexpr std::size_t kCols = 7;
  constexpr std::array<bool, kCols> right{false, false, false, true,
                                          true,  true,  true};
  std::vector<std::array<std::string, kCols>> table;
  table.push_back(
      {"verdict", "key", "metric", "baseline", "current", "change", "p"});
  std::vector<const ComparisonRow*> rows = ordered(comparison);
  for (const ComparisonRow* r : rows)
    table.push_back({stats::to_string(r->verdict),
                     middle_ellipsis(r->key, kConsoleKeyWidth), r->metric,
                     quantity(r->baseline_median, r->unit, "-"),
                     quantity(r->current_median, r->unit, "-"),
                     percent_change(r->ratio, "-"), p_text(r->p_value, "-")});
  std::array<std::size_t, kCols> width{};
  for (const auto& line : table)
    for (std::size_t i = 0; i < kCols; ++i)
      width[i] = std::max(width[i], storage::display_width(line[i]));

  std::string out;
  for (std::size_t l = 0; l < table.size(); ++l) {
    const char* paint = nullptr;
    if (colour && l > 0) {
      Verdict v = rows[l - 1]->verdict;
      if (v == Verdict::Regression) paint = kRed;
      if (v == Verdict::Improvement) paint = kGreen;
    }
    std::string line;
    for (std::size_t i = 0; i < kCols; ++i) {
      const std::string& text = table[l][i];
      std::size_t w = storage::display_width(text);
      std::string fill(w < width[i] ? width[i] - w : 0, ' ');
      // The verdict and the change carry the colour (not the padding); the
      // rest stays plain.
      std::string cell = paint && (i == 0 || i == 5)
                             ? std::string(paint) + text + kReset
                             : text;
      line += (i == 0 ? "" : "  ") + (right[i] ? fill + cell : cell + fill);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  out += fmt::format("{} row{}: {}", comparison.rows.size(),
                     comparison.rows.size() == 1 ? "" : "s",
                     counts_text(count(comparison)));
  if (!comparison.by_kind.empty())
    out += "; geomean change by kind (+ is better): " +
           kind_changes(comparison.by_kind, ", ");
  return out + "\n";
}

// ---- Markdown ------------------------------------------------------------

namespace {

// A table cell: '|' would end the cell and a newline the row; <, > and &
// would be read as HTML by GitHub.
std::string md_cell(std::string_view text, std::size_t max_bytes = 200) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\n':
      case '\r':
      case '\t': out += ' '; break;
      default: out += c;
    }
  }
  if (out.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
      --cut;
    // Do not leave half an entity or escape behind.
    auto amp = out.rfind('&', cut);
    if (amp != std::string::npos && out.find(';', amp) >= cut) cut = amp;
    if (cut > 0 && out[cut - 1] == '\\') --cut;
    out = out.substr(0, cut) + "…";
  }
  return out;
}

std::string md_change(const ComparisonRow& r) {
  std::string out = percent_change(r.ratio, "—");
  if (std::isfinite(r.ratio_ci_low) && std::isfinite(r.ratio_ci_high))
    out += " [" + percent_change(r.ratio_ci_low, "?") + ", " +
           percent_change(r.ratio_ci_high, "?") + "]";
  return out;
}

std::string md_row(const ComparisonRow& r, bool with_verdict) {
  std::string cells =
      fmt::format("{} | {} | {} | {} | {} | {}", md_cell(r.key),
                  md_cell(r.metric), quantity(r.baseline_median, r.unit, "—"),
                  quantity(r.current_median, r.unit, "—"), md_change(r),
                  md_cell(p_text(r.p_value, "—")));
  if (!with_verdict) return fmt::format("| {} |\n", cells);
  return fmt::format("| {} | {} | {} |\n", stats::to_string(r.verdict), cells,
                     md_cell(r.reason));
}

std::string md_table(const std::vector<const ComparisonRow*>& rows,
                     bool with_verdict) {
  std::string out = with_verdict ? "| verdict " : "";
  out += "| key | metric | baseline | current | change [CI] | p |";
  out += with_verdict ? " reason |\n| --- " : "\n";
  out += "| --- | --- | ---: | ---: | ---: | ---: |";
  out += with_verdict ? " --- |\n" : "\n";
  for (const ComparisonRow* r : rows) out += md_row(*r, with_verdict);
  return out;
}

std::vector<const ComparisonRow*> rows_with(const Comparison& c, Verdict v) {
  std::vector<const ComparisonRow*> out;
  for (const ComparisonRow& r : c.rows)
    if (r.verdict == v) out.push_back(&r);
  return out;
}

std::vector<const ComparisonRow*> other_rows(const Comparison& c) {
  std::vector<const ComparisonRow*> out;
  for (const ComparisonRow& r : c.rows)
    if (!is_headline(r.verdict)) out.push_back(&r);
  return out;
}

}  // namespace

std::string comparison_markdown(const Comparison& comparison,
                                const ComparisonInfo* info) {
  Counts n = count(comparison);
  std::size_t regressions = count_of(n, Verdict::Regression);
  std::size_t failed = count_of(n, Verdict::Failed);
  std::string out = regressions > 0
                        ? "### ❌ " + counted(regressions, Verdict::Regression)
                        : std::string("### ✅ no regression");
  if (failed > 0) out += fmt::format(" (⚠️ {} failed)", failed);
  out += "\n\n";
  out += fmt::format("{} comparison{}", comparison.rows.size(),
                     comparison.rows.size() == 1 ? "" : "s");
  if (!comparison.rows.empty()) out += ": " + counts_text(n);
  out += ".";
  if (info)
    out += fmt::format(
        " Baseline {} (created {}); threshold {}%, alpha {}, at least {} "
        "samples.",
        md_cell(info->baseline_path), md_cell(info->baseline_created_utc),
        storage::shortest(info->threshold * 100),
        storage::shortest(info->alpha), info->min_samples);
  out += "\n";

  for (Verdict v : {Verdict::Regression, Verdict::Improvement}) {
    auto rows = rows_with(comparison, v);
    if (rows.empty()) continue;
    out += std::string("\n#### ") +
           (v == Verdict::Regression ? "Regressions" : "Improvements") +
           "\n\n" + md_table(rows, false);
  }
  if (auto rest = other_rows(comparison); !rest.empty())
    out += fmt::format(
        "\n<details><summary>{} other row{}: {}</summary>\n\n{}\n</details>\n",
        rest.size(), rest.size() == 1 ? "" : "s", counts_text(n, true),
        md_table(rest, true));
  if (!comparison.by_kind.empty())
    out += "\nGeometric-mean change by kind (+ is better): " +
           kind_changes(comparison.by_kind, " · ") + "\n";
  if (!comparison.rows.empty())
    out +=
        "\nchange: current vs baseline median, with the bootstrap CI of the "
        "ratio; p: Mann-Whitney U, two-sided.\n";
  return out;
}

// ---- CSV -----------------------------------------------------------------

// Same columns, in the same order, as the /comparison table.
std::string comparison_csv(const Comparison& comparison) {
  std::string out =
      "key,metric,baseline_median,current_median,ratio,p_value,verdict,unit,"
      "better,ratio_ci_low,ratio_ci_high,n_baseline,n_current,reason,"
      "benchmark,kind\n";
  for (const ComparisonRow& r : comparison.rows)
    out += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(r.key),
        csv_field(r.metric), csv_number(r.baseline_median),
        csv_number(r.current_median), csv_number(r.ratio),
        csv_number(r.p_value), stats::to_string(r.verdict), csv_field(r.unit),
        to_string(r.better), csv_number(r.ratio_ci_low),
        csv_number(r.ratio_ci_high), r.n_baseline, r.n_current,
        csv_field(r.reason), csv_field(r.benchmark), csv_field(r.kind));
  return out;
}

// ---- JSON ----------------------------------------------------------------

std::string comparison_json(const Comparison& comparison,
                            const ComparisonInfo* info) {
  std::string out = "{\n  \"rows\": [";
  const char* sep = "\n    ";
  for (const ComparisonRow& r : comparison.rows) {
    out += sep;
    sep = ",\n    ";
    out += fmt::format(
        "{{\"key\": {}, \"metric\": {}, \"baseline_median\": {}, "
        "\"current_median\": {}, \"ratio\": {}, \"p_value\": {}, "
        "\"verdict\": {}, \"unit\": {}, \"better\": {}, \"ratio_ci_low\": {}, "
        "\"ratio_ci_high\": {}, \"n_baseline\": {}, \"n_current\": {}, "
        "\"reason\": {}, \"benchmark\": {}, \"kind\": {}}}",
        json_string(r.key), json_string(r.metric),
        json_number(r.baseline_median), json_number(r.current_median),
        json_number(r.ratio), json_number(r.p_value),
        json_string(stats::to_string(r.verdict)), json_string(r.unit),
        json_string(to_string(r.better)), json_number(r.ratio_ci_low),
        json_number(r.ratio_ci_high), r.n_baseline, r.n_current,
        json_string(r.reason), json_string(r.benchmark), json_string(r.kind));
  }
  out += comparison.rows.empty() ? "],\n" : "\n  ],\n";
  out += "  \"by_kind\": [";
  sep = "\n    ";
  for (const KindChange& k : comparison.by_kind) {
    out += sep;
    sep = ",\n    ";
    out += fmt::format(
        "{{\"kind\": {}, \"geomean_ratio\": {}, \"metrics\": {}}}",
        json_string(k.kind), json_number(k.geomean_ratio), k.metrics);
  }
  out += comparison.by_kind.empty() ? "],\n" : "\n  ],\n";
  Counts n = count(comparison);
  out += "  \"counts\": {";
  for (std::size_t i = 0; i < kVerdicts.size(); ++i)
    out += fmt::format("{}{}: {}", i == 0 ? "" : ", ",
                       json_string(stats::to_string(kVerdicts[i])),
                       count_of(n, kVerdicts[i]));
  out += "},\n";
  if (info)
    out += fmt::format(
        "  \"baseline\": {{\"path\": {}, \"created_utc\": {}, \"threshold\": "
        "{}, \"alpha\": {}, \"min_samples\": {}}},\n",
        json_string(info->baseline_path),
        json_string(info->baseline_created_utc), json_number(info->threshold),
        json_number(info->alpha), info->min_samples);
  out += fmt::format("  \"regressions\": {}\n}}\n",
                     count_of(n, Verdict::Regression));
  return out;
}

// ---- JUnit XML -----------------------------------------------------------

namespace {

std::string test_name(const ComparisonRow& r) {
  return r.metric.empty() ? r.key : r.key + " " + r.metric;
}

// The numbers behind a verdict, for the body of a failure.
std::string details(const ComparisonRow& r) {
  return fmt::format("baseline {}, current {}, change {}, p {}, n {}/{}",
                     quantity(r.baseline_median, r.unit, "-"),
                     quantity(r.current_median, r.unit, "-"), md_change(r),
                     p_text(r.p_value, "-"), r.n_baseline, r.n_current);
}

}  // namespace

std::string comparison_junit(const Comparison& comparison) {
  Counts n = count(comparison);
  std::size_t skipped =
      count_of(n, Verdict::Insufficient) + count_of(n, Verdict::New) +
      count_of(n, Verdict::Missing) + count_of(n, Verdict::Incomparable);
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuite name=\"clusterbench\" tests=\"{}\" failures=\"{}\" "
      "errors=\"{}\" skipped=\"{}\">\n",
      comparison.rows.size(), count_of(n, Verdict::Regression),
      count_of(n, Verdict::Failed), skipped);
  for (const ComparisonRow& r : comparison.rows) {
    std::string attrs = fmt::format(
        "classname=\"{}\" name=\"{}\"",
        xml_escape(r.benchmark.empty() ? "clusterbench" : r.benchmark),
        xml_escape(test_name(r)));
    std::string message =
        fmt::format("{}: {}", stats::to_string(r.verdict), r.reason);
    switch (r.verdict) {
      case Verdict::Regression:
        out += storage::junit_testcase(attrs, "failure", message, "regression",
                                       details(r));
        break;
      case Verdict::Failed:
        out += storage::junit_testcase(attrs, "error", message, "failed");
        break;
      case Verdict::Insufficient:
      case Verdict::New:
      case Verdict::Missing:
      case Verdict::Incomparable:
        out += storage::junit_testcase(attrs, "skipped", message);
        break;
      case Verdict::Improvement:
      case Verdict::Unchanged: out += storage::junit_testcase(attrs, ""); break;
    }
  }
  return out + "</testsuite>\n";
}

}  // namespace cb
