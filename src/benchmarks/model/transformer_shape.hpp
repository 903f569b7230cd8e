// The shape of a transformer inference: the architecture (family and
// dimensions, usually from a preset in configs/models.toml) and the workload
// (batch, sequence length, full forward or one decode step), with analytic
// FLOP and memory counts. Pure: no backend, no timing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/param.hpp"

namespace cb::model {

// What a layer is made of:
//   bert:  post-LayerNorm encoder, GELU, biases, bidirectional attention
//   vit:   pre-LayerNorm encoder, GELU, biases, bidirectional attention
//   gpt2:  pre-LayerNorm decoder, GELU, biases, causal attention
//   llama: pre-RMSNorm decoder, rotary embedding, SwiGLU, no biases, causal,
//          grouped-query attention when kv_heads < heads
enum class Family { Bert, Vit, Gpt2, Llama };
enum class Mode {
  Forward,  // every token of the sequence (encoder pass, decoder prefill)
  Decode,   // one new token per sequence against a KV cache of seq tokens
};

struct TransformerShape {
  Family family = Family::Bert;
  std::int64_t layers = 0, hidden = 0, heads = 0, kv_heads = 0, ffn = 0;
  std::int64_t head_dim() const { return hidden / heads; }
  std::int64_t qkv_columns() const {
    return (heads + 2 * kv_heads) * head_dim();
  }
  bool causal() const {
    return family == Family::Gpt2 || family == Family::Llama;
  }
  bool pre_norm() const { return family != Family::Bert; }
  bool gated() const { return family == Family::Llama; }  // SwiGLU
  bool biases() const { return family != Family::Llama; }
  bool rotary() const { return family == Family::Llama; }
};

struct Workload {
  std::int64_t batch = 1, seq = 128;
  Mode mode = Mode::Forward;
  // New tokens per sequence in one timed pass.
  std::int64_t tokens() const { return mode == Mode::Decode ? 1 : seq; }
};

const char* to_string(Family family);
Family family_from(const std::string& name);  // throws cb::Error
const std::vector<std::string>& family_names();
Mode mode_from(const std::string& name);

// Reads family, layers, hidden, heads, kv_heads (0 = heads) and ffn, and
// batch, seq and mode; checks that they make a model (heads divide hidden,
// kv_heads divide heads, decode only for decoders, ...). Throws cb::Error.
TransformerShape transformer_shape(const ParamSet& params);
Workload workload(const ParamSet& params, const TransformerShape& shape);

// Floating-point operations of one pass, counting multiply-adds as two: the
// GEMMs and the two attention products (Q K^T and P V, over the key
// positions each query sees: half the square when causal). Norms,
// activations and softmax are left out, as model-FLOP counts do.
struct FlopCount {
  double projections = 0;  // QKV and output projections
  double attention = 0;    // Q K^T and P V
  double ffn = 0;          // up (and gate) and down projections
  double total() const { return projections + attention + ffn; }
};
FlopCount transformer_flops(const TransformerShape& shape, const Workload& w);

// Parameters (weights and biases) of the layer stack.
std::int64_t transformer_parameters(const TransformerShape& shape);

}  // namespace cb::model
