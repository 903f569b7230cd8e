#include "device/device_loader.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

namespace k = cb::kernels;

TEST(DeviceLoader, OpensTheHostInProcess) {
  auto device = k::open_device("cpu", 0);
  EXPECT_EQ(device->properties().backend, "host");
}

TEST(DeviceLoader, AMissingPluginIsUnsupportedWithWhereItLooked) {
  try {
    k::open_plugin("nosuchbackend");
    FAIL() << "opened a plugin that does not exist";
  } catch (const k::Unsupported& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("libclusterbench-nosuchbackend.so not found in"),
              std::string::npos)
        << what;
  }
}

TEST(DeviceLoader, APluginThatDoesNotLoadSaysWhy) {
  // A file with the plugin's name that is not a shared library.
  std::string dir = ::testing::TempDir() + "cb_plugins";
  ASSERT_EQ(system(("mkdir -p " + dir + " && echo junk > " + dir +
                    "/libclusterbench-junk.so")
                       .c_str()),
            0);
  setenv("CLUSTERBENCH_PLUGIN_DIR", dir.c_str(), 1);
  try {
    k::open_plugin("junk");
    FAIL();
  } catch (const k::Unsupported& e) {
    EXPECT_NE(std::string(e.what()).find("cannot load"), std::string::npos)
        << e.what();
  }
}

TEST(DeviceLoader, SearchesTheEnvironmentDirectoryFirst) {
  setenv("CLUSTERBENCH_PLUGIN_DIR", "/some/dir", 1);
  auto dirs = k::plugin_directories();
  ASSERT_GE(dirs.size(), 2u);
  EXPECT_EQ(dirs[0], "/some/dir");
}
