// A fake CUDA driver (libcuda.so.1) for testing the CUDA probe without a
// GPU: the few driver API entry points the probe looks up, describing
// FAKE_CUDA_DEVICES (default 2) H100s. Honours CUDA_VISIBLE_DEVICES (a list
// of ordinals; empty: no device) like the real driver. FAKE_CUDA_INIT_RESULT
// makes cuInit fail with that code; FAKE_CUDA_FAIL_NAME=k makes
// cuDeviceGetName fail for visible device k.
#include <cuda.h>

#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

namespace {

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// Visible ordinal -> physical device.
std::vector<int> visible() {
  int n = env_int("FAKE_CUDA_DEVICES", 2);
  std::vector<int> out;
  const char* mask = std::getenv("CUDA_VISIBLE_DEVICES");
  if (!mask) {
    for (int i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  std::stringstream list(mask);
  for (std::string item; std::getline(list, item, ',');) {
    if (item.empty()) continue;
    int p = std::atoi(item.c_str());
    if (p < 0 || p >= n) break;  // the driver stops at the first invalid one
    out.push_back(p);
  }
  return out;
}

bool initialised = false;

int physical(CUdevice dev) {
  std::vector<int> v = visible();
  return dev >= 0 && dev < static_cast<int>(v.size()) ? v[dev] : -1;
}

}  // namespace

extern "C" {

CUresult cuInit(unsigned int) {
  if (int r = env_int("FAKE_CUDA_INIT_RESULT", 0))
    return static_cast<CUresult>(r);
  if (visible().empty()) return CUDA_ERROR_NO_DEVICE;
  initialised = true;
  return CUDA_SUCCESS;
}

CUresult cuGetErrorName(CUresult error, const char** name) {
  switch (error) {
    case CUDA_SUCCESS: *name = "CUDA_SUCCESS"; return CUDA_SUCCESS;
    case CUDA_ERROR_NOT_INITIALIZED:
      *name = "CUDA_ERROR_NOT_INITIALIZED";
      return CUDA_SUCCESS;
    case CUDA_ERROR_UNKNOWN: *name = "CUDA_ERROR_UNKNOWN"; return CUDA_SUCCESS;
    case CUDA_ERROR_NO_DEVICE:
      *name = "CUDA_ERROR_NO_DEVICE";
      return CUDA_SUCCESS;
    case CUDA_ERROR_INVALID_DEVICE:
      *name = "CUDA_ERROR_INVALID_DEVICE";
      return CUDA_SUCCESS;
    case CUDA_ERROR_SYSTEM_DRIVER_MISMATCH:
      *name = "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH";
      return CUDA_SUCCESS;
    default: *name = nullptr; return CUDA_ERROR_INVALID_VALUE;
  }
}

CUresult cuDriverGetVersion(int* version) {
  *version = 13000;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetCount(int* count) {
  if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
  *count = static_cast<int>(visible().size());
  return CUDA_SUCCESS;
}

CUresult cuDeviceGet(CUdevice* device, int ordinal) {
  if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
  if (physical(ordinal) < 0) return CUDA_ERROR_INVALID_DEVICE;
  *device = ordinal;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetName(char* name, int len, CUdevice dev) {
  if (physical(dev) < 0 || dev == env_int("FAKE_CUDA_FAIL_NAME", -1))
    return CUDA_ERROR_INVALID_DEVICE;
  std::strncpy(name, "NVIDIA H100 80GB HBM3", static_cast<std::size_t>(len));
  return CUDA_SUCCESS;
}

// cuda.h maps these names to the _v2 entry points.
CUresult cuDeviceGetUuid(CUuuid* uuid, CUdevice dev) {
  int p = physical(dev);
  if (p < 0) return CUDA_ERROR_INVALID_DEVICE;
  for (int i = 0; i < 16; ++i) uuid->bytes[i] = static_cast<char>(0x10 * i + p);
  return CUDA_SUCCESS;
}

CUresult cuDeviceTotalMem(size_t* bytes, CUdevice dev) {
  if (physical(dev) < 0) return CUDA_ERROR_INVALID_DEVICE;
  *bytes = 85045477376ull;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetAttribute(int* value, CUdevice_attribute attribute,
                              CUdevice dev) {
  int p = physical(dev);
  if (p < 0) return CUDA_ERROR_INVALID_DEVICE;
  switch (attribute) {
    case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT: *value = 132; break;
    case CU_DEVICE_ATTRIBUTE_CLOCK_RATE: *value = 1980000; break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR: *value = 9; break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR: *value = 0; break;
    case CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID: *value = 0; break;
    case CU_DEVICE_ATTRIBUTE_PCI_BUS_ID: *value = 0x18 + 0x10 * p; break;
    case CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID: *value = 0; break;
    default: return CUDA_ERROR_INVALID_VALUE;
  }
  return CUDA_SUCCESS;
}

}  // extern "C"
