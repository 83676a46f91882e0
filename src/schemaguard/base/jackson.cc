#include "schemaguard/base/jackson.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace sg {
namespace {

// How many bytes each input byte becomes: 1 written as it is, 2 for the short escapes
// (\" \\ \b \t \n \f \r), 6 for the other control characters (\u00XX).
constexpr std::array<std::uint8_t, 256> kEscapedLength = [] {
  std::array<std::uint8_t, 256> lengths{};
  for (auto& length : lengths) length = 1;
  for (int c = 0; c < 0x20; ++c) lengths[static_cast<std::size_t>(c)] = 6;
  for (char c : {'"', '\\', '\b', '\t', '\n', '\f', '\r'}) {
    lengths[static_cast<unsigned char>(c)] = 2;
  }
  return lengths;
}();

}  // namespace

void append_jackson_string(std::string& out, std::string_view text) {
  // Two passes: the exact length first, so the output grows once and the second pass writes
  // through a pointer. Schema texts are full of quotes; appending around each one cost more
  // than the escaping itself, and this runs for every schema in every response.
  std::size_t length = 0;
  for (char c : text) length += kEscapedLength[static_cast<unsigned char>(c)];
  const std::size_t start = out.size();
  out.resize(start + length + 2);
  char* p = out.data() + start;
  *p++ = '"';
  if (length == text.size()) {
    if (!text.empty()) std::memcpy(p, text.data(), text.size());
    p += text.size();
  } else {
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    for (char ch : text) {
      const auto c = static_cast<unsigned char>(ch);
      if (kEscapedLength[c] == 1) {
        *p++ = ch;
        continue;
      }
      *p++ = '\\';
      switch (c) {
        case '"': *p++ = '"'; break;
        case '\\': *p++ = '\\'; break;
        case '\b': *p++ = 'b'; break;
        case '\t': *p++ = 't'; break;
        case '\n': *p++ = 'n'; break;
        case '\f': *p++ = 'f'; break;
        case '\r': *p++ = 'r'; break;
        default:
          *p++ = 'u';
          *p++ = '0';
          *p++ = '0';
          *p++ = kHex[c >> 4];
          *p++ = kHex[c & 0xF];
      }
    }
  }
  *p = '"';
}

}  // namespace sg
