// The result report writers (export without a comparison): golden files and
// structural checks.
#include "storage/results_report.hpp"

#include <gtest/gtest.h>

#include "format_checks.hpp"
#include "golden.hpp"
#include "report_fixtures.hpp"

namespace cb {
namespace {

TEST(storageReportGolden, ResultsCsv) {
  golden::expect_matches("results.csv", results_csv(fixture::cases()));
}

TEST(storageReportGolden, ResultsJson) {
  golden::expect_matches("results.json",
                         results_json(fixture::run_info(), fixture::cases()));
}

TEST(storageReportGolden, ResultsJunit) {
  golden::expect_matches("results_junit.xml", results_junit(fixture::cases()));
}

TEST(storageResultsReport, CsvOneRecordPerCaseAndMetric) {
  auto cases = fixture::cases();
  auto records = check::csv_records(results_csv(cases));
  // The ok case has two metrics; the other three one line each.
  ASSERT_EQ(records.size(), 1u + 2 + 3);
  for (const auto& r : records) EXPECT_EQ(r.size(), 18u);
  EXPECT_EQ(records[3][0], fixture::kTrickyKey);
  EXPECT_EQ(records[3][3],
            "causal=true;label=\"a,b\" <x&y>;preset=bert-tiny;scale=2.0");
  EXPECT_EQ(records[3][4], "failed");
  EXPECT_EQ(records[3][5], "");
}

TEST(storageResultsReport, JunitCountsFailuresAndSkips) {
  std::string error;
  auto elements = check::xml_elements(results_junit(fixture::cases()), &error);
  ASSERT_FALSE(elements.empty()) << error;
  const auto& suite = elements[0].attrs;
  EXPECT_EQ(suite.at("tests"), "4");
  EXPECT_EQ(suite.at("failures"), "2");  // failed and timeout
  EXPECT_EQ(suite.at("skipped"), "1");
  EXPECT_EQ(check::count_named(elements, "failure"), 2u);
  EXPECT_EQ(check::count_named(elements, "skipped"), 1u);
}

TEST(storageResultsReport, JsonTypedParamsAndNulls) {
  std::string json = results_json(fixture::run_info(), fixture::cases());
  EXPECT_NE(json.find("\"params\": {\"causal\": true, \"label\": "
                      "\"\\\"a,b\\\" <x&y>\", \"preset\": \"bert-tiny\", "
                      "\"scale\": 2.0}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"ci_high\": null"), std::string::npos);
  EXPECT_NE(json.find("\"error\": \"verification failed: max |Δ| = 3.2e-2 > "
                      "1e-3\\n<&> \\\"x\\\"\""),
            std::string::npos);
}

}  // namespace
}  // namespace cb
