#include "cluster/executor.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "cluster/result_stream.hpp"
#include "cluster/rounds.hpp"
#include "cluster/watchdog.hpp"
#include "core/interrupt.hpp"

namespace cb {
namespace {

bool member(const PlannedCase& c, int rank) {
  return std::find(c.ranks.begin(), c.ranks.end(), rank) != c.ranks.end();
}

// A communicator of exactly the case's ranks. MPI_Comm_create_group is
// collective over the members only, so other ranks go on undisturbed.
MPI_Comm group_comm(MPI_Comm world, const PlannedCase& c) {
  MPI_Group world_group, case_group;
  MPI_Comm_group(world, &world_group);
  MPI_Group_incl(world_group, static_cast<int>(c.ranks.size()), c.ranks.data(),
                 &case_group);
  MPI_Comm comm;
  MPI_Comm_create_group(world, case_group, c.case_id % 32000, &comm);
  MPI_Group_free(&case_group);
  MPI_Group_free(&world_group);
  return comm;
}

std::string watch_label(const PlannedCase& c, int rank) {
  return "case " + c.key + " on rank " + std::to_string(rank);
}

int rounds_of(const PlannedCase& c) {
  return std::max(1, c.spec.measure.rounds);
}

// The case as one of its rounds runs it: its share of the budgets.
PlannedCase round_of(const PlannedCase& c) {
  PlannedCase r = c;
  r.spec.measure = round_settings(c.spec.measure);
  return r;
}

}  // namespace

void execute_plan(const MpiContext& mpi, const Plan& plan,
                  const RunnerContext& ctx, const ExecutorHooks& hooks) {
  const int me = mpi.rank();
  const bool root = me == 0;
  int outstanding = 0;        // round results rank 0 still waits for
  std::map<int, int> rounds;  // by case_id, for merging on rank 0
  RoundMerger merger;
  auto accept = [&](CaseResult r) {
    --outstanding;
    const int n = rounds[r.case_id];
    if (hooks.on_round) hooks.on_round(r.case_id);
    if (std::optional<CaseResult> done = merger.add(std::move(r), n))
      hooks.on_result(std::move(*done));
  };
  ResultReceiver receiver(mpi.world(), accept);
  ResultSender sender(mpi.world());
  auto poll = [&] {
    if (root) receiver.poll();
  };
  auto deliver = [&](CaseResult r) {
    if (root) {
      accept(std::move(r));
    } else {
      sender.send(r);
    }
  };
  auto starting = [&](const PlannedCase& c) {
    if (root && hooks.on_start) hooks.on_start(c);
  };

  // Rank 0 also takes in results between the samples of its own cases.
  if (root) ctx.loop.set_between_samples(poll);

  if (root) {
    for (const PlannedCase& c : plan.cases) {
      if (c.skipped)
        hooks.on_result(skipped_result(c));
      else
        outstanding += rounds[c.case_id] = rounds_of(c);
    }
  }

  // With rounds (cluster/rounds.hpp) the whole walk repeats, so that the
  // rounds of a case are spread over the run.
  int max_rounds = 1;
  for (const PlannedCase& c : plan.cases)
    max_rounds = std::max(max_rounds, rounds_of(c));
  Watchdog watchdog;
  const int my_node = plan.rank_node.at(me);
  try {
    for (int round = 0; round < max_rounds; ++round) {
      // Local cases. With node isolation the ranks of a node take turns: after
      // each of the node's cases everyone on the node meets at a (polite)
      // barrier.
      for (const PlannedCase& c : plan.cases) {
        if (c.skipped || c.scope != Scope::Local || rounds_of(c) <= round)
          continue;
        bool mine = c.ranks.front() == me;
        bool turns = plan.isolation == Isolation::Node;
        if (!mine && !(turns && c.node_id == my_node)) continue;
        throw_if_interrupted();
        if (mine) {
          starting(c);
          watchdog.arm(watch_label(c, me),
                       Watchdog::deadline_for(c.spec.measure.timeout_s));
          CaseResult result = run_local_case(round_of(c), ctx);
          watchdog.disarm();
          deliver(std::move(result));
        }
        if (turns) barrier_politely(mpi.node(), poll);
        poll();
      }
      barrier_politely(mpi.world(), poll);

      // Group cases one after another. Everyone meets at a polite barrier
      // before each: ranks waiting for a later case then sleep instead of
      // spinning inside MPI next to the ranks being timed.
      for (const PlannedCase& c : plan.cases) {
        if (c.skipped || c.scope != Scope::Group || rounds_of(c) <= round)
          continue;
        barrier_politely(mpi.world(), poll);
        if (!member(c, me)) continue;
        starting(c);
        watchdog.arm(watch_label(c, me),
                     Watchdog::deadline_for(c.spec.measure.timeout_s));
        MpiGroup group(group_comm(mpi.world(), c), /*owned=*/true);
        std::optional<CaseResult> result =
            run_group_case(round_of(c), group, ctx);
        watchdog.disarm();
        if (result) deliver(std::move(*result));
        poll();
      }
    }
  } catch (const Interrupted&) {
    // Cases part-way through their rounds are kept with what they have.
    if (root)
      for (CaseResult& r : merger.take_unfinished())
        hooks.on_result(std::move(r));
    throw;
  }

  sender.drain(poll);
  if (root) receiver.receive(outstanding);
  barrier_politely(mpi.world(), nullptr);
}

}  // namespace cb
