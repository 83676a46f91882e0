#include "schemaguard/jsonschema/compat/schema_pairs.h"

#include <algorithm>
#include <boost/json.hpp>
#include <string_view>
#include <utility>

namespace sg::jsonschema {
namespace {

namespace json = boost::json;

constexpr std::string_view kNames[] = {
    "id",    "name",    "amount",   "currency", "status",  "created_at", "customer", "items",
    "tags",  "note",    "priority", "source",   "version", "region",     "count",    "email",
    "score", "address", "city",     "zip",      "sku",     "qty",        "channel",  "flag",
};

constexpr std::string_view kWords[] = {"NEW", "PAID", "SHIPPED", "CANCELLED", "REFUNDED", "HELD"};

constexpr std::string_view kPrimitiveTypes[] = {"string", "integer", "number", "boolean", "null"};

// A place in a schema that holds a subschema, as JSON pointer tokens.
using Path = std::vector<std::string>;

json::value* at(json::value& root, const Path& path) {
  json::value* v = &root;
  for (const std::string& token : path) {
    if (v->is_object()) {
      v = v->get_object().if_contains(token);
    } else if (v->is_array()) {
      const std::size_t i = std::stoul(token);
      v = i < v->get_array().size() ? &v->get_array()[i] : nullptr;
    } else {
      return nullptr;
    }
    if (v == nullptr) return nullptr;
  }
  return v;
}

std::string pointer(const Path& path) {
  std::string out;
  for (const std::string& token : path) out += "/" + token;
  return out.empty() ? std::string("(root)") : out;
}

// Every subschema that a mutation may change.
void slots(const json::value& schema, Path& path, std::vector<Path>& out) {
  if (!schema.is_object()) return;
  const json::object& o = schema.get_object();
  if (!o.contains("$ref")) out.push_back(path);
  for (std::string_view keyword : {"properties", "definitions", "$defs"}) {
    const json::value* map = o.if_contains(keyword);
    if (map == nullptr || !map->is_object()) continue;
    for (const auto& [name, sub] : map->get_object()) {
      path.emplace_back(keyword);
      path.emplace_back(name);
      slots(sub, path, out);
      path.pop_back();
      path.pop_back();
    }
  }
  for (std::string_view keyword : {"items", "additionalProperties"}) {
    if (const json::value* sub = o.if_contains(keyword); sub && sub->is_object()) {
      path.emplace_back(keyword);
      slots(*sub, path, out);
      path.pop_back();
    }
  }
  for (std::string_view keyword : {"anyOf", "oneOf"}) {
    const json::value* list = o.if_contains(keyword);
    if (list == nullptr || !list->is_array()) continue;
    for (std::size_t i = 0; i < list->get_array().size(); ++i) {
      path.emplace_back(keyword);
      path.emplace_back(std::to_string(i));
      slots(list->get_array()[i], path, out);
      path.pop_back();
      path.pop_back();
    }
  }
}

std::string type_of(const json::object& o) {
  const json::value* t = o.if_contains("type");
  if (t != nullptr && t->is_string()) return std::string(t->get_string());
  if (t != nullptr && t->is_array()) return "list";
  if (o.contains("enum")) return "enum";
  if (o.contains("anyOf") || o.contains("oneOf")) return "combined";
  if (o.contains("const")) return "const";
  return "";
}

json::array& required_of(json::object& o) {
  json::value& r = o["required"];
  if (!r.is_array()) r.emplace_array();
  return r.get_array();
}

bool has(const json::array& list, std::string_view name) {
  return std::any_of(list.begin(), list.end(),
                     [&](const json::value& v) { return v.is_string() && v.get_string() == name; });
}

void erase_name(json::object& o, std::string_view name) {
  json::value* r = o.if_contains("required");
  if (r == nullptr || !r->is_array()) return;
  json::array& list = r->get_array();
  list.erase(
      std::remove_if(list.begin(), list.end(),
                     [&](const json::value& v) { return v.is_string() && v.get_string() == name; }),
      list.end());
  if (list.empty()) o.erase("required");
}

void erase_name_from(json::array& list, std::string_view value) {
  list.erase(std::remove_if(
                 list.begin(), list.end(),
                 [&](const json::value& v) { return v.is_string() && v.get_string() == value; }),
             list.end());
}

std::int64_t integer_at(const json::object& o, std::string_view key, std::int64_t fallback) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : fallback;
}

}  // namespace

SchemaPairGenerator::SchemaPairGenerator(std::uint64_t seed) : random_(seed) {}

int SchemaPairGenerator::pick(int n) {
  return std::uniform_int_distribution<int>(0, n - 1)(random_);
}

bool SchemaPairGenerator::coin(double probability) {
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_) < probability;
}

std::string SchemaPairGenerator::name() {
  return std::string(kNames[static_cast<std::size_t>(pick(std::size(kNames)))]);
}

json::value SchemaPairGenerator::primitive_schema() {
  json::object s;
  switch (pick(6)) {
    case 0:
      s["type"] = "string";
      if (coin(0.3)) s["minLength"] = pick(3);
      if (coin(0.4)) s["maxLength"] = 3 + pick(20);
      break;
    case 1:
      s["type"] = "integer";
      if (coin(0.4)) s["minimum"] = pick(21) - 10;
      if (coin(0.3)) s["maximum"] = 20 + pick(1000);
      break;
    case 2:
      s["type"] = "number";
      if (coin(0.3)) s["minimum"] = 0;
      if (coin(0.2)) s["exclusiveMaximum"] = 100 + pick(100);
      if (coin(0.15)) s["multipleOf"] = coin(0.5) ? json::value(0.5) : json::value(2);
      break;
    case 3: s["type"] = "boolean"; break;
    case 4: {
      json::array values;
      const int n = 2 + pick(3);
      for (int i = 0; i < n; ++i) {
        json::value w(kWords[static_cast<std::size_t>(pick(std::size(kWords)))]);
        if (!has(values, w.get_string())) values.push_back(w);
      }
      if (coin(0.5)) s["type"] = "string";
      s["enum"] = std::move(values);
      break;
    }
    default: s["type"] = json::array{coin(0.5) ? "string" : "integer", "null"}; break;
  }
  return s;
}

json::value SchemaPairGenerator::property_schema(int depth) {
  const int kind = pick(10);
  if (kind == 0 && depth < 2) return object_schema(depth + 1);
  if (kind == 1 && depth < 3) {
    json::object s;
    s["type"] = "array";
    s["items"] = depth < 2 && coin(0.3) ? object_schema(depth + 1) : primitive_schema();
    if (coin(0.2)) s["minItems"] = pick(2);
    if (coin(0.3)) s["maxItems"] = 2 + pick(5);
    if (coin(0.15)) s["uniqueItems"] = true;
    return s;
  }
  if (kind == 2) {
    // Branches of different types, so a value matches one branch of a oneOf.
    json::array branches;
    const std::size_t first = static_cast<std::size_t>(pick(2));
    json::object a;
    a["type"] = kPrimitiveTypes[first];  // string or integer
    if (first == 0 && coin(0.5)) a["maxLength"] = 4 + pick(10);
    branches.push_back(std::move(a));
    branches.push_back(json::object{{"type", coin(0.5) ? "boolean" : "null"}});
    json::object s;
    s[coin(0.5) ? "anyOf" : "oneOf"] = std::move(branches);
    return s;
  }
  if (kind == 3 && !definitions_.empty()) {
    const std::string& target =
        definitions_[static_cast<std::size_t>(pick(static_cast<int>(definitions_.size())))];
    const char* where = draft_ == Draft::k2020_12 ? "#/$defs/" : "#/definitions/";
    return json::object{{"$ref", std::string(where) + target}};
  }
  if (kind == 4 && coin(0.3)) return json::object{{"const", "v1"}};
  return primitive_schema();
}

json::value SchemaPairGenerator::object_schema(int depth) {
  json::object s;
  s["type"] = "object";
  json::object properties;
  json::array required;
  const int n = depth == 0 ? 2 + pick(5) : 1 + pick(3);
  for (int i = 0; i < n; ++i) {
    std::string key = name();
    if (properties.contains(key)) continue;
    properties[key] = property_schema(depth);
    if (coin(0.45)) required.push_back(json::value(key));
  }
  s["properties"] = std::move(properties);
  if (!required.empty()) s["required"] = std::move(required);
  switch (pick(10)) {
    case 0:
    case 1: s["additionalProperties"] = false; break;
    case 2: s["additionalProperties"] = true; break;
    case 3: s["additionalProperties"] = json::object{{"type", "string"}}; break;
    default: break;
  }
  return s;
}

SchemaPair SchemaPairGenerator::next() {
  SchemaPair pair;
  draft_ = coin(0.6) ? Draft::k7 : Draft::k2020_12;
  pair.draft = draft_;
  definitions_.clear();
  json::object definitions;
  if (coin(0.4)) {
    const int n = 1 + pick(2);
    for (int i = 0; i < n; ++i) {
      const std::string key = i == 0 ? "Address" : "Money";
      definitions[key] = coin(0.6) ? object_schema(2) : primitive_schema();
      definitions_.push_back(key);
    }
  }
  json::value root = object_schema(0);
  json::object& r = root.get_object();
  r["$schema"] = draft_uri(draft_);
  r["title"] = "Event";
  if (!definitions.empty()) r[draft_ == Draft::k2020_12 ? "$defs" : "definitions"] = definitions;
  pair.older = root;
  pair.newer = root;

  const int count = pick(10) < 6 ? 1 : pick(10) < 7 ? 2 : 3;
  for (int i = 0, attempts = 0; i < count && attempts < 50; ++attempts) {
    std::string what = mutate(pair.newer, count == 1);
    if (what.empty()) continue;
    pair.mutations.push_back(std::move(what));
    ++i;
  }
  return pair;
}

std::string SchemaPairGenerator::mutate(json::value& schema, bool alone) {
  std::vector<Path> all;
  Path path;
  slots(schema, path, all);
  if (all.empty()) return {};
  const Path target = all[static_cast<std::size_t>(pick(static_cast<int>(all.size())))];
  json::value* slot = at(schema, target);
  if (slot == nullptr || !slot->is_object()) return {};
  json::object& s = slot->get_object();
  const std::string where = pointer(target);
  const std::string type = type_of(s);

  if (type == "object") {
    json::value* props = s.if_contains("properties");
    if (props == nullptr || !props->is_object()) return {};
    json::object& p = props->get_object();
    switch (pick(12)) {
      case 0:
      case 1: {
        const std::string key = name();
        if (p.contains(key)) return {};
        p[key] = primitive_schema();
        return "add optional property " + key + " at " + where;
      }
      case 2: {
        const std::string key = name();
        if (p.contains(key)) return {};
        p[key] = primitive_schema();
        required_of(s).push_back(json::value(key));
        return "add required property " + key + " at " + where;
      }
      case 3: {
        // Known difference: Confluent accepts it (readers fill the default); a validator does
        // not. Only alone, so that the property test can tell it apart.
        if (!alone) return {};
        const std::string key = name();
        if (p.contains(key)) return {};
        p[key] = json::object{{"type", "string"}, {"default", "none"}};
        required_of(s).push_back(json::value(key));
        return "known: add required property with default " + key + " at " + where;
      }
      case 4: {
        if (p.empty()) return {};
        const std::string key(p.begin()->key());
        p.erase(key);
        erase_name(s, key);
        return "remove property " + key + " at " + where;
      }
      case 5: {
        for (const auto& [key, sub] : p) {
          if (has(required_of(s), key)) continue;
          required_of(s).push_back(json::value(key));
          return "require existing property " + std::string(key) + " at " + where;
        }
        if (required_of(s).empty()) s.erase("required");
        return {};
      }
      case 6: {
        json::array& r = required_of(s);
        if (r.empty()) {
          s.erase("required");
          return {};
        }
        const std::string key(r.back().get_string());
        r.pop_back();
        if (r.empty()) s.erase("required");
        return "unrequire " + key + " at " + where;
      }
      case 7: {
        // Known difference (Confluent parity): not reported by the diff.
        if (!alone) return {};
        const std::string key = name();
        if (p.contains(key) || has(required_of(s), key)) {
          if (required_of(s).empty()) s.erase("required");
          return {};
        }
        required_of(s).push_back(json::value(key));
        return "known: require undeclared name " + key + " at " + where;
      }
      case 8:
        if (s.contains("additionalProperties") && s.at("additionalProperties") == false) {
          return {};
        }
        s["additionalProperties"] = false;
        return "close content model at " + where;
      case 9:
        if (!s.contains("additionalProperties")) return {};
        s.erase("additionalProperties");
        return "open content model at " + where;
      case 10:
        s["additionalProperties"] = json::object{{"type", coin(0.5) ? "string" : "integer"}};
        return "additionalProperties schema at " + where;
      default: {
        const std::string key = name();
        if (p.contains(key)) return {};
        p[key] = json::object{};
        return "add empty-schema property " + key + " at " + where;
      }
    }
  }
  if (type == "string") {
    switch (pick(7)) {
      case 0: {
        const std::int64_t m = integer_at(s, "maxLength", 10);
        s["maxLength"] = std::max<std::int64_t>(integer_at(s, "minLength", 0), m - 1 - pick(4));
        return "lower maxLength at " + where;
      }
      case 1:
        s["maxLength"] = integer_at(s, "maxLength", 10) + 1 + pick(10);
        return "raise maxLength at " + where;
      case 2:
        if (!s.contains("maxLength") && !s.contains("minLength")) return {};
        s.erase("maxLength");
        s.erase("minLength");
        return "remove length bounds at " + where;
      case 3:
        s["minLength"] = integer_at(s, "minLength", 0) + 1 + pick(2);
        if (s.contains("maxLength") &&
            integer_at(s, "maxLength", 0) < integer_at(s, "minLength", 0)) {
          s["maxLength"] = s["minLength"];
        }
        return "raise minLength at " + where;
      case 4: s["type"] = json::array{"string", "null"}; return "make nullable at " + where;
      case 5:
        s["type"] = "integer";
        s.erase("maxLength");
        s.erase("minLength");
        return "string to integer at " + where;
      default: s["format"] = "email"; return "add format at " + where;
    }
  }
  if (type == "integer" || type == "number") {
    switch (pick(7)) {
      case 0:
        s["type"] = type == "integer" ? "number" : "integer";
        return "type " + type + " to other number type at " + where;
      case 1:
        s["minimum"] = integer_at(s, "minimum", -5) + 1 + pick(5);
        return "raise minimum at " + where;
      case 2:
        s["minimum"] = integer_at(s, "minimum", 0) - 1 - pick(5);
        return "lower minimum at " + where;
      case 3:
        s["maximum"] = integer_at(s, "maximum", 1000) - 1 - pick(100);
        if (integer_at(s, "maximum", 0) < integer_at(s, "minimum", -1000000)) {
          s["maximum"] = s["minimum"];
        }
        return "lower maximum at " + where;
      case 4:
        if (!s.contains("minimum") && !s.contains("maximum") && !s.contains("exclusiveMaximum")) {
          return {};
        }
        s.erase("minimum");
        s.erase("maximum");
        s.erase("exclusiveMaximum");
        return "remove numeric bounds at " + where;
      case 5:
        if (s.contains("multipleOf")) {
          s.erase("multipleOf");
          return "remove multipleOf at " + where;
        }
        s["multipleOf"] = coin(0.5) ? 2 : 5;
        return "add multipleOf at " + where;
      default:
        s["type"] = json::array{json::value(type), "string"};
        return "widen to string too at " + where;
    }
  }
  if (type == "boolean") {
    if (coin(0.5)) {
      s["type"] = json::array{"boolean", "null"};
      return "make boolean nullable at " + where;
    }
    s["type"] = "string";
    return "boolean to string at " + where;
  }
  if (type == "enum") {
    json::array& values = s["enum"].get_array();
    if (coin(0.5)) {
      for (std::string_view w : kWords) {
        if (has(values, w)) continue;
        values.push_back(json::value(w));
        return "add enum value " + std::string(w) + " at " + where;
      }
      return {};
    }
    if (values.size() < 2) return {};
    const std::string removed(
        values[static_cast<std::size_t>(pick(static_cast<int>(values.size())))].get_string());
    erase_name_from(values, removed);
    return "remove enum value " + removed + " at " + where;
  }
  if (type == "combined") {
    const char* keyword = s.contains("anyOf") ? "anyOf" : "oneOf";
    json::array& branches = s[keyword].get_array();
    switch (pick(3)) {
      case 0:
        branches.push_back(primitive_schema());
        return std::string("add ") + keyword + " branch at " + where;
      case 1:
        if (branches.size() < 2) return {};
        branches.erase(branches.begin() + pick(static_cast<int>(branches.size())));
        return std::string("remove ") + keyword + " branch at " + where;
      default: {
        json::value list = branches;
        s.erase(keyword);
        const char* other = std::string_view(keyword) == "anyOf" ? "oneOf" : "anyOf";
        s[other] = std::move(list);
        return std::string(keyword) + " to " + other + " at " + where;
      }
    }
  }
  if (type == "list") {
    json::array& types = s["type"].get_array();
    if (coin(0.5) && types.size() > 1) {
      types.erase(types.begin() + pick(static_cast<int>(types.size())));
      return "remove a type from the list at " + where;
    }
    for (std::string_view t : kPrimitiveTypes) {
      if (has(types, t)) continue;
      types.push_back(json::value(t));
      return "add type " + std::string(t) + " at " + where;
    }
    return {};
  }
  if (type == "array") {
    switch (pick(4)) {
      case 0:
        s["maxItems"] = std::max<std::int64_t>(integer_at(s, "minItems", 0),
                                               integer_at(s, "maxItems", 5) - 1 - pick(2));
        return "lower maxItems at " + where;
      case 1:
        s["minItems"] = integer_at(s, "minItems", 0) + 1;
        if (s.contains("maxItems") && integer_at(s, "maxItems", 0) < integer_at(s, "minItems", 0)) {
          s["maxItems"] = s["minItems"];
        }
        return "raise minItems at " + where;
      case 2:
        if (s.contains("uniqueItems")) {
          s.erase("uniqueItems");
          return "remove uniqueItems at " + where;
        }
        s["uniqueItems"] = true;
        return "add uniqueItems at " + where;
      default:
        s.erase("maxItems");
        s.erase("minItems");
        return "remove item bounds at " + where;
    }
  }
  if (type == "const") {
    s["const"] = "v2";
    return "change const at " + where;
  }
  return {};
}

}  // namespace sg::jsonschema
