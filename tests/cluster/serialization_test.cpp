// What crosses ranks must arrive unchanged: probes, plans and results.
#include "cluster/serialization.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "cluster/inventory_gather.hpp"

namespace cb {
namespace {

CaseResult sample_result() {
  CaseResult r;
  r.case_id = 7;
  r.key = "distributed.allreduce[dtype=float32,size=1024]@mpi:all4";
  r.benchmark = "distributed.allreduce";
  r.kind = "distributed";
  r.scope = "group";
  r.backend = "mpi";
  r.device_name = "Intel(R) Xeon(R) — ünïcode";
  r.ranks = "0-3";
  r.status = CaseStatus::Failed;
  r.error = "verification failed: 3 wrong elements";
  r.wall_s = 1.25;
  r.started_utc = "2026-11-27T13:45:00Z";
  r.verification = "0 wrong elements of 256 (float32)";
  r.params = {{"size", std::int64_t{1} << 40},
              {"ratio", 0.1},
              {"dtype", std::string("float32")},
              {"in_place", true}};
  r.samples = {{"time", "s", Better::Lower, kAcrossRanks, {1e-6, 2e-6}},
               {"busbw",
                "GB/s",
                Better::Higher,
                2,
                {std::numeric_limits<double>::infinity()}}};
  MetricSummary m;
  m.metric = "time";
  m.n = 2;
  m.median = 1.5e-6;
  m.valid = true;
  r.metrics = {m};
  return r;
}

TEST(ClusterSerialization, CaseResultRoundTrip) {
  CaseResult in = sample_result();
  CaseResult out = from_bytes<CaseResult>(to_bytes(in));
  EXPECT_EQ(out.case_id, in.case_id);
  EXPECT_EQ(out.key, in.key);
  EXPECT_EQ(out.device_name, in.device_name);
  EXPECT_EQ(out.status, CaseStatus::Failed);
  EXPECT_EQ(out.error, in.error);
  EXPECT_EQ(out.verification, in.verification);
  EXPECT_EQ(out.params, in.params);  // variant alternatives preserved
  EXPECT_TRUE(std::holds_alternative<bool>(out.params.at("in_place")));
  ASSERT_EQ(out.samples.size(), 2u);
  EXPECT_EQ(out.samples[0].values, in.samples[0].values);
  EXPECT_EQ(out.samples[1].rank, 2);
  EXPECT_EQ(out.samples[1].better, Better::Higher);
  EXPECT_TRUE(std::isinf(out.samples[1].values[0]));
  ASSERT_EQ(out.metrics.size(), 1u);
  EXPECT_EQ(out.metrics[0].median, 1.5e-6);
  EXPECT_TRUE(out.metrics[0].valid);
}

TEST(ClusterSerialization, PlanRoundTrip) {
  Plan in;
  in.isolation = Isolation::Rank;
  in.world_size = 3;
  PlannedCase c;
  c.case_id = 0;
  c.spec.benchmark = "hardware.stream";
  c.spec.params = {{"array_size", std::int64_t{0}}};
  c.spec.backend = "cpu";
  c.spec.measure.max_samples = 17;
  c.spec.measure.target_rel_ci = 0.03;
  c.key = "hardware.stream[array_size=0]@cpu:node1";
  c.scope = Scope::Local;
  c.node_id = 1;
  c.ranks = {2};
  c.cost_s = 5;
  in.cases = {c, c};
  in.cases[1].skipped = true;
  in.cases[1].skip_reason = "no cuda device on any rank";
  in.rank_load_s = {0, 0, 5};
  in.rank_node = {0, 0, 1};
  Plan out = from_bytes<Plan>(to_bytes(in));
  EXPECT_EQ(out.isolation, Isolation::Rank);
  EXPECT_EQ(out.world_size, 3);
  ASSERT_EQ(out.cases.size(), 2u);
  EXPECT_EQ(out.cases[0].spec.measure.max_samples, 17);
  EXPECT_EQ(out.cases[0].spec.measure.target_rel_ci, 0.03);
  EXPECT_EQ(out.cases[0].ranks, std::vector<int>{2});
  EXPECT_EQ(out.cases[0].spec.params, c.spec.params);
  EXPECT_TRUE(out.cases[1].skipped);
  EXPECT_EQ(out.cases[1].skip_reason, "no cuda device on any rank");
  EXPECT_EQ(out.rank_node, in.rank_node);
}

TEST(ClusterSerialization, ProbeRoundTripAndInventoryAssembly) {
  // Two nodes: ranks 0 and 2 on the node led by rank 0, rank 1 on another.
  std::vector<LocalProbe> probes(3);
  for (int r = 0; r < 3; ++r) {
    probes[r].node.hostname = r == 1 ? "n2" : "n1";
    probes[r].node.pus = 8;
    probes[r].rank.cpuset = std::to_string(r);
    DeviceInfo cpu;
    cpu.backend = "cpu";
    cpu.index = 0;
    probes[r].devices = {cpu};
    probes[r] = from_bytes<LocalProbe>(to_bytes(probes[r]));
  }
  Inventory inv = assemble_inventory(probes, {0, 1, 0}, {0, 0, 1});
  ASSERT_EQ(inv.nodes.size(), 2u);
  EXPECT_EQ(inv.nodes[0].hostname, "n1");
  EXPECT_EQ(inv.nodes[1].node_id, 1);
  ASSERT_EQ(inv.ranks.size(), 3u);
  EXPECT_EQ(inv.ranks[1].node_id, 1);
  EXPECT_EQ(inv.ranks[2].node_id, 0);
  EXPECT_EQ(inv.ranks[2].local_rank, 1);
  EXPECT_EQ(inv.ranks[2].cpuset, "2");
  ASSERT_EQ(inv.devices.size(), 3u);
  EXPECT_EQ(inv.devices[2].rank, 2);
}

TEST(ClusterSerialization, CorruptBytesThrowInsteadOfCrashing) {
  std::string bytes = to_bytes(sample_result());
  bytes.resize(bytes.size() / 2);
  EXPECT_ANY_THROW(from_bytes<CaseResult>(bytes));
}

}  // namespace
}  // namespace cb
