// Internal to src/storage: the layout of a clusterbench result file (schema
// "clusterbench", version 1, DESIGN.md "Results in HDF5"), shared by the
// writer and the reader so that both agree column by column. Nothing outside
// src/storage includes this (it pulls in hdf5.h).
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace cb::h5 {

inline constexpr const char* kSchemaName = "clusterbench";
inline constexpr int kSchemaVersion = 1;

// Owns one HDF5 identifier and releases it with the matching H5*close, so
// that no early return or exception leaks a handle (leaked file handles keep
// the file open and unflushed).
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer close) : id_(id), close_(close) {}
  Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) {
    other.id_ = H5I_INVALID_HID;
  }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now; returns the close status (negative on failure).
  herr_t reset() noexcept;

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer close_ = nullptr;
};

// Column types allowed by the contract: numbers and fixed-length UTF-8.
enum class ColType { I8, I32, I64, F64, Str };

struct Column {
  const char* name;
  ColType type;
  std::size_t width = 0;  // bytes, strings only (NULLPAD: all usable)
  // Added to schema_version 1 after files were written without it: the
  // reader fills `fill` (numbers; strings are "") where a file lacks it.
  // Optional columns come after every required one (TableSpec checks).
  bool optional = false;
  double fill = 0;
};

// One 1-D compound table. Rows are packed (no padding) both in the file and
// in memory, so every reader sees exactly the contract's columns.
struct TableSpec {
  TableSpec(const char* table_name, std::vector<Column> cols, hsize_t chunk);
  const char* name;
  std::vector<Column> columns;
  hsize_t chunk_rows;
  std::vector<std::size_t> offsets, sizes;
  std::size_t row_size = 0;
};

const TableSpec& nodes_table();
const TableSpec& ranks_table();
const TableSpec& devices_table();
const TableSpec& cases_table();
const TableSpec& params_table();
const TableSpec& metrics_table();
const TableSpec& samples_table();
// Only with a baseline (Hdf5Writer::write_comparison). /comparison starts
// with DESIGN.md's columns; the rest follow so that the file holds the whole
// comparison model.
const TableSpec& comparison_table();
const TableSpec& comparison_by_kind_table();
// Only when the run has cross_model.colocate cases (write_interference).
const TableSpec& interference_table();
// Only when the run has resource_pool.serve cases (write_pool_saturation).
const TableSpec& pool_saturation_table();

// A fixed-length UTF-8 string type of `width` bytes (NULLPAD).
Handle string_type(std::size_t width);
// The packed compound type of a table, used for both file and memory.
Handle compound_type(const TableSpec& table);

// Writes column `column`'s fill value into `field` (row_size layout slot).
void fill_default(const TableSpec& table, std::size_t column, char* field);

// Cuts text to at most `width` bytes without splitting a UTF-8 sequence.
std::string_view utf8_truncate(std::string_view text, std::size_t width);

// The most specific message on the HDF5 error stack (e.g. "Permission
// denied"), for error messages that say why; empty if none.
std::string last_error_reason();

// Packs rows field by field in column order. Types are checked against the
// spec so that a writer drifting from the schema fails loudly in tests.
class RowWriter {
 public:
  explicit RowWriter(const TableSpec& table) : table_(table) {}
  RowWriter& i8(std::int8_t v) { return put(ColType::I8, &v, sizeof v); }
  RowWriter& i32(std::int32_t v) { return put(ColType::I32, &v, sizeof v); }
  RowWriter& i64(std::int64_t v) { return put(ColType::I64, &v, sizeof v); }
  RowWriter& f64(double v) { return put(ColType::F64, &v, sizeof v); }
  RowWriter& str(std::string_view v);
  std::size_t rows() const;
  const void* data() const { return bytes_.data(); }

 private:
  RowWriter& put(ColType type, const void* value, std::size_t size);
  const Column& next_column(ColType type);
  const TableSpec& table_;
  std::vector<char> bytes_;
  std::size_t column_ = 0;
};

// Unpacks rows read with compound_type(), field by field in column order.
class RowReader {
 public:
  RowReader(const TableSpec& table, const std::vector<char>& bytes)
      : table_(table), bytes_(bytes) {}
  std::size_t rows() const { return bytes_.size() / table_.row_size; }
  // Moves to the next row; false at the end.
  bool next();
  std::int8_t i8() { return get<std::int8_t>(ColType::I8); }
  std::int32_t i32() { return get<std::int32_t>(ColType::I32); }
  std::int64_t i64() { return get<std::int64_t>(ColType::I64); }
  double f64() { return get<double>(ColType::F64); }
  std::string str();

 private:
  template <typename T>
  T get(ColType type) {
    T value;
    std::memcpy(&value, field(type), sizeof value);  // rows are unaligned
    return value;
  }
  const char* field(ColType type);
  const TableSpec& table_;
  const std::vector<char>& bytes_;
  std::size_t row_ = 0, column_ = 0;
  bool started_ = false;
};

}  // namespace cb::h5
