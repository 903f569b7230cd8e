#include "storage/hdf5_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "core/error.hpp"
#include "storage/case_status.hpp"
#include "storage/comparison_verdict.hpp"
#include "storage/hdf5_schema.hpp"
#include "storage/param_text.hpp"

namespace cb {

using h5::Handle;
using h5::RowReader;
using h5::TableSpec;

namespace {

// No string in a result file comes near this (the suite text is the
// longest); a larger one is a damaged or hostile file, and reading it would
// allocate that much.
constexpr std::size_t kMaxStringBytes = std::size_t{64} << 20;
// Deflate compresses at most ~1032:1, so a table whose rows would take more
// than this many times its stored bytes (plus a little for fill values)
// claims rows it does not hold.
constexpr double kMaxCompression = 1100;
constexpr double kFillSlackBytes = 1 << 20;

// PUs in an hwloc list such as "0-3,8" (RankInfo::bound_pus is not stored:
// it follows from the cpuset). 0 if the text is not a list.
int count_pus(const std::string& cpuset) {
  int total = 0;
  std::size_t pos = 0;
  while (pos < cpuset.size()) {
    std::size_t end = cpuset.find(',', pos);
    if (end == std::string::npos) end = cpuset.size();
    std::string part = cpuset.substr(pos, end - pos);
    int first = 0, last = 0;
    char dash = 0;
    int got = std::sscanf(part.c_str(), "%d%c%d", &first, &dash, &last);
    if (got == 1)
      ++total;
    else if (got == 3 && dash == '-' && last >= first)
      total += last - first + 1;
    else
      return 0;
    pos = end + 1;
  }
  return total;
}

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path) {}
  ResultFile read();
  // Open and check the schema first; nullopt when there is no /comparison.
  std::optional<stats::Comparison> read_comparison();
  std::optional<ComparisonInfo> read_comparison_info();

 private:
  [[noreturn]] void bad(const std::string& why) const {
    throw Error(ErrorKind::Input,
                path_ + ": not a clusterbench result file (" + why + ")");
  }
  void open();
  void check_single(hid_t object, bool is_attribute,
                    const std::string& what) const;
  std::string read_string(hid_t object, bool is_attribute,
                          const std::string& what) const;
  std::optional<std::string> string_attr(const char* name) const;
  std::optional<long long> int_attr(const char* name) const;
  RunInfo read_info() const;
  std::vector<char> read_table(const TableSpec& table) const;
  Inventory read_inventory() const;
  std::vector<CaseResult> read_cases() const;
  bool has_comparison();
  std::optional<std::string> string_attr_of(hid_t object,
                                            const char* name) const;
  std::optional<double> number_attr_of(hid_t object, const char* name) const;

  std::string path_;
  Handle file_;
};

void Reader::open() {
  std::error_code ec;
  if (!std::filesystem::exists(path_, ec)) bad("no such file");
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  if (H5Fis_hdf5(path_.c_str()) <= 0) bad("not an HDF5 file");
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
#if H5_VERSION_GE(1, 10, 7)
  // Same reason as the writer: shared file systems may refuse locks.
  if (fapl.valid()) H5Pset_file_locking(fapl.get(), false, true);
#endif
  file_ = Handle(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, fapl.get()), H5Fclose);
  if (!file_.valid()) bad("cannot open: " + h5::last_error_reason());
}

// Attributes and /suite hold one value; reading an array of them into one
// would overflow the buffer (a foreign or hostile file).
void Reader::check_single(hid_t object, bool is_attribute,
                          const std::string& what) const {
  Handle space(is_attribute ? H5Aget_space(object) : H5Dget_space(object),
               H5Sclose);
  hssize_t points =
      space.valid() ? H5Sget_simple_extent_npoints(space.get()) : -1;
  if (points != 1)
    bad(fmt::format("{} holds {} values, not one", what, points));
}

// Fixed-length or variable-length, attribute or scalar dataset. The file's
// own type is the memory type: HDF5 will not convert ASCII to UTF-8.
std::string Reader::read_string(hid_t object, bool is_attribute,
                                const std::string& what) const {
  Handle type(is_attribute ? H5Aget_type(object) : H5Dget_type(object),
              H5Tclose);
  if (!type.valid() || H5Tget_class(type.get()) != H5T_STRING)
    bad(what + " is not a string");
  check_single(object, is_attribute, what);
  auto read = [&](void* buffer) {
    return is_attribute ? H5Aread(object, type.get(), buffer)
                        : H5Dread(object, type.get(), H5S_ALL, H5S_ALL,
                                  H5P_DEFAULT, buffer);
  };
  if (H5Tis_variable_str(type.get()) > 0) {
    char* text = nullptr;
    if (read(&text) < 0) bad("cannot read " + what);
    std::string out = text ? text : "";
    H5free_memory(text);
    return out;
  }
  std::size_t size = H5Tget_size(type.get());
  if (size > kMaxStringBytes)
    bad(
        fmt::format("{} is a string of {} bytes, more than a result file "
                    "holds",
                    what, size));
  std::vector<char> buffer(size + 1, '\0');
  if (read(buffer.data()) < 0) bad("cannot read " + what);
  return std::string(buffer.data(), strnlen(buffer.data(), buffer.size()));
}

std::optional<std::string> Reader::string_attr(const char* name) const {
  if (H5Aexists(file_.get(), name) <= 0) return std::nullopt;
  Handle attr(H5Aopen(file_.get(), name, H5P_DEFAULT), H5Aclose);
  if (!attr.valid()) bad(std::string("cannot open attribute ") + name);
  return read_string(attr.get(), true, std::string("attribute ") + name);
}

std::optional<long long> Reader::int_attr(const char* name) const {
  if (H5Aexists(file_.get(), name) <= 0) return std::nullopt;
  Handle attr(H5Aopen(file_.get(), name, H5P_DEFAULT), H5Aclose);
  Handle type(attr.valid() ? H5Aget_type(attr.get()) : H5I_INVALID_HID,
              H5Tclose);
  long long value = 0;
  if (!type.valid() || H5Tget_class(type.get()) != H5T_INTEGER)
    bad(std::string("attribute ") + name + " is not an integer");
  check_single(attr.get(), true, std::string("attribute ") + name);
  if (H5Aread(attr.get(), H5T_NATIVE_LLONG, &value) < 0)
    bad(std::string("attribute ") + name + " is not an integer");
  return value;
}

RunInfo Reader::read_info() const {
  auto schema = string_attr("schema");
  if (!schema) bad("no 'schema' attribute");
  if (*schema != h5::kSchemaName)
    bad("schema is '" + *schema + "', expected '" + h5::kSchemaName + "'");
  auto version = int_attr("schema_version");
  if (!version) bad("no 'schema_version' attribute");
  if (*version != h5::kSchemaVersion)
    bad("schema_version is " + std::to_string(*version) +
        ", this clusterbench reads " + std::to_string(h5::kSchemaVersion));

  RunInfo info;
  auto text = [&](const char* name) { return string_attr(name).value_or(""); };
  info.tool_version = text("tool_version");
  info.git_commit = text("git_commit");
  info.created_utc = text("created_utc");
  info.finished_utc = text("finished_utc");
  info.status = text("status");
  info.command_line = text("command_line");
  info.mpi_library = text("mpi_library");
  info.mpi_thread_level = text("mpi_thread_level");  // "" in older files
  info.hdf5_version = text("hdf5_version");
  info.backends_built = text("backends_built");
  info.slurm_job_id = text("slurm_job_id");
  info.world_size = static_cast<int>(int_attr("world_size").value_or(1));
  info.n_nodes = static_cast<int>(int_attr("n_nodes").value_or(1));

  if (H5Lexists(file_.get(), "suite", H5P_DEFAULT) <= 0) bad("no /suite");
  Handle suite(H5Dopen2(file_.get(), "suite", H5P_DEFAULT), H5Dclose);
  if (!suite.valid()) bad("cannot open /suite");
  info.suite_text = read_string(suite.get(), false, "/suite");
  return info;
}

// Reads by column name through our own memory type, so a file with extra
// columns (a later minor revision) still reads. Optional columns (trailing,
// added to version 1 later) that the file lacks get their fill values; the
// rows come back in the full layout of `table` either way.
std::vector<char> Reader::read_table(const TableSpec& table) const {
  std::string what = std::string("/") + table.name;
  if (H5Lexists(file_.get(), table.name, H5P_DEFAULT) <= 0)
    bad("no table " + what);
  Handle set(H5Dopen2(file_.get(), table.name, H5P_DEFAULT), H5Dclose);
  Handle type(set.valid() ? H5Dget_type(set.get()) : H5I_INVALID_HID, H5Tclose);
  if (!type.valid() || H5Tget_class(type.get()) != H5T_COMPOUND)
    bad(what + " is not a table");
  std::vector<h5::Column> present;
  std::vector<std::size_t> present_index;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const h5::Column& c = table.columns[i];
    if (H5Tget_member_index(type.get(), c.name) >= 0) {
      present.push_back(c);
      present_index.push_back(i);
    } else if (!c.optional) {
      bad(what + " has no column '" + c.name + "'");
    }
  }
  Handle space(H5Dget_space(set.get()), H5Sclose);
  hssize_t rows =
      space.valid() ? H5Sget_simple_extent_npoints(space.get()) : -1;
  if (rows < 0) bad("cannot read " + what);
  // A damaged or hostile file may claim 2^40 rows that were never written.
  double claimed =
      static_cast<double>(rows) * static_cast<double>(H5Tget_size(type.get()));
  double stored = static_cast<double>(H5Dget_storage_size(set.get()));
  if (claimed > kMaxCompression * stored + kFillSlackBytes)
    bad(
        fmt::format("{} claims {} rows, but the file stores only {} bytes of "
                    "them",
                    what, rows, H5Dget_storage_size(set.get())));
  auto n = static_cast<std::size_t>(rows);
  bool complete = present.size() == table.columns.size();
  // Read what the file has, packed; widen to the full layout below.
  std::optional<TableSpec> subset;
  if (!complete) subset.emplace(table.name, present, table.chunk_rows);
  const TableSpec& read_spec = complete ? table : *subset;
  std::vector<char> bytes(n * read_spec.row_size);
  Handle memory = h5::compound_type(read_spec);
  if (rows > 0 &&
      (!memory.valid() || H5Dread(set.get(), memory.get(), H5S_ALL, H5S_ALL,
                                  H5P_DEFAULT, bytes.data()) < 0))
    bad("cannot read " + what + ": " + h5::last_error_reason());
  if (complete) return bytes;

  std::vector<char> full(n * table.row_size);
  for (std::size_t row = 0; row < n; ++row) {
    char* dst = full.data() + row * table.row_size;
    const char* src = bytes.data() + row * read_spec.row_size;
    for (std::size_t i = 0; i < table.columns.size(); ++i)
      h5::fill_default(table, i, dst + table.offsets[i]);
    for (std::size_t j = 0; j < present.size(); ++j) {
      std::size_t i = present_index[j];
      std::memcpy(dst + table.offsets[i], src + read_spec.offsets[j],
                  table.sizes[i]);
    }
  }
  return full;
}

Inventory Reader::read_inventory() const {
  Inventory inv;
  auto node_bytes = read_table(h5::nodes_table());
  for (RowReader r(h5::nodes_table(), node_bytes); r.next();) {
    NodeInfo& n = inv.nodes.emplace_back();
    n.node_id = r.i32();
    n.hostname = r.str();
    n.cpu_model = r.str();
    n.packages = r.i32();
    n.cores = r.i32();
    n.pus = r.i32();
    n.numa_nodes = r.i32();
    n.l3_bytes = static_cast<std::uint64_t>(r.i64());
    n.mem_bytes = static_cast<std::uint64_t>(r.i64());
  }
  auto rank_bytes = read_table(h5::ranks_table());
  for (RowReader r(h5::ranks_table(), rank_bytes); r.next();) {
    RankInfo& k = inv.ranks.emplace_back();
    k.rank = r.i32();
    k.node_id = r.i32();
    k.local_rank = r.i32();
    k.cpuset = r.str();
    k.bound_pus = count_pus(k.cpuset);
    k.pid = static_cast<long>(r.i64());
    k.governor = r.str();
    k.turbo = r.str();
    k.load_start = r.f64();
    k.load_end = r.f64();
  }
  auto device_bytes = read_table(h5::devices_table());
  for (RowReader r(h5::devices_table(), device_bytes); r.next();) {
    DeviceInfo& d = inv.devices.emplace_back();
    d.rank = r.i32();
    d.backend = r.str();
    d.index = r.i32();
    d.name = r.str();
    d.uuid = r.str();
    d.pci_bus_id = r.str();
    d.mem_bytes = static_cast<std::uint64_t>(r.i64());
    d.compute_units = r.i32();
    d.clock_mhz = r.f64();
    d.driver_version = r.str();
    d.status = r.str();
    d.numa_node = r.i32();
  }
  return inv;
}

std::vector<CaseResult> Reader::read_cases() const {
  std::vector<CaseResult> cases;
  std::unordered_map<int, std::size_t> by_id;
  auto case_bytes = read_table(h5::cases_table());
  for (RowReader r(h5::cases_table(), case_bytes); r.next();) {
    CaseResult& c = cases.emplace_back();
    c.case_id = r.i32();
    c.key = r.str();
    c.benchmark = r.str();
    c.kind = r.str();
    c.scope = r.str();
    c.backend = r.str();
    c.device_name = r.str();
    c.ranks = r.str();
    std::string status = r.str();
    auto parsed = storage::parse_status(status);
    if (!parsed) bad("unknown case status '" + status + "' in /cases");
    c.status = *parsed;
    c.error = r.str();
    c.wall_s = r.f64();
    c.started_utc = r.str();
    c.verification = r.str();  // "" in files written before the column
    by_id.emplace(c.case_id, cases.size() - 1);
  }
  // Rows of a case whose /cases row is missing (a write cut short) are
  // skipped: a case exists once its /cases row does.
  auto find = [&](int id) -> CaseResult* {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &cases[it->second];
  };

  auto param_bytes = read_table(h5::params_table());
  for (RowReader r(h5::params_table(), param_bytes); r.next();) {
    CaseResult* c = find(r.i32());
    std::string name = r.str();
    double number = r.f64();
    std::string text = r.str();
    if (c) c->params[name] = storage::parse_param(number, text);
  }

  auto metric_bytes = read_table(h5::metrics_table());
  for (RowReader r(h5::metrics_table(), metric_bytes); r.next();) {
    CaseResult* c = find(r.i32());
    MetricSummary s;
    s.metric = r.str();
    s.unit = r.str();
    s.better = r.str() == "higher" ? Better::Higher : Better::Lower;
    s.n = static_cast<std::size_t>(std::max<std::int64_t>(0, r.i64()));
    s.min = r.f64();
    s.median = r.f64();
    s.mean = r.f64();
    s.max = r.f64();
    s.stddev = r.f64();
    s.p05 = r.f64();
    s.p95 = r.f64();
    s.ci_low = r.f64();
    s.ci_high = r.f64();
    s.valid = r.i8() != 0;
    s.unstable = r.i8() != 0;
    s.p90 = r.f64();
    s.p99 = r.f64();
    if (c) c->metrics.push_back(std::move(s));
  }

  // Regroup raw samples into one Series per (case, metric, rank), ordered by
  // the stored index; unit and direction come from the metric's summary.
  using SeriesKey = std::tuple<int, std::string, int>;
  std::map<SeriesKey, std::vector<std::pair<int, double>>> points;
  std::vector<std::pair<CaseResult*, SeriesKey>> order;
  auto sample_bytes = read_table(h5::samples_table());
  for (RowReader r(h5::samples_table(), sample_bytes); r.next();) {
    int id = r.i32();
    SeriesKey key{id, r.str(), r.i32()};
    int index = r.i32();
    double value = r.f64();
    CaseResult* c = find(id);
    if (!c) continue;
    auto [it, inserted] = points.try_emplace(key);
    if (inserted) order.emplace_back(c, key);
    it->second.emplace_back(index, value);
  }
  for (auto& [c, key] : order) {
    auto& pts = points[key];
    std::stable_sort(pts.begin(), pts.end(),
                     [](auto& a, auto& b) { return a.first < b.first; });
    Series& s = c->samples.emplace_back();
    s.metric = std::get<1>(key);
    s.rank = std::get<2>(key);
    for (auto& p : pts) s.values.push_back(p.second);
    for (const MetricSummary& m : c->metrics)
      if (m.metric == s.metric) {
        s.unit = m.unit;
        s.better = m.better;
        break;
      }
  }
  return cases;
}

ResultFile Reader::read() {
  open();
  ResultFile out;
  out.info = read_info();
  out.inventory = read_inventory();
  out.cases = read_cases();
  return out;
}

bool Reader::has_comparison() {
  open();
  read_info();  // checks the schema
  return H5Lexists(file_.get(), h5::comparison_table().name, H5P_DEFAULT) > 0;
}

std::optional<std::string> Reader::string_attr_of(hid_t object,
                                                  const char* name) const {
  if (H5Aexists(object, name) <= 0) return std::nullopt;
  Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  if (!attr.valid()) bad(std::string("cannot open attribute ") + name);
  return read_string(attr.get(), true, std::string("attribute ") + name);
}

// Integer or float attributes alike, converted by HDF5.
std::optional<double> Reader::number_attr_of(hid_t object,
                                             const char* name) const {
  if (H5Aexists(object, name) <= 0) return std::nullopt;
  Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  Handle type(attr.valid() ? H5Aget_type(attr.get()) : H5I_INVALID_HID,
              H5Tclose);
  double value = 0;
  H5T_class_t type_class =
      type.valid() ? H5Tget_class(type.get()) : H5T_NO_CLASS;
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT)
    bad(std::string("attribute ") + name + " is not a number");
  check_single(attr.get(), true, std::string("attribute ") + name);
  if (H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &value) < 0)
    bad(std::string("attribute ") + name + " is not a number");
  return value;
}

std::optional<stats::Comparison> Reader::read_comparison() {
  if (!has_comparison()) return std::nullopt;
  stats::Comparison out;
  const TableSpec& rows_spec = h5::comparison_table();
  auto row_bytes = read_table(rows_spec);
  for (RowReader r(rows_spec, row_bytes); r.next();) {
    stats::ComparisonRow& row = out.rows.emplace_back();
    row.key = r.str();
    row.metric = r.str();
    row.baseline_median = r.f64();
    row.current_median = r.f64();
    row.ratio = r.f64();
    row.p_value = r.f64();
    std::string verdict = r.str();
    auto parsed = storage::parse_verdict(verdict);
    if (!parsed) bad("unknown verdict '" + verdict + "' in /comparison");
    row.verdict = *parsed;
    row.unit = r.str();
    row.better = r.str() == "higher" ? Better::Higher : Better::Lower;
    row.ratio_ci_low = r.f64();
    row.ratio_ci_high = r.f64();
    row.n_baseline =
        static_cast<std::size_t>(std::max<std::int64_t>(0, r.i64()));
    row.n_current =
        static_cast<std::size_t>(std::max<std::int64_t>(0, r.i64()));
    row.reason = r.str();
    row.benchmark = r.str();
    row.kind = r.str();
  }
  // Written together with /comparison; a file without it still reads.
  const TableSpec& kinds_spec = h5::comparison_by_kind_table();
  if (H5Lexists(file_.get(), kinds_spec.name, H5P_DEFAULT) > 0) {
    auto kind_bytes = read_table(kinds_spec);
    for (RowReader r(kinds_spec, kind_bytes); r.next();) {
      stats::KindChange& k = out.by_kind.emplace_back();
      k.kind = r.str();
      k.geomean_ratio = r.f64();
      k.metrics = static_cast<std::size_t>(std::max<std::int64_t>(0, r.i64()));
    }
  }
  return out;
}

std::optional<ComparisonInfo> Reader::read_comparison_info() {
  if (!has_comparison()) return std::nullopt;
  Handle set(H5Dopen2(file_.get(), h5::comparison_table().name, H5P_DEFAULT),
             H5Dclose);
  if (!set.valid()) bad("cannot open /comparison");
  ComparisonInfo info;
  info.baseline_path = string_attr_of(set.get(), "baseline").value_or("");
  info.baseline_created_utc =
      string_attr_of(set.get(), "baseline_created_utc").value_or("");
  info.threshold =
      number_attr_of(set.get(), "threshold").value_or(info.threshold);
  info.alpha = number_attr_of(set.get(), "alpha").value_or(info.alpha);
  info.min_samples = static_cast<std::size_t>(
      std::max(0.0, number_attr_of(set.get(), "min_samples")
                        .value_or(static_cast<double>(info.min_samples))));
  return info;
}

}  // namespace

namespace {

// A resumed run appends: a key's last row is its result. Keeps each key once,
// at the place of its last row.
void keep_last_per_key(std::vector<CaseResult>& cases) {
  std::map<std::string, std::size_t> last;
  for (std::size_t i = 0; i < cases.size(); ++i) last[cases[i].key] = i;
  std::vector<CaseResult> kept;
  for (std::size_t i = 0; i < cases.size(); ++i)
    if (last[cases[i].key] == i) kept.push_back(std::move(cases[i]));
  cases = std::move(kept);
}

// A file whose tables are too large for memory is an input problem, not a
// crash: std::bad_alloc becomes the reader's error.
template <typename F>
auto guarded(const std::string& path, F read) {
  try {
    return read();
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::Input,
                path +
                    ": cannot read the result file: not enough memory for "
                    "its tables");
  }
}

}  // namespace

ResultFile read_results(const std::string& path) {
  return guarded(path, [&] {
    ResultFile file = Reader(path).read();
    keep_last_per_key(file.cases);
    return file;
  });
}

std::optional<stats::Comparison> read_comparison(const std::string& path) {
  return guarded(path, [&] { return Reader(path).read_comparison(); });
}

std::optional<ComparisonInfo> read_comparison_info(const std::string& path) {
  return guarded(path, [&] { return Reader(path).read_comparison_info(); });
}

}  // namespace cb
