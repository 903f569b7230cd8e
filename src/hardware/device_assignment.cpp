#include "hardware/device_assignment.hpp"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace cb {

std::string backend_label(std::string_view backend) {
  if (backend == "cuda") return "CUDA";
  if (backend == "level_zero") return "Level Zero";
  if (backend == "cpu") return "CPU";
  return std::string(backend);
}

namespace {

// The same identity partitioning uses (src/cluster/partition.cpp).
std::string identity_of(const DeviceInfo& d) {
  if (!d.uuid.empty()) return "u:" + d.uuid;
  if (!d.pci_bus_id.empty()) return "p:" + d.pci_bus_id;
  return "i:" + std::to_string(d.index);
}

// One rank's rows of one backend.
struct RankRows {
  int rank = 0, local_rank = 0;
  std::vector<std::size_t> rows;    // positions in inventory.devices
  std::vector<std::size_t> usable;  // usable rows, by index
  std::vector<int> candidates;      // device numbers of `usable`, same order
  int assigned = -1;                // position in `usable`, -1: none
};

// Greedy in local-rank order, then augmenting paths for the ranks left over
// (Kuhn's algorithm): the greedy pass gives the natural "local rank r takes
// device r", the augmenting pass only moves a rank when that gives a GPU to
// one that had none.
void match(std::vector<RankRows*>& ranks, int n_devices) {
  std::vector<int> owner(static_cast<std::size_t>(n_devices), -1);
  for (std::size_t u = 0; u < ranks.size(); ++u) {
    auto& c = ranks[u]->candidates;
    for (std::size_t k = 0; k < c.size(); ++k) {
      if (owner[static_cast<std::size_t>(c[k])] < 0) {
        owner[static_cast<std::size_t>(c[k])] = static_cast<int>(u);
        ranks[u]->assigned = static_cast<int>(k);
        break;
      }
    }
  }
  std::vector<char> visited;
  std::function<bool(std::size_t)> augment = [&](std::size_t u) -> bool {
    auto& c = ranks[u]->candidates;
    for (std::size_t k = 0; k < c.size(); ++k) {
      auto d = static_cast<std::size_t>(c[k]);
      if (visited[d]) continue;
      visited[d] = 1;
      if (owner[d] < 0 || augment(static_cast<std::size_t>(owner[d]))) {
        owner[d] = static_cast<int>(u);
        ranks[u]->assigned = static_cast<int>(k);
        return true;
      }
    }
    return false;
  };
  for (std::size_t u = 0; u < ranks.size(); ++u) {
    if (ranks[u]->assigned >= 0 || ranks[u]->candidates.empty()) continue;
    visited.assign(static_cast<std::size_t>(n_devices), 0);
    augment(u);
  }
}

}  // namespace

Inventory assign_devices(Inventory inventory) {
  std::vector<DeviceInfo>& devices = inventory.devices;
  std::map<int, const RankInfo*> rank_info;
  for (const RankInfo& r : inventory.ranks) rank_info[r.rank] = &r;

  // (node, backend) -> rank -> its rows.
  std::map<std::pair<int, std::string>, std::map<int, RankRows>> groups;
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const DeviceInfo& d = devices[i];
    if (d.backend == "cpu") continue;
    auto info = rank_info.find(d.rank);
    int node = info == rank_info.end() ? -1 - d.rank : info->second->node_id;
    RankRows& rr = groups[{node, d.backend}][d.rank];
    rr.rank = d.rank;
    rr.local_rank = info == rank_info.end() ? 0 : info->second->local_rank;
    rr.rows.push_back(i);
    if (d.usable()) rr.usable.push_back(i);
  }

  // Per rank and backend: the rows it keeps (nullopt: keep all unchanged).
  std::map<std::pair<int, std::string>, std::optional<DeviceInfo>> result;
  for (auto& [key, by_rank] : groups) {
    const std::string& backend = key.second;
    std::map<std::string, int> number;  // device identity -> 0..n-1
    std::vector<RankRows*> order;
    for (auto& [rank, rr] : by_rank) {
      std::stable_sort(rr.usable.begin(), rr.usable.end(),
                       [&](std::size_t a, std::size_t b) {
                         return devices[a].index < devices[b].index;
                       });
      std::set<int> seen;  // a device listed twice by one rank counts once
      std::vector<std::size_t> unique;
      for (std::size_t i : rr.usable) {
        auto [it, added] = number.try_emplace(identity_of(devices[i]),
                                              static_cast<int>(number.size()));
        if (!seen.insert(it->second).second) continue;
        unique.push_back(i);
        rr.candidates.push_back(it->second);
      }
      rr.usable = std::move(unique);
      order.push_back(&rr);
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const RankRows* a, const RankRows* b) {
                       return std::tie(a->local_rank, a->rank) <
                              std::tie(b->local_rank, b->rank);
                     });
    match(order, static_cast<int>(number.size()));

    for (RankRows* rr : order) {
      auto& slot = result[{rr->rank, backend}];
      if (rr->usable.empty()) continue;  // status rows stay as they are
      if (rr->assigned >= 0) {
        slot = devices[rr->usable[static_cast<std::size_t>(rr->assigned)]];
        continue;
      }
      DeviceInfo none;
      none.rank = rr->rank;
      none.backend = backend;
      none.index = -1;
      std::size_t n = number.size();
      none.status =
          backend_label(backend) + ": " + std::to_string(n) +
          (n == 1 ? " device" : " devices") + " on this node, local rank " +
          std::to_string(rr->local_rank) + " has none (more ranks than GPUs)";
      for (std::size_t i : rr->rows)  // a device it saw but could not use
        if (!devices[i].usable() && devices[i].index >= 0) {
          none.status += "; " + devices[i].status;
          break;
        }
      slot = std::move(none);
    }
  }

  // Rebuild in the original order: a group's result where its first row was.
  std::vector<DeviceInfo> out;
  out.reserve(devices.size());
  std::set<std::pair<int, std::string>> emitted;
  for (DeviceInfo& d : devices) {
    if (d.backend == "cpu") {
      out.push_back(std::move(d));
      continue;
    }
    std::pair<int, std::string> key{d.rank, d.backend};
    auto it = result.find(key);
    if (it == result.end() || !it->second) {
      out.push_back(std::move(d));
      continue;
    }
    if (emitted.insert(key).second) out.push_back(*it->second);
  }
  devices = std::move(out);
  return inventory;
}

}  // namespace cb
