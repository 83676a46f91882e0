#include "schemaguard/api/json.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>

#include "schemaguard/base/jackson.h"

namespace sg::api {
namespace {

// Jackson's own limit is far deeper than Boost.JSON's default of 32; request entities are
// shallow, but a deep one should be a parse error only when it is absurd.
constexpr std::size_t kMaxDepth = 512;

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// How Jackson's messages describe the token it found.
std::string describe(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::object: return "Object value (token `JsonToken.START_OBJECT`)";
    case boost::json::kind::array: return "Array value (token `JsonToken.START_ARRAY`)";
    case boost::json::kind::string: {
      std::string text;
      append_jackson_string(text, value.get_string());
      return "String " + text;
    }
    case boost::json::kind::bool_:
      return value.get_bool() ? "Boolean value (token `JsonToken.VALUE_TRUE`)"
                              : "Boolean value (token `JsonToken.VALUE_FALSE`)";
    case boost::json::kind::double_:
      return "Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)";
    case boost::json::kind::int64:
    case boost::json::kind::uint64: return "Integer value (token `JsonToken.VALUE_NUMBER_INT`)";
    case boost::json::kind::null: return "Null value (token `JsonToken.VALUE_NULL`)";
  }
  return "value";
}

Result<int> int_in_range(long double value, const boost::json::value& original) {
  if (value < static_cast<long double>(std::numeric_limits<std::int32_t>::min()) ||
      value > static_cast<long double>(std::numeric_limits<std::int32_t>::max())) {
    return framework_failure(
        400, fmt::format("Numeric value ({}) out of range of int (-2147483648 - 2147483647)",
                         boost::json::serialize(original)));
  }
  return static_cast<int>(value);
}

template <typename T>
Result<std::optional<T>> read_member(const boost::json::object& object, std::string_view name,
                                     Result<T> (*coerce)(const boost::json::value&)) {
  const boost::json::value* value = object.if_contains(name);
  if (value == nullptr || value->is_null()) return std::optional<T>();
  SG_ASSIGN_OR_RETURN(T coerced, coerce(*value));
  return std::optional<T>(std::move(coerced));
}

}  // namespace

Error framework_failure(int status, std::string message) {
  // Codes below 1000 are statuses (error.h: the HTTP status of a three-digit code is the code).
  return Error(static_cast<ErrorCode>(status), std::move(message));
}

Error not_found_failure() {
  return framework_failure(404, "HTTP 404 Not Found");
}

// --- JsonWriter -----------------------------------------------------------------------------

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!empty_.empty()) {
    if (!empty_.back()) out_.push_back(',');
    empty_.back() = false;
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_.push_back('{');
  empty_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_.push_back('}');
  empty_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_.push_back('[');
  empty_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_.push_back(']');
  empty_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_jackson_string(out_, name);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  before_value();
  append_jackson_string(out_, text);
  return *this;
}

JsonWriter& JsonWriter::number(std::int64_t value) {
  before_value();
  out_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  before_value();
  out_ += json;
  return *this;
}

void write_value(JsonWriter& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::object:
      out.begin_object();
      for (const auto& member : value.get_object()) {
        write_value(out.key(member.key()), member.value());
      }
      out.end_object();
      return;
    case boost::json::kind::array:
      out.begin_array();
      for (const auto& element : value.get_array()) write_value(out, element);
      out.end_array();
      return;
    case boost::json::kind::string:
      out.string(std::string_view(value.get_string().data(), value.get_string().size()));
      return;
    case boost::json::kind::bool_: out.boolean(value.get_bool()); return;
    case boost::json::kind::null: out.null(); return;
    default: out.raw(boost::json::serialize(value)); return;
  }
}

std::string json_string_array(const std::vector<std::string>& values) {
  JsonWriter out;
  out.begin_array();
  for (const std::string& value : values) out.string(value);
  out.end_array();
  return out.take();
}

std::string json_int_array(const std::vector<int>& values) {
  JsonWriter out;
  out.begin_array();
  for (int value : values) out.number(value);
  out.end_array();
  return out.take();
}

// --- Reading --------------------------------------------------------------------------------

Result<std::optional<boost::json::object>> parse_entity(std::string_view body,
                                                        std::string_view entity) {
  if (is_blank(body)) return std::optional<boost::json::object>();
  boost::json::value value;
  try {
    boost::system::error_code ec;
    boost::json::parse_options options;
    options.max_depth = kMaxDepth;
    value = boost::json::parse(boost::json::string_view(body.data(), body.size()), ec, {}, options);
    if (ec) {
      return framework_failure(400, fmt::format("Unexpected JSON: {}", ec.message()));
    }
  } catch (const std::exception& e) {
    // Only allocation failures throw here.
    return framework_failure(400, fmt::format("Unexpected JSON: {}", e.what()));
  }
  if (value.is_null()) return std::optional<boost::json::object>();
  if (!value.is_object()) return mismatch(entity, value);
  return std::optional<boost::json::object>(std::move(value.get_object()));
}

Error missing_entity(std::string_view parameter) {
  return framework_failure(422, fmt::format("{} must not be null (was null)", parameter));
}

Error mismatch(std::string_view java_type, const boost::json::value& value) {
  return framework_failure(400, fmt::format("Cannot deserialize value of type `{}` from {}",
                                            java_type, describe(value)));
}

Result<std::string> coerce_string(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::string:
      return std::string(value.get_string().data(), value.get_string().size());
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      // Jackson uses the token's text; Boost.JSON keeps the number, which prints the same for
      // integers and for the usual decimals.
      return boost::json::serialize(value);
    case boost::json::kind::bool_: return std::string(value.get_bool() ? "true" : "false");
    default: return mismatch("String", value);
  }
}

Result<int> coerce_int(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::int64:
      return int_in_range(static_cast<long double>(value.get_int64()), value);
    case boost::json::kind::uint64:
      return int_in_range(static_cast<long double>(value.get_uint64()), value);
    case boost::json::kind::double_: {
      // DeserializationFeature.ACCEPT_FLOAT_AS_INT is on by default: truncate.
      const double number = value.get_double();
      if (!std::isfinite(number)) return mismatch("Integer", value);
      return int_in_range(std::trunc(static_cast<long double>(number)), value);
    }
    case boost::json::kind::string: {
      const std::string_view text(value.get_string().data(), value.get_string().size());
      auto parsed = parse_int_param(text);
      if (!parsed.ok()) {
        return framework_failure(
            400, fmt::format("Cannot deserialize value of type `Integer` from {}: not a valid "
                             "`java.lang.Integer` value",
                             describe(value)));
      }
      return *parsed;
    }
    default: return mismatch("Integer", value);
  }
}

Result<bool> coerce_bool(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::bool_: return value.get_bool();
    case boost::json::kind::int64: return value.get_int64() != 0;
    case boost::json::kind::uint64: return value.get_uint64() != 0;
    case boost::json::kind::string: {
      const std::string_view text(value.get_string().data(), value.get_string().size());
      if (iequals(text, "true")) return true;
      if (iequals(text, "false")) return false;
      return framework_failure(
          400, fmt::format("Cannot deserialize value of type `Boolean` from {}: only \"true\" or "
                           "\"false\" recognized",
                           describe(value)));
    }
    default: return mismatch("Boolean", value);
  }
}

Result<std::optional<std::string>> read_string(const boost::json::object& object,
                                               std::string_view name) {
  return read_member<std::string>(object, name, &coerce_string);
}

Result<std::optional<int>> read_int(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  // Jackson coerces an empty string to null for wrapper types.
  if (value != nullptr && value->is_string() && value->get_string().empty()) {
    return std::optional<int>();
  }
  return read_member<int>(object, name, &coerce_int);
}

Result<std::optional<bool>> read_bool(const boost::json::object& object, std::string_view name) {
  return read_member<bool>(object, name, &coerce_bool);
}

Result<int> parse_int_param(std::string_view text) {
  // Integer.valueOf: an optional sign, then at least one decimal digit.
  std::string_view digits = text;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) digits.remove_prefix(1);
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return not_found_failure();
  }
  if (text.front() == '+') text.remove_prefix(1);
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return not_found_failure();
  return value;
}

}  // namespace sg::api
