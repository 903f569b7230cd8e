// Runs one planned case on this rank: the benchmark's lifecycle around the
// shared measurement loop, turning every failure into a recorded result.
#pragma once

#include <optional>

#include "cluster/mpi_group.hpp"
#include "cluster/partition.hpp"
#include "core/measurement.hpp"
#include "core/registry.hpp"
#include "core/result.hpp"

namespace cb {

struct RunnerContext {
  const Registry& registry;
  MeasurementLoop& loop;
  RankResources resources;  // this rank's
  std::string hostname;
};

// Identity fields of a case's result (key, benchmark, ranks, params, ...).
CaseResult result_skeleton(const PlannedCase& planned);
CaseResult skipped_result(const PlannedCase& planned);

CaseResult run_local_case(const PlannedCase& planned, const RunnerContext& ctx);

// Every member calls it; the leader (group rank 0) gets the result with every
// member's raw samples. A setup or verification failure on any member fails
// the case on all of them; nobody is left waiting.
std::optional<CaseResult> run_group_case(const PlannedCase& planned,
                                         MpiGroup& group,
                                         const RunnerContext& ctx);

}  // namespace cb
