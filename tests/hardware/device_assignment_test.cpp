#include "hardware/device_assignment.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cb {
namespace {

// n_nodes nodes with ranks_per_node ranks each (world rank = node * rpn +
// local rank), each rank with a cpu row.
Inventory make_inventory(int n_nodes, int ranks_per_node) {
  Inventory inv;
  for (int n = 0; n < n_nodes; ++n) {
    NodeInfo node;
    node.node_id = n;
    inv.nodes.push_back(node);
    for (int l = 0; l < ranks_per_node; ++l) {
      RankInfo r;
      r.rank = n * ranks_per_node + l;
      r.node_id = n;
      r.local_rank = l;
      inv.ranks.push_back(r);
      DeviceInfo cpu;
      cpu.rank = r.rank;
      cpu.backend = "cpu";
      cpu.index = 0;
      inv.devices.push_back(cpu);
    }
  }
  return inv;
}

DeviceInfo gpu(int rank, int index, std::string uuid,
               std::string backend = "cuda") {
  DeviceInfo d;
  d.rank = rank;
  d.backend = std::move(backend);
  d.index = index;
  d.name = "NVIDIA H100 80GB HBM3";
  d.uuid = std::move(uuid);
  return d;
}

DeviceInfo status_row(int rank, std::string status,
                      std::string backend = "cuda") {
  DeviceInfo d;
  d.rank = rank;
  d.backend = std::move(backend);
  d.status = std::move(status);
  return d;
}

// Every rank of the node sees the node's `n_gpus` GPUs.
void add_shared_gpus(Inventory& inv, int n_gpus,
                     const std::string& backend = "cuda") {
  for (const RankInfo& r : inv.ranks)
    for (int i = 0; i < n_gpus; ++i)
      inv.devices.push_back(
          gpu(r.rank, i,
              "GPU-node" + std::to_string(r.node_id) + "-" + std::to_string(i),
              backend));
}

std::vector<DeviceInfo> rows_of(const Inventory& inv, int rank,
                                const std::string& backend) {
  std::vector<DeviceInfo> out;
  for (const DeviceInfo& d : inv.devices)
    if (d.rank == rank && d.backend == backend) out.push_back(d);
  return out;
}

TEST(DeviceAssignment, FourGpusFourRanksEachRankItsOwn) {
  Inventory inv = make_inventory(1, 4);
  add_shared_gpus(inv, 4);
  Inventory out = assign_devices(inv);
  for (int r = 0; r < 4; ++r) {
    auto rows = rows_of(out, r, "cuda");
    ASSERT_EQ(rows.size(), 1u) << "rank " << r;
    EXPECT_TRUE(rows[0].usable());
    EXPECT_EQ(rows[0].index, r);  // local rank r takes visible device r
    EXPECT_EQ(rows[0].uuid, "GPU-node0-" + std::to_string(r));
    EXPECT_EQ(rows_of(out, r, "cpu").size(), 1u);
  }
}

TEST(DeviceAssignment, TwoGpusFourRanksTwoRanksReportNone) {
  Inventory inv = make_inventory(1, 4);
  add_shared_gpus(inv, 2);
  Inventory out = assign_devices(inv);
  for (int r = 0; r < 2; ++r) {
    auto rows = rows_of(out, r, "cuda");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0].usable());
    EXPECT_EQ(rows[0].index, r);
  }
  for (int r = 2; r < 4; ++r) {
    auto rows = rows_of(out, r, "cuda");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_FALSE(rows[0].usable());
    EXPECT_EQ(rows[0].index, -1);
    EXPECT_EQ(rows[0].status, "CUDA: 2 devices on this node, local rank " +
                                  std::to_string(r) +
                                  " has none (more ranks than GPUs)");
  }
}

TEST(DeviceAssignment, NoGpusKeepsTheStatusRows) {
  Inventory inv = make_inventory(1, 4);
  for (int r = 0; r < 4; ++r) {
    inv.devices.push_back(
        status_row(r, "CUDA: no driver (libcuda.so.1 not found)"));
    inv.devices.push_back(status_row(
        r, "Level Zero: no driver (zeInit: ZE_RESULT_ERROR_UNINITIALIZED)",
        "level_zero"));
  }
  Inventory out = assign_devices(inv);
  EXPECT_EQ(out.devices.size(), inv.devices.size());
  for (std::size_t i = 0; i < out.devices.size(); ++i) {
    EXPECT_EQ(out.devices[i].backend, inv.devices[i].backend);
    EXPECT_EQ(out.devices[i].status, inv.devices[i].status);
  }
}

TEST(DeviceAssignment, LauncherBoundGpusAreAllKept) {
  // srun --gpus-per-task=1: every rank sees its own GPU as index 0.
  Inventory inv = make_inventory(1, 4);
  for (int r = 0; r < 4; ++r)
    inv.devices.push_back(gpu(r, 0, "GPU-bound-" + std::to_string(r)));
  Inventory out = assign_devices(inv);
  for (int r = 0; r < 4; ++r) {
    auto rows = rows_of(out, r, "cuda");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0].usable()) << rows[0].status;
    EXPECT_EQ(rows[0].index, 0);
    EXPECT_EQ(rows[0].uuid, "GPU-bound-" + std::to_string(r));
  }
}

TEST(DeviceAssignment, OneGpuSharedByAllRanksGoesToLocalRankZero) {
  // mpirun -n 4 on a one-GPU workstation: reported, never shared.
  Inventory inv = make_inventory(1, 4);
  add_shared_gpus(inv, 1);
  Inventory out = assign_devices(inv);
  EXPECT_TRUE(rows_of(out, 0, "cuda")[0].usable());
  for (int r = 1; r < 4; ++r)
    EXPECT_EQ(rows_of(out, r, "cuda")[0].status,
              "CUDA: 1 device on this node, local rank " + std::to_string(r) +
                  " has none (more ranks than GPUs)");
}

TEST(DeviceAssignment, NodesAreIndependent) {
  // Two nodes of 4 ranks, 4 GPUs each, with the same indices.
  Inventory inv = make_inventory(2, 4);
  add_shared_gpus(inv, 4);
  Inventory out = assign_devices(inv);
  for (int r = 0; r < 8; ++r) {
    auto rows = rows_of(out, r, "cuda");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0].usable());
    EXPECT_EQ(rows[0].index, r % 4);
  }
}

TEST(DeviceAssignment, WithoutUuidsTheIndexIdentifiesTheDevice) {
  Inventory inv = make_inventory(1, 3);
  for (int r = 0; r < 3; ++r)
    for (int i = 0; i < 2; ++i) inv.devices.push_back(gpu(r, i, ""));
  Inventory out = assign_devices(inv);
  EXPECT_EQ(rows_of(out, 0, "cuda")[0].index, 0);
  EXPECT_EQ(rows_of(out, 1, "cuda")[0].index, 1);
  EXPECT_FALSE(rows_of(out, 2, "cuda")[0].usable());
}

TEST(DeviceAssignment, ALeftOverRankTakesADeviceAnEarlierRankCanGiveUp) {
  // Rank 0 sees A and B, rank 1 only A: rank 0 must take B.
  Inventory inv = make_inventory(1, 2);
  inv.devices.push_back(gpu(0, 0, "A"));
  inv.devices.push_back(gpu(0, 1, "B"));
  inv.devices.push_back(gpu(1, 0, "A"));
  Inventory out = assign_devices(inv);
  EXPECT_EQ(rows_of(out, 0, "cuda")[0].uuid, "B");
  EXPECT_EQ(rows_of(out, 1, "cuda")[0].uuid, "A");
}

TEST(DeviceAssignment, BackendsAreAssignedSeparately) {
  Inventory inv = make_inventory(1, 2);
  add_shared_gpus(inv, 1, "cuda");
  add_shared_gpus(inv, 2, "level_zero");
  Inventory out = assign_devices(inv);
  EXPECT_TRUE(rows_of(out, 0, "cuda")[0].usable());
  EXPECT_EQ(rows_of(out, 1, "cuda")[0].status,
            "CUDA: 1 device on this node, local rank 1 has none (more ranks "
            "than GPUs)");
  EXPECT_EQ(rows_of(out, 0, "level_zero")[0].index, 0);
  EXPECT_EQ(rows_of(out, 1, "level_zero")[0].index, 1);
  EXPECT_EQ(rows_of(out, 1, "level_zero")[0].status, "ok");
}

TEST(DeviceAssignment, RowOrderIsKept) {
  Inventory inv = make_inventory(1, 2);
  add_shared_gpus(inv, 2);
  Inventory out = assign_devices(inv);
  std::vector<std::string> order;
  for (const DeviceInfo& d : out.devices)
    order.push_back(std::to_string(d.rank) + d.backend);
  EXPECT_EQ(order,
            (std::vector<std::string>{"0cpu", "1cpu", "0cuda", "1cuda"}));
}

TEST(DeviceAssignment, ABrokenDeviceIsNamedWhenNoneIsLeft) {
  Inventory inv = make_inventory(1, 2);
  for (int r = 0; r < 2; ++r) {
    inv.devices.push_back(gpu(r, 0, "A"));
    DeviceInfo broken = gpu(r, 1, "");
    broken.status = "CUDA: device 1: cuDeviceGetName failed (X)";
    inv.devices.push_back(broken);
  }
  Inventory out = assign_devices(inv);
  auto rank0 = rows_of(out, 0, "cuda");
  ASSERT_EQ(rank0.size(), 1u);
  EXPECT_EQ(rank0[0].uuid, "A");
  EXPECT_EQ(rows_of(out, 1, "cuda")[0].status,
            "CUDA: 1 device on this node, local rank 1 has none (more ranks "
            "than GPUs); CUDA: device 1: cuDeviceGetName failed (X)");
}

TEST(DeviceAssignment, BackendLabels) {
  EXPECT_EQ(backend_label("cuda"), "CUDA");
  EXPECT_EQ(backend_label("level_zero"), "Level Zero");
  EXPECT_EQ(backend_label("cpu"), "CPU");
}

}  // namespace
}  // namespace cb
