#include "hardware/level_zero_probe.hpp"

#include <cstdio>
#include <initializer_list>
#include <string>
#include <vector>

#include "hardware/runtime_library.hpp"

#if CB_PROBE_LEVEL_ZERO
#include <dlfcn.h>
#include <ze_api.h>  // types and enums only: nothing is linked
#endif

namespace cb {

std::string format_ze_driver_version(std::uint32_t v) {
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 0xffu) +
         "." + std::to_string(v & 0xffffu);
}

std::string format_ze_uuid(const unsigned char* b) {
  char out[48];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                "%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

namespace {

std::string hex_result(std::uint32_t result) {
  char out[32];
  std::snprintf(out, sizeof out, "ze_result_t 0x%08x", result);
  return out;
}

DeviceInfo status_row(int world_rank, std::string status) {
  DeviceInfo row;
  row.rank = world_rank;
  row.backend = "level_zero";
  row.index = -1;
  row.status = "Level Zero: " + std::move(status);
  return row;
}

}  // namespace

#if !CB_PROBE_LEVEL_ZERO

std::string ze_result_name(std::uint32_t result) {
  return result == 0 ? "ZE_RESULT_SUCCESS" : hex_result(result);
}

std::vector<DeviceInfo> probe_level_zero(int world_rank, const char*) {
  return {status_row(world_rank, "not built (configured without level-zero)")};
}

#else

std::string ze_result_name(std::uint32_t result) {
#define CB_ZE_NAME(x) \
  case x:             \
    return #x;
  switch (static_cast<ze_result_t>(result)) {
    CB_ZE_NAME(ZE_RESULT_SUCCESS)
    CB_ZE_NAME(ZE_RESULT_NOT_READY)
    CB_ZE_NAME(ZE_RESULT_ERROR_DEVICE_LOST)
    CB_ZE_NAME(ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY)
    CB_ZE_NAME(ZE_RESULT_ERROR_OUT_OF_DEVICE_MEMORY)
    CB_ZE_NAME(ZE_RESULT_ERROR_MODULE_BUILD_FAILURE)
    CB_ZE_NAME(ZE_RESULT_ERROR_MODULE_LINK_FAILURE)
    CB_ZE_NAME(ZE_RESULT_ERROR_DEVICE_REQUIRES_RESET)
    CB_ZE_NAME(ZE_RESULT_ERROR_DEVICE_IN_LOW_POWER_STATE)
    CB_ZE_NAME(ZE_RESULT_ERROR_INSUFFICIENT_PERMISSIONS)
    CB_ZE_NAME(ZE_RESULT_ERROR_NOT_AVAILABLE)
    CB_ZE_NAME(ZE_RESULT_ERROR_DEPENDENCY_UNAVAILABLE)
    CB_ZE_NAME(ZE_RESULT_ERROR_UNINITIALIZED)
    CB_ZE_NAME(ZE_RESULT_ERROR_UNSUPPORTED_VERSION)
    CB_ZE_NAME(ZE_RESULT_ERROR_UNSUPPORTED_FEATURE)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_ARGUMENT)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_NULL_HANDLE)
    CB_ZE_NAME(ZE_RESULT_ERROR_HANDLE_OBJECT_IN_USE)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_NULL_POINTER)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_SIZE)
    CB_ZE_NAME(ZE_RESULT_ERROR_UNSUPPORTED_SIZE)
    CB_ZE_NAME(ZE_RESULT_ERROR_UNSUPPORTED_ALIGNMENT)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_SYNCHRONIZATION_OBJECT)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_ENUMERATION)
    CB_ZE_NAME(ZE_RESULT_ERROR_UNSUPPORTED_ENUMERATION)
    CB_ZE_NAME(ZE_RESULT_ERROR_UNSUPPORTED_IMAGE_FORMAT)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_NATIVE_BINARY)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_GLOBAL_NAME)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_KERNEL_NAME)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_FUNCTION_NAME)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_GROUP_SIZE_DIMENSION)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_GLOBAL_WIDTH_DIMENSION)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_KERNEL_ARGUMENT_INDEX)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_KERNEL_ARGUMENT_SIZE)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_KERNEL_ATTRIBUTE_VALUE)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_MODULE_UNLINKED)
    CB_ZE_NAME(ZE_RESULT_ERROR_INVALID_COMMAND_LIST_TYPE)
    CB_ZE_NAME(ZE_RESULT_ERROR_OVERLAPPING_REGIONS)
    CB_ZE_NAME(ZE_RESULT_ERROR_UNKNOWN)
    default: break;
  }
#undef CB_ZE_NAME
  return hex_result(result);
}

namespace {

// The loader entry points, looked up with dlsym. The loader stays loaded: its
// drivers keep state for the rest of the process.
struct Loader {
  decltype(&::zeInit) init = nullptr;
  decltype(&::zeDriverGet) driver_get = nullptr;
  decltype(&::zeDriverGetProperties) driver_get_properties = nullptr;
  decltype(&::zeDeviceGet) device_get = nullptr;
  decltype(&::zeDeviceGetProperties) device_get_properties = nullptr;
  decltype(&::zeDeviceGetMemoryProperties) device_get_memory_properties =
      nullptr;
  decltype(&::zeDevicePciGetPropertiesExt) device_pci_get_properties =
      nullptr;  // optional
};

template <class F>
bool look_up(void* library, F& fn, const char* name, std::string& missing) {
  // POSIX guarantees that dlsym's result converts to a function pointer.
  if (void* symbol = dlsym(library, name)) {
    fn = reinterpret_cast<F>(symbol);
    return true;
  }
  if (missing.empty()) missing = name;
  return false;
}

}  // namespace

std::vector<DeviceInfo> probe_level_zero(int world_rank,
                                         const char* library_name) {
  std::string why;
  void* library = open_runtime(library_name, "no loader", why);
  if (!library) return {status_row(world_rank, why)};

  Loader ze;
  std::string missing;
  bool ok = true;
  ok &= look_up(library, ze.init, "zeInit", missing);
  ok &= look_up(library, ze.driver_get, "zeDriverGet", missing);
  ok &= look_up(library, ze.driver_get_properties, "zeDriverGetProperties",
                missing);
  ok &= look_up(library, ze.device_get, "zeDeviceGet", missing);
  ok &= look_up(library, ze.device_get_properties, "zeDeviceGetProperties",
                missing);
  ok &= look_up(library, ze.device_get_memory_properties,
                "zeDeviceGetMemoryProperties", missing);
  std::string optional;
  look_up(library, ze.device_pci_get_properties, "zeDevicePciGetPropertiesExt",
          optional);
  if (!ok)
    return {status_row(world_rank, std::string("loader too old (") +
                                       library_name + " lacks " + missing +
                                       ")")};

  auto name = [](ze_result_t r) {
    return ze_result_name(static_cast<std::uint32_t>(r));
  };
  if (ze_result_t r = ze.init(ZE_INIT_FLAG_GPU_ONLY); r != ZE_RESULT_SUCCESS)
    return {status_row(world_rank, "no driver (zeInit: " + name(r) + ")")};

  std::uint32_t n_drivers = 0;
  if (ze_result_t r = ze.driver_get(&n_drivers, nullptr);
      r != ZE_RESULT_SUCCESS)
    return {status_row(world_rank, "no driver (zeDriverGet: " + name(r) + ")")};
  std::vector<ze_driver_handle_t> drivers(n_drivers);
  if (n_drivers > 0 && ze.driver_get(&n_drivers, drivers.data()) == 0)
    drivers.resize(n_drivers);
  else
    drivers.clear();
  if (drivers.empty()) return {status_row(world_rank, "no driver")};

  std::vector<DeviceInfo> rows;
  int index = 0;
  for (ze_driver_handle_t driver : drivers) {
    std::string version;
    ze_driver_properties_t driver_props{};
    driver_props.stype = ZE_STRUCTURE_TYPE_DRIVER_PROPERTIES;
    if (ze.driver_get_properties(driver, &driver_props) == ZE_RESULT_SUCCESS)
      version = format_ze_driver_version(driver_props.driverVersion);

    std::uint32_t n_devices = 0;
    if (ze.device_get(driver, &n_devices, nullptr) != ZE_RESULT_SUCCESS ||
        n_devices == 0)
      continue;
    std::vector<ze_device_handle_t> devices(n_devices);
    if (ze.device_get(driver, &n_devices, devices.data()) != ZE_RESULT_SUCCESS)
      continue;
    devices.resize(n_devices);

    for (ze_device_handle_t device : devices) {
      ze_device_properties_t props{};
      props.stype = ZE_STRUCTURE_TYPE_DEVICE_PROPERTIES;
      ze_result_t r = ze.device_get_properties(device, &props);
      if (r == ZE_RESULT_SUCCESS && props.type != ZE_DEVICE_TYPE_GPU) continue;
      DeviceInfo row;
      row.rank = world_rank;
      row.backend = "level_zero";
      row.index = index++;
      row.driver_version = version;
      if (r != ZE_RESULT_SUCCESS) {
        row.status = "Level Zero: device " + std::to_string(row.index) +
                     ": zeDeviceGetProperties failed (" + name(r) + ")";
        rows.push_back(std::move(row));
        continue;
      }
      row.name = props.name;
      row.uuid = format_ze_uuid(props.uuid.id);
      row.clock_mhz = props.coreClockRate;
      row.compute_units =
          static_cast<int>(props.numSlices * props.numSubslicesPerSlice *
                           props.numEUsPerSubslice);

      std::uint32_t n_memories = 0;
      if (ze.device_get_memory_properties(device, &n_memories, nullptr) ==
              ZE_RESULT_SUCCESS &&
          n_memories > 0) {
        std::vector<ze_device_memory_properties_t> memories(n_memories);
        for (auto& m : memories)
          m.stype = ZE_STRUCTURE_TYPE_DEVICE_MEMORY_PROPERTIES;
        if (ze.device_get_memory_properties(
                device, &n_memories, memories.data()) == ZE_RESULT_SUCCESS) {
          memories.resize(n_memories);
          for (const auto& m : memories) row.mem_bytes += m.totalSize;
        }
      }
      if (ze.device_pci_get_properties) {
        ze_pci_ext_properties_t pci{};
        pci.stype = ZE_STRUCTURE_TYPE_PCI_EXT_PROPERTIES;
        if (ze.device_pci_get_properties(device, &pci) == ZE_RESULT_SUCCESS) {
          char bdf[32];
          std::snprintf(bdf, sizeof bdf, "%04x:%02x:%02x.%x",
                        pci.address.domain & 0xffffu, pci.address.bus & 0xffu,
                        pci.address.device & 0xffu,
                        pci.address.function & 0xfu);
          row.pci_bus_id = bdf;
        }
      }
      rows.push_back(std::move(row));
    }
  }
  if (rows.empty()) return {status_row(world_rank, "no device")};
  return rows;
}

#endif  // CB_PROBE_LEVEL_ZERO

}  // namespace cb
