#include "schemaguard/jsonschema/generate/generate.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <optional>

#include "schemaguard/jsonschema/uri.h"

namespace sg::jsonschema {
namespace {

namespace json = boost::json;

// The keywords of `schema` and of each of `parts` in one object: properties merged, required
// lists joined, other keywords taken from the first that has them. Good enough to aim a
// generator at allOf (every part at once) or at one branch of anyOf/oneOf plus its parent.
json::object merged(const json::object& schema, const std::vector<const json::object*>& parts,
                    std::initializer_list<std::string_view> drop) {
  json::object out;
  auto take = [&](const json::object& from) {
    for (const auto& [key, value] : from) {
      if (std::find(drop.begin(), drop.end(), key) != drop.end()) continue;
      if (key == "properties" && value.is_object()) {
        json::value& slot = out["properties"];
        if (!slot.is_object()) slot.emplace_object();
        json::object& properties = slot.get_object();
        for (const auto& [name, property] : value.get_object()) {
          if (!properties.contains(name)) properties[name] = property;
        }
      } else if (key == "required" && value.is_array()) {
        json::value& slot = out["required"];
        if (!slot.is_array()) slot.emplace_array();
        json::array& required = slot.get_array();
        for (const auto& name : value.get_array()) {
          if (std::find(required.begin(), required.end(), name) == required.end()) {
            required.push_back(name);
          }
        }
      } else if (!out.contains(key)) {
        out[key] = value;
      }
    }
  };
  take(schema);
  for (const json::object* part : parts) take(*part);
  return out;
}

std::optional<double> number_at(const json::object& schema, std::string_view key) {
  const json::value* value = schema.if_contains(key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->to_number<double>();
}

std::optional<std::size_t> count_at(const json::object& schema, std::string_view key) {
  auto value = number_at(schema, key);
  if (!value || *value < 0 || *value > 1e6) return std::nullopt;
  return static_cast<std::size_t>(*value);
}

}  // namespace

InstanceGenerator::InstanceGenerator(const json::value& schema, GenerateOptions options)
    : root_(schema), options_(std::move(options)), random_(options_.seed) {}

json::value InstanceGenerator::next() {
  return generate(root_, 0);
}

bool InstanceGenerator::coin(double probability) {
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_) < probability;
}

const json::value* InstanceGenerator::resolve(std::string_view ref) const {
  return resolve_local_ref(root_, ref);
}

json::value InstanceGenerator::generate(const json::value& schema, int depth) {
  if (schema.is_bool()) return schema.get_bool() ? any_value(depth) : json::value(nullptr);
  if (!schema.is_object() || depth > options_.max_depth * 3) return any_value(depth);
  const json::object& s = schema.get_object();

  if (const json::value* ref = s.if_contains("$ref"); ref && ref->is_string()) {
    if (const json::value* target = resolve(ref->get_string())) {
      if (s.size() == 1) return generate(*target, depth + 1);
      if (target->is_object()) {
        return generate(json::value(merged(s, {&target->get_object()}, {"$ref"})), depth + 1);
      }
    }
  }
  if (const json::value* value = s.if_contains("const")) return *value;
  if (const json::value* values = s.if_contains("enum");
      values && values->is_array() && !values->get_array().empty()) {
    const auto& list = values->get_array();
    return list[std::uniform_int_distribution<std::size_t>(0, list.size() - 1)(random_)];
  }
  if (const json::value* examples = s.if_contains("examples");
      examples && examples->is_array() && !examples->get_array().empty() && coin(0.2)) {
    const auto& list = examples->get_array();
    return list[std::uniform_int_distribution<std::size_t>(0, list.size() - 1)(random_)];
  }
  if (const json::value* all = s.if_contains("allOf"); all && all->is_array()) {
    std::vector<const json::object*> parts;
    for (const auto& part : all->get_array()) {
      const json::value* target = &part;
      if (part.is_object()) {
        if (const json::value* ref = part.get_object().if_contains("$ref");
            ref && ref->is_string()) {
          if (const json::value* found = resolve(ref->get_string())) target = found;
        }
      }
      if (target->is_object()) parts.push_back(&target->get_object());
    }
    return generate(json::value(merged(s, parts, {"allOf"})), depth + 1);
  }
  for (std::string_view keyword : {"anyOf", "oneOf"}) {
    if (const json::value* branches = s.if_contains(keyword);
        branches && branches->is_array() && !branches->get_array().empty()) {
      const auto& list = branches->get_array();
      const json::value& branch =
          list[std::uniform_int_distribution<std::size_t>(0, list.size() - 1)(random_)];
      const json::value* target = &branch;
      if (branch.is_object()) {
        if (const json::value* ref = branch.get_object().if_contains("$ref");
            ref && ref->is_string()) {
          if (const json::value* found = resolve(ref->get_string())) target = found;
        }
      }
      if (!target->is_object()) return generate(*target, depth + 1);
      return generate(json::value(merged(s, {&target->get_object()}, {"anyOf", "oneOf"})),
                      depth + 1);
    }
  }

  // The type: as declared (one of a list), else as the keywords suggest, else anything.
  std::string type;
  if (const json::value* declared = s.if_contains("type")) {
    if (declared->is_string()) {
      type = std::string(declared->get_string());
    } else if (declared->is_array() && !declared->get_array().empty()) {
      const auto& list = declared->get_array();
      const auto& pick =
          list[std::uniform_int_distribution<std::size_t>(0, list.size() - 1)(random_)];
      if (pick.is_string()) type = std::string(pick.get_string());
    }
  }
  if (type.empty()) {
    if (s.contains("properties") || s.contains("required") || s.contains("additionalProperties")) {
      type = "object";
    } else if (s.contains("items") || s.contains("prefixItems") || s.contains("minItems")) {
      type = "array";
    } else if (s.contains("minLength") || s.contains("maxLength") || s.contains("pattern") ||
               s.contains("format")) {
      type = "string";
    } else if (s.contains("minimum") || s.contains("maximum") || s.contains("multipleOf")) {
      type = "number";
    } else {
      return any_value(depth);
    }
  }
  if (type == "object") return generate_object(s, depth);
  if (type == "array") return generate_array(s, depth);
  if (type == "string") return generate_string(s);
  if (type == "integer") return generate_number(s, true);
  if (type == "number") return generate_number(s, coin(0.5));
  if (type == "boolean") return json::value(coin(0.5));
  return json::value(nullptr);
}

json::value InstanceGenerator::generate_object(const json::object& s, int depth) {
  json::object out;
  const json::object* properties = nullptr;
  if (const json::value* p = s.if_contains("properties"); p && p->is_object()) {
    properties = &p->get_object();
  }
  auto schema_of = [&](std::string_view name) -> const json::value* {
    return properties ? properties->if_contains(name) : nullptr;
  };
  auto add = [&](std::string_view name) {
    if (out.contains(name)) return;
    const json::value* property = schema_of(name);
    out[name] = property ? generate(*property, depth + 1) : any_value(depth + 1);
  };
  if (const json::value* required = s.if_contains("required"); required && required->is_array()) {
    for (const auto& name : required->get_array()) {
      if (name.is_string()) add(name.get_string());
    }
  }
  if (properties && depth < options_.max_depth) {
    for (const auto& [name, property] : *properties) {
      if (coin(0.5)) add(name);
    }
  }
  // Dependencies: a present property brings the ones it requires.
  for (std::string_view keyword : {"dependentRequired", "dependencies"}) {
    const json::value* dependencies = s.if_contains(keyword);
    if (dependencies == nullptr || !dependencies->is_object()) continue;
    for (const auto& [name, needed] : dependencies->get_object()) {
      if (!out.contains(name) || !needed.is_array()) continue;
      for (const auto& other : needed.get_array()) {
        if (other.is_string()) add(other.get_string());
      }
    }
  }
  // Additional members where the content model is open: the names the caller suggests, with
  // values of any type (or of the additionalProperties schema).
  const json::value* additional = s.if_contains("additionalProperties");
  const json::value* unevaluated = s.if_contains("unevaluatedProperties");
  const bool closed = (additional && additional->is_bool() && !additional->get_bool()) ||
                      (unevaluated && unevaluated->is_bool() && !unevaluated->get_bool());
  if (!closed) {
    for (const std::string& name : options_.extra_property_names) {
      if (out.contains(name) || schema_of(name) != nullptr || !coin(0.5)) continue;
      out[name] = additional && additional->is_object() ? generate(*additional, depth + 1)
                                                        : any_value(depth + 1);
    }
  }
  if (auto minimum = count_at(s, "minProperties"); minimum && !closed) {
    for (std::size_t i = 0; out.size() < *minimum && i < *minimum + 8; ++i) {
      out[fmt::format("extra_{}", i)] = additional && additional->is_object()
                                            ? generate(*additional, depth + 1)
                                            : any_value(depth + 1);
    }
  }
  return out;
}

json::value InstanceGenerator::generate_array(const json::object& s, int depth) {
  json::array out;
  // Tuple positions: prefixItems (2020-12) or an items array (earlier drafts); then the rest.
  const json::array* tuple = nullptr;
  const json::value* rest = nullptr;
  if (const json::value* prefix = s.if_contains("prefixItems"); prefix && prefix->is_array()) {
    tuple = &prefix->get_array();
    rest = s.if_contains("items");
  } else if (const json::value* items = s.if_contains("items")) {
    if (items->is_array()) {
      tuple = &items->get_array();
      rest = s.if_contains("additionalItems");
    } else {
      rest = items;
    }
  }
  const std::size_t minimum = count_at(s, "minItems").value_or(0);
  const std::size_t maximum = std::max(
      minimum, std::min(count_at(s, "maxItems")
                            .value_or(minimum + static_cast<std::size_t>(options_.max_array_items)),
                        minimum + static_cast<std::size_t>(options_.max_array_items)));
  std::size_t count = std::uniform_int_distribution<std::size_t>(minimum, maximum)(random_);
  if (depth >= options_.max_depth) count = minimum;
  const bool rest_forbidden = rest && rest->is_bool() && !rest->get_bool();
  if (tuple && rest_forbidden) count = std::min(count, tuple->size());
  const bool unique =
      s.contains("uniqueItems") && s.at("uniqueItems").is_bool() && s.at("uniqueItems").get_bool();
  for (std::size_t i = 0, attempts = 0; out.size() < count && attempts < count * 4; ++attempts) {
    const json::value* item_schema = tuple && i < tuple->size() ? &(*tuple)[i] : rest;
    json::value item = item_schema ? generate(*item_schema, depth + 1) : any_value(depth + 1);
    if (unique && std::find(out.begin(), out.end(), item) != out.end()) continue;
    out.push_back(std::move(item));
    ++i;
  }
  if (const json::value* contains = s.if_contains("contains");
      contains && out.size() < maximum + 1) {
    out.push_back(generate(*contains, depth + 1));
  }
  return out;
}

json::value InstanceGenerator::generate_string(const json::object& s) {
  if (const json::value* format = s.if_contains("format"); format && format->is_string()) {
    const std::string_view name = format->get_string();
    if (name == "date-time") return json::value("2026-11-28T12:34:56Z");
    if (name == "date") return json::value("2026-11-28");
    if (name == "time") return json::value("12:34:56Z");
    if (name == "email") return json::value("someone@example.com");
    if (name == "uuid") return json::value("0fec447c-ccbe-a9b3-d5c8-39d94cc64ea6");
    if (name == "uri" || name == "uri-reference" || name == "iri") {
      return json::value("https://example.com/a");
    }
    if (name == "hostname") return json::value("example.com");
    if (name == "ipv4") return json::value("192.0.2.1");
    if (name == "ipv6") return json::value("2001:db8::1");
  }
  const std::size_t minimum = count_at(s, "minLength").value_or(0);
  const std::size_t maximum =
      std::max(minimum, std::min(count_at(s, "maxLength").value_or(minimum + 12), minimum + 12));
  const std::size_t length = std::uniform_int_distribution<std::size_t>(minimum, maximum)(random_);
  std::string out;
  for (std::size_t i = 0; i < length; ++i) {
    out += static_cast<char>('a' + std::uniform_int_distribution<int>(0, 25)(random_));
  }
  return json::value(out);
}

json::value InstanceGenerator::generate_number(const json::object& s, bool integer) {
  double low = -1000;
  double high = 1000;
  if (auto minimum = number_at(s, "minimum")) low = *minimum;
  if (auto maximum = number_at(s, "maximum")) high = *maximum;
  // Draft 6+: numbers; draft 4: booleans that make minimum/maximum exclusive.
  const double step = integer ? 1.0 : 0.5;
  if (auto exclusive = number_at(s, "exclusiveMinimum")) low = std::max(low, *exclusive + step);
  if (auto exclusive = number_at(s, "exclusiveMaximum")) high = std::min(high, *exclusive - step);
  if (const json::value* flag = s.if_contains("exclusiveMinimum");
      flag && flag->is_bool() && flag->get_bool()) {
    low += step;
  }
  if (const json::value* flag = s.if_contains("exclusiveMaximum");
      flag && flag->is_bool() && flag->get_bool()) {
    high -= step;
  }
  if (s.if_contains("minimum") == nullptr && s.if_contains("exclusiveMinimum") == nullptr &&
      high < low) {
    low = high - 1000;
  }
  if (high < low) high = low;
  if (integer) {
    low = std::ceil(low);
    high = std::floor(high);
    if (high < low) high = low;
  }
  // The bounds themselves half the time: that is where narrowed ranges show.
  const int choice = std::uniform_int_distribution<int>(0, 3)(random_);
  double value = choice == 0   ? low
                 : choice == 1 ? high
                               : std::uniform_real_distribution<double>(low, high)(random_);
  if (auto multiple = number_at(s, "multipleOf"); multiple && *multiple > 0) {
    value = std::ceil(value / *multiple) * *multiple;
  }
  if (integer || std::floor(value) == value) {
    if (std::fabs(value) < 9e15) return json::value(static_cast<std::int64_t>(std::llround(value)));
  }
  return json::value(value);
}

json::value InstanceGenerator::any_value(int depth) {
  const int kinds = depth >= options_.max_depth ? 5 : 7;
  switch (std::uniform_int_distribution<int>(0, kinds - 1)(random_)) {
    case 0: return json::value(nullptr);
    case 1: return json::value(coin(0.5));
    case 2: return json::value(std::uniform_int_distribution<std::int64_t>(-100, 100)(random_));
    case 3: return json::value(std::uniform_real_distribution<double>(-100, 100)(random_));
    case 4: return json::value("text");
    case 5: return json::array{any_value(depth + 1)};
    default: return json::object{{"key", any_value(depth + 1)}};
  }
}

}  // namespace sg::jsonschema
