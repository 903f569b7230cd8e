// kernels/cpu model kernels against naive double-precision loops.
#include "cpu/model_kernels.hpp"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <random>
#include <vector>

namespace k = cb::kernels::cpu;

namespace {

std::vector<float> random_values(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-2.0f, 2.0f);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

void expect_near_all(const std::vector<float>& got,
                     const std::vector<double>& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], tol * (1 + std::fabs(want[i]))) << "at " << i;
}

}  // namespace

TEST(ModelKernels, LayerNormAndRmsNormMatchNaive) {
  const std::size_t rows = 5, cols = 37;
  auto x = random_values(rows * cols, 1), gamma = random_values(cols, 2),
       beta = random_values(cols, 3);
  for (float& v : x) v += 100.0f;  // a large mean: the two-pass variance holds
  std::vector<float> ln(rows * cols), rms(rows * cols);
  for (int threads : {1, 3}) {
    omp_set_num_threads(threads);
    k::layernorm(x.data(), gamma.data(), beta.data(), ln.data(), rows, cols,
                 1e-5f);
    k::rmsnorm(x.data(), gamma.data(), rms.data(), rows, cols, 1e-5f);
    std::vector<double> want_ln, want_rms;
    for (std::size_t r = 0; r < rows; ++r) {
      double mean = 0, var = 0, sq = 0;
      for (std::size_t c = 0; c < cols; ++c) mean += x[r * cols + c];
      mean /= cols;
      for (std::size_t c = 0; c < cols; ++c) {
        double d = x[r * cols + c] - mean;
        var += d * d / cols,
            sq += double(x[r * cols + c]) * x[r * cols + c] / cols;
      }
      for (std::size_t c = 0; c < cols; ++c) {
        want_ln.push_back((x[r * cols + c] - mean) / std::sqrt(var + 1e-5) *
                              gamma[c] +
                          beta[c]);
        want_rms.push_back(x[r * cols + c] / std::sqrt(sq + 1e-5) * gamma[c]);
      }
    }
    expect_near_all(ln, want_ln, 1e-3);
    expect_near_all(rms, want_rms, 1e-5);
  }
}

TEST(ModelKernels, ActivationsMatchTheirDefinitions) {
  auto x = random_values(64, 4);
  std::vector<float> g = x;
  k::gelu(g.data(), g.size());
  std::vector<double> want;
  for (float v : x)
    want.push_back(0.5 * v * (1 + std::erf(v / std::sqrt(2.0))));
  expect_near_all(g, want, 1e-6);

  const std::size_t rows = 3, ffn = 10;
  auto gate_up = random_values(rows * 2 * ffn, 5);
  std::vector<float> out(rows * ffn);
  k::swiglu(gate_up.data(), out.data(), rows, ffn);
  want.clear();
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < ffn; ++j) {
      double a = gate_up[r * 2 * ffn + j], b = gate_up[r * 2 * ffn + ffn + j];
      want.push_back(a / (1 + std::exp(-a)) * b);
    }
  expect_near_all(out, want, 1e-6);

  std::vector<float> y = {1, 2, 3, 4, 5, 6}, bias = {10, 20, 30};
  k::add_bias(y.data(), bias.data(), 2, 3);
  EXPECT_EQ(y, (std::vector<float>{11, 22, 33, 14, 25, 36}));
  std::vector<float> z = {1, 1, 1, 1, 1, 1};
  k::add(z.data(), y.data(), 6);
  EXPECT_EQ(z[5], 37.0f);
}

TEST(ModelKernels, RopeRotatesPairsByPosition) {
  // Two tokens, two heads of dim 4 in rows of stride 10 (extra columns
  // must stay untouched), starting at position 3.
  const k::RopeShape s{1, 2, 2, 4, 10, 3};
  auto x = random_values(2 * 10, 6);
  auto before = x;
  k::rope(x.data(), s);
  for (std::size_t t = 0; t < 2; ++t) {
    for (std::size_t h = 0; h < 2; ++h)
      for (std::size_t i = 0; i < 2; ++i) {
        double angle = double(3 + t) * std::pow(10000.0, -2.0 * i / 4);
        double a = before[t * 10 + h * 4 + i],
               b = before[t * 10 + h * 4 + i + 2];
        EXPECT_NEAR(x[t * 10 + h * 4 + i],
                    a * std::cos(angle) - b * std::sin(angle), 1e-5);
        EXPECT_NEAR(x[t * 10 + h * 4 + i + 2],
                    b * std::cos(angle) + a * std::sin(angle), 1e-5);
      }
    EXPECT_EQ(x[t * 10 + 8], before[t * 10 + 8]);
  }
}

// Causal grouped-query attention with queries at the end of the context.
TEST(ModelKernels, AttentionMatchesNaiveSoftmaxAttention) {
  for (bool causal : {false, true}) {
    const k::AttentionShape s{2, 3, 5, 6, 4, 2, 8, 40, 16, 32, causal};
    auto q = random_values(s.batch * s.tokens * s.q_stride, 7);
    auto kk = random_values(s.batch * s.capacity * s.kv_stride, 8);
    auto v = random_values(s.batch * s.capacity * s.kv_stride, 9);
    std::vector<float> out(s.batch * s.tokens * s.out_stride, -1.0f);
    k::attention(q.data(), kk.data(), v.data(), out.data(), s);
    for (std::size_t b = 0; b < s.batch; ++b)
      for (std::size_t h = 0; h < s.heads; ++h)
        for (std::size_t t = 0; t < s.tokens; ++t) {
          const std::size_t g = h / (s.heads / s.kv_heads);
          const std::size_t visible =
              causal ? s.context - s.tokens + t + 1 : s.context;
          std::vector<double> p(visible);
          double total = 0;
          for (std::size_t j = 0; j < visible; ++j) {
            double dot = 0;
            for (std::size_t d = 0; d < s.head_dim; ++d)
              dot +=
                  double(
                      q[(b * s.tokens + t) * s.q_stride + h * s.head_dim + d]) *
                  kk[(b * s.capacity + j) * s.kv_stride + g * s.head_dim + d];
            p[j] = std::exp(dot / std::sqrt(double(s.head_dim)));
            total += p[j];
          }
          for (std::size_t d = 0; d < s.head_dim; ++d) {
            double want = 0;
            for (std::size_t j = 0; j < visible; ++j)
              want +=
                  p[j] / total *
                  v[(b * s.capacity + j) * s.kv_stride + g * s.head_dim + d];
            EXPECT_NEAR(
                out[(b * s.tokens + t) * s.out_stride + h * s.head_dim + d],
                want, 1e-5);
          }
        }
  }
}
