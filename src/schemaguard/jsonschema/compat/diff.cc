// The JSON Schema diff: Confluent's rules (compat-rules.md §3.2-§3.4) over the node model.
//
// compare(O, U) returns the differences of one (original, update) node pair with paths relative
// to the pair; callers prefix them. Pairs are memoised. A pair met again while it is still being
// compared (a recursive schema) is cut and taken as compatible; if the pair then turns out
// incompatible, the whole diff runs again with that pair assumed incompatible, until nothing
// changes, so an optimistic cut never hides a real incompatibility.
#include "schemaguard/jsonschema/compat/diff.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <regex>
#include <set>
#include <utility>

#include "schemaguard/jsonschema/compat/internal/explain.h"
#include "schemaguard/jsonschema/compat/internal/model.h"

namespace sg::jsonschema {
namespace {

using namespace compat_internal;

// Confluent's compatible sets (§3.6); everything else is incompatible.
constexpr std::string_view kStrictCompatible[] = {
    "ID_CHANGED",
    "DESCRIPTION_CHANGED",
    "TITLE_CHANGED",
    "DEFAULT_CHANGED",
    "SCHEMA_REMOVED",
    "TYPE_EXTENDED",
    "MAX_LENGTH_INCREASED",
    "MAX_LENGTH_REMOVED",
    "MIN_LENGTH_DECREASED",
    "MIN_LENGTH_REMOVED",
    "PATTERN_REMOVED",
    "MAXIMUM_INCREASED",
    "MAXIMUM_REMOVED",
    "MINIMUM_DECREASED",
    "MINIMUM_REMOVED",
    "EXCLUSIVE_MAXIMUM_INCREASED",
    "EXCLUSIVE_MAXIMUM_REMOVED",
    "EXCLUSIVE_MINIMUM_DECREASED",
    "EXCLUSIVE_MINIMUM_REMOVED",
    "MULTIPLE_OF_REDUCED",
    "MULTIPLE_OF_REMOVED",
    "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
    "REQUIRED_ATTRIBUTE_REMOVED",
    "DEPENDENCY_ARRAY_NARROWED",
    "DEPENDENCY_ARRAY_REMOVED",
    "DEPENDENCY_SCHEMA_REMOVED",
    "MAX_PROPERTIES_INCREASED",
    "MAX_PROPERTIES_REMOVED",
    "MIN_PROPERTIES_DECREASED",
    "MIN_PROPERTIES_REMOVED",
    "ADDITIONAL_PROPERTIES_ADDED",
    "ADDITIONAL_PROPERTIES_EXTENDED",
    "UNEVALUATED_PROPERTIES_ADDED",
    "UNEVALUATED_PROPERTIES_EXTENDED",
    "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
    "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
    "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
    "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "MAX_ITEMS_INCREASED",
    "MAX_ITEMS_REMOVED",
    "MIN_ITEMS_DECREASED",
    "MIN_ITEMS_REMOVED",
    "MAX_CONTAINS_INCREASED",
    "MAX_CONTAINS_REMOVED",
    "MIN_CONTAINS_DECREASED",
    "MIN_CONTAINS_REMOVED",
    "UNIQUE_ITEMS_REMOVED",
    "ADDITIONAL_ITEMS_ADDED",
    "ADDITIONAL_ITEMS_EXTENDED",
    "UNEVALUATED_ITEMS_ADDED",
    "UNEVALUATED_ITEMS_EXTENDED",
    "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
    "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
    "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
    "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "ENUM_ARRAY_EXTENDED",
    "COMBINED_TYPE_EXTENDED",
    "PRODUCT_TYPE_NARROWED",
    "SUM_TYPE_EXTENDED",
    "NOT_TYPE_NARROWED",
};

// What LENIENT accepts on top of STRICT.
constexpr std::string_view kLenientOnly[] = {
    "ADDITIONAL_PROPERTIES_NARROWED",
    "ADDITIONAL_PROPERTIES_REMOVED",
    "UNEVALUATED_PROPERTIES_NARROWED",
    "UNEVALUATED_PROPERTIES_REMOVED",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
    "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
};

constexpr std::string_view kUnsupported = "UNSUPPORTED_KEYWORD_CHANGED";

// One difference with its path relative to the pair it was found in.
using Diff = Finding;

struct Outcome {
  std::vector<Diff> diffs;
  bool tainted = false;  // depends on a recursive pair assumed incompatible
};

std::string text_of(const json::value* v) {
  return v == nullptr ? std::string() : json::serialize(*v);
}

std::string criterion_name(Criterion c) {
  switch (c) {
    case Criterion::kAllOf: return "allOf";
    case Criterion::kAnyOf: return "anyOf";
    case Criterion::kOneOf: return "oneOf";
  }
  return "allOf";
}

// How a node is described in type-change messages: "a string", "an object", "anyOf[...]".
std::string kind_text(const Node* n) {
  switch (n->kind) {
    case Kind::kEmpty: return "any value";
    case Kind::kFalse: return "no value at all (false)";
    case Kind::kBoolean: return "a boolean";
    case Kind::kNull: return "null";
    case Kind::kString: return "a string";
    case Kind::kNumber: return n->integer ? "an integer" : "a number";
    case Kind::kObject: return "an object";
    case Kind::kArray: return "an array";
    case Kind::kEnum:
      return concat({"one of the values ", text_of(n->object->if_contains("enum"))});
    case Kind::kConst: return concat({"the constant ", text_of(n->values.front())});
    case Kind::kNot: return "a \"not\" schema";
    case Kind::kCombined: {
      std::string text = criterion_name(n->criterion) + " of (";
      for (std::size_t i = 0; i < n->members.size(); ++i) {
        if (i > 0) text += ", ";
        const Node* m = deref(n->members[i]);
        text += m == nullptr ? "?" : kind_text(m);
      }
      return text + ")";
    }
    case Kind::kRef: return "a reference";
  }
  return "a schema";
}

bool contains_name(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Whether x is an integer multiple of y (decimal values such as 0.1 included).
bool is_multiple(double x, double y) {
  if (y == 0) return false;
  const double r = x / y;
  return std::fabs(r - std::round(r)) < 1e-9 * std::max(1.0, std::fabs(r));
}

bool same_member(const Node* a, const Node* b) {
  a = deref(a);
  b = deref(b);
  if (a == b) return true;
  if (a == nullptr || b == nullptr) return false;
  return a->kind == b->kind && a->integer == b->integer && a->criterion == b->criterion &&
         json_equal(*a->source, *b->source);
}

// Members with duplicates removed, with their index in the written list.
std::vector<std::pair<std::size_t, const Node*>> distinct_members(const Node* n) {
  std::vector<std::pair<std::size_t, const Node*>> out;
  for (std::size_t i = 0; i < n->members.size(); ++i) {
    const Node* m = n->members[i];
    const bool seen = std::any_of(out.begin(), out.end(),
                                  [&](const auto& other) { return same_member(other.second, m); });
    if (!seen) out.emplace_back(i, m);
  }
  return out;
}

// Whether `name` matches an ECMA-262 `pattern` anywhere (patterns are not anchored).
bool pattern_matches(const std::string& pattern, const std::string& name) {
  try {
    return std::regex_search(name, std::regex(pattern, std::regex::ECMAScript));
  } catch (const std::regex_error&) {
    return false;
  }
}

// The content model of an object or array for one property name or item position (§3.4).
struct Cover {
  enum class Model { kOpen, kPartial, kClosed };
  Model model = Model::kClosed;
  const Node* schema = nullptr;  // kPartial: the schema the name falls under
};

bool unevaluated_open(const Extra& e) {
  return e.state == Extra::State::kAbsent || e.state == Extra::State::kTrue;
}

Cover property_cover(const Node* n, const std::string& name) {
  for (const auto& [pattern, schema] : n->pattern_properties) {
    if (pattern_matches(pattern, name)) return {Cover::Model::kPartial, schema};
  }
  const Extra& additional = n->additional_properties;
  // Confluent calls a model with patternProperties never open; a name no pattern matches still
  // falls under additionalProperties, so here it is open when those are unconstrained.
  if (additional.unconstrained() && unevaluated_open(n->unevaluated_properties)) {
    return {Cover::Model::kOpen, nullptr};
  }
  if (additional.state == Extra::State::kSchema) return {Cover::Model::kPartial, additional.schema};
  if (additional.unconstrained() && n->unevaluated_properties.state == Extra::State::kSchema) {
    return {Cover::Model::kPartial, n->unevaluated_properties.schema};
  }
  return {Cover::Model::kClosed, nullptr};
}

Cover item_cover(const Node* n) {
  const Extra& additional = n->additional_items;
  if (additional.unconstrained() && unevaluated_open(n->unevaluated_items)) {
    return {Cover::Model::kOpen, nullptr};
  }
  if (additional.state == Extra::State::kSchema) return {Cover::Model::kPartial, additional.schema};
  if (additional.unconstrained() && n->unevaluated_items.state == Extra::State::kSchema) {
    return {Cover::Model::kPartial, n->unevaluated_items.schema};
  }
  return {Cover::Model::kClosed, nullptr};
}

bool closed_to_additional_properties(const Node* n) {
  return n->additional_properties.state == Extra::State::kFalse ||
         (n->additional_properties.unconstrained() &&
          n->unevaluated_properties.state == Extra::State::kFalse);
}

class Differ {
 public:
  explicit Differ(const DiffOptions& options) : options_(options) {}

  // Runs compare(original, update) until no recursive-pair assumption changes.
  std::vector<Diff> run(const Node* original, const Node* update) {
    Outcome out;
    for (int round = 0; round < 64; ++round) {
      memo_.clear();
      cut_.clear();
      changed_ = false;
      out = compare(original, update);
      if (!changed_) break;
    }
    return std::move(out.diffs);
  }

 private:
  using Key = std::pair<const Node*, const Node*>;

  bool compatible_type(std::string_view type) const {
    return is_compatible_type(type, options_.policy);
  }

  bool compatible(const Outcome& out) const {
    if (out.tainted) return false;
    return std::all_of(out.diffs.begin(), out.diffs.end(),
                       [&](const Diff& d) { return compatible_type(d.type); });
  }

  static void add(Outcome& out, std::string_view type, std::string path, std::string o_ptr,
                  std::string u_ptr, std::string before = {}, std::string after = {}) {
    Diff d;
    d.type = std::string(type);
    d.path = std::move(path);
    d.original_pointer = std::move(o_ptr);
    d.update_pointer = std::move(u_ptr);
    d.before = std::move(before);
    d.after = std::move(after);
    out.diffs.push_back(std::move(d));
  }

  // A difference at keyword `keyword` of the pair (o, u).
  static void add_at(Outcome& out, std::string_view type, const Node* o, const Node* u,
                     std::string_view keyword, std::string before = {}, std::string after = {}) {
    add(out, type, keyword.empty() ? std::string() : concat({"/", keyword}),
        keyword.empty() ? o->location : o->pointer_to(keyword),
        keyword.empty() ? u->location : u->pointer_to(keyword), std::move(before),
        std::move(after));
  }

  static void merge(Outcome& out, Outcome child, std::string_view prefix) {
    for (Diff& d : child.diffs) {
      d.path = std::string(prefix) + d.path;
      out.diffs.push_back(std::move(d));
    }
    out.tainted = out.tainted || child.tainted;
  }

  Outcome compare(const Node* o, const Node* u) {
    o = deref(o);
    u = deref(u);
    const Key key{o, u};
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    if (stack_.contains(key)) {
      cut_.insert(key);
      Outcome assumed;
      assumed.tainted = assumed_incompatible_.contains(key);
      return assumed;
    }
    stack_.insert(key);
    Outcome out = compare_nodes(o, u);
    stack_.erase(key);
    if (cut_.contains(key) && !compatible(out) && !assumed_incompatible_.contains(key)) {
      assumed_incompatible_.insert(key);
      changed_ = true;
    }
    memo_.emplace(key, out);
    return out;
  }

  Outcome compare_nodes(const Node* o, const Node* u) {
    Outcome out;
    const bool o_combined = o->kind == Kind::kCombined;
    const bool u_combined = u->kind == Kind::kCombined;
    // Keywords nobody compares. When only one side is combined the rules below compare its
    // members with the other side, and the members carry the same keywords.
    if (o_combined == u_combined && o->kind != Kind::kFalse) compare_unchecked(out, o, u);

    if (u_combined && !o_combined) {
      const auto members = distinct_members(u);
      if (members.size() == 1) {
        merge(out, compare(o, members.front().second), "");
        return out;
      }
      if (u->criterion != Criterion::kAllOf) {
        for (const auto& member : members) {
          Outcome r = compare(o, member.second);
          if (!compatible(r)) continue;
          merge(out, std::move(r), "");
          add_at(out, "SUM_TYPE_EXTENDED", o, u, "");
          return out;
        }
      }
    }
    if (o_combined && !u_combined) {
      const auto members = distinct_members(o);
      if (members.size() == 1) {
        merge(out, compare(members.front().second, u), "");
        return out;
      }
      if (o->criterion == Criterion::kAllOf) {
        for (const auto& member : members) {
          Outcome r = compare(member.second, u);
          if (!compatible(r)) continue;
          merge(out, std::move(r), "");
          add_at(out, "PRODUCT_TYPE_NARROWED", o, u, "");
          return out;
        }
      }
    }
    if (o->kind != u->kind) {
      if (o->kind == Kind::kFalse || u->kind == Kind::kEmpty ||
          (o->connect_bytes && u->connect_bytes)) {
        if (o_combined != u_combined && u->kind == Kind::kEmpty && o->kind != Kind::kFalse) {
          compare_unchecked(out, o, u);  // skipped above; an empty update has no members
        }
        return out;
      }
      add_at(out, "TYPE_CHANGED", o, u, "", kind_text(o), kind_text(u));
      return out;
    }

    auto annotation = [&](const json::value* a, const json::value* b, std::string_view type) {
      if (a == nullptr && b == nullptr) return;
      if (a != nullptr && b != nullptr && json_equal(*a, *b)) return;
      add_at(out, type, o, u, "", text_of(a), text_of(b));
    };
    annotation(o->id, u->id, "ID_CHANGED");
    annotation(o->title, u->title, "TITLE_CHANGED");
    annotation(o->description, u->description, "DESCRIPTION_CHANGED");
    annotation(o->default_value, u->default_value, "DEFAULT_CHANGED");

    switch (o->kind) {
      case Kind::kString: compare_string(out, o, u); break;
      case Kind::kNumber: compare_number(out, o, u); break;
      case Kind::kObject: compare_object(out, o, u); break;
      case Kind::kArray: compare_array(out, o, u); break;
      case Kind::kEnum: compare_enum(out, o, u); break;
      case Kind::kConst:
        if (!json_equal(*o->values.front(), *u->values.front())) {
          add_at(out, "ENUM_ARRAY_CHANGED", o, u, "const", text_of(o->values.front()),
                 text_of(u->values.front()));
        }
        break;
      case Kind::kNot: compare_not(out, o, u); break;
      case Kind::kCombined: compare_combined(out, o, u); break;
      case Kind::kEmpty:
      case Kind::kFalse:
      case Kind::kBoolean:
      case Kind::kNull:
      case Kind::kRef: break;
    }
    return out;
  }

  void compare_unchecked(Outcome& out, const Node* o, const Node* u) {
    static const Unchecked kNone;
    const Unchecked& a = o->unchecked ? *o->unchecked : kNone;
    const Unchecked& b = u->unchecked ? *u->unchecked : kNone;
    std::set<std::string_view> names;
    for (const auto& entry : a) names.insert(entry.first);
    for (const auto& entry : b) names.insert(entry.first);
    for (std::string_view name : names) {
      auto x = a.find(name);
      auto y = b.find(name);
      const json::value* before = x == a.end() ? nullptr : x->second;
      const json::value* after = y == b.end() ? nullptr : y->second;
      if (before != nullptr && after != nullptr && json_equal(*before, *after)) continue;
      add_at(out, kUnsupported, o, u, name, text_of(before), text_of(after));
    }
  }

  // A bound where a larger value accepts more (`upper`) or less.
  void bound(Outcome& out, const Node* o, const Node* u, const json::value* a, const json::value* b,
             std::string_view keyword, std::string_view prefix, bool upper) {
    if (a == nullptr && b == nullptr) return;
    std::string type(prefix);
    if (a == nullptr) {
      type += "_ADDED";
    } else if (b == nullptr) {
      type += "_REMOVED";
    } else {
      const double x = number_of(*a);
      const double y = number_of(*b);
      if (x == y) return;
      type += y > x ? "_INCREASED" : "_DECREASED";
    }
    (void)upper;  // the type names say it; the compatible sets decide
    add_at(out, type, o, u, keyword, text_of(a), text_of(b));
  }

  void compare_string(Outcome& out, const Node* o, const Node* u) {
    bound(out, o, u, o->max_length, u->max_length, "maxLength", "MAX_LENGTH", true);
    bound(out, o, u, o->min_length, u->min_length, "minLength", "MIN_LENGTH", false);
    if (o->pattern == nullptr && u->pattern != nullptr) {
      add_at(out, "PATTERN_ADDED", o, u, "pattern", "", text_of(u->pattern));
    } else if (o->pattern != nullptr && u->pattern == nullptr) {
      add_at(out, "PATTERN_REMOVED", o, u, "pattern", text_of(o->pattern), "");
    } else if (o->pattern != nullptr && *o->pattern != *u->pattern) {
      add_at(out, "PATTERN_CHANGED", o, u, "pattern", text_of(o->pattern), text_of(u->pattern));
    }
  }

  void compare_number(Outcome& out, const Node* o, const Node* u) {
    bound(out, o, u, o->maximum, u->maximum, "maximum", "MAXIMUM", true);
    bound(out, o, u, o->minimum, u->minimum, "minimum", "MINIMUM", false);
    bound(out, o, u, o->exclusive_maximum, u->exclusive_maximum, "exclusiveMaximum",
          "EXCLUSIVE_MAXIMUM", true);
    bound(out, o, u, o->exclusive_minimum, u->exclusive_minimum, "exclusiveMinimum",
          "EXCLUSIVE_MINIMUM", false);
    const json::value* a = o->multiple_of;
    const json::value* b = u->multiple_of;
    if (a == nullptr && b != nullptr) {
      add_at(out, "MULTIPLE_OF_ADDED", o, u, "multipleOf", "", text_of(b));
    } else if (a != nullptr && b == nullptr) {
      add_at(out, "MULTIPLE_OF_REMOVED", o, u, "multipleOf", text_of(a), "");
    } else if (a != nullptr && number_of(*a) != number_of(*b)) {
      const double x = number_of(*a);
      const double y = number_of(*b);
      const char* type = is_multiple(y, x)   ? "MULTIPLE_OF_EXPANDED"
                         : is_multiple(x, y) ? "MULTIPLE_OF_REDUCED"
                                             : "MULTIPLE_OF_CHANGED";
      add_at(out, type, o, u, "multipleOf", text_of(a), text_of(b));
    }
    if (o->integer && !u->integer) add_at(out, "TYPE_EXTENDED", o, u, "", "integer", "number");
    if (!o->integer && u->integer) add_at(out, "TYPE_NARROWED", o, u, "", "number", "integer");
  }

  void compare_enum(Outcome& out, const Node* o, const Node* u) {
    auto in = [](const json::value* v, const std::vector<const json::value*>& set) {
      return std::any_of(set.begin(), set.end(),
                         [&](const json::value* w) { return json_equal(*v, *w); });
    };
    const bool u_has_all = std::all_of(o->values.begin(), o->values.end(),
                                       [&](const json::value* v) { return in(v, u->values); });
    const bool o_has_all = std::all_of(u->values.begin(), u->values.end(),
                                       [&](const json::value* v) { return in(v, o->values); });
    if (u_has_all && o_has_all) return;
    const char* type = u_has_all   ? "ENUM_ARRAY_EXTENDED"
                       : o_has_all ? "ENUM_ARRAY_NARROWED"
                                   : "ENUM_ARRAY_CHANGED";
    add_at(out, type, o, u, "enum", text_of(o->object->if_contains("enum")),
           text_of(u->object->if_contains("enum")));
  }

  void compare_not(Outcome& out, const Node* o, const Node* u) {
    // What `not` excludes shrinks when the update's negated schema reads the original's.
    const Node* a = deref(o->negated);
    const Node* b = deref(u->negated);
    if (a == b || json_equal(*a->source, *b->source)) return;
    Outcome r = compare(u->negated, o->negated);
    add_at(out, compatible(r) ? "NOT_TYPE_NARROWED" : "NOT_TYPE_EXTENDED", o, u, "not",
           text_of(o->object->if_contains("not")), text_of(u->object->if_contains("not")));
  }

  static const Node* find_property(const Node* n, std::string_view name) {
    for (const auto& [key, schema] : n->properties) {
      if (key == name) return schema;
    }
    return nullptr;
  }

  static std::string property_pointer(const Node* parent, const Node* property) {
    return property != nullptr ? property->location : parent->location;
  }

  void compare_object(Outcome& out, const Node* o, const Node* u) {
    for (const auto& [name, op] : o->properties) {
      const std::string path = "/properties/" + name;
      const Node* up = find_property(u, name);
      if (up != nullptr) {
        const bool was_required = contains_name(o->required, name);
        const bool is_required = contains_name(u->required, name);
        if (was_required && !is_required) {
          add(out, "REQUIRED_ATTRIBUTE_REMOVED", "/required/" + name, o->pointer_to("required"),
              up->location);
        } else if (!was_required && is_required) {
          const Node* target = deref(up);
          add(out,
              target->default_value != nullptr ? "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED"
                                               : "REQUIRED_ATTRIBUTE_ADDED",
              "/required/" + name, op->location, u->pointer_to("required"), "",
              text_of(target->default_value));
        }
        merge(out, compare(op, up), path);
        continue;
      }
      // Removed: can the update still read it?
      const Cover cover = property_cover(u, name);
      const std::string u_ptr = u->pointer_to("properties");
      if (cover.model == Cover::Model::kOpen) {
        add(out, "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", path, op->location, u_ptr);
      } else if (cover.model == Cover::Model::kPartial) {
        Outcome r = compare(op, cover.schema);
        const bool ok = compatible(r);
        merge(out, std::move(r), path);
        add(out,
            ok ? "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
               : "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
            path, op->location, cover.schema->location);
      } else {
        add(out,
            deref(op)->kind == Kind::kFalse
                ? "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
                : "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
            path, op->location, u_ptr);
      }
    }
    for (const auto& [name, up] : u->properties) {
      if (find_property(o, name) != nullptr) continue;
      const std::string path = "/properties/" + name;
      const Node* target = deref(up);
      const bool required = contains_name(u->required, name);
      const bool with_default = target->default_value != nullptr;
      const Cover cover = property_cover(o, name);
      const std::string o_ptr = o->pointer_to("properties");
      if (cover.model == Cover::Model::kOpen) {
        const char* type = target->kind == Kind::kEmpty
                               ? "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
                           : required && with_default
                               ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"
                           : required ? "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
                                      : "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL";
        add(out, type, path, o_ptr, up->location);
        continue;
      }
      if (cover.model == Cover::Model::kPartial) {
        Outcome r = compare(cover.schema, up);
        const bool ok = compatible(r);
        merge(out, std::move(r), path);
        add(out,
            ok ? "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
               : "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
            path, cover.schema->location, up->location);
      }
      const char* type = required && with_default
                             ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL"
                         : required ? "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
                                    : "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL";
      add(out, type, path, o_ptr, up->location);
    }
    compare_dependencies(out, o, u);
    compare_additional(out, o, u, o->additional_properties, u->additional_properties,
                       "additionalProperties", "ADDITIONAL_PROPERTIES");
    compare_unevaluated(out, o, u, o->unevaluated_properties, u->unevaluated_properties,
                        "unevaluatedProperties", "UNEVALUATED_PROPERTIES");
    bound(out, o, u, o->max_properties, u->max_properties, "maxProperties", "MAX_PROPERTIES", true);
    bound(out, o, u, o->min_properties, u->min_properties, "minProperties", "MIN_PROPERTIES",
          false);
    if (options_.fail_closed) compare_pattern_properties(out, o, u);
  }

  // Not compared by Confluent at all. Same pattern on both sides: diff the schemas. A pattern
  // only on one side is safe when the original was closed to other names (added) or the update
  // is open to them (removed); otherwise it is reported, since the model cannot judge it.
  void compare_pattern_properties(Outcome& out, const Node* o, const Node* u) {
    auto find = [](const Node* n, const std::string& pattern) -> const Node* {
      for (const auto& [p, schema] : n->pattern_properties) {
        if (p == pattern) return schema;
      }
      return nullptr;
    };
    for (const auto& [pattern, os] : o->pattern_properties) {
      const std::string path = "/patternProperties/" + pattern;
      if (const Node* us = find(u, pattern)) {
        merge(out, compare(os, us), path);
      } else if (!(u->additional_properties.unconstrained() &&
                   unevaluated_open(u->unevaluated_properties))) {
        add(out, kUnsupported, path, os->location, u->pointer_to("patternProperties"),
            text_of(os->source), "");
      }
    }
    for (const auto& [pattern, us] : u->pattern_properties) {
      if (find(o, pattern) != nullptr || closed_to_additional_properties(o)) continue;
      add(out, kUnsupported, "/patternProperties/" + pattern, o->pointer_to("patternProperties"),
          us->location, "", text_of(us->source));
    }
  }

  void compare_dependencies(Outcome& out, const Node* o, const Node* u) {
    auto find = [](const Node* n, const std::string& name) -> const Dependency* {
      for (const auto& [key, dep] : n->dependencies) {
        if (key == name) return &dep;
      }
      return nullptr;
    };
    auto names_text = [](const Dependency& d) {
      std::string text = "[";
      for (std::size_t i = 0; i < d.names.size(); ++i) {
        text += (i > 0 ? ", \"" : "\"") + d.names[i] + "\"";
      }
      return text + "]";
    };
    auto pointer = [](const Node* n, const Dependency& d, const std::string& name) {
      if (n->pinned) return n->location;
      return concat(
          {n->location, "/", escape_pointer_segment(d.keyword), "/", escape_pointer_segment(name)});
    };
    for (const auto& entry : o->dependencies) {
      // Not a structured binding: clang 14 cannot capture those in the lambdas below.
      const std::string& name = entry.first;
      const Dependency& od = entry.second;
      const std::string path = "/dependencies/" + name;
      const Dependency* ud = find(u, name);
      if (ud != nullptr && od.is_array && ud->is_array) {
        const bool u_has_all = std::all_of(od.names.begin(), od.names.end(), [&](const auto& x) {
          return contains_name(ud->names, x);
        });
        const bool o_has_all = std::all_of(ud->names.begin(), ud->names.end(), [&](const auto& x) {
          return contains_name(od.names, x);
        });
        if (u_has_all && o_has_all) continue;
        add(out,
            u_has_all   ? "DEPENDENCY_ARRAY_EXTENDED"
            : o_has_all ? "DEPENDENCY_ARRAY_NARROWED"
                        : "DEPENDENCY_ARRAY_CHANGED",
            path, pointer(o, od, name), pointer(u, *ud, name), names_text(od), names_text(*ud));
        continue;
      }
      if (ud != nullptr && !od.is_array && !ud->is_array) {
        merge(out, compare(od.schema, ud->schema), path);
        continue;
      }
      add(out, od.is_array ? "DEPENDENCY_ARRAY_REMOVED" : "DEPENDENCY_SCHEMA_REMOVED", path,
          pointer(o, od, name), u->location, od.is_array ? names_text(od) : "", "");
      if (ud != nullptr) {
        add(out, ud->is_array ? "DEPENDENCY_ARRAY_ADDED" : "DEPENDENCY_SCHEMA_ADDED", path,
            o->location, pointer(u, *ud, name), "", ud->is_array ? names_text(*ud) : "");
      }
    }
    for (const auto& [name, ud] : u->dependencies) {
      if (find(o, name) != nullptr) continue;
      add(out, ud.is_array ? "DEPENDENCY_ARRAY_ADDED" : "DEPENDENCY_SCHEMA_ADDED",
          "/dependencies/" + name, o->location, pointer(u, ud, name), "",
          ud.is_array ? names_text(ud) : "");
    }
  }

  static std::string extra_text(const Extra& e) {
    switch (e.state) {
      case Extra::State::kAbsent: return "";
      case Extra::State::kTrue: return "true";
      case Extra::State::kFalse: return "false";
      case Extra::State::kSchema: return text_of(e.schema->source);
    }
    return "";
  }

  static std::string extra_pointer(const Node* n, const Extra& e) {
    return e.keyword.empty() ? n->location : n->pointer_to(e.keyword);
  }

  void compare_additional(Outcome& out, const Node* o, const Node* u, const Extra& a,
                          const Extra& b, std::string_view name, std::string_view prefix) {
    const std::string path = concat({"/", name});
    auto emit = [&](std::string_view suffix) {
      add(out, std::string(prefix) + std::string(suffix), path, extra_pointer(o, a),
          extra_pointer(u, b), extra_text(a), extra_text(b));
    };
    if (!a.permits() && b.permits()) {
      emit("_ADDED");
    } else if (a.permits() && !b.permits()) {
      emit("_REMOVED");
    } else if (a.permits() && b.permits()) {
      if (a.unconstrained() && b.state == Extra::State::kSchema) {
        emit("_NARROWED");
      } else if (a.state == Extra::State::kSchema && b.unconstrained()) {
        emit("_EXTENDED");
      } else if (a.state == Extra::State::kSchema && b.state == Extra::State::kSchema) {
        merge(out, compare(a.schema, b.schema), path);
      }
    }
  }

  // unevaluatedProperties / unevaluatedItems: the first matching rule wins (§3.3).
  void compare_unevaluated(Outcome& out, const Node* o, const Node* u, const Extra& a,
                           const Extra& b, std::string_view name, std::string_view prefix) {
    using S = Extra::State;
    const std::string path = concat({"/", name});
    auto emit = [&](std::string_view suffix) {
      add(out, std::string(prefix) + std::string(suffix), path, extra_pointer(o, a),
          extra_pointer(u, b), extra_text(a), extra_text(b));
    };
    if (a.state == S::kAbsent) {
      if (b.state == S::kFalse) {
        emit("_REMOVED");
      } else if (b.state != S::kAbsent) {
        emit("_NARROWED");
      }
    } else if (b.state == S::kAbsent) {
      emit(a.state == S::kFalse ? "_ADDED" : "_EXTENDED");
    } else if (a.state == S::kFalse) {
      if (b.state != S::kFalse) emit("_ADDED");
    } else if (b.state == S::kFalse) {
      emit("_REMOVED");
    } else if (a.state == S::kTrue && b.state == S::kSchema) {
      emit("_NARROWED");
    } else if (a.state == S::kSchema && b.state == S::kTrue) {
      emit("_EXTENDED");
    } else if (a.state == S::kSchema && b.state == S::kSchema) {
      merge(out, compare(a.schema, b.schema), path);
    }
  }

  void compare_array(Outcome& out, const Node* o, const Node* u) {
    if (!o->tuple && !u->tuple) {
      if (o->all_items != nullptr && u->all_items != nullptr) {
        merge(out, compare(o->all_items, u->all_items), "/items");
      } else if (u->all_items != nullptr) {
        add(out, "SCHEMA_ADDED", "/items", o->location, u->all_items->location, "",
            text_of(u->all_items->source));
      } else if (o->all_items != nullptr) {
        add(out, "SCHEMA_REMOVED", "/items", o->all_items->location, u->location,
            text_of(o->all_items->source), "");
      }
    } else if (o->tuple && u->all_items != nullptr) {
      // Every positional item of the original must now also match the update's items schema.
      for (std::size_t i = 0; i < o->item_schemas.size(); ++i) {
        merge(out, compare(o->item_schemas[i], u->all_items),
              concat({"/items/", std::to_string(i)}));
      }
    } else if (u->tuple && o->all_items != nullptr) {
      for (std::size_t i = 0; i < u->item_schemas.size(); ++i) {
        merge(out, compare(o->all_items, u->item_schemas[i]),
              concat({"/items/", std::to_string(i)}));
      }
    } else {
      const std::size_t o_size = o->item_schemas.size();
      const std::size_t u_size = u->item_schemas.size();
      for (std::size_t i = 0; i < std::min(o_size, u_size); ++i) {
        merge(out, compare(o->item_schemas[i], u->item_schemas[i]),
              concat({"/items/", std::to_string(i)}));
      }
      const Cover u_cover = item_cover(u);
      for (std::size_t i = u_size; i < o_size; ++i) {
        const std::string path = concat({"/items/", std::to_string(i)});
        const Node* item = o->item_schemas[i];
        if (u_cover.model == Cover::Model::kOpen) {
          add(out, "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", path, item->location, u->location);
        } else if (u_cover.model == Cover::Model::kPartial) {
          Outcome r = compare(item, u_cover.schema);
          const bool ok = compatible(r);
          merge(out, std::move(r), path);
          add(out,
              ok ? "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                 : "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
              path, item->location, u_cover.schema->location);
        } else {
          add(out,
              deref(item)->kind == Kind::kFalse
                  ? "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
                  : "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
              path, item->location, u->location);
        }
      }
      const Cover o_cover = item_cover(o);
      for (std::size_t i = o_size; i < u_size; ++i) {
        const std::string path = concat({"/items/", std::to_string(i)});
        const Node* item = u->item_schemas[i];
        if (o_cover.model == Cover::Model::kOpen) {
          add(out,
              deref(item)->kind == Kind::kEmpty
                  ? "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
                  : "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
              path, o->location, item->location);
        } else if (o_cover.model == Cover::Model::kPartial) {
          Outcome r = compare(o_cover.schema, item);
          const bool ok = compatible(r);
          merge(out, std::move(r), path);
          add(out,
              ok ? "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                 : "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
              path, o_cover.schema->location, item->location);
        } else {
          add(out, "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", path, o->location, item->location);
        }
      }
    }
    compare_additional(out, o, u, o->additional_items, u->additional_items, "additionalItems",
                       "ADDITIONAL_ITEMS");
    compare_unevaluated(out, o, u, o->unevaluated_items, u->unevaluated_items, "unevaluatedItems",
                        "UNEVALUATED_ITEMS");
    bound(out, o, u, o->max_items, u->max_items, "maxItems", "MAX_ITEMS", true);
    bound(out, o, u, o->min_items, u->min_items, "minItems", "MIN_ITEMS", false);
    bound(out, o, u, o->max_contains, u->max_contains, "maxContains", "MAX_CONTAINS", true);
    bound(out, o, u, o->min_contains, u->min_contains, "minContains", "MIN_CONTAINS", false);
    if (!o->unique_items && u->unique_items) {
      add_at(out, "UNIQUE_ITEMS_ADDED", o, u, "uniqueItems", "", "true");
    } else if (o->unique_items && !u->unique_items) {
      add_at(out, "UNIQUE_ITEMS_REMOVED", o, u, "uniqueItems", "true", "");
    }
  }

  void compare_combined(Outcome& out, const Node* o, const Node* u) {
    const auto om = distinct_members(o);
    const auto um = distinct_members(u);
    const Criterion oc = o->criterion;
    const Criterion uc = u->criterion;
    if (oc != uc) {
      const bool extended = uc == Criterion::kAnyOf || (om.size() == 1 && um.size() == 1) ||
                            (om.size() == 1 && uc == Criterion::kOneOf) ||
                            (um.size() == 1 && oc == Criterion::kAllOf);
      add_at(out, extended ? "COMBINED_TYPE_EXTENDED" : "COMBINED_TYPE_CHANGED", o, u, "",
             criterion_name(oc), criterion_name(uc));
      if (!extended) return;
    }
    if (um.size() > om.size()) {
      add_at(out, uc == Criterion::kAllOf ? "PRODUCT_TYPE_EXTENDED" : "SUM_TYPE_EXTENDED", o, u, "",
             criterion_name(oc), criterion_name(uc));
    } else if (um.size() < om.size()) {
      add_at(out, oc == Criterion::kAllOf ? "PRODUCT_TYPE_NARROWED" : "SUM_TYPE_NARROWED", o, u, "",
             criterion_name(oc), criterion_name(uc));
    }
    // Pair the members up: a maximum matching over the compatible pairs, so the order of
    // members does not matter. Among maximum matchings the one with the fewest differences
    // wins, so a member is paired with its unchanged twin rather than with another member it
    // happens to be compatible with (which would report differences nobody made).
    std::vector<std::vector<Outcome>> results(om.size());
    std::vector<std::vector<std::int64_t>> cost(om.size(), std::vector<std::int64_t>(um.size()));
    std::int64_t unpaired = 1;
    for (std::size_t i = 0; i < om.size(); ++i) {
      for (std::size_t j = 0; j < um.size(); ++j) {
        results[i].push_back(compare(om[i].second, um[j].second));
        unpaired += static_cast<std::int64_t>(results[i][j].diffs.size());
      }
    }
    // An incompatible pair costs more than all compatible pairs together, so the cheapest
    // assignment first maximises the number of compatible pairs.
    for (std::size_t i = 0; i < om.size(); ++i) {
      for (std::size_t j = 0; j < um.size(); ++j) {
        cost[i][j] = compatible(results[i][j])
                         ? static_cast<std::int64_t>(results[i][j].diffs.size())
                         : unpaired;
      }
    }
    std::vector<int> match_of_u(um.size(), -1);
    const std::vector<int> assigned = min_cost_assignment(cost);
    for (std::size_t i = 0; i < om.size(); ++i) {
      if (assigned[i] < 0) continue;
      const auto j = static_cast<std::size_t>(assigned[i]);
      if (cost[i][j] < unpaired) match_of_u[j] = static_cast<int>(i);
    }
    std::size_t matched = 0;
    for (std::size_t j = 0; j < um.size(); ++j) {
      if (match_of_u[j] < 0) continue;
      const auto i = static_cast<std::size_t>(match_of_u[j]);
      ++matched;
      merge(out, results[i][j],
            concat({"/", criterion_name(oc), "/", std::to_string(om[i].first)}));
    }
    if (matched < std::min(om.size(), um.size())) {
      add_at(out, "COMBINED_TYPE_SUBSCHEMAS_CHANGED", o, u, "", criterion_name(oc),
             criterion_name(uc));
      out.diffs.back().cause = example_cause(om, um, results, match_of_u);
    }
  }

  // For the message: an incompatible difference between an unpaired original member and an
  // update member of the same kind (the enum whose value was removed, the string now shorter),
  // which is what the user changed. Null when no such pair exists.
  std::shared_ptr<const Finding> example_cause(
      const std::vector<std::pair<std::size_t, const Node*>>& om,
      const std::vector<std::pair<std::size_t, const Node*>>& um,
      const std::vector<std::vector<Outcome>>& results, const std::vector<int>& match_of_u) const {
    for (std::size_t i = 0; i < om.size(); ++i) {
      if (std::find(match_of_u.begin(), match_of_u.end(), static_cast<int>(i)) !=
          match_of_u.end()) {
        continue;
      }
      for (std::size_t j = 0; j < um.size(); ++j) {
        if (deref(om[i].second)->kind != deref(um[j].second)->kind) continue;
        for (const Diff& d : results[i][j].diffs) {
          if (compatible_type(d.type)) continue;
          auto cause = std::make_shared<Finding>(d);
          cause->path = concat({"#", d.path.empty() ? std::string_view("/") : d.path});
          return cause;
        }
      }
    }
    return nullptr;
  }

  // The Hungarian algorithm (with potentials, O(n^2 m)): for each row the column it is
  // assigned, minimising the total cost; -1 for rows left over when there are more rows than
  // columns.
  static std::vector<int> min_cost_assignment(const std::vector<std::vector<std::int64_t>>& cost) {
    const std::size_t rows = cost.size();
    const std::size_t cols = rows == 0 ? 0 : cost[0].size();
    if (rows == 0 || cols == 0) return std::vector<int>(rows, -1);
    if (rows > cols) {
      std::vector<std::vector<std::int64_t>> transposed(cols, std::vector<std::int64_t>(rows));
      for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j) transposed[j][i] = cost[i][j];
      }
      const std::vector<int> by_col = min_cost_assignment(transposed);
      std::vector<int> out(rows, -1);
      for (std::size_t j = 0; j < cols; ++j) {
        if (by_col[j] >= 0) out[static_cast<std::size_t>(by_col[j])] = static_cast<int>(j);
      }
      return out;
    }
    constexpr std::int64_t kInf = std::numeric_limits<std::int64_t>::max() / 4;
    // 1-based: row_of[j] is the row in column j, 0 for none; column 0 is a sentinel.
    std::vector<std::int64_t> row_potential(rows + 1, 0);
    std::vector<std::int64_t> col_potential(cols + 1, 0);
    std::vector<std::size_t> row_of(cols + 1, 0);
    std::vector<std::size_t> previous(cols + 1, 0);
    for (std::size_t row = 1; row <= rows; ++row) {
      row_of[0] = row;
      std::size_t col = 0;
      std::vector<std::int64_t> slack(cols + 1, kInf);
      std::vector<bool> used(cols + 1, false);
      do {
        used[col] = true;
        const std::size_t r = row_of[col];
        std::int64_t delta = kInf;
        std::size_t next = 0;
        for (std::size_t j = 1; j <= cols; ++j) {
          if (used[j]) continue;
          const std::int64_t reduced = cost[r - 1][j - 1] - row_potential[r] - col_potential[j];
          if (reduced < slack[j]) {
            slack[j] = reduced;
            previous[j] = col;
          }
          if (slack[j] < delta) {
            delta = slack[j];
            next = j;
          }
        }
        for (std::size_t j = 0; j <= cols; ++j) {
          if (used[j]) {
            row_potential[row_of[j]] += delta;
            col_potential[j] -= delta;
          } else {
            slack[j] -= delta;
          }
        }
        col = next;
      } while (row_of[col] != 0);
      do {
        const std::size_t before = previous[col];
        row_of[col] = row_of[before];
        col = before;
      } while (col != 0);
    }
    std::vector<int> out(rows, -1);
    for (std::size_t j = 1; j <= cols; ++j) {
      if (row_of[j] != 0) out[row_of[j] - 1] = static_cast<int>(j - 1);
    }
    return out;
  }

  const DiffOptions& options_;
  std::map<Key, Outcome> memo_;
  std::set<Key> stack_;
  std::set<Key> cut_;
  std::set<Key> assumed_incompatible_;
  bool changed_ = false;
};

}  // namespace

bool is_compatible_type(std::string_view type, CompatPolicy policy) {
  for (std::string_view t : kStrictCompatible) {
    if (t == type) return true;
  }
  if (policy == CompatPolicy::kLenient) {
    for (std::string_view t : kLenientOnly) {
      if (t == type) return true;
    }
  }
  return false;
}

bool is_compatible(const std::vector<Difference>& differences, CompatPolicy policy) {
  return std::all_of(differences.begin(), differences.end(),
                     [&](const Difference& d) { return is_compatible_type(d.type, policy); });
}

Incompatibilities incompatibilities(const std::vector<Difference>& differences,
                                    CompatPolicy policy) {
  Incompatibilities out;
  for (const Difference& d : differences) {
    if (is_compatible_type(d.type, policy)) continue;
    Incompatibility i;
    i.type = d.type;
    i.reader_path = d.update_pointer;
    i.writer_path = d.original_pointer;
    i.message = d.message;
    i.hint = d.hint;
    out.push_back(std::move(i));
  }
  return out;
}

std::string confluent_path_to_pointer(std::string_view path) {
  if (path.starts_with('#')) path.remove_prefix(1);
  if (path == "/" || path.empty()) return "";
  std::string out;
  for (char c : path) {
    if (c == '~') {
      out += "~0";
    } else {
      out += c;
    }
  }
  return out;
}

struct PreparedSchema::Impl {
  // The model points into these: both live as long as it does, at stable addresses.
  json::value schema;
  References references;
  std::unique_ptr<Model> model;
};

PreparedSchema::PreparedSchema(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PreparedSchema::~PreparedSchema() = default;

Result<std::shared_ptr<const PreparedSchema>> prepare(const boost::json::value& schema,
                                                      const References* references,
                                                      const DiffOptions& options) {
  auto impl = std::make_unique<PreparedSchema::Impl>();
  impl->schema = schema;
  if (references != nullptr) impl->references = *references;
  SG_ASSIGN_OR_RETURN(impl->model, Model::load(impl->schema, &impl->references, options));
  return std::make_shared<const PreparedSchema>(std::move(impl));
}

namespace {

std::vector<Difference> differences_of(const Model& o, const Model& u, const DiffOptions& options) {
  std::vector<Diff> found = Differ(options).run(o.root(), u.root());
  std::vector<Difference> out;
  std::set<std::pair<std::string, std::string>> unsupported_seen;
  for (Diff& d : found) {
    d.path = d.path.empty() ? std::string("#/") : concat({"#", d.path});
    // The members of one object share its unchecked keywords; report each change once.
    if (d.type == kUnsupported &&
        !unsupported_seen.emplace(d.original_pointer, d.update_pointer).second) {
      continue;
    }
    Difference difference;
    explain(d, options, difference.message, difference.hint);
    difference.type = std::move(d.type);
    difference.path = std::move(d.path);
    difference.original_pointer = std::move(d.original_pointer);
    difference.update_pointer = std::move(d.update_pointer);
    out.push_back(std::move(difference));
  }
  return out;
}

}  // namespace

Result<std::vector<Difference>> diff(const boost::json::value& original,
                                     const boost::json::value& update, const DiffOptions& options) {
  SG_ASSIGN_OR_RETURN(const std::unique_ptr<Model> o,
                      Model::load(original, options.original_references, options));
  SG_ASSIGN_OR_RETURN(const std::unique_ptr<Model> u,
                      Model::load(update, options.update_references, options));
  return differences_of(*o, *u, options);
}

Result<std::vector<Difference>> diff(const PreparedSchema& original, const PreparedSchema& update,
                                     const DiffOptions& options) {
  return differences_of(*original.impl().model, *update.impl().model, options);
}

}  // namespace sg::jsonschema
