#include "cluster/inventory_gather.hpp"

#include <map>

#include "cluster/mpi_group.hpp"
#include "cluster/serialization.hpp"

namespace cb {

Inventory assemble_inventory(const std::vector<LocalProbe>& probes,
                             const std::vector<int>& leaders,
                             const std::vector<int>& local_ranks) {
  Inventory inventory;
  std::map<int, int> node_of_leader;
  for (std::size_t r = 0; r < probes.size(); ++r) {
    auto [it, added] = node_of_leader.try_emplace(
        leaders[r], static_cast<int>(inventory.nodes.size()));
    if (added) {
      NodeInfo node = probes[r].node;
      node.node_id = it->second;
      inventory.nodes.push_back(node);
    }
    RankInfo rank = probes[r].rank;
    rank.rank = static_cast<int>(r);
    rank.node_id = it->second;
    rank.local_rank = local_ranks[r];
    inventory.ranks.push_back(rank);
    for (DeviceInfo device : probes[r].devices) {
      device.rank = static_cast<int>(r);
      inventory.devices.push_back(device);
    }
  }
  return inventory;
}

namespace {
// A probe with the rank's place in its node, as sent to rank 0.
struct Envelope {
  LocalProbe probe;
  int leader = 0, local_rank = 0;
  template <class Archive>
  void serialize(Archive& ar, unsigned) {
    ar& probe& leader& local_rank;
  }
};
}  // namespace

Inventory gather_inventory(const MpiContext& mpi, const LocalProbe& probe) {
  Envelope mine{probe, mpi.node_leader(), mpi.node_rank()};
  std::vector<std::string> all = gather_bytes(mpi.world(), 0, to_bytes(mine));
  if (mpi.rank() != 0) return {};
  std::vector<LocalProbe> probes;
  std::vector<int> leaders, local_ranks;
  for (const std::string& bytes : all) {
    auto envelope = from_bytes<Envelope>(bytes);
    probes.push_back(envelope.probe);
    leaders.push_back(envelope.leader);
    local_ranks.push_back(envelope.local_rank);
  }
  return assemble_inventory(probes, leaders, local_ranks);
}

}  // namespace cb
