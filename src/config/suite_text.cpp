#include "config/suite_text.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>

#include "core/error.hpp"

namespace cb {

namespace {

// Length of the UTF-8 sequence starting at text[i], or 0 if it is not one
// (overlong forms, surrogates and code points past U+10FFFF included).
std::size_t utf8_length(const std::string& text, std::size_t i) {
  auto byte = [&](std::size_t k) {
    return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u;
  };
  unsigned c = byte(i);
  if (c < 0x80) return 1;
  auto cont = [&](std::size_t k) { return (byte(k) & 0xC0u) == 0x80u; };
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned c1 = byte(i + 1);
    if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
    if (c == 0xED && c1 > 0x9F) return 0;  // surrogate
    return cont(i + 1) && cont(i + 2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned c1 = byte(i + 1);
    if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
    if (c == 0xF4 && c1 > 0x8F) return 0;  // past U+10FFFF
    return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

// TOML allows tab, LF and CR; every other C0 control and DEL is an error.
bool forbidden_control(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

class Scanner {
 public:
  Scanner(const std::string& text, const std::string& path)
      : text_(text), path_(path) {}

  void run() {
    while (i_ < text_.size()) {
      check_character();
      char c = text_[i_];
      switch (state_) {
        case State::Normal: normal(c); break;
        case State::Comment:
          if (c == '\n') state_ = State::Normal;
          break;
        case State::Basic:
          if (c == '\\') {
            advance();  // the escaped character is never a delimiter
            if (i_ < text_.size()) check_character();
          } else if (c == '"' || c == '\n') {
            state_ = State::Normal;
          }
          break;
        case State::Literal:
          if (c == '\'' || c == '\n') state_ = State::Normal;
          break;
        case State::MultiBasic:
          if (c == '\\') {
            advance();
            if (i_ < text_.size()) check_character();
          } else if (closes('"')) {
            continue;
          }
          break;
        case State::MultiLiteral:
          if (closes('\'')) continue;
          break;
      }
      advance();
    }
  }

 private:
  enum class State {
    Normal,
    Comment,
    Basic,
    Literal,
    MultiBasic,
    MultiLiteral
  };

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorKind::Input,
                fmt::format("{}:{}:{}: {}", path_, line_, column_, what));
  }

  void check_character() {
    std::size_t n = utf8_length(text_, i_);
    unsigned char c = static_cast<unsigned char>(text_[i_]);
    if (n == 0)
      fail(fmt::format(
          "not UTF-8 text (byte 0x{:02x}); TOML files are UTF-8: save the "
          "suite as UTF-8",
          c));
    if (forbidden_control(c))
      fail(
          fmt::format("control character 0x{:02x} (TOML allows only tab and "
                      "line breaks; is this a binary file?)",
                      c));
  }

  // Moves past the character at i_ (a whole UTF-8 sequence).
  void advance() {
    if (text_[i_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    std::size_t n = utf8_length(text_, i_);
    i_ += n == 0 ? 1 : n;
  }

  bool starts_with(const char* token) const {
    return text_.compare(i_, std::char_traits<char>::length(token), token) == 0;
  }

  // At a triple quote closing a multi-line string: moves past it and up to
  // two more quotes (TOML lets the content end with one or two quotes).
  bool closes(char quote) {
    const char triple[] = {quote, quote, quote, '\0'};
    if (!starts_with(triple)) return false;
    for (int k = 0; k < 3; ++k) advance();
    for (int k = 0; k < 2 && i_ < text_.size() && text_[i_] == quote; ++k)
      advance();
    state_ = State::Normal;
    return true;
  }

  void normal(char c) {
    // Dotted keys nest tables too ("a.b.c = 1", "[a.b.c]"): count the dots
    // of one key (a float's dot after '=' or ',' starts a fresh count).
    if (c == '\n' || c == '=' || c == ',') dots_ = 0;
    if (c == '.' && ++dots_ > kMaxSuiteNesting)
      fail(
          fmt::format("a key dotted more than {} levels deep (suite keys have "
                      "one or two levels)",
                      kMaxSuiteNesting));
    if (c == '#') {
      state_ = State::Comment;
    } else if (c == '"') {
      if (starts_with("\"\"\"")) {
        advance();
        advance();
        state_ = State::MultiBasic;
      } else {
        state_ = State::Basic;
      }
    } else if (c == '\'') {
      if (starts_with("'''")) {
        advance();
        advance();
        state_ = State::MultiLiteral;
      } else {
        state_ = State::Literal;
      }
    } else if (c == '[' || c == '{') {
      if (++depth_ > kMaxSuiteNesting)
        fail(
            fmt::format("arrays or inline tables nested more than {} deep "
                        "(a suite needs one level: a list of values)",
                        kMaxSuiteNesting));
    } else if ((c == ']' || c == '}') && depth_ > 0) {
      --depth_;
    }
  }

  const std::string& text_;
  const std::string& path_;
  std::size_t i_ = 0;
  int line_ = 1, column_ = 1, depth_ = 0, dots_ = 0;
  State state_ = State::Normal;
};

}  // namespace

void check_suite_text(const std::string& text, const std::string& path) {
  Scanner(text, path).run();
}

}  // namespace cb
