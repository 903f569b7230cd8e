// One case's benchmark lifecycle on this process: set-up, the parameters it
// resolved, the measurement loop, verification and tear-down, with every
// failure turned into a status and an error. Shared by clusterbench's runner
// (cluster/case_runner, local cases) and clusterbench-device-check, so that a
// GPU node checked without MPI runs a case exactly as `clusterbench run` does.
#pragma once

#include <string>

#include "core/measurement.hpp"
#include "core/registry.hpp"
#include "core/result.hpp"

namespace cb {

// Runs `entry` (null: "not registered", a failure) with `context` and fills
// `result`'s samples, resolved params, status, error and verification;
// `where` prefixes errors ("rank 3 on node7"). Interrupted propagates: it is
// the run's stop, not the case's failure.
void run_case_lifecycle(const RegisteredBenchmark* entry,
                        const CaseContext& context,
                        const MeasureSettings& settings, MeasurementLoop& loop,
                        int world_rank, const std::string& where,
                        CaseResult& result);

// A finished measurement becomes ok, failed (wrong output) or timeout; the
// samples are kept either way so that what happened can be looked at, and
// what the output was checked against is kept with the result.
void settle(CaseResult& result, const Verification& verification,
            const Measurement& m);

// The values a benchmark chose at set-up for parameters left to it.
void record_resolved(CaseResult& result, const Benchmark& benchmark);

}  // namespace cb
