// The Markdown sections of model results, from fake cases.
#include "storage/model_summary.hpp"

#include <gtest/gtest.h>

namespace cb {
namespace {

MetricSummary metric(const std::string& name, const std::string& unit,
                     double median, Better better = Better::Lower) {
  MetricSummary m;
  m.metric = name, m.unit = unit, m.median = median, m.better = better;
  m.p90 = 1.5 * median, m.p99 = 2 * median, m.n = 9, m.valid = true;
  return m;
}

CaseResult transformer(const std::string& backend, double samples_per_s,
                       const std::string& dtype = "float32",
                       const std::string& preset = "bert-base") {
  CaseResult c;
  c.benchmark = "model.transformer";
  c.backend = backend;
  c.params = {{"preset", preset},
              {"batch", std::int64_t{8}},
              {"seq", std::int64_t{128}},
              {"mode", std::string("forward")},
              {"dtype", dtype},
              {"threads", std::int64_t{backend == "cpu" ? 2 : 1}}};
  c.metrics = {metric("latency", "s", 8 / samples_per_s),
               metric("throughput", "samples/s", samples_per_s, Better::Higher),
               metric("flops", "GFLOP/s", 50, Better::Higher)};
  return c;
}

TEST(ModelSummary, LatencyPercentilesPerModelCase) {
  std::string md = model_latency_section({transformer("cpu", 4)});
  EXPECT_NE(
      md.find("| bert-base b8 s128 forward | cpu | 2.00 s | 3.00 s | 4.00 s |"),
      std::string::npos)
      << md;
  EXPECT_EQ(model_latency_section({}), "");
}

TEST(ModelSummary, CrossHardwareRatiosAgainstTheCpu) {
  // Thread counts differ per backend; the configuration is the same.
  std::string md = cross_hardware_section(
      {transformer("cuda", 100), transformer("cpu", 4), transformer("ze", 50)});
  EXPECT_NE(md.find("| model | cpu | cuda | ze |"), std::string::npos) << md;
  EXPECT_NE(md.find("| bert-base b8 s128 forward | 4.00 samples/s | 100 "
                    "samples/s (25.00×) | 50.0 samples/s (12.50×) |"),
            std::string::npos)
      << md;
  // A backend alone still gets its column, without ratios.
  md = cross_hardware_section({transformer("cuda", 100)});
  EXPECT_NE(md.find("| bert-base b8 s128 forward | 100 samples/s |"),
            std::string::npos)
      << md;
}

// A model in three precisions is three rows named by their element type
// (float32 unnamed), one model's rows together whatever the cases' order.
TEST(ModelSummary, PrecisionsAreNamedAndRowsGrouped) {
  std::string md = cross_hardware_section(
      {transformer("cuda", 300, "bfloat16"),
       transformer("cuda", 90, "float32", "vit-base"), transformer("cuda", 100),
       transformer("cpu", 4), transformer("cuda", 320, "float16")});
  const auto f32 = md.find(
      "| bert-base b8 s128 forward | 4.00 samples/s | "
      "100 samples/s (25.00×) |");
  const auto bf16 = md.find("| bert-base b8 s128 forward bfloat16 | — | 300");
  const auto f16 = md.find("| bert-base b8 s128 forward float16 | — | 320");
  const auto vit = md.find("| vit-base b8 s128 forward | — | 90.0");
  ASSERT_NE(f32, std::string::npos) << md;
  ASSERT_NE(bf16, std::string::npos) << md;
  ASSERT_NE(f16, std::string::npos) << md;
  ASSERT_NE(vit, std::string::npos) << md;
  EXPECT_LT(f32, bf16) << md;
  EXPECT_LT(bf16, f16) << md;
  EXPECT_LT(f16, vit) << md;
  md = model_latency_section({transformer("cuda", 320, "float16")});
  EXPECT_NE(md.find("| bert-base b8 s128 forward float16 | cuda |"),
            std::string::npos)
      << md;
}

TEST(ModelSummary, InterferenceMatrixAndPool) {
  CaseResult c;
  c.benchmark = "cross_model.colocate";
  c.case_id = 3;
  for (auto [op, latency] : {std::pair{"a.solo", 1.0},
                             {"a.with.b", 2.0},
                             {"b.solo", 1.0},
                             {"b.with.a", 1.25}}) {
    c.metrics.push_back(metric(std::string(op) + ".latency", "s", latency));
    c.metrics.push_back(metric(std::string(op) + ".throughput", "samples/s",
                               1 / latency, Better::Higher));
  }
  std::string md = interference_section({c});
  EXPECT_NE(md.find("| slowed ↓ by → | a | b |"), std::string::npos) << md;
  EXPECT_NE(md.find("| a | — | 2.00 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| b | 1.25 | — |"), std::string::npos) << md;
  EXPECT_NE(md.find("1.30 samples/s"), std::string::npos) << md;  // 0.5 + 0.8

  std::vector<CaseResult> pool;
  for (auto [k, tp] : {std::pair{1, 100.0}, {2, 190.0}, {3, 195.0}}) {
    CaseResult s;
    s.benchmark = "resource_pool.serve";
    s.backend = "cpu";
    s.params = {{"contexts", std::int64_t{k}}, {"clients", std::int64_t{4}}};
    s.metrics = {metric("throughput", "requests/s", tp, Better::Higher),
                 metric("request_latency", "s", 0.01)};
    pool.push_back(s);
  }
  md = pool_section(pool);
  EXPECT_NE(md.find("Throughput stops growing at K = 2"), std::string::npos)
      << md;
  EXPECT_NE(md.find("| 3 | 195 requests/s | 10.0 ms | 20.0 ms |"),
            std::string::npos)
      << md;
}

}  // namespace
}  // namespace cb
