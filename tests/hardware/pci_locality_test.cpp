#include "hardware/pci_locality.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

TEST(PciLocality, ReadsTheDevicesNumaNodeFromSysfs) {
  fs::path root = fs::path(::testing::TempDir()) / "cb_sysfs";
  fs::create_directories(root / "0000:6a:00.0");
  fs::create_directories(root / "0000:18:00.0");
  std::ofstream(root / "0000:6a:00.0" / "numa_node") << "1\n";
  std::ofstream(root / "0000:18:00.0" / "numa_node") << "-1\n";
  EXPECT_EQ(cb::pci_numa_node("0000:6a:00.0", root.string()), 1);
  EXPECT_EQ(cb::pci_numa_node("0000:6A:00.0", root.string()), 1);   // case
  EXPECT_EQ(cb::pci_numa_node("0000:18:00.0", root.string()), -1);  // no NUMA
  EXPECT_EQ(cb::pci_numa_node("0000:99:00.0", root.string()), -1);  // absent
  EXPECT_EQ(cb::pci_numa_node("", root.string()), -1);
}
