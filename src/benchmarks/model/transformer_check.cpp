#include "benchmarks/model/transformer_check.hpp"

#include <algorithm>
#include <cstdio>

#include "benchmarks/model/transformer_model.hpp"
#include "benchmarks/model/transformer_reference.hpp"

namespace cb::model {
namespace {

// Relative error of one configuration against the reference.
double error_of(const OpsFactory& make_ops, const TransformerShape& shape,
                const Workload& w, std::uint64_t seed,
                kernels::Precision& precision) {
  auto ops = make_ops();
  precision = ops->precision();
  TransformerModel model(*ops, shape, w, seed);
  model.run();
  std::vector<float> got = model.output();
  std::vector<double> all = reference_forward(
      shape, w.batch, w.seq, make_inputs(shape, w, seed), seed);
  if (w.mode == Mode::Forward) return relative_error(got, all);
  // Decode: the last token of each sequence.
  std::vector<double> last;
  const std::size_t h = std::size_t(shape.hidden);
  for (std::int64_t b = 0; b < w.batch; ++b) {
    auto at =
        all.begin() + std::ptrdiff_t((b * w.seq + w.seq - 1) * shape.hidden);
    last.insert(last.end(), at, at + std::ptrdiff_t(h));
  }
  return relative_error(got, last);
}

}  // namespace

double check_tolerance(kernels::Precision p) {
  switch (p) {
    case kernels::Precision::FP16: return kFloat16Tolerance;
    case kernels::Precision::BF16: return kBfloat16Tolerance;
    default: return kTransformerTolerance;
  }
}

TransformerShape small_shape(const TransformerShape& shape) {
  TransformerShape s = shape;
  s.layers = 2, s.hidden = 32, s.heads = 4, s.ffn = 48;
  s.kv_heads = shape.kv_heads < shape.heads ? 2 : 4;  // keep GQA if used
  return s;
}

Workload small_workload(const Workload& workload) {
  Workload w = workload;
  w.batch = 2, w.seq = 5;
  return w;
}

CheckResult check_transformer(const OpsFactory& make_ops,
                              const TransformerShape& shape,
                              const Workload& workload, std::uint64_t seed) {
  TransformerShape first = shape;
  first.layers = 1;
  Workload few = workload;
  few.batch = 1, few.seq = std::min<std::int64_t>(workload.seq, 4);
  kernels::Precision precision = kernels::Precision::FP32;
  double small = error_of(make_ops, small_shape(shape),
                          small_workload(workload), seed, precision);
  double real = error_of(make_ops, first, few, seed, precision);
  const double tolerance = check_tolerance(precision);
  CheckResult r;
  r.error = std::max(small, real);
  if (!(small <= r.error)) r.error = small;  // NaN sticks
  if (!(real <= r.error)) r.error = real;
  r.ok = r.error <= tolerance;
  char text[256];
  std::snprintf(text, sizeof text,
                "max error relative to the output's rms against a double "
                "reference: %.2g on a 2-layer width-32 %s, %.2g on layer 1 "
                "of the real shape with %lld tokens (%s, tolerance %.0e)",
                small, to_string(shape.family), real,
                static_cast<long long>(few.seq), kernels::to_string(precision),
                tolerance);
  r.detail = text;
  return r;
}

}  // namespace cb::model
