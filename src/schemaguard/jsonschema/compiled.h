// The compiled form of a schema (internal to sg::jsonschema): a flat vector of nodes, one per
// subschema, that refer to each other by index. Built by compile.cc, read by validate.cc.
#pragma once

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "schemaguard/jsonschema/document.h"
#include "schemaguard/jsonschema/draft.h"
#include "schemaguard/jsonschema/ecma_regex.h"
#include "schemaguard/jsonschema/validator.h"

namespace sg::jsonschema::internal {

using NodeId = std::uint32_t;
constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
constexpr std::uint64_t kUnbounded = std::numeric_limits<std::uint64_t>::max();
// The most names an object schema may have for Node::named_any_of and
// Node::named_dependent_required (is_valid keeps a pointer per name on the stack).
constexpr std::size_t kMaxNamedEntries = 16;

// One bit per JSON type; kInteger is also set for every integral number.
enum TypeBit : std::uint8_t {
  kNullBit = 1,
  kBooleanBit = 2,
  kObjectBit = 4,
  kArrayBit = 8,
  kNumberBit = 16,
  kStringBit = 32,
  kIntegerBit = 64,
};

enum class DynamicKind : std::uint8_t { kNone, kDynamicRef, kRecursiveRef };

// The common shapes of event schemas that is_valid checks with code of their own, without
// asking the node about every keyword it does not have.
enum class Shape : std::uint8_t {
  kGeneral,
  // A leaf of type string, with only minLength, maxLength or pattern ({"type": "string",
  // "pattern": "^[A-Z]{3}$"}).
  kString,
  // A plain node (see Node::plain) of type object: its in-place applicators, then its object
  // keywords, without asking about the others.
  kObject,
  // A plain node of type array: its in-place applicators, then its array keywords.
  kArray,
  // A plain node of no type, with at most two names in `properties` and `required` and no
  // other keyword ({"required": ["postcode"]}, {"properties": {"country": {"const": "IE"}}},
  // the branches of an anyOf): the names are looked up in an object, anything else passes.
  kSparse,
  // A kArray or kObject node whose items (members) are all settled by their kind alone: the
  // `items` (additionalProperties) schema passes some kinds of value outright and fails all the
  // others on its `type`, and nothing else applies but the number of items (members):
  // {"type": "array", "items": {"type": "string"}, "maxItems": 4}, {"type": "object",
  // "additionalProperties": {"type": ["string", "number"]}}. Checked in the parent's loop,
  // without a call. Set once every node is compiled (Node::uniform_*).
  kUniform,
};

enum class Format : std::uint8_t {
  kNone,
  kDateTime,
  kDate,
  kTime,
  kDuration,
  kEmail,
  kHostname,
  kIpv4,
  kIpv6,
  kUri,
  kUriReference,
  kUuid,
  kJsonPointer,
  kRelativeJsonPointer,
  kRegex,
};

// Whether two short strings (property names, enum values) are equal: compared inline, with
// overlapping fixed-size loads, which beats a call to memcmp.
inline bool same_bytes(std::string_view a, std::string_view b) {
  const std::size_t n = b.size();
  if (a.size() != n) return false;
  const char* p = a.data();
  const char* q = b.data();
  const auto load64 = [](const char* at) {
    std::uint64_t x;
    std::memcpy(&x, at, sizeof x);
    return x;
  };
  const auto load32 = [](const char* at) {
    std::uint32_t x;
    std::memcpy(&x, at, sizeof x);
    return x;
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (load64(p + i) != load64(q + i)) return false;
    }
    return load64(p + n - 8) == load64(q + n - 8);
  }
  if (n >= 4) return load32(p) == load32(q) && load32(p + n - 4) == load32(q + n - 4);
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

// A value of a Document, read in place. Cheap to copy: one pointer.
class Value {
 public:
  explicit Value(const Slot* slot) : slot_(slot) {}

  Kind kind() const { return slot_->kind; }
  std::uint8_t types() const { return slot_->types; }
  bool is_object() const { return slot_->kind == Kind::kObject; }
  bool is_array() const { return slot_->kind == Kind::kArray; }
  bool is_string() const { return slot_->kind == Kind::kString; }
  bool is_number() const {
    return slot_->kind == Kind::kInt64 || slot_->kind == Kind::kUint64 ||
           slot_->kind == Kind::kDouble;
  }
  std::string_view string() const { return {slot_->chars, string_length(*slot_)}; }
  std::int64_t int64() const { return slot_->int64; }
  std::uint64_t uint64() const { return slot_->uint64; }
  double number() const { return slot_->number; }
  // An object's members or an array's items.
  std::size_t size() const { return slot_->count; }
  const Slot* slot() const { return slot_; }

  // The value after this one in the document, past all of this one's children.
  Value next() const { return Value(slot_ + slot_->skip); }
  // REQUIRES: an array with items: its first item. next() walks on to the others.
  Value first_item() const { return Value(slot_ + 1); }

  // The members of an object, in the document's order:
  //   for (Member m = object.first_member(), e = object.end_member(); m != e; m = m.next())
  class Member {
   public:
    explicit Member(const Slot* key) : key_(key) {}
    std::string_view key() const { return {key_->chars, string_length(*key_)}; }
    const Slot& key_slot() const { return *key_; }
    Value key_value() const { return Value(key_); }  // the key as a string value
    Value value() const { return Value(key_ + 1); }
    Member next() const { return Member(value().next().slot()); }
    bool operator!=(const Member& other) const { return key_ != other.key_; }
    bool operator==(const Member& other) const { return key_ == other.key_; }

   private:
    const Slot* key_;
  };
  Member first_member() const { return Member(slot_ + 1); }
  Member end_member() const { return Member(slot_ + slot_->skip); }

  // The member `name` of an object, or nullopt: a scan (objects in events are small).
  std::optional<Value> find(std::string_view name) const {
    for (Member m = first_member(), e = end_member(); m != e; m = m.next()) {
      if (same_bytes(m.key(), name)) return m.value();
    }
    return std::nullopt;
  }
  bool contains(std::string_view name) const { return find(name).has_value(); }

 private:
  const Slot* slot_;
};

struct Node;

// The property names an object schema knows (from `properties` and `required`), for one hash
// lookup per member of an instance instead of one search of the instance per name.
struct alignas(64) PropertyEntry {
  PropertyEntry() = default;
  PropertyEntry(std::string entry_name, NodeId entry_schema)
      : schema(entry_schema), name(std::move(entry_name)) {}

  // Whether a key of a Document (`n` bytes at `p`, readable a word past its end) is `name`:
  // up to 16 bytes, one or two word compares against the name's first and last eight bytes.
  [[gnu::always_inline]] bool matches(const char* p, std::uint32_t n) const {
    if (n != length) return false;
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    if (n <= 8) return ((word ^ head) & head_mask) == 0;
    if (word != head) return false;
    if (n <= 16) {
      std::memcpy(&word, p + n - 8, sizeof word);
      return word == tail;
    }
    return std::memcmp(p, name.data(), n) == 0;
  }

  // What is_valid reads for every member of an instance comes first, in one cache line.
  // Set by PropertyTable::build: the name's length, first eight bytes (as many as it has,
  // under head_mask) and last eight, and the entry's index in the table's entries().
  std::uint64_t head = 0, head_mask = 0, tail = 0;
  std::uint32_t length = 0;
  std::uint32_t index = 0;
  // For Node::members_hold: the node of the schema a member of this name must meet (its
  // `properties` schema, else the object's fallback: additionalProperties, or
  // unevaluatedProperties where it acts as one; see Node::items_node), or null; 1 <<
  // required_bit, or 0; the kinds of value that pass member_node unvisited (all of them when
  // there is none).
  const Node* member_node = nullptr;
  std::uint64_t required_flag = 0;
  std::uint16_t member_pass = 0xFFFF;
  // The schema's Node::passes_kinds: what is_valid accepts without visiting the schema.
  std::uint16_t passes_kinds = 0;
  int required_bit = -1;    // its bit in Node::required_mask, if required
  NodeId schema = kNoNode;  // its `properties` schema, if any
  std::string name;
};

class PropertyTable {
 public:
  // REQUIRES: no two entries with the same name.
  void build(std::vector<PropertyEntry> entries);
  bool empty() const { return entries_.empty(); }
  const std::vector<PropertyEntry>& entries() const { return entries_; }
  PropertyEntry& entry(std::size_t index) { return entries_[index]; }

  // Like find(name), trying first the entry at `hint` and leaving in `hint` the entry after
  // the one found: documents mostly list their members in the order the schema declares
  // them, so a walk over an object's members compares each name once, without hashing.
  [[gnu::always_inline]] const PropertyEntry* find(std::string_view name, std::size_t& hint) const {
    if (hint < entries_.size() && same_bytes(entries_[hint].name, name)) return &entries_[hint++];
    // An optional property left out.
    if (hint + 1 < entries_.size() && same_bytes(entries_[hint + 1].name, name)) {
      hint += 2;
      return &entries_[hint - 1];
    }
    const PropertyEntry* entry = find(name);
    if (entry != nullptr) hint = static_cast<std::size_t>(entry - entries_.data()) + 1;
    return entry;
  }

  // find(name, hint) for a key of a Document (see PropertyEntry::matches).
  [[gnu::always_inline]] const PropertyEntry* find_key(const Slot& key, std::size_t& hint) const {
    const std::uint32_t n = string_length(key);
    const PropertyEntry* entries = entries_.data();
    if (hint < size_ && entries[hint].matches(key.chars, n)) return &entries[hint++];
    if (hint + 1 < size_ && entries[hint + 1].matches(key.chars, n)) {
      hint += 2;
      return &entries[hint - 1];
    }
    // Out of the schema's order: a small table is scanned (most entries differ in length),
    // a large one hashed.
    const PropertyEntry* entry = nullptr;
    if (size_ <= 8) {
      for (std::uint32_t i = 0; i < size_; ++i) {
        if (entries[i].matches(key.chars, n)) {
          entry = &entries[i];
          break;
        }
      }
    } else {
      entry = find(std::string_view(key.chars, n));
    }
    if (entry != nullptr) hint = entry->index + 1;
    return entry;
  }

  const PropertyEntry* find(std::string_view name) const {
    if (entries_.empty()) return nullptr;
    const std::uint32_t h = hash(name);
    for (std::uint32_t slot = h & mask_;; slot = (slot + 1) & mask_) {
      const Slot& s = slots_[slot];
      if (s.index == 0) return nullptr;
      // The stored hash settles most misses without touching the entry.
      if (s.hash == h) {
        const PropertyEntry& entry = entries_[s.index - 1];
        if (same_bytes(entry.name, name)) return &entry;
      }
    }
  }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t index = 0;  // entry index + 1; 0 for an empty slot
  };

  // Cheap rather than strong: the first and last eight bytes (or four, or three single
  // bytes, for shorter names) and the length, mixed once. Fixed-size loads, no call.
  static std::uint32_t hash(std::string_view name) {
    const char* p = name.data();
    const std::size_t n = name.size();
    std::uint64_t x = 0;
    if (n >= 8) {
      std::uint64_t y = 0;
      std::memcpy(&x, p, 8);
      std::memcpy(&y, p + n - 8, 8);
      x ^= y * 0x9E3779B97F4A7C15u;
    } else if (n >= 4) {
      std::uint32_t a = 0;
      std::uint32_t b = 0;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      x = a | (std::uint64_t{b} << 32);
    } else if (n > 0) {
      x = static_cast<unsigned char>(p[0]) |
          (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
          (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16);
    }
    x = (x ^ n) * 0x9E3779B97F4A7C15u;
    return static_cast<std::uint32_t>(x >> 32);
  }

  std::vector<PropertyEntry> entries_;
  std::uint32_t size_ = 0;  // entries_.size(), without the division by sizeof(PropertyEntry)
  std::vector<Slot> slots_;
  std::uint32_t mask_ = 0;
};

// One subschema. Absent keywords keep their defaults, which accept everything; the `has_*`
// summaries let the validator skip whole groups of keywords for an instance.
struct Node {
  // What is_valid reads for most instances comes first, in as few cache lines as can be.
  bool leaf = false;             // no in-place applicator, no object or array keywords
  std::uint8_t types = 0;        // 0: no `type` keyword
  bool strict_integers = false;  // draft 4: 1.0 is a number, not an integer
  bool always_false = false;
  bool has_object_keywords = false;
  bool has_array_keywords = false;
  bool has_string_keywords = false;
  bool has_number_keywords = false;
  bool has_in_place = false;  // $ref, $dynamicRef, allOf, anyOf, oneOf, not, if
  // Only a `$ref` (2019-09 and later allow siblings; this node has none): is_valid goes
  // straight to the target.
  bool ref_only = false;
  bool enum_all_strings = false;  // every value of enum_values is a string
  // No in-place applicator or dependentSchemas: only this node's own properties,
  // patternProperties and additionalProperties evaluate members, so is_valid treats
  // unevaluatedProperties as additionalProperties, in the same pass and without a record of
  // evaluated members (validate keeps the general path, for its messages).
  bool unevaluated_as_additional = false;
  // At most two names in property_table and no patternProperties, additionalProperties or
  // unevaluatedProperties: is_valid looks the names up in the instance instead of looking up
  // each member ({"required": ["a"]}, {"properties": {"kind": {"const": "x"}}}).
  bool sparse_properties = false;
  // Any of required_extra, dependent_required, dependent_schemas, property_names,
  // unevaluated_properties.
  bool has_object_extras = false;
  // No unevaluatedItems, and unevaluatedProperties (if any) as additionalProperties; no
  // dependentSchemas or propertyNames: is_valid checks the node's own keywords in one lean
  // pass (Evaluator::check_plain) when no caller wants annotations.
  bool plain = false;
  bool unique_items = false;
  bool contains_annotates = false;  // 2020-12: items `contains` matched count as evaluated
  Format format = Format::kNone;
  DynamicKind dynamic_kind = DynamicKind::kNone;
  bool dynamic_lookup = false;  // the target bookends: search the dynamic scope
  // A `$ref` to a draft's meta-schema: the instance must be a schema of that draft.
  std::optional<Draft> metaschema;
  // A leaf passes every value of the kinds in this mask (one bit per Kind) without any further
  // check: their type is allowed and no const, enum, string or number keyword applies.
  std::uint16_t passes_kinds = 0;
  Shape shape = Shape::kGeneral;
  // The passes_kinds of the `items` schema and of the members' fallback schema
  // (additionalProperties, or unevaluatedProperties where it acts as one), for is_valid to
  // skip visiting them.
  std::uint16_t items_pass = 0;
  std::uint16_t fallback_pass = 0;
  // The nodes of `items` and of the fallback, for is_valid: past any lone `$ref` when the
  // schema has no dynamic scope (where a reference's target depends on the path to it).
  const Node* items_node = nullptr;
  const Node* fallback_node = nullptr;
  const Node* contains_node = nullptr;  // and of `contains`, with what passes it unvisited
  std::uint16_t contains_pass = 0;
  // For Shape::kUniform: the kind of the node's values (kArray or kObject), the kinds its items
  // or members may be, and the bounds on their number.
  Kind uniform_kind = Kind::kNull;
  std::uint16_t uniform_pass = 0;
  std::uint64_t uniform_min = 0, uniform_max = kUnbounded;
  // A Shape::kObject without patternProperties: is_valid walks its members in one lean loop
  // (Evaluator::members_hold), with PropertyEntry::member_node and member_pass.
  bool lean_members = false;
  // A lean_members node whose only in-place keyword is an anyOf of Shape::kSparse branches
  // that name only names of its own property table ("a postcode, or the country IE"): each
  // branch, as tests of the members the walk found, so that no branch searches the object
  // again. Empty otherwise.
  struct NameTest {
    std::uint32_t entry;  // the name's index in property_table.entries()
    bool required;
    const Node* schema;  // the branch's `properties` schema for the name (see items_node)
    std::uint16_t pass;  // the kinds of value that pass `schema` unvisited (all: no schema)
  };
  std::vector<std::vector<NameTest>> named_any_of;
  // A lean_members node's dependentRequired, when every name it mentions is in its property
  // table (and it has at most kMaxNamedEntries): per name, the bit of its entry and the bits of
  // the names it requires, checked against the names the walk found. Empty otherwise.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> named_dependent_required;
  // Whether is_valid's walk over the members records which names it found (for the two
  // above), and whether it must still call on the object keywords it does not fold in
  // (required names beyond the first 64, a dependentRequired not folded).
  bool tracks_names = false;
  bool lean_extras = false;

  const EcmaRegex* pattern = nullptr;
  const Slot* const_slot = nullptr;
  const Slot* enum_slot = nullptr;  // the `enum` array
  NodeId ref = kNoNode;
  NodeId items = kNoNode;  // the items after prefix_items
  NodeId additional_properties = kNoNode;
  NodeId unevaluated_properties = kNoNode;

  std::uint64_t min_length = 0, max_length = kUnbounded;
  // The numeric bounds as one range of doubles, when each is exactly a double and there is no
  // multipleOf: is_valid compares an instance that is exactly a double with two compares.
  bool number_range = false;
  bool low_exclusive = false, high_exclusive = false;
  double low = 0, high = 0;
  std::uint64_t required_mask = 0;  // the bits of the required names in property_table
  NodeId contains = kNoNode;
  std::uint32_t resource = 0;    // the schema resource (for $dynamicRef scopes)
  NodeId dynamic_ref = kNoNode;  // the statically resolved target
  NodeId property_names = kNoNode;
  NodeId unevaluated_items = kNoNode;
  NodeId not_ = kNoNode, if_ = kNoNode, then_ = kNoNode, else_ = kNoNode;
  const boost::json::value* const_value = nullptr;  // for messages; the validator reads const_slot
  const boost::json::array* enum_values = nullptr;  // for messages; the validator reads enum_slot

  std::uint64_t min_properties = 0, max_properties = kUnbounded;
  PropertyTable property_table;  // `properties` and the first 64 `required` names
  std::vector<std::pair<const EcmaRegex*, NodeId>> pattern_properties;

  std::uint64_t min_items = 0, max_items = kUnbounded;
  std::vector<NodeId> prefix_items;
  std::uint64_t min_contains = 1, max_contains = kUnbounded;

  const boost::json::value* minimum = nullptr;
  const boost::json::value* maximum = nullptr;
  const boost::json::value* exclusive_minimum = nullptr;
  const boost::json::value* exclusive_maximum = nullptr;
  const boost::json::value* multiple_of = nullptr;
  // The same bounds as slots (kNull where absent), for the validator.
  Slot minimum_slot, maximum_slot, exclusive_minimum_slot, exclusive_maximum_slot, multiple_of_slot;

  std::vector<NodeId> all_of, any_of, one_of;

  std::string location;      // "#/properties/a" or "<uri>#/pointer": prefix of error paths
  std::string dynamic_name;  // the anchor name looked up ("" for $recursiveRef)
  std::vector<std::pair<std::string, NodeId>> properties;  // in the schema's order
  std::vector<std::string> required;                       // all of them, for messages
  std::vector<std::string> required_extra;                 // those beyond the 64 in required_mask
  std::vector<std::pair<std::string, std::vector<std::string>>> dependent_required;
  std::vector<std::pair<std::string, NodeId>> dependent_schemas;
};

struct Resource {
  NodeId root = kNoNode;
  bool recursive_anchor = false;                                // 2019-09
  std::vector<std::pair<std::string, NodeId>> dynamic_anchors;  // 2020-12
};

}  // namespace sg::jsonschema::internal

namespace sg::jsonschema {

struct CompiledSchema::Impl {
  Draft draft = Draft::k7;
  internal::NodeId root = 0;
  bool uses_dynamic_scope = false;
  std::vector<internal::Node> nodes;
  std::vector<internal::Resource> resources;
  // Everything the nodes point into: the documents and the compiled patterns.
  std::vector<std::unique_ptr<boost::json::value>> documents;
  std::vector<std::unique_ptr<EcmaRegex>> regexes;
  std::vector<std::unique_ptr<Document>> values;  // the `const`s and `enum`s as Documents
};

namespace internal {

// Checks the shape of every keyword of `schema` and of its subschemas under `draft`'s
// meta-schema rules. Returns the first problem as "<pointer>: <message>", or nullopt.
std::optional<std::string> check_schema_shape(const boost::json::value& schema, Draft draft);

// Whether `text` is valid in `format` (true for formats SchemaGuard does not know).
bool format_matches(Format format, std::string_view text);
Format format_from_name(std::string_view name);

// JSON equality as JSON Schema defines it (1 == 1.0; object member order does not matter).
bool json_equal(Value a, Value b);

}  // namespace internal
}  // namespace sg::jsonschema
