#include "schemaguard/avro/parse.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <limits>
#include <mutex>
#include <unordered_map>

#include "schemaguard/avro/canonical.h"
#include "schemaguard/base/digest.h"
#include "schemaguard/base/json_text.h"

namespace sg::avro {

namespace json = boost::json;

std::string_view to_string(Type type) {
  switch (type) {
    case Type::kNull: return "null";
    case Type::kBoolean: return "boolean";
    case Type::kInt: return "int";
    case Type::kLong: return "long";
    case Type::kFloat: return "float";
    case Type::kDouble: return "double";
    case Type::kBytes: return "bytes";
    case Type::kString: return "string";
    case Type::kRecord: return "record";
    case Type::kEnum: return "enum";
    case Type::kArray: return "array";
    case Type::kMap: return "map";
    case Type::kUnion: return "union";
    case Type::kFixed: return "fixed";
  }
  return "null";
}

std::string_view to_string(LogicalKind kind) {
  switch (kind) {
    case LogicalKind::kNone: return "";
    case LogicalKind::kDecimal: return "decimal";
    case LogicalKind::kUuid: return "uuid";
    case LogicalKind::kDate: return "date";
    case LogicalKind::kTimeMillis: return "time-millis";
    case LogicalKind::kTimeMicros: return "time-micros";
    case LogicalKind::kTimestampMillis: return "timestamp-millis";
    case LogicalKind::kTimestampMicros: return "timestamp-micros";
    case LogicalKind::kLocalTimestampMillis: return "local-timestamp-millis";
    case LogicalKind::kLocalTimestampMicros: return "local-timestamp-micros";
    case LogicalKind::kDuration: return "duration";
  }
  return "";
}

std::uint64_t field_name_hash(std::string_view name) {
  // FNV-1a: names are short, and the hash must be identical in every process and build.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

int Node::field_position(std::string_view field_name, std::uint64_t hash) const {
  if (field_slots.empty()) return -1;
  const std::size_t mask = field_slots.size() - 1;
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const std::uint32_t entry = field_slots[slot];
    if (entry == 0) return -1;
    const Field& field = fields[entry - 1];
    if (field.name_hash == hash && field.name == field_name) return static_cast<int>(entry - 1);
  }
}

const Field* Node::find_field(std::string_view field_name) const {
  const int position = field_position(field_name, field_name_hash(field_name));
  return position < 0 ? nullptr : &fields[static_cast<std::size_t>(position)];
}

namespace {

// Builds Node::field_slots: a power-of-two table at most half full, so probes stay short.
// Returns the position of the first field whose name an earlier field already has, or -1.
int index_fields(Node& node) {
  std::size_t size = 4;
  while (size < 2 * node.fields.size()) size *= 2;
  node.field_slots.assign(size, 0);
  const std::size_t mask = size - 1;
  for (std::size_t i = 0; i < node.fields.size(); ++i) {
    const Field& field = node.fields[i];
    std::size_t slot = field.name_hash & mask;
    for (; node.field_slots[slot] != 0; slot = (slot + 1) & mask) {
      const Field& other = node.fields[node.field_slots[slot] - 1];
      if (other.name_hash == field.name_hash && other.name == field.name) {
        return static_cast<int>(i);
      }
    }
    node.field_slots[slot] = static_cast<std::uint32_t>(i + 1);
  }
  return -1;
}

}  // namespace

int Node::symbol_index(std::string_view symbol) const {
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (symbols[i] == symbol) return static_cast<int>(i);
  }
  return -1;
}

Node& Schema::new_node() {
  if (last_chunk_used_ == last_chunk_capacity_) {
    last_chunk_capacity_ =
        std::min<std::size_t>(std::max<std::size_t>(4, 2 * last_chunk_capacity_), 256);
    node_chunks_.push_back(std::make_unique<Node[]>(last_chunk_capacity_));
    last_chunk_used_ = 0;
  }
  return node_chunks_.back()[last_chunk_used_++];
}

const Node* Schema::find_named(std::string_view full_name) const {
  for (const Node* node : named_types_) {
    if (node->full_name == full_name) return node;
  }
  for (const SchemaPtr& reference : references_) {
    if (const Node* node = reference->find_named(full_name)) return node;
  }
  return nullptr;
}

namespace {

// Deeper schemas are almost certainly hostile; the limit keeps recursion off the stack's edge.
constexpr int kMaxNesting = 400;
constexpr std::size_t kMaxJsonDepth = 4 * kMaxNesting;

std::optional<Type> primitive_type(std::string_view name) {
  static const std::unordered_map<std::string_view, Type> kPrimitives = {
      {"null", Type::kNull},   {"boolean", Type::kBoolean}, {"int", Type::kInt},
      {"long", Type::kLong},   {"float", Type::kFloat},     {"double", Type::kDouble},
      {"bytes", Type::kBytes}, {"string", Type::kString},
  };
  auto it = kPrimitives.find(name);
  if (it == kPrimitives.end()) return std::nullopt;
  return it->second;
}

// [A-Za-z_][A-Za-z0-9_]*
bool is_valid_simple_name(std::string_view name) {
  if (name.empty()) return false;
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!alpha(name[0])) return false;
  for (char c : name.substr(1)) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

// A dotted sequence of simple names; "" is the null namespace.
bool is_valid_namespace(std::string_view space) {
  if (space.empty()) return true;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = space.find('.', start);
    if (!is_valid_simple_name(space.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::string join_name(std::string_view space, std::string_view name) {
  if (space.empty()) return std::string(name);
  return fmt::format("{}.{}", space, name);
}

// Decodes UTF-8 and checks every code point is at most U+00FF, the encoding Avro's JSON uses for
// bytes and fixed defaults. Returns the number of code points, or -1 if one is out of range.
long byte_string_length(std::string_view utf8) {
  long count = 0;
  for (std::size_t i = 0; i < utf8.size(); ++count) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    if (lead < 0x80) {
      i += 1;
    } else if ((lead & 0xE0) == 0xC0 && lead <= 0xC3) {
      i += 2;  // U+0080..U+00FF are the two-byte sequences led by C2 and C3
    } else {
      return -1;
    }
  }
  return count;
}

// The largest decimal precision a two's-complement number of `size` bytes can hold, capped at
// INT_MAX (precisions are ints; a fixed of a billion bytes holds more digits than an int counts).
int max_decimal_precision(std::int64_t size) {
  if (size <= 0) return 0;
  const double bits = 8.0 * static_cast<double>(size) - 1.0;
  const double digits = std::floor(bits * std::log10(2.0));
  constexpr int kMax = std::numeric_limits<int>::max();
  return digits >= static_cast<double>(kMax) ? kMax : static_cast<int>(digits);
}

bool is_integral(const json::value& v) {
  return v.is_int64() || v.is_uint64();
}

std::optional<std::int64_t> as_int64(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.get_uint64());
  }
  return std::nullopt;
}

std::string describe(const json::value& v) {
  std::string text = json::serialize(v);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

}  // namespace

// Small anonymous nodes that recur across schemas and are fully described by a short key are
// shared process-wide: a union of up to three bare primitives (["null", "string"]) and a
// primitive whose only attribute is a valid non-decimal logicalType. A registry holds thousands
// of versions of the same events, and a compatibility check against all of them is bound by
// memory traffic; shared nodes stay in cache. The set is bounded (8 + 56 + 336 unions and fewer
// than 100 logical primitives), so hostile schemas cannot grow it. Nodes are never freed.
class SharedNodes {
 public:
  static SharedNodes& instance() {
    static SharedNodes* shared = new SharedNodes();  // never destroyed: nodes outlive schemas
    return *shared;
  }

  // Returns the node stored under `key`, first storing a copy of `prototype` if there is none.
  const Node* intern(const std::string& key, const Node& prototype) {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = nodes_.try_emplace(key);
    if (inserted) it->second = std::make_unique<Node>(prototype);
    return it->second.get();
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<Node>> nodes_;
};

// Builds one Schema from JSON. Not reusable: one builder per parse.
class SchemaBuilder {
 public:
  explicit SchemaBuilder(const ParseOptions& options) : options_(options), schema_(new Schema()) {
    schema_->references_ = options.references;
  }

  Result<SchemaPtr> build(const json::value& json) {
    std::string path;
    SG_ASSIGN_OR_RETURN(schema_->root_, parse_node(json, "", path, 0));
    if (options_.validate_defaults) SG_RETURN_IF_ERROR(validate_pending_defaults());
    schema_->canonical_form_ = parsing_canonical_form(*schema_->root_);
    Fingerprints& fp = schema_->fingerprints_;
    fp.crc64_avro = crc64_avro(schema_->canonical_form_);
    fp.md5 = md5(schema_->canonical_form_);
    fp.sha256 = sha256(schema_->canonical_form_);
    return SchemaPtr(std::move(schema_));
  }

 private:
  static Error error_at(std::string_view path, std::string_view message) {
    return Error(ErrorCode::kInvalidSchema, fmt::format("Invalid Avro schema at {}: {}",
                                                        path.empty() ? "the root" : path, message));
  }

  // Appends `segment` to `path` for the lifetime of the guard.
  class PathSegment {
   public:
    PathSegment(std::string& path, std::string_view segment) : path_(path), size_(path.size()) {
      path_ += '/';
      path_ += segment;
    }
    PathSegment(std::string& path, std::size_t index) : PathSegment(path, std::to_string(index)) {}
    ~PathSegment() { path_.resize(size_); }
    PathSegment(const PathSegment&) = delete;
    PathSegment& operator=(const PathSegment&) = delete;

   private:
    std::string& path_;
    std::size_t size_;
  };

  Node& new_node(Type type) {
    Node& node = schema_->new_node();
    node.type = type;
    return node;
  }

  // The shared node for a primitive written as a bare name: most fields of most schemas are
  // primitives, and one hot node per type keeps compatibility checks out of cold memory.
  // REQUIRES: is_primitive(type).
  static const Node* bare_primitive(Type type) {
    static const auto kNodes = [] {
      std::array<Node, 8> nodes;
      for (std::size_t i = 0; i < nodes.size(); ++i) nodes[i].type = static_cast<Type>(i);
      return nodes;
    }();
    return &kNodes[static_cast<std::size_t>(type)];
  }

  const Node* lookup(std::string_view name, std::string_view enclosing_space) const {
    auto find = [&](const std::string& full) -> const Node* {
      if (auto it = defined_.find(full); it != defined_.end()) return it->second;
      for (const SchemaPtr& reference : schema_->references_) {
        if (const Node* node = reference->find_named(full)) return node;
      }
      return nullptr;
    };
    if (name.find('.') != std::string_view::npos) return find(std::string(name));
    // Relative to the enclosing namespace first, then the null namespace (as Avro Java does).
    if (!enclosing_space.empty()) {
      if (const Node* node = find(join_name(enclosing_space, name))) return node;
    }
    return find(std::string(name));
  }

  Result<const Node*> parse_node(const json::value& json, std::string_view enclosing_space,
                                 std::string& path, int depth) {
    if (depth > kMaxNesting) {
      return error_at(path, fmt::format("schema nests deeper than {} levels", kMaxNesting));
    }
    switch (json.kind()) {
      case json::kind::string: return parse_type_name(json.get_string(), enclosing_space, path);
      case json::kind::array: return parse_union(json.get_array(), enclosing_space, path, depth);
      case json::kind::object: return parse_object(json.get_object(), enclosing_space, path, depth);
      default:
        return error_at(path, fmt::format("expected a type name, an object or a union array, "
                                          "found {}",
                                          describe(json)));
    }
  }

  Result<const Node*> parse_type_name(std::string_view name, std::string_view enclosing_space,
                                      const std::string& path) {
    if (auto primitive = primitive_type(name)) return bare_primitive(*primitive);
    if (const Node* named = lookup(name, enclosing_space)) return named;
    if (name == "record" || name == "error" || name == "enum" || name == "fixed" ||
        name == "array" || name == "map") {
      return error_at(
          path,
          fmt::format("'{}' needs the object form, e.g. {{\"type\": \"{}\", ...}}", name, name));
    }
    return error_at(path, fmt::format("unknown type '{}': not a primitive type and not a named "
                                      "type defined earlier or in a reference",
                                      name));
  }

  Result<const Node*> parse_union(const json::array& array, std::string_view enclosing_space,
                                  std::string& path, int depth) {
    Node node;
    node.type = Type::kUnion;
    std::vector<std::string> seen;  // type keys: primitive/array/map names, full names
    for (std::size_t i = 0; i < array.size(); ++i) {
      PathSegment segment(path, i);
      SG_ASSIGN_OR_RETURN(const Node* branch,
                          parse_node(array[i], enclosing_space, path, depth + 1));
      if (branch->type == Type::kUnion) {
        return error_at(path, "a union may not immediately contain another union");
      }
      std::string key =
          is_named(branch->type) ? branch->full_name : std::string(to_string(branch->type));
      for (const std::string& other : seen) {
        if (other == key) {
          return error_at(path, fmt::format("the union already has a '{}' branch", key));
        }
      }
      seen.push_back(std::move(key));
      node.branches.push_back(branch);
    }
    const bool all_bare = std::all_of(
        node.branches.begin(), node.branches.end(),
        [](const Node* b) { return is_primitive(b->type) && b == bare_primitive(b->type); });
    if (all_bare && node.branches.size() <= 3) {
      std::string key = "union:";
      for (const Node* branch : node.branches) key += static_cast<char>('0' + int(branch->type));
      return SharedNodes::instance().intern(key, node);
    }
    Node& owned = new_node(Type::kUnion);
    owned.branches = std::move(node.branches);
    return &owned;
  }

  Result<const Node*> parse_object(const json::object& object, std::string_view enclosing_space,
                                   std::string& path, int depth) {
    const json::value* type_value = object.if_contains("type");
    if (type_value == nullptr) return error_at(path, "missing 'type'");
    if (!type_value->is_string()) {
      // {"type": {...}} and {"type": [...]} wrap a schema; Avro's other implementations accept it.
      PathSegment segment(path, "type");
      return parse_node(*type_value, enclosing_space, path, depth + 1);
    }
    const std::string_view type_name = type_value->get_string();

    Node* node = nullptr;
    if (auto primitive = primitive_type(type_name)) {
      if (const Node* shared = shared_logical_primitive(*primitive, object)) return shared;
      node = &new_node(*primitive);
      copy_properties(object, {"type"}, node->properties);
    } else if (type_name == "record" || type_name == "error") {
      SG_ASSIGN_OR_RETURN(node,
                          parse_record(object, type_name == "error", enclosing_space, path, depth));
    } else if (type_name == "enum") {
      SG_ASSIGN_OR_RETURN(node, parse_enum(object, enclosing_space, path));
    } else if (type_name == "fixed") {
      SG_ASSIGN_OR_RETURN(node, parse_fixed(object, enclosing_space, path));
    } else if (type_name == "array" || type_name == "map") {
      const bool is_array = type_name == "array";
      const char* key = is_array ? "items" : "values";
      const json::value* child = object.if_contains(key);
      if (child == nullptr) return error_at(path, fmt::format("{} without '{}'", type_name, key));
      node = &new_node(is_array ? Type::kArray : Type::kMap);
      PathSegment segment(path, key);
      SG_ASSIGN_OR_RETURN(const Node* element,
                          parse_node(*child, enclosing_space, path, depth + 1));
      (is_array ? node->items : node->values) = element;
      copy_properties(object, {"type", key}, node->properties);
    } else if (const Node* named = lookup(type_name, enclosing_space)) {
      // {"type": "com.shop.Address"}: a reference written in object form.
      return named;
    } else {
      PathSegment segment(path, "type");
      return parse_type_name(type_name, enclosing_space, path);
    }
    apply_logical_type(*node);
    return node;
  }

  // The shared node for {"type": P, "logicalType": L} with a valid non-decimal L, or nullptr.
  static const Node* shared_logical_primitive(Type type, const json::object& object) {
    const json::value* logical = object.if_contains("logicalType");
    if (object.size() != 2 || logical == nullptr || !logical->is_string()) return nullptr;
    Node prototype;
    prototype.type = type;
    prototype.properties.emplace("logicalType", *logical);
    apply_logical_type(prototype);
    if (prototype.logical.kind == LogicalKind::kNone) return nullptr;
    const std::string key =
        fmt::format("logical:{}:{}", int(type), to_string(prototype.logical.kind));
    return SharedNodes::instance().intern(key, prototype);
  }

  // Reads name/namespace/aliases/doc of a named type and registers it, so that its own body
  // (a recursive record) can refer to it.
  Status define_named(Node& node, const json::object& object, std::string_view enclosing_space,
                      std::string& path) {
    const json::value* name_value = object.if_contains("name");
    if (name_value == nullptr || !name_value->is_string()) {
      return error_at(path, fmt::format("a {} needs a 'name' string", to_string(node.type)));
    }
    const std::string_view name = name_value->get_string();
    if (const std::size_t dot = name.rfind('.'); dot != std::string_view::npos) {
      node.space = std::string(name.substr(0, dot));
      node.name = std::string(name.substr(dot + 1));
    } else {
      node.name = std::string(name);
      node.space = std::string(enclosing_space);
      if (const json::value* space = object.if_contains("namespace")) {
        if (space->is_string()) {
          node.space = std::string(space->get_string());
        } else if (!space->is_null()) {
          PathSegment segment(path, "namespace");
          return error_at(path, "'namespace' must be a string");
        }
      }
    }
    if (!is_valid_simple_name(node.name)) {
      PathSegment segment(path, "name");
      return error_at(path, fmt::format("invalid name '{}': a name starts with a letter or '_' "
                                        "and continues with letters, digits or '_'",
                                        name));
    }
    if (!is_valid_namespace(node.space)) {
      PathSegment segment(path, name.find('.') != std::string_view::npos ? "name" : "namespace");
      return error_at(
          path, fmt::format("invalid namespace '{}': dot-separated names expected", node.space));
    }
    node.full_name = join_name(node.space, node.name);
    if (node.space.empty() && primitive_type(node.name)) {
      PathSegment segment(path, "name");
      return error_at(path,
                      fmt::format("'{}' is a primitive type and cannot be redefined", node.name));
    }
    if (lookup(node.full_name, "") != nullptr) {
      PathSegment segment(path, "name");
      return error_at(path, fmt::format("'{}' is already defined", node.full_name));
    }
    if (const json::value* aliases = object.if_contains("aliases")) {
      PathSegment segment(path, "aliases");
      SG_ASSIGN_OR_RETURN(std::vector<std::string> names, parse_aliases(*aliases, path));
      for (std::string& alias : names) {
        node.aliases.push_back(alias.find('.') == std::string::npos ? join_name(node.space, alias)
                                                                    : std::move(alias));
      }
    }
    if (const json::value* doc = object.if_contains("doc"); doc && doc->is_string()) {
      node.doc = std::string(doc->get_string());
    }
    defined_.emplace(node.full_name, &node);
    schema_->named_types_.push_back(&node);
    return ok_status();
  }

  Result<std::vector<std::string>> parse_aliases(const json::value& value, std::string& path) {
    if (!value.is_array()) return error_at(path, "'aliases' must be an array of names");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < value.get_array().size(); ++i) {
      const json::value& alias = value.get_array()[i];
      PathSegment segment(path, i);
      if (!alias.is_string()) return error_at(path, "an alias must be a string");
      const std::string_view text = alias.get_string();
      const std::size_t dot = text.rfind('.');
      const bool valid = dot == std::string_view::npos
                             ? is_valid_simple_name(text)
                             : is_valid_namespace(text.substr(0, dot)) &&
                                   is_valid_simple_name(text.substr(dot + 1));
      if (!valid) return error_at(path, fmt::format("invalid alias '{}'", text));
      out.emplace_back(text);
    }
    return out;
  }

  Result<Node*> parse_record(const json::object& object, bool is_error,
                             std::string_view enclosing_space, std::string& path, int depth) {
    Node& node = new_node(Type::kRecord);
    node.is_error = is_error;
    SG_RETURN_IF_ERROR(define_named(node, object, enclosing_space, path));
    const json::value* fields = object.if_contains("fields");
    if (fields == nullptr || !fields->is_array()) {
      return error_at(path, fmt::format("record '{}' needs a 'fields' array", node.full_name));
    }
    PathSegment fields_segment(path, "fields");
    node.fields.reserve(fields->get_array().size());
    for (std::size_t i = 0; i < fields->get_array().size(); ++i) {
      PathSegment segment(path, i);
      SG_ASSIGN_OR_RETURN(Field field,
                          parse_field(fields->get_array()[i], node.space, path, depth));
      field.name_hash = field_name_hash(field.name);
      node.fields.push_back(std::move(field));
      if (node.fields.back().default_value) {
        pending_defaults_.push_back({&node, i, path});
      }
    }
    if (const int duplicate = index_fields(node); duplicate >= 0) {
      const auto position = static_cast<std::size_t>(duplicate);
      PathSegment segment(path, position);
      return error_at(path, fmt::format("record '{}' has two fields named '{}'", node.full_name,
                                        node.fields[position].name));
    }
    copy_properties(object, {"type", "name", "namespace", "aliases", "doc", "fields"},
                    node.properties);
    return &node;
  }

  Result<Field> parse_field(const json::value& value, std::string_view space, std::string& path,
                            int depth) {
    if (!value.is_object()) return error_at(path, "a field must be an object");
    const json::object& object = value.get_object();
    Field field;
    const json::value* name = object.if_contains("name");
    if (name == nullptr || !name->is_string()) return error_at(path, "a field needs a 'name'");
    field.name = std::string(name->get_string());
    if (!is_valid_simple_name(field.name)) {
      PathSegment segment(path, "name");
      return error_at(path, fmt::format("invalid field name '{}'", field.name));
    }
    const json::value* type = object.if_contains("type");
    if (type == nullptr) return error_at(path, fmt::format("field '{}' has no 'type'", field.name));
    {
      PathSegment segment(path, "type");
      SG_ASSIGN_OR_RETURN(field.type, parse_node(*type, space, path, depth + 1));
    }
    if (const json::value* default_value = object.if_contains("default")) {
      field.default_value = *default_value;
    }
    if (const json::value* order = object.if_contains("order")) {
      const std::string_view text =
          order->is_string() ? std::string_view(order->get_string()) : std::string_view();
      if (text == "ascending") {
        field.order = FieldOrder::kAscending;
      } else if (text == "descending") {
        field.order = FieldOrder::kDescending;
      } else if (text == "ignore") {
        field.order = FieldOrder::kIgnore;
      } else {
        PathSegment segment(path, "order");
        return error_at(path, fmt::format("'order' must be \"ascending\", \"descending\" or "
                                          "\"ignore\", not {}",
                                          describe(*order)));
      }
    }
    if (const json::value* aliases = object.if_contains("aliases")) {
      PathSegment segment(path, "aliases");
      SG_ASSIGN_OR_RETURN(field.aliases, parse_aliases(*aliases, path));
    }
    if (const json::value* doc = object.if_contains("doc"); doc && doc->is_string()) {
      field.doc = std::string(doc->get_string());
    }
    copy_properties(object, {"name", "type", "default", "order", "aliases", "doc"},
                    field.properties);
    return field;
  }

  Result<Node*> parse_enum(const json::object& object, std::string_view enclosing_space,
                           std::string& path) {
    Node& node = new_node(Type::kEnum);
    SG_RETURN_IF_ERROR(define_named(node, object, enclosing_space, path));
    const json::value* symbols = object.if_contains("symbols");
    if (symbols == nullptr || !symbols->is_array()) {
      return error_at(path, fmt::format("enum '{}' needs a 'symbols' array", node.full_name));
    }
    {
      PathSegment symbols_segment(path, "symbols");
      for (std::size_t i = 0; i < symbols->get_array().size(); ++i) {
        const json::value& symbol = symbols->get_array()[i];
        PathSegment segment(path, i);
        if (!symbol.is_string() || !is_valid_simple_name(symbol.get_string())) {
          return error_at(path, fmt::format("invalid enum symbol {}: a symbol starts with a "
                                            "letter or '_' and continues with letters, digits "
                                            "or '_'",
                                            describe(symbol)));
        }
        if (node.symbol_index(symbol.get_string()) >= 0) {
          return error_at(path, fmt::format("duplicate enum symbol '{}'",
                                            std::string_view(symbol.get_string())));
        }
        node.symbols.emplace_back(symbol.get_string());
      }
    }
    if (const json::value* default_value = object.if_contains("default")) {
      PathSegment segment(path, "default");
      if (!default_value->is_string() || node.symbol_index(default_value->get_string()) < 0) {
        return error_at(path, fmt::format("the enum default {} is not one of the symbols of '{}'",
                                          describe(*default_value), node.full_name));
      }
      node.enum_default = std::string(default_value->get_string());
    }
    copy_properties(object, {"type", "name", "namespace", "aliases", "doc", "symbols", "default"},
                    node.properties);
    return &node;
  }

  Result<Node*> parse_fixed(const json::object& object, std::string_view enclosing_space,
                            std::string& path) {
    Node& node = new_node(Type::kFixed);
    SG_RETURN_IF_ERROR(define_named(node, object, enclosing_space, path));
    const json::value* size = object.if_contains("size");
    const auto value = size ? as_int64(*size) : std::nullopt;
    if (!value || *value < 0 || *value > std::numeric_limits<std::int32_t>::max()) {
      return error_at(path, fmt::format("fixed '{}' needs a 'size' that is a non-negative integer",
                                        node.full_name));
    }
    node.size = *value;
    copy_properties(object, {"type", "name", "namespace", "aliases", "doc", "size"},
                    node.properties);
    return &node;
  }

  static void copy_properties(const json::object& object,
                              std::initializer_list<std::string_view> reserved, json::object& out) {
    for (const auto& [key, value] : object) {
      bool is_reserved = false;
      for (std::string_view r : reserved) is_reserved = is_reserved || r == key;
      if (!is_reserved) out.emplace(key, value);
    }
  }

  // Sets node.logical when `logicalType` names a logical type valid for this node; otherwise
  // the attribute stays an ordinary property, as the specification says.
  static void apply_logical_type(Node& node) {
    const json::value* attribute = node.properties.if_contains("logicalType");
    if (attribute == nullptr || !attribute->is_string()) return;
    const std::string_view name = attribute->get_string();
    const Type t = node.type;
    auto set = [&](LogicalKind kind, bool valid) {
      if (valid) node.logical.kind = kind;
    };
    if (name == "decimal") {
      if (t != Type::kBytes && t != Type::kFixed) return;
      const json::value* precision = node.properties.if_contains("precision");
      const json::value* scale = node.properties.if_contains("scale");
      const auto p = precision ? as_int64(*precision) : std::nullopt;
      const auto s = scale ? as_int64(*scale) : std::optional<std::int64_t>(0);
      if (!p || !s || *p <= 0 || *p > std::numeric_limits<int>::max() || *s < 0 || *s > *p) return;
      if (t == Type::kFixed && *p > max_decimal_precision(node.size)) return;
      node.logical = {LogicalKind::kDecimal, static_cast<int>(*p), static_cast<int>(*s)};
    } else if (name == "uuid") {
      set(LogicalKind::kUuid, t == Type::kString);
    } else if (name == "date") {
      set(LogicalKind::kDate, t == Type::kInt);
    } else if (name == "time-millis") {
      set(LogicalKind::kTimeMillis, t == Type::kInt);
    } else if (name == "time-micros") {
      set(LogicalKind::kTimeMicros, t == Type::kLong);
    } else if (name == "timestamp-millis") {
      set(LogicalKind::kTimestampMillis, t == Type::kLong);
    } else if (name == "timestamp-micros") {
      set(LogicalKind::kTimestampMicros, t == Type::kLong);
    } else if (name == "local-timestamp-millis") {
      set(LogicalKind::kLocalTimestampMillis, t == Type::kLong);
    } else if (name == "local-timestamp-micros") {
      set(LogicalKind::kLocalTimestampMicros, t == Type::kLong);
    } else if (name == "duration") {
      set(LogicalKind::kDuration, t == Type::kFixed && node.size == 12);
    }
  }

  // Field defaults are checked after the whole schema is read: a default may be a record whose
  // type is still being defined when the field is seen (a recursive record).
  Status validate_pending_defaults() {
    for (const PendingDefault& pending : pending_defaults_) {
      const Field& field = pending.record->fields[pending.field_index];
      std::string path = pending.field_path + "/default";
      if (auto problem = default_problem(*field.type, *field.default_value, 0)) {
        return error_at(path, fmt::format("the default of field '{}' does not match its type: {}",
                                          field.name, *problem));
      }
    }
    return ok_status();
  }

  // Why `value` is not a valid default for `node`, or nullopt if it is.
  static std::optional<std::string> default_problem(const Node& node, const json::value& value,
                                                    int depth) {
    if (depth > kMaxNesting) return "the default nests too deeply";
    auto expected = [&](std::string_view what) {
      return fmt::format("expected {} for {}, found {}", what, describe_type(node),
                         describe(value));
    };
    switch (node.type) {
      case Type::kNull:
        if (!value.is_null()) return expected("null");
        return std::nullopt;
      case Type::kBoolean:
        if (!value.is_bool()) return expected("true or false");
        return std::nullopt;
      case Type::kInt: {
        const auto v = as_int64(value);
        if (!v || *v < std::numeric_limits<std::int32_t>::min() ||
            *v > std::numeric_limits<std::int32_t>::max()) {
          return expected("a 32-bit integer");
        }
        return std::nullopt;
      }
      case Type::kLong:
        if (!as_int64(value)) return expected("a 64-bit integer");
        return std::nullopt;
      case Type::kFloat:
      case Type::kDouble:
        if (!is_integral(value) && !value.is_double()) return expected("a number");
        return std::nullopt;
      case Type::kString:
        if (!value.is_string()) return expected("a string");
        return std::nullopt;
      case Type::kBytes:
        if (!value.is_string() || byte_string_length(value.get_string()) < 0) {
          return expected("a string of characters U+0000..U+00FF (one per byte)");
        }
        return std::nullopt;
      case Type::kFixed:
        if (!value.is_string() || byte_string_length(value.get_string()) != node.size) {
          return expected(
              fmt::format("a string of exactly {} characters U+0000..U+00FF", node.size));
        }
        return std::nullopt;
      case Type::kEnum:
        if (!value.is_string() || node.symbol_index(value.get_string()) < 0) {
          return expected("one of the enum's symbols");
        }
        return std::nullopt;
      case Type::kArray:
        if (!value.is_array()) return expected("an array");
        for (const json::value& item : value.get_array()) {
          if (auto problem = default_problem(*node.items, item, depth + 1)) return problem;
        }
        return std::nullopt;
      case Type::kMap:
        if (!value.is_object()) return expected("an object");
        for (const auto& entry : value.get_object()) {
          if (auto problem = default_problem(*node.values, entry.value(), depth + 1)) {
            return problem;
          }
        }
        return std::nullopt;
      case Type::kUnion:
        // The specification: a union's default corresponds to its first branch.
        if (node.branches.empty()) return "an empty union has no valid default";
        if (auto problem = default_problem(*node.branches.front(), value, depth + 1)) {
          return fmt::format("{} (a union's default must match its first branch)", *problem);
        }
        return std::nullopt;
      case Type::kRecord: {
        if (!value.is_object()) return expected("an object");
        for (const Field& field : node.fields) {
          const json::value* member = value.get_object().if_contains(field.name);
          if (member == nullptr && !field.default_value) {
            return fmt::format("field '{}' of {} is missing and has no default", field.name,
                               node.full_name);
          }
          if (member != nullptr) {
            if (auto problem = default_problem(*field.type, *member, depth + 1)) return problem;
          }
        }
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  static std::string describe_type(const Node& node) {
    if (is_named(node.type)) return fmt::format("{} '{}'", to_string(node.type), node.full_name);
    return std::string(to_string(node.type));
  }

  struct PendingDefault {
    const Node* record;
    std::size_t field_index;
    std::string field_path;
  };

  const ParseOptions& options_;
  std::shared_ptr<Schema> schema_;
  std::unordered_map<std::string, const Node*> defined_;
  std::vector<PendingDefault> pending_defaults_;
};

Result<SchemaPtr> parse_json(const json::value& json, const ParseOptions& options) {
  return SchemaBuilder(options).build(json);
}

Result<SchemaPtr> parse(std::string_view text, const ParseOptions& options) {
  SG_ASSIGN_OR_RETURN(json::value json, parse_json_text(text, "Avro schema", kMaxJsonDepth));
  return parse_json(json, options);
}

}  // namespace sg::avro
