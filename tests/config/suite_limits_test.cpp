// Suites the loader refuses since the bad-input corpus and fuzzing
// (docs/reliability.md): out-of-bounds parameters, integers past 64 bits,
// overlapping entries, unsafe names, absurd seconds, toml11's multi-line
// messages made one line.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "config/suite.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"

namespace cb {
namespace {

using I = std::int64_t;

Registry make_registry() {
  Registry registry;
  BenchmarkInfo info;
  info.name = "distributed.bandwidth";
  info.kind = Kind::Distributed;
  info.backends = {"mpi"};
  ParamSpec size{"size", ParamType::Bytes, I{8}, "bytes",
                 {},     {"sizes"},        0,    (I{1} << 31) - 1};
  ParamSpec window{"window", ParamType::Int, I{64}, "window", {}, {},
                   1,        1 << 20};
  ParamSpec free{"offset", ParamType::Int, I{0}, "unbounded", {}, {}};
  info.params = {size, window, free};
  registry.add(info, [] { return std::unique_ptr<Benchmark>(); });
  return registry;
}

std::string error_of(const std::string& body) {
  static const Registry registry = make_registry();
  try {
    parse_suite("[suite]\nname = \"t\"\n" + body, "t.toml", registry);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Input);
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    return e.what();
  }
  return "";
}

const std::string kEntry = "[[benchmark]]\nname = \"distributed.bandwidth\"\n";

TEST(configSuiteLimits, ParameterBoundsAreCheckedAtLoad) {
  EXPECT_EQ(error_of(kEntry + "size = \"4GiB\"\n"),
            "t.toml:5: [[benchmark]] distributed.bandwidth size: 4GiB is out "
            "of bounds: size must be from 0B to 2147483647B");
  EXPECT_EQ(error_of(kEntry + "window = 0\n"),
            "t.toml:5: [[benchmark]] distributed.bandwidth window: 0 is out "
            "of bounds: window must be from 1 to 1048576");
  EXPECT_NE(error_of(kEntry + "sizes = \"1GiB:8GiB:x2\"\n")
                .find("2GiB (in range \"1GiB:8GiB:x2\") is out of bounds"),
            std::string::npos);
  EXPECT_NE(error_of(kEntry + "size = \"2GiB\"\n").find("out of bounds"),
            std::string::npos);
  EXPECT_EQ(error_of(kEntry + "size = 2147483647\nwindow = 1048576\n"), "");
  EXPECT_EQ(error_of(kEntry + "offset = -9223372036854775808\n"), "");
}

TEST(configSuiteLimits, IntegersPast64BitsAreRefused) {
  // toml11 3.7 saturates them to INT64_MAX/MIN without an error.
  EXPECT_EQ(error_of(kEntry + "offset = 99999999999999999999\n"),
            "t.toml:5: integer '99999999999999999999' does not fit in 64 bits");
  EXPECT_NE(error_of(kEntry + "offset = -9_223_372_036_854_775_809\n"), "");
  EXPECT_NE(error_of(kEntry + "offset = 0x1_0000_0000_0000_0000\n"), "");
  EXPECT_EQ(error_of(kEntry + "offset = 9_223_372_036_854_775_807\n"), "");
  EXPECT_EQ(error_of(kEntry + "offset = 0x7fff_ffff_ffff_ffff\n"), "");
}

TEST(configSuiteLimits, OverlappingEntriesAreRefusedNamingBothLines) {
  EXPECT_EQ(
      error_of(kEntry + "sizes = [8, 64]\n\n" + kEntry + "sizes = [64, 512]\n"),
      "t.toml:7: [[benchmark]] distributed.bandwidth: repeats a case of "
      "the entry at line 3 (offset=0,size=64,window=64@mpi); each case "
      "may appear once: split the sweeps so that they do not overlap");
  // Disjoint in one parameter: no shared case.
  EXPECT_EQ(error_of(kEntry + "sizes = [8, 64]\n\n" + kEntry +
                     "sizes = [64]\nwindow = 8\n"),
            "");
}

TEST(configSuiteLimits, SuiteNamesThatMakeBadFileNamesAreRefused) {
  Registry empty;
  for (const char* name : {"../../etc/x", "a/b", ".hidden", "bell\\u0007"}) {
    try {
      parse_suite(std::string("[suite]\nname = \"") + name + "\"\n", "n.toml",
                  empty);
      ADD_FAILURE() << name << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("n.toml:2: [suite] name: must not"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(configSuiteLimits, SecondsPastAWeekAreRefused) {
  EXPECT_NE(error_of("max_time_s = 1e300\n" + kEntry)
                .find("max_time_s: must be a number of seconds > 0 and at most "
                      "604800 (a week), got 1e+300"),
            std::string::npos);
  EXPECT_NE(error_of(kEntry + "timeout_s = inf\n"), "");
  EXPECT_EQ(error_of("timeout_s = 604800\n" + kEntry), "");
}

TEST(configSuiteLimits, TomlSyntaxErrorsAreOneLine) {
  EXPECT_EQ(error_of("name = \"again\"\n" + kEntry),
            "t.toml:3: invalid TOML: value (\"name\") already exists. (value "
            "already exists here; value defined twice) in: name = \"again\"");
  EXPECT_EQ(error_of("x = \n"),
            "t.toml:3: invalid TOML: missing value after key-value separator "
            "'=' (expected value, but got nothing) in: x =");
}

}  // namespace
}  // namespace cb
