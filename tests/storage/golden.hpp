// Golden-file comparison for the report writers: the expected output lives
// in tests/storage/golden/<name> and must match byte for byte.
//
// After an intended change of a format, rewrite the files with
//   CB_UPDATE_GOLDEN=1 ./reports_test      (or: CB_UPDATE_GOLDEN=1 ctest -R
//   storageReport)
// and review `git diff tests/storage/golden` before committing.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#ifndef CB_GOLDEN_DIR
#error "CB_GOLDEN_DIR must name tests/storage/golden (set in CMakeLists.txt)"
#endif

namespace cb::golden {

inline std::string path(const std::string& name) {
  return std::string(CB_GOLDEN_DIR) + "/" + name;
}

inline bool updating() {
  const char* v = std::getenv("CB_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

inline void expect_matches(const std::string& name, const std::string& actual) {
  if (updating()) {
    std::ofstream out(path(name), std::ios::binary | std::ios::trunc);
    out << actual;
    ASSERT_TRUE(out.good()) << "cannot write " << path(name);
    return;
  }
  std::ifstream in(path(name), std::ios::binary);
  ASSERT_TRUE(in.good()) << "no golden file " << path(name)
                         << " (run with CB_UPDATE_GOLDEN=1 to create it)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(expected.str(), actual)
      << "output differs from " << path(name)
      << " (if intended: rerun with CB_UPDATE_GOLDEN=1 and review the diff)";
}

}  // namespace cb::golden
