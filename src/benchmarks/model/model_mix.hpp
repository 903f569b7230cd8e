// Several models in one case (cross_model, resource_pool): the suite names
// presets in `models`, and the suite loader renders their shapes into
// `model_shapes` as "name{key=value,...};name{...}".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/model/inference_model.hpp"
#include "benchmarks/model/model_ops.hpp"
#include "benchmarks/model/transformer_check.hpp"
#include "core/param.hpp"

namespace cb::model {

struct NamedShape {
  std::string name;  // the preset; "-2", "-3" added to repeats
  ParamSet shape;    // its keys: family, layers, ... or widths
};

// Throws cb::Error on text the loader would not have produced.
std::vector<NamedShape> parse_model_shapes(const std::string& text);

// A transformer (or, for a shape with `widths`, an MLP) with the case's
// batch, seq and mode. Throws cb::Error on an impossible shape.
std::unique_ptr<InferenceModel> make_model(ModelOps& ops,
                                           const NamedShape& shape,
                                           const ParamSet& workload,
                                           std::uint64_t seed);

// The backend-vs-reference check of one such model.
CheckResult check_model(const OpsFactory& make_ops, const NamedShape& shape,
                        const ParamSet& workload, std::uint64_t seed);

}  // namespace cb::model
