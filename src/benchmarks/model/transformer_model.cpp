#include "benchmarks/model/transformer_model.hpp"

#include <algorithm>
#include <cmath>

namespace cb::model {
namespace {

// Which tensor of a layer a random stream belongs to.
enum Tensor : std::uint64_t {
  kNorm1Gamma,
  kNorm1Beta,
  kQkv,
  kQkvBias,
  kOut,
  kOutBias,
  kNorm2Gamma,
  kNorm2Beta,
  kUp,
  kUpBias,
  kDown,
  kDownBias,
  kTensors
};

std::vector<float> weight(std::int64_t fan_in, std::int64_t count,
                          std::uint64_t seed, std::uint64_t stream) {
  // Variance 1/fan_in keeps activations of order one through the stack.
  return random_uniform(static_cast<std::size_t>(count),
                        std::sqrt(3.0f / static_cast<float>(fan_in)), seed,
                        stream);
}

std::vector<float> around_one(std::int64_t count, std::uint64_t seed,
                              std::uint64_t stream) {
  auto v = random_uniform(static_cast<std::size_t>(count), 0.1f, seed, stream);
  for (float& x : v) x += 1.0f;
  return v;
}

}  // namespace

LayerWeights make_layer_weights(const TransformerShape& s, std::uint64_t seed,
                                std::int64_t layer) {
  const std::uint64_t base = static_cast<std::uint64_t>(layer) * kTensors;
  const std::int64_t h = s.hidden, qkv = s.qkv_columns();
  const std::int64_t up = s.gated() ? 2 * s.ffn : s.ffn;
  auto small = [&](std::int64_t n, Tensor t) {
    return random_uniform(static_cast<std::size_t>(n), 0.1f, seed, base + t);
  };
  LayerWeights w;
  w.norm1_gamma = around_one(h, seed, base + kNorm1Gamma);
  w.norm2_gamma = around_one(h, seed, base + kNorm2Gamma);
  w.w_qkv = weight(h, h * qkv, seed, base + kQkv);
  w.w_o = weight(h, h * h, seed, base + kOut);
  w.w_up = weight(h, h * up, seed, base + kUp);
  w.w_down = weight(s.ffn, s.ffn * h, seed, base + kDown);
  if (!s.gated()) {  // LayerNorm has a shift, RMSNorm none
    w.norm1_beta = small(h, kNorm1Beta);
    w.norm2_beta = small(h, kNorm2Beta);
  }
  if (s.biases()) {
    w.b_qkv = small(qkv, kQkvBias);
    w.b_o = small(h, kOutBias);
    w.b_up = small(up, kUpBias);
    w.b_down = small(h, kDownBias);
  }
  return w;
}

std::vector<float> make_inputs(const TransformerShape& s, const Workload& w,
                               std::uint64_t seed) {
  return random_uniform(static_cast<std::size_t>(w.batch * w.seq * s.hidden),
                        1.0f, seed, ~0ull);
}

TransformerModel::TransformerModel(ModelOps& ops, const TransformerShape& shape,
                                   const Workload& workload, std::uint64_t seed)
    : ops_(ops), shape_(shape), workload_(workload) {
  const auto& s = shape_;
  const std::int64_t b = workload_.batch, seq = workload_.seq;
  const bool decode = workload_.mode == Mode::Decode;
  // Activations hold the largest pass: the prefill in decode mode.
  const std::size_t rows = static_cast<std::size_t>(
      b * std::max<std::int64_t>(decode ? seq - 1 : seq, 1));
  const std::size_t kv_width = std::size_t(s.kv_heads * s.head_dim());
  const std::size_t h = std::size_t(s.hidden), f = std::size_t(s.ffn);
  for (std::int64_t l = 0; l < s.layers; ++l) {
    LayerWeights w = make_layer_weights(s, seed, l);
    Layer d{};
    d.norm1_gamma = upload(w.norm1_gamma), d.norm1_beta = upload(w.norm1_beta);
    d.w_qkv = upload(w.w_qkv), d.b_qkv = upload(w.b_qkv);
    d.w_o = upload(w.w_o), d.b_o = upload(w.b_o);
    d.norm2_gamma = upload(w.norm2_gamma), d.norm2_beta = upload(w.norm2_beta);
    d.w_up = upload(w.w_up), d.b_up = upload(w.b_up);
    d.w_down = upload(w.w_down), d.b_down = upload(w.b_down);
    d.cache_k = ops_.allocate(std::size_t(b * seq) * kv_width);
    d.cache_v = ops_.allocate(std::size_t(b * seq) * kv_width);
    layers_.push_back(d);
  }
  x_ = ops_.allocate(rows * h), a_ = ops_.allocate(rows * h);
  qkv_ = ops_.allocate(rows * std::size_t(s.qkv_columns()));
  attn_ = ops_.allocate(rows * h), proj_ = ops_.allocate(rows * h);
  up_ = ops_.allocate(rows * f * (s.gated() ? 2 : 1));
  mid_ = s.gated() ? ops_.allocate(rows * f) : Buf();

  std::vector<float> inputs = make_inputs(s, workload_, seed);
  if (!decode) {
    input_ = upload(inputs);
    return;
  }
  // Prefill tokens 0 .. seq-2 into the caches; keep token seq-1 per sequence
  // as the decode step's input.
  std::vector<float> prefix, step;
  for (std::int64_t i = 0; i < b; ++i) {
    auto first = inputs.begin() + i * seq * s.hidden;
    prefix.insert(prefix.end(), first, first + (seq - 1) * s.hidden);
    step.insert(step.end(), first + (seq - 1) * s.hidden,
                first + seq * s.hidden);
  }
  Buf prefill = upload(prefix);
  pass(prefill, seq - 1, 0, nullptr);
  input_ = upload(step);
}

Buf TransformerModel::upload(const std::vector<float>& host) {
  if (host.empty()) return Buf();
  Buf device = ops_.allocate(host.size());
  ops_.upload(device, host.data(), host.size());
  return device;
}

double TransformerModel::flops() const {
  return transformer_flops(shape_, workload_).total();
}

void TransformerModel::run(const std::atomic<bool>* cancel) {
  if (workload_.mode == Mode::Decode)
    pass(input_, 1, workload_.seq - 1, cancel);
  else
    pass(input_, workload_.seq, 0, cancel);
}

std::vector<float> TransformerModel::output() const {
  std::vector<float> host(static_cast<std::size_t>(
      workload_.batch * workload_.tokens() * shape_.hidden));
  ops_.sync();
  ops_.download(host.data(), x_, host.size());
  return host;
}

void TransformerModel::norm(Buf x, Buf out, Buf gamma, Buf beta,
                            std::size_t rows) {
  if (shape_.gated())
    ops_.rmsnorm(x, gamma, out, rows, std::size_t(shape_.hidden));
  else
    ops_.layernorm(x, gamma, beta, out, rows, std::size_t(shape_.hidden));
}

void TransformerModel::pass(Buf input, std::int64_t tokens, std::int64_t start,
                            const std::atomic<bool>* cancel) {
  const std::size_t rows = std::size_t(workload_.batch * tokens);
  const std::size_t h = std::size_t(shape_.hidden);
  ops_.copy_rows(x_, h, input, h, rows, h);
  for (const Layer& layer : layers_) {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) return;
    attention_block(layer, tokens, start);
    ffn_block(layer, rows);
  }
}

void TransformerModel::attention_block(const Layer& l, std::int64_t tokens,
                                       std::int64_t start) {
  const auto& s = shape_;
  const std::size_t batch = std::size_t(workload_.batch);
  const std::size_t rows = batch * std::size_t(tokens);
  const std::size_t h = std::size_t(s.hidden), hd = std::size_t(s.head_dim());
  const std::size_t qkv = std::size_t(s.qkv_columns());
  const std::size_t heads = std::size_t(s.heads), kv = std::size_t(s.kv_heads);
  const std::size_t kv_width = kv * hd, seq = std::size_t(workload_.seq);
  Buf in = x_;
  if (s.pre_norm()) norm(x_, a_, l.norm1_gamma, l.norm1_beta, rows), in = a_;
  ops_.linear(in, l.w_qkv, l.b_qkv, qkv_, rows, h, qkv);
  if (s.rotary()) {
    ops_.rope(qkv_,
              {batch, std::size_t(tokens), heads, hd, qkv, std::size_t(start)});
    ops_.rope(qkv_ + heads * hd,
              {batch, std::size_t(tokens), kv, hd, qkv, std::size_t(start)});
  }
  for (std::size_t b = 0; b < batch; ++b) {
    const std::size_t slot = (b * seq + std::size_t(start)) * kv_width;
    const Buf row = qkv_ + b * std::size_t(tokens) * qkv;
    ops_.copy_rows(l.cache_k + slot, kv_width, row + heads * hd, qkv,
                   std::size_t(tokens), kv_width);
    ops_.copy_rows(l.cache_v + slot, kv_width, row + (heads + kv) * hd, qkv,
                   std::size_t(tokens), kv_width);
  }
  AttentionShape shape{batch,
                       std::size_t(tokens),
                       std::size_t(start + tokens),
                       seq,
                       heads,
                       kv,
                       hd,
                       qkv,
                       kv_width,
                       h,
                       s.causal()};
  ops_.attention(qkv_, l.cache_k, l.cache_v, attn_, shape);
  ops_.linear(attn_, l.w_o, l.b_o, proj_, rows, h, h);
  ops_.add(x_, proj_, rows * h);
  if (!s.pre_norm()) norm(x_, x_, l.norm1_gamma, l.norm1_beta, rows);
}

void TransformerModel::ffn_block(const Layer& l, std::size_t rows) {
  const auto& s = shape_;
  const std::size_t h = std::size_t(s.hidden), f = std::size_t(s.ffn);
  Buf in = x_;
  if (s.pre_norm()) norm(x_, a_, l.norm2_gamma, l.norm2_beta, rows), in = a_;
  ops_.linear(in, l.w_up, l.b_up, up_, rows, h, s.gated() ? 2 * f : f);
  Buf act = up_;
  if (s.gated())
    ops_.swiglu(up_, mid_, rows, f), act = mid_;
  else
    ops_.gelu(up_, rows * f);
  ops_.linear(act, l.w_down, l.b_down, proj_, rows, f, h);
  ops_.add(x_, proj_, rows * h);
  if (!s.pre_norm()) norm(x_, x_, l.norm2_gamma, l.norm2_beta, rows);
}

}  // namespace cb::model
