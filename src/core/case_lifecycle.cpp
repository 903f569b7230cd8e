#include "core/case_lifecycle.hpp"

#include <memory>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace cb {

void settle(CaseResult& result, const Verification& verification,
            const Measurement& m) {
  if (!verification.ok) {
    result.status = CaseStatus::Failed;
    result.error = "verification failed: " + verification.detail;
    return;
  }
  result.verification = verification.detail;
  if (m.timed_out) {
    result.status = CaseStatus::Timeout;
    result.error = "stopped at timeout_s after " + std::to_string(m.samples) +
                   " sample(s) and " + std::to_string(m.elapsed_s) + " s";
  }
}

void record_resolved(CaseResult& result, const Benchmark& benchmark) {
  for (auto& [name, value] : benchmark.resolved_params())
    result.params[name] = value;
}

void run_case_lifecycle(const RegisteredBenchmark* entry,
                        const CaseContext& context,
                        const MeasureSettings& settings, MeasurementLoop& loop,
                        int world_rank, const std::string& where,
                        CaseResult& result) {
  const std::string prefix = where.empty() ? "" : where + ": ";
  try {
    CB_CHECK(entry != nullptr, "benchmark not registered");
    std::unique_ptr<Benchmark> benchmark = entry->factory();
    benchmark->setup(context);
    record_resolved(result, *benchmark);
    std::vector<Operation> ops = benchmark->operations();
    Measurement m = loop.run(ops, settings, nullptr, world_rank);
    result.samples = std::move(m.series);
    settle(result, benchmark->verify(), m);
    benchmark->teardown();
  } catch (const Interrupted&) {
    throw;  // not the benchmark's failure: the whole run stops
  } catch (const Error& e) {
    bool unavailable = e.kind() == ErrorKind::Unavailable;
    result.status = unavailable ? CaseStatus::Skipped : CaseStatus::Failed;
    result.error = prefix + e.what();
  } catch (const std::exception& e) {
    result.status = CaseStatus::Failed;
    result.error = prefix + e.what();
  }
}

}  // namespace cb
