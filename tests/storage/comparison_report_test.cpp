// The comparison report writers: every format against its golden file, plus
// structural checks that hold whatever the exact text (CSV records, XML
// well-formedness and counts, colour only when asked, regressions first).
#include "storage/comparison_report.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "format_checks.hpp"
#include "golden.hpp"
#include "report_fixtures.hpp"

namespace cb {
namespace {

using stats::Verdict;

TEST(storageReportGolden, ComparisonConsole) {
  golden::expect_matches("comparison_console.txt",
                         comparison_console(fixture::comparison(), false));
}

TEST(storageReportGolden, ComparisonConsoleColour) {
  golden::expect_matches("comparison_console_colour.txt",
                         comparison_console(fixture::comparison(), true));
}

TEST(storageReportGolden, ComparisonMarkdown) {
  auto info = fixture::comparison_info();
  golden::expect_matches("comparison.md",
                         comparison_markdown(fixture::comparison(), &info));
}

TEST(storageReportGolden, ComparisonCsv) {
  golden::expect_matches("comparison.csv",
                         comparison_csv(fixture::comparison()));
}

TEST(storageReportGolden, ComparisonJson) {
  auto info = fixture::comparison_info();
  golden::expect_matches("comparison.json",
                         comparison_json(fixture::comparison(), &info));
}

TEST(storageReportGolden, ComparisonJunit) {
  golden::expect_matches("comparison_junit.xml",
                         comparison_junit(fixture::comparison()));
}

TEST(storageComparisonReport, ColourCodesOnlyWhenAsked) {
  auto c = fixture::comparison();
  std::string plain = comparison_console(c, false);
  std::string colour = comparison_console(c, true);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(colour.find("\x1b[31mregression"), std::string::npos);
  EXPECT_NE(colour.find("\x1b[32mimprovement"), std::string::npos);
  // The colour adds codes and nothing else.
  EXPECT_EQ(std::regex_replace(colour, std::regex("\x1b\\[[0-9;]*m"), ""),
            plain);
}

TEST(storageComparisonReport, ConsoleListsRegressionsThenImprovements) {
  std::string text = comparison_console(fixture::comparison(), false);
  std::vector<std::string> first_words;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    first_words.push_back(line.substr(0, line.find(' ')));
  ASSERT_GE(first_words.size(), 5u);
  EXPECT_EQ(first_words[0], "verdict");
  EXPECT_EQ(first_words[1], "regression");
  EXPECT_EQ(first_words[2], "regression");
  EXPECT_EQ(first_words[3], "improvement");
  EXPECT_EQ(first_words[4], "unchanged");
  // One line per row, a header and the counts.
  EXPECT_EQ(first_words.size(), fixture::comparison().rows.size() + 2);
  EXPECT_NE(text.find("9 rows: 2 regressions, 1 improvement, 1 unchanged"),
            std::string::npos);
}

TEST(storageComparisonReport, ConsoleShortensLongKeysInTheMiddle) {
  stats::Comparison c;
  auto r = fixture::comparison().rows[0];
  r.key = "distributed.alltoall[" + std::string(80, 'x') + "é]@mpi:0-63";
  c.rows.push_back(r);
  std::string text = comparison_console(c, false);
  std::string line = text.substr(text.find('\n') + 1);
  EXPECT_NE(line.find("distributed.alltoall[xxx"), std::string::npos) << text;
  EXPECT_NE(line.find("x…xxx"), std::string::npos) << text;
  EXPECT_NE(line.find("xé]@mpi:0-63  busbw"), std::string::npos) << text;
  EXPECT_EQ(line.find(std::string(60, 'x')), std::string::npos) << text;
}

TEST(storageComparisonReport, MarkdownHeadlineSaysTheOutcome) {
  auto c = fixture::comparison();
  std::string md = comparison_markdown(c);
  EXPECT_TRUE(md.starts_with("### ❌ 2 regressions")) << md;
  EXPECT_NE(md.find("<details><summary>6 other rows"), std::string::npos);
  std::erase_if(c.rows, [](const stats::ComparisonRow& r) {
    return r.verdict == Verdict::Regression || r.verdict == Verdict::Failed;
  });
  md = comparison_markdown(c);
  EXPECT_TRUE(md.starts_with("### ✅ no regression\n")) << md;
  EXPECT_EQ(md.find("#### Regressions"), std::string::npos);
  EXPECT_NE(md.find("#### Improvements"), std::string::npos);
}

TEST(storageComparisonReport, CsvHasOneRecordPerRow) {
  auto c = fixture::comparison();
  auto records = check::csv_records(comparison_csv(c));
  ASSERT_EQ(records.size(), c.rows.size() + 1);
  for (const auto& r : records) EXPECT_EQ(r.size(), 16u);
  EXPECT_EQ(records[0][0], "key");
  // Quoted fields come back whole: the tricky key, the multi-line reason.
  EXPECT_EQ(records[4][0], fixture::kTrickyKey);
  EXPECT_EQ(records[8][13], c.rows[7].reason);
  EXPECT_EQ(records[9][2], "");  // NaN baseline of the failed row
}

TEST(storageComparisonReport, JunitIsWellFormedWithCounts) {
  auto c = fixture::comparison();
  std::string error;
  auto elements = check::xml_elements(comparison_junit(c), &error);
  ASSERT_FALSE(elements.empty()) << error;
  ASSERT_EQ(elements[0].name, "testsuite");
  EXPECT_EQ(check::count_named(elements, "testsuite"), 1u);
  const auto& suite = elements[0].attrs;
  EXPECT_EQ(suite.at("name"), "clusterbench");
  EXPECT_EQ(suite.at("tests"), std::to_string(c.rows.size()));
  EXPECT_EQ(suite.at("failures"), "2");
  EXPECT_EQ(suite.at("errors"), "1");
  EXPECT_EQ(suite.at("skipped"), "4");
  EXPECT_EQ(check::count_named(elements, "testcase"), c.rows.size());
  EXPECT_EQ(check::count_named(elements, "failure"), 2u);
  EXPECT_EQ(check::count_named(elements, "error"), 1u);
  EXPECT_EQ(check::count_named(elements, "skipped"), 4u);
}

TEST(storageComparisonReport, JsonCountsAndNulls) {
  std::string json = comparison_json(fixture::comparison());
  EXPECT_NE(json.find("\"regressions\": 2\n}"), std::string::npos);
  EXPECT_EQ(json.find("nan"), std::string::npos);
  EXPECT_EQ(json.find("inf"), std::string::npos);
  EXPECT_NE(json.find("\"ratio\": null"), std::string::npos);
  EXPECT_EQ(json.find("\"baseline\""), std::string::npos);  // no info given
}

TEST(storageComparisonReport, EmptyComparison) {
  stats::Comparison c;
  EXPECT_EQ(comparison_console(c, true), "nothing to compare\n");
  EXPECT_TRUE(comparison_markdown(c).starts_with("### ✅ no regression"));
  EXPECT_EQ(check::csv_records(comparison_csv(c)).size(), 1u);
  EXPECT_NE(comparison_json(c).find("\"rows\": [],"), std::string::npos);
  std::string error;
  auto elements = check::xml_elements(comparison_junit(c), &error);
  ASSERT_EQ(elements.size(), 1u) << error;
  EXPECT_EQ(elements[0].attrs.at("tests"), "0");
}

}  // namespace
}  // namespace cb
