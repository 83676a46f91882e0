#include "schemaguard/jsonschema/uri.h"

namespace sg::jsonschema {
namespace {

struct UriParts {
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> authority;
  std::string_view path;
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

// RFC 3986 appendix B, by hand.
UriParts split(std::string_view uri) {
  UriParts parts;
  if (auto hash = uri.find('#'); hash != std::string_view::npos) {
    parts.fragment = uri.substr(hash + 1);
    uri = uri.substr(0, hash);
  }
  if (auto question = uri.find('?'); question != std::string_view::npos) {
    parts.query = uri.substr(question + 1);
    uri = uri.substr(0, question);
  }
  const auto colon = uri.find(':');
  if (colon != std::string_view::npos && colon > 0 && uri.find('/') > colon) {
    parts.scheme = uri.substr(0, colon);
    uri = uri.substr(colon + 1);
  }
  if (uri.starts_with("//")) {
    uri.remove_prefix(2);
    const auto slash = uri.find('/');
    parts.authority = uri.substr(0, slash);
    uri = slash == std::string_view::npos ? std::string_view() : uri.substr(slash);
  }
  parts.path = uri;
  return parts;
}

// RFC 3986 section 5.2.4.
std::string remove_dot_segments(std::string_view input) {
  std::string output;
  while (!input.empty()) {
    if (input.starts_with("../")) {
      input.remove_prefix(3);
    } else if (input.starts_with("./")) {
      input.remove_prefix(2);
    } else if (input.starts_with("/./")) {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.starts_with("/../") || input == "/..") {
      input = input.size() == 3 ? std::string_view("/") : input.substr(3);
      const auto slash = output.rfind('/');
      output.erase(slash == std::string::npos ? 0 : slash);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      const auto next = input.find('/', input.front() == '/' ? 1 : 0);
      output.append(input.substr(0, next));
      input = next == std::string_view::npos ? std::string_view() : input.substr(next);
    }
  }
  return output;
}

std::string compose(const UriParts& parts, const std::string& path) {
  std::string out;
  if (parts.scheme) out.append(*parts.scheme).push_back(':');
  if (parts.authority) out.append("//").append(*parts.authority);
  out.append(path);
  if (parts.query) out.append("?").append(*parts.query);
  if (parts.fragment) out.append("#").append(*parts.fragment);
  return out;
}

}  // namespace

std::string resolve_uri(std::string_view base, std::string_view ref) {
  const UriParts r = split(ref);
  if (r.scheme) return compose(r, remove_dot_segments(r.path));
  const UriParts b = split(base);
  UriParts t;
  t.scheme = b.scheme;
  t.fragment = r.fragment;
  std::string path;
  if (r.authority) {
    t.authority = r.authority;
    path = remove_dot_segments(r.path);
    t.query = r.query;
  } else {
    t.authority = b.authority;
    if (r.path.empty()) {
      path = std::string(b.path);
      t.query = r.query ? r.query : b.query;
    } else {
      if (r.path.front() == '/') {
        path = remove_dot_segments(r.path);
      } else {
        std::string merged;
        if (b.authority && b.path.empty()) {
          merged = "/";
        } else {
          const auto slash = b.path.rfind('/');
          if (slash != std::string_view::npos) merged = std::string(b.path.substr(0, slash + 1));
        }
        merged.append(r.path);
        path = remove_dot_segments(merged);
      }
      t.query = r.query;
    }
  }
  return compose(t, path);
}

std::pair<std::string_view, std::string_view> split_fragment(std::string_view uri) {
  const auto hash = uri.find('#');
  if (hash == std::string_view::npos) return {uri, {}};
  return {uri.substr(0, hash), uri.substr(hash + 1)};
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t k = 1; k <= 2; ++k) {
      const char c = text[i + k];
      value *= 16;
      if (c >= '0' && c <= '9') {
        value += c - '0';
      } else if (c >= 'a' && c <= 'f') {
        value += c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        value += c - 'A' + 10;
      } else {
        return std::nullopt;
      }
    }
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

std::optional<std::vector<std::string>> parse_json_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer.front() != '/') return std::nullopt;
  pointer.remove_prefix(1);
  while (true) {
    const auto slash = pointer.find('/');
    const std::string_view raw = pointer.substr(0, slash);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '~') {
        token.push_back(raw[i]);
      } else if (i + 1 < raw.size() && raw[i + 1] == '0') {
        token.push_back('~');
        ++i;
      } else if (i + 1 < raw.size() && raw[i + 1] == '1') {
        token.push_back('/');
        ++i;
      } else {
        return std::nullopt;
      }
    }
    tokens.push_back(std::move(token));
    if (slash == std::string_view::npos) break;
    pointer.remove_prefix(slash + 1);
  }
  return tokens;
}

void append_pointer_token(std::string& pointer, std::string_view token) {
  pointer.push_back('/');
  for (char c : token) {
    if (c == '~') {
      pointer.append("~0");
    } else if (c == '/') {
      pointer.append("~1");
    } else {
      pointer.push_back(c);
    }
  }
}

const boost::json::value* resolve_local_ref(const boost::json::value& root, std::string_view ref) {
  if (ref.empty() || ref.front() != '#') return nullptr;
  const auto fragment = percent_decode(ref.substr(1));
  if (!fragment) return nullptr;
  const auto tokens = parse_json_pointer(*fragment);
  if (!tokens) return nullptr;
  const boost::json::value* at = &root;
  for (const std::string& token : *tokens) {
    if (const boost::json::object* object = at->if_object()) {
      at = object->if_contains(token);
    } else if (const boost::json::array* array = at->if_array()) {
      const bool index = !token.empty() && token.size() < 10 &&
                         token.find_first_not_of("0123456789") == std::string::npos;
      at = index && std::stoul(token) < array->size() ? &(*array)[std::stoul(token)] : nullptr;
    } else {
      return nullptr;
    }
    if (at == nullptr) return nullptr;
  }
  return at;
}

}  // namespace sg::jsonschema
