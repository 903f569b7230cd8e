#include "benchmarks/model/inference_operation.hpp"

#include <vector>

namespace cb::model {

Operation inference_operation(InferenceModel& model, ModelOps& ops,
                              bool token_throughput) {
  Operation op;
  op.time_metric = "latency";
  op.rates = {{"throughput", "samples/s", double(model.samples())}};
  if (token_throughput)
    op.rates.push_back(
        {"token_throughput", "tokens/s", double(model.tokens())});
  op.rates.push_back({"flops", "GFLOP/s", model.flops() / 1e9});
  op.run = [&model](std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) model.run();
  };
  op.sync = [&ops] { ops.sync(); };
  op.recorded = {{"memory", "MB", Better::Lower}};
  op.drain = [&ops] {
    return std::vector<std::vector<double>>{
        {double(ops.allocated_bytes()) / 1e6}};
  };
  return op;
}

}  // namespace cb::model
