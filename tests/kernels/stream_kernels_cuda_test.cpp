// Runs where a GPU is present (the device check script); skips elsewhere.
#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <vector>

#include "cuda/stream_kernels.hpp"

namespace k = cb::kernels::cuda;

TEST(StreamKernelsCuda, ComputeTheStreamRecurrence) {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0)
    GTEST_SKIP() << "no CUDA device";
  const std::size_t n = (1 << 20) + 3;
  double *a, *b, *c;
  ASSERT_EQ(cudaMalloc(&a, n * 8), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&b, n * 8), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&c, n * 8), cudaSuccess);
  k::fill(a, 1.0, n);
  k::fill(b, 2.0, n);
  k::copy(a, c, n);
  k::scale(b, c, 3.0, n);
  k::add(a, b, c, n);
  k::triad(a, b, c, 3.0, n);
  ASSERT_STREQ(k::synchronize(), "");
  std::vector<double> host(n);
  cudaMemcpy(host.data(), a, n * 8, cudaMemcpyDeviceToHost);
  EXPECT_EQ(host[0], 15.0);
  EXPECT_EQ(host[n - 1], 15.0);
  cudaFree(a), cudaFree(b), cudaFree(c);
}
