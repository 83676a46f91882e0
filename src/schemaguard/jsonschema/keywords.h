// Which keywords hold subschemas in which draft, and the shape each keyword must have under
// its draft's meta-schema (internal to sg::jsonschema).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "schemaguard/jsonschema/draft.h"

namespace sg::jsonschema::internal {

// Calls `visit(subschema, pointer)` for each subschema directly inside `schema`, where
// `pointer` leads from `schema` to it ("/properties/a", "/allOf/0", "/not"). Only values that
// can be schemas (objects, and booleans from draft 6) are visited.
void for_each_subschema(
    const boost::json::object& schema, Draft draft,
    const std::function<void(const boost::json::value&, const std::string&)>& visit);

// A keyword of `schema` whose value does not have the shape `draft`'s meta-schema requires.
struct ShapeProblem {
  std::string pointer;  // relative to `schema`: "/minLength", "/required/2"
  std::string message;
};

// Checks the keywords of `schema` itself (not its subschemas). The keywords a draft does not
// define are not checked (they are annotations there).
std::optional<ShapeProblem> check_keywords(const boost::json::object& schema, Draft draft);

// True if `value` can be a schema in `draft` (an object, or a boolean from draft 6).
bool is_schema_value(const boost::json::value& value, Draft draft);

}  // namespace sg::jsonschema::internal
