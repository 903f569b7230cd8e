// model.mlp: inference of a multi-layer perceptron (linear + bias + GELU at
// the given widths, e.g. the MLPs of DLRM) with random weights, fp32. The
// GEMMs run in OpenBLAS on the CPU. Checked against a double-precision
// reference on the real shape with a small batch.
#include <cmath>
#include <cstdio>
#include <memory>

#include "benchmarks/model/inference_operation.hpp"
#include "benchmarks/model/mlp_model.hpp"
#include "benchmarks/model/model_params.hpp"
#include "benchmarks/model/transformer_check.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

using namespace model;
constexpr std::uint64_t kSeed = 20240612;

BenchmarkInfo mlp_info() {
  BenchmarkInfo info;
  info.name = "model.mlp";
  info.kind = Kind::Model;
  info.scope = Scope::Local;
  info.backends = {"cpu", "cuda"};
  info.summary =
      "multi-layer perceptron inference, fp32 (fp16/bf16 on GPUs), random "
      "weights";
  info.params = {
      {"preset",
       ParamType::String,
       std::string("custom"),
       "named shape from a [presets.<name>] table (configs/models.toml); "
       "custom = widths as given",
       {},
       {}},
      {"widths",
       ParamType::String,
       std::string("784,512,512,10"),
       "layer widths, input first: \"784,512,10\" is two linear layers",
       {},
       {}},
      {"batch", ParamType::Int, std::int64_t{64}, "rows per inference", {}, {}},
      dtype_param(),
      threads_param("threads of the model's team; 0 = one per PU"),
  };
  info.cost = [](const ParamSet&) { return 2.0; };
  return info;
}

class MlpBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    widths_ = parse_widths(get_string(ctx.params, "widths"));
    batch_ = get_int(ctx.params, "batch");
    CB_CHECK(batch_ > 0, "batch must be > 0");
    std::int64_t threads = get_int(ctx.params, "threads");
    CB_CHECK(threads >= 0, "threads must be >= 0");
    threads_ = threads > 0 ? int(threads) : std::max(1, ctx.resources.pus);
    make_ops_ = ops_factory(ctx, threads_);
    ops_ = make_ops_();
    model_ = std::make_unique<MlpModel>(*ops_, widths_, batch_, kSeed);
  }

  std::vector<Operation> operations() override {
    return {inference_operation(*model_, *ops_, false)};
  }

  Verification verify() override {
    // The same widths with a batch of 4: the reference is O(batch * weights).
    const std::int64_t rows = std::min<std::int64_t>(batch_, 4);
    auto ops = make_ops_();
    MlpModel small(*ops, widths_, rows, kSeed);
    small.run();
    double error =
        relative_error(small.output(), mlp_reference(widths_, rows, kSeed));
    const double tolerance = ops->precision() == kernels::Precision::FP32
                                 ? 1e-4  // fp32 vs double; observed ~1e-6
                                 : check_tolerance(ops->precision());
    bool finite = true;
    for (float v : model_->output()) finite = finite && std::isfinite(v);
    char text[200];
    std::snprintf(text, sizeof text,
                  "max error %.2g relative to the output's rms against a "
                  "double reference with batch %lld (%s, tolerance %.0e); "
                  "timed output %s",
                  error, static_cast<long long>(rows),
                  kernels::to_string(ops->precision()), tolerance,
                  finite ? "finite" : "has non-finite values");
    return {finite && error <= tolerance, text};
  }

  ParamSet resolved_params() const override {
    return {{"threads", std::int64_t{threads_}},
            {"parameters", mlp_parameters(widths_)}};
  }

  void teardown() override { model_.reset(), ops_.reset(), make_ops_ = {}; }

 private:
  std::vector<std::int64_t> widths_;
  std::int64_t batch_ = 1;
  int threads_ = 1;
  OpsFactory make_ops_;
  std::unique_ptr<ModelOps> ops_;
  std::unique_ptr<MlpModel> model_;
};

}  // namespace

CB_REGISTER_BENCHMARK(MlpBenchmark, mlp_info());

}  // namespace cb
