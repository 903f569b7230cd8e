#include "benchmarks/model/model_params.hpp"

#include <string>

#include "benchmarks/model/transformer_shape.hpp"

namespace cb::model {

std::vector<ParamSpec> transformer_shape_params() {
  auto count = [](const char* name, std::int64_t value, const char* doc) {
    return ParamSpec{name, ParamType::Int, value, doc, {}, {}};
  };
  return {
      {"preset",
       ParamType::String,
       std::string("custom"),
       "named shape from a [presets.<name>] table (configs/models.toml, or "
       "the suite's own); its values fill the shape parameters the entry "
       "does not set. custom = the shape parameters as given",
       {},
       {}},
      {"family",
       ParamType::String,
       std::string("bert"),
       "layer type: bert (post-LN encoder), vit (pre-LN encoder), gpt2 "
       "(pre-LN causal decoder), llama (RMSNorm, rotary, SwiGLU, GQA)",
       family_names(),
       {}},
      count("layers", 2, "transformer layers"),
      count("hidden", 128, "model width (hidden size)"),
      count("heads", 2, "attention heads"),
      count("kv_heads", 0, "key/value heads (llama GQA); 0 = heads"),
      count("ffn", 512, "feed-forward inner width"),
  };
}

std::vector<ParamSpec> workload_params(std::int64_t batch, std::int64_t seq) {
  return {
      {"batch", ParamType::Int, batch, "sequences per inference", {}, {}},
      {"seq",
       ParamType::Int,
       seq,
       "sequence length (forward) or KV-cache context (decode)",
       {},
       {"seq_len"}},
      {"mode",
       ParamType::String,
       std::string("forward"),
       "forward: every token (encoder pass, decoder prefill); decode: one "
       "new token per sequence against a KV cache of seq tokens",
       {"forward", "decode"},
       {}},
  };
}

ParamSpec threads_param(const char* doc) {
  return {"threads", ParamType::Int, std::int64_t{0}, doc, {}, {}};
}

std::vector<ParamSpec> model_mix_params(const char* doc) {
  return {
      {"models", ParamType::String, std::string(""), doc, {}, {}},
      {"model_shapes",
       ParamType::String,
       std::string(""),
       "filled by the suite loader from `models` (the presets' shapes)",
       {},
       {}},
  };
}

ParamSpec dtype_param() {
  return {"dtype",
          ParamType::String,
          std::string("float32"),
          "element type of weights and activations; float16 and bfloat16 "
          "(GPU backends) accumulate in float32",
          {"float32", "float16", "bfloat16"},
          {}};
}

}  // namespace cb::model
