#include "storage/results_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <variant>

#include "storage/param_text.hpp"
#include "storage/report_text.hpp"

namespace cb {

using storage::csv_field;
using storage::csv_number;
using storage::json_number;
using storage::json_string;
using storage::xml_escape;

namespace {

// "k=v;k=v": the spelling of /params value_str, so floats stay floats.
std::string params_text(const ParamSet& params) {
  std::string out;
  for (const auto& [name, value] : params)
    out += (out.empty() ? "" : ";") + name + "=" + storage::param_text(value);
  return out;
}

std::string json_param(const ParamValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return json_string(*s);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<std::int64_t>(&value))
    return std::to_string(*i);
  // param_text keeps a float a float ("2.0"), as in /params.
  double d = std::get<double>(value);
  return std::isfinite(d) ? storage::param_text(value) : "null";
}

std::string json_metric(const MetricSummary& m) {
  return fmt::format(
      "{{\"metric\": {}, \"unit\": {}, \"better\": {}, \"n\": {}, "
      "\"min\": {}, \"median\": {}, \"mean\": {}, \"max\": {}, "
      "\"stddev\": {}, \"p05\": {}, \"p90\": {}, \"p95\": {}, "
      "\"p99\": {}, \"ci_low\": {}, "
      "\"ci_high\": {}, \"valid\": {}}}",
      json_string(m.metric), json_string(m.unit),
      json_string(to_string(m.better)), m.n, json_number(m.min),
      json_number(m.median), json_number(m.mean), json_number(m.max),
      json_number(m.stddev), json_number(m.p05), json_number(m.p90),
      json_number(m.p95), json_number(m.p99), json_number(m.ci_low),
      json_number(m.ci_high), m.valid ? "true" : "false");
}

std::string json_case(const CaseResult& c) {
  std::string params;
  for (const auto& [name, value] : c.params)
    params += (params.empty() ? "" : ", ") + json_string(name) + ": " +
              json_param(value);
  std::string metrics;
  for (const MetricSummary& m : c.metrics)
    metrics +=
        (metrics.empty() ? "\n        " : ",\n        ") + json_metric(m);
  return fmt::format(
      "{{\"case_id\": {}, \"key\": {}, \"benchmark\": {}, \"kind\": {}, "
      "\"scope\": {}, \"backend\": {}, \"device_name\": {}, \"ranks\": {}, "
      "\"status\": {}, \"error\": {}, \"wall_s\": {}, \"started_utc\": {},\n"
      "      \"verification\": {},\n"
      "      \"params\": {{{}}},\n      \"metrics\": [{}]}}",
      c.case_id, json_string(c.key), json_string(c.benchmark),
      json_string(c.kind), json_string(c.scope), json_string(c.backend),
      json_string(c.device_name), json_string(c.ranks),
      json_string(to_string(c.status)), json_string(c.error),
      json_number(c.wall_s), json_string(c.started_utc),
      json_string(c.verification), params,
      metrics + (metrics.empty() ? "" : "\n      "));
}

}  // namespace

std::string results_csv(const std::vector<CaseResult>& cases) {
  std::string out =
      "key,benchmark,backend,params,status,metric,unit,better,n,median,"
      "ci_low,ci_high,mean,min,max,valid,p90,p99\n";
  for (const CaseResult& c : cases) {
    std::string lead =
        fmt::format("{},{},{},{},{},", csv_field(c.key), csv_field(c.benchmark),
                    csv_field(c.backend), csv_field(params_text(c.params)),
                    to_string(c.status));
    if (c.metrics.empty()) out += lead + ",,,,,,,,,,,,\n";
    for (const MetricSummary& m : c.metrics)
      out += lead + fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                                csv_field(m.metric), csv_field(m.unit),
                                to_string(m.better), m.n, csv_number(m.median),
                                csv_number(m.ci_low), csv_number(m.ci_high),
                                csv_number(m.mean), csv_number(m.min),
                                csv_number(m.max), m.valid ? "true" : "false",
                                csv_number(m.p90), csv_number(m.p99));
  }
  return out;
}

std::string results_json(const RunInfo& info,
                         const std::vector<CaseResult>& cases) {
  std::string out = fmt::format(
      "{{\n  \"run\": {{\"tool_version\": {}, \"git_commit\": {}, "
      "\"created_utc\": {}, \"finished_utc\": {}, \"status\": {}, "
      "\"command_line\": {}, \"world_size\": {}, \"n_nodes\": {}, "
      "\"mpi_library\": {}, \"hdf5_version\": {}, \"backends_built\": {}, "
      "\"slurm_job_id\": {},\n    \"suite\": {}}},\n  \"cases\": [",
      json_string(info.tool_version), json_string(info.git_commit),
      json_string(info.created_utc), json_string(info.finished_utc),
      json_string(info.status), json_string(info.command_line), info.world_size,
      info.n_nodes, json_string(info.mpi_library),
      json_string(info.hdf5_version), json_string(info.backends_built),
      json_string(info.slurm_job_id), json_string(info.suite_text));
  const char* sep = "\n    ";
  for (const CaseResult& c : cases) {
    out += sep + json_case(c);
    sep = ",\n    ";
  }
  return out + (cases.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

std::string results_junit(const std::vector<CaseResult>& cases) {
  std::size_t failures = 0, skipped = 0;
  for (const CaseResult& c : cases) {
    if (c.status == CaseStatus::Failed || c.status == CaseStatus::Timeout)
      ++failures;
    if (c.status == CaseStatus::Skipped) ++skipped;
  }
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuite name=\"clusterbench\" tests=\"{}\" failures=\"{}\" "
      "errors=\"0\" skipped=\"{}\">\n",
      cases.size(), failures, skipped);
  for (const CaseResult& c : cases) {
    std::string attrs = fmt::format(
        "classname=\"{}\" name=\"{}\" time=\"{}\"",
        xml_escape(c.benchmark.empty() ? "clusterbench" : c.benchmark),
        xml_escape(c.key),
        std::isfinite(c.wall_s) ? storage::shortest(c.wall_s) : "0");
    std::string message =
        c.error.empty() ? std::string(to_string(c.status))
                        : fmt::format("{}: {}", to_string(c.status), c.error);
    switch (c.status) {
      case CaseStatus::Ok: out += storage::junit_testcase(attrs, ""); break;
      case CaseStatus::Failed:
      case CaseStatus::Timeout:
        out += storage::junit_testcase(attrs, "failure", message,
                                       to_string(c.status), c.error);
        break;
      case CaseStatus::Skipped:
        out += storage::junit_testcase(attrs, "skipped", message);
        break;
    }
  }
  return out + "</testsuite>\n";
}

}  // namespace cb
