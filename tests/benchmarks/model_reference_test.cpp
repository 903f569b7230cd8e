// The CPU backend's forward passes against the double-precision references,
// for every family and mode, and the registered model benchmarks end to end
// on tiny shapes.
#include <gtest/gtest.h>

#include "benchmarks/model/mlp_model.hpp"
#include "benchmarks/model/model_mix.hpp"
#include "benchmarks/model/transformer_check.hpp"
#include "benchmarks/model/transformer_model.hpp"
#include "benchmarks/model/transformer_reference.hpp"
#include "core/registry.hpp"

namespace cb::model {
namespace {

OpsFactory cpu(int threads) {
  return [threads] { return make_cpu_ops(threads); };
}

TransformerShape tiny(Family family) {
  TransformerShape s;
  s.family = family, s.layers = 2, s.hidden = 48, s.heads = 4, s.ffn = 80;
  s.kv_heads = family == Family::Llama ? 2 : 4;
  return s;
}

TEST(ModelReference, EveryFamilyAndModeMatchesTheReference) {
  set_blas_threads(1);
  for (Family f : {Family::Bert, Family::Vit, Family::Gpt2, Family::Llama})
    for (Mode mode : {Mode::Forward, Mode::Decode}) {
      TransformerShape s = tiny(f);
      if (mode == Mode::Decode && !s.causal()) continue;
      Workload w;
      w.batch = 3, w.seq = 7, w.mode = mode;
      for (int threads : {1, 2}) {
        CheckResult r = check_transformer(cpu(threads), s, w, 42);
        EXPECT_TRUE(r.ok) << to_string(f) << " " << r.detail;
        EXPECT_LT(r.error, 1e-4) << r.detail;
      }
    }
}

// The check must catch a wrong model: a decode step that ignored its cache
// would equal a one-token forward pass, which differs from the reference.
TEST(ModelReference, TheCheckNoticesAWrongAnswer) {
  TransformerShape s = tiny(Family::Gpt2);
  Workload one;
  one.batch = 1, one.seq = 1;
  auto ops = make_cpu_ops(1);
  TransformerModel model(*ops, s, one, 42);
  model.run();
  Workload full;
  full.batch = 1, full.seq = 6;
  auto inputs = make_inputs(s, full, 42);
  std::vector<double> reference = reference_forward(s, 1, 6, inputs, 42);
  // Same first token, so the causal first rows agree ...
  std::vector<double> first(reference.begin(), reference.begin() + s.hidden);
  EXPECT_LT(relative_error(model.output(), first), 1e-4);
  // ... while the last token's output differs from the first one's.
  std::vector<double> last(reference.end() - s.hidden, reference.end());
  EXPECT_GT(relative_error(model.output(), last), 1e-2);
}

TEST(ModelReference, MlpMatchesTheReference) {
  auto widths = parse_widths("13,40,33,5");
  for (int threads : {1, 2}) {
    auto ops = make_cpu_ops(threads);
    MlpModel model(*ops, widths, 9, 7);
    model.run();
    EXPECT_LT(relative_error(model.output(), mlp_reference(widths, 9, 7)),
              1e-5);
    EXPECT_DOUBLE_EQ(model.flops(), 2 * 9 * (13 * 40 + 40 * 33 + 33 * 5.0));
  }
}

TEST(ModelMix, ParsesWhatTheSuiteLoaderRenders) {
  auto shapes = parse_model_shapes(
      "a{family=bert,ffn=64,heads=2,hidden=32,layers=1};a{widths=4,3}");
  ASSERT_EQ(shapes.size(), 2u);
  EXPECT_EQ(shapes[0].name, "a");
  EXPECT_EQ(shapes[1].name, "a-2");  // repeats are told apart
  EXPECT_EQ(std::get<std::int64_t>(shapes[0].shape.at("hidden")), 32);
  EXPECT_EQ(std::get<std::string>(shapes[0].shape.at("family")), "bert");
  EXPECT_THROW(parse_model_shapes("nobraces"), std::exception);
  EXPECT_THROW(parse_model_shapes(""), std::exception);
}

ParamSet transformer_params(const std::string& family,
                            const std::string& mode) {
  return {{"preset", std::string("custom")}, {"family", family},
          {"layers", std::int64_t{2}},       {"hidden", std::int64_t{32}},
          {"heads", std::int64_t{4}},        {"kv_heads", std::int64_t{0}},
          {"ffn", std::int64_t{64}},         {"batch", std::int64_t{2}},
          {"seq", std::int64_t{9}},          {"mode", mode},
          {"threads", std::int64_t{1}}};
}

TEST(ModelBenchmarks, TransformerRunsAndVerifiesThroughTheRegistry) {
  for (const char* mode : {"forward", "decode"}) {
    auto bench = Registry::instance().find("model.transformer")->factory();
    CaseContext ctx;
    ctx.params = transformer_params("llama", mode);
    bench->setup(ctx);
    auto ops = bench->operations();
    ASSERT_EQ(ops.size(), 1u);
    ops[0].run(3);
    auto recorded = ops[0].drain();
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_GT(recorded[0].at(0), 0);  // memory, MB
    Verification v = bench->verify();
    EXPECT_TRUE(v.ok) << v.detail;
  }
}

TEST(ModelBenchmarks, ImpossibleShapesAreRefusedAtSetup) {
  auto bench = Registry::instance().find("model.transformer")->factory();
  CaseContext ctx;
  ctx.params = transformer_params("bert", "decode");  // an encoder cannot
  EXPECT_THROW(bench->setup(ctx), std::exception);
  ctx.params = transformer_params("bert", "forward");
  ctx.params["heads"] = std::int64_t{5};  // 5 does not divide 32
  EXPECT_THROW(bench->setup(ctx), std::exception);
}

TEST(ModelBenchmarks, ColocateAndServeRunTheirMix) {
  const std::string shapes =
      "m1{family=bert,ffn=64,heads=2,hidden=32,layers=1};"
      "m2{family=gpt2,ffn=64,heads=2,hidden=32,layers=1};"
      "m3{widths=8,16,4}";
  ParamSet common = {
      {"models", std::string("m1,m2,m3")}, {"model_shapes", shapes},
      {"batch", std::int64_t{1}},          {"seq", std::int64_t{8}},
      {"mode", std::string("forward")},    {"threads", std::int64_t{1}}};
  auto colocate = Registry::instance().find("cross_model.colocate")->factory();
  CaseContext ctx;
  ctx.params = common;
  colocate->setup(ctx);
  auto ops = colocate->operations();
  // Per model: solo, beside each of the two others, beside all.
  ASSERT_EQ(ops.size(), 3u * 4u);
  EXPECT_EQ(ops[1].name, "m1.with.m2");
  for (auto& op : ops) {
    if (op.before_batch) op.before_batch();
    op.run(2);
    if (op.after_batch) op.after_batch();
  }
  EXPECT_TRUE(colocate->verify().ok) << colocate->verify().detail;

  auto serve = Registry::instance().find("resource_pool.serve")->factory();
  ctx.params = common;
  ctx.params["contexts"] = std::int64_t{2};
  ctx.params["clients"] = std::int64_t{3};
  serve->setup(ctx);
  auto serve_ops = serve->operations();
  serve_ops[0].run(4);
  auto recorded = serve_ops[0].drain();
  ASSERT_EQ(recorded.size(), 3u);
  EXPECT_EQ(recorded[0].size(), 12u);  // every request's latency
  EXPECT_EQ(recorded[1].size(), 12u);
  EXPECT_TRUE(serve->verify().ok) << serve->verify().detail;
}

}  // namespace
}  // namespace cb::model
