#include "schemaguard/http/router.h"

#include <fmt/format.h>

#include <array>

namespace sg::http {
namespace {

constexpr std::size_t kMethodSlots = static_cast<std::size_t>(Method::kOther);

constexpr std::size_t slot(Method method) {
  return static_cast<std::size_t>(method);
}

// "/a/b/" -> {"a", "b"}; "/" -> {}. Segments are still percent-encoded.
std::vector<std::string_view> split_path(std::string_view path) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  std::vector<std::string_view> segments;
  if (path.empty()) return segments;
  for (;;) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool is_param_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;
  std::array<const Route*, kMethodSlots> routes{};

  const Route* route_for(Method method) const {
    if (method == Method::kOther) return nullptr;
    if (const Route* route = routes[slot(method)]) return route;
    // JAX-RS answers HEAD with the GET resource method, minus the body.
    if (method == Method::kHead) return routes[slot(Method::kGet)];
    return nullptr;
  }

  bool has_routes() const {
    for (const Route* route : routes) {
      if (route) return true;
    }
    return false;
  }

  std::vector<Method> allowed() const {
    std::vector<Method> methods;
    for (std::size_t i = 0; i < kMethodSlots; ++i) {
      const auto method = static_cast<Method>(i);
      if (routes[i] || (method == Method::kHead && routes[slot(Method::kGet)]) ||
          method == Method::kOptions) {
        methods.push_back(method);
      }
    }
    return methods;
  }
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

Status Router::add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  auto invalid = [&](std::string_view why) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("route {} {}: {}", method_name(method), pattern, why));
  };
  if (method == Method::kOther) return invalid("the method must be a known one");
  if (!handler) return invalid("no handler");
  if (pattern.empty() || pattern.front() != '/') return invalid("the pattern must start with '/'");
  if (pattern.size() > 1 && pattern.back() == '/') return invalid("trailing '/' in the pattern");

  Node* node = root_.get();
  std::vector<std::string> param_names;
  for (std::string_view segment : split_path(pattern)) {
    if (segment.empty()) return invalid("empty segment in the pattern");
    if (segment.front() == '{') {
      if (segment.size() < 3 || segment.back() != '}') return invalid("malformed parameter");
      const auto name = segment.substr(1, segment.size() - 2);
      for (char c : name) {
        if (!is_param_name_char(c)) return invalid("parameter names are [A-Za-z0-9_]+");
      }
      for (const auto& seen : param_names) {
        if (seen == name) return invalid("repeated parameter name");
      }
      param_names.emplace_back(name);
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
    } else {
      if (segment.find_first_of("{}%") != std::string_view::npos) {
        return invalid("literal segments take no '{', '}' or '%'");
      }
      auto it = node->literals.find(segment);
      if (it == node->literals.end()) {
        it = node->literals.emplace(std::string(segment), std::make_unique<Node>()).first;
      }
      node = it->second.get();
    }
  }
  if (node->routes[slot(method)]) return invalid("already registered");

  routes_.push_back(Route{.method = method,
                          .pattern = std::string(pattern),
                          .param_names = std::move(param_names),
                          .handler = std::move(handler),
                          .options = std::move(options)});
  node->routes[slot(method)] = &routes_.back();
  return ok_status();
}

RouteMatch Router::match(Method method, std::string_view path) const {
  RouteMatch result;
  std::vector<std::string> segments;
  for (std::string_view raw : split_path(path)) {
    auto decoded = percent_decode(raw);
    if (!decoded) {
      result.outcome = RouteMatch::Outcome::kBadPath;
      return result;
    }
    segments.push_back(std::move(*decoded));
  }

  // Depth-first, literal children before the parameter child, so the first route found is the
  // most literal one. Paths are a handful of segments deep, so backtracking costs nothing.
  const Node* found = nullptr;
  const Node* path_only = nullptr;  // first node whose path matched, for 405
  std::vector<const std::string*> values;
  std::vector<const std::string*> found_values;
  auto visit = [&](auto& self, const Node& node, std::size_t depth) -> bool {
    if (depth == segments.size()) {
      if (node.route_for(method)) {
        found = &node;
        found_values = values;
        return true;
      }
      if (!path_only && node.has_routes()) path_only = &node;
      return false;
    }
    const std::string& segment = segments[depth];
    if (auto it = node.literals.find(segment); it != node.literals.end()) {
      if (self(self, *it->second, depth + 1)) return true;
    }
    if (node.param && !segment.empty()) {
      values.push_back(&segment);
      const bool done = self(self, *node.param, depth + 1);
      values.pop_back();
      if (done) return true;
    }
    return false;
  };
  visit(visit, *root_, 0);

  if (found) {
    result.outcome = RouteMatch::Outcome::kFound;
    result.route = found->route_for(method);
    result.allowed = found->allowed();
    for (std::size_t i = 0; i < found_values.size(); ++i) {
      result.params.emplace_back(result.route->param_names[i], *found_values[i]);
    }
  } else if (path_only) {
    result.outcome = RouteMatch::Outcome::kMethodNotAllowed;
    result.allowed = path_only->allowed();
  }
  return result;
}

std::string allow_header(const std::vector<Method>& methods) {
  std::string out;
  for (Method method : methods) {
    if (!out.empty()) out += ", ";
    out += method_name(method);
  }
  return out;
}

}  // namespace sg::http
