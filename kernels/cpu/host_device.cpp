#include "cpu/host_device.hpp"

#include <cstring>

#include "cpu/stream_kernels.hpp"

namespace cb::kernels {

HostDevice::HostDevice() {
  properties_.backend = "host";
  properties_.name = "host";
}

void* HostDevice::allocate(std::size_t bytes) {
  return allocate_host(bytes, false);
}
void HostDevice::release(void* buffer) noexcept {
  release_host(buffer, false);
}

void HostDevice::copy(void* dst, const void* src, std::size_t bytes) {
  std::memcpy(dst, src, bytes);
}

void HostDevice::stream_fill(double* x, double value, std::size_t n) {
  cpu::fill(x, value, n);
}
void HostDevice::stream_copy(const double* a, double* c, std::size_t n) {
  cpu::copy(a, c, n);
}
void HostDevice::stream_scale(double* b, const double* c, double scalar,
                              std::size_t n) {
  cpu::scale(b, c, scalar, n);
}
void HostDevice::stream_add(const double* a, const double* b, double* c,
                            std::size_t n) {
  cpu::add(a, b, c, n);
}
void HostDevice::stream_triad(double* a, const double* b, const double* c,
                              double scalar, std::size_t n) {
  cpu::triad(a, b, c, scalar, n);
}
double HostDevice::stream_dot(const double* a, const double* b, std::size_t n) {
  return cpu::dot(a, b, n);
}

}  // namespace cb::kernels
