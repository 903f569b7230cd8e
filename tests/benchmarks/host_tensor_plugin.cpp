// A device plugin for tests: host memory and host kernels behind the device
// API, loaded like libclusterbench-cuda.so (CLUSTERBENCH_PLUGIN_DIR), so that
// the model benchmarks' GPU path (DeviceModelOps, one device handle per
// co-located model or pool context, sync per request) runs and is checked on
// a machine without a GPU. Not a backend: built for the tests only.
#include <atomic>
#include <cstring>
#include <memory>

#include "cpu/model_kernels.hpp"
#include "device/device.hpp"

namespace {

using namespace cb::kernels;

std::atomic<int> g_opened{0};         // devices opened since load
std::atomic<long> g_synchronized{0};  // synchronize() calls, all devices

class HostTensorOps final : public TensorOps {
 public:
  void linear(const float* x, const float* w, const float* bias, float* y,
              std::size_t m, std::size_t k, std::size_t n) override {
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        float acc = bias ? bias[j] : 0.0f;
        for (std::size_t p = 0; p < k; ++p) acc += x[i * k + p] * w[p * n + j];
        y[i * n + j] = acc;
      }
  }
  void layernorm(const float* x, const float* gamma, const float* beta,
                 float* out, std::size_t rows, std::size_t cols,
                 float eps) override {
    cpu::layernorm(x, gamma, beta, out, rows, cols, eps);
  }
  void rmsnorm(const float* x, const float* gamma, float* out, std::size_t rows,
               std::size_t cols, float eps) override {
    cpu::rmsnorm(x, gamma, out, rows, cols, eps);
  }
  void gelu(float* x, std::size_t n) override { cpu::gelu(x, n); }
  void swiglu(const float* gate_up, float* out, std::size_t rows,
              std::size_t ffn) override {
    cpu::swiglu(gate_up, out, rows, ffn);
  }
  void add(float* x, const float* y, std::size_t n) override {
    cpu::add(x, y, n);
  }
  void rope(float* x, const RopeDims& d) override {
    cpu::rope(x, {d.batch, d.tokens, d.heads, d.head_dim, d.row_stride,
                  d.first_position});
  }
  void attention(const float* q, const float* k, const float* v, float* out,
                 const AttentionDims& d) override {
    cpu::attention(
        q, k, v, out,
        {d.batch, d.tokens, d.context, d.capacity, d.heads, d.kv_heads,
         d.head_dim, d.q_stride, d.kv_stride, d.out_stride, d.causal});
  }
  void copy_rows(float* dst, std::size_t dst_stride, const float* src,
                 std::size_t src_stride, std::size_t rows,
                 std::size_t cols) override {
    for (std::size_t r = 0; r < rows; ++r)
      std::memcpy(dst + r * dst_stride, src + r * src_stride,
                  cols * sizeof(float));
  }
};

class HostTensorDevice final : public Device {
 public:
  explicit HostTensorDevice(int index) {
    properties_.backend = "hosttensor";
    properties_.name = "host tensor test device";
    properties_.index = index;
    properties_.compute_units = 1;
    ++g_opened;
  }
  const DeviceProperties& properties() const override { return properties_; }
  void* allocate(std::size_t bytes) override {
    // Not zeroed, as on a GPU: DeviceModelOps must clear what it promises.
    auto* p = static_cast<unsigned char*>(::operator new(bytes));
    std::memset(p, 0xA5, bytes);
    return p;
  }
  void release(void* buffer) noexcept override { ::operator delete(buffer); }
  void copy(void* dst, const void* src, std::size_t bytes) override {
    std::memcpy(dst, src, bytes);
  }
  void synchronize() override { ++g_synchronized; }
  TensorOps& tensor_ops() override { return ops_; }

 private:
  DeviceProperties properties_;
  HostTensorOps ops_;
};

}  // namespace

extern "C" int cb_plugin_abi() {
  return cb::kernels::kDeviceAbiVersion;
}
extern "C" cb::kernels::Device* cb_open_device(int index) {
  return new HostTensorDevice(index);
}
// For the tests' assertions (looked up with dlsym on the loaded plugin).
extern "C" int cb_test_devices_opened() {
  return g_opened.load();
}
extern "C" long cb_test_synchronized() {
  return g_synchronized.load();
}
