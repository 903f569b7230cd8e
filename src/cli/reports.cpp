#include "cli/reports.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "storage/comparison_report.hpp"
#include "storage/markdown_summary.hpp"
#include "storage/results_report.hpp"

namespace cb {

std::vector<std::string> parse_report_formats(const std::string& list) {
  std::vector<std::string> formats;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    if (item != "md" && item != "csv" && item != "json" && item != "junit")
      throw Error(
          ErrorKind::Input,
          "--report: unknown format '" + item +
              "' (valid: md, csv, json, junit; e.g. --report md,junit)");
    formats.push_back(item);
  }
  return formats;
}

std::string report_prefix(const std::string& h5_path) {
  std::string prefix = h5_path;
  if (prefix.size() > 3 && prefix.ends_with(".h5"))
    prefix.resize(prefix.size() - 3);
  return prefix;
}

std::vector<std::string> report_paths(const std::vector<std::string>& formats,
                                      const std::string& prefix,
                                      bool comparison) {
  std::vector<std::string> paths;
  for (const std::string& format : formats)
    paths.push_back(prefix + (comparison ? ".comparison" : "") +
                    (format == "junit" ? ".junit.xml" : "." + format));
  return paths;
}

namespace {

void write_file(const std::string& path, const std::string& text) {
  const std::string staging = path + ".new-" + std::to_string(getpid());
  {
    std::ofstream out(staging, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(staging, ignored);
      throw Error(ErrorKind::Runtime, "cannot write report '" + path + "'");
    }
  }
  std::error_code error;
  std::filesystem::rename(staging, path, error);
  if (error) {
    std::filesystem::remove(staging, error);
    throw Error(ErrorKind::Runtime, "cannot write report '" + path + "'");
  }
  fmt::print("report: {}\n", path);
}

std::string render(const std::string& format, const RunInfo& info,
                   const std::vector<CaseResult>& cases,
                   const std::optional<stats::Comparison>& comparison) {
  if (comparison) {
    if (format == "md") return comparison_markdown(*comparison);
    if (format == "csv") return comparison_csv(*comparison);
    if (format == "json") return comparison_json(*comparison);
    return comparison_junit(*comparison);
  }
  if (format == "md") return markdown_summary(info, cases);
  if (format == "csv") return results_csv(cases);
  if (format == "json") return results_json(info, cases);
  return results_junit(cases);
}

}  // namespace

void write_reports(const std::vector<std::string>& formats,
                   const std::string& prefix, const RunInfo& info,
                   const std::vector<CaseResult>& cases,
                   const std::optional<stats::Comparison>& comparison,
                   const std::string& markdown_appendix) {
  std::vector<std::string> paths =
      report_paths(formats, prefix, comparison.has_value());
  for (std::size_t i = 0; i < formats.size(); ++i) {
    std::string text = render(formats[i], info, cases, comparison);
    if (formats[i] == "md") text += markdown_appendix;
    write_file(paths[i], text);
  }
}

}  // namespace cb
