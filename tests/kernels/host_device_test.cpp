#include "cpu/host_device.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace k = cb::kernels;

TEST(HostDevice, RunsStreamThroughTheDeviceApi) {
  k::HostDevice device;
  const std::size_t n = 1003;
  auto* a = static_cast<double*>(device.allocate(n * 8));
  auto* b = static_cast<double*>(device.allocate(n * 8));
  auto* c = static_cast<double*>(device.allocate(n * 8));
  device.stream_fill(a, 1.0, n);
  device.stream_fill(b, 2.0, n);
  device.stream_copy(a, c, n);
  device.stream_scale(b, c, 3.0, n);
  device.stream_add(a, b, c, n);
  device.stream_triad(a, b, c, 3.0, n);
  device.synchronize();
  EXPECT_EQ(a[n - 1], 15.0);
  EXPECT_EQ(device.stream_dot(a, c, n), 60.0 * n);
  std::vector<double> back(n);
  device.copy(back.data(), a, n * 8);
  EXPECT_EQ(back[0], 15.0);
  device.release(a), device.release(b), device.release(c);
}

TEST(HostDevice, SaysWhatItCannotDo) {
  k::HostDevice device;
  EXPECT_THROW(device.allocate_host(64, true), k::Unsupported);
  EXPECT_THROW(device.gemm(k::Precision::FP16, 8, nullptr, nullptr, nullptr),
               k::Unsupported);
  try {
    device.fma_shape(k::Precision::FP32, 1);
    FAIL();
  } catch (const k::Unsupported& e) {
    EXPECT_STREQ(e.what(),
                 "host backend: FMA chains in float32 is not supported");
  }
}

TEST(Precision, NamesRoundTrip) {
  for (k::Precision p :
       {k::Precision::FP64, k::Precision::FP32, k::Precision::TF32,
        k::Precision::FP16, k::Precision::BF16})
    EXPECT_EQ(k::precision_named(k::to_string(p)), p);
  EXPECT_EQ(k::element_bytes(k::Precision::TF32), 4u);
  EXPECT_EQ(k::element_bytes(k::Precision::BF16), 2u);
  EXPECT_THROW(k::precision_named("float8"), std::invalid_argument);
}
