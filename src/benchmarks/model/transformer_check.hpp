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
// 16-bit storage emulated on the host (tests/benchmarks/host_tensor_plugin):
// worst errors 3.8e-3 (float16) and 3.1e-2 (bfloat16) over every family on
// 2-layer models; the tolerances leave room for wider real shapes while a
// wrong kernel (errors of order 1) still fails.
inline constexpr double kFloat16Tolerance = 2e-2;
inline constexpr double kBfloat16Tolerance = 1e-1;
// The tolerance for buffers of precision p: float32 as above; float16 and
// bfloat16 storage round every stored activation and weight (relative steps
// of 2^-11 and 2^-8), compounded over a few layers.
double check_tolerance(kernels::Precision p);

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
