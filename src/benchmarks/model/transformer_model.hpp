// A transformer layer stack with random weights, written over ModelOps so
// that any backend runs it. Forward mode runs every token of the sequences;
// decode mode fills a KV cache with seq - 1 tokens at set-up (a prefill),
// then each run() decodes token seq - 1 against it, overwriting that one
// cache slot, so that runs repeat without the cache growing.
#pragma once

#include <cstdint>
#include <vector>

#include "benchmarks/model/inference_model.hpp"
#include "benchmarks/model/model_ops.hpp"
#include "benchmarks/model/transformer_shape.hpp"

namespace cb::model {

// Host copies of one layer's tensors, a function of (shape, seed, layer)
// only, so that the reference regenerates exactly the backend's weights.
struct LayerWeights {
  std::vector<float> norm1_gamma, norm1_beta, w_qkv, b_qkv, w_o, b_o;
  std::vector<float> norm2_gamma, norm2_beta, w_up, b_up, w_down, b_down;
};
LayerWeights make_layer_weights(const TransformerShape& shape,
                                std::uint64_t seed, std::int64_t layer);
// The hidden states fed to the stack: [batch, seq, hidden]. Decode mode
// prefills tokens 0 .. seq-2 and decodes token seq-1 of these.
std::vector<float> make_inputs(const TransformerShape& shape,
                               const Workload& workload, std::uint64_t seed);

class TransformerModel final : public InferenceModel {
 public:
  TransformerModel(ModelOps& ops, const TransformerShape& shape,
                   const Workload& workload, std::uint64_t seed);

  void run(const std::atomic<bool>* cancel = nullptr) override;
  double flops() const override;
  std::int64_t samples() const override { return workload_.batch; }
  std::int64_t tokens() const override {
    return workload_.batch * workload_.tokens();
  }
  // [batch * tokens, hidden] of the last run.
  std::vector<float> output() const override;

 private:
  struct Layer {  // device buffers
    Buf norm1_gamma, norm1_beta, w_qkv, b_qkv, w_o, b_o;
    Buf norm2_gamma, norm2_beta, w_up, b_up, w_down, b_down;
    Buf cache_k, cache_v;
  };
  Buf upload(const std::vector<float>& host);
  void norm(Buf x, Buf out, Buf gamma, Buf beta, std::size_t rows);
  // Runs `tokens` tokens per sequence at positions start.. through every
  // layer, leaving the result in x_.
  void pass(Buf input, std::int64_t tokens, std::int64_t start,
            const std::atomic<bool>* cancel);
  void attention_block(const Layer& layer, std::int64_t tokens,
                       std::int64_t start);
  void ffn_block(const Layer& layer, std::size_t rows);

  ModelOps& ops_;
  TransformerShape shape_;
  Workload workload_;
  std::vector<Layer> layers_;
  Buf input_;  // the timed pass's tokens
  Buf x_, a_, qkv_, attn_, proj_, up_, mid_;
};

}  // namespace cb::model
