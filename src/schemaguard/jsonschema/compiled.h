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

#include "schemaguard/jsonschema/draft.h"
#include "schemaguard/jsonschema/ecma_regex.h"
#include "schemaguard/jsonschema/validator.h"

namespace sg::jsonschema::internal {

using NodeId = std::uint32_t;
constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
constexpr std::uint64_t kUnbounded = std::numeric_limits<std::uint64_t>::max();

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

// The property names an object schema knows (from `properties` and `required`), for one hash
// lookup per member of an instance instead of one search of the instance per name.
struct PropertyEntry {
  std::string name;
  NodeId schema = kNoNode;  // its `properties` schema, if any
  int required_bit = -1;    // its bit in Node::required_mask, if required
};

class PropertyTable {
 public:
  // REQUIRES: no two entries with the same name.
  void build(std::vector<PropertyEntry> entries);
  bool empty() const { return entries_.empty(); }
  const std::vector<PropertyEntry>& entries() const { return entries_; }

  const PropertyEntry* find(std::string_view name) const {
    if (entries_.empty()) return nullptr;
    for (std::uint32_t slot = hash(name) & mask_;; slot = (slot + 1) & mask_) {
      const std::uint32_t index = slots_[slot];
      if (index == 0) return nullptr;
      const PropertyEntry& entry = entries_[index - 1];
      if (entry.name == name) return &entry;
    }
  }

 private:
  // Cheap rather than strong: the first and last eight bytes and the length, mixed once.
  static std::uint32_t hash(std::string_view name) {
    std::uint64_t x = 0;
    std::memcpy(&x, name.data(), std::min<std::size_t>(name.size(), 8));
    if (name.size() > 8) {
      std::uint64_t y = 0;
      std::memcpy(&y, name.data() + name.size() - 8, 8);
      x ^= y * 0x9E3779B97F4A7C15u;
    }
    x = (x ^ name.size()) * 0x9E3779B97F4A7C15u;
    return static_cast<std::uint32_t>(x >> 32);
  }

  std::vector<PropertyEntry> entries_;
  std::vector<std::uint32_t> slots_;  // entry index + 1; 0 for an empty slot
  std::uint32_t mask_ = 0;
};

// One subschema. Absent keywords keep their defaults, which accept everything; the `has_*`
// summaries let the validator skip whole groups of keywords for an instance.
struct Node {
  std::string location;    // "#/properties/a" or "<uri>#/pointer": prefix of error paths
  std::uint32_t resource;  // the schema resource (for $dynamicRef scopes)
  bool always_false = false;
  bool has_object_keywords = false;
  bool has_array_keywords = false;
  bool has_string_keywords = false;
  bool has_number_keywords = false;
  bool has_in_place = false;     // $ref, $dynamicRef, allOf, anyOf, oneOf, not, if
  bool leaf = false;             // none of the above, and no object or array keywords
  std::uint8_t types = 0;        // 0: no `type` keyword
  bool strict_integers = false;  // draft 4: 1.0 is a number, not an integer

  NodeId ref = kNoNode;
  DynamicKind dynamic_kind = DynamicKind::kNone;
  NodeId dynamic_ref = kNoNode;  // the statically resolved target
  bool dynamic_lookup = false;   // the target bookends: search the dynamic scope
  std::string dynamic_name;      // the anchor name looked up ("" for $recursiveRef)

  std::vector<NodeId> all_of, any_of, one_of;
  NodeId not_ = kNoNode, if_ = kNoNode, then_ = kNoNode, else_ = kNoNode;

  std::vector<std::pair<std::string, NodeId>> properties;  // sorted by name
  PropertyTable property_table;     // `properties` and the first 64 `required` names
  std::uint64_t required_mask = 0;  // the bits of the required names in property_table
  std::vector<std::pair<const EcmaRegex*, NodeId>> pattern_properties;
  NodeId additional_properties = kNoNode;
  NodeId property_names = kNoNode;
  NodeId unevaluated_properties = kNoNode;
  std::vector<std::string> required;        // all of them, for messages
  std::vector<std::string> required_extra;  // those beyond the 64 in required_mask
  std::vector<std::pair<std::string, std::vector<std::string>>> dependent_required;
  std::vector<std::pair<std::string, NodeId>> dependent_schemas;
  std::uint64_t min_properties = 0, max_properties = kUnbounded;

  std::vector<NodeId> prefix_items;
  NodeId items = kNoNode;  // the items after prefix_items
  NodeId contains = kNoNode;
  bool contains_annotates = false;  // 2020-12: items `contains` matched count as evaluated
  std::uint64_t min_contains = 1, max_contains = kUnbounded;
  NodeId unevaluated_items = kNoNode;
  std::uint64_t min_items = 0, max_items = kUnbounded;
  bool unique_items = false;

  const boost::json::value* minimum = nullptr;
  const boost::json::value* maximum = nullptr;
  const boost::json::value* exclusive_minimum = nullptr;
  const boost::json::value* exclusive_maximum = nullptr;
  const boost::json::value* multiple_of = nullptr;

  std::uint64_t min_length = 0, max_length = kUnbounded;
  const EcmaRegex* pattern = nullptr;
  Format format = Format::kNone;

  const boost::json::value* const_value = nullptr;
  const boost::json::array* enum_values = nullptr;

  // A `$ref` to a draft's meta-schema: the instance must be a schema of that draft.
  std::optional<Draft> metaschema;
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
};

namespace internal {

// Checks the shape of every keyword of `schema` and of its subschemas under `draft`'s
// meta-schema rules. Returns the first problem as "<pointer>: <message>", or nullopt.
std::optional<std::string> check_schema_shape(const boost::json::value& schema, Draft draft);

// Whether `text` is valid in `format` (true for formats SchemaGuard does not know).
bool format_matches(Format format, std::string_view text);
Format format_from_name(std::string_view name);

// JSON equality as JSON Schema defines it (1 == 1.0; object member order does not matter).
bool json_equal(const boost::json::value& a, const boost::json::value& b);

}  // namespace internal
}  // namespace sg::jsonschema
