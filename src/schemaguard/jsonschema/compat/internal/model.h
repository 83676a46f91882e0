// The schema node model the JSON Schema diff works on: everit's model as Confluent's checker
// sees it (compat-rules.md §3.1), built straight from Boost.JSON documents.
//
// A `Model` owns the nodes of one side (the schema and the registry references it uses). Nodes
// point into the JSON documents they were loaded from, which must outlive the model.
#pragma once

#include <boost/json/value.hpp>
#include <deque>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/jsonschema/compat/diff.h"

namespace sg::jsonschema::compat_internal {

namespace json = boost::json;

// Node classes; two nodes are compared rule by rule only when their classes are equal.
enum class Kind {
  kEmpty,  // {} or true: accepts everything
  kFalse,  // false: accepts nothing
  kBoolean,
  kNull,
  kString,
  kNumber,  // "number" and "integer" (integer is a flag, as in everit)
  kObject,
  kArray,
  kEnum,
  kConst,
  kNot,
  kCombined,
  kRef,
};

enum class Criterion { kAllOf, kAnyOf, kOneOf };

struct Node;

// additionalProperties, additionalItems, unevaluatedProperties, unevaluatedItems.
struct Extra {
  enum class State { kAbsent, kTrue, kFalse, kSchema };
  State state = State::kAbsent;
  const Node* schema = nullptr;  // kSchema
  std::string keyword;           // the keyword as spelled in the document, when present
  bool permits() const { return state != State::kFalse; }
  bool unconstrained() const { return state == State::kAbsent || state == State::kTrue; }
};

struct Dependency {
  bool is_array = false;
  std::vector<std::string> names;  // array form
  const Node* schema = nullptr;    // schema form
  std::string keyword;             // "dependencies", "dependentRequired", "dependentSchemas"
};

// Keywords the model does not reason about, by name, with their values: compared as JSON.
using Unchecked = std::map<std::string, const json::value*, std::less<>>;

struct Node {
  Kind kind = Kind::kEmpty;
  int doc = 0;           // 0: the schema itself; > 0: a registry reference
  std::string location;  // RFC 6901 pointer of the source object in the schema's text
  bool pinned = false;   // from a registry reference: `location` is the `$ref` leading there
  const json::value* source = nullptr;
  const json::object* object = nullptr;  // null for boolean schemas
  Draft draft = Draft::k7;

  // Annotations, on the node standing for the whole JSON object (not on synthetic members).
  const json::value* id = nullptr;
  const json::value* title = nullptr;
  const json::value* description = nullptr;
  const json::value* default_value = nullptr;
  bool connect_bytes = false;  // "connect.type": "bytes"
  // Keywords the model does not compare, shared by every node built from the same object.
  std::shared_ptr<const Unchecked> unchecked;

  // kString
  const json::value* min_length = nullptr;
  const json::value* max_length = nullptr;
  const json::value* pattern = nullptr;
  // kNumber
  bool integer = false;
  const json::value* minimum = nullptr;
  const json::value* maximum = nullptr;
  const json::value* exclusive_minimum = nullptr;
  const json::value* exclusive_maximum = nullptr;
  const json::value* multiple_of = nullptr;
  // kObject
  std::vector<std::pair<std::string, const Node*>> properties;
  std::vector<std::string> required;
  std::vector<std::pair<std::string, const Node*>> pattern_properties;
  std::vector<std::pair<std::string, Dependency>> dependencies;
  Extra additional_properties;
  Extra unevaluated_properties;
  const json::value* min_properties = nullptr;
  const json::value* max_properties = nullptr;
  // kArray
  const Node* all_items = nullptr;
  bool tuple = false;
  std::vector<const Node*> item_schemas;
  std::string items_keyword;  // "items" or "prefixItems", as spelled
  Extra additional_items;
  Extra unevaluated_items;
  const json::value* min_items = nullptr;
  const json::value* max_items = nullptr;
  const json::value* min_contains = nullptr;
  const json::value* max_contains = nullptr;
  bool unique_items = false;
  // kEnum (values), kConst (one value)
  std::vector<const json::value*> values;
  // kNot
  const Node* negated = nullptr;
  // kCombined
  Criterion criterion = Criterion::kAllOf;
  std::vector<const Node*> members;
  bool synthetic = false;  // built from keyword families of one object, not written as allOf
  // kRef
  const Node* target = nullptr;
  std::string ref;
  std::string ref_base;

  // The pointer to `keyword` of this node's object when it has it, else to the node itself.
  std::string pointer_to(std::string_view keyword) const;
  bool has(std::string_view keyword) const;
};

// JSON equality where numbers compare by value (1 == 1.0), as schema values do.
bool json_equal(const json::value& a, const json::value& b);
double number_of(const json::value& v);
std::string escape_pointer_segment(std::string_view segment);
// Concatenates `parts`. Used instead of `"literal" + std::string(...)`, on which GCC 12 at -O3
// reports a false -Wrestrict.
std::string concat(std::initializer_list<std::string_view> parts);

class Model {
 public:
  // Loads `schema` and indexes `references` (may be null) for `$ref`s that leave the schema.
  static Result<std::unique_ptr<Model>> load(const json::value& schema,
                                             const References* references,
                                             const DiffOptions& options);

  const Node* root() const { return root_; }

  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model();

 private:
  struct Impl;
  Model();
  std::unique_ptr<Impl> impl_;
  const Node* root_ = nullptr;
};

// Follows `$ref` nodes to the schema they name (a cycle of bare references yields nullptr).
const Node* deref(const Node* node);

}  // namespace sg::jsonschema::compat_internal
