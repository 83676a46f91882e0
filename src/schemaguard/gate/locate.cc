#include "schemaguard/gate/locate.h"

#include <cctype>
#include <string>
#include <vector>

namespace sg::gate {
namespace {

// A forgiving scanner: it only needs to find where values start, so it checks little beyond
// the structure; the schema's own parser has already judged the text.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  TextPosition position() const { return {line_, column_}; }
  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }

  void advance() {
    if (done()) return;
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  void skip_space() {
    while (!done() && std::isspace(static_cast<unsigned char>(peek()))) advance();
  }

  // At '"': the decoded string (escapes other than \uXXXX decoded; \u kept verbatim, which
  // only matters for keys nobody writes escaped).
  bool read_string(std::string& out) {
    if (peek() != '"') return false;
    advance();
    while (!done() && peek() != '"') {
      if (peek() == '\\') {
        advance();
        const char c = peek();
        switch (c) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          default: out += c; break;
        }
        advance();
      } else {
        out += peek();
        advance();
      }
    }
    if (done()) return false;
    advance();
    return true;
  }

  // Skips one value of any kind.
  bool skip_value() {
    skip_space();
    const char c = peek();
    if (c == '"') {
      std::string ignored;
      return read_string(ignored);
    }
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      advance();
      skip_space();
      if (peek() == close) {
        advance();
        return true;
      }
      while (true) {
        if (close == '}') {
          skip_space();
          std::string ignored;
          if (!read_string(ignored)) return false;
          skip_space();
          if (peek() != ':') return false;
          advance();
        }
        if (!skip_value()) return false;
        skip_space();
        if (peek() == ',') {
          advance();
          continue;
        }
        if (peek() != close) return false;
        advance();
        return true;
      }
    }
    if (done()) return false;
    // A number, true, false or null.
    while (!done() && peek() != ',' && peek() != '}' && peek() != ']' &&
           !std::isspace(static_cast<unsigned char>(peek()))) {
      advance();
    }
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

std::vector<std::string> split_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  std::size_t start = pointer[0] == '/' ? 1 : 0;
  while (true) {
    const std::size_t slash = pointer.find('/', start);
    std::string_view raw =
        pointer.substr(start, slash == std::string_view::npos ? slash : slash - start);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token += raw[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        token += raw[i];
      }
    }
    tokens.push_back(std::move(token));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return tokens;
}

}  // namespace

TextPosition locate_json_pointer(std::string_view text, std::string_view pointer) {
  Scanner scanner(text);
  scanner.skip_space();
  if (scanner.done()) return {};
  TextPosition found = scanner.position();
  for (const std::string& token : split_pointer(pointer)) {
    scanner.skip_space();
    const char open = scanner.peek();
    if (open != '{' && open != '[') return found;
    scanner.advance();
    bool located = false;
    if (open == '{') {
      while (true) {
        scanner.skip_space();
        std::string key;
        if (!scanner.read_string(key)) return found;
        scanner.skip_space();
        if (scanner.peek() != ':') return found;
        scanner.advance();
        scanner.skip_space();
        if (key == token) {
          located = true;
          break;
        }
        if (!scanner.skip_value()) return found;
        scanner.skip_space();
        if (scanner.peek() != ',') return found;
        scanner.advance();
      }
    } else {
      std::size_t index = 0;
      for (char c : token) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return found;
        index = index * 10 + static_cast<std::size_t>(c - '0');
      }
      if (token.empty()) return found;
      scanner.skip_space();
      if (scanner.peek() == ']') return found;
      for (std::size_t i = 0; i < index; ++i) {
        if (!scanner.skip_value()) return found;
        scanner.skip_space();
        if (scanner.peek() != ',') return found;
        scanner.advance();
      }
      scanner.skip_space();
      located = true;
    }
    if (!located) return found;
    found = scanner.position();
  }
  return found;
}

}  // namespace sg::gate
