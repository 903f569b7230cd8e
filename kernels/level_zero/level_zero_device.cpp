// The Level Zero backend of the device API (plugin
// libclusterbench-level_zero.so): memory and copies only, which is what
// hardware.copy needs and needs no kernel. Copies are appended to a command
// list of a copy-engine queue group (the blitter, not the compute engines)
// and submitted together by synchronize(), so a batch of copies pays one
// submission, as the CUDA backend's stream does.
#include <level_zero/ze_api.h>

#include <cstdio>
#include <string>
#include <vector>

#include "device/device.hpp"

namespace cb::kernels {
namespace {

void check(ze_result_t status, const char* call) {
  if (status != ZE_RESULT_SUCCESS)
    throw DeviceError(std::string(call) + ": ze_result_t 0x" + [&] {
      char hex[16];
      std::snprintf(hex, sizeof hex, "%x", static_cast<unsigned>(status));
      return std::string(hex);
    }());
}
#define CB_ZE(call) check((call), #call)

// A queue group that copies and does not compute (the copy engines), else
// any group that copies.
std::uint32_t copy_ordinal(ze_device_handle_t device) {
  std::uint32_t count = 0;
  CB_ZE(zeDeviceGetCommandQueueGroupProperties(device, &count, nullptr));
  std::vector<ze_command_queue_group_properties_t> groups(count);
  for (auto& g : groups)
    g.stype = ZE_STRUCTURE_TYPE_COMMAND_QUEUE_GROUP_PROPERTIES;
  CB_ZE(zeDeviceGetCommandQueueGroupProperties(device, &count, groups.data()));
  int any = -1;
  for (std::uint32_t i = 0; i < count; ++i) {
    bool copies = groups[i].flags & ZE_COMMAND_QUEUE_GROUP_PROPERTY_FLAG_COPY;
    bool computes =
        groups[i].flags & ZE_COMMAND_QUEUE_GROUP_PROPERTY_FLAG_COMPUTE;
    if (copies && !computes) return i;
    if (copies && any < 0) any = static_cast<int>(i);
  }
  if (any < 0) throw Unsupported("level_zero backend: no queue group copies");
  return static_cast<std::uint32_t>(any);
}

class LevelZeroDevice final : public Device {
 public:
  explicit LevelZeroDevice(int index) {
    if (zeInit(ZE_INIT_FLAG_GPU_ONLY) != ZE_RESULT_SUCCESS)
      throw Unsupported("level_zero backend: no usable GPU (zeInit failed)");
    std::uint32_t drivers = 1;
    ze_driver_handle_t driver = nullptr;
    CB_ZE(zeDriverGet(&drivers, &driver));
    std::uint32_t count = 0;
    CB_ZE(zeDeviceGet(driver, &count, nullptr));
    std::vector<ze_device_handle_t> devices(count);
    CB_ZE(zeDeviceGet(driver, &count, devices.data()));
    if (index < 0 || static_cast<std::uint32_t>(index) >= count)
      throw DeviceError("Level Zero device " + std::to_string(index) +
                        " does not exist (" + std::to_string(count) + ")");
    device_ = devices[static_cast<std::size_t>(index)];
    ze_device_properties_t props{};
    props.stype = ZE_STRUCTURE_TYPE_DEVICE_PROPERTIES;
    CB_ZE(zeDeviceGetProperties(device_, &props));
    properties_.backend = "level_zero";
    properties_.name = props.name;
    properties_.index = index;
    properties_.compute_units = static_cast<int>(
        props.numSlices * props.numSubslicesPerSlice * props.numEUsPerSubslice);
    std::uint32_t memories = 1;
    ze_device_memory_properties_t memory{};
    memory.stype = ZE_STRUCTURE_TYPE_DEVICE_MEMORY_PROPERTIES;
    if (zeDeviceGetMemoryProperties(device_, &memories, &memory) ==
        ZE_RESULT_SUCCESS)
      properties_.memory_bytes = memory.totalSize;

    ze_context_desc_t context{ZE_STRUCTURE_TYPE_CONTEXT_DESC, nullptr, 0};
    CB_ZE(zeContextCreate(driver, &context, &context_));
    const std::uint32_t ordinal = copy_ordinal(device_);
    ze_command_queue_desc_t queue{};
    queue.stype = ZE_STRUCTURE_TYPE_COMMAND_QUEUE_DESC;
    queue.ordinal = ordinal;
    queue.mode = ZE_COMMAND_QUEUE_MODE_ASYNCHRONOUS;
    CB_ZE(zeCommandQueueCreate(context_, device_, &queue, &queue_));
    ze_command_list_desc_t list{};
    list.stype = ZE_STRUCTURE_TYPE_COMMAND_LIST_DESC;
    list.commandQueueGroupOrdinal = ordinal;
    CB_ZE(zeCommandListCreate(context_, device_, &list, &list_));
  }
  ~LevelZeroDevice() override {
    if (list_) zeCommandListDestroy(list_);
    if (queue_) zeCommandQueueDestroy(queue_);
    if (context_) zeContextDestroy(context_);
  }
  LevelZeroDevice(const LevelZeroDevice&) = delete;
  LevelZeroDevice& operator=(const LevelZeroDevice&) = delete;

  const DeviceProperties& properties() const override { return properties_; }

  void* allocate(std::size_t bytes) override {
    ze_device_mem_alloc_desc_t desc{};
    desc.stype = ZE_STRUCTURE_TYPE_DEVICE_MEM_ALLOC_DESC;
    void* p = nullptr;
    CB_ZE(zeMemAllocDevice(context_, &desc, bytes, 64, device_, &p));
    return p;
  }
  void release(void* buffer) noexcept override {
    if (buffer) zeMemFree(context_, buffer);
  }
  void* allocate_host(std::size_t bytes, bool pinned) override {
    if (!pinned) return Device::allocate_host(bytes, false);
    ze_host_mem_alloc_desc_t desc{};
    desc.stype = ZE_STRUCTURE_TYPE_HOST_MEM_ALLOC_DESC;
    void* p = nullptr;
    CB_ZE(zeMemAllocHost(context_, &desc, bytes, 64, &p));
    return p;
  }
  void release_host(void* buffer, bool pinned) noexcept override {
    if (pinned)
      zeMemFree(context_, buffer);
    else
      Device::release_host(buffer, false);
  }

  void copy(void* dst, const void* src, std::size_t bytes) override {
    CB_ZE(zeCommandListAppendMemoryCopy(list_, dst, src, bytes, nullptr, 0,
                                        nullptr));
    pending_ = true;
  }
  void synchronize() override {
    if (!pending_) return;
    pending_ = false;
    CB_ZE(zeCommandListClose(list_));
    CB_ZE(zeCommandQueueExecuteCommandLists(queue_, 1, &list_, nullptr));
    CB_ZE(zeCommandQueueSynchronize(queue_, UINT64_MAX));
    CB_ZE(zeCommandListReset(list_));
  }

 private:
  DeviceProperties properties_;
  ze_device_handle_t device_ = nullptr;
  ze_context_handle_t context_ = nullptr;
  ze_command_queue_handle_t queue_ = nullptr;
  ze_command_list_handle_t list_ = nullptr;
  bool pending_ = false;
};

}  // namespace
}  // namespace cb::kernels

extern "C" int cb_plugin_abi() {
  return cb::kernels::kDeviceAbiVersion;
}
extern "C" cb::kernels::Device* cb_open_device(int index) {
  return new cb::kernels::LevelZeroDevice(index);
}
