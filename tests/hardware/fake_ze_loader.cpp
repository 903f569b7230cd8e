// A fake Level Zero loader (libze_loader.so.1) for testing the Level Zero
// probe without a GPU: one driver with FAKE_ZE_DEVICES (default 2) GPUs and
// one non-GPU device (which the probe must skip). Honours ZE_AFFINITY_MASK as
// a list of device ordinals. FAKE_ZE_INIT_RESULT makes zeInit fail with that
// code.
#include <ze_api.h>

#include <algorithm>
#include <cstdint>
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

int driver_tag = 0;
int device_tags[64] = {};  // a device handle is &device_tags[physical]
constexpr int kNonGpu = 63;
bool initialised = false;

std::vector<int> visible() {
  int n = env_int("FAKE_ZE_DEVICES", 2);
  std::vector<int> out;
  const char* mask = std::getenv("ZE_AFFINITY_MASK");
  if (!mask || !*mask) {
    for (int i = 0; i < n; ++i) out.push_back(i);
  } else {
    std::stringstream list(mask);
    for (std::string item; std::getline(list, item, ',');) {
      int p = std::atoi(item.c_str());
      if (p >= 0 && p < n) out.push_back(p);
    }
  }
  out.push_back(kNonGpu);
  return out;
}

int physical(ze_device_handle_t device) {
  return static_cast<int>(reinterpret_cast<int*>(device) - device_tags);
}

}  // namespace

extern "C" {

ze_result_t zeInit(ze_init_flags_t) {
  if (int r = env_int("FAKE_ZE_INIT_RESULT", 0))
    return static_cast<ze_result_t>(r);
  initialised = true;
  return ZE_RESULT_SUCCESS;
}

ze_result_t zeDriverGet(uint32_t* count, ze_driver_handle_t* drivers) {
  if (!initialised) return ZE_RESULT_ERROR_UNINITIALIZED;
  if (drivers && *count >= 1)
    drivers[0] = reinterpret_cast<ze_driver_handle_t>(&driver_tag);
  *count = 1;
  return ZE_RESULT_SUCCESS;
}

ze_result_t zeDriverGetProperties(ze_driver_handle_t,
                                  ze_driver_properties_t* props) {
  props->driverVersion = (1u << 24) | (3u << 16) | 26918u;
  return ZE_RESULT_SUCCESS;
}

ze_result_t zeDeviceGet(ze_driver_handle_t, uint32_t* count,
                        ze_device_handle_t* devices) {
  std::vector<int> v = visible();
  if (!devices || *count == 0) {
    *count = static_cast<uint32_t>(v.size());
    return ZE_RESULT_SUCCESS;
  }
  uint32_t n = std::min<uint32_t>(*count, static_cast<uint32_t>(v.size()));
  for (uint32_t i = 0; i < n; ++i)
    devices[i] = reinterpret_cast<ze_device_handle_t>(&device_tags[v[i]]);
  *count = n;
  return ZE_RESULT_SUCCESS;
}

ze_result_t zeDeviceGetProperties(ze_device_handle_t device,
                                  ze_device_properties_t* props) {
  int p = physical(device);
  props->type = p == kNonGpu ? ZE_DEVICE_TYPE_FPGA : ZE_DEVICE_TYPE_GPU;
  std::strncpy(props->name,
               p == kNonGpu ? "Not a GPU" : "Intel(R) Data Center GPU Max 1550",
               ZE_MAX_DEVICE_NAME - 1);
  for (int i = 0; i < ZE_MAX_DEVICE_UUID_SIZE; ++i)
    props->uuid.id[i] = static_cast<uint8_t>(0x80 + 0x10 * (i % 8) + p);
  props->coreClockRate = 1600;
  props->numSlices = 1;
  props->numSubslicesPerSlice = 64;
  props->numEUsPerSubslice = 8;
  return ZE_RESULT_SUCCESS;
}

ze_result_t zeDeviceGetMemoryProperties(ze_device_handle_t, uint32_t* count,
                                        ze_device_memory_properties_t* props) {
  if (!props || *count == 0) {
    *count = 2;
    return ZE_RESULT_SUCCESS;
  }
  uint32_t n = std::min<uint32_t>(*count, 2);
  for (uint32_t i = 0; i < n; ++i) props[i].totalSize = 64ull << 30;
  *count = n;
  return ZE_RESULT_SUCCESS;
}

ze_result_t zeDevicePciGetPropertiesExt(ze_device_handle_t device,
                                        ze_pci_ext_properties_t* props) {
  props->address.domain = 0;
  props->address.bus = static_cast<uint32_t>(0x29 + physical(device));
  props->address.device = 0;
  props->address.function = 0;
  return ZE_RESULT_SUCCESS;
}

}  // extern "C"
