#include "storage/hdf5_schema.hpp"

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace cb::h5 {

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    close_ = other.close_;
    other.id_ = H5I_INVALID_HID;
  }
  return *this;
}

herr_t Handle::reset() noexcept {
  herr_t rc = 0;
  if (id_ >= 0 && close_) rc = close_(id_);
  id_ = H5I_INVALID_HID;
  return rc;
}

TableSpec::TableSpec(const char* table_name, std::vector<Column> cols,
                     hsize_t chunk)
    : name(table_name), columns(std::move(cols)), chunk_rows(chunk) {
  bool seen_optional = false;
  for (const Column& c : columns) {
    if (seen_optional && !c.optional)
      throw std::logic_error(std::string("table ") + table_name +
                             ": required column " + c.name +
                             " after an optional one");
    seen_optional = seen_optional || c.optional;
    std::size_t size = 0;
    switch (c.type) {
      case ColType::I8: size = 1; break;
      case ColType::I32: size = 4; break;
      case ColType::I64: size = 8; break;
      case ColType::F64: size = 8; break;
      case ColType::Str: size = c.width; break;
    }
    offsets.push_back(row_size);
    sizes.push_back(size);
    row_size += size;
  }
}

// Widths: 64 bytes for names and units, wider where text comes from the
// system (hostnames, cpusets, device names) or from people (errors). Chunk
// sizes aim at tens of kB per chunk; /samples gets by far the most rows.
namespace {
constexpr auto I8 = ColType::I8;
constexpr auto I32 = ColType::I32;
constexpr auto I64 = ColType::I64;
constexpr auto F64 = ColType::F64;
constexpr auto S = ColType::Str;
}  // namespace

const TableSpec& nodes_table() {
  static const TableSpec t("nodes",
                           {{"node_id", I32},
                            {"hostname", S, 256},
                            {"cpu_model", S, 128},
                            {"packages", I32},
                            {"cores", I32},
                            {"pus", I32},
                            {"numa_nodes", I32},
                            {"l3_bytes", I64},
                            {"mem_bytes", I64}},
                           64);
  return t;
}

const TableSpec& ranks_table() {
  static const TableSpec t("ranks",
                           {{"rank", I32},
                            {"node_id", I32},
                            {"local_rank", I32},
                            {"cpuset", S, 256},
                            {"pid", I64},
                            {"governor", S, 32, true},
                            {"turbo", S, 8, true},
                            {"load_start", F64, 0, true, -1},
                            {"load_end", F64, 0, true, -1}},
                           256);
  return t;
}

const TableSpec& devices_table() {
  static const TableSpec t("devices",
                           {{"rank", I32},
                            {"backend", S, 32},
                            {"index", I32},
                            {"name", S, 128},
                            {"uuid", S, 64},
                            {"pci_bus_id", S, 32},
                            {"mem_bytes", I64},
                            {"compute_units", I32},
                            {"clock_mhz", F64},
                            {"driver_version", S, 64},
                            {"status", S, 256},
                            {"numa_node", I32, 0, true, -1}},
                           64);
  return t;
}

// The key is the identity used to match a baseline, so it gets room for many
// parameters rather than being cut.
const TableSpec& cases_table() {
  static const TableSpec t("cases",
                           {{"case_id", I32},
                            {"key", S, 512},
                            {"benchmark", S, 64},
                            {"kind", S, 32},
                            {"scope", S, 16},
                            {"backend", S, 32},
                            {"device_name", S, 128},
                            {"ranks", S, 256},
                            {"status", S, 16},
                            {"error", S, 1024},
                            {"wall_s", F64},
                            {"started_utc", S, 32},
                            {"verification", S, 1024, true}},
                           32);
  return t;
}

const TableSpec& params_table() {
  static const TableSpec t("params",
                           {{"case_id", I32},
                            {"name", S, 64},
                            {"value_num", F64},
                            {"value_str", S, 256}},
                           256);
  return t;
}

const TableSpec& metrics_table() {
  static const TableSpec t("metrics",
                           {{"case_id", I32},
                            {"metric", S, 64},
                            {"unit", S, 64},
                            {"better", S, 8},
                            {"n", I64},
                            {"min", F64},
                            {"median", F64},
                            {"mean", F64},
                            {"max", F64},
                            {"stddev", F64},
                            {"p05", F64},
                            {"p95", F64},
                            {"ci_low", F64},
                            {"ci_high", F64},
                            {"valid", I8},
                            {"unstable", I8, 0, true, 0},
                            {"p90", F64, 0, true, NAN},
                            {"p99", F64, 0, true, NAN}},
                           256);
  return t;
}

const TableSpec& samples_table() {
  static const TableSpec t("samples",
                           {{"case_id", I32},
                            {"metric", S, 64},
                            {"rank", I32},
                            {"index", I32},
                            {"value", F64}},
                           2048);
  return t;
}

// Keys as wide as in /cases, so that a row matches its case.
const TableSpec& comparison_table() {
  static const TableSpec t("comparison",
                           {{"key", S, 512},
                            {"metric", S, 64},
                            {"baseline_median", F64},
                            {"current_median", F64},
                            {"ratio", F64},
                            {"p_value", F64},
                            {"verdict", S, 16},
                            {"unit", S, 64},
                            {"better", S, 8},
                            {"ratio_ci_low", F64},
                            {"ratio_ci_high", F64},
                            {"n_baseline", I64},
                            {"n_current", I64},
                            {"reason", S, 512},
                            {"benchmark", S, 64},
                            {"kind", S, 32}},
                           128);
  return t;
}

const TableSpec& comparison_by_kind_table() {
  static const TableSpec t(
      "comparison_by_kind",
      {{"kind", S, 32}, {"geomean_ratio", F64}, {"metrics", I64}}, 16);
  return t;
}

// Derived from cross_model.colocate cases (stats/interference): row `model`
// timed next to `beside` (another model, or "all" of them).
const TableSpec& interference_table() {
  static const TableSpec t("interference",
                           {{"case_id", I32},
                            {"model", S, 64},
                            {"beside", S, 64},
                            {"solo_latency", F64},
                            {"shared_latency", F64},
                            {"slowdown", F64},
                            {"solo_throughput", F64},
                            {"shared_throughput", F64}},
                           64);
  return t;
}

// Derived from resource_pool.serve sweeps over contexts (stats/
// pool_saturation): one row per K of each sweep, the sweep's saturation K
// repeated on each.
const TableSpec& pool_saturation_table() {
  static const TableSpec t("pool_saturation",
                           {{"params", S, 1024},
                            {"contexts", I64},
                            {"throughput", F64},
                            {"latency_p50", F64},
                            {"latency_p99", F64},
                            {"queue_delay_p50", F64},
                            {"pool_overhead_p50", F64},
                            {"saturation_contexts", I64},
                            {"saturated", I8}},
                           64);
  return t;
}

Handle string_type(std::size_t width) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  if (!type.valid() || H5Tset_size(type.get(), width) < 0 ||
      H5Tset_cset(type.get(), H5T_CSET_UTF8) < 0 ||
      H5Tset_strpad(type.get(), H5T_STR_NULLPAD) < 0)
    return {};
  return type;
}

Handle compound_type(const TableSpec& table) {
  Handle type(H5Tcreate(H5T_COMPOUND, table.row_size), H5Tclose);
  if (!type.valid()) return {};
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const Column& c = table.columns[i];
    Handle str;
    hid_t member = H5I_INVALID_HID;
    switch (c.type) {
      case ColType::I8: member = H5T_NATIVE_INT8; break;
      case ColType::I32: member = H5T_NATIVE_INT32; break;
      case ColType::I64: member = H5T_NATIVE_INT64; break;
      case ColType::F64: member = H5T_NATIVE_DOUBLE; break;
      case ColType::Str:
        str = string_type(c.width);
        member = str.get();
        break;
    }
    if (member < 0 ||
        H5Tinsert(type.get(), c.name, table.offsets[i], member) < 0)
      return {};
  }
  return type;
}

void fill_default(const TableSpec& table, std::size_t column, char* field) {
  const Column& c = table.columns.at(column);
  auto put = [&](auto value) { std::memcpy(field, &value, sizeof value); };
  switch (c.type) {
    case ColType::I8: put(static_cast<std::int8_t>(c.fill)); break;
    case ColType::I32: put(static_cast<std::int32_t>(c.fill)); break;
    case ColType::I64: put(static_cast<std::int64_t>(c.fill)); break;
    case ColType::F64: put(c.fill); break;
    case ColType::Str: std::memset(field, 0, c.width); break;
  }
}

std::string_view utf8_truncate(std::string_view text, std::size_t width) {
  if (text.size() <= width) return text;
  std::size_t cut = width;
  // Back off over continuation bytes (10xxxxxx) so a sequence stays whole.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  return text.substr(0, cut);
}

namespace {
herr_t take_first(unsigned, const H5E_error2_t* error, void* data) {
  auto* out = static_cast<std::string*>(data);
  if (out->empty() && error->desc) *out = error->desc;
  return 0;
}
}  // namespace

std::string last_error_reason() {
  std::string desc;
  // Upward starts at the most specific error (the system call's).
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, take_first, &desc);
  // File errors embed the OS message: "..., error message = 'No such file
  // or directory', ...": that part is what a user needs.
  const std::string marker = "error message = '";
  if (auto at = desc.find(marker); at != std::string::npos) {
    auto begin = at + marker.size();
    auto end = desc.find('\'', begin);
    if (end != std::string::npos) return desc.substr(begin, end - begin);
  }
  return desc;
}

const Column& RowWriter::next_column(ColType type) {
  const Column& c = table_.columns.at(column_);
  if (c.type != type)
    throw std::logic_error(std::string("table ") + table_.name + ": column " +
                           c.name + " written with the wrong type");
  column_ = (column_ + 1) % table_.columns.size();
  return c;
}

RowWriter& RowWriter::put(ColType type, const void* value, std::size_t size) {
  next_column(type);
  const char* p = static_cast<const char*>(value);
  bytes_.insert(bytes_.end(), p, p + size);
  return *this;
}

RowWriter& RowWriter::str(std::string_view v) {
  const Column& c = next_column(ColType::Str);
  std::string_view cut = utf8_truncate(v, c.width);
  bytes_.insert(bytes_.end(), cut.begin(), cut.end());
  bytes_.insert(bytes_.end(), c.width - cut.size(), '\0');
  return *this;
}

std::size_t RowWriter::rows() const {
  if (column_ != 0)
    throw std::logic_error(std::string("table ") + table_.name +
                           ": incomplete row");
  return bytes_.size() / table_.row_size;
}

bool RowReader::next() {
  if (started_) ++row_;
  started_ = true;
  column_ = 0;
  return row_ < rows();
}

const char* RowReader::field(ColType type) {
  const Column& c = table_.columns.at(column_);
  if (c.type != type)
    throw std::logic_error(std::string("table ") + table_.name + ": column " +
                           c.name + " read with the wrong type");
  const char* p =
      bytes_.data() + row_ * table_.row_size + table_.offsets[column_];
  ++column_;
  return p;
}

std::string RowReader::str() {
  std::size_t width = table_.columns.at(column_).width;
  const char* p = field(ColType::Str);
  return std::string(p, strnlen(p, width));
}

}  // namespace cb::h5
