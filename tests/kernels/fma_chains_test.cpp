#include "cpu/fma_chains.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace k = cb::kernels::cpu;

namespace {

// Every supported instruction set, the best and the baseline included.
std::vector<k::Isa> isas() {
  std::vector<k::Isa> out;
  for (k::Isa isa : {k::Isa::Generic, k::Isa::Avx2, k::Isa::Avx512})
    if (k::supported(isa)) out.push_back(isa);
  return out;
}

template <typename T>
void expect_closed_form(k::Isa isa, std::int64_t reps) {
  const double a = 1.0 - 1.0 / 1024, b = 1.0 / 1024;  // fixed point 1
  const int values = k::fma_shape<T>(isa).values();
  std::vector<T> start(values), out(values);
  for (int i = 0; i < values; ++i) start[i] = T(0.5) + T(i) / T(2 * values);
  k::fma_chains<T>(isa, reps, T(a), T(b), start.data(), out.data());
  const double tolerance = k::fma_tolerance<T>(a, reps);
  for (int i = 0; i < values; ++i) {
    double expected = k::fma_closed_form(start[i], a, b, reps);
    ASSERT_TRUE(std::isfinite(out[i]));
    EXPECT_NEAR(out[i], expected, tolerance * std::fabs(expected))
        << k::to_string(isa) << " value " << i << " reps " << reps;
  }
}

}  // namespace

TEST(FmaChains, MatchTheClosedForm) {
  for (k::Isa isa : isas())
    for (std::int64_t reps : {0, 1, 3, 1000}) {
      expect_closed_form<float>(isa, reps);
      expect_closed_form<double>(isa, reps);
    }
}

TEST(FmaChains, ShapeCoversTheFmaPipelines) {
  EXPECT_EQ(k::fma_shape<double>(k::Isa::Avx512).lanes, 8);
  EXPECT_EQ(k::fma_shape<float>(k::Isa::Avx512).lanes, 16);
  EXPECT_EQ(k::fma_shape<float>(k::Isa::Avx2).lanes, 8);
  EXPECT_EQ(k::fma_shape<double>(k::Isa::Generic).lanes, 2);
  for (k::Isa isa : {k::Isa::Generic, k::Isa::Avx2, k::Isa::Avx512})
    EXPECT_GE(k::fma_shape<double>(isa).chains, 8) << k::to_string(isa);
  EXPECT_TRUE(k::supported(k::best_isa()));
}

TEST(FmaChains, ClosedFormOfTheRecurrence) {
  EXPECT_DOUBLE_EQ(k::fma_closed_form(0.25, 0.5, 1.0, 0), 0.25);
  EXPECT_DOUBLE_EQ(k::fma_closed_form(0.25, 0.5, 1.0, 1), 1.125);
  EXPECT_DOUBLE_EQ(k::fma_closed_form(0.25, 0.5, 1.0, 2), 1.5625);
  EXPECT_NEAR(k::fma_closed_form(0.25, 0.5, 1.0, 200), 2.0, 1e-15);
}
