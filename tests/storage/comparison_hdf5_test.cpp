// /comparison and /comparison_by_kind: what Hdf5Writer::write_comparison
// stores reads back equal through read_comparison, NaN and infinities
// included; a file without a comparison reads as nullopt.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>

#include "core/error.hpp"
#include "report_fixtures.hpp"
#include "sample_results.hpp"
#include "storage/hdf5_reader.hpp"
#include "storage/hdf5_writer.hpp"

namespace cb {
namespace {

namespace fs = std::filesystem;

class storageComparisonHdf5 : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cb_reports_XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name) const { return dir_ / name; }

  fs::path dir_;
};

// Equal, or both NaN.
void expect_same_number(double a, double b, const char* what) {
  if (std::isnan(a))
    EXPECT_TRUE(std::isnan(b)) << what;
  else
    EXPECT_EQ(a, b) << what;
}

void expect_same(const stats::Comparison& a, const stats::Comparison& b) {
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    const stats::ComparisonRow &x = a.rows[i], &y = b.rows[i];
    EXPECT_EQ(x.key, y.key);
    EXPECT_EQ(x.benchmark, y.benchmark);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.metric, y.metric);
    EXPECT_EQ(x.unit, y.unit);
    EXPECT_EQ(x.better, y.better);
    expect_same_number(x.baseline_median, y.baseline_median, "baseline");
    expect_same_number(x.current_median, y.current_median, "current");
    expect_same_number(x.ratio, y.ratio, "ratio");
    expect_same_number(x.ratio_ci_low, y.ratio_ci_low, "ci_low");
    expect_same_number(x.ratio_ci_high, y.ratio_ci_high, "ci_high");
    expect_same_number(x.p_value, y.p_value, "p");
    EXPECT_EQ(x.n_baseline, y.n_baseline);
    EXPECT_EQ(x.n_current, y.n_current);
    EXPECT_EQ(x.verdict, y.verdict);
    EXPECT_EQ(x.reason, y.reason);
  }
  ASSERT_EQ(a.by_kind.size(), b.by_kind.size());
  for (std::size_t i = 0; i < a.by_kind.size(); ++i) {
    EXPECT_EQ(a.by_kind[i].kind, b.by_kind[i].kind);
    EXPECT_EQ(a.by_kind[i].geomean_ratio, b.by_kind[i].geomean_ratio);
    EXPECT_EQ(a.by_kind[i].metrics, b.by_kind[i].metrics);
  }
}

TEST_F(storageComparisonHdf5, RoundTripsEveryVerdict) {
  auto comparison = fixture::comparison();
  auto info = fixture::comparison_info();
  auto cases = sample::sample_cases();
  {
    Hdf5Writer writer(file("run.h5"), sample::sample_run_info(),
                      sample::sample_inventory());
    for (const CaseResult& c : cases) writer.append(c);
    writer.write_comparison(comparison, info);
    writer.finish("2024-05-01T12:10:00Z");
  }
  auto back = read_comparison(file("run.h5"));
  ASSERT_TRUE(back.has_value());
  expect_same(comparison, *back);
  auto info_back = read_comparison_info(file("run.h5"));
  ASSERT_TRUE(info_back.has_value());
  EXPECT_EQ(info_back->baseline_path, info.baseline_path);
  EXPECT_EQ(info_back->baseline_created_utc, info.baseline_created_utc);
  EXPECT_EQ(info_back->threshold, info.threshold);
  EXPECT_EQ(info_back->alpha, info.alpha);
  EXPECT_EQ(info_back->min_samples, info.min_samples);
  // The rest of the file is untouched.
  EXPECT_EQ(read_results(file("run.h5")).cases.size(), cases.size());
}

// Readable as soon as written (flushed), even if the writer is still open.
TEST_F(storageComparisonHdf5, FlushedWhenWritten) {
  Hdf5Writer writer(file("open.h5"), sample::sample_run_info(),
                    sample::sample_inventory());
  writer.write_comparison(fixture::comparison(), fixture::comparison_info());
  auto back = read_comparison(file("open.h5"));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->rows.size(), fixture::comparison().rows.size());
}

TEST_F(storageComparisonHdf5, SecondWriteReplacesTheFirst) {
  stats::Comparison small;
  small.rows.push_back(fixture::comparison().rows[1]);
  {
    Hdf5Writer writer(file("twice.h5"), sample::sample_run_info(),
                      sample::sample_inventory());
    writer.write_comparison(fixture::comparison(), fixture::comparison_info());
    auto info = fixture::comparison_info();
    info.threshold = 0.1;
    writer.write_comparison(small, info);
  }
  auto back = read_comparison(file("twice.h5"));
  ASSERT_TRUE(back.has_value());
  expect_same(small, *back);
  EXPECT_EQ(read_comparison_info(file("twice.h5"))->threshold, 0.1);
}

TEST_F(storageComparisonHdf5, EmptyComparisonIsStillAComparison) {
  {
    Hdf5Writer writer(file("empty.h5"), sample::sample_run_info(),
                      sample::sample_inventory());
    writer.write_comparison({}, fixture::comparison_info());
  }
  auto back = read_comparison(file("empty.h5"));
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(back->rows.empty());
  EXPECT_TRUE(back->by_kind.empty());
}

TEST_F(storageComparisonHdf5, NoComparisonWithoutBaseline) {
  {
    Hdf5Writer writer(file("plain.h5"), sample::sample_run_info(),
                      sample::sample_inventory());
    writer.finish("2024-05-01T12:10:00Z");
  }
  EXPECT_FALSE(read_comparison(file("plain.h5")).has_value());
  EXPECT_FALSE(read_comparison_info(file("plain.h5")).has_value());
}

TEST_F(storageComparisonHdf5, NotAResultFileIsAnInputError) {
  try {
    read_comparison(file("absent.h5"));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Input);
  }
}

}  // namespace
}  // namespace cb
