// The CPU probe (hwloc): the node's topology and the cpuset this rank is
// bound to. GPU probes (CUDA, Level Zero) come in their own files.
#pragma once

#include <vector>

#include "hardware/inventory.hpp"

namespace cb {

// What one rank finds about itself; node_id and local_rank are assigned later,
// when rank 0 has everyone's answer.
struct LocalProbe {
  NodeInfo node;
  RankInfo rank;
  std::vector<DeviceInfo> devices;
};

// Probes with hwloc. Throws cb::Error(Runtime) when hwloc cannot load the
// topology.
LocalProbe probe_cpu(int world_rank);

// Rows for the GPU backends this build does not include, so that /devices
// says why there is no device instead of omitting the backend.
std::vector<DeviceInfo> unbuilt_backend_rows(int world_rank);

}  // namespace cb
