// Content negotiation as Confluent's REST stack does it (rest-api.md section 1).
//
// Request bodies: `application/vnd.schemaregistry.v1+json`, `application/vnd.schemaregistry+json`,
// `application/json` and `application/octet-stream` are accepted (parameters such as charset are
// ignored); a body without Content-Type counts as octet-stream and is parsed as JSON too. Anything
// else is 415.
//
// Responses: the server offers v1+json (preference 1.0) > schemaregistry+json (0.9) > json (0.5).
// The client's Accept ranks first (q-values, the most specific matching range deciding a type's
// q as RFC 9110 says), the server's preference breaks ties; no Accept, an empty one or one with
// nothing parsable means `*/*`, i.e. v1+json.
#pragma once

#include <optional>
#include <string_view>

namespace sg::http {

inline constexpr std::string_view kSchemaRegistryV1Json = "application/vnd.schemaregistry.v1+json";
inline constexpr std::string_view kSchemaRegistryJson = "application/vnd.schemaregistry+json";
inline constexpr std::string_view kJson = "application/json";
inline constexpr std::string_view kOctetStream = "application/octet-stream";
// The Prometheus text exposition format, version 0.0.4.
inline constexpr std::string_view kPrometheusText = "text/plain; version=0.0.4; charset=utf-8";

// True if a request body with this Content-Type header value (nullopt: no header) is accepted.
bool is_supported_request_type(std::optional<std::string_view> content_type);

// The response media type for an Accept header value (nullopt: no header), or nullopt if the
// client accepts none of the JSON types the server offers (406 Not Acceptable). The returned view
// is one of the constants above.
std::optional<std::string_view> negotiate_response_type(std::optional<std::string_view> accept);

}  // namespace sg::http
