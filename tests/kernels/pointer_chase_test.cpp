#include "cpu/pointer_chase.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

namespace k = cb::kernels::cpu;

TEST(PointerChase, RandomCycleIsOneCycleOverEveryLine) {
  for (std::size_t n : {1u, 2u, 3u, 17u, 4096u}) {
    std::vector<std::uint32_t> next = k::random_cycle(n, 42);
    std::vector<int> visits(n, 0);
    std::uint32_t line = 0;
    for (std::size_t step = 0; step < n; ++step) {
      ++visits[line];
      line = next[line];
    }
    EXPECT_EQ(line, 0u) << "n=" << n;  // back at the start after n steps
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(visits[i], 1) << "n=" << n;
  }
}

TEST(PointerChase, SameSeedSameCycle) {
  EXPECT_EQ(k::random_cycle(1000, 7), k::random_cycle(1000, 7));
  EXPECT_NE(k::random_cycle(1000, 7), k::random_cycle(1000, 8));
  // Not the trivial cycle 0 -> 1 -> 2 ...: a prefetcher would follow that.
  std::vector<std::uint32_t> next = k::random_cycle(1000, 7);
  int sequential = 0;
  for (std::uint32_t i = 0; i < 1000; ++i) sequential += next[i] == i + 1;
  EXPECT_LT(sequential, 10);
}

TEST(PointerChase, LinkedLinesChaseAlongTheCycle) {
  for (std::size_t stride : {8u, 64u, 200u}) {
    const std::size_t lines = 513;
    std::vector<std::byte> buffer(lines * stride + 8);
    std::byte* base = buffer.data();
    std::vector<std::uint32_t> next = k::random_cycle(lines, 1);
    k::link_lines(base, stride, next);

    k::CycleCheck check = k::check_cycle(base, stride, lines);
    EXPECT_TRUE(check.inside);
    EXPECT_EQ(check.distinct, lines);
    EXPECT_EQ(check.returned, lines);

    // The chase ends where the index walk ends, also mid-cycle and past it.
    for (std::int64_t steps : {0, 1, 7, 8, 100, 513, 1300}) {
      std::uint32_t line = 0;
      for (std::int64_t i = 0; i < steps; ++i) line = next[line];
      EXPECT_EQ(k::chase(base, steps), base + line * stride)
          << "stride=" << stride << " steps=" << steps;
    }
  }
}

TEST(PointerChase, CheckCycleFindsBrokenLinks) {
  const std::size_t stride = 64, lines = 100;
  std::vector<std::byte> buffer(lines * stride);
  std::byte* base = buffer.data();
  std::vector<std::uint32_t> next = k::random_cycle(lines, 3);
  // Two cycles: line 0 skips half the lines.
  std::vector<std::uint32_t> split = next;
  std::uint32_t line = 0;
  for (int i = 0; i < 50; ++i) line = split[line];
  split[line] = 0;
  k::link_lines(base, stride, split);
  k::CycleCheck check = k::check_cycle(base, stride, lines);
  EXPECT_EQ(check.distinct, 51u);
  EXPECT_EQ(check.returned, 51u);
  // A link out of the buffer.
  k::link_lines(base, stride, next);
  *reinterpret_cast<const void**>(base + next[0] * stride) = base + 1;
  EXPECT_FALSE(k::check_cycle(base, stride, lines).inside);
}
