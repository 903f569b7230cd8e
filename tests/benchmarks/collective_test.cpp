#include "benchmarks/distributed/collective.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace cb::collective {
namespace {

TEST(CollectiveHarness, BusFactorsAreNcclTests) {
  EXPECT_DOUBLE_EQ(allreduce_bus_factor(1), 0.0);
  EXPECT_DOUBLE_EQ(allreduce_bus_factor(2), 1.0);
  EXPECT_DOUBLE_EQ(allreduce_bus_factor(4), 1.5);
  EXPECT_DOUBLE_EQ(allreduce_bus_factor(8), 1.75);
  EXPECT_DOUBLE_EQ(gather_bus_factor(2), 0.5);
  EXPECT_DOUBLE_EQ(gather_bus_factor(4), 0.75);
  EXPECT_DOUBLE_EQ(rooted_bus_factor(16), 1.0);
}

TEST(CollectiveHarness, BuffersRoundTripEveryDtype) {
  for (const char* name :
       {"float32", "float64", "int32", "float16", "bfloat16"}) {
    Buffer b;
    b.resize(dtype_named(name), 5);
    EXPECT_EQ(b.count(), 5u);
    b.store(3, 112.0);
    EXPECT_EQ(b.load(3), 112.0) << name;
    EXPECT_EQ(b.load(0), 0.0) << name;
    b.zero();
    EXPECT_EQ(b.load(3), 0.0) << name;
  }
  EXPECT_ANY_THROW(dtype_named("float8"));
}

TEST(CollectiveHarness, ValidationCountsCorruptedAndNanElements) {
  Buffer b;
  b.resize(dtype_named("float32"), 100);
  auto expected = [](std::size_t i) { return input(3, i); };
  for (std::size_t i = 0; i < 100; ++i) b.store(i, expected(i));
  EXPECT_EQ(count_mismatches(b, 0, 100, expected), 0u);
  b.store(17, expected(17) + 1);  // one corrupted element
  EXPECT_EQ(count_mismatches(b, 0, 100, expected), 1u);
  b.store(42, std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(count_mismatches(b, 0, 100, expected), 2u);
  EXPECT_EQ(count_mismatches(b, 50, 50, expected), 0u);  // only the range asked
}

TEST(CollectiveHarness, SumsStayExactInFloat32AtLargeScale) {
  // The largest element of a sum over 100,000 ranks must still be an exact
  // float32, or validation would flag correct results.
  double largest = rank_sum(100000) * 7;
  EXPECT_LT(largest, 1 << 24);
  EXPECT_EQ(static_cast<double>(static_cast<float>(largest)), largest);
  EXPECT_DOUBLE_EQ(rank_sum(4), 1 + 2 + 3 + 4);
  EXPECT_DOUBLE_EQ(rank_sum(17), 136 + 1);  // rank 16 wraps to 1
}

}  // namespace
}  // namespace cb::collective

namespace cb::collective {
namespace {

// Bit patterns from the IEEE binary16 and bfloat16 definitions.
TEST(CollectiveHarness, HalfTypesStoreTheRightBits) {
  Buffer h, b;
  h.resize(dtype_named("float16"), 4);
  b.resize(dtype_named("bfloat16"), 4);
  const double values[] = {1.0, -2.5, 65504.0, 1.0 + 1.0 / 4096};
  for (int i = 0; i < 4; ++i) h.store(i, values[i]), b.store(i, values[i]);
  auto bits = [](Buffer& x, int i) {
    std::uint16_t v;
    std::memcpy(&v, static_cast<char*>(x.data()) + 2 * i, 2);
    return v;
  };
  EXPECT_EQ(bits(h, 0), 0x3c00);
  EXPECT_EQ(bits(h, 1), 0xc100);
  EXPECT_EQ(bits(h, 2), 0x7bff);  // the largest half
  EXPECT_EQ(bits(h, 3), 0x3c00);  // 1 + 2^-12 rounds to 1 (ties to even)
  EXPECT_EQ(bits(b, 0), 0x3f80);
  EXPECT_EQ(bits(b, 1), 0xc020);
  EXPECT_EQ(h.load(1), -2.5);
  EXPECT_EQ(b.load(2), 65536.0);  // 8 significant bits
}

TEST(CollectiveHarness, HalfTypesAllowRoundingButNotWrongValues) {
  Dtype bf = dtype_named("bfloat16"), f32 = dtype_named("float32");
  EXPECT_TRUE(element_matches(bf, 258.0, 257.0));   // rounded partial sum
  EXPECT_FALSE(element_matches(bf, 300.0, 257.0));  // wrong
  EXPECT_FALSE(element_matches(f32, 258.0, 257.0));
  EXPECT_FALSE(element_matches(bf, std::nan(""), 1.0));
  EXPECT_EQ(dtype_named("float16").mpi, MPI_DATATYPE_NULL);
}

}  // namespace
}  // namespace cb::collective
