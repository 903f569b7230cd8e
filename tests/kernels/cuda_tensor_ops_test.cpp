// The CUDA tensor operations (the model benchmarks' GPU backend) against
// plain host loops on small shapes. Runs on a GPU machine
// (launch/gpu-check.sh); skips where no GPU is usable.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "device/device_loader.hpp"

namespace k = cb::kernels;

namespace {

class TensorOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      device_ = k::open_device("cuda", 0);
      ops_ = &device_->tensor_ops(k::Precision::FP32);
    } catch (const std::exception& e) {
      GTEST_SKIP() << "no usable CUDA device: " << e.what();
    }
  }
  std::vector<float> random(std::size_t n, float scale = 1.0f) {
    std::uniform_real_distribution<float> u(-scale, scale);
    std::vector<float> x(n);
    for (float& v : x) v = u(rng_);
    return x;
  }
  float* up(const std::vector<float>& host) {
    void* d = device_->allocate(host.size() * 4 + 4);
    buffers_.push_back(d);
    device_->copy(d, host.data(), host.size() * 4);
    device_->synchronize();
    return static_cast<float*>(d);
  }
  std::vector<float> down(const float* d, std::size_t n) {
    std::vector<float> host(n);
    device_->copy(host.data(), d, n * 4);
    device_->synchronize();
    return host;
  }
  void TearDown() override {
    for (void* b : buffers_) device_->release(b);
  }
  static void expect_near(const std::vector<float>& got,
                          const std::vector<double>& want, double tol,
                          const char* what) {
    ASSERT_EQ(got.size(), want.size());
    double worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i)
      worst = std::max(worst, std::fabs(got[i] - want[i]) /
                                  std::max(1.0, std::fabs(want[i])));
    EXPECT_LT(worst, tol) << what;
  }

  std::unique_ptr<k::Device> device_;
  k::TensorOps* ops_ = nullptr;
  std::vector<void*> buffers_;
  std::mt19937 rng_{11};
};

TEST_F(TensorOpsTest, LinearWithBias) {
  const std::size_t m = 5, kk = 70, n = 33;
  auto x = random(m * kk), w = random(kk * n), b = random(n);
  float* y = up(std::vector<float>(m * n));
  ops_->linear(up(x), up(w), up(b), y, m, kk, n);
  std::vector<double> want(m * n);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double s = b[j];
      for (std::size_t l = 0; l < kk; ++l)
        s += double(x[i * kk + l]) * w[l * n + j];
      want[i * n + j] = s;
    }
  expect_near(down(y, m * n), want, 1e-5, "linear");
}

TEST_F(TensorOpsTest, NormsAndActivations) {
  const std::size_t rows = 3, cols = 300;
  auto x = random(rows * cols, 3.0f), g = random(cols), b = random(cols);
  float *dx = up(x), *out = up(std::vector<float>(rows * cols));
  std::vector<double> ln(rows * cols), rms(rows * cols);
  for (std::size_t r = 0; r < rows; ++r) {
    double mean = 0, var = 0, sq = 0;
    for (std::size_t c = 0; c < cols; ++c) mean += x[r * cols + c];
    mean /= cols;
    for (std::size_t c = 0; c < cols; ++c) {
      double d = x[r * cols + c] - mean;
      var += d * d, sq += double(x[r * cols + c]) * x[r * cols + c];
    }
    for (std::size_t c = 0; c < cols; ++c) {
      ln[r * cols + c] =
          (x[r * cols + c] - mean) / std::sqrt(var / cols + 1e-5) * g[c] + b[c];
      rms[r * cols + c] = x[r * cols + c] / std::sqrt(sq / cols + 1e-5) * g[c];
    }
  }
  ops_->layernorm(dx, up(g), up(b), out, rows, cols, 1e-5f);
  expect_near(down(out, rows * cols), ln, 1e-5, "layernorm");
  ops_->rmsnorm(dx, up(g), out, rows, cols, 1e-5f);
  expect_near(down(out, rows * cols), rms, 1e-5, "rmsnorm");

  std::vector<double> gelu(x.size()), added(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    gelu[i] = 0.5 * x[i] * (1 + std::erf(x[i] / std::sqrt(2.0)));
    added[i] = gelu[i] + g[i % cols];
  }
  ops_->gelu(dx, x.size());
  expect_near(down(dx, x.size()), gelu, 1e-5, "gelu");
  std::vector<float> tiled(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) tiled[i] = g[i % cols];
  ops_->add(dx, up(tiled), x.size());
  expect_near(down(dx, x.size()), added, 1e-5, "add");

  const std::size_t ffn = cols / 2;
  std::vector<double> sw(rows * ffn);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < ffn; ++j) {
      double gate = x[r * cols + j], upv = x[r * cols + ffn + j];
      sw[r * ffn + j] = gate / (1 + std::exp(-gate)) * upv;
    }
  float* sout = up(std::vector<float>(rows * ffn));
  ops_->swiglu(up(x), sout, rows, ffn);
  expect_near(down(sout, rows * ffn), sw, 1e-5, "swiglu");
}

TEST_F(TensorOpsTest, RopeAndCopyRows) {
  k::RopeDims s{2, 3, 2, 8, 20, 5};  // rows of 20 floats: 2 heads of 8 + 4
  auto x = random(s.batch * s.tokens * s.row_stride);
  std::vector<double> want(x.begin(), x.end());
  for (std::size_t row = 0; row < s.batch * s.tokens; ++row)
    for (std::size_t i = 0; i < 4; ++i) {
      double angle = double(s.first_position + row % s.tokens) *
                     std::pow(10000.0, -2.0 * i / 8.0);
      for (std::size_t h = 0; h < 2; ++h) {
        std::size_t at = row * 20 + h * 8;
        double a = x[at + i], b = x[at + i + 4];
        want[at + i] = a * std::cos(angle) - b * std::sin(angle);
        want[at + i + 4] = b * std::cos(angle) + a * std::sin(angle);
      }
    }
  float* dx = up(x);
  ops_->rope(dx, s);
  expect_near(down(dx, x.size()), want, 1e-5, "rope");

  float* dst = up(std::vector<float>(6 * 4, -1.0f));
  ops_->copy_rows(dst, 4, dx, 20, 6, 3);
  auto got = down(dst, 24);
  auto after = down(dx, x.size());
  for (std::size_t r = 0; r < 6; ++r) {
    for (std::size_t c = 0; c < 3; ++c)
      EXPECT_EQ(got[r * 4 + c], after[r * 20 + c]);
    EXPECT_EQ(got[r * 4 + 3], -1.0f);
  }
}

// Scaled dot-product attention in double, loop for loop from the header's
// definition (AttentionDims).
std::vector<double> reference_attention(const std::vector<float>& q,
                                        const std::vector<float>& kk,
                                        const std::vector<float>& v,
                                        const k::AttentionDims& s) {
  std::vector<double> want(s.batch * s.tokens * s.out_stride, 0.0);
  const std::size_t group = s.heads / s.kv_heads;
  for (std::size_t b = 0; b < s.batch; ++b)
    for (std::size_t h = 0; h < s.heads; ++h)
      for (std::size_t t = 0; t < s.tokens; ++t) {
        std::size_t visible =
            s.causal ? s.context - s.tokens + t + 1 : s.context;
        std::size_t kv =
            b * s.capacity * s.kv_stride + (h / group) * s.head_dim;
        const float* query =
            q.data() + (b * s.tokens + t) * s.q_stride + h * s.head_dim;
        std::vector<double> p(visible);
        double top = -1e300, total = 0;
        for (std::size_t j = 0; j < visible; ++j) {
          double dot = 0;
          for (std::size_t d = 0; d < s.head_dim; ++d)
            dot += query[d] * kk[kv + j * s.kv_stride + d];
          p[j] = dot / std::sqrt(double(s.head_dim));
          top = std::max(top, p[j]);
        }
        for (double& x : p) total += (x = std::exp(x - top));
        for (std::size_t d = 0; d < s.head_dim; ++d) {
          double acc = 0;
          for (std::size_t j = 0; j < visible; ++j)
            acc += p[j] / total * v[kv + j * s.kv_stride + d];
          want[(b * s.tokens + t) * s.out_stride + h * s.head_dim + d] = acc;
        }
      }
  return want;
}

// Grouped-query causal attention of 2 new tokens against a context of 5, in
// rows wider than the heads (strides 40, 24, 32) and a cache of capacity 7.
TEST_F(TensorOpsTest, CausalGroupedAttention) {
  k::AttentionDims s{2, 2, 5, 7, 4, 2, 8, 40, 24, 32, true};
  auto q = random(s.batch * s.tokens * s.q_stride);
  auto kk = random(s.batch * s.capacity * s.kv_stride);
  auto v = random(s.batch * s.capacity * s.kv_stride);
  float* out = up(std::vector<float>(s.batch * s.tokens * s.out_stride, 0.0f));
  ops_->attention(up(q), up(kk), up(v), out, s);
  expect_near(down(out, s.batch * s.tokens * s.out_stride),
              reference_attention(q, kk, v, s), 1e-5, "attention");
}

// The shapes the model benchmarks time: bert-base's encoder (12 heads of 64,
// 128 tokens, q/k/v rows of a packed 3 x 768 projection) and a llama decode
// step (one token against 300 cached of 512, 32 heads sharing 4 kv heads), in
// float32 and in both 16-bit storages (within their rounding).
TEST_F(TensorOpsTest, ModelShapedAttentionInEveryPrecision) {
  const k::AttentionDims shapes[] = {
      {2, 128, 128, 128, 12, 12, 64, 2304, 2304, 768, false},
      {2, 1, 300, 512, 32, 4, 64, 2048, 256, 2048, true}};
  for (const k::AttentionDims& s : shapes) {
    auto q = random(s.batch * s.tokens * s.q_stride);
    auto kk = random(s.batch * s.capacity * s.kv_stride);
    auto v = random(s.batch * s.capacity * s.kv_stride);
    const std::vector<double> want = reference_attention(q, kk, v, s);
    const std::size_t n = want.size();
    for (auto [p, tol] : {std::pair{k::Precision::FP32, 1e-5},
                          std::pair{k::Precision::FP16, 1e-2},
                          std::pair{k::Precision::BF16, 6e-2}}) {
      auto put = [&](const std::vector<float>& host) {
        void* d = device_->allocate(host.size() * 4 + 4);
        buffers_.push_back(d);
        device_->upload(p, host.data(), d, host.size());
        return d;
      };
      void* out = put(std::vector<float>(n, 0.0f));
      device_->tensor_ops(p).attention(put(q), put(kk), put(v), out, s);
      std::vector<float> got(n);
      device_->synchronize();
      device_->download(p, out, got.data(), n);
      expect_near(
          got, want, tol,
          (std::string(k::to_string(p)) + " tokens " + std::to_string(s.tokens))
              .c_str());
    }
  }
}

}  // namespace

// float16 and bfloat16 storage: the same chain (linear, GELU, layernorm,
// residual add) with every buffer in 16-bit elements agrees with the float32
// chain within the storage's rounding.
TEST_F(TensorOpsTest, SixteenBitStorageFollowsFloat32) {
  const std::size_t m = 6, kk = 64, n = 48;
  auto x = random(m * kk), w = random(kk * n, 0.2f), b = random(n, 0.1f);
  auto g = random(n), beta = random(n, 0.1f);
  auto chain = [&](k::TensorOps& ops, k::Precision p) {
    auto put = [&](const std::vector<float>& host) {
      void* d = device_->allocate(host.size() * 4 + 4);
      buffers_.push_back(d);
      device_->upload(p, host.data(), d, host.size());
      return d;
    };
    void* y = put(std::vector<float>(m * n));
    void* out = put(std::vector<float>(m * n));
    void* dx = put(x);
    ops.linear(dx, put(w), put(b), y, m, kk, n);
    ops.gelu(y, m * n);
    ops.layernorm(y, put(g), put(beta), out, m, n, 1e-5f);
    ops.add(out, y, m * n);
    std::vector<float> host(m * n);
    device_->synchronize();
    device_->download(p, out, host.data(), host.size());
    return host;
  };
  std::vector<float> f32 = chain(*ops_, k::Precision::FP32);
  std::vector<double> want(f32.begin(), f32.end());
  for (auto [p, tol] : {std::pair{k::Precision::FP16, 1e-2},
                        std::pair{k::Precision::BF16, 6e-2}}) {
    k::TensorOps& ops = device_->tensor_ops(p);
    expect_near(chain(ops, p), want, tol, k::to_string(p));
  }
}
