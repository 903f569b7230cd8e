#include "benchmarks/model/transformer_shape.hpp"

#include "core/error.hpp"

namespace cb::model {

const char* to_string(Family family) {
  switch (family) {
    case Family::Bert: return "bert";
    case Family::Vit: return "vit";
    case Family::Gpt2: return "gpt2";
    case Family::Llama: return "llama";
  }
  return "?";
}

const std::vector<std::string>& family_names() {
  static const std::vector<std::string> names = {"bert", "vit", "gpt2",
                                                 "llama"};
  return names;
}

Family family_from(const std::string& name) {
  for (Family f : {Family::Bert, Family::Vit, Family::Gpt2, Family::Llama})
    if (name == to_string(f)) return f;
  throw Error(ErrorKind::Input, "unknown model family '" + name +
                                    "' (valid: bert, vit, gpt2, llama)");
}

Mode mode_from(const std::string& name) {
  if (name == "forward") return Mode::Forward;
  if (name == "decode") return Mode::Decode;
  throw Error(ErrorKind::Input,
              "unknown mode '" + name + "' (valid: forward, decode)");
}

TransformerShape transformer_shape(const ParamSet& params) {
  TransformerShape s;
  s.family = family_from(get_string(params, "family"));
  s.layers = get_int(params, "layers");
  s.hidden = get_int(params, "hidden");
  s.heads = get_int(params, "heads");
  s.kv_heads = get_int(params, "kv_heads");
  s.ffn = get_int(params, "ffn");
  if (s.kv_heads == 0) s.kv_heads = s.heads;
  CB_CHECK(s.layers > 0 && s.hidden > 0 && s.heads > 0 && s.ffn > 0,
           "layers, hidden, heads and ffn must be > 0");
  CB_CHECK(s.hidden % s.heads == 0, "heads must divide hidden");
  CB_CHECK(s.kv_heads > 0 && s.heads % s.kv_heads == 0,
           "kv_heads must divide heads");
  CB_CHECK(!s.rotary() || s.head_dim() % 2 == 0,
           "rotary embedding needs an even head dimension");
  CB_CHECK(s.kv_heads == s.heads || s.family == Family::Llama,
           "grouped-query attention (kv_heads < heads) is a llama feature");
  return s;
}

Workload workload(const ParamSet& params, const TransformerShape& shape) {
  Workload w;
  w.batch = get_int(params, "batch");
  w.seq = get_int(params, "seq");
  w.mode = mode_from(get_string(params, "mode"));
  CB_CHECK(w.batch > 0 && w.seq > 0, "batch and seq must be > 0");
  CB_CHECK(w.mode == Mode::Forward || shape.causal(),
           std::string("decode needs a decoder family (gpt2, llama); ") +
               to_string(shape.family) + " is an encoder");
  CB_CHECK(w.mode == Mode::Forward || w.seq >= 2,
           "decode needs seq >= 2 (the cached tokens plus the new one)");
  return w;
}

FlopCount transformer_flops(const TransformerShape& s, const Workload& w) {
  const double rows = double(w.batch) * double(w.tokens());  // new tokens
  const double h = double(s.hidden);
  // Key positions summed over the queries of one sequence and head.
  double pairs = 0;
  if (!s.causal())
    pairs = double(w.seq) * double(w.seq);
  else if (w.mode == Mode::Decode)
    pairs = double(w.seq);
  else
    pairs = double(w.seq) * double(w.seq + 1) / 2;
  FlopCount f;
  f.projections = 2 * rows * h * double(s.qkv_columns()) + 2 * rows * h * h;
  f.attention =
      4 * double(w.batch) * double(s.heads) * pairs * double(s.head_dim());
  f.ffn = 2 * rows * h * double(s.ffn) * (s.gated() ? 3 : 2);
  const double layers = double(s.layers);
  f.projections *= layers, f.attention *= layers, f.ffn *= layers;
  return f;
}

std::int64_t transformer_parameters(const TransformerShape& s) {
  const std::int64_t h = s.hidden, qkv = s.qkv_columns();
  const std::int64_t up = s.gated() ? 2 * s.ffn : s.ffn;
  std::int64_t weights = h * qkv + h * h + h * up + s.ffn * h;
  std::int64_t biases = s.biases() ? qkv + h + up + h : 0;
  std::int64_t norms = s.pre_norm() && !s.biases() ? 2 * h : 4 * h;
  return s.layers * (weights + biases + norms);
}

}  // namespace cb::model
