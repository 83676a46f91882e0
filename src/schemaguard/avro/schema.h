// The Avro schema model: an immutable graph of nodes produced by `sg::avro::parse` (parse.h).
//
// A `Schema` owns its nodes. Nodes refer to each other by `const Node*`; a reference to a
// named type points at the node that defines it, so recursive types form cycles and a named
// type used twice is one node. Named types that come from other schemas (registry references)
// are owned by those schemas, which the `Schema` keeps alive.
//
// Everything here is read-only after parsing and safe to share between threads.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace sg::avro {

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
constexpr bool is_primitive(Type t) { return t <= Type::kString; }
constexpr bool is_named(Type t) { return t == Type::kRecord || t == Type::kEnum || t == Type::kFixed; }

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

struct Field {
  std::string name;
  const Node* type = nullptr;
  // Alternative names a reader matches against writer field names (plain names, no namespace).
  std::vector<std::string> aliases;
  // The `default` attribute when present (`null` is a valid default, distinct from absence).
  std::optional<boost::json::value> default_value;
  FieldOrder order = FieldOrder::kAscending;
  std::optional<std::string> doc;
  // Attributes the specification does not define, in source order.
  boost::json::object properties;
};

struct Node {
  Type type = Type::kNull;

  // Named types (record, enum, fixed).
  std::string name;        // the simple name: "Order"
  std::string space;       // the namespace, "" for the null namespace: "com.shop"
  std::string full_name;   // "com.shop.Order"
  std::vector<std::string> aliases;  // full names
  std::optional<std::string> doc;

  // record
  bool is_error = false;
  std::vector<Field> fields;

  // enum
  std::vector<std::string> symbols;
  std::optional<std::string> enum_default;

  // array (items), map (values)
  const Node* items = nullptr;
  const Node* values = nullptr;

  // union
  std::vector<const Node*> branches;

  // fixed
  std::int64_t size = 0;

  LogicalType logical;

  // Attributes the specification does not define (and `logicalType`, `precision`, `scale`),
  // in source order. Empty for a primitive written as a bare string.
  boost::json::object properties;

  // Where this node was defined in its schema's JSON text (JSON pointer), for messages.
  std::string path;

  // Returns the field named `name` or nullptr.
  const Field* find_field(std::string_view field_name) const;
  // Returns the index of `symbol` in `symbols`, or -1.
  int symbol_index(std::string_view symbol) const;
};

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

  std::deque<Node> nodes_;  // deque: node addresses stay stable while parsing appends
  const Node* root_ = nullptr;
  std::vector<const Node*> named_types_;
  std::vector<std::shared_ptr<const Schema>> references_;
  std::string canonical_form_;
  Fingerprints fingerprints_;
};

using SchemaPtr = std::shared_ptr<const Schema>;

}  // namespace sg::avro
