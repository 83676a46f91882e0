// Routes: method + path pattern -> handler.
//
//   Router router;
//   SG_RETURN_IF_ERROR(router.add(Method::kGet, "/subjects/{subject}/versions/{version}",
//       [&](const Request& r) -> Result<Response> { ... r.path_param("subject") ... }));
//   SG_RETURN_IF_ERROR(router.add(Method::kPost, "/subjects/{subject}/versions", register_fn,
//       blocking_route()));   // waits for a durable write: keep it off the I/O threads
//
// Matching follows what Confluent's JAX-RS stack does with its @Path templates:
// - a path is split on '/' first and each segment percent-decoded afterwards, so a subject sent
//   as "a%2Fb" is the single segment "a/b";
// - `{name}` matches one non-empty segment; literal segments win over parameters;
// - one trailing slash is ignored ("/subjects/" is "/subjects");
// - a path that matches some route but not for the method is 405, with the methods it allows;
// - HEAD falls back to the GET route (the server drops the body), OPTIONS is answered by the
//   server with the Allow list unless a route registers OPTIONS itself.
//
// Thread safety: add routes before the server starts; afterwards the router is only read and
// may be shared by any number of threads.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/http/request.h"

namespace sg::http {

// A request handler: pure, no socket access; may return an Error, which the server answers with
// the Confluent envelope (error_response). Callables returning `Response` convert too.
// Exceptions are a bug but are caught: the client gets 500 "Internal Server Error".
using Handler = std::function<Result<Response>(const Request&)>;

struct RouteOptions {
  // Run the handler on the server's blocking pool instead of an I/O thread, and resume the
  // connection when it returns. Use it for handlers that wait (a registration waits for its
  // durable write, i.e. an fsync): a handler on an I/O thread stalls every connection served
  // by that thread while it runs. Fast in-memory reads should not set it (a thread hop each).
  bool blocking = false;
  // For a blocking route: tried first on the I/O thread; when it answers (not nullopt) that is
  // the response and the hop to the blocking pool is saved. Use it for the common case a
  // blocking handler can settle from memory (re-registering a schema that already exists needs
  // no write). It must be fast and must not wait.
  std::function<std::optional<Result<Response>>(const Request&)> fast_path;
  // A fixed response media type ("text/plain; version=0.0.4; charset=utf-8"). Empty: JSON, with
  // the media type negotiated from Accept (406 if the client accepts none of ours).
  std::string produces;
};

// RouteOptions with `blocking` set. (GCC 12 warns about `{.blocking = true}` under
// -Wmissing-field-initializers, although the other fields have defaults.)
inline RouteOptions blocking_route() {
  RouteOptions options;
  options.blocking = true;
  return options;
}

struct Route {
  Method method = Method::kGet;
  std::string pattern;
  std::vector<std::string> param_names;  // in pattern order
  Handler handler;
  RouteOptions options;
};

struct RouteMatch {
  enum class Outcome {
    kFound,             // `route` and `params` are set
    kNotFound,          // no route has this path: 404
    kMethodNotAllowed,  // `allowed` lists what the path accepts: 405 (OPTIONS: the Allow list)
    kBadPath,           // a malformed percent-escape in the path: 400
  };
  Outcome outcome = Outcome::kNotFound;
  const Route* route = nullptr;  // lives as long as the Router
  PathParams params;
  // The methods registered for the matched path, HEAD and OPTIONS included (set for kFound and
  // kMethodNotAllowed).
  std::vector<Method> allowed;
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Registers `handler` for `method` (not kOther) on `pattern`: '/'-separated literal segments
  // and `{name}` parameters, e.g. "/subjects/{subject}/versions/{version}"; "/" is the root.
  // Fails (kInvalidArgument) on a malformed pattern or a (method, pattern) already registered
  // (parameter names do not matter: "/a/{x}" and "/a/{y}" are the same pattern).
  Status add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});

  // Matches a percent-encoded path (no query string).
  RouteMatch match(Method method, std::string_view path) const;

  // Every registered route, in registration order.
  const std::deque<Route>& routes() const { return routes_; }

 private:
  struct Node;

  std::deque<Route> routes_;  // a deque keeps addresses stable as routes are added
  std::unique_ptr<Node> root_;
};

// "GET, HEAD, POST": the value of an Allow header.
std::string allow_header(const std::vector<Method>& methods);

}  // namespace sg::http
