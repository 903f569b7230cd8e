// The CUDA plugin through the device API, as the benchmarks use it. Runs on
// a GPU machine (launch/gpu-check.sh); skips where no GPU is usable.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <iostream>
#include <memory>
#include <random>
#include <vector>

#include "device/device_loader.hpp"

namespace k = cb::kernels;

namespace {

std::unique_ptr<k::Device> open_gpu() {
  try {
    return k::open_device("cuda", 0);
  } catch (const std::exception& e) {
    std::cout << "no usable CUDA device: " << e.what() << "\n";
    return nullptr;
  }
}

#define REQUIRE_GPU(device) \
  if (!device) GTEST_SKIP() << "no usable CUDA device"

}  // namespace

TEST(CudaDevice, ReportsItsProperties) {
  auto device = open_gpu();
  REQUIRE_GPU(device);
  const k::DeviceProperties& p = device->properties();
  EXPECT_EQ(p.backend, "cuda");
  EXPECT_GT(p.compute_units, 0);
  EXPECT_GT(p.memory_bytes, 0u);
  EXPECT_GT(p.cache_bytes, 0u);
  std::cout << p.name << ": " << p.compute_units << " SMs, "
            << p.memory_bytes / (1 << 20) << " MiB, L2 "
            << p.cache_bytes / (1 << 20) << " MiB\n";
}

TEST(CudaDevice, RunsStreamAndDot) {
  auto device = open_gpu();
  REQUIRE_GPU(device);
  const std::size_t n = (1 << 22) + 5;
  auto* a = static_cast<double*>(device->allocate(n * 8));
  auto* b = static_cast<double*>(device->allocate(n * 8));
  auto* c = static_cast<double*>(device->allocate(n * 8));
  device->stream_fill(a, 1.0, n);
  device->stream_fill(b, 2.0, n);
  device->stream_copy(a, c, n);
  device->stream_scale(b, c, 3.0, n);
  device->stream_add(a, b, c, n);
  device->stream_triad(a, b, c, 3.0, n);
  EXPECT_EQ(device->stream_dot(a, c, n), 60.0 * n);
  std::vector<double> host(n);
  device->copy(host.data(), a, n * 8);
  device->synchronize();
  EXPECT_EQ(host[0], 15.0);
  EXPECT_EQ(host[n - 1], 15.0);
  device->release(a), device->release(b), device->release(c);
}

template <typename T>
void expect_fma_chains_exact(k::Device& device, k::Precision p) {
  const std::int64_t steps = 1000;
  const double a = 1.0 - 1.0 / 4096, b = 1.0 / 4096, start = 0.5,
               delta = 1.0 / 64;
  k::FmaRun run = device.fma_shape(p, steps);
  std::size_t values = run.threads * run.chains;
  void* out = device.allocate(values * sizeof(T));
  device.fma_chains(p, steps, a, b, start, delta, out);
  std::vector<T> host(values);
  device.copy(host.data(), out, values * sizeof(T));
  device.synchronize();
  // IEEE fma on both sides: the GPU's values are the host's, bit for bit.
  for (int c = 0; c < run.chains; ++c) {
    T x = T(start) + T(c) * T(delta);
    for (std::int64_t s = 0; s < steps; ++s) x = std::fma(x, T(a), T(b));
    EXPECT_EQ(host[c], x) << "chain " << c;
    EXPECT_EQ(host[values - run.chains + c], x) << "last thread, chain " << c;
  }
  device.release(out);
}

TEST(CudaDevice, FmaChainsMatchTheHostBitForBit) {
  auto device = open_gpu();
  REQUIRE_GPU(device);
  expect_fma_chains_exact<float>(*device, k::Precision::FP32);
  expect_fma_chains_exact<double>(*device, k::Precision::FP64);
  EXPECT_THROW(device->fma_shape(k::Precision::BF16, 1), k::Unsupported);
}

// Worst error of C = A*B (column-major) against a double dot product of the
// rounded inputs, relative to sum |a*b|.
double gemm_error(k::Device& device, k::Precision p, int n) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> uniform(-1, 1);
  std::size_t count = std::size_t(n) * n, bytes = count * k::element_bytes(p);
  std::vector<float> a(count), b(count), c(count);
  for (float& x : a) x = uniform(rng);
  for (float& x : b) x = uniform(rng);
  void* da = device.allocate(bytes);
  void* db = device.allocate(bytes);
  void* dc = device.allocate(bytes);
  device.upload(p, a.data(), da, count);
  device.upload(p, b.data(), db, count);
  device.download(p, da, a.data(), count);  // the rounded values
  device.download(p, db, b.data(), count);
  device.gemm(p, n, da, db, dc);
  device.download(p, dc, c.data(), count);
  double worst = 0;
  for (int i = 0; i < n; i += 7)
    for (int j = 0; j < n; j += 5) {
      double dot = 0, scale = 0;
      for (int l = 0; l < n; ++l) {
        double term =
            double(a[i + l * std::size_t(n)]) * b[l + j * std::size_t(n)];
        dot += term, scale += std::fabs(term);
      }
      double e = std::fabs(c[i + j * std::size_t(n)] - dot) / scale;
      if (!(e <= worst)) worst = e;
    }
  device.release(da), device.release(db), device.release(dc);
  return worst;
}

TEST(CudaDevice, GemmIsRightInEveryPrecision) {
  auto device = open_gpu();
  REQUIRE_GPU(device);
  // Tolerances: the output's rounding (fp16/bf16 store 11/8 bits) dominates.
  EXPECT_LT(gemm_error(*device, k::Precision::FP64, 256), 1e-6);  // float I/O
  EXPECT_LT(gemm_error(*device, k::Precision::FP32, 256), 1e-5);
  EXPECT_LT(gemm_error(*device, k::Precision::TF32, 256), 5e-3);
  EXPECT_LT(gemm_error(*device, k::Precision::FP16, 256), 5e-3);
  EXPECT_LT(gemm_error(*device, k::Precision::BF16, 256), 2e-2);
}

TEST(CudaDevice, CopiesPinnedAndPageableBothWays) {
  auto device = open_gpu();
  REQUIRE_GPU(device);
  const std::size_t bytes = (8 << 20) + 3;
  for (bool pinned : {true, false}) {
    auto* src =
        static_cast<unsigned char*>(device->allocate_host(bytes, pinned));
    auto* dst =
        static_cast<unsigned char*>(device->allocate_host(bytes, pinned));
    for (std::size_t i = 0; i < bytes; ++i)
      src[i] = (i * 131) & 0xff, dst[i] = 0;
    void* d = device->allocate(bytes);
    device->copy(d, src, bytes);
    device->copy(dst, d, bytes);
    device->synchronize();
    EXPECT_EQ(std::memcmp(src, dst, bytes), 0) << "pinned " << pinned;
    device->release(d);
    device->release_host(src, pinned), device->release_host(dst, pinned);
  }
}

TEST(CudaDevice, ABadOrdinalIsADeviceError) {
  if (!open_gpu()) GTEST_SKIP() << "no usable CUDA device";
  EXPECT_THROW(k::open_device("cuda", 4096), k::DeviceError);
}
