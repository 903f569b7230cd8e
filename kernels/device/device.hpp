// The backend-neutral device API behind which every accelerator backend sits
// (as BabelStream's Stream<T>, chosen at run time instead of build time).
// Benchmarks in src/benchmarks talk to a Device; a GPU backend is a plugin
// (libclusterbench-<backend>.so) opened with dlopen by device_loader, so the
// clusterbench binary links no GPU library and starts on any node.
//
// Buffers from allocate() live on the device; allocate_host() gives host
// memory the device copies from quickly (pinned) or ordinary (pageable).
// Work is queued in order on the device's one queue; synchronize() waits for
// it and throws DeviceError if any of it failed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "device/tensor_ops.hpp"

namespace cb::kernels {

// Raised by a backend call that failed (names the call and the error).
class DeviceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Raised when this backend, build or device cannot do what was asked: the
// case is skipped with this reason, not failed.
class Unsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Precision { FP64, FP32, TF32, FP16, BF16 };

// "float64", "float32", "tf32", "float16", "bfloat16".
const char* to_string(Precision p);
// Throws std::invalid_argument for any other name.
Precision precision_named(std::string_view name);
// Bytes of one stored element (TF32 is stored as float32).
std::size_t element_bytes(Precision p);

struct DeviceProperties {
  std::string backend;             // "cuda", "host", ...
  std::string name;                // "NVIDIA H200"
  int index = 0;                   // the ordinal the backend was opened with
  int compute_units = 0;           // SMs, EUs or PUs
  std::uint64_t memory_bytes = 0;  // device memory
  std::uint64_t cache_bytes = 0;   // last-level cache (a GPU's L2)
};

// What one fma_chains call did, for the FLOP count and the check.
struct FmaRun {
  std::int64_t threads = 0;  // device threads that ran chains
  int chains = 0;            // independent chains per thread
  std::int64_t steps = 0;    // x = x*a + b steps per chain
  double flops() const { return 2.0 * threads * chains * steps; }
};

class Device {
 public:
  virtual ~Device() = default;
  virtual const DeviceProperties& properties() const = 0;

  // Memory. release() accepts nullptr.
  virtual void* allocate(std::size_t bytes) = 0;
  virtual void release(void* buffer) noexcept = 0;
  virtual void* allocate_host(std::size_t bytes, bool pinned);
  virtual void release_host(void* buffer, bool pinned) noexcept;
  // Queues a copy of `bytes` between any two buffers of this device and the
  // host (the direction follows from the pointers).
  virtual void copy(void* dst, const void* src, std::size_t bytes) = 0;
  virtual void synchronize() = 0;

  // STREAM (BabelStream's kernels) on fp64 arrays from allocate().
  virtual void stream_fill(double* x, double value, std::size_t n);
  virtual void stream_copy(const double* a, double* c, std::size_t n);
  virtual void stream_scale(double* b, const double* c, double scalar,
                            std::size_t n);
  virtual void stream_add(const double* a, const double* b, double* c,
                          std::size_t n);
  virtual void stream_triad(double* a, const double* b, const double* c,
                            double scalar, std::size_t n);
  // Sum of a[i]*b[i]; waits for the result.
  virtual double stream_dot(const double* a, const double* b, std::size_t n);

  // Peak FLOP/s: every device thread runs independent chains of
  // x = fma(x, a, b) in registers from start + c*delta (chain c), and writes
  // its chains' final values to `out` (threads*chains elements of p, from
  // allocate(); size it with fma_shape()). Queued, not waited for.
  virtual FmaRun fma_shape(Precision p, std::int64_t steps);
  virtual void fma_chains(Precision p, std::int64_t steps, double a, double b,
                          double start, double delta, void* out);

  // C = A*B, square n x n, column-major, elements of precision p (TF32:
  // float32 data, tensor-core math), accumulating in at least float32.
  virtual void gemm(Precision p, int n, const void* a, const void* b, void* c);
  // Copies `count` floats to/from device elements of precision p, converting
  // (rounding to nearest) on the way; waits until done.
  virtual void upload(Precision p, const float* host, void* device,
                      std::size_t count);
  virtual void download(Precision p, const void* device, float* host,
                        std::size_t count);

  // The model benchmarks' operations on this device's buffers of elements of
  // precision p (FP32, FP16 or BF16), owned by the device.
  virtual TensorOps& tensor_ops(Precision p);

 protected:
  // Throws Unsupported("<backend> backend: <what> is not supported").
  [[noreturn]] void unsupported(const std::string& what) const;
};

// A plugin's entry points (extern "C", looked up by device_loader).
// The ABI version changes whenever Device's layout does; a plugin of another
// version is refused rather than called.
constexpr int kDeviceAbiVersion = 3;
using PluginAbiFn = int (*)();
using OpenDeviceFn = Device* (*)(int index);  // throws on failure

}  // namespace cb::kernels
