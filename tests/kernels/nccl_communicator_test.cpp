// The NCCL plugin through the communicator API on one GPU (a one-rank
// communicator: what a single-GPU machine without MPI can check). Runs on a
// GPU machine (launch/gpu-check.sh); skips where no GPU is usable.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <vector>

#include "device/device_loader.hpp"

namespace k = cb::kernels;

namespace {

struct Gpu {
  std::unique_ptr<k::Device> device;
  std::unique_ptr<k::Communicator> comm;
};

Gpu open_one_rank() {
  Gpu g;
  try {
    g.device = k::open_device("cuda", 0);
    g.comm = k::open_communicator("nccl", 0, 0, 1,
                                  k::communicator_unique_id("nccl"));
  } catch (const std::exception& e) {
    std::cout << "no usable CUDA device or NCCL: " << e.what() << "\n";
    g = {};
  }
  return g;
}

using Call = std::function<void(const void*, void*, std::size_t, k::Element)>;

// On one rank every collective leaves its input where the output goes: this
// checks the calls, each element type and all_to_all's block arithmetic.
void expect_identity(Gpu& g, k::Element t, const char* what, Call call) {
  const std::size_t count = 4099, bytes = count * k::element_bytes(t);
  std::vector<unsigned char> in(bytes), out(bytes, 0xff), zero(bytes, 0);
  for (std::size_t i = 0; i < bytes; ++i) in[i] = (i * 37 + 11) & 0x3f;
  void* send = g.device->allocate(bytes);
  void* recv = g.device->allocate(bytes);
  g.device->copy(send, in.data(), bytes);
  g.device->copy(recv, zero.data(), bytes);
  g.device->synchronize();
  call(send, recv, count, t);
  g.comm->synchronize();
  g.device->copy(out.data(), recv, bytes);
  g.device->synchronize();
  EXPECT_EQ(std::memcmp(in.data(), out.data(), bytes), 0)
      << what << " in " << k::to_string(t);
  g.device->release(send), g.device->release(recv);
}

}  // namespace

TEST(NcclCommunicator, EveryCollectiveInEveryElementType) {
  Gpu g = open_one_rank();
  if (!g.comm) GTEST_SKIP() << "no usable CUDA device or NCCL";
  EXPECT_EQ(g.comm->size(), 1);
  auto& c = *g.comm;
  for (k::Element t : {k::Element::F32, k::Element::F64, k::Element::I32,
                       k::Element::F16, k::Element::BF16}) {
    expect_identity(g, t, "all_reduce", [&](auto s, auto r, auto n, auto e) {
      c.all_reduce(s, r, n, e);
    });
    expect_identity(g, t, "reduce", [&](auto s, auto r, auto n, auto e) {
      c.reduce(s, r, n, e, 0);
    });
    expect_identity(g, t, "broadcast", [&](auto s, auto r, auto n, auto e) {
      c.broadcast(s, r, n, e, 0);
    });
    expect_identity(g, t, "all_gather", [&](auto s, auto r, auto n, auto e) {
      c.all_gather(s, r, n, e);
    });
    expect_identity(
        g, t, "reduce_scatter",
        [&](auto s, auto r, auto n, auto e) { c.reduce_scatter(s, r, n, e); });
    expect_identity(g, t, "all_to_all", [&](auto s, auto r, auto n, auto e) {
      c.all_to_all(s, r, n, e);
    });
  }
}

TEST(NcclCommunicator, AWrongSizedIdIsRefused) {
  EXPECT_THROW(k::open_communicator("nccl", 0, 0, 1, "short"), k::DeviceError);
}
