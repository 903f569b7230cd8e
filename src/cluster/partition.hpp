// Partitioning: a pure function from (what the suite asks, what the ranks
// have) to who runs what. No MPI here, so it is tested on simulated clusters.
#pragma once

#include <string>
#include <vector>

#include "config/suite.hpp"
#include "core/benchmark.hpp"
#include "core/case.hpp"
#include "hardware/inventory.hpp"

namespace cb {

class Registry;

struct PlannedCase {
  int case_id = 0;  // position in Plan::cases
  CaseTemplate spec;
  std::string key;  // "<benchmark>[<canonical params>]@<backend>:<slot>"
  std::string kind;
  Scope scope = Scope::Local;
  std::string
      slot;  // "node0", "node0.cuda1", "intra", "inter", "pair0-5", "all4"
  std::string device_name;
  int node_id = -1;        // local cases: node of the device
  int device_index = -1;   // local cases: index of the device on its backend
  std::vector<int> ranks;  // local: one rank; group: members, leader first
  double cost_s = 0;       // estimate from the registry
  bool skipped = false;
  std::string skip_reason;
};

struct Plan {
  Isolation isolation = Isolation::Node;
  int world_size = 0;
  // Local cases first, then group cases; each rank runs its own local cases
  // in this order, and every rank walks the group cases in this order.
  std::vector<PlannedCase> cases;
  std::vector<double> rank_load_s;  // estimated busy seconds per rank
  std::vector<int> rank_node;       // node id of every rank
};

// Expands templates per device (a local case per matching device on each
// node; group cases per rank shape) and assigns ranks: longest case first to
// the least-loaded rank that owns the device (node load when isolation is
// Node). Deterministic: same inputs, same plan.
Plan make_plan(const std::vector<CaseTemplate>& templates,
               const Inventory& inventory, Isolation isolation,
               const Registry& registry);

// Slot of one pair of an all-pairs sweep: "pair0-5" (a < b). The pair's ranks
// are in the case's ranks; its nodes follow from the inventory.
std::string pair_slot(int a, int b);

// "0-3,6" style for a sorted rank list.
std::string format_ranks(const std::vector<int>& ranks);

}  // namespace cb
