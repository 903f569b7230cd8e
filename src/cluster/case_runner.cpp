#include "cluster/case_runner.hpp"

#include "cluster/serialization.hpp"
#include "core/case_lifecycle.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace cb {
namespace {

CaseContext case_context(const PlannedCase& planned, const RunnerContext& ctx,
                         Group* group) {
  CaseContext context;
  context.params = planned.spec.params;
  context.backend = planned.spec.backend;
  context.device_index = planned.device_index < 0 ? 0 : planned.device_index;
  context.resources = ctx.resources;
  context.group = group;
  return context;
}

std::string where(const RunnerContext& ctx) {
  return "rank " + std::to_string(ctx.resources.world_rank) + " on " +
         ctx.hostname;
}

}  // namespace

CaseResult result_skeleton(const PlannedCase& planned) {
  CaseResult r;
  r.case_id = planned.case_id;
  r.key = planned.key;
  r.benchmark = planned.spec.benchmark;
  r.kind = planned.kind;
  r.scope = to_string(planned.scope);
  r.backend = planned.spec.backend;
  r.device_name = planned.device_name;
  r.ranks = format_ranks(planned.ranks);
  r.params = planned.spec.params;
  r.started_utc = utc_now_iso8601();
  return r;
}

CaseResult skipped_result(const PlannedCase& planned) {
  CaseResult r = result_skeleton(planned);
  r.status = CaseStatus::Skipped;
  r.error = planned.skip_reason;
  return r;
}

CaseResult run_local_case(const PlannedCase& planned,
                          const RunnerContext& ctx) {
  CaseResult result = result_skeleton(planned);
  SteadyClock wall;
  double start = wall.now_s();
  run_case_lifecycle(ctx.registry.find(planned.spec.benchmark),
                     case_context(planned, ctx, nullptr), planned.spec.measure,
                     ctx.loop, ctx.resources.world_rank, where(ctx), result);
  result.wall_s = wall.now_s() - start;
  return result;
}

std::optional<CaseResult> run_group_case(const PlannedCase& planned,
                                         MpiGroup& group,
                                         const RunnerContext& ctx) {
  CaseResult result = result_skeleton(planned);
  SteadyClock wall;
  double start = wall.now_s();
  const bool leader = group.rank() == 0;

  std::unique_ptr<Benchmark> benchmark;
  std::string setup_error;
  bool unavailable = false;  // the error only says this node cannot run it
  try {
    const RegisteredBenchmark* entry =
        ctx.registry.find(planned.spec.benchmark);
    CB_CHECK(entry != nullptr, "benchmark not registered");
    benchmark = entry->factory();
    benchmark->setup(case_context(planned, ctx, &group));
  } catch (const std::exception& e) {
    setup_error = where(ctx) + ": " + e.what();
    auto* error = dynamic_cast<const Error*>(&e);
    unavailable = error && error->kind() == ErrorKind::Unavailable;
  }
  // Agree before any member enters the benchmark's collectives. The case is
  // skipped only if every member that failed was merely unable to run it.
  std::vector<std::string> errors = gather_bytes(group.comm(), 0, setup_error);
  bool failed = group.any(!setup_error.empty() && !unavailable);
  if (group.any(!setup_error.empty())) {
    if (benchmark) benchmark->teardown();
    if (!leader) return std::nullopt;
    result.status = failed ? CaseStatus::Failed : CaseStatus::Skipped;
    for (const std::string& e : errors)
      if (!e.empty()) result.error += (result.error.empty() ? "" : "; ") + e;
    result.wall_s = wall.now_s() - start;
    return result;
  }

  if (leader) record_resolved(result, *benchmark);

  // From here on the members are inside the benchmark's collectives: an
  // exception (in the operations or in a verify that communicates) cannot be
  // agreed on any more, so it propagates and ends the job (see run_command).
  std::vector<Operation> ops = benchmark->operations();
  Measurement m =
      ctx.loop.run(ops, planned.spec.measure, &group, ctx.resources.world_rank);
  Verification verification = benchmark->verify();
  benchmark->teardown();
  if (!verification.ok)
    verification.detail = where(ctx) + ": " + verification.detail;

  // The leader collects each member's own raw samples and verdict.
  std::vector<Series> own, shared;
  for (Series& s : m.series)
    (s.rank == kAcrossRanks ? shared : own).push_back(std::move(s));
  auto verdicts = gather_bytes(
      group.comm(), 0, verification.ok ? std::string() : verification.detail);
  auto members = gather_bytes(group.comm(), 0, to_bytes(own));
  if (!leader) return std::nullopt;

  result.samples = std::move(shared);
  for (const std::string& bytes : members)
    for (Series& s : from_bytes<std::vector<Series>>(bytes))
      result.samples.push_back(std::move(s));
  // Every member passed: the leader's account of what it checked; else what
  // each failing member found.
  std::string failures;
  for (const std::string& v : verdicts)
    if (!v.empty()) failures += (failures.empty() ? "" : "; ") + v;
  settle(result,
         failures.empty() ? verification : Verification{false, failures}, m);
  result.wall_s = wall.now_s() - start;
  return result;
}

}  // namespace cb
