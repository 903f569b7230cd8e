// cross_model.colocate: N models resident on one device at once. Each
// model is timed alone ("<m>.solo"), next to each other model running
// continuously in the background ("<m>.with.<other>": the interference
// matrix, row slowed by column) and, with three or more, next to all of them
// ("<m>.with_all"). On the CPU each model is a thread with its own thread
// team; on a GPU each model has its own queue (CUDA stream and cuBLAS
// handle), driven by its own host thread, so the kernels of the models
// overlap on the device as far as the GPU schedules them. Slowdowns, the matrix
// and the aggregate throughput are derived from these medians
// (stats/interference) into /interference and the summary.
#include <atomic>
#include <cmath>
#include <memory>
#include <string>

#include "benchmarks/model/model_mix.hpp"
#include "benchmarks/model/model_params.hpp"
#include "benchmarks/model/worker_threads.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

using namespace model;
constexpr std::uint64_t kSeed = 20240613;

BenchmarkInfo colocate_info() {
  BenchmarkInfo info;
  info.name = "cross_model.colocate";
  info.kind = Kind::CrossModel;
  info.scope = Scope::Local;
  info.backends = {"cpu", "cuda"};
  info.summary =
      "models sharing one device: slowdown of each next to the others "
      "(interference matrix) and aggregate throughput";
  info.params = model_mix_params(
      "presets to co-locate, comma-separated: \"bert-tiny,gpt2-tiny\"");
  for (auto& p : workload_params(1, 64)) info.params.push_back(p);
  info.params.push_back(dtype_param());
  info.params.push_back(threads_param(
      "threads per model; 0 = the rank's PUs divided among the models"));
  // Every model alone, beside each other and beside all: ~N^2 operations.
  info.cost = [](const ParamSet& p) {
    double n = 1;
    for (char c : get_string(p, "models")) n += c == ',';
    return 1.0 + n * (n + 1) * 0.5;
  };
  return info;
}

class ColocateBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    shapes_ = parse_model_shapes(get_string(ctx.params, "model_shapes"));
    CB_CHECK(shapes_.size() >= 2, "colocate needs at least two models");
    workload_ = ctx.params;
    const int n = int(shapes_.size());
    std::int64_t threads = get_int(ctx.params, "threads");
    CB_CHECK(threads >= 0, "threads must be >= 0");
    threads_ = threads > 0 ? int(threads) : std::max(1, ctx.resources.pus / n);
    make_ops_ = concurrent_ops_factory(ctx, threads_);
    for (const NamedShape& shape : shapes_) {
      ops_.push_back(make_ops_());
      models_.push_back(make_model(*ops_.back(), shape, workload_, kSeed));
    }
    background_ = std::make_unique<WorkerThreads>(n - 1);
  }

  std::vector<Operation> operations() override {
    std::vector<Operation> ops;
    const std::size_t n = models_.size();
    for (std::size_t a = 0; a < n; ++a) {
      ops.push_back(timed(a, {}, shapes_[a].name + ".solo"));
      for (std::size_t b = 0; b < n; ++b)
        if (b != a)
          ops.push_back(
              timed(a, {b}, shapes_[a].name + ".with." + shapes_[b].name));
      if (n >= 3) {
        std::vector<std::size_t> others;
        for (std::size_t b = 0; b < n; ++b)
          if (b != a) others.push_back(b);
        ops.push_back(timed(a, others, shapes_[a].name + ".with_all"));
      }
    }
    return ops;
  }

  Verification verify() override {
    std::string detail;
    bool ok = true;
    for (std::size_t i = 0; i < shapes_.size(); ++i) {
      CheckResult r = check_model(make_ops_, shapes_[i], workload_, kSeed);
      for (float v : models_[i]->output()) r.ok = r.ok && std::isfinite(v);
      ok = ok && r.ok;
      detail += (detail.empty() ? "" : "; ") + r.detail;
    }
    return {ok, detail};
  }

  ParamSet resolved_params() const override {
    return {{"threads", std::int64_t{threads_}}};
  }

  void teardown() override {
    background_.reset(), models_.clear(), ops_.clear();
  }

 private:
  // Model `a` timed while `others` run inference back to back. They are
  // started before the batch and stopped after it (cancelled within a
  // layer), outside the timed region: thread wake-ups are not timed.
  Operation timed(std::size_t a, std::vector<std::size_t> others,
                  std::string name) {
    Operation op;
    op.name = std::move(name);
    op.time_metric = "latency";
    op.rates = {{"throughput", "samples/s", double(models_[a]->samples())}};
    op.run = [this, a](std::int64_t iterations) {
      for (std::int64_t i = 0; i < iterations; ++i) models_[a]->run();
    };
    op.sync = [this, a] { ops_[a]->sync(); };
    if (others.empty()) return op;
    op.before_batch = [this, others] {
      stop_ = false;
      background_->start([this, others](int slot) {
        if (std::size_t(slot) >= others.size()) return;
        const std::size_t b = others[std::size_t(slot)];
        // One inference queued at a time (sync is a no-op on the CPU), so
        // that stopping does not wait for a long queue on a GPU.
        while (!stop_.load(std::memory_order_relaxed))
          models_[b]->run(&stop_), ops_[b]->sync();
      });
      // Interference from the first timed inference on.
      while (background_->started() < background_->size())
        std::this_thread::yield();
    };
    op.after_batch = [this] {
      stop_ = true;
      background_->wait();
    };
    return op;
  }

  std::vector<NamedShape> shapes_;
  ParamSet workload_;
  int threads_ = 1;
  OpsFactory make_ops_;  // one ops object (GPU queue) per model
  std::vector<std::unique_ptr<ModelOps>> ops_;
  std::vector<std::unique_ptr<InferenceModel>> models_;
  std::unique_ptr<WorkerThreads> background_;
  std::atomic<bool> stop_{false};
};

}  // namespace

CB_REGISTER_BENCHMARK(ColocateBenchmark, colocate_info());

}  // namespace cb
