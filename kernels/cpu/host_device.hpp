// The CPU as a Device: host memory and the OpenMP STREAM kernels of
// stream_kernels, so that a benchmark written against Device runs on the
// host too. Uses the calling thread's OpenMP thread count.
#pragma once

#include "device/device.hpp"

namespace cb::kernels {

class HostDevice final : public Device {
 public:
  HostDevice();
  const DeviceProperties& properties() const override { return properties_; }
  void* allocate(std::size_t bytes) override;
  void release(void* buffer) noexcept override;
  void copy(void* dst, const void* src, std::size_t bytes) override;
  void synchronize() override {}
  void stream_fill(double* x, double value, std::size_t n) override;
  void stream_copy(const double* a, double* c, std::size_t n) override;
  void stream_scale(double* b, const double* c, double scalar,
                    std::size_t n) override;
  void stream_add(const double* a, const double* b, double* c,
                  std::size_t n) override;
  void stream_triad(double* a, const double* b, const double* c, double scalar,
                    std::size_t n) override;
  double stream_dot(const double* a, const double* b, std::size_t n) override;

 private:
  DeviceProperties properties_;
};

}  // namespace cb::kernels
