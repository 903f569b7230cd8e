// What the hardware benchmarks share to run on any backend through the
// device API (kernels/device): opening the case's device, owning buffers on
// it, and turning "this backend cannot" into a skipped case.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>

#include "core/benchmark.hpp"
#include "core/error.hpp"
#include "device/device.hpp"

namespace cb {

// Runs f(); a kernels::Unsupported becomes cb::Error(Unavailable), which the
// runner records as a skipped case with the reason.
template <typename F>
decltype(auto) skip_if_unsupported(F&& f) {
  try {
    return std::forward<F>(f)();
  } catch (const kernels::Unsupported& e) {
    throw Error(ErrorKind::Unavailable, e.what());
  }
}

// The device the case runs on: the host for "cpu", else the backend's
// plugin opened on the case's device index.
std::unique_ptr<kernels::Device> open_case_device(const CaseContext& ctx);

// A buffer on a device (or host memory the device copies from), released
// with it.
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(kernels::Device& device, std::size_t bytes);
  static DeviceBuffer host(kernels::Device& device, std::size_t bytes,
                           bool pinned);
  DeviceBuffer(DeviceBuffer&& other) noexcept { swap(other); }
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    DeviceBuffer(std::move(other)).swap(*this);
    return *this;
  }
  ~DeviceBuffer();

  void* get() const { return data_; }
  template <typename T>
  T* as() const {
    return static_cast<T*>(data_);
  }
  std::size_t bytes() const { return bytes_; }

 private:
  void swap(DeviceBuffer& other) noexcept;

  kernels::Device* device_ = nullptr;
  void* data_ = nullptr;
  std::size_t bytes_ = 0;
  bool on_host_ = false, pinned_ = false;
};

}  // namespace cb
