// The correctness check of every transformer case: the backend's forward
// (or prefill + decode step) against the double-precision reference, on a
// small model of the same family and on the first layer of the real shape
// with a few tokens (the reference is too slow for the whole real model).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "benchmarks/model/model_ops.hpp"
#include "benchmarks/model/transformer_shape.hpp"

namespace cb::model {

// fp32 against double through a few layers: observed errors are ~1e-6.
inline constexpr double kTransformerTolerance = 1e-3;

struct CheckResult {
  bool ok = false;
  double error = 0;  // worst relative error of the two checks
  std::string detail;
};

using OpsFactory = std::function<std::unique_ptr<ModelOps>()>;

CheckResult check_transformer(const OpsFactory& make_ops,
                              const TransformerShape& shape,
                              const Workload& workload, std::uint64_t seed);

// The two checked configurations, exposed for tests.
TransformerShape small_shape(const TransformerShape& shape);
Workload small_workload(const Workload& workload);

}  // namespace cb::model
