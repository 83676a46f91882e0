#include "schemaguard/jsonschema/keywords.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "schemaguard/jsonschema/compiled.h"
#include "schemaguard/jsonschema/uri.h"

namespace sg::jsonschema::internal {
namespace json = boost::json;
namespace {

bool is_integral(const json::value& v) {
  if (v.is_int64() || v.is_uint64()) return true;
  if (!v.is_double()) return false;
  const double d = v.get_double();
  return std::isfinite(d) && std::floor(d) == d;
}

bool is_non_negative_integer(const json::value& v) {
  if (v.is_int64()) return v.get_int64() >= 0;
  if (v.is_uint64()) return true;
  return is_integral(v) && v.get_double() >= 0;
}

std::optional<ShapeProblem> problem(std::string_view keyword, std::string message) {
  std::string pointer;
  append_pointer_token(pointer, keyword);
  return ShapeProblem{std::move(pointer), std::move(message)};
}

std::optional<ShapeProblem> problem_at(std::string_view keyword, std::size_t index,
                                       std::string message) {
  std::string pointer;
  append_pointer_token(pointer, keyword);
  pointer.append("/").append(std::to_string(index));
  return ShapeProblem{std::move(pointer), std::move(message)};
}

bool is_type_name(std::string_view name) {
  return name == "null" || name == "boolean" || name == "object" || name == "array" ||
         name == "number" || name == "string" || name == "integer";
}

// An array of unique strings (`required`, `type` lists, `dependentRequired` values).
std::optional<ShapeProblem> check_string_array(std::string_view keyword, const json::value& v,
                                               bool non_empty, std::string_view what) {
  if (!v.is_array()) return problem(keyword, fmt::format("must be an array of {}", what));
  const json::array& array = v.get_array();
  if (non_empty && array.empty()) return problem(keyword, "must not be empty");
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_string()) return problem_at(keyword, i, fmt::format("must be {}", what));
    for (std::size_t j = 0; j < i; ++j) {
      if (array[j] == array[i]) {
        return problem_at(keyword, i, fmt::format("duplicate '{}'", array[i].get_string()));
      }
    }
  }
  return std::nullopt;
}

bool is_anchor_name(std::string_view name) {
  if (name.empty()) return false;
  const auto c0 = name.front();
  if (!((c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z') || c0 == '_')) return false;
  for (char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-' || c == '.')) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool is_schema_value(const json::value& value, Draft draft) {
  return value.is_object() || (value.is_bool() && draft >= Draft::k6);
}

void for_each_subschema(const json::object& schema, Draft draft,
                        const std::function<void(const json::value&, const std::string&)>& visit) {
  const auto suffix = [](std::string_view keyword, std::string_view key, bool with_key) {
    std::string pointer;
    append_pointer_token(pointer, keyword);
    if (with_key) append_pointer_token(pointer, key);
    return pointer;
  };
  const auto one = [&](std::string_view keyword) {
    auto it = schema.find(keyword);
    if (it == schema.end()) return;
    // Draft 4 takes booleans for these two, and only these.
    if (it->value().is_bool() && draft == Draft::k4 &&
        (keyword == "additionalProperties" || keyword == "additionalItems")) {
      visit(it->value(), suffix(keyword, {}, false));
    } else if (is_schema_value(it->value(), draft))
      visit(it->value(), suffix(keyword, {}, false));
  };
  const auto list = [&](std::string_view keyword) {
    auto it = schema.find(keyword);
    if (it == schema.end() || !it->value().is_array()) return;
    const json::array& array = it->value().get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (is_schema_value(array[i], draft))
        visit(array[i], suffix(keyword, std::to_string(i), true));
    }
  };
  const auto map = [&](std::string_view keyword) {
    auto it = schema.find(keyword);
    if (it == schema.end() || !it->value().is_object()) return;
    for (const auto& member : it->value().get_object()) {
      if (is_schema_value(member.value(), draft)) {
        visit(member.value(), suffix(keyword, member.key(), true));
      }
    }
  };
  one("additionalProperties");
  one("not");
  list("allOf");
  list("anyOf");
  list("oneOf");
  map("properties");
  map("patternProperties");
  map("definitions");
  if (draft >= Draft::k6) {
    one("contains");
    one("propertyNames");
  }
  if (draft >= Draft::k7) {
    one("if");
    one("then");
    one("else");
  }
  // `dependencies` became dependentRequired/dependentSchemas in 2019-09; it is kept there
  // for compatibility, as most validators do.
  map("dependencies");
  if (draft >= Draft::k2019_09) {
    map("$defs");
    map("dependentSchemas");
    one("unevaluatedItems");
    one("unevaluatedProperties");
    one("contentSchema");
  }
  if (draft >= Draft::k2020_12) {
    list("prefixItems");
    one("items");
  } else {
    one("additionalItems");
    one("items");
    list("items");
  }
}

std::optional<ShapeProblem> check_keywords(const json::object& schema, Draft draft) {
  const bool modern = draft >= Draft::k2019_09;
  for (const auto& member : schema) {
    const std::string_view k = member.key();
    const json::value& v = member.value();
    const auto schema_valued = [&]() -> std::optional<ShapeProblem> {
      if (is_schema_value(v, draft)) return std::nullopt;
      if (v.is_bool() && (k == "additionalProperties" || k == "additionalItems")) {
        return std::nullopt;
      }
      return problem(k, draft >= Draft::k6 ? "must be a schema (an object or a boolean)"
                                           : "must be a schema (an object)");
    };
    const auto schema_list = [&](bool allow_empty) -> std::optional<ShapeProblem> {
      if (!v.is_array()) return problem(k, "must be an array of schemas");
      if (!allow_empty && v.get_array().empty()) return problem(k, "must not be empty");
      for (std::size_t i = 0; i < v.get_array().size(); ++i) {
        if (!is_schema_value(v.get_array()[i], draft)) {
          return problem_at(k, i, "must be a schema");
        }
      }
      return std::nullopt;
    };
    const auto schema_map = [&]() -> std::optional<ShapeProblem> {
      if (!v.is_object()) return problem(k, "must be an object whose values are schemas");
      for (const auto& entry : v.get_object()) {
        if (!is_schema_value(entry.value(), draft)) {
          std::string pointer;
          append_pointer_token(pointer, k);
          append_pointer_token(pointer, entry.key());
          return ShapeProblem{std::move(pointer), "must be a schema"};
        }
      }
      return std::nullopt;
    };
    const auto string_valued = [&]() -> std::optional<ShapeProblem> {
      if (v.is_string()) return std::nullopt;
      return problem(k, "must be a string");
    };
    const auto count = [&]() -> std::optional<ShapeProblem> {
      if (is_non_negative_integer(v)) return std::nullopt;
      return problem(k, "must be a non-negative integer");
    };
    const auto number = [&]() -> std::optional<ShapeProblem> {
      if (v.is_number()) return std::nullopt;
      return problem(k, "must be a number");
    };
    std::optional<ShapeProblem> found;
    if (k == "type") {
      if (v.is_string()) {
        if (!is_type_name(v.get_string())) {
          found = problem(k, fmt::format("unknown type '{}'", v.get_string().c_str()));
        }
      } else if (v.is_array()) {
        found = check_string_array(k, v, draft == Draft::k4, "a type name");
        if (!found) {
          for (std::size_t i = 0; i < v.get_array().size(); ++i) {
            if (!is_type_name(v.get_array()[i].get_string())) {
              found = problem_at(k, i, "unknown type");
              break;
            }
          }
        }
      } else {
        found = problem(k, "must be a type name or an array of type names");
      }
    } else if (k == "enum") {
      if (!v.is_array()) {
        found = problem(k, "must be an array");
      } else if (draft == Draft::k4 && v.get_array().empty()) {
        found = problem(k, "must not be empty");
      }
    } else if (k == "required") {
      found = check_string_array(k, v, draft == Draft::k4, "property names");
    } else if (k == "multipleOf") {
      if (!v.is_number() || !(v.to_number<double>() > 0)) {
        found = problem(k, "must be a number greater than 0");
      }
    } else if (k == "maximum" || k == "minimum") {
      found = number();
    } else if (k == "exclusiveMaximum" || k == "exclusiveMinimum") {
      if (draft == Draft::k4) {
        if (!v.is_bool()) found = problem(k, "must be a boolean in draft 4");
      } else {
        found = number();
      }
    } else if (k == "maxLength" || k == "minLength" || k == "maxItems" || k == "minItems" ||
               k == "maxProperties" || k == "minProperties" ||
               (modern && (k == "maxContains" || k == "minContains"))) {
      found = count();
    } else if (k == "uniqueItems") {
      if (!v.is_bool()) found = problem(k, "must be a boolean");
    } else if (k == "pattern" || k == "format" || k == "$ref" || k == "$schema" ||
               (k == "id" && draft == Draft::k4) || (k == "$id" && draft >= Draft::k6) ||
               (modern && (k == "$recursiveRef" || k == "$dynamicRef" || k == "$comment"))) {
      found = string_valued();
    } else if (modern && (k == "$anchor" || k == "$dynamicAnchor")) {
      if (!v.is_string() || !is_anchor_name(v.get_string())) {
        found = problem(k, "must be a name: a letter or '_', then letters, digits, '-', '_', '.'");
      }
    } else if (modern && k == "$recursiveAnchor") {
      if (!v.is_bool()) found = problem(k, "must be a boolean");
    } else if (k == "allOf" || k == "anyOf" || k == "oneOf") {
      found = schema_list(false);
    } else if (k == "not" || k == "additionalProperties" ||
               (draft < Draft::k2020_12 && k == "additionalItems") ||
               (draft >= Draft::k6 && (k == "contains" || k == "propertyNames")) ||
               (draft >= Draft::k7 && (k == "if" || k == "then" || k == "else")) ||
               (modern && (k == "unevaluatedItems" || k == "unevaluatedProperties"))) {
      found = schema_valued();
    } else if (k == "items") {
      if (draft >= Draft::k2020_12 || !v.is_array()) {
        found = schema_valued();
      } else {
        found = schema_list(true);
      }
    } else if (draft >= Draft::k2020_12 && k == "prefixItems") {
      found = schema_list(false);
    } else if (k == "properties" || k == "patternProperties" || k == "definitions" ||
               (modern && (k == "$defs" || k == "dependentSchemas"))) {
      found = schema_map();
    } else if (k == "dependencies") {
      if (!v.is_object()) {
        found = problem(k, "must be an object");
      } else {
        for (const auto& entry : v.get_object()) {
          if (entry.value().is_array()) {
            found = check_string_array(k, entry.value(), draft == Draft::k4, "property names");
          } else if (!is_schema_value(entry.value(), draft)) {
            found = problem(k, "each value must be a schema or an array of property names");
          }
          if (found) {
            std::string pointer;
            append_pointer_token(pointer, k);
            append_pointer_token(pointer, entry.key());
            found->pointer = pointer;
            break;
          }
        }
      }
    } else if (modern && k == "dependentRequired") {
      if (!v.is_object()) {
        found = problem(k, "must be an object");
      } else {
        for (const auto& entry : v.get_object()) {
          found = check_string_array(k, entry.value(), false, "property names");
          if (found) {
            std::string pointer;
            append_pointer_token(pointer, k);
            append_pointer_token(pointer, entry.key());
            found->pointer = pointer;
            break;
          }
        }
      }
    }
    if (found) return found;
  }
  return std::nullopt;
}

std::optional<std::string> check_schema_shape(const json::value& schema, Draft draft) {
  // Iterative, so that a deeply nested instance cannot exhaust the stack.
  struct Item {
    const json::value* value;
    std::string pointer;
  };
  std::vector<Item> stack{{&schema, std::string()}};
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    if (!is_schema_value(*item.value, draft)) {
      return fmt::format("{}: must be a schema", item.pointer);
    }
    if (!item.value->is_object()) continue;
    const json::object& object = item.value->get_object();
    if (auto found = check_keywords(object, draft)) {
      return fmt::format("{}{}: {}", item.pointer, found->pointer, found->message);
    }
    for_each_subschema(object, draft, [&](const json::value& sub, const std::string& suffix) {
      stack.push_back({&sub, item.pointer + suffix});
    });
  }
  return std::nullopt;
}

}  // namespace sg::jsonschema::internal
