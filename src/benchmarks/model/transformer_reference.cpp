#include "benchmarks/model/transformer_reference.hpp"

#include <cmath>

#include "benchmarks/model/transformer_model.hpp"

namespace cb::model {
namespace {

using Matrix = std::vector<double>;  // row-major

// y[rows, n] = x[rows, k] * w[k, n] + bias
Matrix matmul(const Matrix& x, const std::vector<float>& w,
              const std::vector<float>& bias, std::size_t rows, std::size_t k,
              std::size_t n) {
  Matrix y(rows * n, 0.0);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = 0; j < n; ++j)
        y[r * n + j] += x[r * k + i] * w[i * n + j];
  if (!bias.empty())
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < n; ++j) y[r * n + j] += bias[j];
  return y;
}

Matrix normalise(const Matrix& x, const std::vector<float>& gamma,
                 const std::vector<float>& beta, bool rms, std::size_t rows,
                 std::size_t cols) {
  Matrix y(x.size());
  for (std::size_t r = 0; r < rows; ++r) {
    const double* in = &x[r * cols];
    double mean = 0, var = 0;
    if (!rms) {
      for (std::size_t c = 0; c < cols; ++c) mean += in[c] / double(cols);
    }
    for (std::size_t c = 0; c < cols; ++c)
      var += (in[c] - mean) * (in[c] - mean) / double(cols);
    for (std::size_t c = 0; c < cols; ++c)
      y[r * cols + c] = (in[c] - mean) / std::sqrt(var + 1e-5) * gamma[c] +
                        (rms ? 0.0 : beta[c]);
  }
  return y;
}

// Rotate-half rotary embedding of head vector v at position p.
void rotate(double* v, std::size_t dim, double p) {
  for (std::size_t i = 0; i < dim / 2; ++i) {
    double angle = p * std::pow(10000.0, -2.0 * double(i) / double(dim));
    double a = v[i], b = v[i + dim / 2];
    v[i] = a * std::cos(angle) - b * std::sin(angle);
    v[i + dim / 2] = b * std::cos(angle) + a * std::sin(angle);
  }
}

// Attention of one sequence: qkv [seq, (heads + 2 kv) * hd] -> [seq, hidden].
Matrix attend(Matrix qkv, const TransformerShape& s, std::size_t seq) {
  const std::size_t hd = std::size_t(s.head_dim()),
                    heads = std::size_t(s.heads);
  const std::size_t kv = std::size_t(s.kv_heads),
                    cols = std::size_t(s.qkv_columns());
  if (s.rotary())
    for (std::size_t t = 0; t < seq; ++t)
      for (std::size_t h = 0; h < heads + kv; ++h)
        rotate(&qkv[t * cols + h * hd], hd, double(t));
  Matrix out(seq * heads * hd, 0.0);
  for (std::size_t h = 0; h < heads; ++h) {
    const std::size_t g = h / (heads / kv);
    const std::size_t k_at = (heads + g) * hd, v_at = (heads + kv + g) * hd;
    for (std::size_t t = 0; t < seq; ++t) {
      std::size_t visible = s.causal() ? t + 1 : seq;
      std::vector<double> p(visible);
      double highest = -INFINITY, total = 0;
      for (std::size_t j = 0; j < visible; ++j) {
        double dot = 0;
        for (std::size_t d = 0; d < hd; ++d)
          dot += qkv[t * cols + h * hd + d] * qkv[j * cols + k_at + d];
        p[j] = dot / std::sqrt(double(hd));
        highest = std::max(highest, p[j]);
      }
      for (double& x : p) total += (x = std::exp(x - highest));
      for (std::size_t j = 0; j < visible; ++j)
        for (std::size_t d = 0; d < hd; ++d)
          out[t * heads * hd + h * hd + d] +=
              p[j] / total * qkv[j * cols + v_at + d];
    }
  }
  return out;
}

void add(Matrix& x, const Matrix& y) {
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += y[i];
}

// One layer over one sequence, x [seq, hidden] updated in place.
void layer(Matrix& x, const TransformerShape& s, const LayerWeights& w,
           std::size_t seq) {
  const std::size_t h = std::size_t(s.hidden), f = std::size_t(s.ffn);
  const bool rms = s.gated();
  Matrix in =
      s.pre_norm() ? normalise(x, w.norm1_gamma, w.norm1_beta, rms, seq, h) : x;
  Matrix qkv =
      matmul(in, w.w_qkv, w.b_qkv, seq, h, std::size_t(s.qkv_columns()));
  add(x, matmul(attend(qkv, s, seq), w.w_o, w.b_o, seq, h, h));
  if (!s.pre_norm()) x = normalise(x, w.norm1_gamma, w.norm1_beta, rms, seq, h);
  in =
      s.pre_norm() ? normalise(x, w.norm2_gamma, w.norm2_beta, rms, seq, h) : x;
  Matrix up = matmul(in, w.w_up, w.b_up, seq, h, s.gated() ? 2 * f : f);
  Matrix act(seq * f);
  for (std::size_t t = 0; t < seq; ++t)
    for (std::size_t j = 0; j < f; ++j) {
      if (s.gated()) {
        double gate = up[t * 2 * f + j], value = up[t * 2 * f + f + j];
        act[t * f + j] = gate / (1 + std::exp(-gate)) * value;
      } else {
        double v = up[t * f + j];
        act[t * f + j] = 0.5 * v * (1 + std::erf(v / std::sqrt(2.0)));
      }
    }
  add(x, matmul(act, w.w_down, w.b_down, seq, f, h));
  if (!s.pre_norm()) x = normalise(x, w.norm2_gamma, w.norm2_beta, rms, seq, h);
}

}  // namespace

std::vector<double> reference_forward(const TransformerShape& s,
                                      std::int64_t batch, std::int64_t seq,
                                      const std::vector<float>& inputs,
                                      std::uint64_t seed) {
  const std::size_t per_seq = std::size_t(seq * s.hidden);
  std::vector<Matrix> x(static_cast<std::size_t>(batch));
  for (std::size_t b = 0; b < x.size(); ++b)
    x[b].assign(inputs.begin() + b * per_seq,
                inputs.begin() + (b + 1) * per_seq);
  for (std::int64_t l = 0; l < s.layers; ++l) {
    LayerWeights w = make_layer_weights(s, seed, l);
    for (Matrix& one : x) layer(one, s, w, std::size_t(seq));
  }
  std::vector<double> out;
  for (const Matrix& one : x) out.insert(out.end(), one.begin(), one.end());
  return out;
}

}  // namespace cb::model
