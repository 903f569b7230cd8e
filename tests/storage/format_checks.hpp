// Tiny structural checks of the writers' output, independent of the golden
// text: RFC 4180 records and well-formed XML (balanced tags, escaped text).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cb::check {

// RFC 4180 records (quoted fields may hold commas, quotes and newlines).
inline std::vector<std::vector<std::string>> csv_records(
    const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(field);
      field.clear();
    } else if (c == '\n') {
      fields.push_back(field);
      records.push_back(fields);
      fields.clear();
      field.clear();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !fields.empty()) {
    fields.push_back(field);
    records.push_back(fields);
  }
  return records;
}

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attrs;  // values still escaped
};

// Every element start in document order; empty if the text is not
// well-formed (unbalanced tags, a raw '<' or '&' outside markup, an
// attribute without quotes). Enough for our writers' XML, not a parser.
inline std::vector<XmlElement> xml_elements(const std::string& text,
                                            std::string* error) {
  std::vector<XmlElement> out;
  std::vector<std::string> open;
  auto fail = [&](const std::string& why) {
    *error = why;
    return std::vector<XmlElement>{};
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '&') {
      auto semi = text.find(';', i);
      std::string entity = text.substr(i, semi - i + 1);
      if (semi == std::string::npos ||
          (entity != "&amp;" && entity != "&lt;" && entity != "&gt;" &&
           entity != "&quot;" && entity != "&apos;" && entity[1] != '#'))
        return fail("bad entity at " + std::to_string(i));
      i = semi + 1;
      continue;
    }
    if (text[i] == '>') return fail("raw '>' at " + std::to_string(i));
    if (text[i] != '<') {
      ++i;
      continue;
    }
    // A tag: attribute values are quoted and hold no '<' or '>'.
    std::size_t end = i + 1;
    char quote = 0;
    for (; end < text.size(); ++end) {
      char c = text[end];
      if (quote) {
        if (c == quote) quote = 0;
        if (c == '<' || c == '>') return fail("raw <> in an attribute");
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      } else if (c == '<') {
        return fail("'<' inside a tag at " + std::to_string(end));
      }
    }
    if (end == text.size()) return fail("unterminated tag");
    std::string tag = text.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.starts_with("?")) continue;
    if (tag.starts_with("/")) {
      if (open.empty() || open.back() != tag.substr(1))
        return fail("unbalanced </" + tag.substr(1) + ">");
      open.pop_back();
      continue;
    }
    bool self_closing = tag.ends_with("/");
    if (self_closing) tag.pop_back();
    XmlElement e;
    std::size_t p = tag.find_first_of(" \n");
    e.name = tag.substr(0, p);
    while (p != std::string::npos && p < tag.size()) {
      p = tag.find_first_not_of(" \n", p);
      if (p == std::string::npos) break;
      auto eq = tag.find('=', p);
      if (eq == std::string::npos || eq + 1 >= tag.size() || tag[eq + 1] != '"')
        return fail("attribute without quotes in <" + e.name + ">");
      auto close = tag.find('"', eq + 2);
      if (close == std::string::npos) return fail("unterminated attribute");
      e.attrs[tag.substr(p, eq - p)] = tag.substr(eq + 2, close - eq - 2);
      p = close + 1;
    }
    if (!self_closing) open.push_back(e.name);
    out.push_back(e);
  }
  if (!open.empty()) return fail("<" + open.back() + "> never closed");
  return out;
}

inline std::size_t count_named(const std::vector<XmlElement>& elements,
                               const std::string& name) {
  std::size_t n = 0;
  for (const XmlElement& e : elements) n += e.name == name;
  return n;
}

}  // namespace cb::check
