// ModelOps on a GPU through the device API: buffers from Device::allocate,
// operations from Device::tensor_ops() (cuBLAS and CUDA kernels on the CUDA
// backend), all queued on the device's one queue; sync() waits for it.
#include <vector>

#include "benchmarks/hardware/device_case.hpp"
#include "benchmarks/model/model_ops.hpp"

namespace cb::model {
namespace {

constexpr float kNormEps = 1e-5f;  // as the CPU backend

class DeviceModelOps final : public ModelOps {
 public:
  explicit DeviceModelOps(std::shared_ptr<kernels::Device> device)
      : device_(std::move(device)),
        ops_(skip_if_unsupported(
            [&]() -> kernels::TensorOps& { return device_->tensor_ops(); })) {}
  ~DeviceModelOps() override {
    try {
      device_->synchronize();  // nothing queued may still use the buffers
    } catch (const std::exception&) {
    }
    for (void* b : buffers_) device_->release(b);
  }

  std::string backend() const override { return device_->properties().backend; }
  float* allocate(std::size_t count) override {
    void* p = device_->allocate(count * sizeof(float));
    buffers_.push_back(p);
    bytes_ += count * sizeof(float);
    device_->copy(p, std::vector<float>(count, 0.0f).data(),
                  count * sizeof(float));  // zeroed, as on the host
    device_->synchronize();
    return static_cast<float*>(p);
  }
  std::size_t allocated_bytes() const override { return bytes_; }
  void upload(float* dst, const float* host, std::size_t count) override {
    device_->copy(dst, host, count * sizeof(float));
    device_->synchronize();
  }
  void download(float* host, const float* src, std::size_t count) override {
    device_->copy(host, src, count * sizeof(float));
    device_->synchronize();
  }
  void copy_rows(float* dst, std::size_t dst_stride, const float* src,
                 std::size_t src_stride, std::size_t rows,
                 std::size_t cols) override {
    ops_.copy_rows(dst, dst_stride, src, src_stride, rows, cols);
  }
  void linear(const float* x, const float* w, const float* bias, float* y,
              std::size_t m, std::size_t k, std::size_t n) override {
    ops_.linear(x, w, bias, y, m, k, n);
  }
  void layernorm(const float* x, const float* gamma, const float* beta,
                 float* out, std::size_t rows, std::size_t cols) override {
    ops_.layernorm(x, gamma, beta, out, rows, cols, kNormEps);
  }
  void rmsnorm(const float* x, const float* gamma, float* out, std::size_t rows,
               std::size_t cols) override {
    ops_.rmsnorm(x, gamma, out, rows, cols, kNormEps);
  }
  void gelu(float* x, std::size_t n) override { ops_.gelu(x, n); }
  void swiglu(const float* gate_up, float* out, std::size_t rows,
              std::size_t ffn) override {
    ops_.swiglu(gate_up, out, rows, ffn);
  }
  void add(float* x, const float* y, std::size_t n) override {
    ops_.add(x, y, n);
  }
  void rope(float* x, const RopeShape& s) override {
    ops_.rope(x, {s.batch, s.tokens, s.heads, s.head_dim, s.row_stride,
                  s.first_position});
  }
  void attention(const float* q, const float* k, const float* v, float* out,
                 const AttentionShape& s) override {
    ops_.attention(
        q, k, v, out,
        {s.batch, s.tokens, s.context, s.capacity, s.heads, s.kv_heads,
         s.head_dim, s.q_stride, s.kv_stride, s.out_stride, s.causal});
  }
  void sync() override { device_->synchronize(); }

 private:
  std::shared_ptr<kernels::Device> device_;
  kernels::TensorOps& ops_;
  std::vector<void*> buffers_;
  std::size_t bytes_ = 0;
};

}  // namespace

std::unique_ptr<ModelOps> make_device_ops(
    std::shared_ptr<kernels::Device> device) {
  return std::make_unique<DeviceModelOps>(std::move(device));
}

OpsFactory ops_factory(const CaseContext& ctx, int threads) {
  if (ctx.backend.empty() || ctx.backend == "cpu") {
    set_blas_threads(1);  // the team splits the GEMMs (make_cpu_ops)
    return [threads] { return make_cpu_ops(threads); };
  }
  std::shared_ptr<kernels::Device> device = open_case_device(ctx);
  return [device] { return make_device_ops(device); };
}

OpsFactory concurrent_ops_factory(const CaseContext& ctx, int threads) {
  if (ctx.backend.empty() || ctx.backend == "cpu")
    return ops_factory(ctx, threads);
  // Open it once now, so that a node without the backend skips the case
  // before any model is built.
  open_case_device(ctx);
  CaseContext where;
  where.backend = ctx.backend, where.device_index = ctx.device_index;
  return [where] { return make_device_ops(open_case_device(where)); };
}

}  // namespace cb::model
