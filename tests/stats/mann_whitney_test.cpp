#include "stats/mann_whitney.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cb::stats {
namespace {

// Expected values come from fixtures/mann_whitney.csv, written by
// fixtures/make_mann_whitney.py with SciPy 1.10.1 (method='auto').
struct Fixture {
  std::string name;
  std::vector<double> x, y;
  double u = 0, p = 0;
  bool exact = false;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) parts.push_back(part);
  return parts;
}

std::vector<double> numbers(const std::string& s) {
  std::vector<double> out;
  for (const std::string& v : split(s, ';')) out.push_back(std::stod(v));
  return out;
}

std::vector<Fixture> load_fixtures() {
  std::ifstream in(std::string(CB_FIXTURES_DIR) + "/mann_whitney.csv");
  EXPECT_TRUE(in) << "cannot open " << CB_FIXTURES_DIR << "/mann_whitney.csv";
  std::vector<Fixture> out;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      EXPECT_EQ(line, "name,x,y,u,p,exact");
      continue;
    }
    const std::vector<std::string> f = split(line, ',');
    EXPECT_EQ(f.size(), 6u) << line;
    if (f.size() != 6) continue;
    out.push_back({f[0], numbers(f[1]), numbers(f[2]), std::stod(f[3]),
                   std::stod(f[4]), f[5] == "1"});
  }
  return out;
}

TEST(MannWhitney, MatchesScipyFixtures) {
  const std::vector<Fixture> fixtures = load_fixtures();
  ASSERT_GE(fixtures.size(), 15u);
  for (const Fixture& f : fixtures) {
    SCOPED_TRACE(f.name);
    const MannWhitney r = mann_whitney_u(f.x, f.y);
    EXPECT_EQ(r.u, f.u);
    EXPECT_EQ(r.exact, f.exact);
    EXPECT_NEAR(r.p_value, f.p, 1e-9 * f.p);
  }
}

TEST(MannWhitney, UIsStatisticOfFirstSample) {
  const std::vector<double> x = {19, 22, 16, 29, 24}, y = {20, 11, 17, 12};
  const MannWhitney xy = mann_whitney_u(x, y);
  const MannWhitney yx = mann_whitney_u(y, x);
  EXPECT_EQ(xy.u, 17.0);
  EXPECT_EQ(yx.u, 3.0);  // n1 * n2 - U1
  EXPECT_DOUBLE_EQ(xy.p_value, yx.p_value);
}

TEST(MannWhitney, ExactRuleFollowsScipyAuto) {
  std::vector<double> eight(8), nine(9), many(30);
  for (std::size_t i = 0; i < 8; ++i) eight[i] = static_cast<double>(i);
  for (std::size_t i = 0; i < 9; ++i) nine[i] = 100.0 + static_cast<double>(i);
  for (std::size_t i = 0; i < 30; ++i) many[i] = 0.5 + static_cast<double>(i);
  EXPECT_TRUE(mann_whitney_u(eight, many).exact);  // smaller sample <= 8
  EXPECT_FALSE(mann_whitney_u(nine, many).exact);  // both > 8
  std::vector<double> tied = eight;
  tied[1] = tied[0];
  EXPECT_FALSE(mann_whitney_u(tied, many).exact);  // ties
  // A tie across the two samples counts too.
  std::vector<double> other = {0.0, 50.0, 60.0};
  EXPECT_FALSE(mann_whitney_u(eight, other).exact);
}

TEST(MannWhitney, ExactIsSymmetricAndSumsToOne) {
  // Every U from 0 to n1*n2 for 3 vs 4 samples: p is 2*min(cdf, sf) clipped,
  // symmetric in U <-> n1*n2 - U, and 1 at the centre.
  const std::vector<double> y = {1.5, 3.5, 5.5, 7.5};
  const MannWhitney low = mann_whitney_u(std::vector<double>{0, 0.5, 1}, y);
  const MannWhitney high = mann_whitney_u(std::vector<double>{8, 9, 10}, y);
  EXPECT_EQ(low.u, 0.0);
  EXPECT_EQ(high.u, 12.0);
  EXPECT_DOUBLE_EQ(low.p_value, 2.0 / 35.0);  // 2 / binom(7, 3)
  EXPECT_DOUBLE_EQ(high.p_value, low.p_value);
}

TEST(MannWhitney, EmptyOrNanGivesNan) {
  const std::vector<double> some = {1.0, 2.0, 3.0}, none;
  EXPECT_TRUE(std::isnan(mann_whitney_u(none, some).p_value));
  EXPECT_TRUE(std::isnan(mann_whitney_u(some, none).p_value));
  EXPECT_TRUE(std::isnan(mann_whitney_u(none, none).p_value));
  const std::vector<double> with_nan = {1.0, std::nan(""), 3.0};
  EXPECT_TRUE(std::isnan(mann_whitney_u(with_nan, some).p_value));
}

TEST(MannWhitney, LargeSamplesStayFinite) {
  std::vector<double> x(5000), y(4000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i % 97);
  for (std::size_t i = 0; i < y.size(); ++i)
    y[i] = static_cast<double>(i % 89) + 0.25;
  const MannWhitney r = mann_whitney_u(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_TRUE(std::isfinite(r.p_value));
  EXPECT_GE(r.p_value, 0.0);
  EXPECT_LE(r.p_value, 1.0);
}

}  // namespace
}  // namespace cb::stats
