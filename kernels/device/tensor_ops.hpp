// The tensor operations of transformer and MLP inference on a device's
// buffers (row-major; a rows x cols matrix is rows*cols contiguous elements),
// for the model benchmarks' GPU backends: src/benchmarks/model writes its
// forward passes over these through an adapter, as it does over kernels/cpu
// on the host. One TensorOps works in one element type (Device::tensor_ops:
// float32, float16 or bfloat16); every pointer is to elements of that type,
// and arithmetic (GEMM accumulation, norms, softmax) is in float32 whatever
// the storage. Calls are queued on the device's queue.
#pragma once

#include <cstddef>

namespace cb::kernels {

// Rotary embedding (rotate-half form, theta 10000) of `tokens` rows per
// sequence of `heads` heads; row t of sequence b at x + (b*tokens + t) *
// row_stride has position first_position + t.
struct RopeDims {
  std::size_t batch, tokens, heads, head_dim, row_stride, first_position;
};

// Scaled dot-product attention of `tokens` new queries per sequence against
// `context` cached keys/values (the queries are the last `tokens` of them);
// k and v rows (b, j) at (b*capacity + j) * kv_stride, kv head g at
// g*head_dim; query head h reads kv head h / (heads / kv_heads). Causal:
// query t sees keys 0 .. context - tokens + t.
struct AttentionDims {
  std::size_t batch, tokens, context, capacity;
  std::size_t heads, kv_heads, head_dim;
  std::size_t q_stride, kv_stride, out_stride;
  bool causal;
};

class TensorOps {
 public:
  virtual ~TensorOps() = default;
  // y[m, n] = x[m, k] * w[k, n] (+ bias[n] unless bias is null).
  virtual void linear(const void* x, const void* w, const void* bias, void* y,
                      std::size_t m, std::size_t k, std::size_t n) = 0;
  virtual void layernorm(const void* x, const void* gamma, const void* beta,
                         void* out, std::size_t rows, std::size_t cols,
                         float eps) = 0;
  virtual void rmsnorm(const void* x, const void* gamma, void* out,
                       std::size_t rows, std::size_t cols, float eps) = 0;
  virtual void gelu(void* x, std::size_t n) = 0;  // exact (erf) GELU
  // out[r, j] = silu(gate_up[r, j]) * gate_up[r, ffn + j].
  virtual void swiglu(const void* gate_up, void* out, std::size_t rows,
                      std::size_t ffn) = 0;
  virtual void add(void* x, const void* y, std::size_t n) = 0;
  virtual void rope(void* x, const RopeDims& dims) = 0;
  virtual void attention(const void* q, const void* k, const void* v, void* out,
                         const AttentionDims& dims) = 0;
  // dst row r (stride dst_stride) = src row r (stride src_stride).
  virtual void copy_rows(void* dst, std::size_t dst_stride, const void* src,
                         std::size_t src_stride, std::size_t rows,
                         std::size_t cols) = 0;
};

}  // namespace cb::kernels
