#include "cluster/partition.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

// ---- A fake registry: one benchmark of each scope and shape. ----

double size_cost(const ParamSet& p) {
  return static_cast<double>(get_int(p, "size"));
}

Registry make_registry() {
  Registry registry;
  auto add = [&](std::string name, Kind kind, Scope scope, GroupShape shape,
                 std::vector<std::string> backends) {
    BenchmarkInfo info;
    info.name = std::move(name);
    info.kind = kind;
    info.scope = scope;
    info.shape = shape;
    info.backends = std::move(backends);
    info.params = {{"size", ParamType::Int, std::int64_t{1}, "", {}, {}}};
    info.cost = size_cost;
    registry.add(std::move(info), [] { return std::unique_ptr<Benchmark>(); });
  };
  add("hardware.cpu_stream", Kind::Hardware, Scope::Local, GroupShape::None,
      {"cpu"});
  add("hardware.gpu_stream", Kind::Hardware, Scope::Local, GroupShape::None,
      {"cuda", "level_zero"});
  add("distributed.pingpong", Kind::Distributed, Scope::Group, GroupShape::Pair,
      {"mpi"});
  add("distributed.allreduce", Kind::Distributed, Scope::Group,
      GroupShape::AllRanks, {"mpi"});
  add("distributed.nccl_allreduce", Kind::Distributed, Scope::Group,
      GroupShape::AllRanks, {"cuda"});
  add("distributed.cuda_pingpong", Kind::Distributed, Scope::Group,
      GroupShape::Pair, {"cuda"});
  return registry;
}

CaseTemplate tmpl(std::string benchmark, std::string backend,
                  std::int64_t size = 1) {
  CaseTemplate t;
  t.benchmark = std::move(benchmark);
  t.backend = std::move(backend);
  t.params = {{"size", size}};
  return t;
}

// ---- Simulated inventories. ----

struct NodeSpec {
  int ranks = 1;
  int gpus = 0;
  // Masked: every rank sees one GPU (local_rank % gpus) as its index 0, as
  // with CUDA_VISIBLE_DEVICES per rank; otherwise every rank sees them all.
  bool masked = false;
  std::string cpu = "Xeon 8480";
};

std::string gpu_pci(int g) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0000:%02x:00.0", 0x10 * (g + 1));
  return buf;
}
// UUIDs sort in the opposite order of the PCI ids, so that the planner's
// ordering by PCI bus id is visible.
std::string gpu_uuid(int node, int g) {
  return "GPU-n" + std::to_string(node) + "-" + std::to_string(9 - g);
}

Inventory make_inventory(const std::vector<NodeSpec>& specs,
                         bool status_rows = true) {
  Inventory inv;
  int rank = 0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const NodeSpec& spec = specs[i];
    const int node = static_cast<int>(i);
    NodeInfo n;
    n.node_id = node;
    n.hostname = "host" + std::to_string(node);
    n.cpu_model = spec.cpu;
    inv.nodes.push_back(n);
    for (int local = 0; local < spec.ranks; ++local, ++rank) {
      RankInfo r;
      r.rank = rank;
      r.node_id = node;
      r.local_rank = local;
      inv.ranks.push_back(r);
      DeviceInfo cpu;
      cpu.rank = rank;
      cpu.backend = "cpu";
      cpu.index = 0;
      cpu.name = spec.cpu;
      inv.devices.push_back(cpu);
      auto gpu = [&](int g, int index) {
        DeviceInfo d;
        d.rank = rank;
        d.backend = "cuda";
        d.index = index;
        d.name = "H100";
        d.uuid = gpu_uuid(node, g);
        d.pci_bus_id = gpu_pci(g);
        inv.devices.push_back(d);
      };
      if (spec.gpus == 0) {
        if (status_rows) {
          DeviceInfo d;
          d.rank = rank;
          d.backend = "cuda";
          d.status = "CUDA: no device found";
          inv.devices.push_back(d);
        }
      } else if (spec.masked) {
        gpu(local % spec.gpus, 0);
      } else {
        for (int g = 0; g < spec.gpus; ++g) gpu(g, g);
      }
      if (status_rows) {
        DeviceInfo lz;
        lz.rank = rank;
        lz.backend = "level_zero";
        lz.status = "Level Zero: not built";
        inv.devices.push_back(lz);
      }
    }
  }
  return inv;
}

// ---- Checks every plan must pass. ----

bool same_case(const PlannedCase& a, const PlannedCase& b) {
  return a.case_id == b.case_id && a.spec.benchmark == b.spec.benchmark &&
         a.spec.backend == b.spec.backend && a.spec.params == b.spec.params &&
         a.key == b.key && a.kind == b.kind && a.scope == b.scope &&
         a.slot == b.slot && a.device_name == b.device_name &&
         a.node_id == b.node_id && a.device_index == b.device_index &&
         a.ranks == b.ranks && a.cost_s == b.cost_s && a.skipped == b.skipped &&
         a.skip_reason == b.skip_reason;
}

void expect_same_plan(const Plan& a, const Plan& b) {
  EXPECT_EQ(a.isolation, b.isolation);
  EXPECT_EQ(a.world_size, b.world_size);
  EXPECT_EQ(a.rank_load_s, b.rank_load_s);
  EXPECT_EQ(a.rank_node, b.rank_node);
  ASSERT_EQ(a.cases.size(), b.cases.size());
  for (std::size_t i = 0; i < a.cases.size(); ++i)
    ASSERT_TRUE(same_case(a.cases[i], b.cases[i])) << "case " << i;
}

std::string prefix_of(const CaseTemplate& t) {
  return t.benchmark + "[" + canonical(t.params) + "]@" + t.backend + ":";
}

void check_invariants(const Plan& plan, const std::vector<CaseTemplate>& ts,
                      const Inventory& inv, const Registry& registry) {
  const std::size_t world = inv.ranks.size();
  ASSERT_EQ(plan.world_size, static_cast<int>(world));
  ASSERT_EQ(plan.rank_load_s.size(), world);
  ASSERT_EQ(plan.rank_node.size(), world);
  for (std::size_t r = 0; r < world; ++r)
    ASSERT_EQ(plan.rank_node[r], inv.ranks[r].node_id);

  std::unordered_map<std::string, std::size_t> template_of;
  for (std::size_t i = 0; i < ts.size(); ++i) template_of[prefix_of(ts[i])] = i;

  // (rank, backend, index) -> device row, and every usable device.
  std::map<std::tuple<int, std::string, int>, const DeviceInfo*> row;
  std::map<std::string, std::set<std::pair<int, std::string>>> usable;
  for (const DeviceInfo& d : inv.devices) {
    if (!d.usable()) continue;
    row[{d.rank, d.backend, d.index}] = &d;
    usable[d.backend].insert({inv.ranks[d.rank].node_id, d.uuid});
  }

  std::unordered_set<std::string> keys;
  std::vector<double> load(world, 0.0);
  // Per template: covered (node, device uuid) for devices, nodes for cpu.
  std::vector<std::multiset<std::pair<int, std::string>>> covered(ts.size());
  bool in_locals = true;
  int last_node = -1;
  std::size_t last_template = 0;
  std::size_t last_group_template = 0;
  for (std::size_t k = 0; k < plan.cases.size(); ++k) {
    const PlannedCase& c = plan.cases[k];
    ASSERT_EQ(c.case_id, static_cast<int>(k));
    ASSERT_TRUE(keys.insert(c.key).second) << "duplicate key " << c.key;
    const auto colon = c.key.rfind(':');
    ASSERT_NE(colon, std::string::npos);
    ASSERT_EQ(c.key.substr(colon + 1), c.slot);
    ASSERT_TRUE(template_of.count(c.key.substr(0, colon + 1))) << c.key;
    const std::size_t ti = template_of[c.key.substr(0, colon + 1)];
    const CaseTemplate& t = ts[ti];
    ASSERT_EQ(c.spec.benchmark, t.benchmark);
    ASSERT_EQ(c.spec.params, t.params);
    ASSERT_EQ(c.spec.backend, t.backend);

    if (c.skipped) {
      in_locals = false;
      EXPECT_TRUE(c.ranks.empty()) << c.key;
      EXPECT_FALSE(c.skip_reason.empty()) << c.key;
      continue;
    }
    const RegisteredBenchmark* reg = registry.find(t.benchmark);
    ASSERT_NE(reg, nullptr);
    EXPECT_EQ(c.kind, to_string(reg->info.kind));
    EXPECT_EQ(c.scope, reg->info.scope);
    EXPECT_EQ(c.cost_s, reg->info.cost(t.params));
    for (int r : c.ranks) load[static_cast<std::size_t>(r)] += c.cost_s;

    if (c.scope == Scope::Local) {
      ASSERT_TRUE(in_locals)
          << "local case after skipped/group cases: " << c.key;
      // Grouped by node, in suite order within a node.
      ASSERT_GE(c.node_id, last_node) << c.key;
      if (c.node_id == last_node) {
        ASSERT_GE(ti, last_template) << c.key;
      }
      last_node = c.node_id;
      last_template = ti;

      ASSERT_EQ(c.ranks.size(), 1u) << c.key;
      const int r = c.ranks[0];
      ASSERT_EQ(inv.ranks[static_cast<std::size_t>(r)].node_id, c.node_id)
          << c.key;
      const std::string node = "node" + std::to_string(c.node_id);
      if (t.backend == "cpu") {
        EXPECT_EQ(c.slot, node);
        EXPECT_EQ(c.device_name,
                  inv.nodes[static_cast<std::size_t>(c.node_id)].cpu_model);
        EXPECT_EQ(c.device_index, 0);
        covered[ti].insert({c.node_id, ""});
      } else {
        EXPECT_EQ(c.slot.rfind(node + "." + t.backend, 0), 0u) << c.slot;
        auto it = row.find({r, t.backend, c.device_index});
        ASSERT_NE(it, row.end())
            << c.key << " on rank " << r << " that lacks its device";
        EXPECT_EQ(c.device_name, it->second->name);
        covered[ti].insert({c.node_id, it->second->uuid});
      }
    } else {
      in_locals = false;
      ASSERT_GE(ti, last_group_template) << "group cases out of suite order";
      last_group_template = ti;
      ASSERT_FALSE(c.ranks.empty());
      std::set<int> members(c.ranks.begin(), c.ranks.end());
      EXPECT_EQ(members.size(), c.ranks.size()) << c.key;
      for (int r : c.ranks) {
        ASSERT_GE(r, 0);
        ASSERT_LT(static_cast<std::size_t>(r), world);
      }
    }
  }
  for (std::size_t r = 0; r < world; ++r)
    EXPECT_NEAR(plan.rank_load_s[r], load[r], 1e-9 * (1 + load[r]))
        << "rank " << r;

  // Every device (or node, for cpu) covered exactly once per local template.
  std::set<int> nodes_with_ranks;
  for (const RankInfo& r : inv.ranks) nodes_with_ranks.insert(r.node_id);
  for (std::size_t ti = 0; ti < ts.size(); ++ti) {
    const RegisteredBenchmark* reg = registry.find(ts[ti].benchmark);
    if (reg == nullptr || reg->info.scope != Scope::Local) continue;
    std::multiset<std::pair<int, std::string>> expected;
    if (ts[ti].backend == "cpu") {
      for (int n : nodes_with_ranks) expected.insert({n, ""});
    } else {
      for (const auto& device : usable[ts[ti].backend]) expected.insert(device);
    }
    EXPECT_EQ(covered[ti], expected) << prefix_of(ts[ti]);
  }
}

const PlannedCase* find_case(const Plan& plan, const std::string& key) {
  for (const PlannedCase& c : plan.cases)
    if (c.key == key) return &c;
  return nullptr;
}

// ---- Tests. ----

TEST(FormatRanks, Ranges) {
  EXPECT_EQ(format_ranks({}), "");
  EXPECT_EQ(format_ranks({0}), "0");
  EXPECT_EQ(format_ranks({0, 1}), "0-1");
  EXPECT_EQ(format_ranks({0, 1, 2, 3, 6}), "0-3,6");
  EXPECT_EQ(format_ranks({1, 3, 5}), "1,3,5");
  EXPECT_EQ(format_ranks({0, 2, 3, 4, 7, 8, 10}), "0,2-4,7-8,10");
}

TEST(Partition, SingleRank) {
  const Registry registry = make_registry();
  const Inventory inv = make_inventory({{1, 0}});
  const std::vector<CaseTemplate> ts = {
      tmpl("hardware.cpu_stream", "cpu"),
      tmpl("hardware.gpu_stream", "cuda"),
      tmpl("hardware.gpu_stream", "level_zero"),
      tmpl("distributed.pingpong", "mpi"),
      tmpl("distributed.allreduce", "mpi", 2),
  };
  const Plan plan = make_plan(ts, inv, Isolation::Node, registry);
  check_invariants(plan, ts, inv, registry);
  ASSERT_EQ(plan.cases.size(), 5u);
  const auto& c = plan.cases;
  EXPECT_EQ(c[0].key, "hardware.cpu_stream[size=1]@cpu:node0");
  EXPECT_EQ(c[0].ranks, std::vector<int>{0});
  EXPECT_EQ(c[0].device_name, "Xeon 8480");
  EXPECT_EQ(c[0].kind, "hardware");
  EXPECT_EQ(c[1].key, "hardware.gpu_stream[size=1]@cuda:none");
  EXPECT_TRUE(c[1].skipped);
  EXPECT_EQ(c[1].skip_reason, "CUDA: no device found");
  EXPECT_EQ(c[2].key, "hardware.gpu_stream[size=1]@level_zero:none");
  EXPECT_EQ(c[2].skip_reason, "Level Zero: not built");
  EXPECT_EQ(c[3].key, "distributed.pingpong[size=1]@mpi:intra");
  EXPECT_TRUE(c[3].skipped);
  EXPECT_EQ(c[3].skip_reason, "needs at least 2 ranks");
  EXPECT_EQ(c[3].scope, Scope::Group);
  EXPECT_EQ(c[4].key, "distributed.allreduce[size=2]@mpi:all1");
  EXPECT_EQ(c[4].ranks, std::vector<int>{0});
  EXPECT_FALSE(c[4].skipped);
  EXPECT_EQ(plan.rank_load_s, std::vector<double>{3.0});
}

TEST(Partition, NoStatusRowGivesGenericReason) {
  const Registry registry = make_registry();
  const Inventory inv = make_inventory({{1, 0}}, /*status_rows=*/false);
  const Plan plan = make_plan({tmpl("hardware.gpu_stream", "cuda")}, inv,
                              Isolation::Node, registry);
  ASSERT_EQ(plan.cases.size(), 1u);
  EXPECT_TRUE(plan.cases[0].skipped);
  EXPECT_EQ(plan.cases[0].slot, "none");
  EXPECT_EQ(plan.cases[0].skip_reason, "no cuda device on any rank");
}

TEST(Partition, TwoRanksOneNode) {
  const Registry registry = make_registry();
  const Inventory inv = make_inventory({{2, 0}});
  const std::vector<CaseTemplate> ts = {tmpl("distributed.pingpong", "mpi"),
                                        tmpl("distributed.allreduce", "mpi")};
  const Plan plan = make_plan(ts, inv, Isolation::Node, registry);
  check_invariants(plan, ts, inv, registry);
  ASSERT_EQ(plan.cases.size(), 2u);  // no inter case on one node
  EXPECT_EQ(plan.cases[0].slot, "intra");
  EXPECT_EQ(plan.cases[0].ranks, (std::vector<int>{0, 1}));
  EXPECT_EQ(plan.cases[1].slot, "all2");
  EXPECT_EQ(plan.cases[1].ranks, (std::vector<int>{0, 1}));
}

TEST(Partition, FourRanksTwoNodes) {
  const Registry registry = make_registry();
  // node0: 2 ranks, 2 GPUs seen by both; node1: 2 ranks, CPU only.
  const Inventory inv = make_inventory({{2, 2}, {2, 0}});
  const std::vector<CaseTemplate> ts = {
      tmpl("hardware.cpu_stream", "cpu"),
      tmpl("hardware.gpu_stream", "cuda"),
      tmpl("distributed.pingpong", "mpi"),
      tmpl("distributed.nccl_allreduce", "cuda"),
      tmpl("distributed.cuda_pingpong", "cuda"),
  };
  for (Isolation iso : {Isolation::Node, Isolation::Rank}) {
    const Plan plan = make_plan(ts, inv, iso, registry);
    check_invariants(plan, ts, inv, registry);
    std::vector<std::string> keys;
    for (const auto& c : plan.cases) keys.push_back(c.key);
    const std::vector<std::string> expected = {
        "hardware.cpu_stream[size=1]@cpu:node0",
        "hardware.gpu_stream[size=1]@cuda:node0.cuda0",
        "hardware.gpu_stream[size=1]@cuda:node0.cuda1",
        "hardware.cpu_stream[size=1]@cpu:node1",
        "distributed.pingpong[size=1]@mpi:intra",
        "distributed.pingpong[size=1]@mpi:inter",
        "distributed.nccl_allreduce[size=1]@cuda:all4",
        "distributed.cuda_pingpong[size=1]@cuda:intra",
        "distributed.cuda_pingpong[size=1]@cuda:inter",
    };
    EXPECT_EQ(keys, expected);
    const auto& c = plan.cases;
    // Equal costs: device 0 -> rank 0, device 1 -> rank 1, and the CPU case
    // to the least-loaded rank (0, lowest of the tie).
    EXPECT_EQ(c[1].ranks, std::vector<int>{0});
    EXPECT_EQ(c[1].device_index, 0);
    EXPECT_EQ(c[2].ranks, std::vector<int>{1});
    EXPECT_EQ(c[2].device_index, 1);
    EXPECT_EQ(c[2].device_name, "H100");
    EXPECT_EQ(c[3].ranks, std::vector<int>{2});
    EXPECT_EQ(c[4].ranks, (std::vector<int>{0, 1}));
    EXPECT_EQ(c[5].ranks, (std::vector<int>{0, 2}));
    EXPECT_TRUE(c[6].skipped);
    EXPECT_EQ(c[6].skip_reason,
              "needs a usable cuda device on every rank; rank(s) 2-3 have "
              "none");
    EXPECT_EQ(c[7].ranks, (std::vector<int>{0, 1}));
    EXPECT_EQ(c[7].device_name, "H100");
    EXPECT_TRUE(c[8].skipped);
    EXPECT_EQ(c[8].skip_reason,
              "needs ranks with a usable cuda device on two nodes");
  }
}

TEST(Partition, PairSelection) {
  const Registry registry = make_registry();
  const std::vector<CaseTemplate> ts = {tmpl("distributed.pingpong", "mpi")};
  {
    // One rank per node: no intra pair, inter = ranks 0 and 1.
    const Inventory inv = make_inventory({{1, 0}, {1, 0}, {1, 0}});
    const Plan plan = make_plan(ts, inv, Isolation::Node, registry);
    check_invariants(plan, ts, inv, registry);
    ASSERT_EQ(plan.cases.size(), 2u);
    EXPECT_EQ(plan.cases[0].slot, "intra");
    EXPECT_TRUE(plan.cases[0].skipped);
    EXPECT_EQ(plan.cases[0].skip_reason, "needs two ranks on one node");
    EXPECT_EQ(plan.cases[1].slot, "inter");
    EXPECT_EQ(plan.cases[1].ranks, (std::vector<int>{0, 1}));
  }
  {
    // node0: r0; node1: r1 r2 r3; node2: r4 r5.
    const Inventory inv = make_inventory({{1, 0}, {3, 0}, {2, 0}});
    const Plan plan = make_plan(ts, inv, Isolation::Node, registry);
    check_invariants(plan, ts, inv, registry);
    ASSERT_EQ(plan.cases.size(), 2u);
    EXPECT_EQ(plan.cases[0].key, "distributed.pingpong[size=1]@mpi:intra");
    EXPECT_EQ(plan.cases[0].ranks, (std::vector<int>{1, 2}));
    EXPECT_EQ(plan.cases[1].key, "distributed.pingpong[size=1]@mpi:inter");
    EXPECT_EQ(plan.cases[1].ranks, (std::vector<int>{0, 1}));
    EXPECT_EQ(plan.rank_load_s,
              (std::vector<double>{1.0, 2.0, 1.0, 0.0, 0.0, 0.0}));
  }
  {
    // cuda pair: only ranks with a GPU take part (node0 has none).
    const Inventory inv = make_inventory({{2, 0}, {2, 1}, {1, 1}});
    const std::vector<CaseTemplate> cuda = {
        tmpl("distributed.cuda_pingpong", "cuda")};
    const Plan plan = make_plan(cuda, inv, Isolation::Node, registry);
    check_invariants(plan, cuda, inv, registry);
    ASSERT_EQ(plan.cases.size(), 2u);
    EXPECT_EQ(plan.cases[0].ranks, (std::vector<int>{2, 3}));
    EXPECT_EQ(plan.cases[1].ranks, (std::vector<int>{2, 4}));
  }
}

TEST(Partition, AllPairsGivesEveryPairOnce) {
  const Registry registry = make_registry();
  CaseTemplate t = tmpl("distributed.pingpong", "mpi");
  t.params["all_pairs"] = true;
  const std::vector<CaseTemplate> ts = {t};
  const Inventory inv = make_inventory({{2, 0}, {1, 0}, {2, 0}});
  const Plan plan = make_plan(ts, inv, Isolation::Node, registry);
  ASSERT_EQ(plan.cases.size(), 10u);  // 5 ranks: 5*4/2 pairs
  std::set<std::pair<int, int>> seen;
  for (const PlannedCase& c : plan.cases) {
    ASSERT_EQ(c.ranks.size(), 2u);
    EXPECT_LT(c.ranks[0], c.ranks[1]);
    EXPECT_EQ(c.slot, pair_slot(c.ranks[0], c.ranks[1]));
    EXPECT_TRUE(seen.insert({c.ranks[0], c.ranks[1]}).second) << c.key;
  }
  EXPECT_EQ(plan.cases.back().slot, "pair3-4");
  // One rank: nothing to pair, said once.
  const Plan lone =
      make_plan(ts, make_inventory({{1, 0}}), Isolation::Node, registry);
  ASSERT_EQ(lone.cases.size(), 1u);
  EXPECT_TRUE(lone.cases[0].skipped);
}

TEST(Partition, MaskedGpusAreDistinctDevices) {
  const Registry registry = make_registry();
  // Every rank sees "its" GPU as index 0; ranks 4 and 5 share GPUs 0 and 1.
  const Inventory inv = make_inventory({{6, 4, /*masked=*/true}});
  const std::vector<CaseTemplate> ts = {tmpl("hardware.gpu_stream", "cuda")};
  for (Isolation iso : {Isolation::Node, Isolation::Rank}) {
    const Plan plan = make_plan(ts, inv, iso, registry);
    check_invariants(plan, ts, inv, registry);
    ASSERT_EQ(plan.cases.size(), 4u);
    for (int g = 0; g < 4; ++g) {
      const PlannedCase& c = plan.cases[static_cast<std::size_t>(g)];
      // Ordinals follow the PCI bus id (not the UUID, which sorts backwards).
      EXPECT_EQ(c.slot, "node0.cuda" + std::to_string(g));
      EXPECT_EQ(c.device_index, 0);
      EXPECT_EQ(c.ranks, std::vector<int>{g});
    }
  }
}

TEST(Partition, OneRankDrivesEachDevice) {
  const Registry registry = make_registry();
  // Unmasked: all four ranks see all four GPUs.
  const Inventory inv = make_inventory({{4, 4}});
  std::vector<CaseTemplate> ts;
  for (int s = 1; s <= 5; ++s)
    ts.push_back(tmpl("hardware.gpu_stream", "cuda", s));
  for (Isolation iso : {Isolation::Node, Isolation::Rank}) {
    const Plan plan = make_plan(ts, inv, iso, registry);
    check_invariants(plan, ts, inv, registry);
    ASSERT_EQ(plan.cases.size(), 20u);
    std::map<std::string, std::set<int>> ranks_of_slot;
    for (const auto& c : plan.cases) {
      ranks_of_slot[c.slot].insert(c.ranks[0]);
      // Ordinal = CUDA index when nothing is masked, and device g -> rank g.
      EXPECT_EQ(c.slot, "node0.cuda" + std::to_string(c.device_index));
      EXPECT_EQ(c.ranks[0], c.device_index);
    }
    ASSERT_EQ(ranks_of_slot.size(), 4u);
    for (const auto& [slot, ranks] : ranks_of_slot)
      EXPECT_EQ(ranks.size(), 1u) << slot << " is driven by several ranks";
    EXPECT_EQ(plan.rank_load_s, (std::vector<double>{15, 15, 15, 15}));
  }
}

TEST(Partition, BalancesEqualCostsOnOneNode) {
  const Registry registry = make_registry();
  const Inventory inv = make_inventory({{4, 0}, {3, 0}});
  std::vector<CaseTemplate> ts;
  for (int i = 0; i < 41; ++i)
    ts.push_back(tmpl("hardware.cpu_stream", "cpu", 3));
  // Equal cost (size 3); a parameter the cost ignores keeps keys distinct.
  for (std::size_t i = 0; i < ts.size(); ++i)
    ts[i].params["tag"] = static_cast<std::int64_t>(i);
  for (Isolation iso : {Isolation::Node, Isolation::Rank}) {
    const Plan plan = make_plan(ts, inv, iso, registry);
    check_invariants(plan, ts, inv, registry);
    for (int node = 0; node < 2; ++node) {
      const int first = node == 0 ? 0 : 4, last = node == 0 ? 4 : 7;
      auto [lo, hi] = std::minmax_element(plan.rank_load_s.begin() + first,
                                          plan.rank_load_s.begin() + last);
      EXPECT_LE(*hi - *lo, 3.0) << "node " << node;
      EXPECT_GT(*lo, 0.0);
    }
  }
}

TEST(Partition, BalancesUnequalCostsLongestFirst) {
  const Registry registry = make_registry();
  const Inventory inv = make_inventory({{4, 0}});
  std::vector<CaseTemplate> ts;
  for (int s = 1; s <= 30; ++s)
    ts.push_back(tmpl("hardware.cpu_stream", "cpu", s));
  const Plan plan = make_plan(ts, inv, Isolation::Rank, registry);
  check_invariants(plan, ts, inv, registry);
  auto [lo, hi] =
      std::minmax_element(plan.rank_load_s.begin(), plan.rank_load_s.end());
  // Total 465 over 4 ranks: LPT gets within the smallest job of the mean.
  EXPECT_LE(*hi - *lo, 1.0 + 1e-9);
  // Local cases keep suite order within the node, whatever the LPT order.
  for (std::size_t k = 0; k < plan.cases.size(); ++k)
    EXPECT_EQ(plan.cases[k].spec.params.at("size"),
              ParamValue(static_cast<std::int64_t>(k + 1)));
}

TEST(Partition, UnknownDuplicateAndUnsupported) {
  const Registry registry = make_registry();
  const Inventory inv = make_inventory({{2, 0}});
  {
    const std::vector<CaseTemplate> ts = {tmpl("hardware.nope", "cpu"),
                                          tmpl("hardware.cpu_stream", "cuda"),
                                          tmpl("distributed.pingpong", "cpu"),
                                          tmpl("hardware.cpu_stream", "cpu")};
    const Plan plan = make_plan(ts, inv, Isolation::Node, registry);
    ASSERT_EQ(plan.cases.size(), 4u);
    // The runnable local case first, then the skipped ones in suite order.
    EXPECT_EQ(plan.cases[0].key, "hardware.cpu_stream[size=1]@cpu:node0");
    EXPECT_EQ(plan.cases[1].key, "hardware.nope[size=1]@cpu:none");
    EXPECT_TRUE(plan.cases[1].skipped);
    EXPECT_EQ(plan.cases[1].skip_reason, "not registered");
    EXPECT_EQ(plan.cases[2].key, "hardware.cpu_stream[size=1]@cuda:none");
    EXPECT_EQ(plan.cases[2].skip_reason,
              "hardware.cpu_stream has no backend 'cuda'");
    EXPECT_EQ(plan.cases[3].key, "distributed.pingpong[size=1]@cpu:none");
    EXPECT_EQ(plan.cases[3].scope, Scope::Group);
    EXPECT_TRUE(plan.cases[3].skipped);
  }
  {
    const std::vector<CaseTemplate> ts = {tmpl("hardware.cpu_stream", "cpu"),
                                          tmpl("hardware.cpu_stream", "cpu")};
    EXPECT_THROW(make_plan(ts, inv, Isolation::Node, registry), cb::Error);
  }
}

// Node types for the larger simulated clusters.
std::vector<NodeSpec> mixed_cluster(int target_ranks) {
  const std::vector<NodeSpec> kinds = {
      {4, 4, false, "Xeon 8480"},  // 4 GPUs seen by all 4 ranks
      {8, 0, false, "EPYC 9654"},  // CPU only, 8 ranks
      {2, 2, true, "Xeon 8480"},   // a GPU per rank via masking
      {1, 0, false, "EPYC 9654"},  // CPU only, 1 rank
      {3, 4, false, "Grace"},      // 4 GPUs, 3 ranks: one rank drives two
      {6, 2, true, "Xeon 8480"},   // 2 GPUs shared by 6 ranks (masked)
  };
  std::vector<NodeSpec> specs;
  int ranks = 0;
  for (std::size_t i = 0; ranks < target_ranks; ++i) {
    NodeSpec s = kinds[i % kinds.size()];
    s.ranks = std::min(s.ranks, target_ranks - ranks);
    ranks += s.ranks;
    specs.push_back(s);
  }
  return specs;
}

std::vector<CaseTemplate> mixed_templates(int cpu, int cuda, int groups) {
  std::vector<CaseTemplate> ts;
  for (int i = 0; i < cpu; ++i) {
    // Sizes repeat; a parameter the cost ignores keeps keys distinct.
    auto t = tmpl("hardware.cpu_stream", "cpu", 1 + i % 7);
    t.params["tag"] = std::int64_t{i};
    ts.push_back(t);
  }
  for (int i = 0; i < cuda; ++i) {
    auto t = tmpl("hardware.gpu_stream", "cuda", 1 + i % 5);
    t.params["tag"] = std::int64_t{i};
    ts.push_back(t);
  }
  ts.push_back(tmpl("hardware.gpu_stream", "level_zero"));
  for (int i = 0; i < groups; ++i) {
    ts.push_back(tmpl("distributed.pingpong", "mpi", 1 + i));
    ts.push_back(tmpl("distributed.allreduce", "mpi", 1 + i));
    ts.push_back(tmpl("distributed.cuda_pingpong", "cuda", 1 + i));
    ts.push_back(tmpl("distributed.nccl_allreduce", "cuda", 1 + i));
  }
  return ts;
}

TEST(Partition, MixedClusterOf64) {
  const Registry registry = make_registry();
  const Inventory inv = make_inventory(mixed_cluster(64));
  ASSERT_EQ(inv.ranks.size(), 64u);
  const auto ts = mixed_templates(10, 6, 2);
  for (Isolation iso : {Isolation::Node, Isolation::Rank}) {
    const Plan a = make_plan(ts, inv, iso, registry);
    const Plan b = make_plan(ts, inv, iso, registry);
    expect_same_plan(a, b);
    check_invariants(a, ts, inv, registry);
    // The level_zero template is one skipped case; nccl_allreduce needs GPUs
    // on every rank, which CPU-only nodes lack.
    const PlannedCase* lz =
        find_case(a, "hardware.gpu_stream[size=1]@level_zero:none");
    ASSERT_NE(lz, nullptr);
    EXPECT_EQ(lz->skip_reason, "Level Zero: not built");
    const PlannedCase* nccl =
        find_case(a, "distributed.nccl_allreduce[size=1]@cuda:all64");
    ASSERT_NE(nccl, nullptr);
    EXPECT_TRUE(nccl->skipped);
    const PlannedCase* all =
        find_case(a, "distributed.allreduce[size=1]@mpi:all64");
    ASSERT_NE(all, nullptr);
    EXPECT_EQ(all->ranks.size(), 64u);
    EXPECT_EQ(all->ranks.front(), 0);
    // intra on node0 (ranks 0,1), inter between node0 and node1 (0, 4).
    const PlannedCase* intra =
        find_case(a, "distributed.pingpong[size=1]@mpi:intra");
    const PlannedCase* inter =
        find_case(a, "distributed.pingpong[size=1]@mpi:inter");
    ASSERT_TRUE(intra && inter);
    EXPECT_EQ(intra->ranks, (std::vector<int>{0, 1}));
    EXPECT_EQ(inter->ranks, (std::vector<int>{0, 4}));
    // cuda pair: node1 has no GPU, so inter goes from node0 to node2.
    const PlannedCase* cuda_inter =
        find_case(a, "distributed.cuda_pingpong[size=1]@cuda:inter");
    ASSERT_NE(cuda_inter, nullptr);
    EXPECT_EQ(cuda_inter->ranks, (std::vector<int>{0, 12}));
  }
}

TEST(Partition, TenThousandRanks) {
  const Registry registry = make_registry();
  const Inventory inv = make_inventory(mixed_cluster(10000));
  ASSERT_EQ(inv.ranks.size(), 10000u);
  const auto ts = mixed_templates(100, 80, 5);
  const auto start = std::chrono::steady_clock::now();
  const Plan a = make_plan(ts, inv, Isolation::Node, registry);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::cout << "[ INFO     ] " << a.cases.size() << " cases on "
            << inv.ranks.size() << " ranks (" << inv.nodes.size()
            << " nodes) planned in " << seconds << " s\n";
  const Plan b = make_plan(ts, inv, Isolation::Node, registry);
  expect_same_plan(a, b);
  check_invariants(a, ts, inv, registry);
}

}  // namespace
}  // namespace cb
