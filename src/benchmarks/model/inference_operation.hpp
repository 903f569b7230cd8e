// The timed operation of model.transformer and model.mlp: one inference per
// iteration; latency, throughput (and tokens/s where tokens differ from
// samples), FLOP/s from the analytic count, and the backend's memory.
#pragma once

#include "benchmarks/model/inference_model.hpp"
#include "benchmarks/model/model_ops.hpp"
#include "core/benchmark.hpp"

namespace cb::model {

Operation inference_operation(InferenceModel& model, ModelOps& ops,
                              bool token_throughput);

}  // namespace cb::model
