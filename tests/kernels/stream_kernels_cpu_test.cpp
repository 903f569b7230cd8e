#include <gtest/gtest.h>
#include <omp.h>

#include <vector>

#include "cpu/stream_kernels.hpp"

namespace k = cb::kernels::cpu;

TEST(StreamKernelsCpu, ComputeTheStreamRecurrence) {
  for (int threads : {1, 2, 3}) {
    omp_set_num_threads(threads);
    const std::size_t n = 1001;  // not a multiple of the thread count
    std::vector<double> a(n), b(n), c(n);
    k::fill(a.data(), 1.0, n);
    k::fill(b.data(), 2.0, n);
    k::fill(c.data(), 0.0, n);
    k::copy(a.data(), c.data(), n);  // c = 1
    EXPECT_EQ(c[n - 1], 1.0);
    k::scale(b.data(), c.data(), 3.0, n);  // b = 3
    EXPECT_EQ(b[0], 3.0);
    k::add(a.data(), b.data(), c.data(), n);  // c = 4
    EXPECT_EQ(c[n / 2], 4.0);
    k::triad(a.data(), b.data(), c.data(), 3.0, n);  // a = 3 + 12
    EXPECT_EQ(a[n - 1], 15.0);
    EXPECT_EQ(k::mean_abs_error(a.data(), 15.0, n), 0.0);
    a[7] = 16.0;
    EXPECT_NEAR(k::mean_abs_error(a.data(), 15.0, n), 1.0 / n, 1e-15);
  }
}
