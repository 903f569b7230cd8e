// check_suite_text: what is refused before toml11 sees the file.
#include "config/suite_text.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"

namespace cb {
namespace {

std::string error_of(const std::string& text) {
  try {
    check_suite_text(text, "s.toml");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Input);
    return e.what();
  }
  return "";
}

TEST(configSuiteText, ValidSuitesPass) {
  EXPECT_EQ(error_of(""), "");
  EXPECT_EQ(
      error_of("[suite]\nname = \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80\"\n"
               "[[benchmark]]\nname = \"x\" # comment [[[[\n"
               "sizes = [[1, 2], [3]]\tx = {a = {b = 1}}\r\n"),
      "");
}

TEST(configSuiteText, BracketsInsideStringsAndCommentsAreNotNesting) {
  std::string deep(100, '[');
  EXPECT_EQ(error_of("a = \"" + deep + "\"\nb = '" + deep + "'\n# " + deep +
                     "\nc = \"\"\"\n" + deep + "\n\"\"\"\nd = '''" + deep +
                     "'''\ne = \"\\\"" + deep + "\"\n"),
            "");
  // A multi-line string may end with up to two extra quotes.
  EXPECT_EQ(error_of("a = \"\"\"x\"\"\"\"\"\nb = [1]\n"), "");
}

TEST(configSuiteText, DeepNestingIsRefusedWithLineAndColumn) {
  std::string deep = "a = " + std::string(33, '[') + std::string(33, ']');
  EXPECT_EQ(error_of("[suite]\n" + deep),
            "s.toml:2:37: arrays or inline tables nested more than 32 deep "
            "(a suite needs one level: a list of values)");
  EXPECT_EQ(error_of("a = " + std::string(32, '[') + std::string(32, ']')), "");
  std::string tables;
  for (int i = 0; i < 40; ++i) tables += "{a=";
  EXPECT_NE(error_of("x = " + tables).find("nested more than 32"),
            std::string::npos);
}

TEST(configSuiteText, DeeplyDottedKeysAreRefused) {
  std::string key;
  for (int i = 0; i < 40; ++i) key += "a.";
  EXPECT_NE(error_of(key + "b = 1").find("dotted more than 32"),
            std::string::npos);
  EXPECT_NE(error_of("[" + key + "b]").find("dotted more than 32"),
            std::string::npos);
  // Floats after '=' and ',' are not keys.
  std::string floats = "a = [";
  for (int i = 0; i < 100; ++i) floats += "1.5, ";
  EXPECT_EQ(error_of(floats + "2.5]\n"), "");
}

TEST(configSuiteText, NonUtf8IsRefusedNamingTheByte) {
  EXPECT_EQ(error_of("name = \"caf\xe9\""),
            "s.toml:1:12: not UTF-8 text (byte 0xe9); TOML files are UTF-8: "
            "save the suite as UTF-8");
  EXPECT_NE(error_of("\xff\xfe[\0s"), "");              // UTF-16 BOM
  EXPECT_NE(error_of("a = \"\xc0\xaf\""), "");          // overlong '/'
  EXPECT_NE(error_of("a = \"\xed\xa0\x80\""), "");      // surrogate
  EXPECT_NE(error_of("a = \"\xf4\x90\x80\x80\""), "");  // past U+10FFFF
  EXPECT_NE(error_of("a = \"\xe2\x82\""), "");          // cut short
  EXPECT_NE(error_of("# \x80 in a comment\n"), "");
}

TEST(configSuiteText, ControlCharactersAreRefused) {
  EXPECT_EQ(error_of(std::string("a = \"x\0y\"", 9)),
            "s.toml:1:7: control character 0x00 (TOML allows only tab and "
            "line breaks; is this a binary file?)");
  EXPECT_NE(error_of("a = \"\x1b[31m\""), "");
  EXPECT_NE(error_of("a = 1\x7f"), "");
}

}  // namespace
}  // namespace cb
