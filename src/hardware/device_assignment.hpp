// Which GPU each rank uses: ranks on one node get distinct devices, and a rank
// left without one is a /devices row that says so (never a silently shared
// GPU). A pure function over the gathered inventory.
//
// Why on the gathered inventory and not in each rank's probe: a rank alone
// cannot tell "4 ranks see the same 4 GPUs" (local rank r must take visible
// device r) from "the launcher gave each rank its own GPU" (srun
// --gpus-per-task=1, or a wrapper setting CUDA_VISIBLE_DEVICES or
// ZE_AFFINITY_MASK per local rank: every rank sees its GPU as index 0).
// Rank 0 sees every rank's devices with their UUIDs and can tell.
#pragma once

#include <string>
#include <string_view>

#include "hardware/inventory.hpp"

namespace cb {

// For every node and GPU backend ("cuda", "level_zero"; "cpu" rows are left
// alone), each rank keeps exactly one row of that backend:
//  - the one device it was assigned (its own `index`, the visible index it
//    uses at run time), or
//  - when the node's devices are all taken by lower local ranks, a status row
//    (index -1), e.g. "CUDA: 2 devices on this node, local rank 3 has none
//    (more ranks than GPUs)", or
//  - when it had no usable row at all, its rows unchanged (they say why:
//    "CUDA: no driver (...)").
// Devices are told apart by uuid, else PCI bus id, else index (so with
// neither, ranks that share the visible set are assumed to see the same
// devices). Ranks take devices in local-rank order, each the lowest-index
// visible device not yet taken, so with a shared visible set local rank r
// gets device r; a rank left over then takes a device from an earlier rank if
// that rank can move to another one it sees (maximum matching), so no GPU is
// left idle that some unassigned rank could use. Needs ranks[].node_id and
// local_rank (as assemble_inventory sets them). Row order is kept.
Inventory assign_devices(Inventory inventory);

// "CUDA", "Level Zero", "CPU": the prefix of a backend's status messages.
std::string backend_label(std::string_view backend);

}  // namespace cb
