#include "benchmarks/hardware/device_case.hpp"

#include "device/device_loader.hpp"

namespace cb {

std::unique_ptr<kernels::Device> open_case_device(const CaseContext& ctx) {
  return skip_if_unsupported(
      [&] { return kernels::open_device(ctx.backend, ctx.device_index); });
}

DeviceBuffer::DeviceBuffer(kernels::Device& device, std::size_t bytes)
    : device_(&device), data_(device.allocate(bytes)), bytes_(bytes) {}

DeviceBuffer DeviceBuffer::host(kernels::Device& device, std::size_t bytes,
                                bool pinned) {
  DeviceBuffer b;
  b.data_ =
      skip_if_unsupported([&] { return device.allocate_host(bytes, pinned); });
  b.device_ = &device, b.bytes_ = bytes, b.on_host_ = true, b.pinned_ = pinned;
  return b;
}

DeviceBuffer::~DeviceBuffer() {
  if (!device_ || !data_) return;
  if (on_host_)
    device_->release_host(data_, pinned_);
  else
    device_->release(data_);
}

void DeviceBuffer::swap(DeviceBuffer& other) noexcept {
  std::swap(device_, other.device_), std::swap(data_, other.data_);
  std::swap(bytes_, other.bytes_), std::swap(on_host_, other.on_host_);
  std::swap(pinned_, other.pinned_);
}

}  // namespace cb
