// model.transformer: synthetic inference of a transformer layer stack with
// random weights at real model shapes (presets in configs/models.toml):
// an encoder pass or decoder prefill (mode = forward), or one decode step
// against a KV cache (mode = decode). fp32; on the CPU the GEMMs run in
// OpenBLAS and the rest in kernels/cpu. Derives samples/s, tokens/s and
// FLOP/s from analytic counts; checks the backend against a double-precision
// reference (transformer_check).
#include <cmath>
#include <memory>
#include <string>

#include "benchmarks/model/inference_operation.hpp"
#include "benchmarks/model/model_ops.hpp"
#include "benchmarks/model/model_params.hpp"
#include "benchmarks/model/transformer_check.hpp"
#include "benchmarks/model/transformer_model.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

using namespace model;
constexpr std::uint64_t kSeed = 20240611;  // same weights every run

BenchmarkInfo transformer_info() {
  BenchmarkInfo info;
  info.name = "model.transformer";
  info.kind = Kind::Model;
  info.scope = Scope::Local;
  info.backends = {"cpu", "cuda"};
  info.summary =
      "transformer inference (encoder, prefill or KV-cache decode), fp32 "
      "(fp16/bf16 on GPUs), random weights at preset shapes";
  info.params = transformer_shape_params();
  for (auto& p : workload_params()) info.params.push_back(p);
  info.params.push_back(dtype_param());
  info.params.push_back(
      threads_param("threads of the model's team; 0 = one per PU of the "
                    "rank's cpuset"));
  // Set-up (weights at ~0.5 GB/s of random fill) plus the sampling time.
  info.cost = [](const ParamSet& p) {
    double weights = 12.0 * double(get_int(p, "layers")) *
                     double(get_int(p, "hidden")) *
                     double(get_int(p, "hidden"));
    return 2.0 + weights * 4 / 0.5e9;
  };
  return info;
}

class TransformerBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    shape_ = transformer_shape(ctx.params);
    workload_ = workload(ctx.params, shape_);
    std::int64_t threads = get_int(ctx.params, "threads");
    CB_CHECK(threads >= 0, "threads must be >= 0");
    threads_ = threads > 0 ? int(threads) : std::max(1, ctx.resources.pus);
    double bytes = 4.0 * double(transformer_parameters(shape_));
    CB_CHECK(ctx.resources.mem_bytes == 0 ||
                 bytes < double(ctx.resources.mem_bytes) / 2,
             "the weights do not fit in half the node's memory");
    make_ops_ = ops_factory(ctx, threads_);
    ops_ = make_ops_();
    model_ =
        std::make_unique<TransformerModel>(*ops_, shape_, workload_, kSeed);
  }

  std::vector<Operation> operations() override {
    return {inference_operation(*model_, *ops_, true)};
  }

  Verification verify() override {
    for (float v : model_->output())
      if (!std::isfinite(v))
        return {false, "the timed output has non-finite values"};
    CheckResult r = check_transformer(make_ops_, shape_, workload_, kSeed);
    return {r.ok, r.detail};
  }

  ParamSet resolved_params() const override {
    return {{"threads", std::int64_t{threads_}},
            {"kv_heads", shape_.kv_heads},
            {"gflop_per_inference", model_ ? model_->flops() / 1e9 : 0.0},
            {"parameters", transformer_parameters(shape_)}};
  }

  void teardown() override { model_.reset(), ops_.reset(), make_ops_ = {}; }

 private:
  TransformerShape shape_;
  Workload workload_;
  int threads_ = 1;
  OpsFactory make_ops_;
  std::unique_ptr<ModelOps> ops_;
  std::unique_ptr<TransformerModel> model_;
};

}  // namespace

CB_REGISTER_BENCHMARK(TransformerBenchmark, transformer_info());

}  // namespace cb
