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
  double *a, *b, *c, *partial;
  ASSERT_EQ(cudaMalloc(&a, n * 8), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&b, n * 8), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&c, n * 8), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&partial, 7 * 8), cudaSuccess);
  k::fill(a, 1.0, n, nullptr);
  k::fill(b, 2.0, n, nullptr);
  k::copy(a, c, n, nullptr);           // c = 1
  k::scale(b, c, 3.0, n, nullptr);     // b = 3
  k::add(a, b, c, n, nullptr);         // c = 4
  k::triad(a, b, c, 3.0, n, nullptr);  // a = 15
  k::dot_partials(a, c, n, partial, 7, nullptr);
  ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
  std::vector<double> host(n), sums(7);
  cudaMemcpy(host.data(), a, n * 8, cudaMemcpyDeviceToHost);
  cudaMemcpy(sums.data(), partial, 7 * 8, cudaMemcpyDeviceToHost);
  EXPECT_EQ(host[0], 15.0);
  EXPECT_EQ(host[n - 1], 15.0);
  double dot = 0;
  for (double s : sums) dot += s;
  EXPECT_EQ(dot, 60.0 * n);  // exact: small integers
  cudaFree(a), cudaFree(b), cudaFree(c), cudaFree(partial);
}
