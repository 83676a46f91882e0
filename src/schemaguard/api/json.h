// JSON at the HTTP edge: writing entities as Confluent's Jackson writes them, and reading request
// entities with Jackson's coercions and Confluent's framework errors.
//
//   JsonWriter out;
//   out.begin_object().key("id").number(1).key("schema").string(text).end_object();
//   Response::json(out.take());
//
//   SG_ASSIGN_OR_RETURN(auto body, parse_entity(request.body, "RegisterSchemaRequest"));
//   if (!body) return missing_entity("register.request");   // no body: 422
//   SG_ASSIGN_OR_RETURN(std::optional<int> version, read_int(*body, "version"));
//
// Framework errors (400 malformed JSON or wrong member types, 404 for unparsable path or query
// integers, 422 missing bodies) travel as an `Error` whose code is the HTTP status itself, like
// Confluent's legacy three-digit codes (error.h): `http::error_response` then answers
// `{"error_code":400,...}` with status 400, exactly what the Java framework sends.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"

namespace sg::api {

// An Error carrying a framework status (400, 404, 422, ...) as its code.
Error framework_failure(int status, std::string message);
// The 404 JAX-RS answers when a path or query parameter does not convert to its Java type.
Error not_found_failure();

// Compact JSON, strings escaped as Jackson escapes them (base/jackson.h), members in the order
// written. Misuse (a value without a key inside an object, unbalanced ends) is a programming
// error and is not checked.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view text);
  JsonWriter& number(std::int64_t value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  // Already serialised JSON (a stored metadata object, say), inserted verbatim.
  JsonWriter& raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();

  std::string out_;
  std::vector<bool> empty_;  // per open container: no member/element written yet
  bool after_key_ = false;
};

// Writes a parsed JSON value, strings escaped as Jackson escapes them (numbers as Boost.JSON
// prints them).
void write_value(JsonWriter& out, const boost::json::value& value);

// `["a","b"]` / `[1,2]`.
std::string json_string_array(const std::vector<std::string>& values);
std::string json_int_array(const std::vector<int>& values);

// Parses a request entity. nullopt for an absent entity (an empty or blank body, or JSON
// `null`), which Confluent's bean validation rejects with 422 where a body is mandatory. A body
// that is not JSON is a 400 with the parser's message; one that is not an object a 400 naming
// `entity` (the Java type, e.g. "RegisterSchemaRequest").
Result<std::optional<boost::json::object>> parse_entity(std::string_view body,
                                                        std::string_view entity);

// The 422 Confluent answers for a missing mandatory body; `parameter` names the Java method
// parameter ("register.request").
Error missing_entity(std::string_view parameter);

// Members read with Jackson's default coercions; absent and `null` are nullopt, and a value of a
// type Jackson refuses is a 400:
// - string: strings; numbers and booleans as their text;
// - int: integers in the int32 range, floats truncated, numeric strings ("" is null);
// - bool: booleans, "true"/"false" (any case), integers (0 is false).
Result<std::optional<std::string>> read_string(const boost::json::object& object,
                                               std::string_view name);
Result<std::optional<int>> read_int(const boost::json::object& object, std::string_view name);
Result<std::optional<bool>> read_bool(const boost::json::object& object, std::string_view name);

// The same coercions for a value already looked up.
Result<std::string> coerce_string(const boost::json::value& value);
Result<int> coerce_int(const boost::json::value& value);
Result<bool> coerce_bool(const boost::json::value& value);

// The 400 Jackson's mapper reports for `value` where `java_type` was expected.
Error mismatch(std::string_view java_type, const boost::json::value& value);

// Parses a JAX-RS Integer parameter (path or query): an optional sign and decimal digits in the
// int32 range, else the framework's 404.
Result<int> parse_int_param(std::string_view text);

}  // namespace sg::api
