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

// What the constructor does when `path` already exists.
enum class Existing {
  // Refuse: cb::Error(Input) naming the file. A user's results are never
  // replaced by accident (created with H5F_ACC_EXCL, so no race either).
  Refuse,
  // Replace it, but only once the new run has something to show: the new
  // file is written as "<path>.new-<pid>" beside it and renamed over `path`
  // when the first case that is not skipped is appended (or at finish()). A
  // run that ends before that removes its staging file and leaves the old
  // file as it was.
  ReplaceOnFirstCase,
};

class Hdf5Writer {
 public:
  // Creates `path` and writes the root attributes, /suite and the inventory
  // tables. Throws cb::Error(Input) if the file exists (with
  // Existing::Refuse) or cannot be created, cb::Error(Runtime) if writing
  // fails.
  Hdf5Writer(const std::string& path, const RunInfo& info,
             const Inventory& inventory, Existing existing = Existing::Refuse);
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
  // A staging file never renamed over `path` is removed. Never throws.
  ~Hdf5Writer();

  // Appends the case's rows to /cases, /params, /metrics, /samples and
  // flushes (then a staged file replaces the old one, unless the case was
  // skipped). Throws cb::Error(Runtime) on a write failure.
  void append(const CaseResult& result);
  // Sets finished_utc and status "complete", and flushes (then a staged
  // file replaces the old one).
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
  // False while a ReplaceOnFirstCase writer has not yet replaced the old
  // file (so `path` still holds the earlier results).
  bool in_place() const;

 private:
  Hdf5Writer() = default;
  struct Impl;  // keeps hdf5.h out of every includer (DESIGN.md: modules)
  std::unique_ptr<Impl> impl_;
};

}  // namespace cb
