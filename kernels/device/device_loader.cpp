#include "device/device_loader.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

#include "cpu/host_device.hpp"

namespace cb::kernels {
namespace {

std::string executable_directory() {
  std::error_code ec;
  std::filesystem::path exe =
      std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

}  // namespace

std::vector<std::string> plugin_directories() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("CLUSTERBENCH_PLUGIN_DIR"); env && *env)
    dirs.emplace_back(env);
  std::string exe = executable_directory();
  if (!exe.empty()) {
    dirs.push_back(exe);
    dirs.push_back(exe + "/../lib/clusterbench");
  }
  return dirs;
}

void* open_plugin(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, void*> opened;  // never closed: see header
  std::lock_guard lock(mutex);
  if (auto it = opened.find(name); it != opened.end()) return it->second;

  const std::string file = "libclusterbench-" + name + ".so";
  std::string looked;
  for (const std::string& dir : plugin_directories()) {
    std::string path = dir + "/" + file;
    if (::access(path.c_str(), R_OK) != 0) {
      looked += (looked.empty() ? "" : ", ") + dir;
      continue;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      throw Unsupported(name + " backend: cannot load " + path + ": " +
                        (why ? why : "unknown dlopen error"));
    }
    auto abi = reinterpret_cast<PluginAbiFn>(dlsym(handle, "cb_plugin_abi"));
    if (!abi || abi() != kDeviceAbiVersion)
      throw Unsupported(name + " backend: " + path +
                        " is from another clusterbench version (ABI " +
                        (abi ? std::to_string(abi()) : "?") + ", want " +
                        std::to_string(kDeviceAbiVersion) + ")");
    opened.emplace(name, handle);
    return handle;
  }
  throw Unsupported(name + " backend: " + file + " not found in " +
                    (looked.empty() ? "any plugin directory" : looked) +
                    " (not built on this system?)");
}

void* plugin_symbol(void* plugin, const std::string& name,
                    const std::string& symbol) {
  void* p = dlsym(plugin, symbol.c_str());
  if (!p) throw Unsupported(name + " backend: plugin has no " + symbol);
  return p;
}

std::unique_ptr<Device> open_device(const std::string& backend, int index) {
  if (backend == "host" || backend == "cpu")
    return std::make_unique<HostDevice>();
  void* plugin = open_plugin(backend);
  auto open = reinterpret_cast<OpenDeviceFn>(
      plugin_symbol(plugin, backend, "cb_open_device"));
  return std::unique_ptr<Device>(open(index));
}

std::string communicator_unique_id(const std::string& library) {
  void* plugin = open_plugin(library);
  auto make = reinterpret_cast<UniqueIdFn>(
      plugin_symbol(plugin, library, "cb_unique_id"));
  std::string id(kUniqueIdBytes, '\0');
  make(id.data());
  return id;
}

std::unique_ptr<Communicator> open_communicator(const std::string& library,
                                                int device_index, int rank,
                                                int size,
                                                const std::string& id) {
  if (id.size() != kUniqueIdBytes)
    throw DeviceError(library + ": unique id of " + std::to_string(id.size()) +
                      " bytes, want " + std::to_string(kUniqueIdBytes));
  void* plugin = open_plugin(library);
  auto open = reinterpret_cast<OpenCommunicatorFn>(
      plugin_symbol(plugin, library, "cb_open_communicator"));
  return std::unique_ptr<Communicator>(
      open(device_index, rank, size, id.data()));
}

}  // namespace cb::kernels
