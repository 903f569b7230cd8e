#include "cpu/model_kernels.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace cb::kernels::cpu {

void layernorm(const float* x, const float* gamma, const float* beta,
               float* out, std::size_t rows, std::size_t cols, float eps) {
#pragma omp parallel for schedule(static)
  for (std::size_t r = 0; r < rows; ++r) {
    const float* in = x + r * cols;
    float* o = out + r * cols;
    // Two passes in double: a one-pass variance loses digits when the mean is
    // large against the spread.
    double mean = 0, var = 0;
    for (std::size_t c = 0; c < cols; ++c) mean += in[c];
    mean /= static_cast<double>(cols);
    for (std::size_t c = 0; c < cols; ++c)
      var += (in[c] - mean) * (in[c] - mean);
    var /= static_cast<double>(cols);
    const float m = static_cast<float>(mean);
    const float inv = static_cast<float>(1.0 / std::sqrt(var + eps));
    for (std::size_t c = 0; c < cols; ++c)
      o[c] = (in[c] - m) * inv * gamma[c] + beta[c];
  }
}

void rmsnorm(const float* x, const float* gamma, float* out, std::size_t rows,
             std::size_t cols, float eps) {
#pragma omp parallel for schedule(static)
  for (std::size_t r = 0; r < rows; ++r) {
    const float* in = x + r * cols;
    float* o = out + r * cols;
    double squares = 0;
    for (std::size_t c = 0; c < cols; ++c) squares += double(in[c]) * in[c];
    const float inv = static_cast<float>(
        1.0 / std::sqrt(squares / static_cast<double>(cols) + eps));
    for (std::size_t c = 0; c < cols; ++c) o[c] = in[c] * inv * gamma[c];
  }
}

void gelu(float* x, std::size_t n) {
  const float inv_sqrt2 = 0.70710678118654752f;
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i)
    x[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * inv_sqrt2));
}

void swiglu(const float* gate_up, float* out, std::size_t rows,
            std::size_t ffn) {
#pragma omp parallel for schedule(static)
  for (std::size_t r = 0; r < rows; ++r) {
    const float* gate = gate_up + r * 2 * ffn;
    const float* up = gate + ffn;
    for (std::size_t j = 0; j < ffn; ++j)
      out[r * ffn + j] = gate[j] / (1.0f + std::exp(-gate[j])) * up[j];
  }
}

void add(float* x, const float* y, std::size_t n) {
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) x[i] += y[i];
}

void add_bias(float* x, const float* bias, std::size_t rows, std::size_t cols) {
#pragma omp parallel for schedule(static)
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) x[r * cols + c] += bias[c];
}

void rope(float* x, const RopeShape& s) {
  const std::size_t half = s.head_dim / 2;
  const std::size_t rows = s.batch * s.tokens;
#pragma omp parallel for schedule(static)
  for (std::size_t row = 0; row < rows; ++row) {
    const double position = double(s.first_position + row % s.tokens);
    float* base = x + row * s.row_stride;
    for (std::size_t i = 0; i < half; ++i) {
      // Frequencies in double: position * theta^(-2i/d) must stay exact
      // enough at long contexts.
      double angle =
          position * std::pow(10000.0, -2.0 * double(i) / double(s.head_dim));
      const float c = static_cast<float>(std::cos(angle));
      const float sn = static_cast<float>(std::sin(angle));
      for (std::size_t h = 0; h < s.heads; ++h) {
        float* head = base + h * s.head_dim;
        const float a = head[i], b = head[i + half];
        head[i] = a * c - b * sn;
        head[i + half] = b * c + a * sn;
      }
    }
  }
}

namespace {

// One query row of one head: scores, softmax, weighted sum of values.
void attend_row(const float* q, const float* k, const float* v, float* out,
                std::size_t visible, const AttentionShape& s,
                std::vector<float>& scores) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(s.head_dim));
  float highest = -INFINITY;
  for (std::size_t j = 0; j < visible; ++j) {
    const float* key = k + j * s.kv_stride;
    float dot = 0;
#pragma omp simd reduction(+ : dot)
    for (std::size_t d = 0; d < s.head_dim; ++d) dot += q[d] * key[d];
    scores[j] = dot * scale;
    highest = std::max(highest, scores[j]);
  }
  float total = 0;
  for (std::size_t j = 0; j < visible; ++j) {
    scores[j] = std::exp(scores[j] - highest);  // max-shifted: no overflow
    total += scores[j];
  }
  std::fill(out, out + s.head_dim, 0.0f);
  for (std::size_t j = 0; j < visible; ++j) {
    const float p = scores[j] / total;
    const float* value = v + j * s.kv_stride;
#pragma omp simd
    for (std::size_t d = 0; d < s.head_dim; ++d) out[d] += p * value[d];
  }
}

}  // namespace

void attention_rows(const float* q, const float* k, const float* v, float* out,
                    const AttentionShape& s, std::size_t first,
                    std::size_t last) {
  const std::size_t group = s.heads / s.kv_heads;
  std::vector<float> scores(s.context);
  for (std::size_t index = first; index < last; ++index) {
    const std::size_t t = index % s.tokens;
    const std::size_t h = (index / s.tokens) % s.heads;
    const std::size_t b = index / (s.tokens * s.heads);
    const std::size_t visible =
        s.causal ? s.context - s.tokens + t + 1 : s.context;
    const std::size_t kv_offset =
        b * s.capacity * s.kv_stride + (h / group) * s.head_dim;
    const std::size_t row = b * s.tokens + t;
    attend_row(q + row * s.q_stride + h * s.head_dim, k + kv_offset,
               v + kv_offset, out + row * s.out_stride + h * s.head_dim,
               visible, s, scores);
  }
}

void attention(const float* q, const float* k, const float* v, float* out,
               const AttentionShape& s) {
  const std::size_t rows = s.batch * s.heads * s.tokens;
#pragma omp parallel
  {
    // Contiguous blocks, as schedule(static) would give.
    const std::size_t n = static_cast<std::size_t>(omp_get_num_threads());
    const std::size_t id = static_cast<std::size_t>(omp_get_thread_num());
    attention_rows(q, k, v, out, s, rows * id / n, rows * (id + 1) / n);
  }
}

}  // namespace cb::kernels::cpu
