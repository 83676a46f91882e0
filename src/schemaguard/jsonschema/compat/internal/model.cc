// Loading JSON Schema documents into the everit-style node model (compat-rules.md §3.1).
//
// One JSON object can hold several keyword families at once (a type's keywords, `enum`, `const`,
// `not`, each combinator). Like everit, a single family becomes that node and several become a
// synthetic `allOf` of one node per family; a `type` array becomes an `anyOf` of one node per
// type. Typed nodes are listed first, then enum, const, not, allOf, anyOf, oneOf, then (from
// 2019-09 on, where `$ref` may have siblings) the reference, so synthetic paths read
// "#/allOf/1/enum" for {"type": "string", "enum": [...]}.
#include "schemaguard/jsonschema/compat/internal/model.h"

#include <boost/json/serialize.hpp>
#include <cctype>
#include <cmath>
#include <set>
#include <string_view>
#include <utility>

namespace sg::jsonschema::compat_internal {
namespace {

using namespace std::string_view_literals;

enum class Family { kNone, kGeneric, kString, kNumber, kObject, kArray };

enum class Role {
  kAnnotation,  // never compared (title, $comment, definitions, ...); some feed annotations
  kModeled,     // the node model compares it
  kUnmodeled,   // a validation keyword the model does not compare: fail closed on changes
  kUnknown,     // no draft defines it here: fail closed on changes
};

struct KeywordClass {
  Role role = Role::kUnknown;
  Family family = Family::kNone;
};

bool at_least(Draft d, Draft min) {
  return static_cast<int>(d) >= static_cast<int>(min);
}

KeywordClass classify(std::string_view k, Draft d) {
  const bool d6 = at_least(d, Draft::k6);
  const bool d7 = at_least(d, Draft::k7);
  const bool d2019 = at_least(d, Draft::k2019_09);
  const bool d2020 = at_least(d, Draft::k2020_12);
  constexpr std::string_view kAnnotations[] = {"$schema",
                                               "$id",
                                               "id",
                                               "$comment",
                                               "title",
                                               "description",
                                               "default",
                                               "examples",
                                               "readOnly",
                                               "writeOnly",
                                               "deprecated",
                                               "$anchor",
                                               "$dynamicAnchor",
                                               "$recursiveAnchor",
                                               "$vocabulary",
                                               "definitions",
                                               "$defs",
                                               "contentEncoding",
                                               "contentMediaType",
                                               "contentSchema"};
  for (std::string_view a : kAnnotations) {
    if (k == a) return {Role::kAnnotation, Family::kNone};
  }
  if (k.starts_with("x-") || k.starts_with("connect.")) return {Role::kAnnotation, Family::kNone};
  // Generic.
  if (k == "type" || k == "enum" || k == "not" || k == "allOf" || k == "anyOf" || k == "oneOf" ||
      k == "$ref") {
    return {Role::kModeled, Family::kGeneric};
  }
  if (k == "const" && d6) return {Role::kModeled, Family::kGeneric};
  if ((k == "$dynamicRef" && d2020) || (k == "$recursiveRef" && d2019 && !d2020)) {
    return {Role::kModeled, Family::kGeneric};
  }
  if ((k == "if" || k == "then" || k == "else") && d7) return {Role::kUnmodeled, Family::kGeneric};
  // String.
  if (k == "minLength" || k == "maxLength" || k == "pattern")
    return {Role::kModeled, Family::kString};
  if (k == "format") return {Role::kUnmodeled, Family::kString};
  // Number.
  if (k == "minimum" || k == "maximum" || k == "multipleOf")
    return {Role::kModeled, Family::kNumber};
  if (k == "exclusiveMinimum" || k == "exclusiveMaximum") {
    // Draft 4's boolean form modifies minimum/maximum; the model only has the numeric form.
    return {d6 ? Role::kModeled : Role::kUnmodeled, Family::kNumber};
  }
  // Object.
  if (k == "properties" || k == "required" || k == "additionalProperties" ||
      k == "patternProperties" || k == "minProperties" || k == "maxProperties") {
    return {Role::kModeled, Family::kObject};
  }
  if (k == "dependencies" && !d2019) return {Role::kModeled, Family::kObject};
  if ((k == "dependentRequired" || k == "dependentSchemas" || k == "unevaluatedProperties") &&
      d2019) {
    return {Role::kModeled, Family::kObject};
  }
  if (k == "propertyNames" && d6) return {Role::kUnmodeled, Family::kObject};
  // Array.
  if (k == "items" || k == "minItems" || k == "maxItems" || k == "uniqueItems") {
    return {Role::kModeled, Family::kArray};
  }
  if (k == "additionalItems" && !d2020) return {Role::kModeled, Family::kArray};
  if (k == "prefixItems" && d2020) return {Role::kModeled, Family::kArray};
  if ((k == "minContains" || k == "maxContains" || k == "unevaluatedItems") && d2019) {
    return {Role::kModeled, Family::kArray};
  }
  if (k == "contains" && d6) return {Role::kUnmodeled, Family::kArray};
  return {Role::kUnknown, Family::kNone};
}

Draft draft_of(const json::value& schema, Draft fallback) {
  const json::object* object = schema.if_object();
  if (object == nullptr) return fallback;
  const json::value* s = object->if_contains("$schema");
  if (s == nullptr || !s->is_string()) return fallback;
  const std::string_view uri = s->get_string();
  if (uri.find("draft-04") != std::string_view::npos) return Draft::k4;
  if (uri.find("draft-06") != std::string_view::npos) return Draft::k6;
  if (uri.find("draft-07") != std::string_view::npos) return Draft::k7;
  if (uri.find("2019-09") != std::string_view::npos) return Draft::k2019_09;
  if (uri.find("2020-12") != std::string_view::npos) return Draft::k2020_12;
  return fallback;
}

bool has_scheme(std::string_view uri) {
  if (uri.empty() || !std::isalpha(static_cast<unsigned char>(uri[0]))) return false;
  for (char c : uri) {
    if (c == ':') return true;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return false;
}

// Removes "." and ".." segments (RFC 3986 §5.2.4, enough for registry names and URLs).
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (out.size() > 1) out.pop_back();
    } else if (segment != ".") {
      out.push_back(segment);
    }
    start = end + 1;
  }
  std::string result;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i > 0) result += '/';
    result += out[i];
  }
  return result;
}

// Resolves a URI reference (no fragment) against a base URI (no fragment).
std::string resolve_uri(std::string_view base, std::string_view ref) {
  if (ref.empty()) return std::string(base);
  if (has_scheme(ref) || base.empty()) return std::string(ref);
  const std::size_t colon = base.find(':');
  if (ref.starts_with("//")) {
    return colon == std::string_view::npos
               ? std::string(ref)
               : std::string(base.substr(0, colon + 1)) + std::string(ref);
  }
  if (ref.starts_with('/')) {
    std::size_t origin_end = 0;
    if (colon != std::string_view::npos && base.substr(colon + 1).starts_with("//")) {
      origin_end = base.find('/', colon + 3);
      if (origin_end == std::string_view::npos) origin_end = base.size();
    } else if (colon != std::string_view::npos) {
      origin_end = colon + 1;
    }
    return std::string(base.substr(0, origin_end)) + remove_dot_segments(ref);
  }
  const std::size_t slash = base.rfind('/');
  if (slash == std::string_view::npos) {
    // "urn:x" or a bare registry name: nothing to merge with.
    return colon == std::string_view::npos ? std::string(ref) : std::string(ref);
  }
  std::string merged = std::string(base.substr(0, slash + 1)) + std::string(ref);
  const std::size_t path_start = [&]() -> std::size_t {
    if (colon != std::string_view::npos && base.substr(colon + 1).starts_with("//")) {
      const std::size_t p = merged.find('/', colon + 3);
      return p == std::string::npos ? merged.size() : p;
    }
    return colon == std::string_view::npos ? 0 : colon + 1;
  }();
  return merged.substr(0, path_start) + remove_dot_segments(merged.substr(path_start));
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

const json::value& one() {
  static const json::value value(1);
  return value;
}

}  // namespace

std::string escape_pointer_segment(std::string_view segment) {
  std::string out;
  for (char c : segment) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string concat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (std::string_view part : parts) out += part;
  return out;
}

bool Node::has(std::string_view keyword) const {
  return object != nullptr && object->contains(keyword);
}

std::string Node::pointer_to(std::string_view keyword) const {
  if (pinned || !has(keyword)) return location;
  return concat({location, "/", escape_pointer_segment(keyword)});
}

double number_of(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return 0;
}

bool json_equal(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return number_of(a) == number_of(b);
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const json::array& x = a.get_array();
    const json::array& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!json_equal(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const json::object& x = a.get_object();
    const json::object& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& [key, value] : x) {
      const json::value* other = y.if_contains(key);
      if (other == nullptr || !json_equal(value, *other)) return false;
    }
    return true;
  }
  return a == b;
}

const Node* deref(const Node* node) {
  for (int hops = 0; node != nullptr && node->kind == Kind::kRef; ++hops) {
    if (hops > 64) return nullptr;
    node = node->target;
  }
  return node;
}

// Where a schema value sits and how to read it.
struct Place {
  int doc = 0;
  std::string location;
  // Set below a registry reference: the `$ref` in the schema itself that led there, which is
  // where pointers of those nodes point (the reference's own text is another document).
  std::optional<std::string> pin;
  std::string base;
  Draft draft = Draft::k7;
};

struct Resource {
  const json::value* value = nullptr;
  Place place;
};

struct Model::Impl {
  explicit Impl(const DiffOptions& o) : options(o) {}

  const DiffOptions& options;
  std::deque<Node> nodes;
  std::map<std::string, Resource, std::less<>> resources;  // absolute URI, no fragment
  std::map<std::string, Resource, std::less<>> anchors;    // "uri#name"
  std::map<const json::value*, const Node*> cache;
  std::vector<Node*> pending;  // $ref nodes to resolve once the tree is loaded
  std::optional<Error> error;

  void fail(std::string message) {
    if (!error) error = Error(ErrorCode::kInvalidSchema, std::move(message));
  }

  Node& make(Kind kind, const json::value* source, const Place& place) {
    Node& node = nodes.emplace_back();
    node.kind = kind;
    node.source = source;
    node.object = source == nullptr ? nullptr : source->if_object();
    node.doc = place.doc;
    node.location = place.pin ? *place.pin : place.location;
    node.pinned = place.pin.has_value();
    node.draft = place.draft;
    return node;
  }

  static std::string base_of(const json::object& object, const Place& place) {
    const json::value* id = object.if_contains(place.draft == Draft::k4 ? "id"sv : "$id"sv);
    if (id == nullptr || !id->is_string()) return place.base;
    std::string_view text = id->get_string();
    if (text.starts_with('#')) return place.base;
    text = text.substr(0, text.find('#'));
    return resolve_uri(place.base, text);
  }

  void add_anchor(const std::string& base, std::string_view name, const json::value& v,
                  const Place& place) {
    anchors.emplace(concat({base, "#", name}), Resource{&v, place});
  }

  // Registers every `$id` and anchor below `v` (schema positions only).
  void index(const json::value& v, const Place& place) {
    const json::object* object = v.if_object();
    if (object == nullptr) return;
    Place here = place;
    here.base = base_of(*object, place);
    // Resources and anchors keep the place of the object itself, with the base it is resolved
    // against (load() applies the object's own $id again).
    if (here.base != place.base) resources.emplace(here.base, Resource{&v, place});
    const json::value* id = object->if_contains(place.draft == Draft::k4 ? "id"sv : "$id"sv);
    if (id != nullptr && id->is_string()) {
      const std::string_view text = id->get_string();
      const std::size_t hash = text.find('#');
      if (hash != std::string_view::npos && hash + 1 < text.size()) {
        add_anchor(here.base, text.substr(hash + 1), v, place);
      }
    }
    for (std::string_view key : {"$anchor"sv, "$dynamicAnchor"sv}) {
      const json::value* anchor = object->if_contains(key);
      if (anchor != nullptr && anchor->is_string())
        add_anchor(here.base, anchor->get_string(), v, place);
    }
    auto child = [&](std::string_view key, const json::value& c) {
      Place p = here;
      p.location = concat({p.location, "/", escape_pointer_segment(key)});
      index(c, p);
    };
    for (const auto& [key, value] : *object) {
      const std::string_view k = key;
      if (k == "enum" || k == "const" || k == "default" || k == "examples") continue;
      if (k == "properties" || k == "patternProperties" || k == "definitions" || k == "$defs" ||
          k == "dependencies" || k == "dependentSchemas") {
        if (const json::object* map = value.if_object()) {
          for (const auto& [name, schema] : *map) {
            Place p = here;
            p.location = concat(
                {p.location, "/", escape_pointer_segment(k), "/", escape_pointer_segment(name)});
            index(schema, p);
          }
        }
      } else if (const json::array* list = value.if_array()) {
        for (std::size_t i = 0; i < list->size(); ++i) {
          Place p = here;
          p.location = concat({p.location, "/", escape_pointer_segment(k), "/", std::to_string(i)});
          index((*list)[i], p);
        }
      } else if (value.is_object()) {
        child(k, value);
      }
    }
  }

  void add_document(const json::value& root, int doc, const std::string& name, Draft fallback) {
    Place place;
    place.doc = doc;
    place.base = name;
    place.draft = draft_of(root, fallback);
    resources.emplace(name, Resource{&root, place});
    index(root, place);
  }

  // Finds what `ref` (as written, relative to `base`) names.
  std::optional<Resource> resolve(std::string_view ref, std::string_view base) {
    const std::size_t hash = ref.find('#');
    const std::string_view uri = ref.substr(0, hash);
    const std::string fragment =
        hash == std::string_view::npos ? std::string() : percent_decode(ref.substr(hash + 1));
    const std::string absolute = resolve_uri(base, uri);
    auto found = resources.find(absolute);
    if (found == resources.end()) found = resources.find(uri);
    if (found == resources.end()) return std::nullopt;
    Resource resource = found->second;
    if (fragment.empty()) return resource;
    if (!fragment.starts_with('/')) {
      auto anchor = anchors.find(concat({absolute, "#", fragment}));
      if (anchor == anchors.end()) {
        // The resource's own URI, when it was found under the name the $ref used.
        const json::object* object = resource.value->if_object();
        const std::string own = object ? base_of(*object, resource.place) : resource.place.base;
        anchor = anchors.find(concat({own, "#", fragment}));
      }
      if (anchor == anchors.end()) return std::nullopt;
      return anchor->second;
    }
    // A JSON pointer from the resource's root; the `$id`s passed on the way change the base.
    const json::value* at = resource.value;
    std::size_t start = 1;
    while (start <= fragment.size()) {
      std::size_t end = fragment.find('/', start);
      if (end == std::string::npos) end = fragment.size();
      std::string segment;
      for (std::size_t i = start; i < end; ++i) {
        if (fragment[i] == '~' && i + 1 < end &&
            (fragment[i + 1] == '0' || fragment[i + 1] == '1')) {
          segment += fragment[i + 1] == '0' ? '~' : '/';
          ++i;
        } else {
          segment += fragment[i];
        }
      }
      if (const json::object* object = at->if_object()) {
        resource.place.base = base_of(*object, resource.place);
        at = object->if_contains(segment);
      } else if (const json::array* array = at->if_array()) {
        std::size_t index = 0;
        bool digits = !segment.empty();
        for (char c : segment) {
          digits = digits && std::isdigit(static_cast<unsigned char>(c)) != 0;
          if (digits) index = index * 10 + static_cast<std::size_t>(c - '0');
        }
        at = digits && index < array->size() ? &(*array)[index] : nullptr;
      } else {
        at = nullptr;
      }
      if (at == nullptr) return std::nullopt;
      resource.place.location =
          concat({resource.place.location, "/", escape_pointer_segment(segment)});
      start = end + 1;
    }
    resource.value = at;
    return resource;
  }

  const Node* child(const json::value& v, const Place& parent, std::string_view keyword) {
    Place p = parent;
    p.location = concat({p.location, "/", escape_pointer_segment(keyword)});
    return load(v, p);
  }
  const Node* child(const json::value& v, const Place& parent, std::string_view keyword,
                    std::string_view name) {
    Place p = parent;
    p.location = concat(
        {p.location, "/", escape_pointer_segment(keyword), "/", escape_pointer_segment(name)});
    return load(v, p);
  }

  static const json::value* number(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v != nullptr && v->is_number() ? v : nullptr;
  }

  Extra extra(const json::object& o, std::string_view key, const Place& place, bool empty_is_true) {
    Extra e;
    const json::value* v = o.if_contains(key);
    if (v == nullptr) return e;
    e.keyword = std::string(key);
    if (v->is_bool()) {
      e.state = v->get_bool() ? Extra::State::kTrue : Extra::State::kFalse;
      return e;
    }
    const Node* schema = child(*v, place, key);
    if (empty_is_true && schema->kind == Kind::kEmpty && !schema->unchecked) {
      // {} accepts the same as true; everit would keep it as a schema and call it narrowed.
      e.state = Extra::State::kTrue;
      return e;
    }
    e.state = Extra::State::kSchema;
    e.schema = schema;
    return e;
  }

  Node& typed(std::string_view type, const json::value& v, const Place& place) {
    const json::object& o = v.get_object();
    const Draft d = place.draft;
    if (type == "string") {
      Node& n = make(Kind::kString, &v, place);
      n.min_length = number(o, "minLength");
      n.max_length = number(o, "maxLength");
      const json::value* pattern = o.if_contains("pattern");
      n.pattern = pattern != nullptr && pattern->is_string() ? pattern : nullptr;
      return n;
    }
    if (type == "number" || type == "integer") {
      Node& n = make(Kind::kNumber, &v, place);
      n.integer = type == "integer";
      n.minimum = number(o, "minimum");
      n.maximum = number(o, "maximum");
      if (at_least(d, Draft::k6)) {
        n.exclusive_minimum = number(o, "exclusiveMinimum");
        n.exclusive_maximum = number(o, "exclusiveMaximum");
      }
      n.multiple_of = number(o, "multipleOf");
      return n;
    }
    if (type == "object") return object_node(v, place);
    if (type == "array") return array_node(v, place);
    if (type == "boolean") return make(Kind::kBoolean, &v, place);
    if (type == "null") return make(Kind::kNull, &v, place);
    fail(concat({"unknown type '", type, "' at '", place.location, "'"}));
    return make(Kind::kEmpty, &v, place);
  }

  Node& object_node(const json::value& v, const Place& place) {
    const json::object& o = v.get_object();
    const bool d2019 = at_least(place.draft, Draft::k2019_09);
    Node& n = make(Kind::kObject, &v, place);
    if (const json::value* p = o.if_contains("properties"); p != nullptr && p->is_object()) {
      for (const auto& [name, schema] : p->get_object()) {
        n.properties.emplace_back(std::string(name), child(schema, place, "properties", name));
      }
    }
    if (const json::value* r = o.if_contains("required"); r != nullptr && r->is_array()) {
      for (const json::value& name : r->get_array()) {
        if (name.is_string()) n.required.emplace_back(name.get_string());
      }
    }
    if (const json::value* p = o.if_contains("patternProperties"); p != nullptr && p->is_object()) {
      for (const auto& [pattern, schema] : p->get_object()) {
        n.pattern_properties.emplace_back(std::string(pattern),
                                          child(schema, place, "patternProperties", pattern));
      }
    }
    auto read_dependencies = [&](std::string_view keyword, bool arrays, bool schemas) {
      const json::value* deps = o.if_contains(keyword);
      if (deps == nullptr || !deps->is_object()) return;
      for (const auto& [name, value] : deps->get_object()) {
        Dependency dep;
        dep.keyword = std::string(keyword);
        if (value.is_array() && arrays) {
          dep.is_array = true;
          for (const json::value& item : value.get_array()) {
            if (item.is_string()) dep.names.emplace_back(item.get_string());
          }
        } else if ((value.is_object() || value.is_bool()) && schemas) {
          dep.schema = child(value, place, keyword, name);
        } else {
          continue;
        }
        n.dependencies.emplace_back(std::string(name), std::move(dep));
      }
    };
    if (d2019) {
      read_dependencies("dependentRequired", true, false);
      read_dependencies("dependentSchemas", false, true);
    } else {
      read_dependencies("dependencies", true, true);
    }
    n.additional_properties = extra(o, "additionalProperties", place, true);
    if (d2019) n.unevaluated_properties = extra(o, "unevaluatedProperties", place, false);
    n.min_properties = number(o, "minProperties");
    n.max_properties = number(o, "maxProperties");
    return n;
  }

  Node& array_node(const json::value& v, const Place& place) {
    const json::object& o = v.get_object();
    const Draft d = place.draft;
    Node& n = make(Kind::kArray, &v, place);
    auto all_items = [&](const json::value& items, std::string_view keyword) {
      const Node* schema = child(items, place, keyword);
      // {} and true say nothing about items; everit would report adding them as SCHEMA_ADDED.
      if (schema->kind != Kind::kEmpty || schema->unchecked) {
        n.all_items = schema;
        n.items_keyword = std::string(keyword);
      }
    };
    auto tuple = [&](const json::array& list, std::string_view keyword) {
      n.tuple = true;
      n.items_keyword = std::string(keyword);
      for (std::size_t i = 0; i < list.size(); ++i) {
        n.item_schemas.push_back(child(list[i], place, keyword, std::to_string(i)));
      }
    };
    const json::value* items = o.if_contains("items");
    if (d == Draft::k2020_12) {
      // Translated as Confluent does: prefixItems is the tuple and items the additional items;
      // without prefixItems a boolean items is the additional items, a schema all items.
      const json::value* prefix = o.if_contains("prefixItems");
      if (prefix != nullptr && prefix->is_array()) {
        tuple(prefix->get_array(), "prefixItems");
        n.additional_items = extra(o, "items", place, false);
      } else if (items != nullptr && items->is_bool()) {
        n.additional_items = extra(o, "items", place, false);
      } else if (items != nullptr) {
        all_items(*items, "items");
      }
    } else {
      if (items != nullptr && items->is_array()) {
        tuple(items->get_array(), "items");
      } else if (items != nullptr) {
        all_items(*items, "items");
      }
      n.additional_items = extra(o, "additionalItems", place, false);
    }
    if (at_least(d, Draft::k2019_09)) {
      n.unevaluated_items = extra(o, "unevaluatedItems", place, false);
      n.max_contains = number(o, "maxContains");
      n.min_contains = number(o, "minContains");
      // minContains defaults to 1 when `contains` is present, so writing the default is no change.
      if (n.min_contains == nullptr && o.contains("contains")) n.min_contains = &one();
    }
    n.min_items = number(o, "minItems");
    n.max_items = number(o, "maxItems");
    const json::value* unique = o.if_contains("uniqueItems");
    n.unique_items = unique != nullptr && unique->is_bool() && unique->get_bool();
    return n;
  }

  Node& ref_node(const json::value& v, std::string_view ref, const Place& place) {
    Node& n = make(Kind::kRef, &v, place);
    n.ref = std::string(ref);
    n.ref_base = place.base;
    pending.push_back(&n);
    return n;
  }

  const Node* load(const json::value& v, const Place& parent) {
    if (auto it = cache.find(&v); it != cache.end()) return it->second;
    if (v.is_bool()) {
      const Node* n = &make(v.get_bool() ? Kind::kEmpty : Kind::kFalse, &v, parent);
      cache.emplace(&v, n);
      return n;
    }
    if (!v.is_object()) {
      fail("the schema at '" + parent.location + "' is neither an object nor a boolean");
      const Node* n = &make(Kind::kEmpty, &v, parent);
      cache.emplace(&v, n);
      return n;
    }
    const json::object& o = v.get_object();
    Place place = parent;
    place.base = base_of(o, parent);
    const Draft d = place.draft;
    const bool d2019 = at_least(d, Draft::k2019_09);

    if (const json::value* ref = o.if_contains("$ref");
        ref != nullptr && ref->is_string() && !d2019) {
      // Up to draft 7 a $ref replaces its siblings.
      Node& n = ref_node(v, ref->get_string(), place);
      cache.emplace(&v, &n);
      return &n;
    }

    // Which type families are present, and what is unchecked.
    std::set<Family> families;
    bool typed_present = false;
    std::vector<std::string_view> type_names;
    if (const json::value* type = o.if_contains("type")) {
      typed_present = true;
      if (type->is_string()) {
        type_names.push_back(type->get_string());
      } else if (type->is_array()) {
        for (const json::value& t : type->get_array()) {
          if (t.is_string()) type_names.push_back(t.get_string());
        }
      }
      if (type_names.empty() ||
          (type->is_array() && type_names.size() != type->get_array().size())) {
        fail(concat({"\"type\" at '", place.location,
                     "' must be a type name or a non-empty array of type names"}));
      }
      for (std::string_view t : type_names) {
        if (t == "string") families.insert(Family::kString);
        if (t == "number" || t == "integer") families.insert(Family::kNumber);
        if (t == "object") families.insert(Family::kObject);
        if (t == "array") families.insert(Family::kArray);
      }
    }
    auto unchecked = std::make_shared<Unchecked>();
    std::vector<std::pair<std::string_view, KeywordClass>> classes;
    for (const auto& [key, value] : o) {
      KeywordClass c = classify(key, d);
      for (const std::string& extra_annotation : options.annotation_keywords) {
        if (extra_annotation == std::string_view(key)) c = {Role::kAnnotation, Family::kNone};
      }
      classes.emplace_back(key, c);
      // From 2019-09 on an empty `properties` says nothing, and Confluent's translation drops it.
      const bool empty_properties =
          d2019 && key == "properties" && value.is_object() && value.get_object().empty();
      if (!typed_present && !empty_properties &&
          (c.role == Role::kModeled || c.role == Role::kUnmodeled) &&
          c.family != Family::kGeneric && c.family != Family::kNone) {
        families.insert(c.family);
      }
    }
    if (options.fail_closed) {
      for (const auto& [key, c] : classes) {
        const bool applies = c.family == Family::kGeneric || families.contains(c.family);
        if (c.role == Role::kUnknown || (c.role == Role::kUnmodeled && applies)) {
          unchecked->emplace(std::string(key), &o.at(key));
        }
      }
    }

    const std::size_t first_node = nodes.size();
    std::vector<Node*> parts;
    if (typed_present) {
      if (type_names.size() == 1) {
        parts.push_back(&typed(type_names.front(), v, place));
      } else if (type_names.size() > 1) {
        Node& any = make(Kind::kCombined, &v, place);
        any.criterion = Criterion::kAnyOf;
        for (std::string_view t : type_names) any.members.push_back(&typed(t, v, place));
        parts.push_back(&any);
      }
    } else {
      if (families.contains(Family::kObject)) parts.push_back(&object_node(v, place));
      if (families.contains(Family::kArray)) parts.push_back(&array_node(v, place));
      if (families.contains(Family::kNumber)) parts.push_back(&typed("number", v, place));
      if (families.contains(Family::kString)) parts.push_back(&typed("string", v, place));
      // Without "type", a family's node accepts other types too ("requires" flags are unset);
      // the diff does not compare those flags, as Confluent's does not.
    }
    if (const json::value* values = o.if_contains("enum");
        values != nullptr && values->is_array()) {
      Node& n = make(Kind::kEnum, &v, place);
      for (const json::value& value : values->get_array()) n.values.push_back(&value);
      parts.push_back(&n);
    }
    if (const json::value* value = o.if_contains("const");
        value != nullptr && at_least(d, Draft::k6)) {
      Node& n = make(Kind::kConst, &v, place);
      n.values.push_back(value);
      parts.push_back(&n);
    }
    if (const json::value* negated = o.if_contains("not")) {
      Node& n = make(Kind::kNot, &v, place);
      n.negated = child(*negated, place, "not");
      parts.push_back(&n);
    }
    for (auto [key, criterion] :
         {std::pair{"allOf"sv, Criterion::kAllOf}, std::pair{"anyOf"sv, Criterion::kAnyOf},
          std::pair{"oneOf"sv, Criterion::kOneOf}}) {
      const json::value* list = o.if_contains(key);
      if (list == nullptr) continue;
      if (!list->is_array() || list->get_array().empty()) {
        // An empty allOf would accept everything and an empty anyOf nothing; the drafts forbid
        // both, and a diff over them would be meaningless.
        fail(concat({"\"", key, "\" at '", place.location, "' must be a non-empty array"}));
        continue;
      }
      Node& n = make(Kind::kCombined, &v, place);
      n.criterion = criterion;
      for (std::size_t i = 0; i < list->get_array().size(); ++i) {
        n.members.push_back(child(list->get_array()[i], place, key, std::to_string(i)));
      }
      parts.push_back(&n);
    }
    if (d2019) {
      for (std::string_view key : {"$ref"sv, "$dynamicRef"sv, "$recursiveRef"sv}) {
        const json::value* ref = o.if_contains(key);
        if (ref == nullptr || !ref->is_string()) continue;
        if (classify(key, d).role != Role::kModeled) continue;
        // Resolved statically: "$recursiveRef": "#" is the document root, "$dynamicRef" the
        // anchor of that name in its resource (exact when the schema is not extended).
        parts.push_back(&ref_node(v, ref->get_string(), place));
      }
    }

    Node* root = nullptr;
    if (parts.empty()) {
      root = &make(Kind::kEmpty, &v, place);
    } else if (parts.size() == 1) {
      root = parts.front();
    } else {
      root = &make(Kind::kCombined, &v, place);
      root->criterion = Criterion::kAllOf;
      root->synthetic = true;
      root->members.assign(parts.begin(), parts.end());
    }
    if (d != Draft::k2019_09 && d != Draft::k2020_12) {
      // Confluent's 2019-09/2020-12 translation does not carry $id into the compared model.
      const json::value* id = o.if_contains(d == Draft::k4 ? "id"sv : "$id"sv);
      root->id = id != nullptr && id->is_string() ? id : nullptr;
    }
    root->title = o.if_contains("title");
    root->description = o.if_contains("description");
    root->default_value = o.if_contains("default");
    const json::value* connect = o.if_contains("connect.type");
    root->connect_bytes =
        connect != nullptr && connect->is_string() && connect->get_string() == "bytes";
    if (!unchecked->empty()) {
      // Every node of this object carries it, so whichever of them the diff compares sees it.
      const std::shared_ptr<const Unchecked> shared = std::move(unchecked);
      for (std::size_t i = first_node; i < nodes.size(); ++i) {
        if (nodes[i].source == &v) nodes[i].unchecked = shared;
      }
    }
    cache.emplace(&v, root);
    return root;
  }

  void resolve_pending() {
    while (!pending.empty() && !error) {
      Node* ref = pending.back();
      pending.pop_back();
      std::optional<Resource> target = resolve(ref->ref, ref->ref_base);
      if (!target) {
        fail("cannot resolve \"$ref\": \"" + ref->ref + "\" at '" + ref->location +
             "' (not in the schema and not among its references)");
        return;
      }
      Place place = target->place;
      if (place.doc != 0) place.pin = ref->location;
      ref->target = load(*target->value, place);
    }
  }
};

Model::Model() = default;
Model::~Model() = default;

Result<std::unique_ptr<Model>> Model::load(const json::value& schema, const References* references,
                                           const DiffOptions& options) {
  std::unique_ptr<Model> model(new Model());
  model->impl_ = std::make_unique<Impl>(options);
  Impl& impl = *model->impl_;
  impl.add_document(schema, 0, "", options.default_draft);
  if (references != nullptr) {
    int doc = 1;
    for (const auto& [name, value] : *references) {
      impl.add_document(value, doc++, name, draft_of(schema, options.default_draft));
    }
  }
  Place root;
  root.draft = draft_of(schema, options.default_draft);
  model->root_ = impl.load(schema, root);
  impl.resolve_pending();
  if (impl.error) return *impl.error;
  for (const Node& node : impl.nodes) {
    if (node.kind == Kind::kRef && deref(&node) == nullptr) {
      return Error(ErrorCode::kInvalidSchema,
                   "\"$ref\": \"" + node.ref + "\" at '" + node.location +
                       "' only leads to other references (a reference cycle)");
    }
  }
  return model;
}

}  // namespace sg::jsonschema::compat_internal
