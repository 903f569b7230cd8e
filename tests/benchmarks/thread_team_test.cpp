// ThreadTeam: every index is covered exactly once, for any team size and
// job size, job after job.
#include "benchmarks/model/thread_team.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace cb::model {
namespace {

TEST(ThreadTeam, CoversEveryIndexOnce) {
  for (int size : {1, 2, 3, 5}) {
    ThreadTeam team(size);
    EXPECT_EQ(team.size(), size);
    for (std::size_t n : {0, 1, 2, 3, 7, 1000}) {
      std::vector<std::atomic<int>> hits(n);
      std::atomic<int> slices{0};
      team.parallel_for(n, [&](std::size_t first, std::size_t last) {
        EXPECT_LT(first, last);
        ++slices;
        for (std::size_t i = first; i < last; ++i) ++hits[i];
      });
      for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << i;
      EXPECT_LE(slices.load(), std::max<int>(1, size));
    }
  }
}

TEST(ThreadTeam, ManyShortJobsInARow) {
  ThreadTeam team(3);
  std::atomic<long> sum{0};
  for (int job = 0; job < 2000; ++job)
    team.parallel_for(6, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i) sum += long(i);
    });
  EXPECT_EQ(sum.load(), 2000L * 15);
}

}  // namespace
}  // namespace cb::model
