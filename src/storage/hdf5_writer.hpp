// Writes one run's results to an HDF5 file (DESIGN.md "Results in HDF5"),
// appending and flushing each case as it arrives so that a killed job leaves
// a readable file with every completed case and status "partial".
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "hardware/inventory.hpp"
#include "stats/comparison.hpp"
#include "stats/interference.hpp"
#include "stats/pair_matrix.hpp"
#include "stats/pool_saturation.hpp"
#include "storage/comparison_info.hpp"
#include "storage/run_info.hpp"

namespace cb {

class Hdf5Writer {
 public:
  // Creates (truncates) `path` and writes the root attributes, /suite and
  // the inventory tables. Throws cb::Error(Input) if the file cannot be
  // created, cb::Error(Runtime) if writing fails.
  Hdf5Writer(const std::string& path, const RunInfo& info,
             const Inventory& inventory);
  // Reopens an existing result file to append to it (`run --resume`): its
  // status goes back to "partial" until finish(). Throws cb::Error(Input) if
  // it cannot be opened for writing.
  static std::unique_ptr<Hdf5Writer> reopen(const std::string& path,
                                            const std::string& resumed_utc);
  // One more than the largest case_id in any table of the file (a killed
  // append can leave rows without a /cases row): where new cases start.
  int next_case_id() const;
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;
  // Closes the file; status stays "partial" unless finish() was called.
  // Never throws.
  ~Hdf5Writer();

  // Appends the case's rows to /cases, /params, /metrics, /samples and
  // flushes. Throws cb::Error(Runtime) on a write failure.
  void append(const CaseResult& result);
  // Sets finished_utc and status "complete", and flushes.
  void finish(const std::string& finished_utc);
  // Fills /ranks' load_end column (one value per rank, in rank order), known
  // only when the run ends.
  void set_load_end(const std::vector<double>& loads);
  // Writes /pair_matrices/<benchmark>[<params>].<metric>: a ranks x ranks
  // float64 dataset of an all-pairs sweep's medians (NaN: not measured),
  // with attributes benchmark, params, metric, unit and better.
  void write_pair_matrix(const stats::PairMatrix& matrix);
  // /interference: every colocate case's matrix, replacing any earlier one.
  void write_interference(const std::vector<stats::Interference>& matrices);
  void write_pool_saturation(const std::vector<stats::PoolSaturation>& pools);
  // Writes /comparison, one row per stats::ComparisonRow: DESIGN.md's
  // columns (key, metric, baseline_median, current_median, ratio, p_value,
  // verdict), then unit, better, ratio_ci_low, ratio_ci_high, n_baseline,
  // n_current, reason, benchmark, kind; attributes baseline (the path),
  // baseline_created_utc, threshold, alpha, min_samples. And
  // /comparison_by_kind (kind, geomean_ratio, metrics). A second call
  // replaces both. Flushes. Throws cb::Error(Runtime) on a write failure.
  void write_comparison(const stats::Comparison& comparison,
                        const ComparisonInfo& info);

 private:
  Hdf5Writer() = default;
  struct Impl;  // keeps hdf5.h out of every includer (DESIGN.md: modules)
  std::unique_ptr<Impl> impl_;
};

}  // namespace cb
