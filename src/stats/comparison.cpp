#include "stats/comparison.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>

#include "core/param.hpp"
#include "stats/bootstrap.hpp"
#include "stats/history.hpp"
#include "stats/mann_whitney.hpp"

namespace cb::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string format(const char* fmt, double a, double b = 0.0, double c = 0.0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, fmt, a, b, c);
  return buf;
}

std::string percent(double fraction) {
  return format("%.1f%%", fraction * 100.0);
}

std::string quoted(const std::string& s) {
  return "'" + s + "'";
}

// The fastest and slowest rank of a group case (time_min, latency_max, ...)
// come from the same samples as its average: judging them too would count one
// move three times. They stay in /metrics; verdicts are on the rest.
bool judged(const MetricSummary& m) {
  return !m.metric.ends_with("_min") && !m.metric.ends_with("_max");
}

const MetricSummary* find_metric(const CaseResult& c,
                                 const std::string& metric) {
  for (const MetricSummary& m : c.metrics)
    if (m.metric == metric) return &m;
  return nullptr;
}

// The raw samples behind a /metrics row, chosen as summarize_case does: the
// across-ranks series of a group case, else the (first) series of the metric.
std::span<const double> raw_samples(const CaseResult& c,
                                    const std::string& metric) {
  const bool grouped =
      std::any_of(c.samples.begin(), c.samples.end(),
                  [](const Series& s) { return s.rank == kAcrossRanks; });
  for (const Series& s : c.samples)
    if (s.metric == metric && (!grouped || s.rank == kAcrossRanks))
      return s.values;
  return {};
}

ComparisonRow base_row(const CaseResult& c, const MetricSummary* m) {
  ComparisonRow row;
  row.key = c.key;
  row.benchmark = c.benchmark;
  row.kind = c.kind;
  if (m) {
    row.metric = m->metric;
    row.unit = m->unit;
    row.better = m->better;
  }
  return row;
}

// One row per metric of `c` (one with an empty metric if it has none).
void one_sided_rows(const CaseResult& c, Verdict verdict,
                    const std::string& reason, bool is_current,
                    std::vector<ComparisonRow>& rows) {
  auto fill = [&](const MetricSummary* m) {
    ComparisonRow row = base_row(c, m);
    row.verdict = verdict;
    row.reason = reason;
    if (m) {
      const std::size_t n = raw_samples(c, m->metric).size();
      (is_current ? row.current_median : row.baseline_median) = m->median;
      (is_current ? row.n_current : row.n_baseline) = n;
    }
    rows.push_back(std::move(row));
  };
  if (c.metrics.empty()) fill(nullptr);
  for (const MetricSummary& m : c.metrics)
    if (judged(m)) fill(&m);
}

std::string status_reason(const char* side, const CaseResult& c) {
  std::string reason = std::string(side) + " " + cb::to_string(c.status);
  if (!c.error.empty()) reason += ": " + c.error;
  return reason;
}

// A one-sided case keeps its verdict (new/missing); a bad status is noted.
std::string new_or_missing_reason(const CaseResult& c, bool is_current) {
  std::string reason =
      is_current ? "not in baseline" : "not in current results";
  if (c.status != CaseStatus::Ok)
    reason += "; " + status_reason(is_current ? "current" : "baseline", c);
  return reason;
}

// Why two cases with the same key cannot be compared; empty if they can.
std::string incomparable_reason(const CaseResult& cur, const CaseResult& base) {
  if (cur.device_name != base.device_name)
    return "device differs: " + quoted(cur.device_name) + " vs " +
           quoted(base.device_name);
  std::set<std::string> names;
  for (const auto& [name, value] : cur.params) names.insert(name);
  for (const auto& [name, value] : base.params) names.insert(name);
  for (const std::string& name : names) {
    auto c = cur.params.find(name);
    auto b = base.params.find(name);
    if (c == cur.params.end()) return "param '" + name + "' only in baseline";
    if (b == base.params.end()) return "param '" + name + "' only in current";
    if (c->second != b->second)
      return "param '" + name +
             "' differs: " + quoted(cb::to_string(c->second)) + " vs " +
             quoted(cb::to_string(b->second));
  }
  return {};
}

}  // namespace

std::pair<double, double> run_prediction_interval(std::vector<double> medians,
                                                  std::size_t future_runs,
                                                  double confidence) {
  std::vector<double> logs;
  for (double m : medians)
    if (std::isfinite(m) && m > 0) logs.push_back(std::log(m));
  const std::size_t k = logs.size();
  if (k < kMinRunsForSpread) return {ComparisonRow::kNaN, ComparisonRow::kNaN};
  double mean = 0;
  for (double x : logs) mean += x;
  mean /= static_cast<double>(k);
  double ss = 0;
  for (double x : logs) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / static_cast<double>(k - 1));
  const double m = static_cast<double>(std::max<std::size_t>(future_runs, 1));
  const boost::math::students_t t(static_cast<double>(k - 1));
  const double t_quantile =
      boost::math::quantile(boost::math::complement(t, (1.0 - confidence) / 2));
  const double half = t_quantile * sd * std::sqrt(1.0 / m + 1.0 / k);
  return {std::exp(mean - half), std::exp(mean + half)};
}

namespace {

// Both cases ok and comparable: the verdict for one metric present in both.
ComparisonRow compare_metric(const CaseResult& cur, const CaseResult& base,
                             const MetricSummary& mc, const MetricSummary& mb,
                             const CompareSettings& settings) {
  ComparisonRow row = base_row(cur, &mc);
  const std::span<const double> xs = raw_samples(cur, mc.metric);
  const std::span<const double> ys = raw_samples(base, mb.metric);
  row.current_median = mc.median;
  row.baseline_median = mb.median;
  row.n_current = xs.size();
  row.n_baseline = ys.size();

  if (mc.unit != mb.unit) {
    row.verdict = Verdict::Incomparable;
    row.reason = "unit differs: " + quoted(mc.unit) + " vs " + quoted(mb.unit);
    return row;
  }
  if (mc.median == mb.median)
    row.ratio = 1.0;  // also 0 vs 0
  else if (mc.median >= 0.0 && mb.median >= 0.0)
    row.ratio = mc.median / mb.median;  // +inf from a zero baseline
  if (std::isnan(row.ratio)) {
    row.verdict = Verdict::Incomparable;
    row.reason = "ratio of medians undefined (" +
                 format("%g vs %g", mc.median, mb.median) + ")";
    return row;
  }
  if (row.n_current < settings.min_samples ||
      row.n_baseline < settings.min_samples) {
    row.verdict = Verdict::Insufficient;
    row.reason = "n=" + std::to_string(row.n_current) + " current, " +
                 std::to_string(row.n_baseline) + " baseline; need " +
                 std::to_string(settings.min_samples);
    return row;
  }

  row.p_value = mann_whitney_u(xs, ys).p_value;
  std::tie(row.ratio_ci_low, row.ratio_ci_high) = bootstrap_median_ratio_ci(
      xs, ys, settings.ci_confidence, settings.bootstrap_resamples,
      settings.bootstrap_seed);

  const double t = settings.threshold_for(cur.benchmark, mc.metric);
  const bool up = row.ratio > 1.0 + t;
  const bool down = row.ratio < 1.0 / (1.0 + t);
  const bool lower_is_better = mc.better == Better::Lower;
  const bool worse = lower_is_better ? up : down;
  const bool better = lower_is_better ? down : up;
  const bool significant = row.p_value < settings.alpha;

  const std::string moved = (row.ratio >= 1.0 ? "+" : "") +
                            percent(row.ratio - 1.0) + " (" +
                            cb::to_string(mc.better) + " is better)";
  const std::string p = format("p=%.3g", row.p_value);
  const std::string alpha = format("alpha=%g", settings.alpha);
  const std::string threshold = "threshold " + percent(t);
  // Against several runs, the move must also leave the band in which the
  // runs' own medians move (their 95% prediction interval). Every row then
  // says how wide that band is: the smallest move this history can tell
  // from run-to-run noise, whatever the verdict.
  std::string spread;
  if (settings.history) {
    // One current run: its median. Several: the geometric mean of theirs,
    // against the (narrower) interval for a mean of that many runs.
    double now = mc.median;
    std::size_t runs = 1;
    if (settings.current_runs) {
      double log_sum = 0;
      std::size_t n = 0;
      for (double m : trend(*settings.current_runs, cur.key, mc.metric))
        if (std::isfinite(m) && m > 0) {
          log_sum += std::log(m);
          ++n;
        }
      if (n > 0) {
        now = std::exp(log_sum / static_cast<double>(n));
        runs = n;
      }
    }
    // The band's level follows alpha, like the U test's: with alpha = 0.02
    // one run in 100 of an unchanged build leaves it on the slow side.
    const double confidence = 1.0 - settings.alpha;
    auto [low, high] = run_prediction_interval(
        trend(*settings.history, cur.key, mc.metric), runs, confidence);
    if (!std::isnan(low)) {
      const std::string level = format("%g%%", 100.0 * confidence);
      std::string band = "the runs' " + level + " prediction interval [" +
                         format("%.4g", low) + ", " + format("%.4g", high) +
                         "]";
      if (runs > 1)
        band = "the " + level + " prediction interval for a mean of " +
               std::to_string(runs) + " runs [" + format("%.4g", low) + ", " +
               format("%.4g", high) + "] (their geometric mean " +
               format("%.4g", now) + ")";
      const bool inside = now >= low && now <= high;
      if ((worse || better) && significant && inside) {
        row.verdict = Verdict::Unchanged;
        row.reason =
            moved + " beyond " + threshold + ", " + p + ", but inside " + band;
        return row;
      }
      // Half-width as a ratio: the move needed to leave the band.
      const double reach = std::sqrt(high / low) - 1.0;
      spread = (inside ? ", inside " : ", outside ") + band +
               " (moves under ~" + percent(reach) +
               " cannot be told from run-to-run noise)";
    }
  }
  if ((worse || better) && significant) {
    row.verdict = worse ? Verdict::Regression : Verdict::Improvement;
    row.reason =
        moved + ", beyond " + threshold + ", " + p + " < " + alpha + spread;
  } else if (worse || better) {
    row.verdict = Verdict::Unchanged;
    row.reason =
        moved + " beyond " + threshold + " but " + p + " >= " + alpha + spread;
  } else {
    row.verdict = Verdict::Unchanged;
    row.reason = moved + " within " + threshold + ", " + p + spread;
  }
  return row;
}

void compare_case(const CaseResult& cur, const CaseResult& base,
                  const CompareSettings& settings,
                  std::vector<ComparisonRow>& rows) {
  // Metrics of both sides: current's order, then baseline-only ones.
  std::vector<const MetricSummary*> union_metrics;
  for (const MetricSummary& m : cur.metrics)
    if (judged(m)) union_metrics.push_back(&m);
  for (const MetricSummary& m : base.metrics)
    if (judged(m) && !find_metric(cur, m.metric)) union_metrics.push_back(&m);

  auto whole_case = [&](Verdict verdict, const std::string& reason) {
    auto fill = [&](const MetricSummary* m) {
      ComparisonRow row = base_row(cur, m);
      row.verdict = verdict;
      row.reason = reason;
      if (m) {
        if (const MetricSummary* c = find_metric(cur, m->metric)) {
          row.current_median = c->median;
          row.n_current = raw_samples(cur, m->metric).size();
        }
        if (const MetricSummary* b = find_metric(base, m->metric)) {
          row.baseline_median = b->median;
          row.n_baseline = raw_samples(base, m->metric).size();
        }
      }
      rows.push_back(std::move(row));
    };
    if (union_metrics.empty()) fill(nullptr);
    for (const MetricSummary* m : union_metrics) fill(m);
  };

  const bool cur_ok = cur.status == CaseStatus::Ok;
  const bool base_ok = base.status == CaseStatus::Ok;
  if (!cur_ok || !base_ok) {
    std::string reason;
    if (!cur_ok) reason = status_reason("current", cur);
    if (!base_ok)
      reason += (reason.empty() ? "" : "; ") + status_reason("baseline", base);
    // Skipped is not failed: a backend that is absent on both sides (or only
    // now) gives nothing to judge, and must not count as an error.
    bool skipped_now = cur.status == CaseStatus::Skipped;
    bool skipped_then = base.status == CaseStatus::Skipped;
    Verdict verdict = skipped_now && (skipped_then || base_ok)
                          ? Verdict::Insufficient
                      : skipped_then && cur_ok ? Verdict::New
                                               : Verdict::Failed;
    whole_case(verdict, reason);
    return;
  }
  if (std::string why = incomparable_reason(cur, base); !why.empty()) {
    whole_case(Verdict::Incomparable, why);
    return;
  }
  for (const MetricSummary* m : union_metrics) {
    const MetricSummary* mc = find_metric(cur, m->metric);
    const MetricSummary* mb = find_metric(base, m->metric);
    if (mc && mb) {
      rows.push_back(compare_metric(cur, base, *mc, *mb, settings));
    } else {
      ComparisonRow row = base_row(cur, m);
      if (mc) {
        row.verdict = Verdict::New;
        row.reason = "metric not in baseline";
        row.current_median = mc->median;
        row.n_current = raw_samples(cur, m->metric).size();
      } else {
        row.verdict = Verdict::Missing;
        row.reason = "metric not in current results";
        row.baseline_median = mb->median;
        row.n_baseline = raw_samples(base, m->metric).size();
      }
      rows.push_back(std::move(row));
    }
  }
}

std::vector<KindChange> by_kind(const std::vector<ComparisonRow>& rows) {
  std::map<std::string, std::pair<double, std::size_t>> sums;  // log sum, n
  for (const ComparisonRow& row : rows) {
    if (row.verdict != Verdict::Regression &&
        row.verdict != Verdict::Improvement &&
        row.verdict != Verdict::Unchanged)
      continue;
    const double goodness =
        row.better == Better::Higher ? row.ratio : 1.0 / row.ratio;
    if (!std::isfinite(goodness) || goodness <= 0.0) continue;
    auto& [log_sum, n] = sums[row.kind];
    log_sum += std::log(goodness);
    ++n;
  }
  std::vector<KindChange> out;
  for (const auto& [kind, sum] : sums)
    out.push_back({kind, std::exp(sum.first / static_cast<double>(sum.second)),
                   sum.second});
  return out;
}

}  // namespace

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::Regression: return "regression";
    case Verdict::Improvement: return "improvement";
    case Verdict::Unchanged: return "unchanged";
    case Verdict::Insufficient: return "insufficient";
    case Verdict::New: return "new";
    case Verdict::Missing: return "missing";
    case Verdict::Incomparable: return "incomparable";
    case Verdict::Failed: return "failed";
  }
  return "unknown";
}

double CompareSettings::threshold_for(const std::string& benchmark,
                                      const std::string& metric) const {
  if (auto it = metric_threshold.find(benchmark + "." + metric);
      it != metric_threshold.end())
    return it->second;
  if (auto it = metric_threshold.find(metric); it != metric_threshold.end())
    return it->second;
  if (auto it = benchmark_threshold.find(benchmark);
      it != benchmark_threshold.end())
    return it->second;
  return threshold;
}

bool Comparison::any_regression() const {
  return std::any_of(rows.begin(), rows.end(), [](const ComparisonRow& r) {
    return r.verdict == Verdict::Regression;
  });
}

Comparison compare(const std::vector<CaseResult>& current,
                   const std::vector<CaseResult>& baseline,
                   const CompareSettings& settings) {
  std::unordered_map<std::string, const CaseResult*> base_by_key;
  for (const CaseResult& c : baseline) base_by_key.emplace(c.key, &c);
  std::set<std::string> current_keys;

  Comparison out;
  for (const CaseResult& cur : current) {
    current_keys.insert(cur.key);
    auto it = base_by_key.find(cur.key);
    if (it == base_by_key.end())
      one_sided_rows(cur, Verdict::New, new_or_missing_reason(cur, true), true,
                     out.rows);
    else
      compare_case(cur, *it->second, settings, out.rows);
  }
  std::set<std::string> reported;
  for (const CaseResult& base : baseline) {
    if (current_keys.count(base.key) || !reported.insert(base.key).second)
      continue;
    one_sided_rows(base, Verdict::Missing, new_or_missing_reason(base, false),
                   false, out.rows);
  }
  out.by_kind = by_kind(out.rows);
  return out;
}

}  // namespace cb::stats
