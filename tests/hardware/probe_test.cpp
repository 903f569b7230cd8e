#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "hardware/cpu_probe.hpp"
#include "hardware/cuda_probe.hpp"
#include "hardware/level_zero_probe.hpp"

namespace cb {
namespace {

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

bool can_load(const char* library) {
  void* handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (handle) dlclose(handle);
  return handle != nullptr;
}

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    value ? setenv(name, value, 1) : unsetenv(name);
  }
  ~ScopedEnv() { had_ ? setenv(name_, old_.c_str(), 1) : unsetenv(name_); }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

TEST(Formatting, CudaUuid) {
  unsigned char bytes[16];
  for (int i = 0; i < 16; ++i) bytes[i] = static_cast<unsigned char>(i * 17);
  EXPECT_EQ(format_cuda_uuid(bytes),
            "GPU-00112233-4455-6677-8899-aabbccddeeff");
}

TEST(Formatting, PciBusId) {
  EXPECT_EQ(format_pci_bus_id(0, 0x65, 0, 0), "0000:65:00.0");
  EXPECT_EQ(format_pci_bus_id(1, 0x3, 0x1f, 1), "0001:03:1f.1");
}

TEST(Formatting, CudaVersion) {
  EXPECT_EQ(format_cuda_version(13000), "13.0");
  EXPECT_EQ(format_cuda_version(12040), "12.4");
}

TEST(Formatting, NvidiaKernelModuleVersion) {
  EXPECT_EQ(parse_nvidia_driver_version(
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.65.06  "
                "Sun Jul 27 07:09:55 UTC 2025\nGCC version:  gcc 12\n"),
            "580.65.06");
  EXPECT_EQ(parse_nvidia_driver_version(
                "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  "
                "570.124.06  Release Build  (dvs-builder@U16)\n"),
            "570.124.06");
  EXPECT_EQ(parse_nvidia_driver_version("garbage"), "");
}

TEST(Formatting, LevelZeroDriverVersionAndUuid) {
  EXPECT_EQ(format_ze_driver_version((1u << 24) | (3u << 16) | 26918u),
            "1.3.26918");
  unsigned char bytes[16] = {0x86, 0x80, 0, 0, 0xd5, 0x0b, 0, 0,
                             0,    0,    0, 0, 0,    0,    0, 1};
  EXPECT_EQ(format_ze_uuid(bytes), "86800000-d50b-0000-0000-000000000001");
}

#if CB_TEST_LEVEL_ZERO_BUILT
TEST(LevelZeroErrorNames, KnownAndUnknownCodes) {
  EXPECT_EQ(ze_result_name(0), "ZE_RESULT_SUCCESS");
  EXPECT_EQ(ze_result_name(0x78000001), "ZE_RESULT_ERROR_UNINITIALIZED");
  EXPECT_EQ(ze_result_name(0x70000001), "ZE_RESULT_ERROR_DEVICE_LOST");
  EXPECT_EQ(ze_result_name(0x78000003), "ZE_RESULT_ERROR_UNSUPPORTED_FEATURE");
  EXPECT_EQ(ze_result_name(0x7ffffffe), "ZE_RESULT_ERROR_UNKNOWN");
  EXPECT_EQ(ze_result_name(0x7abcdef0), "ze_result_t 0x7abcdef0");
}
#endif

// On this machine: whatever it has, every backend is listed, the cpu row is
// usable, and a GPU backend is either usable devices or one row saying why.
TEST(ProbeLocal, ListsEveryBackendAndExplainsMissingOnes) {
  LocalProbe probe = probe_local(3, 1);
  EXPECT_EQ(probe.rank.rank, 3);
  EXPECT_EQ(probe.rank.local_rank, 1);
  ASSERT_FALSE(probe.devices.empty());
  EXPECT_EQ(probe.devices[0].backend, "cpu");
  EXPECT_EQ(probe.devices[0].status, "ok");
  for (const auto& [backend, label] :
       {std::pair<std::string, std::string>{"cuda", "CUDA: "},
        {"level_zero", "Level Zero: "}}) {
    std::vector<DeviceInfo> rows;
    for (const DeviceInfo& d : probe.devices)
      if (d.backend == backend) rows.push_back(d);
    ASSERT_FALSE(rows.empty()) << backend;
    for (const DeviceInfo& d : rows) {
      EXPECT_EQ(d.rank, 3);
      if (d.usable()) {
        EXPECT_GE(d.index, 0);
        EXPECT_FALSE(d.name.empty());
      } else {
        EXPECT_TRUE(starts_with(d.status, label)) << d.status;
        EXPECT_GT(d.status.size(), label.size() + 5) << d.status;
      }
    }
  }
}

TEST(ProbeCuda, MissingDriverIsARow) {
  if (can_load("libcuda.so.1")) GTEST_SKIP() << "this host has libcuda.so.1";
  auto rows = probe_cuda(0);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].backend, "cuda");
  EXPECT_EQ(rows[0].index, -1);
#if CB_TEST_CUDA_BUILT
  EXPECT_EQ(rows[0].status, "CUDA: no driver (libcuda.so.1 not found)");
#else
  EXPECT_EQ(rows[0].status,
            "CUDA: not built (configured without the CUDA toolkit)");
#endif
}

TEST(ProbeCuda, ALibraryThatIsNotADriverIsARow) {
#if CB_TEST_CUDA_BUILT
  // libm loads but has no cuInit.
  auto rows = probe_cuda(0, "libm.so.6");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].status, "CUDA: driver too old (libm.so.6 lacks cuInit)");
#else
  GTEST_SKIP() << "CUDA probe not built";
#endif
}

TEST(ProbeLevelZero, WithoutAGpuDriverIsARow) {
  auto rows = probe_level_zero(2);
  bool has_gpu = rows.size() > 1 || rows[0].usable();
  if (has_gpu) GTEST_SKIP() << "this host has a Level Zero GPU";
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].rank, 2);
  EXPECT_EQ(rows[0].backend, "level_zero");
  EXPECT_EQ(rows[0].index, -1);
#if CB_TEST_LEVEL_ZERO_BUILT
  if (can_load("libze_loader.so.1"))
    EXPECT_TRUE(starts_with(rows[0].status, "Level Zero: no driver"))
        << rows[0].status;
  else
    EXPECT_EQ(rows[0].status,
              "Level Zero: no loader (libze_loader.so.1 not found)");
#else
  EXPECT_EQ(rows[0].status,
            "Level Zero: not built (configured without level-zero)");
#endif
}

#ifdef CB_FAKE_CUDA
TEST(ProbeCudaFake, ReportsEveryVisibleDevice) {
  ScopedEnv devices("FAKE_CUDA_DEVICES", "3");
  ScopedEnv mask("CUDA_VISIBLE_DEVICES", nullptr);
  auto rows = probe_cuda(5, CB_FAKE_CUDA);
  ASSERT_EQ(rows.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const DeviceInfo& d = rows[static_cast<std::size_t>(i)];
    EXPECT_EQ(d.status, "ok");
    EXPECT_EQ(d.rank, 5);
    EXPECT_EQ(d.backend, "cuda");
    EXPECT_EQ(d.index, i);
    EXPECT_EQ(d.name, "NVIDIA H100 80GB HBM3");
    EXPECT_EQ(d.mem_bytes, 85045477376ull);
    EXPECT_EQ(d.compute_units, 132);
    EXPECT_DOUBLE_EQ(d.clock_mhz, 1980);
    EXPECT_TRUE(starts_with(d.driver_version, "CUDA 13.0")) << d.driver_version;
    EXPECT_NE(d.driver_version.find("sm_90"), std::string::npos);
  }
  EXPECT_EQ(rows[0].uuid, "GPU-00102030-4050-6070-8090-a0b0c0d0e0f0");
  EXPECT_EQ(rows[1].uuid, "GPU-01112131-4151-6171-8191-a1b1c1d1e1f1");
  EXPECT_EQ(rows[0].pci_bus_id, "0000:18:00.0");
  EXPECT_EQ(rows[2].pci_bus_id, "0000:38:00.0");
}

TEST(ProbeCudaFake, HonoursVisibleDevices) {
  ScopedEnv devices("FAKE_CUDA_DEVICES", "4");
  ScopedEnv mask("CUDA_VISIBLE_DEVICES", "2");
  auto rows = probe_cuda(0, CB_FAKE_CUDA);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].index, 0);
  EXPECT_EQ(rows[0].pci_bus_id, "0000:38:00.0");
}

TEST(ProbeCudaFake, InitFailuresAreNamed) {
  {
    ScopedEnv mask("CUDA_VISIBLE_DEVICES", "");
    auto rows = probe_cuda(0, CB_FAKE_CUDA);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].status, "CUDA: no device (cuInit: CUDA_ERROR_NO_DEVICE)");
    EXPECT_EQ(rows[0].index, -1);
  }
  {
    ScopedEnv fail("FAKE_CUDA_INIT_RESULT", "803");
    auto rows = probe_cuda(0, CB_FAKE_CUDA);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(
        rows[0].status,
        "CUDA: driver unusable (cuInit: CUDA_ERROR_SYSTEM_DRIVER_MISMATCH)");
  }
  {
    ScopedEnv fail("FAKE_CUDA_INIT_RESULT", "999");
    auto rows = probe_cuda(0, CB_FAKE_CUDA);
    EXPECT_EQ(rows[0].status,
              "CUDA: driver unusable (cuInit: CUDA_ERROR_UNKNOWN)");
  }
  {
    ScopedEnv fail("FAKE_CUDA_INIT_RESULT", "12345");  // no name for it
    auto rows = probe_cuda(0, CB_FAKE_CUDA);
    EXPECT_EQ(rows[0].status,
              "CUDA: driver unusable (cuInit: CUDA error 12345)");
  }
}

TEST(ProbeCudaFake, ADeviceThatCannotBeReadIsARowWithItsIndex) {
  ScopedEnv mask("CUDA_VISIBLE_DEVICES", nullptr);
  ScopedEnv devices("FAKE_CUDA_DEVICES", "2");
  ScopedEnv fail("FAKE_CUDA_FAIL_NAME", "1");
  auto rows = probe_cuda(0, CB_FAKE_CUDA);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].status, "ok");
  EXPECT_EQ(rows[1].index, 1);
  EXPECT_EQ(
      rows[1].status,
      "CUDA: device 1: cuDeviceGetName failed (CUDA_ERROR_INVALID_DEVICE)");
}
#endif  // CB_FAKE_CUDA

#ifdef CB_FAKE_ZE_LOADER
TEST(ProbeLevelZeroFake, ReportsGpusOnly) {
  ScopedEnv devices("FAKE_ZE_DEVICES", "2");
  ScopedEnv mask("ZE_AFFINITY_MASK", nullptr);
  auto rows = probe_level_zero(1, CB_FAKE_ZE_LOADER);
  ASSERT_EQ(rows.size(), 2u);  // the fake's non-GPU device is skipped
  for (int i = 0; i < 2; ++i) {
    const DeviceInfo& d = rows[static_cast<std::size_t>(i)];
    EXPECT_EQ(d.status, "ok");
    EXPECT_EQ(d.rank, 1);
    EXPECT_EQ(d.backend, "level_zero");
    EXPECT_EQ(d.index, i);
    EXPECT_EQ(d.name, "Intel(R) Data Center GPU Max 1550");
    EXPECT_EQ(d.mem_bytes, 128ull << 30);
    EXPECT_EQ(d.compute_units, 512);
    EXPECT_DOUBLE_EQ(d.clock_mhz, 1600);
    EXPECT_EQ(d.driver_version, "1.3.26918");
  }
  EXPECT_EQ(rows[0].uuid, "8090a0b0-c0d0-e0f0-8090-a0b0c0d0e0f0");
  EXPECT_EQ(rows[1].pci_bus_id, "0000:2a:00.0");
}

TEST(ProbeLevelZeroFake, HonoursAffinityMask) {
  ScopedEnv devices("FAKE_ZE_DEVICES", "4");
  ScopedEnv mask("ZE_AFFINITY_MASK", "3");
  auto rows = probe_level_zero(0, CB_FAKE_ZE_LOADER);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].index, 0);
  EXPECT_EQ(rows[0].pci_bus_id, "0000:2c:00.0");
}

TEST(ProbeLevelZeroFake, InitFailureIsNamed) {
  ScopedEnv fail("FAKE_ZE_INIT_RESULT", "2013265921");  // 0x78000001
  auto rows = probe_level_zero(0, CB_FAKE_ZE_LOADER);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].status,
            "Level Zero: no driver (zeInit: ZE_RESULT_ERROR_UNINITIALIZED)");
}

TEST(ProbeLevelZeroFake, NoGpuIsARow) {
  ScopedEnv devices("FAKE_ZE_DEVICES", "0");
  auto rows = probe_level_zero(0, CB_FAKE_ZE_LOADER);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].status, "Level Zero: no device");
}
#endif  // CB_FAKE_ZE_LOADER

}  // namespace
}  // namespace cb
