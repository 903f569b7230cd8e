// Key content of the Markdown summary (not its exact text, which may be
// polished freely): one row per headline metric, readable units, failures
// with their reason, and the count by status.
#include "storage/markdown_summary.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "sample_results.hpp"

namespace cb {
namespace {

std::vector<std::string> lines_with(const std::string& text,
                                    const std::string& needle) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) out.push_back(line);
  return out;
}

TEST(storageMarkdown, HeaderNamesSuiteRanksNodesAndStatus) {
  RunInfo info = sample::sample_run_info();
  info.status = "complete";
  std::string md = markdown_summary(info, {});
  std::string first = md.substr(0, md.find('\n'));
  EXPECT_NE(first.find("`smoke`"), std::string::npos) << first;
  EXPECT_NE(first.find("4 ranks on 2 nodes"), std::string::npos) << first;
  EXPECT_NE(first.find("complete"), std::string::npos) << first;
  info.status = "partial";
  EXPECT_NE(markdown_summary(info, {}).find("partial"), std::string::npos);
}

TEST(storageMarkdown, OneRowPerHeadlineMetric) {
  auto cases = sample::sample_cases();
  std::string md = markdown_summary(sample::sample_run_info(), cases);
  // STREAM (one op per case in this sample): its rate and its unprefixed time.
  EXPECT_EQ(lines_with(md, "hardware.stream array_bytes=64MiB op=triad | cpu:")
                .size(),
            8u);
  EXPECT_EQ(lines_with(md, "| bandwidth |").size(), 4u) << md;
  // Allreduce: busbw per size; sizes printed as bytes.
  auto rows = lines_with(md, "| busbw |");
  EXPECT_EQ(rows.size(), 4u) << md;
  EXPECT_EQ(lines_with(md,
                       "distributed.allreduce dtype=float32 in_place=true "
                       "size=64KiB")
                .size(),
            2u)
      << md;
  EXPECT_EQ(lines_with(md, "| mpi:0-3 |").size(), 8u);  // time and busbw
  for (const std::string& row : rows)
    EXPECT_NE(row.find("B/s"), std::string::npos) << row;
}

TEST(storageMarkdown, CaseWithoutRateShowsItsFirstMetric) {
  CaseResult c;
  c.benchmark = "distributed.barrier";
  c.key = "distributed.barrier[]@mpi:0-3";
  MetricSummary time{"time", "s", Better::Lower, 20, 0, 4.56e-6};
  time.ci_low = 4.5e-6;
  time.ci_high = 4.62e-6;
  time.valid = true;
  c.metrics = {time};
  std::string md = markdown_summary(sample::sample_run_info(), {c});
  auto rows = lines_with(md, "distributed.barrier");
  ASSERT_EQ(rows.size(), 1u) << md;
  EXPECT_NE(rows[0].find("| time | 4.56 us | ±1.3% | 20 |"), std::string::npos)
      << rows[0];
}

TEST(storageMarkdown, FailedAndSkippedShowTheirReason) {
  auto cases = sample::sample_cases();
  std::string md = markdown_summary(sample::sample_run_info(), cases);
  auto failed = lines_with(md, "| failed |");
  ASSERT_EQ(failed.size(), 1u) << md;
  EXPECT_NE(failed[0].find("verification failed: max \\|Δ\\|"),
            std::string::npos)
      << failed[0];
  auto skipped = lines_with(md, "| skipped |");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].find("CUDA: not built"), std::string::npos);
  EXPECT_NE(md.find("10 cases: 8 ok, 1 failed, 1 skipped"), std::string::npos)
      << md;
}

TEST(storageMarkdown, InvalidMetricIsFlagged) {
  CaseResult c;
  c.benchmark = "hardware.copy";
  c.metrics = {{"bandwidth", "GB/s", Better::Higher, 2, 1, 2, 2, 2, 0}};
  std::string md = markdown_summary(sample::sample_run_info(), {c});
  EXPECT_EQ(lines_with(md, "bandwidth ⚠").size(), 1u) << md;
}

TEST(storageFormat, QuantitiesUseSiPrefixes) {
  EXPECT_EQ(format_quantity(12.3, "GB/s"), "12.3 GB/s");
  EXPECT_EQ(format_quantity(12345, "MB/s"), "12.3 GB/s");
  EXPECT_EQ(format_quantity(0.5, "GB/s"), "500 MB/s");
  EXPECT_EQ(format_quantity(4.56e-6, "s"), "4.56 us");
  EXPECT_EQ(format_quantity(0.0123, "s"), "12.3 ms");
  EXPECT_EQ(format_quantity(2.5, "s"), "2.50 s");
  EXPECT_EQ(format_quantity(8.1e-10, "s"), "0.81 ns");
  EXPECT_EQ(format_quantity(1.5e12, "FLOP/s"), "1.50 TFLOP/s");
  EXPECT_EQ(format_quantity(3, "%"), "3.00 %");
  EXPECT_EQ(format_quantity(3, ""), "3.00");
}

}  // namespace
}  // namespace cb
