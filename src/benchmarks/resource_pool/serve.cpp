// resource_pool.serve: a pool of K execution contexts serving requests from
// M concurrent clients (closed loop) with a mix of models. On the CPU a
// context is a worker group: a team of `threads` threads with its
// own resident copy of every model of the mix; client c's r-th request runs
// model (c + r) mod N. On a GPU a context is a queue (CUDA stream and cuBLAS
// handle) with its own copy of the models, and a request is done when its
// queue has drained. Reports throughput, per-request latency and queueing
// delay (with p50/p90/p99 in /metrics) and the pool's acquire/release
// overhead; the K where throughput stops growing comes from a sweep over
// `contexts` (stats/pool_saturation).
#include <cmath>
#include <memory>
#include <string>

#include "benchmarks/model/model_mix.hpp"
#include "benchmarks/model/model_params.hpp"
#include "benchmarks/resource_pool/context_pool.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

using namespace model;
constexpr std::uint64_t kSeed = 20240614;

BenchmarkInfo serve_info() {
  BenchmarkInfo info;
  info.name = "resource_pool.serve";
  info.kind = Kind::ResourcePool;
  info.scope = Scope::Local;
  info.backends = {"cpu", "cuda"};
  info.summary =
      "K execution contexts serving M concurrent clients a model mix: "
      "throughput, latency, queueing delay, pool overhead";
  info.params = model_mix_params(
      "the model mix, presets comma-separated: \"bert-tiny,gpt2-tiny\"");
  for (ParamSpec& p : std::vector<ParamSpec>{
           {"contexts",
            ParamType::Int,
            std::int64_t{2},
            "K: execution contexts in the pool",
            {},
            {"k"}},
           {"clients",
            ParamType::Int,
            std::int64_t{4},
            "M: concurrent clients, each with one request in flight",
            {},
            {"m"}},
       })
    info.params.push_back(std::move(p));
  for (auto& p : workload_params(1, 64)) info.params.push_back(p);
  info.params.push_back(dtype_param());
  info.params.push_back(threads_param(
      "threads per context (worker group size); 0 = the rank's PUs "
      "divided among the contexts"));
  info.cost = [](const ParamSet&) { return 3.0; };
  return info;
}

class ServeBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    shapes_ = parse_model_shapes(get_string(ctx.params, "model_shapes"));
    workload_ = ctx.params;
    const std::int64_t k = get_int(ctx.params, "contexts");
    const std::int64_t m = get_int(ctx.params, "clients");
    CB_CHECK(k >= 1 && k <= 256, "contexts must be in 1..256");
    CB_CHECK(m >= 1 && m <= 1024, "clients must be in 1..1024");
    std::int64_t threads = get_int(ctx.params, "threads");
    CB_CHECK(threads >= 0, "threads must be >= 0");
    threads_ =
        threads > 0 ? int(threads) : std::max(1, ctx.resources.pus / int(k));
    make_ops_ = concurrent_ops_factory(ctx, threads_);
    contexts_.resize(std::size_t(k));
    for (Context& c : contexts_) {
      c.ops = make_ops_();
      for (const NamedShape& shape : shapes_)
        c.models.push_back(make_model(*c.ops, shape, workload_, kSeed));
    }
    server_ = std::make_unique<pool::Server>(
        int(k), int(m), [this](int context, int client, std::int64_t r) {
          Context& c = contexts_[std::size_t(context)];
          c.models[std::size_t(client + r) % c.models.size()]->run();
          c.ops->sync();  // served = its results are ready
        });
  }

  std::vector<Operation> operations() override {
    const double clients = double(server_->clients());
    Operation op;  // one iteration: every client sends one request
    op.rates = {{"throughput", "requests/s", clients},
                {"sample_throughput", "samples/s",
                 clients * double(contexts_[0].models[0]->samples())}};
    op.run = [this](std::int64_t n) { server_->serve(n); };
    op.recorded = {{"request_latency", "s", Better::Lower},
                   {"queue_delay", "s", Better::Lower},
                   {"pool_overhead", "s", Better::Lower}};
    op.drain = [this] {
      pool::ServeRecord r = server_->drain();
      return std::vector<std::vector<double>>{r.latency, r.queue_delay,
                                              r.overhead};
    };
    return {op};
  }

  Verification verify() override {
    std::string detail;
    bool ok = true;
    for (std::size_t i = 0; i < shapes_.size(); ++i) {
      CheckResult r = check_model(make_ops_, shapes_[i], workload_, kSeed);
      for (const Context& c : contexts_)
        for (float v : c.models[i]->output()) r.ok = r.ok && std::isfinite(v);
      ok = ok && r.ok;
      detail += (detail.empty() ? "" : "; ") + r.detail;
    }
    return {ok, detail};
  }

  ParamSet resolved_params() const override {
    return {{"threads", std::int64_t{threads_}}};
  }

  void teardown() override { server_.reset(), contexts_.clear(); }

 private:
  struct Context {
    std::unique_ptr<ModelOps> ops;
    std::vector<std::unique_ptr<InferenceModel>> models;
  };
  std::vector<NamedShape> shapes_;
  ParamSet workload_;
  int threads_ = 1;
  OpsFactory make_ops_;  // one ops object (GPU queue) per context
  std::vector<Context> contexts_;
  std::unique_ptr<pool::Server> server_;
};

}  // namespace

CB_REGISTER_BENCHMARK(ServeBenchmark, serve_info());

}  // namespace cb
