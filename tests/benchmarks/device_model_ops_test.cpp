// The model benchmarks' GPU path without a GPU: DeviceModelOps over the test
// plugin libclusterbench-hosttensor.so (host memory and host kernels behind
// the device API) must give the reference answers, and cross_model.colocate
// and resource_pool.serve must give every model or context its own device
// handle (its own queue on a GPU) and wait for each request.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "benchmarks/model/mlp_model.hpp"
#include "benchmarks/model/model_ops.hpp"
#include "benchmarks/model/transformer_check.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"
#include "device/device_loader.hpp"

namespace cb::model {
namespace {

constexpr const char* kBackend = "hosttensor";

// Counters exported by the plugin, found in the copy the loader opened.
template <typename T>
T plugin_counter(const char* name) {
  const std::string path =
      std::string(CB_TEST_PLUGIN_DIR) + "/libclusterbench-hosttensor.so";
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (!handle) return T{-1};
  auto fn = reinterpret_cast<T (*)()>(dlsym(handle, name));
  T value = fn ? fn() : T{-1};
  dlclose(handle);
  return value;
}
int devices_opened() {
  return plugin_counter<int>("cb_test_devices_opened");
}
long synchronized() {
  return plugin_counter<long>("cb_test_synchronized");
}

// Every family, forward and (causal ones) decode, on a 2-layer model through
// the reference check.
template <typename F>
void for_each_small_model(const OpsFactory& make_ops, F check) {
  for (Family f : {Family::Bert, Family::Vit, Family::Gpt2, Family::Llama})
    for (Mode mode : {Mode::Forward, Mode::Decode}) {
      TransformerShape s;
      s.family = f, s.layers = 2, s.hidden = 48, s.heads = 4, s.ffn = 80;
      s.kv_heads = f == Family::Llama ? 2 : 4;
      if (mode == Mode::Decode && !s.causal()) continue;
      Workload w;
      w.batch = 3, w.seq = 7, w.mode = mode;
      check(f, check_transformer(make_ops, s, w, 42));
    }
}

class DeviceModelOpsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setenv("CLUSTERBENCH_PLUGIN_DIR", CB_TEST_PLUGIN_DIR, 1);
    kernels::open_device(kBackend, 0);  // loaded, so its counters can be read
  }
  OpsFactory shared_device() {
    std::shared_ptr<kernels::Device> device = kernels::open_device(kBackend, 0);
    return [device] { return make_device_ops(device); };
  }
};

TEST_F(DeviceModelOpsTest, EveryFamilyAndModeMatchesTheReference) {
  OpsFactory make_ops = shared_device();
  for_each_small_model(make_ops, [](Family f, const CheckResult& r) {
    EXPECT_TRUE(r.ok) << to_string(f) << " " << r.detail;
    EXPECT_LT(r.error, 1e-4) << r.detail;
  });
  auto widths = parse_widths("13,40,33,5");
  auto ops = make_ops();
  MlpModel mlp(*ops, widths, 9, 7);
  mlp.run();
  EXPECT_LT(relative_error(mlp.output(), mlp_reference(widths, 9, 7)), 1e-5);
  EXPECT_EQ(ops->backend(), kBackend);
}

// float16 and bfloat16 storage (the test plugin rounds every stored value
// as the CUDA kernels do): every family still matches the double reference
// within the precision's tolerance, and the footprint halves.
TEST_F(DeviceModelOpsTest, SixteenBitStorageMatchesTheReference) {
  std::shared_ptr<kernels::Device> device = kernels::open_device(kBackend, 0);
  for (kernels::Precision p :
       {kernels::Precision::FP16, kernels::Precision::BF16}) {
    OpsFactory make_ops = [device, p] { return make_device_ops(device, p); };
    double worst = 0;
    for_each_small_model(make_ops, [&](Family f, const CheckResult& r) {
      EXPECT_TRUE(r.ok) << kernels::to_string(p) << " " << to_string(f) << " "
                        << r.detail;
      // Rounded storage is visible: not float32's ~1e-6.
      EXPECT_GT(r.error, 1e-5) << r.detail;
      worst = std::max(worst, r.error);
    });
    std::printf("%s: worst transformer error %.3g (tolerance %.0e)\n",
                kernels::to_string(p), worst, check_tolerance(p));
    auto widths = parse_widths("13,40,33,5");
    auto ops = make_ops();
    MlpModel mlp(*ops, widths, 9, 7);
    mlp.run();
    EXPECT_LT(relative_error(mlp.output(), mlp_reference(widths, 9, 7)),
              check_tolerance(p));
    auto f32 = make_device_ops(device);
    MlpModel mlp32(*f32, widths, 9, 7);
    EXPECT_EQ(ops->allocated_bytes() * 2, f32->allocated_bytes());
  }
}

TEST_F(DeviceModelOpsTest, TheCpuBackendSkipsSixteenBitCases) {
  auto bench = Registry::instance().find("model.mlp")->factory();
  CaseContext ctx;
  ctx.backend = "cpu";
  ctx.params = {{"preset", std::string("custom")},
                {"widths", std::string("8,4")},
                {"batch", std::int64_t{2}},
                {"dtype", std::string("bfloat16")},
                {"threads", std::int64_t{1}}};
  try {
    bench->setup(ctx);
    FAIL() << "a bfloat16 case ran on the CPU";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Unavailable) << e.what();
  }
}

ParamSet mix() {
  return {{"models", std::string("m1,m2,m3")},
          {"model_shapes",
           std::string("m1{family=bert,ffn=64,heads=2,hidden=32,layers=1};"
                       "m2{family=llama,ffn=64,heads=4,hidden=32,layers=1};"
                       "m3{widths=8,16,4}")},
          {"batch", std::int64_t{1}},
          {"seq", std::int64_t{8}},
          {"mode", std::string("forward")},
          {"threads", std::int64_t{1}}};
}

TEST_F(DeviceModelOpsTest, ColocateGivesEveryModelItsOwnDevice) {
  auto colocate = Registry::instance().find("cross_model.colocate")->factory();
  CaseContext ctx;
  ctx.params = mix(), ctx.backend = kBackend;
  const int before = devices_opened();
  colocate->setup(ctx);
  ASSERT_GE(before, 0) << "the test plugin was not loaded";
  // One opened to see that the backend works, then one per model.
  EXPECT_EQ(devices_opened() - before, 1 + 3);
  auto ops = colocate->operations();
  ASSERT_EQ(ops.size(), 3u * 4u);
  for (auto& op : ops) {
    ASSERT_TRUE(op.sync) << op.name;  // the timed model's queue is waited for
    const long synced = synchronized();
    if (op.before_batch) op.before_batch();
    op.run(2);
    op.sync();
    if (op.after_batch) op.after_batch();
    EXPECT_GT(synchronized(), synced) << op.name;
  }
  Verification v = colocate->verify();
  EXPECT_TRUE(v.ok) << v.detail;
  colocate->teardown();
}

TEST_F(DeviceModelOpsTest, ServeWaitsForEveryRequestOnItsContext) {
  auto serve = Registry::instance().find("resource_pool.serve")->factory();
  CaseContext ctx;
  ctx.params = mix(), ctx.backend = kBackend;
  ctx.params["contexts"] = std::int64_t{2};
  ctx.params["clients"] = std::int64_t{3};
  const int before = devices_opened();
  serve->setup(ctx);
  EXPECT_EQ(devices_opened() - before, 1 + 2);  // the probe, then per context
  auto ops = serve->operations();
  const long synced = synchronized();
  ops[0].run(4);
  // Every one of the 3 x 4 requests waited for its context's queue.
  EXPECT_GE(synchronized() - synced, 12);
  auto recorded = ops[0].drain();
  ASSERT_EQ(recorded.size(), 3u);
  EXPECT_EQ(recorded[0].size(), 12u);
  Verification v = serve->verify();
  EXPECT_TRUE(v.ok) << v.detail;
  serve->teardown();
}

TEST_F(DeviceModelOpsTest, AMissingBackendSkipsTheCase) {
  auto serve = Registry::instance().find("resource_pool.serve")->factory();
  CaseContext ctx;
  ctx.params = mix(), ctx.backend = "nosuchbackend";
  ctx.params["contexts"] = std::int64_t{2};
  ctx.params["clients"] = std::int64_t{3};
  try {
    serve->setup(ctx);
    FAIL() << "setup on a missing backend succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Unavailable) << e.what();
  }
}

}  // namespace
}  // namespace cb::model
