#include "storage/hdf5_writer.hpp"

#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "core/error.hpp"
#include "storage/hdf5_schema.hpp"
#include "storage/param_text.hpp"

namespace cb {

using h5::Handle;
using h5::RowWriter;
using h5::TableSpec;

struct Hdf5Writer::Impl {
  std::string path;     // the result file, as messages name it
  std::string staging;  // where it is written until it replaces `path`
  Handle file;

  // Every HDF5 call goes through here: a negative status becomes an error
  // that names the file and what was being written.
  void check(herr_t rc, const std::string& what) const {
    if (rc < 0) fail(what);
  }
  hid_t check_id(hid_t id, const std::string& what) const {
    if (id < 0) fail(what);
    return id;
  }
  [[noreturn]] void fail(const std::string& what) const {
    std::string reason = h5::last_error_reason();
    throw Error(ErrorKind::Runtime, "cannot write result file '" + path +
                                        "': " + what +
                                        (reason.empty() ? "" : ": " + reason));
  }

  void flush() const { check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flush"); }
  void replace_old_file();

  void set_attr(const char* name, const std::string& value) const;
  void set_attr(const char* name, int value) const;
  void write_suite(const std::string& text) const;
  void make_table(const TableSpec& table) const;
  void append_rows(const TableSpec& table, const RowWriter& rows) const;
  void set_attr_on(hid_t object, const char* name,
                   const std::string& value) const;
  void set_attr_on(hid_t object, const char* name, double value) const;
  void set_attr_on(hid_t object, const char* name, std::int64_t value) const;
  void drop(const char* name) const;
};

// Strings as variable-length UTF-8 attributes: h5py gives them back as str,
// and finish() can overwrite them with a value of another length.
void Hdf5Writer::Impl::set_attr(const char* name,
                                const std::string& value) const {
  std::string what = std::string("attribute ") + name;
  Handle type(check_id(H5Tcopy(H5T_C_S1), what), H5Tclose);
  check(H5Tset_size(type.get(), H5T_VARIABLE), what);
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), what);
  Handle space(check_id(H5Screate(H5S_SCALAR), what), H5Sclose);
  htri_t exists = H5Aexists(file.get(), name);
  check(exists, what);
  Handle attr(
      check_id(exists > 0 ? H5Aopen(file.get(), name, H5P_DEFAULT)
                          : H5Acreate2(file.get(), name, type.get(),
                                       space.get(), H5P_DEFAULT, H5P_DEFAULT),
               what),
      H5Aclose);
  const char* data = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &data), what);
}

void Hdf5Writer::Impl::set_attr(const char* name, int value) const {
  std::string what = std::string("attribute ") + name;
  Handle space(check_id(H5Screate(H5S_SCALAR), what), H5Sclose);
  Handle attr(check_id(H5Acreate2(file.get(), name, H5T_STD_I32LE, space.get(),
                                  H5P_DEFAULT, H5P_DEFAULT),
                       what),
              H5Aclose);
  check(H5Awrite(attr.get(), H5T_NATIVE_INT, &value), what);
}

// A scalar fixed-length string of exactly the text's size: plain for
// h5dump, PyTables and h5py alike.
void Hdf5Writer::Impl::write_suite(const std::string& text) const {
  Handle type = h5::string_type(text.empty() ? 1 : text.size());
  if (!type.valid()) fail("/suite");
  Handle space(check_id(H5Screate(H5S_SCALAR), "/suite"), H5Sclose);
  Handle set(check_id(H5Dcreate2(file.get(), "suite", type.get(), space.get(),
                                 H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                      "/suite"),
             H5Dclose);
  std::string padded = text.empty() ? std::string(1, '\0') : text;
  check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                 padded.data()),
        "/suite");
}

// H5TB gives the CLASS="TABLE" attributes PyTables (and so pandas) needs.
// Chunked, extendible and deflated: fixed-width strings are mostly padding.
void Hdf5Writer::Impl::make_table(const TableSpec& table) const {
  std::string what = std::string("/") + table.name;
  std::vector<const char*> names;
  std::vector<Handle> owned;
  std::vector<hid_t> types;
  for (const h5::Column& c : table.columns) {
    names.push_back(c.name);
    switch (c.type) {
      case h5::ColType::I8: types.push_back(H5T_STD_I8LE); break;
      case h5::ColType::I32: types.push_back(H5T_STD_I32LE); break;
      case h5::ColType::I64: types.push_back(H5T_STD_I64LE); break;
      case h5::ColType::F64: types.push_back(H5T_IEEE_F64LE); break;
      case h5::ColType::Str:
        owned.push_back(h5::string_type(c.width));
        if (!owned.back().valid()) fail(what);
        types.push_back(owned.back().get());
        break;
    }
  }
  std::string title = std::string("clusterbench ") + table.name;
  check(H5TBmake_table(title.c_str(), file.get(), table.name,
                       table.columns.size(), 0, table.row_size, names.data(),
                       table.offsets.data(), types.data(), table.chunk_rows,
                       nullptr, 1, nullptr),
        what);
}

void Hdf5Writer::Impl::append_rows(const TableSpec& table,
                                   const RowWriter& rows) const {
  if (rows.rows() == 0) return;
  check(
      H5TBappend_records(file.get(), table.name, rows.rows(), table.row_size,
                         table.offsets.data(), table.sizes.data(), rows.data()),
      std::string("append to /") + table.name);
}

namespace {

RowWriter node_rows(const Inventory& inventory) {
  RowWriter w(h5::nodes_table());
  for (const NodeInfo& n : inventory.nodes)
    w.i32(n.node_id)
        .str(n.hostname)
        .str(n.cpu_model)
        .i32(n.packages)
        .i32(n.cores)
        .i32(n.pus)
        .i32(n.numa_nodes)
        .i64(static_cast<std::int64_t>(n.l3_bytes))
        .i64(static_cast<std::int64_t>(n.mem_bytes));
  return w;
}

RowWriter rank_rows(const Inventory& inventory) {
  RowWriter w(h5::ranks_table());
  for (const RankInfo& r : inventory.ranks)
    w.i32(r.rank)
        .i32(r.node_id)
        .i32(r.local_rank)
        .str(r.cpuset)
        .i64(r.pid)
        .str(r.governor)
        .str(r.turbo)
        .f64(r.load_start)
        .f64(r.load_end);
  return w;
}

RowWriter device_rows(const Inventory& inventory) {
  RowWriter w(h5::devices_table());
  for (const DeviceInfo& d : inventory.devices)
    w.i32(d.rank)
        .str(d.backend)
        .i32(d.index)
        .str(d.name)
        .str(d.uuid)
        .str(d.pci_bus_id)
        .i64(static_cast<std::int64_t>(d.mem_bytes))
        .i32(d.compute_units)
        .f64(d.clock_mhz)
        .str(d.driver_version)
        .str(d.status)
        .i32(d.numa_node);
  return w;
}

std::string hdf5_library_version() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return std::to_string(major) + "." + std::to_string(minor) + "." +
         std::to_string(release);
}

// Where a replacing run writes until its first case: beside the old file, so
// that the rename is atomic on any POSIX file system.
std::string staging_path(const std::string& path) {
  return path + ".new-" + std::to_string(getpid());
}

}  // namespace

Hdf5Writer::Hdf5Writer(const std::string& path, const RunInfo& info,
                       const Inventory& inventory, Existing existing)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.path = path;
  std::error_code ec;
  const bool there = std::filesystem::exists(path, ec);
  if (there && existing == Existing::Refuse)
    throw Error(ErrorKind::Input,
                "cannot create result file '" + path + "': it exists");
  const bool replacing = there && existing == Existing::ReplaceOnFirstCase;
  if (replacing) m.staging = staging_path(path);
  const std::string& target = replacing ? m.staging : path;
  // Errors are reported by our exceptions; HDF5 must not print its stack.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Handle fapl(m.check_id(H5Pcreate(H5P_FILE_ACCESS), "file access"), H5Pclose);
#if H5_VERSION_GE(1, 10, 7)
  // Parallel file systems often refuse flock(); one writer needs no lock.
  m.check(H5Pset_file_locking(fapl.get(), false, true), "file access");
#endif
  // Exclusive in every mode: a file that appeared since the check above is
  // someone else's, and the staging name is this process's own.
  m.file =
      Handle(H5Fcreate(target.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get()),
             H5Fclose);
  if (!m.file.valid()) {
    std::string reason = h5::last_error_reason();
    throw Error(ErrorKind::Input,
                "cannot create result file '" + target +
                    "': " + (reason.empty() ? "HDF5 error" : reason));
  }

  m.set_attr("schema", h5::kSchemaName);
  m.set_attr("schema_version", h5::kSchemaVersion);
  m.set_attr("tool_version", info.tool_version);
  m.set_attr("git_commit", info.git_commit);
  m.set_attr("created_utc", info.created_utc);
  m.set_attr("finished_utc", "");
  m.set_attr("status", "partial");
  m.set_attr("command_line", info.command_line);
  m.set_attr("world_size", info.world_size);
  m.set_attr("n_nodes", info.n_nodes);
  m.set_attr("mpi_library", info.mpi_library);
  m.set_attr("mpi_thread_level", info.mpi_thread_level);
  m.set_attr("hdf5_version", hdf5_library_version());
  m.set_attr("backends_built", info.backends_built);
  if (!info.slurm_job_id.empty()) m.set_attr("slurm_job_id", info.slurm_job_id);
  for (const auto& [name, value] : info.slurm)
    if (!value.empty()) m.set_attr(("slurm_" + name).c_str(), value);

  m.write_suite(info.suite_text);
  for (const TableSpec* t :
       {&h5::nodes_table(), &h5::ranks_table(), &h5::devices_table(),
        &h5::cases_table(), &h5::params_table(), &h5::metrics_table(),
        &h5::samples_table()})
    m.make_table(*t);
  m.append_rows(h5::nodes_table(), node_rows(inventory));
  m.append_rows(h5::ranks_table(), rank_rows(inventory));
  m.append_rows(h5::devices_table(), device_rows(inventory));
  m.flush();
}

std::unique_ptr<Hdf5Writer> Hdf5Writer::reopen(const std::string& path,
                                               const std::string& resumed_utc) {
  std::unique_ptr<Hdf5Writer> writer(new Hdf5Writer());
  writer->impl_ = std::make_unique<Impl>();
  Impl& m = *writer->impl_;
  m.path = path;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Handle fapl(m.check_id(H5Pcreate(H5P_FILE_ACCESS), "file access"), H5Pclose);
#if H5_VERSION_GE(1, 10, 7)
  m.check(H5Pset_file_locking(fapl.get(), false, true), "file access");
#endif
  m.file = Handle(H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get()), H5Fclose);
  if (!m.file.valid()) {
    std::string reason = h5::last_error_reason();
    throw Error(ErrorKind::Input,
                "cannot reopen result file '" + path +
                    "' to resume: " + (reason.empty() ? "HDF5 error" : reason));
  }
  m.set_attr("status", "partial");
  m.set_attr("finished_utc", "");
  m.set_attr("resumed_utc", resumed_utc);
  // Derived from all cases at the end of a run: rewritten by the resumed run.
  for (const char* derived :
       {"comparison", "comparison_by_kind", "pair_matrices"})
    if (H5Lexists(m.file.get(), derived, H5P_DEFAULT) > 0)
      m.check(H5Ldelete(m.file.get(), derived, H5P_DEFAULT),
              std::string("/") + derived);
  m.flush();
  return writer;
}

Hdf5Writer::~Hdf5Writer() {
  if (!impl_) return;
  impl_->file.reset();  // a close failure cannot be reported here
  // Nothing of the new run was worth keeping: the old file stays.
  std::error_code ignored;
  if (!impl_->staging.empty()) std::filesystem::remove(impl_->staging, ignored);
}

// The new run has its first case: it takes the old file's name. An open
// HDF5 file may be renamed (the descriptor follows the inode).
void Hdf5Writer::Impl::replace_old_file() {
  if (staging.empty()) return;
  std::error_code error;
  std::filesystem::rename(staging, path, error);
  if (error)
    throw Error(ErrorKind::Runtime, "cannot replace result file '" + path +
                                        "' with " + staging + ": " +
                                        error.message());
  staging.clear();
}

bool Hdf5Writer::in_place() const {
  return impl_->staging.empty();
}

void Hdf5Writer::append(const CaseResult& r) {
  const Impl& m = *impl_;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  RowWriter params(h5::params_table());
  for (const auto& [name, value] : r.params)
    params.i32(r.case_id)
        .str(name)
        .f64(storage::param_number(value).value_or(nan))
        .str(storage::param_text(value));

  RowWriter metrics(h5::metrics_table());
  for (const MetricSummary& s : r.metrics)
    metrics.i32(r.case_id)
        .str(s.metric)
        .str(s.unit)
        .str(to_string(s.better))
        .i64(static_cast<std::int64_t>(s.n))
        .f64(s.min)
        .f64(s.median)
        .f64(s.mean)
        .f64(s.max)
        .f64(s.stddev)
        .f64(s.p05)
        .f64(s.p95)
        .f64(s.ci_low)
        .f64(s.ci_high)
        .i8(s.valid ? 1 : 0)
        .i8(s.unstable ? 1 : 0)
        .f64(s.p90)
        .f64(s.p99);

  RowWriter samples(h5::samples_table());
  for (const Series& series : r.samples)
    for (std::size_t i = 0; i < series.values.size(); ++i)
      samples.i32(r.case_id)
          .str(series.metric)
          .i32(series.rank)
          .i32(static_cast<std::int32_t>(i))
          .f64(series.values[i]);

  RowWriter cases(h5::cases_table());
  cases.i32(r.case_id)
      .str(r.key)
      .str(r.benchmark)
      .str(r.kind)
      .str(r.scope)
      .str(r.backend)
      .str(r.device_name)
      .str(r.ranks)
      .str(to_string(r.status))
      .str(r.error)
      .f64(r.wall_s)
      .str(r.started_utc)
      .str(r.verification);

  // The /cases row goes last: a case is listed only once its details are in.
  m.append_rows(h5::samples_table(), samples);
  m.append_rows(h5::metrics_table(), metrics);
  m.append_rows(h5::params_table(), params);
  m.append_rows(h5::cases_table(), cases);
  m.flush();
  // A skipped case measured nothing: not yet worth the old file.
  if (r.status != CaseStatus::Skipped) impl_->replace_old_file();
}

void Hdf5Writer::finish(const std::string& finished_utc) {
  const Impl& m = *impl_;
  m.set_attr("finished_utc", finished_utc);
  m.set_attr("status", "complete");
  m.flush();
  impl_->replace_old_file();
}

namespace {

// A variable-length UTF-8 string attribute on any object.
void set_string_attr(hid_t object, const char* name, const std::string& value) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT,
                         H5P_DEFAULT),
              H5Aclose);
  const char* data = value.c_str();
  H5Awrite(attr.get(), type.get(), &data);
}

}  // namespace

void Hdf5Writer::write_pair_matrix(const stats::PairMatrix& matrix) {
  const Impl& m = *impl_;
  const char* group_name = "pair_matrices";
  std::string what = std::string("/") + group_name;
  htri_t exists = H5Lexists(m.file.get(), group_name, H5P_DEFAULT);
  m.check(exists, what);
  Handle group(
      m.check_id(exists > 0 ? H5Gopen2(m.file.get(), group_name, H5P_DEFAULT)
                            : H5Gcreate2(m.file.get(), group_name, H5P_DEFAULT,
                                         H5P_DEFAULT, H5P_DEFAULT),
                 what),
      H5Gclose);
  // '/' would be a path separator in an HDF5 name.
  std::string name =
      matrix.benchmark + "[" + matrix.params + "]." + matrix.metric;
  std::replace(name.begin(), name.end(), '/', '_');
  what += "/" + name;
  hsize_t dims[2] = {static_cast<hsize_t>(matrix.ranks),
                     static_cast<hsize_t>(matrix.ranks)};
  Handle space(m.check_id(H5Screate_simple(2, dims, nullptr), what), H5Sclose);
  if (H5Lexists(group.get(), name.c_str(), H5P_DEFAULT) > 0)
    m.check(H5Ldelete(group.get(), name.c_str(), H5P_DEFAULT), what);
  Handle set(
      m.check_id(H5Dcreate2(group.get(), name.c_str(), H5T_IEEE_F64LE,
                            space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 what),
      H5Dclose);
  m.check(H5Dwrite(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                   matrix.values.data()),
          what);
  set_string_attr(set.get(), "benchmark", matrix.benchmark);
  set_string_attr(set.get(), "params", matrix.params);
  set_string_attr(set.get(), "metric", matrix.metric);
  set_string_attr(set.get(), "unit", matrix.unit);
  set_string_attr(set.get(), "better", to_string(matrix.better));
  m.flush();
}

void Hdf5Writer::write_interference(
    const std::vector<stats::Interference>& matrices) {
  const Impl& m = *impl_;
  const TableSpec& spec = h5::interference_table();
  RowWriter rows(spec);
  for (const stats::Interference& x : matrices)
    for (const stats::InterferenceRow& r : x.rows)
      rows.i32(x.case_id)
          .str(r.model)
          .str(r.with)
          .f64(r.solo_latency)
          .f64(r.shared_latency)
          .f64(r.slowdown)
          .f64(r.solo_throughput)
          .f64(r.shared_throughput);
  m.drop(spec.name);
  m.make_table(spec);
  m.append_rows(spec, rows);
  m.flush();
}

void Hdf5Writer::write_pool_saturation(
    const std::vector<stats::PoolSaturation>& pools) {
  const Impl& m = *impl_;
  const TableSpec& spec = h5::pool_saturation_table();
  RowWriter rows(spec);
  for (const stats::PoolSaturation& pool : pools)
    for (const stats::PoolPoint& p : pool.points)
      rows.str(pool.params)
          .i64(p.contexts)
          .f64(p.throughput)
          .f64(p.latency_p50)
          .f64(p.latency_p99)
          .f64(p.queue_p50)
          .f64(p.overhead_p50)
          .i64(pool.saturation_contexts)
          .i8(pool.saturated ? 1 : 0);
  m.drop(spec.name);
  m.make_table(spec);
  m.append_rows(spec, rows);
  m.flush();
}

// Attributes of a dataset (or group) that was just created, so they are
// created, never reopened.
void Hdf5Writer::Impl::set_attr_on(hid_t object, const char* name,
                                   const std::string& value) const {
  std::string what = std::string("attribute ") + name;
  Handle type(check_id(H5Tcopy(H5T_C_S1), what), H5Tclose);
  check(H5Tset_size(type.get(), H5T_VARIABLE), what);
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), what);
  Handle space(check_id(H5Screate(H5S_SCALAR), what), H5Sclose);
  Handle attr(check_id(H5Acreate2(object, name, type.get(), space.get(),
                                  H5P_DEFAULT, H5P_DEFAULT),
                       what),
              H5Aclose);
  const char* data = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &data), what);
}

void Hdf5Writer::Impl::set_attr_on(hid_t object, const char* name,
                                   double value) const {
  std::string what = std::string("attribute ") + name;
  Handle space(check_id(H5Screate(H5S_SCALAR), what), H5Sclose);
  Handle attr(check_id(H5Acreate2(object, name, H5T_IEEE_F64LE, space.get(),
                                  H5P_DEFAULT, H5P_DEFAULT),
                       what),
              H5Aclose);
  check(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value), what);
}

void Hdf5Writer::Impl::set_attr_on(hid_t object, const char* name,
                                   std::int64_t value) const {
  std::string what = std::string("attribute ") + name;
  Handle space(check_id(H5Screate(H5S_SCALAR), what), H5Sclose);
  Handle attr(check_id(H5Acreate2(object, name, H5T_STD_I64LE, space.get(),
                                  H5P_DEFAULT, H5P_DEFAULT),
                       what),
              H5Aclose);
  check(H5Awrite(attr.get(), H5T_NATIVE_INT64, &value), what);
}

// Unlinks a root object if present (a rewritten comparison replaces the
// old one; HDF5 does not reclaim the space, which is small).
void Hdf5Writer::Impl::drop(const char* name) const {
  std::string what = std::string("/") + name;
  htri_t exists = H5Lexists(file.get(), name, H5P_DEFAULT);
  check(exists, what);
  if (exists > 0) check(H5Ldelete(file.get(), name, H5P_DEFAULT), what);
}

void Hdf5Writer::write_comparison(const stats::Comparison& comparison,
                                  const ComparisonInfo& info) {
  const Impl& m = *impl_;
  const TableSpec& rows_spec = h5::comparison_table();
  const TableSpec& kinds_spec = h5::comparison_by_kind_table();
  RowWriter rows(rows_spec);
  for (const stats::ComparisonRow& r : comparison.rows)
    rows.str(r.key)
        .str(r.metric)
        .f64(r.baseline_median)
        .f64(r.current_median)
        .f64(r.ratio)
        .f64(r.p_value)
        .str(stats::to_string(r.verdict))
        .str(r.unit)
        .str(to_string(r.better))
        .f64(r.ratio_ci_low)
        .f64(r.ratio_ci_high)
        .i64(static_cast<std::int64_t>(r.n_baseline))
        .i64(static_cast<std::int64_t>(r.n_current))
        .str(r.reason)
        .str(r.benchmark)
        .str(r.kind);
  RowWriter kinds(kinds_spec);
  for (const stats::KindChange& k : comparison.by_kind)
    kinds.str(k.kind)
        .f64(k.geomean_ratio)
        .i64(static_cast<std::int64_t>(k.metrics));

  m.drop(rows_spec.name);
  m.drop(kinds_spec.name);
  m.make_table(rows_spec);
  m.append_rows(rows_spec, rows);
  m.make_table(kinds_spec);
  m.append_rows(kinds_spec, kinds);

  std::string what = std::string("/") + rows_spec.name;
  Handle set(
      m.check_id(H5Dopen2(m.file.get(), rows_spec.name, H5P_DEFAULT), what),
      H5Dclose);
  m.set_attr_on(set.get(), "baseline", info.baseline_path);
  m.set_attr_on(set.get(), "baseline_created_utc", info.baseline_created_utc);
  m.set_attr_on(set.get(), "threshold", info.threshold);
  m.set_attr_on(set.get(), "alpha", info.alpha);
  m.set_attr_on(set.get(), "min_samples",
                static_cast<std::int64_t>(info.min_samples));
  m.flush();
}

void Hdf5Writer::set_load_end(const std::vector<double>& loads) {
  if (loads.empty()) return;
  const Impl& m = *impl_;
  std::size_t offset = 0, size = sizeof(double);
  m.check(
      H5TBwrite_fields_name(m.file.get(), "ranks", "load_end", 0, loads.size(),
                            sizeof(double), &offset, &size, loads.data()),
      "/ranks load_end");
  m.flush();
}

int Hdf5Writer::next_case_id() const {
  const Impl& m = *impl_;
  int next = 0;
  for (const char* table : {"cases", "params", "metrics", "samples"}) {
    hsize_t fields = 0, records = 0;
    if (H5TBget_table_info(m.file.get(), table, &fields, &records) < 0 ||
        records == 0)
      continue;
    std::vector<std::int32_t> ids(records);
    std::size_t offset = 0, size = sizeof(std::int32_t);
    m.check(
        H5TBread_fields_name(m.file.get(), table, "case_id", 0, records,
                             sizeof(std::int32_t), &offset, &size, ids.data()),
        std::string("/") + table + " case_id");
    for (std::int32_t id : ids) next = std::max(next, id + 1);
  }
  return next;
}

}  // namespace cb
