// Writer and reader together: everything written reads back equal, and the
// failure modes (killed writer, unwritable path, foreign files) behave as
// DESIGN.md "Results in HDF5" promises.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "sample_results.hpp"
#include "storage/hdf5_reader.hpp"
#include "storage/hdf5_writer.hpp"

namespace cb {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class storageHdf5 : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cb_storage_XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name) const { return dir_ / name; }

  fs::path dir_;
};

void expect_same(const RunInfo& a, const RunInfo& b) {
  EXPECT_EQ(a.tool_version, b.tool_version);
  EXPECT_EQ(a.git_commit, b.git_commit);
  EXPECT_EQ(a.created_utc, b.created_utc);
  EXPECT_EQ(a.command_line, b.command_line);
  EXPECT_EQ(a.mpi_library, b.mpi_library);
  EXPECT_EQ(a.mpi_thread_level, b.mpi_thread_level);
  EXPECT_EQ(a.backends_built, b.backends_built);
  EXPECT_EQ(a.slurm_job_id, b.slurm_job_id);
  EXPECT_EQ(a.world_size, b.world_size);
  EXPECT_EQ(a.n_nodes, b.n_nodes);
  EXPECT_EQ(a.suite_text, b.suite_text);
}

void expect_same(const Inventory& a, const Inventory& b) {
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    const NodeInfo &x = a.nodes[i], &y = b.nodes[i];
    EXPECT_EQ(x.node_id, y.node_id);
    EXPECT_EQ(x.hostname, y.hostname);
    EXPECT_EQ(x.cpu_model, y.cpu_model);
    EXPECT_EQ(x.packages, y.packages);
    EXPECT_EQ(x.cores, y.cores);
    EXPECT_EQ(x.pus, y.pus);
    EXPECT_EQ(x.numa_nodes, y.numa_nodes);
    EXPECT_EQ(x.l3_bytes, y.l3_bytes);
    EXPECT_EQ(x.mem_bytes, y.mem_bytes);
  }
  ASSERT_EQ(a.ranks.size(), b.ranks.size());
  for (std::size_t i = 0; i < a.ranks.size(); ++i) {
    const RankInfo &x = a.ranks[i], &y = b.ranks[i];
    EXPECT_EQ(x.rank, y.rank);
    EXPECT_EQ(x.node_id, y.node_id);
    EXPECT_EQ(x.local_rank, y.local_rank);
    EXPECT_EQ(x.cpuset, y.cpuset);
    EXPECT_EQ(x.bound_pus, y.bound_pus);  // recomputed from the cpuset
    EXPECT_EQ(x.pid, y.pid);
    EXPECT_EQ(x.governor, y.governor);
    EXPECT_EQ(x.turbo, y.turbo);
    EXPECT_EQ(x.load_start, y.load_start);
    EXPECT_EQ(x.load_end, y.load_end);
  }
  ASSERT_EQ(a.devices.size(), b.devices.size());
  for (std::size_t i = 0; i < a.devices.size(); ++i) {
    const DeviceInfo &x = a.devices[i], &y = b.devices[i];
    EXPECT_EQ(x.rank, y.rank);
    EXPECT_EQ(x.backend, y.backend);
    EXPECT_EQ(x.index, y.index);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.uuid, y.uuid);
    EXPECT_EQ(x.pci_bus_id, y.pci_bus_id);
    EXPECT_EQ(x.mem_bytes, y.mem_bytes);
    EXPECT_EQ(x.compute_units, y.compute_units);
    EXPECT_EQ(x.clock_mhz, y.clock_mhz);
    EXPECT_EQ(x.driver_version, y.driver_version);
    EXPECT_EQ(x.numa_node, y.numa_node);
    EXPECT_EQ(x.status, y.status);
  }
}

void expect_same(const MetricSummary& x, const MetricSummary& y) {
  EXPECT_EQ(x.metric, y.metric);
  EXPECT_EQ(x.unit, y.unit);
  EXPECT_EQ(x.better, y.better);
  EXPECT_EQ(x.n, y.n);
  EXPECT_EQ(x.min, y.min);
  EXPECT_EQ(x.median, y.median);
  EXPECT_EQ(x.mean, y.mean);
  EXPECT_EQ(x.max, y.max);
  EXPECT_EQ(x.stddev, y.stddev);
  EXPECT_EQ(x.p05, y.p05);
  EXPECT_EQ(x.p95, y.p95);
  EXPECT_EQ(x.p90, y.p90);
  EXPECT_EQ(x.p99, y.p99);
  EXPECT_EQ(x.ci_low, y.ci_low);
  EXPECT_EQ(x.ci_high, y.ci_high);
  EXPECT_EQ(x.valid, y.valid);
}

void expect_same(const CaseResult& a, const CaseResult& b) {
  SCOPED_TRACE("case " + a.key);
  EXPECT_EQ(a.case_id, b.case_id);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.benchmark, b.benchmark);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.scope, b.scope);
  EXPECT_EQ(a.backend, b.backend);
  EXPECT_EQ(a.device_name, b.device_name);
  EXPECT_EQ(a.ranks, b.ranks);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.error, b.error);
  EXPECT_EQ(a.wall_s, b.wall_s);
  EXPECT_EQ(a.started_utc, b.started_utc);
  EXPECT_EQ(a.verification, b.verification);
  EXPECT_EQ(a.params, b.params);  // variant ==: the type must match too
  ASSERT_EQ(a.metrics.size(), b.metrics.size());
  for (std::size_t i = 0; i < a.metrics.size(); ++i)
    expect_same(a.metrics[i], b.metrics[i]);
  ASSERT_EQ(a.samples.size(), b.samples.size());
  for (std::size_t i = 0; i < a.samples.size(); ++i) {
    const Series &x = a.samples[i], &y = b.samples[i];
    EXPECT_EQ(x.metric, y.metric);
    EXPECT_EQ(x.unit, y.unit);
    EXPECT_EQ(x.better, y.better);
    EXPECT_EQ(x.rank, y.rank);
    EXPECT_EQ(x.values, y.values);
  }
}

void write_file(const std::string& path, const std::vector<CaseResult>& cases,
                bool finish) {
  Hdf5Writer writer(path, sample::sample_run_info(),
                    sample::sample_inventory());
  for (const CaseResult& c : cases) writer.append(c);
  if (finish) writer.finish("2024-05-01T12:01:00Z");
}

TEST_F(storageHdf5, RoundTripKeepsEveryField) {
  auto cases = sample::sample_cases();
  write_file(file("run.h5"), cases, true);

  ResultFile back = read_results(file("run.h5"));
  // Writer and reader closed every HDF5 object they opened.
  EXPECT_EQ(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
  expect_same(sample::sample_run_info(), back.info);
  EXPECT_EQ(back.info.status, "complete");
  EXPECT_EQ(back.info.finished_utc, "2024-05-01T12:01:00Z");
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  EXPECT_EQ(back.info.hdf5_version, std::to_string(major) + "." +
                                        std::to_string(minor) + "." +
                                        std::to_string(release));
  expect_same(sample::sample_inventory(), back.inventory);
  ASSERT_EQ(back.cases.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i)
    expect_same(cases[i], back.cases[i]);
}

TEST_F(storageHdf5, ParamTypesSurviveTheLongForm) {
  CaseResult c;
  c.params = {{"whole_float", 2.0},
              {"tiny", 1e-300},
              {"big", std::int64_t{9007199254740993}},  // > 2^53
              {"negative", -0.5},
              {"yes", true},
              {"numeric_text", std::string("42")},
              {"empty", std::string("")}};
  write_file(file("params.h5"), {c}, true);
  EXPECT_EQ(read_results(file("params.h5")).cases.at(0).params, c.params);
}

TEST_F(storageHdf5, EmptyRunIsValid) {
  write_file(file("empty.h5"), {}, true);
  ResultFile back = read_results(file("empty.h5"));
  EXPECT_TRUE(back.cases.empty());
  EXPECT_EQ(back.inventory.ranks.size(), 4u);
}

TEST_F(storageHdf5, LongTextIsCutAtACharacterBoundary) {
  CaseResult c;
  c.status = CaseStatus::Failed;
  for (int i = 0; i < 600; ++i) c.error += "é";  // 2 bytes each
  write_file(file("long.h5"), {c}, true);
  std::string error = read_results(file("long.h5")).cases.at(0).error;
  EXPECT_EQ(error.size(), 1024u);
  EXPECT_EQ(error, c.error.substr(0, 1024));
}

TEST_F(storageHdf5, WithoutFinishTheFileIsPartialWithEveryCase) {
  auto cases = sample::sample_cases();
  write_file(file("partial.h5"), cases, false);
  ResultFile back = read_results(file("partial.h5"));
  EXPECT_EQ(back.info.status, "partial");
  EXPECT_EQ(back.info.finished_utc, "");
  ASSERT_EQ(back.cases.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i)
    expect_same(cases[i], back.cases[i]);
}

// A killed job never runs destructors: what was flushed must be readable.
TEST_F(storageHdf5, KilledWriterLeavesEveryAppendedCase) {
  auto cases = sample::sample_cases();
  std::string path = file("killed.h5");
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Hdf5Writer writer(path, sample::sample_run_info(),
                      sample::sample_inventory());
    writer.append(cases[0]);
    writer.append(cases[4]);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ResultFile back = read_results(path);
  EXPECT_EQ(back.info.status, "partial");
  ASSERT_EQ(back.cases.size(), 2u);
  expect_same(cases[0], back.cases[0]);
  expect_same(cases[4], back.cases[1]);
}

void expect_input_error(const std::function<void()>& action,
                        const std::string& needle) {
  try {
    action();
    ADD_FAILURE() << "no cb::Error thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Input);
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
        << e.what();
  }
}

TEST_F(storageHdf5, UnwritablePathThrowsInputNamingIt) {
  std::string path = file("missing_dir/run.h5");
  expect_input_error(
      [&] { Hdf5Writer w(path, sample::sample_run_info(), Inventory{}); },
      "cannot create result file '" + path + "'");
}

TEST_F(storageHdf5, AnExistingFileIsRefusedAndKept) {
  auto cases = sample::sample_cases();
  write_file(file("run.h5"), cases, true);
  expect_input_error(
      [&] {
        Hdf5Writer w(file("run.h5"), sample::sample_run_info(), Inventory{});
      },
      "cannot create result file '" + file("run.h5") + "': it exists");
  EXPECT_EQ(read_results(file("run.h5")).cases.size(), cases.size());
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// --force: the old file stays whole until a case that measured something is
// stored; a skipped case is not worth it.
TEST_F(storageHdf5, ReplacingKeepsTheOldFileUntilTheFirstCase) {
  auto cases = sample::sample_cases();
  write_file(file("run.h5"), cases, true);
  auto skipped = std::find_if(cases.begin(), cases.end(), [](const auto& c) {
    return c.status == CaseStatus::Skipped;
  });
  ASSERT_NE(skipped, cases.end());
  {
    Hdf5Writer writer(file("run.h5"), sample::sample_run_info(),
                      sample::sample_inventory(), Existing::ReplaceOnFirstCase);
    EXPECT_FALSE(writer.in_place());
    writer.append(*skipped);
    EXPECT_FALSE(writer.in_place());
    EXPECT_EQ(read_results(file("run.h5")).cases.size(), cases.size());
    writer.append(cases[0]);
    EXPECT_TRUE(writer.in_place());
  }
  ResultFile back = read_results(file("run.h5"));
  EXPECT_EQ(back.info.status, "partial");
  ASSERT_EQ(back.cases.size(), 2u);
  expect_same(cases[0], back.cases[1]);
  EXPECT_EQ(names_in(dir_), std::vector<std::string>{"run.h5"});
}

TEST_F(storageHdf5, AReplacementWithoutACaseLeavesTheOldFileAsItWas) {
  auto cases = sample::sample_cases();
  write_file(file("run.h5"), cases, true);
  auto size_before = fs::file_size(file("run.h5"));
  {
    Hdf5Writer writer(file("run.h5"), sample::sample_run_info(),
                      sample::sample_inventory(), Existing::ReplaceOnFirstCase);
    EXPECT_EQ(names_in(dir_).size(), 2u);  // run.h5 and its staging file
  }
  EXPECT_EQ(names_in(dir_), std::vector<std::string>{"run.h5"});
  EXPECT_EQ(fs::file_size(file("run.h5")), size_before);
  ResultFile back = read_results(file("run.h5"));
  EXPECT_EQ(back.info.status, "complete");
  EXPECT_EQ(back.cases.size(), cases.size());
}

TEST_F(storageHdf5, AReplacementFinishedWithoutCasesReplaces) {
  write_file(file("run.h5"), sample::sample_cases(), true);
  {
    Hdf5Writer writer(file("run.h5"), sample::sample_run_info(),
                      sample::sample_inventory(), Existing::ReplaceOnFirstCase);
    writer.finish("2024-05-01T12:01:00Z");
    EXPECT_TRUE(writer.in_place());
  }
  EXPECT_TRUE(read_results(file("run.h5")).cases.empty());
  EXPECT_EQ(names_in(dir_), std::vector<std::string>{"run.h5"});
}

TEST_F(storageHdf5, MissingFileThrowsInput) {
  expect_input_error([&] { read_results(file("nope.h5")); },
                     file("nope.h5") + ": not a clusterbench result file");
}

TEST_F(storageHdf5, NonHdf5FileThrowsInput) {
  std::ofstream(file("text.h5")) << "[suite]\nname = \"x\"\n";
  expect_input_error([&] { read_results(file("text.h5")); },
                     "not a clusterbench result file");
}

TEST_F(storageHdf5, TruncatedFileThrowsInput) {
  write_file(file("cut.h5"), sample::sample_cases(), true);
  fs::resize_file(file("cut.h5"), fs::file_size(file("cut.h5")) / 2);
  expect_input_error([&] { read_results(file("cut.h5")); },
                     "not a clusterbench result file");
  EXPECT_EQ(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
}

TEST_F(storageHdf5, ForeignHdf5FileThrowsInput) {
  hid_t f = H5Fcreate(file("other.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT,
                      H5P_DEFAULT);
  ASSERT_GE(f, 0);
  H5Fclose(f);
  expect_input_error([&] { read_results(file("other.h5")); },
                     "no 'schema' attribute");
}

// Overwrites one integer root attribute of a file we wrote.
void set_int_attr(const std::string& path, const char* name, int value) {
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  hid_t a = H5Aopen(f, name, H5P_DEFAULT);
  ASSERT_GE(a, 0);
  EXPECT_GE(H5Awrite(a, H5T_NATIVE_INT, &value), 0);
  H5Aclose(a);
  H5Fclose(f);
}

TEST_F(storageHdf5, OtherSchemaVersionThrowsInput) {
  write_file(file("v2.h5"), {}, true);
  set_int_attr(file("v2.h5"), "schema_version", 2);
  expect_input_error([&] { read_results(file("v2.h5")); },
                     "schema_version is 2");
}

TEST_F(storageHdf5, OtherSchemaNameThrowsInput) {
  write_file(file("named.h5"), {}, true);
  hid_t f = H5Fopen(file("named.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  hid_t a = H5Aopen(f, "schema", H5P_DEFAULT);
  hid_t t = H5Aget_type(a);
  const char* other = "nccl-tests";
  EXPECT_GE(H5Awrite(a, t, &other), 0);
  H5Tclose(t);
  H5Aclose(a);
  H5Fclose(f);
  expect_input_error([&] { read_results(file("named.h5")); },
                     "schema is 'nccl-tests'");
}

// Rewrites table /`table` of a file we wrote without the columns in `drop`,
// the way a file from before those columns were added looks.
void drop_columns(const std::string& path, const char* table,
                  const std::vector<std::string>& drop) {
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  hid_t set = H5Dopen2(f, table, H5P_DEFAULT);
  ASSERT_GE(set, 0);
  hid_t file_type = H5Dget_type(set);
  hid_t space = H5Dget_space(set);
  // The kept members, packed in their order in the file.
  std::vector<std::pair<std::string, hid_t>> kept;
  std::size_t size = 0;
  for (int i = 0; i < H5Tget_nmembers(file_type); ++i) {
    char* name = H5Tget_member_name(file_type, static_cast<unsigned>(i));
    std::string member = name;
    H5free_memory(name);
    hid_t member_type = H5Tget_member_type(file_type, static_cast<unsigned>(i));
    if (std::find(drop.begin(), drop.end(), member) != drop.end()) {
      H5Tclose(member_type);
      continue;
    }
    kept.emplace_back(member, member_type);
    size += H5Tget_size(member_type);
  }
  ASSERT_EQ(kept.size() + drop.size(),
            static_cast<std::size_t>(H5Tget_nmembers(file_type)));
  hid_t old_type = H5Tcreate(H5T_COMPOUND, size);
  std::size_t offset = 0;
  for (auto& [member, member_type] : kept) {
    EXPECT_GE(H5Tinsert(old_type, member.c_str(), offset, member_type), 0);
    offset += H5Tget_size(member_type);
    H5Tclose(member_type);
  }
  hssize_t rows = H5Sget_simple_extent_npoints(space);
  std::vector<char> bytes(static_cast<std::size_t>(rows) * size + 1);
  if (rows > 0) {
    EXPECT_GE(
        H5Dread(set, old_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()), 0);
  }
  H5Dclose(set);
  EXPECT_GE(H5Ldelete(f, table, H5P_DEFAULT), 0);
  // Contiguous, fixed size: the writer's space is extendible (chunked).
  hsize_t dims = static_cast<hsize_t>(rows);
  hid_t fixed = H5Screate_simple(1, &dims, nullptr);
  hid_t again = H5Dcreate2(f, table, old_type, fixed, H5P_DEFAULT, H5P_DEFAULT,
                           H5P_DEFAULT);
  H5Sclose(fixed);
  ASSERT_GE(again, 0);
  if (rows > 0) {
    EXPECT_GE(
        H5Dwrite(again, old_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()),
        0);
  }
  H5Dclose(again);
  H5Sclose(space);
  H5Tclose(old_type);
  H5Tclose(file_type);
  H5Fclose(f);
}

// Files written by schema_version 1 before the trailing optional columns
// (/ranks governor..load_end, /metrics unstable, /cases verification) were
// added still read.
TEST_F(storageHdf5, FileWithoutOptionalColumnsReadsWithDefaults) {
  auto cases = sample::sample_cases();
  for (CaseResult& c : cases)
    for (MetricSummary& m : c.metrics) m.unstable = true;
  Inventory inv = sample::sample_inventory();
  for (RankInfo& r : inv.ranks) {
    r.governor = "performance";
    r.turbo = "on";
    r.load_start = 0.5;
    r.load_end = 1.5;
  }
  {
    Hdf5Writer writer(file("old.h5"), sample::sample_run_info(), inv);
    for (const CaseResult& c : cases) writer.append(c);
    writer.finish("2024-05-01T12:01:00Z");
  }
  drop_columns(file("old.h5"), "ranks",
               {"governor", "turbo", "load_start", "load_end"});
  drop_columns(file("old.h5"), "metrics", {"unstable"});
  drop_columns(file("old.h5"), "cases", {"verification"});

  ResultFile back = read_results(file("old.h5"));
  EXPECT_EQ(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
  for (RankInfo& r : inv.ranks) {
    r.governor = "";
    r.turbo = "";
    r.load_start = -1;
    r.load_end = -1;
  }
  expect_same(inv, back.inventory);
  ASSERT_EQ(back.cases.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    cases[i].verification = "";
    expect_same(cases[i], back.cases[i]);
    for (const MetricSummary& m : back.cases[i].metrics)
      EXPECT_FALSE(m.unstable) << m.metric;
  }
}

TEST_F(storageHdf5, FileWithoutARequiredColumnThrowsInput) {
  write_file(file("nomedian.h5"), sample::sample_cases(), true);
  drop_columns(file("nomedian.h5"), "metrics", {"median"});
  expect_input_error([&] { read_results(file("nomedian.h5")); },
                     "/metrics has no column 'median'");
  EXPECT_EQ(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
}

// Files that claim more than they hold (found by fuzzing, docs/reliability.md):
// refused before anything is allocated for them.
TEST_F(storageHdf5, TableClaimingRowsItDoesNotHoldThrowsInput) {
  write_file(file("rows.h5"), sample::sample_cases(), true);
  hid_t f = H5Fopen(file("rows.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  hid_t set = H5Dopen2(f, "samples", H5P_DEFAULT);
  hsize_t rows = hsize_t{1} << 40;  // chunks never written: fill values
  EXPECT_GE(H5Dset_extent(set, &rows), 0);
  H5Dclose(set);
  H5Fclose(f);
  expect_input_error([&] { read_results(file("rows.h5")); },
                     "/samples claims 1099511627776 rows, but the file "
                     "stores only");
}

TEST_F(storageHdf5, HugeStringThrowsInputWithoutAllocatingIt) {
  write_file(file("string.h5"), {}, true);
  hid_t f = H5Fopen(file("string.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  EXPECT_GE(H5Ldelete(f, "suite", H5P_DEFAULT), 0);
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, (std::size_t{1} << 32) - 1);
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t set = H5Dcreate2(f, "suite", type, space, H5P_DEFAULT, H5P_DEFAULT,
                         H5P_DEFAULT);
  EXPECT_GE(set, 0);
  H5Dclose(set);
  H5Sclose(space);
  H5Tclose(type);
  H5Fclose(f);
  expect_input_error([&] { read_results(file("string.h5")); },
                     "/suite is a string of 4294967295 bytes");
}

TEST_F(storageHdf5, ArrayWhereOneValueBelongsThrowsInput) {
  write_file(file("array.h5"), {}, true);
  hid_t f = H5Fopen(file("array.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  EXPECT_GE(H5Adelete(f, "schema_version"), 0);
  hsize_t n = 1000;
  hid_t space = H5Screate_simple(1, &n, nullptr);
  hid_t attr = H5Acreate2(f, "schema_version", H5T_STD_I64LE, space,
                          H5P_DEFAULT, H5P_DEFAULT);
  std::vector<long long> ones(n, 1);
  EXPECT_GE(H5Awrite(attr, H5T_NATIVE_LLONG, ones.data()), 0);
  H5Aclose(attr);
  H5Sclose(space);
  H5Fclose(f);
  expect_input_error([&] { read_results(file("array.h5")); },
                     "attribute schema_version holds 1000 values, not one");
}

}  // namespace
}  // namespace cb
