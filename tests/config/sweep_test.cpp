#include "config/sweep.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"

namespace cb {
namespace {

using Ints = std::vector<std::int64_t>;

// The message of the cb::Error(Input) that `f` throws, or "" when none.
template <typename F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Input);
    return e.what();
  }
  ADD_FAILURE() << "no cb::Error thrown";
  return "";
}

TEST(ParseBytes, PlainIntegersAndUnits) {
  EXPECT_EQ(parse_bytes("0"), 0);
  EXPECT_EQ(parse_bytes("4096"), 4096);
  EXPECT_EQ(parse_bytes("8B"), 8);
  EXPECT_EQ(parse_bytes("4KiB"), 4096);
  EXPECT_EQ(parse_bytes("4 KiB"), 4096);
  EXPECT_EQ(parse_bytes("1MiB"), 1 << 20);
  EXPECT_EQ(parse_bytes("2GiB"), std::int64_t{2} << 30);
  EXPECT_EQ(parse_bytes("3TiB"), std::int64_t{3} << 40);
}

TEST(ParseBytes, RejectsWhatIsNotAByteCount) {
  for (const char* text :
       {"", "KiB", "4KB", "4kib", "4K", "-4", "+4", "4.5KiB", "4 KiB x", "abc",
        "99999999999999999999", "9999999TiB"})
    EXPECT_EQ(parse_bytes(text), std::nullopt) << text;
}

TEST(IsRange, LooksForAColon) {
  EXPECT_TRUE(is_range("8B:1MiB:x4"));
  EXPECT_TRUE(is_range("1:2"));
  EXPECT_FALSE(is_range("4KiB"));
  EXPECT_FALSE(is_range("float32"));
}

TEST(ExpandRange, Geometric) {
  EXPECT_EQ(expand_range("1:64:x2", false), (Ints{1, 2, 4, 8, 16, 32, 64}));
  EXPECT_EQ(expand_range("8B:1MiB:x4", true),
            (Ints{8, 32, 128, 512, 2048, 8192, 32768, 131072, 524288}));
  EXPECT_EQ(expand_range("1KiB:4KiB:x2", true), (Ints{1024, 2048, 4096}));
}

TEST(ExpandRange, Arithmetic) {
  EXPECT_EQ(expand_range("0:100:+25", false), (Ints{0, 25, 50, 75, 100}));
  EXPECT_EQ(expand_range("-4:4:+4", false), (Ints{-4, 0, 4}));
  EXPECT_EQ(expand_range("0:1MiB:+256KiB", true),
            (Ints{0, 262144, 524288, 786432, 1048576}));
}

TEST(ExpandRange, StopIsIncludedOnlyWhenReachedExactly) {
  EXPECT_EQ(expand_range("1:100:x3", false), (Ints{1, 3, 9, 27, 81}));
  EXPECT_EQ(expand_range("0:10:+4", false), (Ints{0, 4, 8}));
  EXPECT_EQ(expand_range("8B:1000B:x4", true), (Ints{8, 32, 128, 512}));
}

TEST(ExpandRange, SinglePointAndSpaces) {
  EXPECT_EQ(expand_range("5:5:+1", false), (Ints{5}));
  EXPECT_EQ(expand_range(" 1 : 4 : x2 ", false), (Ints{1, 2, 4}));
}

TEST(ExpandRange, NearTheTopOfInt64DoesNotOverflow) {
  const std::int64_t big = std::int64_t{1} << 62;
  EXPECT_EQ(
      expand_range("1:" + std::to_string(INT64_MAX) + ":x2", false).back(),
      big);
  EXPECT_EQ(expand_range(std::to_string(INT64_MAX - 2) + ":" +
                             std::to_string(INT64_MAX) + ":+2",
                         false),
            (Ints{INT64_MAX - 2, INT64_MAX}));
}

TEST(ExpandRange, ErrorsNameTheValueAndTheSyntax) {
  struct Case {
    const char* text;
    bool bytes;
    const char* problem;
  };
  const Case cases[] = {
      {"64:1:x2", false, "start (64) is greater than stop (1)"},
      {"1MiB:8B:x4", true, "start (1MiB) is greater than stop (8B)"},
      {"1:64:x1", false, "factor 'x1' must be an integer >= 2"},
      {"1:64:x0", false, "factor 'x0' must be an integer >= 2"},
      {"1:64:x1.5", false, "factor 'x1.5' must be an integer >= 2"},
      {"0:64:x2", false, "needs start > 0"},
      {"0:64:+0", false, "step '+0' must be > 0"},
      {"0:64:+-2", false, "step '+-2' must be > 0"},
      {"0:64:2", false, "step '2' must be xFACTOR or +STEP"},
      {"0:64", false, "needs exactly three parts"},
      {"0:1:2:3", false, "needs exactly three parts"},
      {"8KB:1MiB:x4", true, "start '8KB' is not a byte count"},
      {"8B:1MB:x4", true, "stop '1MB' is not a byte count"},
      {"0:1MiB:+1kB", true, "step '1kB' is not a byte count"},
      {"a:10:+1", false, "start 'a' is not an integer"},
      {"0:100000:+1", false, "100001 points, more than the limit of 10000"},
  };
  for (const auto& c : cases) {
    std::string message = input_error([&] { expand_range(c.text, c.bytes); });
    EXPECT_NE(message.find(std::string("\"") + c.text + "\""),
              std::string::npos)
        << message;
    EXPECT_NE(message.find(c.problem), std::string::npos) << message;
    EXPECT_NE(message.find("start:stop:xFACTOR or start:stop:+STEP"),
              std::string::npos)
        << message;
  }
}

TEST(ExpandRange, TenThousandPointsIsTheLimit) {
  EXPECT_EQ(expand_range("1:10000:+1", false).size(), 10000u);
}

}  // namespace
}  // namespace cb
