#include "schemaguard/base/jackson_tree.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "schemaguard/base/jackson.h"

namespace sg {
namespace {

// A parsed value. Scalars are kept as the text they print as, so the tree never holds a number
// in a form that could lose digits.
struct Node {
  enum class Kind { kScalar, kArray, kObject };
  Kind kind = Kind::kScalar;
  std::string scalar;             // printed form (strings already quoted)
  std::vector<Node> items;        // kArray: the items; kObject: the member values
  std::vector<std::string> keys;  // kObject: the decoded member names, beside `items`
  // (not a vector of pair<string, Node>: that needs Node complete, and clang refuses it)
};

// BigDecimal.toString of a JSON number literal with a fraction or an exponent. The unscaled
// value is the literal's digits (leading zeros dropped), the scale the number of fraction
// digits minus the exponent. nullopt when the scale leaves Java's int range, as BigDecimal
// refuses such a number.
std::optional<std::string> big_decimal_string(std::string_view literal) {
  std::size_t i = 0;
  const bool negative = literal[i] == '-';
  if (negative) ++i;
  std::string digits;
  while (i < literal.size() && literal[i] >= '0' && literal[i] <= '9') digits += literal[i++];
  std::int64_t fraction_digits = 0;
  if (i < literal.size() && literal[i] == '.') {
    ++i;
    while (i < literal.size() && literal[i] >= '0' && literal[i] <= '9') {
      digits += literal[i++];
      ++fraction_digits;
    }
  }
  std::int64_t exponent = 0;
  if (i < literal.size() && (literal[i] == 'e' || literal[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (literal[i] == '+' || literal[i] == '-') exponent_negative = literal[i++] == '-';
    for (; i < literal.size(); ++i) {
      exponent = exponent * 10 + (literal[i] - '0');
      if (exponent > (std::int64_t{1} << 40)) return std::nullopt;
    }
    if (exponent_negative) exponent = -exponent;
  }
  const std::int64_t scale = fraction_digits - exponent;
  if (scale > std::numeric_limits<std::int32_t>::max() ||
      scale < std::numeric_limits<std::int32_t>::min()) {
    return std::nullopt;
  }

  const std::size_t first_nonzero = digits.find_first_not_of('0');
  const std::string coefficient =
      first_nonzero == std::string::npos ? "0" : digits.substr(first_nonzero);
  const bool zero = first_nonzero == std::string::npos;
  const auto length = static_cast<std::int64_t>(coefficient.size());
  const std::int64_t adjusted = -scale + (length - 1);

  std::string out = negative && !zero ? "-" : "";
  if (scale >= 0 && adjusted >= -6) {
    if (scale == 0) {
      out += coefficient;
    } else if (length > scale) {
      const auto point = static_cast<std::size_t>(length - scale);
      out += coefficient.substr(0, point);
      out += '.';
      out += coefficient.substr(point);
    } else {
      out += "0.";
      out.append(static_cast<std::size_t>(scale - length), '0');
      out += coefficient;
    }
    return out;
  }
  out += coefficient[0];
  if (length > 1) {
    out += '.';
    out += coefficient.substr(1);
  }
  if (adjusted != 0) out += fmt::format("E{}{}", adjusted > 0 ? "+" : "", adjusted);
  return out;
}

// Java's String.compareTo: by UTF-16 code units. UTF-8 byte order agrees with code point order,
// which differs from UTF-16 order only between supplementary characters (surrogate pairs,
// 0xD800-0xDBFF first) and U+E000..U+FFFF, so the two are compared by their UTF-16 view.
bool java_string_less(std::string_view a, std::string_view b) {
  auto units = [](std::string_view text) {
    std::u16string out;
    for (std::size_t i = 0; i < text.size();) {
      const auto c = static_cast<unsigned char>(text[i]);
      std::uint32_t cp = c;
      std::size_t n = 1;
      if (c >= 0xF0) {
        cp = c & 0x07u;
        n = 4;
      } else if (c >= 0xE0) {
        cp = c & 0x0Fu;
        n = 3;
      } else if (c >= 0xC0) {
        cp = c & 0x1Fu;
        n = 2;
      }
      for (std::size_t k = 1; k < n && i + k < text.size(); ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
      }
      i += n;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        out += static_cast<char16_t>(0xD800 + (cp >> 10));
        out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
      } else {
        out += static_cast<char16_t>(cp);
      }
    }
    return out;
  };
  // Keys without bytes >= 0xEE compare the same either way: the common case skips the copies.
  auto plain = [](std::string_view text) {
    return std::none_of(text.begin(), text.end(),
                        [](char c) { return static_cast<unsigned char>(c) >= 0xEE; });
  };
  if (plain(a) && plain(b)) return a < b;
  return units(a) < units(b);
}

class Reader {
 public:
  Reader(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

  Result<Node> document() {
    Node root;
    SG_RETURN_IF_ERROR(value(root, 0));
    skip_space();
    if (pos_ != text_.size()) return fail("unexpected content after the JSON value");
    return root;
  }

 private:
  Error fail(std::string_view what) const {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("invalid JSON at byte {}: {}", pos_, what));
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Status value(Node& node, int depth) {
    if (depth > max_depth_) return fail("nesting too deep");
    skip_space();
    if (pos_ >= text_.size()) return fail("unexpected end of input");
    const char c = text_[pos_];
    if (c == '{') return object(node, depth);
    if (c == '[') return array(node, depth);
    node.kind = Node::Kind::kScalar;
    if (c == '"') {
      SG_ASSIGN_OR_RETURN(std::string decoded, string());
      append_jackson_string(node.scalar, decoded);
      return ok_status();
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(node);
    for (std::string_view word : {"true", "false", "null"}) {
      if (consume(word)) {
        node.scalar = std::string(word);
        return ok_status();
      }
    }
    return fail("expected a JSON value");
  }

  Status object(Node& node, int depth) {
    node.kind = Node::Kind::kObject;
    ++pos_;  // '{'
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return ok_status();
    }
    for (;;) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a member name");
      SG_ASSIGN_OR_RETURN(std::string key, string());
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') return fail("expected ':'");
      ++pos_;
      Node member;
      SG_RETURN_IF_ERROR(value(member, depth + 1));
      auto same = std::find(node.keys.begin(), node.keys.end(), key);
      if (same != node.keys.end()) {
        // First position, last value.
        node.items[static_cast<std::size_t>(same - node.keys.begin())] = std::move(member);
      } else {
        node.keys.push_back(std::move(key));
        node.items.push_back(std::move(member));
      }
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return ok_status();
      }
      return fail("expected ',' or '}'");
    }
  }

  Status array(Node& node, int depth) {
    node.kind = Node::Kind::kArray;
    ++pos_;  // '['
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return ok_status();
    }
    for (;;) {
      node.items.emplace_back();
      SG_RETURN_IF_ERROR(value(node.items.back(), depth + 1));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return ok_status();
      }
      return fail("expected ',' or ']'");
    }
  }

  Status number(Node& node) {
    const std::size_t start = pos_;
    auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    if (text_[pos_] == '-') ++pos_;
    const std::size_t int_start = pos_;
    const std::size_t int_digits = digits();
    if (int_digits == 0) return fail("invalid number");
    if (int_digits > 1 && text_[int_start] == '0') return fail("leading zeros in a number");
    bool integral = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) return fail("invalid number");
      integral = false;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return fail("invalid number");
      integral = false;
    }
    const std::string_view literal = text_.substr(start, pos_ - start);
    if (integral) {
      node.scalar = literal == "-0" ? "0" : std::string(literal);
      return ok_status();
    }
    auto decimal = big_decimal_string(literal);
    if (!decimal) return fail("number exponent out of range");
    node.scalar = std::move(*decimal);
    return ok_status();
  }

  // A string token, decoded to UTF-8; validates the raw UTF-8 and the escapes.
  Result<std::string> string() {
    ++pos_;  // '"'
    std::string out;
    for (;;) {
      if (pos_ >= text_.size()) return fail("unterminated string");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) return fail("control character in a string");
      if (c == '\\') {
        SG_RETURN_IF_ERROR(escape(out));
        continue;
      }
      if (c < 0x80) {
        out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      const std::size_t n = utf8_sequence_length(pos_);
      if (n == 0) return fail("invalid UTF-8");
      out.append(text_.substr(pos_, n));
      pos_ += n;
    }
  }

  // The length of the well-formed UTF-8 sequence at `at` (RFC 3629: no overlongs, no
  // surrogates, at most U+10FFFF), or 0.
  std::size_t utf8_sequence_length(std::size_t at) const {
    auto byte = [&](std::size_t k) -> unsigned {
      return at + k < text_.size() ? static_cast<unsigned char>(text_[at + k]) : 0u;
    };
    auto continuation = [&](std::size_t k, unsigned low = 0x80, unsigned high = 0xBF) {
      return byte(k) >= low && byte(k) <= high;
    };
    const unsigned c = byte(0);
    if (c >= 0xC2 && c <= 0xDF) return continuation(1) ? 2 : 0;
    if (c == 0xE0) return continuation(1, 0xA0) && continuation(2) ? 3 : 0;
    if (c == 0xED) return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0;
    if (c >= 0xE1 && c <= 0xEF) return continuation(1) && continuation(2) ? 3 : 0;
    if (c == 0xF0) return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
      return continuation(1) && continuation(2) && continuation(3) ? 4 : 0;
    if (c == 0xF4) return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0;
    return 0;
  }

  Status escape(std::string& out) {
    ++pos_;  // '\\'
    if (pos_ >= text_.size()) return fail("unterminated escape");
    const char e = text_[pos_++];
    switch (e) {
      case '"': out += '"'; return ok_status();
      case '\\': out += '\\'; return ok_status();
      case '/': out += '/'; return ok_status();
      case 'b': out += '\b'; return ok_status();
      case 'f': out += '\f'; return ok_status();
      case 'n': out += '\n'; return ok_status();
      case 'r': out += '\r'; return ok_status();
      case 't': out += '\t'; return ok_status();
      case 'u': break;
      default: return fail("invalid escape");
    }
    SG_ASSIGN_OR_RETURN(std::uint32_t cp, hex4());
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("lone low surrogate escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (!consume("\\u")) return fail("lone high surrogate escape");
      SG_ASSIGN_OR_RETURN(std::uint32_t low, hex4());
      if (low < 0xDC00 || low > 0xDFFF) return fail("lone high surrogate escape");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, cp);
    return ok_status();
  }

  Result<std::uint32_t> hex4() {
    if (pos_ + 4 > text_.size()) return fail("short \\u escape");
    std::uint32_t value = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = text_[pos_++];
      value <<= 4;
      if (h >= '0' && h <= '9') {
        value |= static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        value |= static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        value |= static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        return fail("invalid \\u escape");
      }
    }
    return value;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string_view text_;
  int max_depth_;
  std::size_t pos_ = 0;
};

void write(const Node& node, bool sort_keys, std::string& out) {
  switch (node.kind) {
    case Node::Kind::kScalar: out += node.scalar; return;
    case Node::Kind::kArray:
      out += '[';
      for (std::size_t i = 0; i < node.items.size(); ++i) {
        if (i > 0) out += ',';
        write(node.items[i], sort_keys, out);
      }
      out += ']';
      return;
    case Node::Kind::kObject: {
      std::vector<std::size_t> order(node.keys.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      if (sort_keys) {
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
          return java_string_less(node.keys[a], node.keys[b]);
        });
      }
      out += '{';
      for (std::size_t i = 0; i < order.size(); ++i) {
        if (i > 0) out += ',';
        append_jackson_string(out, node.keys[order[i]]);
        out += ':';
        write(node.items[order[i]], sort_keys, out);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

Result<std::string> jackson_reserialize(std::string_view json, const JacksonTreeOptions& options) {
  SG_ASSIGN_OR_RETURN(Node root, Reader(json, options.max_depth).document());
  std::string out;
  out.reserve(json.size());
  write(root, options.sort_keys, out);
  return out;
}

}  // namespace sg
