// Walks the plan on every rank: local cases (one at a time per node when the
// suite asks for node isolation), then group cases, streaming each result to
// rank 0, which hands it to the sink (the HDF5 writer and the progress line).
#pragma once

#include <functional>

#include "cluster/case_runner.hpp"
#include "cluster/mpi_context.hpp"
#include "cluster/partition.hpp"

namespace cb {

struct ExecutorHooks {
  std::function<void(CaseResult)> on_result;         // rank 0 only
  std::function<void(const PlannedCase&)> on_start;  // rank 0's own cases
  // Rank 0: one round of a case came in (its case_id), before the case
  // itself is complete; for the time-left estimate of a run in rounds.
  std::function<void(int)> on_round;
};

// Collective over the world. Returns when every result has reached rank 0.
void execute_plan(const MpiContext& mpi, const Plan& plan,
                  const RunnerContext& ctx, const ExecutorHooks& hooks);

}  // namespace cb
