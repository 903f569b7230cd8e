// Parameters shared by the model, cross_model and resource_pool benchmarks,
// so that a shape means the same everywhere. The shape parameters are what a
// preset ([presets.<name>] in configs/models.toml) fills in; the suite loader
// merges the preset into each case (see docs/models.md).
#pragma once

#include <vector>

#include "core/param.hpp"

namespace cb::model {

// preset, family, layers, hidden, heads, kv_heads, ffn. Defaults: bert-tiny.
std::vector<ParamSpec> transformer_shape_params();
// batch, seq, mode.
std::vector<ParamSpec> workload_params(std::int64_t batch = 1,
                                       std::int64_t seq = 128);
// models (the presets to run together, described by `doc`) and model_shapes
// (their shapes, filled in by the suite loader): cross_model, resource_pool.
std::vector<ParamSpec> model_mix_params(const char* doc);
// dtype: the element type of weights and activations (float32 everywhere;
// float16 and bfloat16 on a GPU, with float32 accumulation).
ParamSpec dtype_param();
// threads: 0 = one per PU of the rank's cpuset.
ParamSpec threads_param(const char* doc);

}  // namespace cb::model
