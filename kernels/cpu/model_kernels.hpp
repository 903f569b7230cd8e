// Element-wise and attention kernels of transformer inference (fp32, host),
// parallelised with OpenMP over rows in the calling thread's team. GEMMs are
// not here: the model backends call BLAS for them. Layouts are row-major:
// a matrix of `rows` x `cols` is rows * cols contiguous floats.
#pragma once

#include <cstddef>

namespace cb::kernels::cpu {

// out = (x - mean) / sqrt(var + eps) * gamma + beta, per row (BERT, GPT-2).
void layernorm(const float* x, const float* gamma, const float* beta,
               float* out, std::size_t rows, std::size_t cols, float eps);
// out = x / sqrt(mean(x^2) + eps) * gamma, per row (LLaMA).
void rmsnorm(const float* x, const float* gamma, float* out, std::size_t rows,
             std::size_t cols, float eps);
// x = x * Phi(x), the exact (erf) GELU, in place.
void gelu(float* x, std::size_t n);
// out[r, j] = silu(gate_up[r, j]) * gate_up[r, ffn + j]: SwiGLU on a fused
// gate|up projection of 2 * ffn columns per row.
void swiglu(const float* gate_up, float* out, std::size_t rows,
            std::size_t ffn);
// x[i] += y[i] (residual connections).
void add(float* x, const float* y, std::size_t n);
// x[r, c] += bias[c].
void add_bias(float* x, const float* bias, std::size_t rows, std::size_t cols);

// Rotary position embedding (LLaMA's rotate-half form, theta 10000) applied
// in place to `tokens` rows of `heads` heads of `head_dim` values; row t of
// sequence b sits at x + (b * tokens + t) * row_stride and has position
// first_position + t.
struct RopeShape {
  std::size_t batch, tokens, heads, head_dim, row_stride, first_position;
};
void rope(float* x, const RopeShape& shape);

// Scaled dot-product attention of `tokens` new queries per sequence against
// `context` cached keys/values (the queries are the last `tokens` of them).
// q: row (b, t) at (b * tokens + t) * q_stride, head h at h * head_dim;
// out likewise with out_stride. k and v: row (b, j) at (b * capacity + j) *
// kv_stride, kv head g at g * head_dim; query head h reads kv head h / (heads /
// kv_heads) (grouped queries). Causal: query t sees keys 0 .. context - tokens
// + t.
struct AttentionShape {
  std::size_t batch, tokens, context, capacity;
  std::size_t heads, kv_heads, head_dim;
  std::size_t q_stride, kv_stride, out_stride;
  bool causal;
};
void attention(const float* q, const float* k, const float* v, float* out,
               const AttentionShape& shape);
// The same for the query rows [first, last) of the batch * heads * tokens
// rows (sequence-major, then head, then token), on the calling thread alone:
// for callers that bring their own threads.
void attention_rows(const float* q, const float* k, const float* v, float* out,
                    const AttentionShape& shape, std::size_t first,
                    std::size_t last);

}  // namespace cb::kernels::cpu
