#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/suite.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

using Values = std::vector<ParamValue>;
using I = std::int64_t;

ParamSpec param(std::string name, ParamType type, ParamValue default_value,
                std::vector<std::string> choices = {},
                std::vector<std::string> aliases = {}) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.default_value = std::move(default_value);
  spec.doc = "test parameter";
  spec.choices = std::move(choices);
  spec.aliases = std::move(aliases);
  return spec;
}

BenchmarkInfo info(std::string name, Kind kind,
                   std::vector<std::string> backends,
                   std::vector<ParamSpec> params) {
  BenchmarkInfo out;
  out.name = std::move(name);
  out.kind = kind;
  out.backends = std::move(backends);
  out.params = std::move(params);
  return out;
}

// A registry of its own (not the singleton) with three fake benchmarks.
Registry make_registry() {
  Registry registry;
  auto none = [] { return std::unique_ptr<Benchmark>(); };
  registry.add(info("distributed.allreduce", Kind::Distributed, {"mpi"},
                    {param("size", ParamType::Bytes, I{1 << 20}, {}, {"sizes"}),
                     param("dtype", ParamType::String, std::string("float32"),
                           {"float32", "float64", "int32"}),
                     param("in_place", ParamType::Bool, false)}),
               none);
  registry.add(info("hardware.stream", Kind::Hardware, {"cpu"},
                    {param("array_size", ParamType::Bytes, I{64 << 20}),
                     param("threads", ParamType::Int, I{0}),
                     param("scalar", ParamType::Float, 3.0)}),
               none);
  registry.add(
      info("model.transformer", Kind::Model, {"cpu", "cuda"},
           {param("preset", ParamType::String, std::string("bert-tiny"),
                  {"bert-tiny", "gpt2-small", "llama-7b"}),
            param("batch", ParamType::Int, I{1})}),
      none);
  // Open preset parameters: resolved from [presets] tables.
  registry.add(info("model.with_presets", Kind::Model, {"cpu"},
                    {param("preset", ParamType::String, std::string("custom")),
                     param("family", ParamType::String, std::string("bert"),
                           {"bert", "gpt2"}),
                     param("layers", ParamType::Int, I{1}),
                     param("hidden", ParamType::Int, I{8})}),
               none);
  registry.add(
      info("cross_model.colocate", Kind::CrossModel, {"cpu"},
           {param("models", ParamType::String, std::string("")),
            param("model_shapes", ParamType::String, std::string(""))}),
      none);
  return registry;
}

const Registry& registry() {
  static const Registry r = make_registry();
  return r;
}

Suite parse(const std::string& text) {
  return parse_suite(text, "suite.toml", registry());
}

// Asserts that `text` fails with a message starting "suite.toml:<line>: "
// (line 0: "suite.toml: ") and containing every one of `parts`.
void expect_error(const std::string& text, int line,
                  const std::vector<std::string>& parts) {
  SCOPED_TRACE(text);
  try {
    parse(text);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::Input);
    std::string prefix = line == 0
                             ? std::string("suite.toml: ")
                             : "suite.toml:" + std::to_string(line) + ": ";
    EXPECT_EQ(message.rfind(prefix, 0), 0u) << message;
    for (const auto& part : parts)
      EXPECT_NE(message.find(part), std::string::npos)
          << "missing \"" << part << "\" in: " << message;
  }
}

const char* const kSuite = "[suite]\nname = \"t\"\n";  // two lines

// A suite whose line 3 is "[[benchmark]]" and line 4 names `bench`; `body`
// starts on line 5.
std::string with_entry(const std::string& bench, const std::string& body) {
  return std::string(kSuite) + "[[benchmark]]\nname = \"" + bench + "\"\n" +
         body;
}

// The example of DESIGN.md, "Suite file", verbatim.
const char* const kDesignExample = R"(
[suite]
name = "smoke"
description = "CI smoke test for mpirun -np 2, under a minute"
warmup = 2                  # iterations not counted
min_samples = 5             # samples per case before stopping may be considered
max_samples = 50
max_time_s = 2.0            # per case; stop earlier when the estimate is precise enough
target_rel_ci = 0.02        # stop when the 95% CI of the median is within +-2%
isolation = "node"          # "node": local cases on one node run one at a time; "rank": concurrently

[[benchmark]]
name = "distributed.allreduce"   # a registered benchmark: <kind>.<name>
sizes = "8B:1MiB:x4"        # sweep syntax: list, or start:stop:xFACTOR / +STEP
dtype = "float32"

[[benchmark]]
name = "model.transformer"
backend = ["cpu", "cuda"]   # expands per available device; a missing backend is a "skipped" case with a reason
preset = ["bert-tiny", "gpt2-small"]
batch = [1, 8]
)";

// ---- valid suites --------------------------------------------------------

TEST(SuiteLoader, DesignExampleParses) {
  Suite suite = parse(kDesignExample);
  EXPECT_EQ(suite.path, "suite.toml");
  EXPECT_EQ(suite.text, kDesignExample);
  EXPECT_EQ(suite.name, "smoke");
  EXPECT_EQ(suite.description,
            "CI smoke test for mpirun -np 2, under a minute");
  EXPECT_EQ(suite.isolation, Isolation::Node);
  EXPECT_EQ(suite.measure.warmup, 2);
  EXPECT_EQ(suite.measure.min_samples, 5);
  EXPECT_EQ(suite.measure.max_samples, 50);
  EXPECT_DOUBLE_EQ(suite.measure.max_time_s, 2.0);
  EXPECT_DOUBLE_EQ(suite.measure.target_rel_ci, 0.02);
  ASSERT_EQ(suite.benchmarks.size(), 2u);

  const auto& allreduce = suite.benchmarks[0];
  EXPECT_EQ(allreduce.name, "distributed.allreduce");
  EXPECT_EQ(allreduce.line, 12);
  EXPECT_EQ(allreduce.backends, std::vector<std::string>{"mpi"});
  EXPECT_EQ(allreduce.params.at("size"),
            (Values{I{8}, I{32}, I{128}, I{512}, I{2048}, I{8192}, I{32768},
                    I{131072}, I{524288}}));
  EXPECT_EQ(allreduce.params.at("dtype"), Values{std::string("float32")});
  EXPECT_EQ(allreduce.params.at("in_place"), Values{false});
  EXPECT_EQ(allreduce.params.size(), 3u);

  const auto& transformer = suite.benchmarks[1];
  EXPECT_EQ(transformer.line, 17);
  EXPECT_EQ(transformer.backends, (std::vector<std::string>{"cpu", "cuda"}));
  EXPECT_EQ(transformer.params.at("preset"),
            (Values{std::string("bert-tiny"), std::string("gpt2-small")}));
  EXPECT_EQ(transformer.params.at("batch"), (Values{I{1}, I{8}}));

  EXPECT_EQ(case_count(allreduce), 9u);
  EXPECT_EQ(case_count(transformer), 8u);
  EXPECT_EQ(expand(suite).size(), 17u);
}

TEST(SuiteLoader, DefaultsAreFilledIn) {
  Suite suite = parse(with_entry("model.transformer", ""));
  const MeasureSettings defaults;
  EXPECT_EQ(suite.name, "t");
  EXPECT_EQ(suite.description, "");
  EXPECT_EQ(suite.isolation, Isolation::Node);
  EXPECT_EQ(suite.measure.warmup, defaults.warmup);
  EXPECT_EQ(suite.measure.min_samples, defaults.min_samples);
  EXPECT_EQ(suite.measure.max_samples, defaults.max_samples);
  EXPECT_EQ(suite.measure.max_time_s, defaults.max_time_s);
  EXPECT_EQ(suite.measure.target_rel_ci, defaults.target_rel_ci);
  EXPECT_EQ(suite.measure.min_sample_time_s, defaults.min_sample_time_s);
  ASSERT_EQ(suite.benchmarks.size(), 1u);
  const auto& entry = suite.benchmarks[0];
  EXPECT_EQ(entry.line, 3);
  EXPECT_EQ(entry.backends, (std::vector<std::string>{"cpu", "cuda"}));
  EXPECT_EQ(entry.params.at("preset"), Values{std::string("bert-tiny")});
  EXPECT_EQ(entry.params.at("batch"), Values{I{1}});
  EXPECT_EQ(entry.measure.warmup, defaults.warmup);
  EXPECT_EQ(entry.measure.max_time_s, defaults.max_time_s);
}

TEST(SuiteLoader, SuiteSettingsAreRead) {
  Suite suite = parse(R"([suite]
name = "full"
warmup = 0
min_samples = 1
max_samples = 1
max_time_s = 3
target_rel_ci = 0.5
min_sample_time_s = 0.25
isolation = "rank"
[[benchmark]]
name = "hardware.stream"
)");
  EXPECT_EQ(suite.isolation, Isolation::Rank);
  EXPECT_EQ(suite.measure.warmup, 0);
  EXPECT_EQ(suite.measure.min_samples, 1);
  EXPECT_EQ(suite.measure.max_samples, 1);
  EXPECT_DOUBLE_EQ(suite.measure.max_time_s, 3.0);  // an int is accepted
  EXPECT_DOUBLE_EQ(suite.measure.target_rel_ci, 0.5);
  EXPECT_DOUBLE_EQ(suite.measure.min_sample_time_s, 0.25);
  // Entries inherit the [suite] settings.
  EXPECT_EQ(suite.benchmarks[0].measure.max_samples, 1);
  EXPECT_DOUBLE_EQ(suite.benchmarks[0].measure.max_time_s, 3.0);
}

TEST(SuiteLoader, EntriesOverrideMeasureSettings) {
  Suite suite = parse(R"([suite]
name = "o"
warmup = 3
max_time_s = 1.5
[[benchmark]]
name = "hardware.stream"
warmup = 0
min_samples = 10
max_samples = 100
max_time_s = 10
target_rel_ci = 0.1
min_sample_time_s = 0.01
[[benchmark]]
name = "hardware.stream"
threads = 2
)");
  ASSERT_EQ(suite.benchmarks.size(), 2u);
  const auto& first = suite.benchmarks[0].measure;
  EXPECT_EQ(first.warmup, 0);
  EXPECT_EQ(first.min_samples, 10);
  EXPECT_EQ(first.max_samples, 100);
  EXPECT_DOUBLE_EQ(first.max_time_s, 10.0);
  EXPECT_DOUBLE_EQ(first.target_rel_ci, 0.1);
  EXPECT_DOUBLE_EQ(first.min_sample_time_s, 0.01);
  const auto& second = suite.benchmarks[1].measure;
  EXPECT_EQ(second.warmup, 3);
  EXPECT_DOUBLE_EQ(second.max_time_s, 1.5);
  EXPECT_EQ(second.min_samples, MeasureSettings{}.min_samples);
  EXPECT_EQ(suite.measure.warmup, 3);  // [suite] itself is unchanged
  EXPECT_EQ(suite.benchmarks[1].line, 13);
}

TEST(SuiteLoader, ParameterValueForms) {
  Suite suite = parse(with_entry("hardware.stream", R"(
array_size = [1024, "2KiB", "1MiB:4MiB:x2"]
threads = "1:7:+3"
scalar = [1, 2.5]
)") + R"([[benchmark]]
name = "distributed.allreduce"
size = "4KiB"
in_place = [true, false]
dtype = ["int32", "float64"]
[[benchmark]]
name = "distributed.allreduce"
sizes = 4096
)");
  const auto& stream = suite.benchmarks[0].params;
  EXPECT_EQ(stream.at("array_size"),
            (Values{I{1024}, I{2048}, I{1 << 20}, I{2 << 20}, I{4 << 20}}));
  EXPECT_EQ(stream.at("threads"), (Values{I{1}, I{4}, I{7}}));
  EXPECT_EQ(stream.at("scalar"), (Values{1.0, 2.5}));  // ints become floats
  const auto& allreduce = suite.benchmarks[1].params;
  EXPECT_EQ(allreduce.at("size"), Values{I{4096}});
  EXPECT_EQ(allreduce.at("in_place"), (Values{true, false}));
  EXPECT_EQ(allreduce.at("dtype"),
            (Values{std::string("int32"), std::string("float64")}));
  // The alias sets the canonical name.
  EXPECT_EQ(suite.benchmarks[2].params.at("size"), Values{I{4096}});
  EXPECT_EQ(suite.benchmarks[2].params.count("sizes"), 0u);
}

TEST(SuiteLoader, BackendAsStringOrList) {
  Suite suite = parse(with_entry("model.transformer", "backend = \"cuda\"\n"));
  EXPECT_EQ(suite.benchmarks[0].backends, std::vector<std::string>{"cuda"});
  suite =
      parse(with_entry("model.transformer", "backend = [\"cuda\", \"cpu\"]\n"));
  EXPECT_EQ(suite.benchmarks[0].backends,
            (std::vector<std::string>{"cuda", "cpu"}));
}

TEST(SuiteLoader, InlineTablesWork) {
  Suite suite =
      parse("benchmark = [{name = \"hardware.stream\", threads = [1, 2]}]\n" +
            std::string(kSuite));
  ASSERT_EQ(suite.benchmarks.size(), 1u);
  EXPECT_EQ(suite.benchmarks[0].params.at("threads"), (Values{I{1}, I{2}}));
}

TEST(SuiteLoader, LoadSuiteReadsTheFile) {
  auto path = std::filesystem::temp_directory_path() /
              ("cb_config_test_" + std::to_string(::getpid()) + ".toml");
  {
    std::ofstream out(path);
    out << kDesignExample;
  }
  Suite suite = load_suite(path.string(), registry());
  std::filesystem::remove(path);
  EXPECT_EQ(suite.path, path.string());
  EXPECT_EQ(suite.text, kDesignExample);
  EXPECT_EQ(suite.benchmarks.size(), 2u);
}

// ---- expansion -----------------------------------------------------------

TEST(Expand, CartesianProductInBackendThenParamNameOrder) {
  Suite suite = parse(with_entry("model.transformer", R"(
backend = ["cpu", "cuda"]
preset = ["gpt2-small", "bert-tiny"]
batch = [1, 8]
warmup = 7
)") + "[[benchmark]]\nname = \"hardware.stream\"\nthreads = [4, 2]\n");
  std::vector<CaseTemplate> cases = expand(suite);
  ASSERT_EQ(cases.size(), 10u);
  // batch < preset by name: batch is the outer loop, preset the inner one,
  // each in the order the suite lists it.
  const char* expected[] = {
      "cpu batch=1,preset=gpt2-small",  "cpu batch=1,preset=bert-tiny",
      "cpu batch=8,preset=gpt2-small",  "cpu batch=8,preset=bert-tiny",
      "cuda batch=1,preset=gpt2-small", "cuda batch=1,preset=bert-tiny",
      "cuda batch=8,preset=gpt2-small", "cuda batch=8,preset=bert-tiny",
  };
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(cases[i].benchmark, "model.transformer");
    EXPECT_EQ(cases[i].backend + " " + canonical(cases[i].params), expected[i]);
    EXPECT_EQ(cases[i].measure.warmup, 7);
  }
  EXPECT_EQ(cases[8].benchmark, "hardware.stream");
  EXPECT_EQ(cases[8].backend, "cpu");
  EXPECT_EQ(canonical(cases[8].params),
            "array_size=67108864,scalar=3,threads=4");
  EXPECT_EQ(canonical(cases[9].params),
            "array_size=67108864,scalar=3,threads=2");
  EXPECT_EQ(cases[9].measure.warmup, MeasureSettings{}.warmup);
}

TEST(Expand, EntryWithoutParametersGivesOneCasePerBackend) {
  Suite suite;
  BenchmarkEntry entry;
  entry.name = "hardware.none";
  entry.backends = {"cpu", "cuda"};
  suite.benchmarks.push_back(entry);
  EXPECT_EQ(case_count(suite.benchmarks[0]), 2u);
  auto cases = expand(suite);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[1].backend, "cuda");
  EXPECT_TRUE(cases[1].params.empty());
}

TEST(Expand, IsolationNames) {
  EXPECT_STREQ(to_string(Isolation::Node), "node");
  EXPECT_STREQ(to_string(Isolation::Rank), "rank");
}

// ---- errors: files and TOML ----------------------------------------------

TEST(SuiteErrors, MissingFile) {
  try {
    load_suite("/nonexistent/dir/smoke.toml", registry());
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Input);
    EXPECT_STREQ(e.what(),
                 "/nonexistent/dir/smoke.toml: cannot read suite file (No "
                 "such file or directory)");
  }
}

TEST(SuiteErrors, TomlSyntaxKeepsTomlMessage) {
  expect_error("[suite]\nname = \"t\"\nwarmup = \n", 3,
               {"invalid TOML", "suite.toml", "warmup"});
  expect_error("[suite]\nname = \"a\"\nname = \"b\"\n", 3,
               {"invalid TOML", "already exists"});
}

// ---- errors: top level and [suite] ---------------------------------------

TEST(SuiteErrors, TopLevel) {
  expect_error("[[benchmark]]\nname = \"hardware.stream\"\n", 0,
               {"missing [suite] table"});
  expect_error(kSuite, 0, {"no [[benchmark]] entries"});
  expect_error("benchmark = []\n" + std::string(kSuite), 1,
               {"no [[benchmark]] entries"});
  expect_error(std::string(kSuite) + "benchmark = []\n", 3,
               {"[suite]: unknown key 'benchmark'",
                "[[benchmark]] entries are tables of their own"});
  expect_error("suite = 1\n", 1, {"'suite' must be a table"});
  expect_error(
      std::string(kSuite) + "[benchmark]\nname = \"hardware.stream\"\n", 3,
      {"must be an array of tables", "[[benchmark]]"});
  expect_error("benchmark = [1]\n" + std::string(kSuite), 1,
               {"each [[benchmark]] entry must be a table, got the integer 1"});
  expect_error(
      with_entry("hardware.stream", "") +
          "[[benchmarks]]\nname = \"hardware.stream\"\n",
      5, {"unknown top-level key 'benchmarks'", "did you mean 'benchmark'?"});
  expect_error("name = \"x\"\n" + with_entry("hardware.stream", ""), 1,
               {"'name' belongs in the [suite] table"});
}

TEST(SuiteErrors, SuiteKeys) {
  const std::string entry = "[[benchmark]]\nname = \"hardware.stream\"\n";
  expect_error("[suite]\ndescription = \"d\"\n" + entry, 1,
               {"[suite] name: missing"});
  expect_error(
      "[suite]\nname = 3\n" + entry, 2,
      {"[suite] name: expected a non-empty string, got the integer 3"});
  expect_error(std::string(kSuite) + "warmpu = 1\n" + entry, 3,
               {"[suite]: unknown key 'warmpu'", "did you mean 'warmup'?",
                "valid keys: name, description, isolation, presets, warmup"});
  expect_error(
      std::string(kSuite) + "dtype = \"float32\"\n" + entry, 3,
      {"unknown key 'dtype'", "parameters are set in a [[benchmark]] entry"});
  expect_error(std::string(kSuite) + "description = 1\n" + entry, 3,
               {"[suite] description: expected a string"});
}

TEST(SuiteErrors, SuiteValues) {
  struct Case {
    const char* line;
    const char* problem;
  };
  const Case cases[] = {
      {"warmup = -1", "[suite] warmup: must be an integer >= 0, got -1"},
      {"warmup = \"2\"",
       "[suite] warmup: expected an integer >= 0, got the string \"2\""},
      {"warmup = 2.0", "expected an integer >= 0, got the float 2.0"},
      {"warmup = 10000000000", "10000000000 is too large (at most 2147483647)"},
      {"min_samples = 0", "[suite] min_samples: must be an integer >= 1"},
      {"max_samples = 0", "[suite] max_samples: must be an integer >= 1"},
      {"max_time_s = 0",
       "[suite] max_time_s: must be a number of seconds > 0 and at most "
       "604800 (a week), got 0"},
      {"max_time_s = -1.5", "got -1.5"},
      {"max_time_s = inf", "number of seconds > 0 and at most 604800"},
      {"max_time_s = nan", "number of seconds > 0 and at most 604800"},
      {"max_time_s = \"2s\"",
       "expected a number of seconds > 0, got the string \"2s\""},
      {"min_sample_time_s = 0", "[suite] min_sample_time_s: must be"},
      {"target_rel_ci = 0", "[suite] target_rel_ci: must be in (0, 1)"},
      {"target_rel_ci = 1", "must be in (0, 1)"},
      {"target_rel_ci = 1.5", "must be in (0, 1)"},
      {"target_rel_ci = true", "expected a number in (0, 1)"},
      {"isolation = \"nodes\"",
       "[suite] isolation: expected \"node\" (local cases of a node run one "
       "at a time) or \"rank\" (concurrently), got the string \"nodes\""},
      {"isolation = 1", "got the integer 1"},
  };
  for (const auto& c : cases)
    expect_error(std::string(kSuite) + c.line + "\n" +
                     "[[benchmark]]\nname = \"hardware.stream\"\n",
                 3, {c.problem});
}

TEST(SuiteErrors, MaxSamplesBelowMinSamples) {
  const std::string entry = "[[benchmark]]\nname = \"hardware.stream\"\n";
  // Both set: the line of max_samples.
  expect_error(
      std::string(kSuite) + "max_samples = 3\nmin_samples = 4\n" + entry, 3,
      {"[suite]: max_samples (3) must be >= min_samples (4)"});
  // min_samples above the default max_samples: its own line.
  expect_error(std::string(kSuite) + "min_samples = 60\n" + entry, 3,
               {"max_samples (50) must be >= min_samples (60)"});
  // An entry that lowers max_samples below the suite's min_samples.
  expect_error(
      std::string(kSuite) + "min_samples = 10\n" + entry + "max_samples = 5\n",
      6,
      {"[[benchmark]] hardware.stream: max_samples (5) must be >= "
       "min_samples (10)"});
  expect_error(with_entry("hardware.stream", "warmup = -3\n"), 5,
               {"[[benchmark]] hardware.stream warmup: must be an integer "
                ">= 0, got -3"});
}

// ---- errors: [[benchmark]] -----------------------------------------------

TEST(SuiteErrors, BenchmarkNames) {
  expect_error(std::string(kSuite) + "[[benchmark]]\nthreads = 1\n", 3,
               {"[[benchmark]] name: missing", "clusterbench list"});
  expect_error(with_entry("distributed.allreduc", ""), 4,
               {"unknown benchmark 'distributed.allreduc'",
                "did you mean 'distributed.allreduce'?"});
  expect_error(
      with_entry("stream", ""), 4,
      {"unknown benchmark 'stream'", "did you mean 'hardware.stream'?"});
  expect_error(std::string(kSuite) + "[[benchmark]]\nname = [\"a\"]\n", 4,
               {"[[benchmark]] name: expected a non-empty string, got a list"});
}

TEST(SuiteErrors, Backends) {
  expect_error(with_entry("model.transformer", "backend = \"cudaa\"\n"), 5,
               {"[[benchmark]] model.transformer backend: 'cudaa' is not a "
                "backend of model.transformer",
                "did you mean 'cuda'?", "valid: cpu, cuda"});
  expect_error(
      with_entry("model.transformer", "backend = [\"cpu\",\n  \"sycl\"]\n"), 6,
      {"'sycl' is not a backend"});
  expect_error(
      with_entry("model.transformer", "backend = [\"cpu\", \"cpu\"]\n"), 5,
      {"'cpu' is listed twice"});
  expect_error(with_entry("model.transformer", "backend = []\n"), 5,
               {"empty list", "cpu, cuda"});
  expect_error(with_entry("model.transformer", "backend = 1\n"), 5,
               {"expected a string or a list of strings from cpu, cuda"});
}

TEST(SuiteErrors, UnknownEntryKeys) {
  expect_error(with_entry("distributed.allreduce", "szie = 8\n"), 5,
               {"[[benchmark]] distributed.allreduce: unknown key 'szie'",
                "did you mean 'size'?",
                "parameters of distributed.allreduce: dtype, in_place, size"});
  expect_error(with_entry("distributed.allreduce", "dtpye = \"int32\"\n"), 5,
               {"did you mean 'dtype'?"});
  expect_error(with_entry("hardware.stream", "max_time = 1\n"), 5,
               {"did you mean 'max_time_s'?"});
  expect_error(with_entry("hardware.stream", "isolation = \"rank\"\n"), 5,
               {"'isolation' can only be set in [suite]"});
  expect_error(with_entry("distributed.allreduce", "sizes = 8\nsize = 16\n"), 6,
               {"size: sets parameter 'size', which 'sizes' already sets"});
}

TEST(SuiteErrors, ParameterTypes) {
  struct Case {
    const char* bench;
    const char* body;
    const char* problem;
  };
  const Case cases[] = {
      {"distributed.allreduce", "dtype = \"float16\"",
       "[[benchmark]] distributed.allreduce dtype: 'float16' is not a valid "
       "choice (did you mean 'float32'? valid: float32, float64, int32)"},
      {"distributed.allreduce", "dtype = 32",
       "expected a string or a list of strings, each one of: float32, "
       "float64, int32, got the integer 32"},
      {"distributed.allreduce", "in_place = \"yes\"",
       "in_place: expected true, false or [true, false], got the string "
       "\"yes\""},
      {"distributed.allreduce", "in_place = 1", "got the integer 1"},
      {"distributed.allreduce", "size = \"4KB\"",
       "size: \"4KB\" is not a byte count (expected an integer with an "
       "optional unit B, KiB, MiB, GiB or TiB"},
      {"distributed.allreduce", "size = -8",
       "size: a byte count must be >= 0, got -8"},
      {"distributed.allreduce", "size = 1.5", "got the float 1.5"},
      {"distributed.allreduce", "sizes = \"8B:1MiB:x1\"",
       "sizes: range \"8B:1MiB:x1\": factor 'x1' must be an integer >= 2 "
       "(expected start:stop:xFACTOR or start:stop:+STEP"},
      {"distributed.allreduce", "size = \"1MiB:8B:x4\"",
       "start (1MiB) is greater than stop (8B)"},
      {"hardware.stream", "threads = \"4\"",
       "threads: expected an integer, a list of integers, or a range like "
       "\"1:64:x2\", got the string \"4\""},
      {"hardware.stream", "threads = \"0:20000:+1\"",
       "threads: range \"0:20000:+1\": 20001 points, more than the limit of "
       "10000"},
      {"hardware.stream", "threads = \"1:8:+0\"", "step '+0' must be > 0"},
      {"hardware.stream", "threads = 2.0", "got the float 2.0"},
      {"hardware.stream", "scalar = \"3\"",
       "scalar: expected a number or a list of numbers, got the string \"3\""},
      {"hardware.stream", "scalar = nan", "expected a finite number"},
      {"hardware.stream", "threads = []", "threads: empty list"},
      {"hardware.stream", "threads = [[1, 2]]", "lists cannot be nested"},
      {"hardware.stream", "threads = {a = 1}", "got a table"},
  };
  for (const auto& c : cases)
    expect_error(with_entry(c.bench, std::string(c.body) + "\n"), 5,
                 {c.problem});
}

TEST(SuiteErrors, DuplicatesInASweepNameTheirLine) {
  expect_error(with_entry("hardware.stream", "threads = [1,\n  2,\n  1]\n"), 7,
               {"threads: 1 appears twice in the sweep"});
  expect_error(
      with_entry("distributed.allreduce", "size = [\"1KiB:4KiB:x2\", 2048]\n"),
      5, {"size: 2KiB appears twice in the sweep"});
  expect_error(
      with_entry("distributed.allreduce", "dtype = [\"int32\", \"int32\"]\n"),
      5, {"'int32' appears twice"});
  expect_error(with_entry("hardware.stream", "scalar = [1, 1.0]\n"), 5,
               {"scalar: 1 appears twice"});
}

// ---- errors: case count ----------------------------------------------------

TEST(SuiteErrors, CaseCountCap) {
  // 10000 x 10 = kMaxCases exactly: allowed.
  Suite suite =
      parse(with_entry("hardware.stream",
                       "array_size = \"1:10000:+1\"\nthreads = \"1:10:+1\"\n"));
  EXPECT_EQ(case_count(suite.benchmarks[0]), kMaxCases);

  expect_error(with_entry("hardware.stream",
                          "array_size = \"1:10000:+1\"\nthreads = "
                          "\"1:11:+1\"\n"),
               3,
               {"[[benchmark]] hardware.stream: expands to 110000 cases, more "
                "than the limit of 100000"});
  // Two entries of 60000: the second is named, with the suite total.
  const std::string big =
      "[[benchmark]]\nname = \"hardware.stream\"\narray_size = "
      "\"1:10000:+1\"\nthreads = \"1:6:+1\"\n";
  expect_error(std::string(kSuite) + big + big, 7,
               {"expands to 60000 cases, making 120000 in the suite, more "
                "than the limit of 100000"});
  // Backends multiply too.
  suite = parse(with_entry("model.transformer",
                           "batch = \"1:10000:+1\"\npreset = [\"bert-tiny\", "
                           "\"gpt2-small\", \"llama-7b\"]\n"));
  EXPECT_EQ(case_count(suite.benchmarks[0]), 60000u);
}

}  // namespace
}  // namespace cb

namespace cb {
namespace {

TEST(SuiteCompare, ReadsThresholds) {
  Suite s =
      parse(with_entry("hardware.stream", "") +
            "[compare]\nthreshold = 0.08\nalpha = 0.01\nmin_samples = 6\n"
            "thresholds = { \"distributed.allreduce\" = 0.1, "
            "\"hardware.stream.triad.bandwidth\" = 0.03, \"busbw\" = 0.2 }\n");
  EXPECT_EQ(s.compare.threshold, 0.08);
  EXPECT_EQ(s.compare.alpha, 0.01);
  EXPECT_EQ(s.compare.min_samples, 6);
  EXPECT_EQ(s.compare.thresholds.at("distributed.allreduce"), 0.1);
  EXPECT_EQ(s.compare.thresholds.at("hardware.stream.triad.bandwidth"), 0.03);
  EXPECT_EQ(s.compare.thresholds.at("busbw"), 0.2);
  EXPECT_FALSE(
      parse(with_entry("hardware.stream", "")).compare.threshold.has_value());
}

TEST(SuiteCompare, Errors) {
  // Line 5 is the first line after the entry's name.
  expect_error(
      with_entry("hardware.stream", "[compare]\nthreshhold = 0.1\n"), 6,
      {"[compare]: unknown key 'threshhold'", "did you mean 'threshold'"});
  expect_error(with_entry("hardware.stream", "[compare]\nalpha = 1.5\n"), 6,
               {"[compare] alpha", "must be in (0, 1)"});
  expect_error(
      with_entry(
          "hardware.stream",
          "[compare]\nthresholds = { \"distributed.allreduse\" = 0.1 }\n"),
      6,
      {"names no registered benchmark",
       "did you mean 'distributed.allreduce'"});
  expect_error(with_entry("hardware.stream", "[compar]\nalpha = 0.1\n"), 5,
               {"unknown top-level key 'compar'", "did you mean 'compare'"});
}

// ---- presets ------------------------------------------------------------

const char* const kPresets = R"(
[presets.small]
family = "gpt2"
layers = 2
hidden = 16
[presets.big]
layers = 12
hidden = 768
)";

TEST(Presets, FillTheShapeOfEachCaseAndTheEntryWins) {
  Suite suite =
      parse(std::string(kSuite) + kPresets +
            "[[benchmark]]\nname = \"model.with_presets\"\n"
            "preset = [\"small\", \"big\", \"custom\"]\nlayers = [3, 4]\n");
  auto cases = expand(suite);
  ASSERT_EQ(cases.size(), 6u);
  std::vector<std::string> got;
  for (const auto& c : cases) got.push_back(canonical(c.params));
  EXPECT_EQ(got, (std::vector<std::string>{
                     "family=gpt2,hidden=16,layers=3,preset=small",
                     "family=bert,hidden=768,layers=3,preset=big",
                     "family=bert,hidden=8,layers=3,preset=custom",
                     "family=gpt2,hidden=16,layers=4,preset=small",
                     "family=bert,hidden=768,layers=4,preset=big",
                     "family=bert,hidden=8,layers=4,preset=custom"}));
}

TEST(Presets, ErrorsNameTheFileLineAndWhatIsValid) {
  std::string entry =
      "[[benchmark]]\nname = \"model.with_presets\"\npreset = \"smal\"\n";
  // Line 13: after kSuite (2 lines), kPresets (8, from a blank line), the
  // entry's header and name.
  expect_error(
      std::string(kSuite) + kPresets + entry, 13,
      {"unknown preset 'smal'", "did you mean 'small'?", "known: ", "big, "});
  expect_error(
      std::string(kSuite) + "[presets.x]\nlayrs = 2\n" +
          "[[benchmark]]\nname = \"model.with_presets\"\npreset = \"x\"\n",
      4,
      {"[presets.x]: 'layrs' is not a parameter of model.with_presets",
       "did you mean 'layers'?"});
  expect_error(
      std::string(kSuite) + "[presets.x]\nfamily = \"t5\"\n" +
          "[[benchmark]]\nname = \"model.with_presets\"\npreset = \"x\"\n",
      4, {"'t5' is not a valid choice"});
  expect_error(std::string(kSuite) + "[presets.custom]\nlayers = 1\n" +
                   "[[benchmark]]\nname = \"model.with_presets\"\n",
               3, {"'custom' is reserved"});
  expect_error(
      std::string(kSuite) +
          "presets = 3\n[[benchmark]]\nname = \"model.with_presets\"\n",
      3, {"expected a file name"});
}

TEST(Presets, ModelsAreRenderedIntoModelShapes) {
  Suite suite = parse(std::string(kSuite) + kPresets +
                      "[[benchmark]]\nname = \"cross_model.colocate\"\n"
                      "models = [\"small,big\", \"big\"]\n");
  auto cases = expand(suite);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(std::get<std::string>(cases[0].params.at("model_shapes")),
            "small{family=gpt2,hidden=16,layers=2};big{hidden=768,layers=12}");
  EXPECT_EQ(std::get<std::string>(cases[1].params.at("model_shapes")),
            "big{hidden=768,layers=12}");
  expect_error(std::string(kSuite) + kPresets +
                   "[[benchmark]]\nname = \"cross_model.colocate\"\nmodels = "
                   "\"small,nope\"\n",
               13, {"unknown preset 'nope'"});
}

TEST(Presets, ComeFromTheFileTheSuiteNames) {
  auto dir = std::filesystem::temp_directory_path() /
             ("cb_presets_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "shapes.toml") << kPresets;
  std::ofstream(dir / "s.toml")
      << "[suite]\nname = \"t\"\npresets = \"shapes.toml\"\n"
         "[[benchmark]]\nname = \"model.with_presets\"\npreset = \"big\"\n";
  Suite suite = load_suite((dir / "s.toml").string(), registry());
  auto cases = expand(suite);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(std::get<std::int64_t>(cases[0].params.at("layers")), 12);
  // A mistake in the presets file names that file.
  std::ofstream(dir / "shapes.toml") << "[presets.big]\nlayers = \"x\"\n";
  try {
    load_suite((dir / "s.toml").string(), registry());
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shapes.toml:2:"), std::string::npos)
        << e.what();
  }
  std::filesystem::remove_all(dir);
}

// A suite stored in a result file is re-read by `compare` where its presets
// files may not exist: it keeps its [compare] table all the same.
TEST(Presets, IgnoredWhenReadingAStoredSuite) {
  std::string text = std::string(kSuite) +
                     "presets = \"/nowhere/models.toml\"\n"
                     "[[benchmark]]\nname = \"model.with_presets\"\n"
                     "preset = \"gone\"\n[compare]\nthreshold = 0.2\n";
  EXPECT_THROW(parse(text), Error);
  Suite suite = parse_suite(text, "/suite", registry(), Presets::Ignore);
  EXPECT_EQ(suite.compare.threshold, 0.2);
  EXPECT_EQ(canonical(expand(suite)[0].params),
            "family=bert,hidden=8,layers=1,preset=gone");
}

}  // namespace
}  // namespace cb
