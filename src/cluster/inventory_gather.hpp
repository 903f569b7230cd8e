// Gathers every rank's probe on rank 0 and numbers the nodes.
#pragma once

#include "cluster/mpi_context.hpp"
#include "hardware/cpu_probe.hpp"
#include "hardware/inventory.hpp"

namespace cb {

// Collective. Rank 0 gets the whole inventory; other ranks an empty one.
// Nodes are the shared-memory domains MPI reports (MPI_COMM_TYPE_SHARED),
// numbered in order of their lowest rank.
Inventory gather_inventory(const MpiContext& mpi, const LocalProbe& probe);

// The same assembly without MPI (for tests and for one rank): probes[i] is
// rank i's, leaders[i] the world rank of its node's first rank.
Inventory assemble_inventory(const std::vector<LocalProbe>& probes,
                             const std::vector<int>& leaders,
                             const std::vector<int>& local_ranks);

}  // namespace cb
