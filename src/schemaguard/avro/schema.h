// The Avro schema model: an immutable graph of nodes produced by `sg::avro::parse` (parse.h).
//
// A `Schema` owns its nodes. Nodes refer to each other by `const Node*`; a reference to a
// named type points at the node that defines it, so recursive types form cycles and a named
// type used twice is one node. Some anonymous nodes are shared process-wide because nothing but
// their shape describes them: a primitive written as a bare name ("int"), a union of up to three
// bare primitives (["null", "string"]) and a primitive whose only attribute is a valid logical
// type. Named types that come from other schemas (registry references) are owned by those
// schemas, which the `Schema` keeps alive.
//
// Everything here is read-only after parsing and safe to share between threads.
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sg::avro {

// The primitives come first, numbered 0..7 (parse.cc keeps one shared node per primitive).
enum class Type : std::uint8_t {
  kNull,
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kBytes,
  kString,
  kRecord,  // also `error`, see Node::is_error
  kEnum,
  kArray,
  kMap,
  kUnion,
  kFixed,
};

// The spelling used in schema JSON: "int", "record", "union" (unions have no spelling in JSON;
// "union" is used in messages).
std::string_view to_string(Type type);
constexpr bool is_primitive(Type t) {
  return t <= Type::kString;
}
constexpr bool is_named(Type t) {
  return t == Type::kRecord || t == Type::kEnum || t == Type::kFixed;
}

// Logical types from the Avro 1.11 specification. A logical type that is unknown or invalid
// for its underlying type (a `decimal` whose precision does not fit its fixed size, a `date` on
// a string) is ignored, as the specification requires: the node keeps `kind == kNone` and the
// `logicalType` attribute stays among its properties.
enum class LogicalKind : std::uint8_t {
  kNone,
  kDecimal,
  kUuid,
  kDate,
  kTimeMillis,
  kTimeMicros,
  kTimestampMillis,
  kTimestampMicros,
  kLocalTimestampMillis,
  kLocalTimestampMicros,
  kDuration,
};

std::string_view to_string(LogicalKind kind);

struct LogicalType {
  LogicalKind kind = LogicalKind::kNone;
  int precision = 0;  // decimal only
  int scale = 0;      // decimal only
};

enum class FieldOrder : std::uint8_t { kAscending, kDescending, kIgnore };

struct Node;

// Members are ordered hot-first: the compatibility check reads `name` and `type` of every
// field and rarely anything else, so those share a cache line.
struct Field {
  std::string name;
  const Node* type = nullptr;
  std::uint64_t name_hash = 0;  // field_name_hash(name), set by the parser
  // Alternative names a reader matches against writer field names (plain names, no namespace).
  std::vector<std::string> aliases;
  // The `default` attribute when present (`null` is a valid default, distinct from absence).
  std::optional<boost::json::value> default_value;
  FieldOrder order = FieldOrder::kAscending;
  std::optional<std::string> doc;
  // Attributes the specification does not define, in source order.
  boost::json::object properties;
};

// Members are ordered hot-first (what the compatibility check reads comes first); a check over
// a thousand versions is bound by memory traffic, not by instructions.
struct Node {
  Type type = Type::kNull;
  bool is_error = false;  // a record declared as `error`
  LogicalType logical;

  // union
  std::vector<const Node*> branches;
  // record
  std::vector<Field> fields;
  // array (items), map (values)
  const Node* items = nullptr;
  const Node* values = nullptr;
  std::int64_t size = 0;  // fixed
  // enum
  std::vector<std::string> symbols;
  std::optional<std::string> enum_default;

  // Named types (record, enum, fixed).
  std::string name;                  // the simple name: "Order"
  std::string full_name;             // "com.shop.Order"
  std::string space;                 // the namespace, "" for the null namespace: "com.shop"
  std::vector<std::string> aliases;  // full names
  std::optional<std::string> doc;

  // Attributes the specification does not define (and `logicalType`, `precision`, `scale`),
  // in source order. Empty for a primitive written as a bare string.
  boost::json::object properties;

  // Returns the field named `field_name` or nullptr. O(1): the parser indexes fields by name.
  const Field* find_field(std::string_view field_name) const;
  // The position of the field named `field_name` in `fields`, or -1. `hash` must be
  // field_name_hash(field_name); Field::name_hash has it for names taken from another field.
  int field_position(std::string_view field_name, std::uint64_t hash) const;

  // Open-addressing table over `fields` (slot = position + 1, 0 = empty), built by the parser.
  std::vector<std::uint32_t> field_slots;
  // Returns the index of `symbol` in `symbols`, or -1.
  int symbol_index(std::string_view symbol) const;
};

// The hash Field::name_hash and Node::field_position use.
std::uint64_t field_name_hash(std::string_view name);

// Fingerprints of a schema's Parsing Canonical Form.
struct Fingerprints {
  std::uint64_t crc64_avro = 0;  // CRC-64-AVRO (Rabin)
  std::array<std::uint8_t, 16> md5{};
  std::array<std::uint8_t, 32> sha256{};
};

class Schema {
 public:
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  const Node& root() const { return *root_; }

  // The named types this schema defines itself (not those it takes from references), in
  // definition order.
  const std::vector<const Node*>& named_types() const { return named_types_; }

  // Returns the named type with this full name, defined here or in a referenced schema, or
  // nullptr.
  const Node* find_named(std::string_view full_name) const;

  // The Parsing Canonical Form (Avro specification), computed once at parse time.
  const std::string& canonical_form() const { return canonical_form_; }
  const Fingerprints& fingerprints() const { return fingerprints_; }

 private:
  friend class SchemaBuilder;
  Schema() = default;

  // Nodes live in chunks that grow geometrically: addresses stay stable while parsing appends,
  // and a schema's nodes sit close together in memory (std::deque would give each 384-byte
  // node a block of its own).
  Node& new_node();
  std::vector<std::unique_ptr<Node[]>> node_chunks_;
  std::size_t last_chunk_capacity_ = 0;
  std::size_t last_chunk_used_ = 0;
  const Node* root_ = nullptr;
  std::vector<const Node*> named_types_;
  std::vector<std::shared_ptr<const Schema>> references_;
  std::string canonical_form_;
  Fingerprints fingerprints_;
};

using SchemaPtr = std::shared_ptr<const Schema>;

}  // namespace sg::avro
