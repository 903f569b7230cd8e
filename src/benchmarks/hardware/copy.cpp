// hardware.copy: bandwidth of copies between host and device memory (and
// within the device), as CUDA's bandwidthTest and nvbandwidth measure it:
// each sample queues a batch of copies back to back on one queue and waits
// once, so the cost of submitting a copy is hidden behind the previous one.
// Host buffers are pinned (page-locked, copied by DMA) or pageable (staged
// by the driver). On Level Zero the copies run on a copy-engine queue.
// Afterwards the destination is read back and compared with the source byte for
// byte.
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/hardware/device_case.hpp"
#include "benchmarks/hardware/limits.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

BenchmarkInfo copy_info() {
  BenchmarkInfo info;
  info.name = "hardware.copy";
  info.kind = Kind::Hardware;
  info.scope = Scope::Local;
  info.backends = {"cuda", "level_zero"};
  info.summary =
      "host<->device copy bandwidth, pinned and pageable (bytes copied / s)";
  info.params = {
      {"size",
       ParamType::Bytes,
       std::int64_t{64 << 20},
       "bytes per copy",
       {},
       {"sizes"},
       1,
       kMaxBufferBytes},
      {"direction",
       ParamType::String,
       std::string("h2d"),
       "h2d (host to device), d2h, or d2d (within the device)",
       {"h2d", "d2h", "d2d"},
       {}},
      {"memory",
       ParamType::String,
       std::string("pinned"),
       "host memory: pinned (page-locked) or pageable; unused for d2d",
       {"pinned", "pageable"},
       {}},
  };
  info.cost = [](const ParamSet&) { return 1.5; };
  return info;
}

class CopyBenchmark final : public Benchmark {
 public:
  void setup(const CaseContext& ctx) override {
    std::int64_t size = get_int(ctx.params, "size");
    CB_CHECK(size > 0, "size must be positive");
    bytes_ = static_cast<std::size_t>(size);
    const std::string direction = get_string(ctx.params, "direction");
    const bool pinned = get_string(ctx.params, "memory") == "pinned";
    device_ = open_case_device(ctx);
    const auto& props = device_->properties();
    CB_CHECK(2.0 * bytes_ < props.memory_bytes / 2.0 || props.memory_bytes == 0,
             "two buffers of " + format_bytes(size) +
                 " do not fit in half of " + props.name + "'s memory");
    auto on_host = [&] { return DeviceBuffer::host(*device_, bytes_, pinned); };
    auto on_device = [&] { return DeviceBuffer(*device_, bytes_); };
    src_ = direction == "h2d" ? on_host() : on_device();
    dst_ = direction == "d2h" ? on_host() : on_device();

    // A pattern that a shifted, truncated or partial copy cannot match.
    expected_.resize(bytes_);
    for (std::size_t i = 0; i < bytes_; ++i)
      expected_[i] = static_cast<unsigned char>((i * 2654435761u) >> 13);
    device_->copy(src_.get(), expected_.data(), bytes_);
    device_->synchronize();
  }

  std::vector<Operation> operations() override {
    Operation op;  // metrics "time" and "bandwidth"
    op.rates = {{"bandwidth", "GB/s", static_cast<double>(bytes_) / 1e9}};
    op.run = [this](std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i)
        device_->copy(dst_.get(), src_.get(), bytes_);
    };
    op.sync = [this] { device_->synchronize(); };
    return {op};
  }

  Verification verify() override {
    std::vector<unsigned char> got(bytes_, 0);
    device_->copy(got.data(), dst_.get(), bytes_);
    device_->synchronize();
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < bytes_; ++i) wrong += got[i] != expected_[i];
    return {wrong == 0, std::to_string(wrong) + " of " +
                            std::to_string(bytes_) +
                            " bytes differ from the source after the copies"};
  }

  void teardown() override {
    src_ = {}, dst_ = {};
    device_.reset();
  }

 private:
  std::unique_ptr<kernels::Device> device_;
  std::size_t bytes_ = 0;
  DeviceBuffer src_, dst_;
  std::vector<unsigned char> expected_;
};

}  // namespace

CB_REGISTER_BENCHMARK(CopyBenchmark, copy_info());

}  // namespace cb
