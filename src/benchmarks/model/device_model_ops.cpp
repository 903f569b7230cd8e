// ModelOps on a GPU through the device API: buffers from Device::allocate,
// operations from Device::tensor_ops(precision) (cuBLAS and CUDA kernels on
// the CUDA backend) in the case's dtype, all queued on the device's one
// queue; sync() waits for it.
#include <string>
#include <vector>

#include "benchmarks/hardware/device_case.hpp"
#include "benchmarks/model/model_ops.hpp"
#include "core/error.hpp"

namespace cb::model {
namespace {

constexpr float kNormEps = 1e-5f;  // as the CPU backend

class DeviceModelOps final : public ModelOps {
 public:
  DeviceModelOps(std::shared_ptr<kernels::Device> device,
                 kernels::Precision precision)
      : device_(std::move(device)),
        precision_(precision),
        element_(kernels::element_bytes(precision)),
        ops_(skip_if_unsupported([&]() -> kernels::TensorOps& {
          return device_->tensor_ops(precision);
        })) {}
  ~DeviceModelOps() override {
    try {
      device_->synchronize();  // nothing queued may still use the buffers
    } catch (const std::exception&) {
    }
    for (void* b : buffers_) device_->release(b);
  }

  std::string backend() const override { return device_->properties().backend; }
  kernels::Precision precision() const override { return precision_; }
  Buf allocate(std::size_t count) override {
    void* p = device_->allocate(count * element_);
    buffers_.push_back(p);
    bytes_ += count * element_;
    std::vector<float> zeros(count, 0.0f);  // zeroed, as on the host
    device_->upload(precision_, zeros.data(), p, count);
    return Buf(p);
  }
  std::size_t allocated_bytes() const override { return bytes_; }
  void upload(Buf dst, const float* host, std::size_t count) override {
    device_->upload(precision_, host, at(dst), count);
  }
  void download(float* host, Buf src, std::size_t count) override {
    device_->download(precision_, at(src), host, count);
  }
  void copy_rows(Buf dst, std::size_t dst_stride, Buf src,
                 std::size_t src_stride, std::size_t rows,
                 std::size_t cols) override {
    ops_.copy_rows(at(dst), dst_stride, at(src), src_stride, rows, cols);
  }
  void linear(Buf x, Buf w, Buf bias, Buf y, std::size_t m, std::size_t k,
              std::size_t n) override {
    ops_.linear(at(x), at(w), at(bias), at(y), m, k, n);
  }
  void layernorm(Buf x, Buf gamma, Buf beta, Buf out, std::size_t rows,
                 std::size_t cols) override {
    ops_.layernorm(at(x), at(gamma), at(beta), at(out), rows, cols, kNormEps);
  }
  void rmsnorm(Buf x, Buf gamma, Buf out, std::size_t rows,
               std::size_t cols) override {
    ops_.rmsnorm(at(x), at(gamma), at(out), rows, cols, kNormEps);
  }
  void gelu(Buf x, std::size_t n) override { ops_.gelu(at(x), n); }
  void swiglu(Buf gate_up, Buf out, std::size_t rows,
              std::size_t ffn) override {
    ops_.swiglu(at(gate_up), at(out), rows, ffn);
  }
  void add(Buf x, Buf y, std::size_t n) override { ops_.add(at(x), at(y), n); }
  void rope(Buf x, const RopeShape& s) override {
    ops_.rope(at(x), {s.batch, s.tokens, s.heads, s.head_dim, s.row_stride,
                      s.first_position});
  }
  void attention(Buf q, Buf k, Buf v, Buf out,
                 const AttentionShape& s) override {
    ops_.attention(
        at(q), at(k), at(v), at(out),
        {s.batch, s.tokens, s.context, s.capacity, s.heads, s.kv_heads,
         s.head_dim, s.q_stride, s.kv_stride, s.out_stride, s.causal});
  }
  void sync() override { device_->synchronize(); }

 private:
  // The device address of a Buf: its offset counts elements.
  void* at(Buf b) const {
    return b ? static_cast<char*>(b.base()) + b.offset() * element_ : nullptr;
  }

  std::shared_ptr<kernels::Device> device_;
  kernels::Precision precision_;
  std::size_t element_;
  kernels::TensorOps& ops_;
  std::vector<void*> buffers_;
  std::size_t bytes_ = 0;
};

// The case's dtype: float32, float16 or bfloat16 (float32 without one).
kernels::Precision case_precision(const CaseContext& ctx) {
  auto it = ctx.params.find("dtype");
  if (it == ctx.params.end()) return kernels::Precision::FP32;
  const std::string name = cb::to_string(it->second);
  for (kernels::Precision p :
       {kernels::Precision::FP32, kernels::Precision::FP16,
        kernels::Precision::BF16})
    if (name == kernels::to_string(p)) return p;
  throw Error(ErrorKind::Input,
              "dtype must be float32, float16 or bfloat16, got " + name);
}

}  // namespace

std::unique_ptr<ModelOps> make_device_ops(
    std::shared_ptr<kernels::Device> device, kernels::Precision precision) {
  return std::make_unique<DeviceModelOps>(std::move(device), precision);
}

OpsFactory ops_factory(const CaseContext& ctx, int threads) {
  const kernels::Precision precision = case_precision(ctx);
  if (ctx.backend.empty() || ctx.backend == "cpu") {
    if (precision != kernels::Precision::FP32)
      throw Error(ErrorKind::Unavailable,
                  std::string("cpu backend: model inference in ") +
                      kernels::to_string(precision) +
                      " is not supported (float32 only)");
    set_blas_threads(1);  // the team splits the GEMMs (make_cpu_ops)
    return [threads] { return make_cpu_ops(threads); };
  }
  std::shared_ptr<kernels::Device> device = open_case_device(ctx);
  make_device_ops(device, precision);  // this precision works here, or skip
  return [device, precision] { return make_device_ops(device, precision); };
}

OpsFactory concurrent_ops_factory(const CaseContext& ctx, int threads) {
  if (ctx.backend.empty() || ctx.backend == "cpu")
    return ops_factory(ctx, threads);
  const kernels::Precision precision = case_precision(ctx);
  // Open it once now, so that a node without the backend (or precision)
  // skips the case before any model is built.
  make_device_ops(open_case_device(ctx), precision);
  CaseContext where;
  where.backend = ctx.backend, where.device_index = ctx.device_index;
  return [where, precision] {
    return make_device_ops(open_case_device(where), precision);
  };
}

}  // namespace cb::model
