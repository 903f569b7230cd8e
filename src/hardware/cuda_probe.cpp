#include "hardware/cuda_probe.hpp"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "hardware/runtime_library.hpp"

#if CB_PROBE_CUDA
#include <cuda.h>  // types and enums only: nothing is linked
#include <dlfcn.h>
#endif

namespace cb {

std::string format_cuda_uuid(const unsigned char* b) {
  char out[64];
  std::snprintf(out, sizeof out,
                "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                "%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

std::string format_pci_bus_id(unsigned domain, unsigned bus, unsigned device,
                              unsigned function) {
  char out[32];
  std::snprintf(out, sizeof out, "%04x:%02x:%02x.%x", domain & 0xffffu,
                bus & 0xffu, device & 0xffu, function & 0xfu);
  return out;
}

std::string format_cuda_version(int version) {
  return std::to_string(version / 1000) + "." +
         std::to_string(version % 1000 / 10);
}

std::string parse_nvidia_driver_version(std::string_view text) {
  std::size_t at = text.find("Kernel Module");
  if (at == std::string_view::npos) return {};
  std::string line(text.substr(at, text.find('\n', at) - at));
  std::istringstream words(line);
  for (std::string word; words >> word;) {
    bool digits_and_dots = word.find('.') != std::string::npos &&
                           std::isdigit(static_cast<unsigned char>(word[0]));
    for (char c : word)
      if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.')
        digits_and_dots = false;
    if (digits_and_dots) return word;
  }
  return {};
}

namespace {

DeviceInfo status_row(int world_rank, std::string status) {
  DeviceInfo row;
  row.rank = world_rank;
  row.backend = "cuda";
  row.index = -1;
  row.status = "CUDA: " + std::move(status);
  return row;
}

}  // namespace

#if !CB_PROBE_CUDA

std::vector<DeviceInfo> probe_cuda(int world_rank, const char*) {
  return {status_row(world_rank,
                     "not built (configured without the CUDA toolkit)")};
}

#else

namespace {

// The driver entry points, looked up with dlsym. The library stays loaded:
// the CUDA kernels use the same driver later, and unloading libcuda is not
// supported.
struct Driver {
  decltype(&::cuInit) init = nullptr;
  decltype(&::cuDriverGetVersion) driver_get_version = nullptr;
  decltype(&::cuDeviceGetCount) device_get_count = nullptr;
  decltype(&::cuDeviceGet) device_get = nullptr;
  decltype(&::cuDeviceGetName) device_get_name = nullptr;
  decltype(&::cuDeviceGetUuid) device_get_uuid = nullptr;    // the _v2 one
  decltype(&::cuDeviceTotalMem) device_total_mem = nullptr;  // the _v2 one
  decltype(&::cuDeviceGetAttribute) device_get_attribute = nullptr;
  decltype(&::cuGetErrorName) get_error_name = nullptr;

  std::string error_name(CUresult code) const {
    const char* name = nullptr;
    if (get_error_name && get_error_name(code, &name) == CUDA_SUCCESS && name)
      return name;
    return "CUDA error " + std::to_string(static_cast<int>(code));
  }
};

template <class F>
bool look_up(void* library, F& fn, std::initializer_list<const char*> names,
             std::string& missing) {
  for (const char* name : names) {
    // POSIX guarantees that dlsym's result converts to a function pointer.
    if (void* symbol = dlsym(library, name)) {
      fn = reinterpret_cast<F>(symbol);
      return true;
    }
  }
  if (missing.empty()) missing = *names.begin();
  return false;
}

std::string kernel_driver_version() {
  std::ifstream in("/proc/driver/nvidia/version");
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  return parse_nvidia_driver_version(text.str());
}

}  // namespace

std::vector<DeviceInfo> probe_cuda(int world_rank, const char* library_name) {
  std::string why;
  void* library = open_runtime(library_name, "no driver", why);
  if (!library) return {status_row(world_rank, why)};

  Driver cu;
  std::string missing;
  bool ok = true;
  ok &= look_up(library, cu.init, {"cuInit"}, missing);
  ok &=
      look_up(library, cu.driver_get_version, {"cuDriverGetVersion"}, missing);
  ok &= look_up(library, cu.device_get_count, {"cuDeviceGetCount"}, missing);
  ok &= look_up(library, cu.device_get, {"cuDeviceGet"}, missing);
  ok &= look_up(library, cu.device_get_name, {"cuDeviceGetName"}, missing);
  ok &= look_up(library, cu.device_get_uuid,
                {"cuDeviceGetUuid_v2", "cuDeviceGetUuid"}, missing);
  ok &= look_up(library, cu.device_total_mem, {"cuDeviceTotalMem_v2"}, missing);
  ok &= look_up(library, cu.device_get_attribute, {"cuDeviceGetAttribute"},
                missing);
  look_up(library, cu.get_error_name, {"cuGetErrorName"}, missing);
  if (!ok)
    return {status_row(world_rank, std::string("driver too old (") +
                                       library_name + " lacks " + missing +
                                       ")")};

  if (CUresult r = cu.init(0); r != CUDA_SUCCESS) {
    std::string where = "(cuInit: " + cu.error_name(r) + ")";
    if (r == CUDA_ERROR_NO_DEVICE)
      return {status_row(world_rank, "no device " + where)};
    return {status_row(world_rank, "driver unusable " + where)};
  }

  std::string version;
  if (int v = 0; cu.driver_get_version(&v) == CUDA_SUCCESS)
    version = "CUDA " + format_cuda_version(v);
  if (std::string kernel = kernel_driver_version(); !kernel.empty())
    version += (version.empty() ? "driver " : ", driver ") + kernel;

  int count = 0;
  if (CUresult r = cu.device_get_count(&count); r != CUDA_SUCCESS)
    return {status_row(world_rank, "driver unusable (cuDeviceGetCount: " +
                                       cu.error_name(r) + ")")};
  if (count <= 0) return {status_row(world_rank, "no device")};

  std::vector<DeviceInfo> rows;
  for (int i = 0; i < count; ++i) {
    DeviceInfo row;
    row.rank = world_rank;
    row.backend = "cuda";
    row.index = i;
    row.driver_version = version;
    std::string failure;
    auto check = [&](CUresult r, const char* call) {
      if (r != CUDA_SUCCESS && failure.empty())
        failure = std::string(call) + " failed (" + cu.error_name(r) + ")";
      return r == CUDA_SUCCESS;
    };
    CUdevice device = 0;
    if (check(cu.device_get(&device, i), "cuDeviceGet")) {
      char name[256] = {};
      if (check(cu.device_get_name(name, sizeof name - 1, device),
                "cuDeviceGetName"))
        row.name = name;
      CUuuid uuid{};
      if (check(cu.device_get_uuid(&uuid, device), "cuDeviceGetUuid"))
        row.uuid = format_cuda_uuid(
            reinterpret_cast<const unsigned char*>(uuid.bytes));
      std::size_t bytes = 0;
      if (check(cu.device_total_mem(&bytes, device), "cuDeviceTotalMem"))
        row.mem_bytes = bytes;
      auto attribute = [&](CUdevice_attribute a, const char* what) {
        int value = 0;
        check(cu.device_get_attribute(&value, a, device), what);
        return value;
      };
      row.compute_units = attribute(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT,
                                    "cuDeviceGetAttribute(SM count)");
      row.clock_mhz = attribute(CU_DEVICE_ATTRIBUTE_CLOCK_RATE,
                                "cuDeviceGetAttribute(clock rate)") /
                      1000.0;
      int major = attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                            "cuDeviceGetAttribute(compute capability)");
      int minor = attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                            "cuDeviceGetAttribute(compute capability)");
      int domain = attribute(CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID,
                             "cuDeviceGetAttribute(PCI domain)");
      int bus = attribute(CU_DEVICE_ATTRIBUTE_PCI_BUS_ID,
                          "cuDeviceGetAttribute(PCI bus)");
      int dev = attribute(CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID,
                          "cuDeviceGetAttribute(PCI device)");
      row.pci_bus_id = format_pci_bus_id(static_cast<unsigned>(domain),
                                         static_cast<unsigned>(bus),
                                         static_cast<unsigned>(dev), 0);
      std::string sm = "sm_" + std::to_string(major) + std::to_string(minor);
      row.driver_version += (row.driver_version.empty() ? "" : ", ") + sm;
    }
    if (!failure.empty())
      row.status = "CUDA: device " + std::to_string(i) + ": " + failure;
    rows.push_back(std::move(row));
  }
  return rows;
}

#endif  // CB_PROBE_CUDA

}  // namespace cb
