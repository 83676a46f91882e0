// The HTTP messages handlers see: `Request` in, `Response` out.
//
// Handlers are pure functions of a `Request` (see router.h); they never touch sockets, so they
// can be unit-tested by building a `Request` by hand. The connection layer (server.h) fills the
// request from the wire, and turns the response into bytes.
//
// Errors are answered with the Confluent envelope `{"error_code":N,"message":"..."}`:
// `error_response(Error)` for the registry's own errors (HTTP status derived from the code),
// `framework_error(status)` for what the REST framework itself rejects (404 unknown path, 405,
// 415, ...), where Confluent reuses the HTTP status as `error_code`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schemaguard/base/error.h"

namespace sg::http {

enum class Method { kGet, kHead, kPost, kPut, kDelete, kPatch, kOptions, kOther };

// "GET", "POST", ...; "OTHER" for kOther.
std::string_view method_name(Method method);
// The method named by a request line token (case-sensitive, as HTTP methods are); kOther if none.
Method parse_method(std::string_view token);

// Header fields in arrival order. Names compare case-insensitively; a name may repeat.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  void add(std::string name, std::string value);
  // Replaces every field named `name` with one field.
  void set(std::string_view name, std::string value);
  // The first value of `name`, or nullopt. The view lives as long as this object is unchanged.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  const std::vector<Field>& fields() const { return fields_; }
  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

// Decoded query parameters; a key may repeat and keeps the order its values arrived in.
using QueryParams = std::multimap<std::string, std::string, std::less<>>;
// Decoded `{name}` path segments of the matched route, in pattern order.
using PathParams = std::vector<std::pair<std::string, std::string>>;

struct Request {
  Method method = Method::kGet;
  std::string target;  // as sent: "/subjects/a%2Fb/versions?normalize=true"
  std::string path;    // the target's path, still percent-encoded: "/subjects/a%2Fb/versions"
  QueryParams query;   // decoded ('+' is a space)
  Headers headers;
  std::string body;
  // The X-Request-ID the client sent, or a generated v4 UUID; echoed on the response.
  std::string request_id;
  // Set by the router: the pattern that matched ("/subjects/{subject}/versions") and the
  // decoded values of its parameters. The pattern view lives as long as the Router.
  std::string_view route;
  PathParams path_params;

  // The decoded value of path parameter `name`; empty if the route has no such parameter.
  std::string_view path_param(std::string_view name) const;
  // The first value of query parameter `name`, or nullopt.
  std::optional<std::string_view> query_param(std::string_view name) const;
  // JAX-RS boolean query parameter semantics (what Confluent clients rely on): true only for the
  // literal "true", case-insensitively; anything else, or absence, is false.
  bool query_flag(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string body;
  // Empty: the JSON media type negotiated from the request's Accept header (the usual case).
  // Set it for anything that is not JSON, e.g. the Prometheus text format.
  std::string content_type;
  // Sent as they are, after the ones the server sets (Content-Type, Content-Length, Date,
  // X-Request-ID, Connection); do not repeat those here.
  Headers headers;

  // A 200 (or `status`) response with a JSON body.
  static Response json(std::string body, int status = 200);
  // 204 No Content: empty body (DELETE /contexts/{ctx}).
  static Response no_content();
};

// The Confluent error envelope for `error`: HTTP status `http_status(error.code())`, body
// `{"error_code":<code>,"message":"<message>"}`.
Response error_response(const Error& error);
// An envelope with an explicit status and code, for codes outside `ErrorCode`.
Response error_response(int status, std::int32_t error_code, std::string_view message);
// What the REST framework answers for its own rejections: `error_code` = `status` and the
// message "HTTP <status> <reason>" ("HTTP 404 Not Found"); for 500 "Internal Server Error".
Response framework_error(int status);

// The standard reason phrase of `status` ("Not Found"), or "Unknown".
std::string_view reason_phrase(int status);

// Percent-decodes `text`. With `plus_is_space` (query strings) '+' decodes to ' '. Returns
// nullopt on a malformed escape ('%' not followed by two hex digits).
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// Splits a query string ("a=1&b=x%20y&flag") into decoded parameters; a key without '=' has an
// empty value. Returns nullopt on a malformed escape.
std::optional<QueryParams> parse_query(std::string_view query);

}  // namespace sg::http
