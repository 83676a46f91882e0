#include "schemaguard/base/jackson.h"

#include <gtest/gtest.h>

#include <string>

namespace sg {
namespace {

std::string escaped(std::string_view text) {
  std::string out;
  append_jackson_string(out, text);
  return out;
}

TEST(JacksonStringTest, EscapesWhatJacksonEscapesAndNothingElse) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const Case cases[] = {
      {"", R"("")"},
      {"plain", R"("plain")"},
      {R"({"type":"string"})", R"("{\"type\":\"string\"}")"},
      {"back\\slash", R"("back\\slash")"},
      {"\b\t\n\f\r", R"("\b\t\n\f\r")"},
      {std::string("\0\x01\x1f", 3), R"("\u0000\u0001\u001F")"},
      {"a/b\x7f", "\"a/b\x7f\""},                                    // '/' and DEL as they are
      {"caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\""},  // raw UTF-8
      {"x\"", R"("x\"")"},                                           // an escape at the very end
  };
  for (const Case& c : cases) EXPECT_EQ(escaped(c.text), c.expected) << c.text;
}

TEST(JacksonStringTest, AppendsToWhatIsThere) {
  std::string out = "{\"schema\":";
  append_jackson_string(out, "a\"b");
  out += '}';
  EXPECT_EQ(out, R"({"schema":"a\"b"})");
}

// Every byte value, alone and between others, against a plain one-character-at-a-time escaper.
std::string reference_escape(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789ABCDEF";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

TEST(JacksonStringTest, EveryByteValueMatchesAPlainEscaper) {
  for (int byte = 0; byte < 256; ++byte) {
    const std::string one(1, static_cast<char>(byte));
    for (const std::string& text : {one, "ab" + one + "cd" + one}) {
      EXPECT_EQ(escaped(text), reference_escape(text)) << "byte " << byte;
    }
  }
}

}  // namespace
}  // namespace sg
