#include "hardware/stability.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace cb {
namespace {

TEST(Stability, Parsers) {
  EXPECT_DOUBLE_EQ(parse_load_avg("0.52 0.58 0.59 1/123 4567"), 0.52);
  EXPECT_EQ(parse_load_avg(""), -1);
  EXPECT_EQ(turbo_from_no_turbo("0"), "on");
  EXPECT_EQ(turbo_from_no_turbo("1"), "off");
  EXPECT_EQ(turbo_from_no_turbo("x"), "");
  EXPECT_EQ(turbo_from_boost("1"), "on");
  EXPECT_EQ(turbo_from_boost("0"), "off");
}

TEST(Stability, ReadsAFakeRoot) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / "cb-stability-test";
  fs::remove_all(root);
  fs::create_directories(root / "proc");
  fs::create_directories(root / "sys/devices/system/cpu/cpu0/cpufreq");
  fs::create_directories(root / "sys/devices/system/cpu/cpufreq");
  std::ofstream(root / "proc/loadavg") << "1.25 1.00 0.75 2/200 999\n";
  std::ofstream(root / "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")
      << "powersave\n";
  std::ofstream(root / "sys/devices/system/cpu/cpufreq/boost") << "1\n";
  Stability s = read_stability(root.string());
  EXPECT_EQ(s.governor, "powersave");
  EXPECT_EQ(s.turbo, "on");  // no intel_pstate: cpufreq's boost
  EXPECT_DOUBLE_EQ(s.load_avg, 1.25);
  // Nothing readable: empty, not an error.
  Stability none = read_stability((root / "missing").string());
  EXPECT_EQ(none.governor, "");
  EXPECT_EQ(none.load_avg, -1);
  fs::remove_all(root);
}

}  // namespace
}  // namespace cb
