// Partitioning (DESIGN.md "What it is", step 3): expands case templates per
// device and per rank shape, and assigns local cases to ranks that own the
// device, longest first to the least-loaded rank. Pure and deterministic.
//
// Cost: O(devices + ranks) to index the inventory once, then O(cases log
// cases-per-node) for expansion and assignment; nothing scans all ranks per
// case.
#include "cluster/partition.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/registry.hpp"

namespace cb {

namespace {

// "2 nodes: Xeon 8480" for the nodes of `ranks` (models joined with " + "
// when they differ).
std::string group_hardware(const std::vector<int>& ranks,
                           const Inventory& inventory) {
  std::set<int> nodes;
  std::set<std::string> models;
  for (int r : ranks) {
    int node = inventory.ranks[static_cast<std::size_t>(r)].node_id;
    nodes.insert(node);
    if (node >= 0 && static_cast<std::size_t>(node) < inventory.nodes.size())
      models.insert(inventory.nodes[static_cast<std::size_t>(node)].cpu_model);
  }
  std::string out = std::to_string(nodes.size()) +
                    (nodes.size() == 1 ? " node: " : " nodes: ");
  bool first = true;
  for (const std::string& m : models) {
    out += (first ? "" : " + ") + m;
    first = false;
  }
  return out;
}

// `all_pairs = true` on a pair benchmark asks for every pair, not the
// representative intra- and inter-node ones.
bool wants_all_pairs(const ParamSet& params) {
  auto it = params.find("all_pairs");
  return it != params.end() && std::holds_alternative<bool>(it->second) &&
         std::get<bool>(it->second);
}

// One physical device on one node, as seen by the ranks that list it.
struct PhysicalDevice {
  int node_id = -1;
  int ordinal = 0;    // slot number on its node: "node<id>.<backend><ordinal>"
  int min_index = 0;  // smallest index any rank uses for it
  std::string pci_bus_id, uuid, name;
  std::vector<std::pair<int, int>> users;  // (rank, its index), by rank
};

// The usable devices of one backend, indexed by node, plus what the inventory
// says when there are none.
struct BackendDevices {
  bool listed = false;  // the inventory has rows for this backend
  std::vector<std::vector<PhysicalDevice>> per_node;  // sorted by ordinal
  std::size_t usable_count = 0;
  std::string first_status;              // status of the lowest-rank row
  std::vector<int> first_index_of_rank;  // -1: rank has no usable device
  std::vector<const std::string*> name_of_rank;  // its lowest-index device
};

// A device is identified by its UUID, else its PCI bus id, else its index:
// ranks that see their GPU through CUDA_VISIBLE_DEVICES all call it index 0,
// yet they are different devices.
std::string identity_of(const DeviceInfo& d) {
  if (!d.uuid.empty()) return "u:" + d.uuid;
  if (!d.pci_bus_id.empty()) return "p:" + d.pci_bus_id;
  return "i:" + std::to_string(d.index);
}

BackendDevices index_backend(const std::string& backend,
                             const Inventory& inventory) {
  const std::size_t n_nodes = inventory.nodes.size();
  const std::size_t world = inventory.ranks.size();
  BackendDevices out;
  out.per_node.resize(n_nodes);
  out.first_index_of_rank.assign(world, -1);
  out.name_of_rank.assign(world, nullptr);

  std::vector<std::map<std::string, PhysicalDevice>> by_identity(n_nodes);
  int status_rank = -1;
  for (const DeviceInfo& d : inventory.devices) {
    if (d.backend != backend) continue;
    out.listed = true;
    if (!d.usable()) {
      if (status_rank < 0 || d.rank < status_rank) {
        status_rank = d.rank;
        out.first_status = d.status;
      }
      continue;
    }
    const auto r = static_cast<std::size_t>(d.rank);
    const int node = inventory.ranks[r].node_id;
    PhysicalDevice& p =
        by_identity[static_cast<std::size_t>(node)][identity_of(d)];
    if (p.users.empty()) {
      p.node_id = node;
      p.min_index = d.index;
      p.pci_bus_id = d.pci_bus_id;
      p.uuid = d.uuid;
      p.name = d.name;
    }
    p.min_index = std::min(p.min_index, d.index);
    p.users.emplace_back(d.rank, d.index);
    if (out.first_index_of_rank[r] < 0 ||
        d.index < out.first_index_of_rank[r]) {
      out.first_index_of_rank[r] = d.index;
      out.name_of_rank[r] = &d.name;
    }
  }
  for (std::size_t node = 0; node < n_nodes; ++node) {
    auto& list = out.per_node[node];
    for (auto& [id, p] : by_identity[node]) {
      // One entry per rank (a rank listing a device twice keeps its lowest
      // index).
      std::sort(p.users.begin(), p.users.end());
      p.users.erase(std::unique(p.users.begin(), p.users.end(),
                                [](const auto& a, const auto& b) {
                                  return a.first == b.first;
                                }),
                    p.users.end());
      list.push_back(std::move(p));
    }
    // Without masking, ordinals equal the device indices; with one device per
    // rank (all index 0) the PCI bus id keeps them stable between runs.
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return std::tie(a.min_index, a.pci_bus_id, a.uuid) <
             std::tie(b.min_index, b.pci_bus_id, b.uuid);
    });
    for (std::size_t i = 0; i < list.size(); ++i)
      list[i].ordinal = static_cast<int>(i);
    out.usable_count += list.size();
  }
  return out;
}

// Per-template facts computed once.
struct TemplateInfo {
  const BenchmarkInfo* info = nullptr;
  std::string key_prefix;  // "<benchmark>[<params>]@<backend>:"
  int key_rank = 0;        // position of key_prefix in sorted order
  double cost = 0;
  std::string unsupported;  // why the benchmark cannot take this backend
};

// The registry's estimate; NaN or negative would break the ordering.
double cost_of(const BenchmarkInfo& info, const ParamSet& params) {
  const double cost = info.cost(params);
  return cost >= 0 ? cost : 0.0;
}

// One local case before it is given a rank.
struct LocalItem {
  int template_index = 0;
  const PhysicalDevice* device = nullptr;  // null: the node's CPU
  int rank = -1;
  int device_index = 0;
};

// What LPT hands to a rank: a node's CPU case, or every case of one device
// (so that one device is driven by one rank: two ranks never time the same
// GPU at once when isolation is "rank").
struct Unit {
  double cost = 0;
  int cls = 0;  // 0 device, 1 cpu case: only for a deterministic order
  int a = 0, b = 0;
  std::vector<std::size_t> items;  // indices into the node's LocalItems
};

bool is_device_backend(const std::string& backend) {
  return backend != "cpu" && backend != "mpi";
}

PlannedCase skipped_case(const CaseTemplate& t, const TemplateInfo& ti,
                         Scope scope, std::string slot, std::string reason) {
  PlannedCase c;
  c.spec = t;
  c.key = ti.key_prefix + slot;
  c.kind = ti.info ? to_string(ti.info->kind) : "";
  c.scope = scope;
  c.slot = std::move(slot);
  c.skipped = true;
  c.skip_reason = std::move(reason);
  return c;
}

std::string no_device_reason(const std::string& backend,
                             const BackendDevices& devices) {
  if (!devices.first_status.empty()) return devices.first_status;
  return "no " + backend + " device on any rank";
}

}  // namespace

Plan make_plan(const std::vector<CaseTemplate>& templates,
               const Inventory& inventory, Isolation isolation,
               const Registry& registry) {
  const std::size_t world = inventory.ranks.size();
  const std::size_t n_nodes = inventory.nodes.size();
  CB_CHECK(world > 0, "the inventory has no ranks");

  // Ranks per node, ascending.
  std::vector<std::vector<int>> node_ranks(n_nodes);
  for (std::size_t r = 0; r < world; ++r) {
    const RankInfo& rank = inventory.ranks[r];
    CB_CHECK(rank.rank == static_cast<int>(r),
             "inventory ranks must be indexed by rank");
    CB_CHECK(
        rank.node_id >= 0 && static_cast<std::size_t>(rank.node_id) < n_nodes,
        "rank " + std::to_string(r) + " has an unknown node id");
    node_ranks[static_cast<std::size_t>(rank.node_id)].push_back(
        static_cast<int>(r));
  }
  for (const DeviceInfo& d : inventory.devices)
    CB_CHECK(d.rank >= 0 && static_cast<std::size_t>(d.rank) < world,
             "a device row names rank " + std::to_string(d.rank) +
                 ", which is not in the inventory");

  std::map<std::string, BackendDevices> backends;
  auto devices_of = [&](const std::string& backend) -> const BackendDevices& {
    auto it = backends.find(backend);
    if (it == backends.end())
      it = backends.emplace(backend, index_backend(backend, inventory)).first;
    return it->second;
  };

  // Template facts; two templates with one key would make two cases that the
  // result file and the baseline comparison could not tell apart.
  std::vector<TemplateInfo> tinfo(templates.size());
  {
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < templates.size(); ++i) {
      const CaseTemplate& t = templates[i];
      TemplateInfo& ti = tinfo[i];
      const RegisteredBenchmark* reg = registry.find(t.benchmark);
      ti.info = reg ? &reg->info : nullptr;
      ti.key_prefix =
          t.benchmark + "[" + canonical(t.params) + "]@" + t.backend + ":";
      if (!seen.emplace(ti.key_prefix, i).second)
        throw Error(ErrorKind::Input,
                    "the suite asks twice for " +
                        ti.key_prefix.substr(0, ti.key_prefix.size() - 1) +
                        " (two [[benchmark]] entries or sweep values repeat "
                        "the same parameters)");
    }
    int rank = 0;
    for (const auto& [prefix, i] : seen) tinfo[i].key_rank = rank++;
  }

  Plan plan;
  plan.isolation = isolation;
  plan.world_size = static_cast<int>(world);
  plan.rank_load_s.assign(world, 0.0);
  plan.rank_node.resize(world);
  for (std::size_t r = 0; r < world; ++r)
    plan.rank_node[r] = inventory.ranks[r].node_id;

  // ---- Local cases: expand per node and device. ----
  std::vector<std::vector<LocalItem>> node_items(n_nodes);
  std::vector<PlannedCase> skipped_local;
  std::vector<std::size_t> group_templates;

  for (std::size_t i = 0; i < templates.size(); ++i) {
    const CaseTemplate& t = templates[i];
    TemplateInfo& ti = tinfo[i];
    if (ti.info == nullptr) {
      skipped_local.push_back(
          skipped_case(t, ti, Scope::Local, "none", "not registered"));
      continue;
    }
    const BenchmarkInfo& info = *ti.info;
    if (!info.backends.empty() &&
        std::find(info.backends.begin(), info.backends.end(), t.backend) ==
            info.backends.end())
      ti.unsupported = info.name + " has no backend '" + t.backend + "'";
    if (info.scope == Scope::Group) {
      group_templates.push_back(i);
      continue;
    }
    if (!ti.unsupported.empty()) {
      skipped_local.push_back(
          skipped_case(t, ti, Scope::Local, "none", ti.unsupported));
      continue;
    }
    ti.cost = cost_of(info, t.params);
    const int index = static_cast<int>(i);
    if (t.backend == "cpu") {
      for (std::size_t node = 0; node < n_nodes; ++node)
        if (!node_ranks[node].empty())
          node_items[node].push_back({index, nullptr, -1, 0});
      continue;
    }
    const BackendDevices& devices = devices_of(t.backend);
    if (devices.usable_count == 0) {
      skipped_local.push_back(skipped_case(
          t, ti, Scope::Local, "none", no_device_reason(t.backend, devices)));
      continue;
    }
    for (std::size_t node = 0; node < n_nodes; ++node)
      for (const PhysicalDevice& device : devices.per_node[node])
        node_items[node].push_back({index, &device, -1, 0});
  }

  // ---- Assignment, node by node (candidates never leave their node). ----
  std::map<std::string, int> backend_order;
  for (const auto& [name, devices] : backends)
    backend_order.emplace(name, static_cast<int>(backend_order.size()));

  std::vector<Unit> units;
  std::map<const PhysicalDevice*, std::size_t> unit_of_device;
  for (std::size_t node = 0; node < n_nodes; ++node) {
    std::vector<LocalItem>& items = node_items[node];
    if (items.empty()) continue;
    units.clear();
    unit_of_device.clear();
    for (std::size_t k = 0; k < items.size(); ++k) {
      const LocalItem& item = items[k];
      const TemplateInfo& ti =
          tinfo[static_cast<std::size_t>(item.template_index)];
      if (item.device == nullptr) {
        units.push_back({ti.cost, 1, ti.key_rank, 0, {k}});
        continue;
      }
      auto [it, inserted] = unit_of_device.emplace(item.device, units.size());
      if (inserted) {
        const std::string& backend =
            templates[static_cast<std::size_t>(item.template_index)].backend;
        units.push_back(
            {0.0, 0, backend_order.at(backend), item.device->ordinal, {}});
      }
      Unit& unit = units[it->second];
      unit.cost += ti.cost;
      unit.items.push_back(k);
    }
    // Longest first; ties in a fixed order independent of the suite order.
    std::sort(units.begin(), units.end(), [](const Unit& x, const Unit& y) {
      return std::tie(y.cost, x.cls, x.a, x.b) <
             std::tie(x.cost, y.cls, y.a, y.b);
    });
    for (const Unit& unit : units) {
      const LocalItem& first = items[unit.items.front()];
      int best = -1;
      int best_device_index = 0;
      auto consider = [&](int rank, int device_index) {
        if (best < 0 || plan.rank_load_s[static_cast<std::size_t>(rank)] <
                            plan.rank_load_s[static_cast<std::size_t>(best)]) {
          best = rank;
          best_device_index = device_index;
        }
      };
      // Candidates are in ascending rank order, so ties keep the lowest rank.
      if (first.device == nullptr)
        for (int rank : node_ranks[node]) consider(rank, 0);
      else
        for (const auto& [rank, device_index] : first.device->users)
          consider(rank, device_index);
      plan.rank_load_s[static_cast<std::size_t>(best)] += unit.cost;
      for (std::size_t k : unit.items) {
        items[k].rank = best;
        items[k].device_index = best_device_index;
      }
    }
  }

  // ---- Output: local cases by node, in suite order within a node. ----
  std::size_t total = skipped_local.size();
  for (const auto& items : node_items) total += items.size();
  plan.cases.reserve(total + 2 * group_templates.size());
  for (std::size_t node = 0; node < n_nodes; ++node) {
    // Items were appended template by template, devices in ordinal order.
    for (const LocalItem& item : node_items[node]) {
      const auto ti_index = static_cast<std::size_t>(item.template_index);
      const CaseTemplate& t = templates[ti_index];
      const TemplateInfo& ti = tinfo[ti_index];
      PlannedCase c;
      c.spec = t;
      c.kind = to_string(ti.info->kind);
      c.scope = Scope::Local;
      c.node_id = static_cast<int>(node);
      c.ranks = {item.rank};
      c.cost_s = ti.cost;
      c.device_index = item.device_index;
      if (item.device == nullptr) {
        c.slot = "node" + std::to_string(node);
        c.device_name = inventory.nodes[node].cpu_model;
      } else {
        c.slot = "node" + std::to_string(node) + "." + t.backend +
                 std::to_string(item.device->ordinal);
        c.device_name = item.device->name;
      }
      c.key = ti.key_prefix + c.slot;
      plan.cases.push_back(std::move(c));
    }
  }
  for (PlannedCase& c : skipped_local) plan.cases.push_back(std::move(c));

  // ---- Group cases, in suite order. ----
  for (std::size_t i : group_templates) {
    const CaseTemplate& t = templates[i];
    TemplateInfo& ti = tinfo[i];
    const BenchmarkInfo& info = *ti.info;
    if (!ti.unsupported.empty()) {
      plan.cases.push_back(
          skipped_case(t, ti, Scope::Group, "none", ti.unsupported));
      continue;
    }
    ti.cost = cost_of(info, t.params);

    // Members must own a usable device when the backend is a device backend
    // that the inventory knows ("mpi", "cpu" and unknown ones: every rank).
    const BackendDevices* devices = nullptr;
    if (is_device_backend(t.backend)) {
      const BackendDevices& d = devices_of(t.backend);
      if (d.listed) devices = &d;
    }
    auto eligible = [&](int rank) {
      return devices == nullptr ||
             devices->first_index_of_rank[static_cast<std::size_t>(rank)] >= 0;
    };
    const std::string with_device =
        devices ? " with a usable " + t.backend + " device" : "";

    auto add = [&](std::string slot, std::vector<int> ranks) {
      PlannedCase c;
      c.spec = t;
      c.kind = to_string(info.kind);
      c.scope = Scope::Group;
      c.key = ti.key_prefix + slot;
      c.slot = std::move(slot);
      c.cost_s = ti.cost;
      if (devices != nullptr) {
        const std::string* name =
            devices->name_of_rank[static_cast<std::size_t>(ranks.front())];
        if (name != nullptr) c.device_name = *name;
      } else {
        // What the group runs on, so that a comparison with another cluster
        // (other CPUs, another node count) is "incomparable", not a verdict.
        c.device_name = group_hardware(ranks, inventory);
      }
      for (int r : ranks)
        plan.rank_load_s[static_cast<std::size_t>(r)] += c.cost_s;
      c.ranks = std::move(ranks);
      plan.cases.push_back(std::move(c));
    };
    auto skip = [&](std::string slot, std::string reason) {
      plan.cases.push_back(skipped_case(t, ti, Scope::Group, std::move(slot),
                                        std::move(reason)));
    };

    if (info.shape == GroupShape::Pair && wants_all_pairs(t.params)) {
      // Every pair of eligible ranks, one case each: the rank x rank matrix
      // that finds a slow node or link. Cases run one after another.
      std::vector<int> ranks;
      for (std::size_t r = 0; r < world; ++r)
        if (eligible(static_cast<int>(r))) ranks.push_back(static_cast<int>(r));
      if (ranks.size() < 2)
        skip("pairs", "needs at least 2 ranks" + with_device);
      for (std::size_t a = 0; a < ranks.size(); ++a)
        for (std::size_t b = a + 1; b < ranks.size(); ++b)
          add(pair_slot(ranks[a], ranks[b]), {ranks[a], ranks[b]});
      continue;
    }

    if (info.shape == GroupShape::Pair) {
      // Eligible ranks of the first two nodes that have any, and the first
      // node that has two.
      std::vector<int> firsts;  // lowest eligible rank of each node, by node
      std::vector<int> intra;
      int nodes_with_ranks = 0;
      for (std::size_t node = 0; node < n_nodes; ++node) {
        if (!node_ranks[node].empty()) ++nodes_with_ranks;
        std::vector<int> here;
        for (int r : node_ranks[node]) {
          if (!eligible(r)) continue;
          here.push_back(r);
          if (here.size() == 2) break;
        }
        if (!here.empty() && firsts.size() < 2) firsts.push_back(here.front());
        if (intra.empty() && here.size() == 2) intra = here;
        if (firsts.size() == 2 && !intra.empty()) break;
      }
      if (world < 2)
        skip("intra", "needs at least 2 ranks");
      else if (intra.empty())
        skip("intra", "needs two ranks" + with_device + " on one node");
      else
        add("intra", intra);
      if (nodes_with_ranks >= 2) {
        if (firsts.size() == 2)
          add("inter", firsts);
        else
          skip("inter", "needs ranks" + with_device + " on two nodes");
      }
      continue;
    }

    // AllRanks (and a group benchmark that declares no shape).
    const std::string slot = "all" + std::to_string(world);
    std::vector<int> missing;
    for (std::size_t r = 0; r < world; ++r)
      if (!eligible(static_cast<int>(r)))
        missing.push_back(static_cast<int>(r));
    if (missing.size() == world) {
      skip(slot, no_device_reason(t.backend, *devices));
    } else if (!missing.empty()) {
      skip(slot, "needs a usable " + t.backend +
                     " device on every rank; rank(s) " + format_ranks(missing) +
                     " have none");
    } else {
      std::vector<int> all(world);
      for (std::size_t r = 0; r < world; ++r) all[r] = static_cast<int>(r);
      add(slot, std::move(all));
    }
  }

  for (std::size_t k = 0; k < plan.cases.size(); ++k)
    plan.cases[k].case_id = static_cast<int>(k);
  return plan;
}

std::string pair_slot(int a, int b) {
  return "pair" + std::to_string(a) + "-" + std::to_string(b);
}

std::string format_ranks(const std::vector<int>& ranks) {
  std::vector<int> sorted = ranks;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string out;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(sorted[i]);
    if (j > i) out += '-' + std::to_string(sorted[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace cb
