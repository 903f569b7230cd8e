// The CPU probe (hwloc): the node's topology and the cpuset this rank is
// bound to; and probe_local, which adds the GPU probes (cuda_probe.hpp,
// level_zero_probe.hpp).
#pragma once

#include <vector>

#include "hardware/inventory.hpp"

namespace cb {

// What one rank finds about itself; node_id is assigned later, when rank 0
// has everyone's answer.
struct LocalProbe {
  NodeInfo node;
  RankInfo rank;
  std::vector<DeviceInfo> devices;
};

// Probes with hwloc: the node, this rank, and its "cpu" device row. Throws
// cb::Error(Runtime) when hwloc cannot load the topology.
LocalProbe probe_cpu(int world_rank);

// Everything one rank finds: probe_cpu, then the CUDA rows (probe_cuda), then
// the Level Zero rows (probe_level_zero). A GPU backend that is not built,
// has no driver or no device is one row whose status says so ("CUDA: no
// driver (libcuda.so.1 not found)"); GPU probing never throws. The rows list
// every device the rank sees; assign_devices (device_assignment.hpp), run on
// the gathered inventory, then keeps one GPU per rank. `local_rank` (the
// rank's place on its node) is recorded in rank.local_rank.
LocalProbe probe_local(int world_rank, int local_rank);

}  // namespace cb
