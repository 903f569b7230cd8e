#include "core/param.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace cb {
namespace {

TEST(Param, CanonicalIsSortedAndStable) {
  ParamSet p{{"size", std::int64_t{1024}},
             {"dtype", std::string("float32")},
             {"in_place", false},
             {"ratio", 0.5}};
  EXPECT_EQ(canonical(p), "dtype=float32,in_place=false,ratio=0.5,size=1024");
}

TEST(Param, FormatsBytes) {
  EXPECT_EQ(format_bytes(8), "8B");
  EXPECT_EQ(format_bytes(4096), "4KiB");
  EXPECT_EQ(format_bytes(1 << 20), "1MiB");
  EXPECT_EQ(format_bytes(1536), "1536B");
  EXPECT_EQ(format_bytes(0), "0B");
}

TEST(Param, TypedAccessNamesTheParameter) {
  ParamSet p{{"size", std::int64_t{8}}, {"dtype", std::string("int32")}};
  EXPECT_EQ(get_int(p, "size"), 8);
  EXPECT_EQ(get_float(p, "size"), 8.0);  // ints widen to float
  EXPECT_EQ(get_string(p, "dtype"), "int32");
  try {
    get_int(p, "dtype");
    FAIL() << "expected a type error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("dtype"), std::string::npos);
  }
  EXPECT_THROW(get_bool(p, "missing"), Error);
}

}  // namespace
}  // namespace cb
