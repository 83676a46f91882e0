// Validating a document with a compiled schema. One Evaluator per call holds the little state
// a validation needs (the dynamic scope, the error list and the instance path when errors are
// wanted); the compiled schema itself is only read.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstring>

#include "schemaguard/jsonschema/compiled.h"
#include "schemaguard/jsonschema/uri.h"
#include "schemaguard/jsonschema/validator.h"

namespace sg::jsonschema {
namespace json = boost::json;
using internal::Kind;
using internal::kNoNode;
using internal::Node;
using internal::NodeId;
using internal::PropertyEntry;
using internal::Value;

namespace internal {

namespace {

#define FAIL(...)                                    \
  do {                                               \
    if (errors_ != nullptr) this->fail(__VA_ARGS__); \
  } while (false)

// Compares two JSON numbers exactly when both are integers, else as long doubles.
int compare_numbers(Value a, Value b) {
  const Kind ka = a.kind();
  const Kind kb = b.kind();
  if (ka == Kind::kInt64 && kb == Kind::kInt64) {
    return a.int64() < b.int64() ? -1 : a.int64() > b.int64() ? 1 : 0;
  }
  // Doubles, and a double with an integer a double holds exactly (|i| <= 2^53), compare as
  // doubles without the long double conversions below.
  constexpr std::int64_t kExact = std::int64_t{1} << 53;
  const auto exact = [](std::int64_t i) { return i >= -kExact && i <= kExact; };
  if (ka == Kind::kDouble) {
    if (kb == Kind::kDouble || (kb == Kind::kInt64 && exact(b.int64()))) {
      const double x = a.number();
      const double y = kb == Kind::kDouble ? b.number() : static_cast<double>(b.int64());
      return x < y ? -1 : x > y ? 1 : 0;
    }
  } else if (kb == Kind::kDouble && ka == Kind::kInt64 && exact(a.int64())) {
    const double x = static_cast<double>(a.int64());
    const double y = b.number();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ka != Kind::kDouble && kb != Kind::kDouble) {
    // One of them is a uint64 (> INT64_MAX or not): compare by sign first.
    const bool a_negative = ka == Kind::kInt64 && a.int64() < 0;
    const bool b_negative = kb == Kind::kInt64 && b.int64() < 0;
    if (a_negative != b_negative) return a_negative ? -1 : 1;
    const auto ua = ka == Kind::kUint64 ? a.uint64() : static_cast<std::uint64_t>(a.int64());
    const auto ub = kb == Kind::kUint64 ? b.uint64() : static_cast<std::uint64_t>(b.int64());
    return ua < ub ? -1 : ua > ub ? 1 : 0;
  }
  const auto wide = [](Value v) {
    return v.kind() == Kind::kDouble  ? static_cast<long double>(v.number())
           : v.kind() == Kind::kInt64 ? static_cast<long double>(v.int64())
                                      : static_cast<long double>(v.uint64());
  };
  const long double x = wide(a);
  const long double y = wide(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

double as_double(Value v) {
  return v.kind() == Kind::kDouble  ? v.number()
         : v.kind() == Kind::kInt64 ? static_cast<double>(v.int64())
                                    : static_cast<double>(v.uint64());
}

bool is_multiple_of(Value x, Value m) {
  if (x.kind() != Kind::kDouble && m.kind() != Kind::kDouble) {
    const std::uint64_t divisor =
        m.kind() == Kind::kUint64 ? m.uint64() : static_cast<std::uint64_t>(m.int64());
    if (divisor == 0) return false;
    const std::uint64_t magnitude = x.kind() == Kind::kUint64 ? x.uint64()
                                    : x.int64() < 0
                                        ? static_cast<std::uint64_t>(-(x.int64() + 1)) + 1
                                        : static_cast<std::uint64_t>(x.int64());
    return magnitude % divisor == 0;
  }
  const double q = as_double(x) / as_double(m);
  if (!std::isfinite(q)) return std::fmod(as_double(x), as_double(m)) == 0;
  // Beyond 2^53 every double is an integer; below, allow for the rounding of decimal
  // fractions (0.0075 / 0.0001 is 74.99999999999999 in binary floating point).
  if (std::fabs(q) >= 9007199254740992.0) return true;
  return std::fabs(q - std::round(q)) < 1e-9;
}

// Whether `v` is of one of `types` (the bits of a `type` keyword). The instance's own bits
// were worked out when the document was built.
[[gnu::always_inline]] inline bool has_type(std::uint8_t types, bool strict_integers, Value v) {
  if ((types & v.types()) == 0) return false;
  // Draft 4: 1.0 is not an integer, but a bignum (too large for int64, so a double) is.
  if (!strict_integers || v.kind() != Kind::kDouble || (types & kNumberBit) != 0) return true;
  return std::fabs(v.number()) >= 9.2e18;
}

// The number of code points of UTF-8 `s`: its bytes less its continuation bytes (10xxxxxx),
// counted eight bytes at a time.
std::uint64_t code_points(std::string_view s) {
  constexpr std::uint64_t kHigh = 0x8080808080808080u;
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t continuations = 0;
  for (; n >= 8; n -= 8, p += 8) {
    std::uint64_t x;
    std::memcpy(&x, p, sizeof x);
    // Bit 7 set and bit 6 (shifted into bit 7's place) clear, in each byte.
    const std::uint64_t marks = x & ~(x << 1) & kHigh;
    continuations += ((marks >> 7) * 0x0101010101010101u) >> 56;
  }
  if (n > 0 && s.size() >= 8 && std::endian::native == std::endian::little) {
    // The last eight bytes, less the 8 - n counted above (the low bytes of the word).
    std::uint64_t x;
    std::memcpy(&x, s.data() + s.size() - 8, sizeof x);
    const std::uint64_t marks = (x & ~(x << 1) & kHigh) >> (8 * (8 - n));
    continuations += ((marks >> 7) * 0x0101010101010101u) >> 56;
    n = 0;
  }
  for (; n > 0; --n, ++p) {
    continuations += (static_cast<unsigned char>(*p) & 0xC0) == 0x80 ? 1 : 0;
  }
  return s.size() - continuations;
}

// Whether minLength or maxLength needs the code points of `s` counted: a string of n bytes
// has between n/4 (rounded up) and n of them, which settles most strings.
inline bool lengths_need_counting(const Node& node, std::string_view s) {
  return (node.min_length != 0 || node.max_length != kUnbounded) &&
         (s.size() > node.max_length || (s.size() + 3) / 4 < node.min_length);
}

std::string type_names(std::uint8_t bits) {
  static constexpr std::pair<std::uint8_t, const char*> kNames[] = {
      {kNullBit, "null"},      {kBooleanBit, "boolean"}, {kObjectBit, "object"},
      {kArrayBit, "array"},    {kNumberBit, "number"},   {kStringBit, "string"},
      {kIntegerBit, "integer"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((bits & bit) == 0) continue;
    if (!out.empty()) out.append(", ");
    out.append(name);
  }
  return out;
}

// Which members of an object, or items of an array, some keyword evaluated successfully
// (for unevaluatedProperties / unevaluatedItems). Only built where such a keyword is; up to
// 128 members it lives on the stack.
class Evaluated {
 public:
  void reset(std::size_t size) {
    size_ = size;
    all_ = false;
    small_[0] = small_[1] = 0;
    if (size > kSmall) large_.assign((size + 63) / 64, 0);
  }
  std::size_t size() const { return size_; }
  void mark(std::size_t i) {
    if (i < size_) words()[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  void mark_all() { all_ = true; }
  bool has(std::size_t i) const {
    return all_ || (i < size_ && (words()[i / 64] >> (i % 64) & 1) != 0);
  }
  void merge(const Evaluated& other) {
    if (other.all_) all_ = true;
    if (all_ || other.size_ != size_) return;
    for (std::size_t w = 0; w < (size_ + 63) / 64; ++w) words()[w] |= other.words()[w];
  }

 private:
  static constexpr std::size_t kSmall = 128;
  std::uint64_t* words() { return size_ > kSmall ? large_.data() : small_; }
  const std::uint64_t* words() const { return size_ > kSmall ? large_.data() : small_; }

  std::size_t size_ = 0;
  bool all_ = false;
  std::uint64_t small_[2] = {0, 0};
  std::vector<std::uint64_t> large_;
};

// Deep enough for any real schema; a reference cycle that consumes no input stops here.
constexpr int kMaxDepth = 1000;

class Evaluator {
 public:
  Evaluator(const CompiledSchema::Impl& schema, std::vector<ValidationError>* errors)
      : schema_(schema),
        nodes_(schema.nodes.data()),
        dynamic_scope_(schema.uses_dynamic_scope),
        errors_(errors) {}

  bool run(const Document& document) { return eval(schema_.root, Value(document.root()), nullptr); }

 private:
  // Instance path bookkeeping, only when errors are collected.
  class PathScope {
   public:
    PathScope(Evaluator& e, std::string_view key) : e_(e) {
      if (e_.errors_ != nullptr) push(key);
    }
    PathScope(Evaluator& e, std::size_t index) : e_(e) {
      if (e_.errors_ != nullptr) push(std::to_string(index));
    }
    ~PathScope() {
      if (e_.errors_ != nullptr) e_.path_.resize(size_);
    }
    PathScope(const PathScope&) = delete;
    PathScope& operator=(const PathScope&) = delete;

   private:
    [[gnu::noinline]] void push(std::string_view token) {
      size_ = e_.path_.size();
      append_pointer_token(e_.path_, token);
    }

    Evaluator& e_;
    std::size_t size_ = 0;
  };

  // Evaluates `id` on `v` without reporting errors (a subschema whose failure is an answer,
  // not an error: anyOf, oneOf, not, if, contains).
  bool test(NodeId id, Value v, Evaluated* evaluated) {
    if (errors_ == nullptr && evaluated == nullptr) return visit_fast(id, v);
    std::vector<ValidationError>* saved = errors_;
    errors_ = nullptr;
    const bool ok = eval(id, v, evaluated);
    errors_ = saved;
    return ok;
  }

  // Records an error; callers check `errors_` first (the FAIL macro), so that the message's
  // arguments are not even computed when nobody wants them.
  template <typename... Args>
  [[gnu::noinline, gnu::cold]] void fail(const Node& node, std::string_view keyword,
                                         fmt::format_string<Args...> format, Args&&... args) {
    errors_->push_back(
        {path_, keyword.empty() ? node.location : fmt::format("{}/{}", node.location, keyword),
         fmt::format(format, std::forward<Args>(args)...)});
  }

  NodeId dynamic_target(const Node& node) const {
    if (!node.dynamic_lookup) return node.dynamic_ref;
    // The outermost resource of the dynamic scope that declares the anchor wins.
    for (const std::uint32_t r : scope_) {
      const internal::Resource& resource = schema_.resources[r];
      if (node.dynamic_kind == internal::DynamicKind::kRecursiveRef) {
        if (resource.recursive_anchor) return resource.root;
        continue;
      }
      for (const auto& [name, target] : resource.dynamic_anchors) {
        if (name == node.dynamic_name) return target;
      }
    }
    return node.dynamic_ref;
  }

  bool eval(NodeId id, Value v, Evaluated* evaluated);
  // eval(id, v, nullptr), going straight to what eval would do for the most common nodes: a
  // leaf checked in place, a lone `$ref` followed, a plain node checked.
  [[gnu::always_inline]] bool eval_child(NodeId id, Value v) {
    if (errors_ == nullptr) {
      const Node* child = &nodes_[id];
      if (child->leaf) return eval_leaf(*child, v);
      if (!dynamic_scope_) {
        if (child->ref_only) {
          id = child->ref;
          child = &nodes_[id];
          if (child->leaf) return eval_leaf(*child, v);
        }
        if (child->plain) return check_node(*child, v);
      }
    }
    return eval(id, v, nullptr);
  }
  // eval_child as a call of its own, for the paths that report errors or collect annotations:
  // they recurse through eval(), and inlining eval_child's fast paths into them would only
  // make every frame of that recursion bigger (much bigger under AddressSanitizer).
  [[gnu::noinline]] bool visit(NodeId id, Value v) {
    return errors_ != nullptr ? eval(id, v, nullptr) : visit_fast(id, v);
  }
  [[gnu::noinline]] bool visit_fast(NodeId id, Value v) { return eval_child(id, v); }
  // eval_child for a node the compiled form points to (Node::items_node and the like), whose
  // lone `$ref`s are already followed. (eval_child forwarding here, after following a `$ref`,
  // measured about 5% slower on the benchmark's smallest schema: the two stay written out.)
  [[gnu::always_inline]] bool check_child(const Node* child, Value v) {
    if (errors_ == nullptr) {
      if (child->leaf) return eval_leaf(*child, v);
      if (child->plain && !dynamic_scope_) return check_node(*child, v);
    }
    return eval(static_cast<NodeId>(child - nodes_), v, nullptr);
  }
  // What eval does, when no errors are wanted, for a leaf, a lone `$ref` or a plain node (a
  // call of its own, to keep eval's frame small).
  [[gnu::noinline]] bool eval_shortcut(const Node& node, Value v, Evaluated* evaluated) {
    if (node.leaf) return eval_leaf(node, v);
    // The referring node adds nothing: no keyword to fail, no annotation, and (without
    // dynamic references) no scope to enter.
    if (node.ref_only) return eval(node.ref, v, evaluated);
    return check_node(node, v);
  }
  // check_plain, or the code of the node's shape.
  [[gnu::always_inline]] bool check_node(const Node& node, Value v) {
    switch (node.shape) {
      case internal::Shape::kObject: return check_object_shape(node, v);
      case internal::Shape::kArray: return check_array_shape(node, v);
      case internal::Shape::kSparse: return check_sparse_shape(node, v);
      case internal::Shape::kUniform: return uniform_holds(node, v);
      default: return check_plain(node, v);
    }
  }
  bool check_object_shape(const Node& node, Value v);
  bool check_array_shape(const Node& node, Value v);
  bool check_sparse_shape(const Node& node, Value v);
  // check_plain for Shape::kUniform (inline: no call, and no recursion to count).
  [[gnu::always_inline]] bool uniform_holds(const Node& node, Value v) {
    if (v.kind() != node.uniform_kind) return false;
    const std::size_t size = v.size();
    if (size < node.uniform_min || size > node.uniform_max) return false;
    const unsigned pass = node.uniform_pass;
    if (v.kind() == Kind::kArray) {
      Value item = v.first_item();
      for (std::size_t i = 0; i < size; ++i, item = item.next()) {
        if ((pass >> static_cast<unsigned>(item.kind()) & 1) == 0) return false;
      }
      return true;
    }
    for (Value::Member m = v.first_member(), e = v.end_member(); m != e; m = m.next()) {
      if ((pass >> static_cast<unsigned>(m.value().kind()) & 1) == 0) return false;
    }
    return true;
  }
  [[gnu::always_inline]] bool check_string_shape(const Node& node, Value v) {
    if (v.kind() != Kind::kString) return false;
    const std::string_view s = v.string();
    if (lengths_need_counting(node, s)) {
      const std::uint64_t length = code_points(s);
      if (length < node.min_length || length > node.max_length) return false;
    }
    return node.pattern == nullptr || node.pattern->search(s);
  }
  bool eval_basic(const Node& node, Value v);
  bool check_plain(const Node& node, Value v);
  bool check_object(const Node& node, Value object);
  bool object_extras_hold(const Node& node, Value object);
  template <bool kTrackNames>
  [[gnu::always_inline]] inline bool members_hold(const Node& node, Value object);
  bool named_branch_holds(const Node& node, const internal::Slot* const* found,
                          std::uint32_t present);
  template <bool kPatterns>
  bool check_members(const Node& node, Value object, std::uint64_t& required_seen);
  [[gnu::always_inline]] inline bool check_names(const Node& node, Value object,
                                                 std::uint64_t& required_seen);
  // The array keywords of check_plain; check_array_shape has them inlined.
  bool check_array(const Node& node, Value array) { return array_keywords_hold(node, array); }
  [[gnu::always_inline]] inline bool array_keywords_hold(const Node& node, Value array);
  bool eval_leaf(const Node& node, Value v);
  bool eval_applicators(const Node& node, Value v, Evaluated* annotations);
  bool eval_in_place(const Node& node, Value v, Evaluated* evaluated);
  bool eval_object(const Node& node, Value v, Evaluated* evaluated);
  bool eval_array(const Node& node, Value array, Evaluated* evaluated);
  bool eval_string(const Node& node, std::string_view s);
  bool eval_number(const Node& node, Value v);

  const CompiledSchema::Impl& schema_;
  const Node* nodes_;   // schema_.nodes.data(), one load nearer
  bool dynamic_scope_;  // schema_.uses_dynamic_scope
  std::vector<ValidationError>* errors_;
  std::string path_;
  std::vector<std::uint32_t> scope_;
  int depth_ = 0;
};

bool enum_contains(const Node& node, Value v) {
  const Value options(node.enum_slot);
  Value option = options.first_item();
  if (node.enum_all_strings) {
    if (!v.is_string()) return false;
    const std::string_view s = v.string();
    for (std::size_t i = 0; i < options.size(); ++i, option = option.next()) {
      if (same_bytes(option.string(), s)) return true;
    }
    return false;
  }
  for (std::size_t i = 0; i < options.size(); ++i, option = option.next()) {
    if (json_equal(v, option)) return true;
  }
  return false;
}

// Type, const and enum: the assertions every kind of instance meets.
[[gnu::always_inline]] inline bool Evaluator::eval_basic(const Node& node, Value v) {
  bool ok = true;
  if (node.types != 0 && !has_type(node.types, node.strict_integers, v)) {
    if (errors_ == nullptr) return false;
    auto bits = v.types();
    if (node.strict_integers && v.kind() == Kind::kDouble && std::fabs(v.number()) < 9.2e18) {
      bits = static_cast<std::uint8_t>(bits & ~kIntegerBit);
    }
    FAIL(node, "type", "expected {}, found {}", type_names(node.types), type_names(bits));
    ok = false;
  }
  if (node.const_slot != nullptr && !(v.is_string() && node.const_slot->kind == Kind::kString
                                          ? same_bytes(v.string(), Value(node.const_slot).string())
                                          : json_equal(v, Value(node.const_slot)))) {
    FAIL(node, "const", "must be {}", json::serialize(*node.const_value));
    ok = false;
    if (errors_ == nullptr) return false;
  }
  if (node.enum_slot != nullptr && !enum_contains(node, v)) {
    FAIL(node, "enum", "must be one of {}", json::serialize(*node.enum_values));
    ok = false;
  }
  return ok;
}

// A leaf (no applicators, no object or array keywords): most subschemas of an event schema.
// Checked without the depth, scope and annotation bookkeeping of eval().
[[gnu::always_inline]] inline bool Evaluator::eval_leaf(const Node& node, Value v) {
  if ((node.passes_kinds >> static_cast<unsigned>(v.kind()) & 1) != 0) return true;
  if (node.shape == internal::Shape::kString) return check_string_shape(node, v);
  if (!eval_basic(node, v) && errors_ == nullptr) return false;
  switch (v.kind()) {
    case Kind::kString: return !node.has_string_keywords || eval_string(node, v.string());
    case Kind::kInt64:
    case Kind::kUint64:
    case Kind::kDouble: return !node.has_number_keywords || eval_number(node, v);
    default: return true;
  }
}

bool Evaluator::eval(NodeId id, Value v, Evaluated* evaluated) {
  const Node& node = nodes_[id];
  if (errors_ == nullptr &&
      (node.leaf ||
       (!schema_.uses_dynamic_scope && (node.ref_only || (node.plain && evaluated == nullptr))))) {
    return eval_shortcut(node, v, evaluated);
  }
  if (node.always_false) {
    FAIL(node, "", "no value is valid here");
    return false;
  }
  if (node.metaschema) {
    if (auto problem = check_schema_shape(to_json(v.slot()), *node.metaschema)) {
      FAIL(node, "", "not a valid {} schema: {}", draft_name(*node.metaschema), *problem);
      return false;
    }
    return true;
  }
  if (depth_ >= kMaxDepth) {
    FAIL(node, "", "the schema recurses without end");
    return false;
  }
  ++depth_;
  const bool push_scope =
      schema_.uses_dynamic_scope && (scope_.empty() || scope_.back() != node.resource);
  if (push_scope) scope_.push_back(node.resource);
  bool ok = eval_basic(node, v);
  if (ok || errors_ != nullptr) {
    // Annotations for unevaluated* are collected only where such a keyword applies; a node
    // that has one collects its own, and hands them up to a caller that wants them.
    if ((node.unevaluated_properties != kNoNode && v.is_object() &&
         (errors_ != nullptr || !node.unevaluated_as_additional)) ||
        (node.unevaluated_items != kNoNode && v.is_array())) {
      Evaluated local;
      local.reset(v.size());
      ok = eval_applicators(node, v, &local) && ok;
      if (evaluated != nullptr && ok) evaluated->merge(local);
    } else {
      ok = eval_applicators(node, v, evaluated) && ok;
    }
  }
  if (push_scope) scope_.pop_back();
  --depth_;
  return ok;
}

// is_valid on a plain node (see Node::plain) when no caller wants annotations: what eval
// does, without the scope, annotation and error bookkeeping.
bool Evaluator::check_plain(const Node& node, Value v) {
  if (!eval_basic(node, v)) return false;
  if (node.has_in_place && !eval_in_place(node, v, nullptr)) return false;
  if (depth_ >= kMaxDepth) return false;
  ++depth_;
  bool ok = true;
  switch (v.kind()) {
    case Kind::kObject: ok = !node.has_object_keywords || check_object(node, v); break;
    case Kind::kArray: ok = !node.has_array_keywords || check_array(node, v); break;
    case Kind::kString: ok = !node.has_string_keywords || eval_string(node, v.string()); break;
    case Kind::kInt64:
    case Kind::kUint64:
    case Kind::kDouble: ok = !node.has_number_keywords || eval_number(node, v); break;
    default: break;
  }
  --depth_;
  return ok;
}

// check_plain for Shape::kObject.
bool Evaluator::check_object_shape(const Node& node, Value object) {
  if (object.kind() != Kind::kObject) return false;
  if (depth_ >= kMaxDepth) return false;
  bool ok;
  ++depth_;
  if (node.has_in_place && node.named_any_of.empty() && !eval_in_place(node, object, nullptr)) {
    ok = false;
  } else if (node.tracks_names) {
    ok = members_hold<true>(node, object);
  } else {
    ok = node.lean_members ? members_hold<false>(node, object) : check_object(node, object);
  }
  --depth_;
  return ok;
}

// check_object for Node::lean_members: each member is looked up among the names and checked
// against the one schema that applies to it (PropertyEntry::member_node, or the fallback).
// With kTrackNames, also Node::named_dependent_required and Node::named_any_of, on the names
// found.
template <bool kTrackNames>
bool Evaluator::members_hold(const Node& node, Value object) {
  const std::size_t size = object.size();
  if (size < node.min_properties || size > node.max_properties) return false;
  const Node* const fallback = node.fallback_node;
  const unsigned fallback_pass = fallback == nullptr ? 0xFFFF : node.fallback_pass;
  const internal::PropertyTable& table = node.property_table;
  std::uint64_t required_seen = 0;
  std::size_t hint = 0;
  // With kTrackNames: a bit for each name found (its entry's index), and its value.
  [[maybe_unused]] const internal::Slot* found[kTrackNames ? internal::kMaxNamedEntries : 1];
  [[maybe_unused]] std::uint32_t present = 0;
  for (Value::Member m = object.first_member(), e = object.end_member(); m != e; m = m.next()) {
    const Value value = m.value();
    const unsigned kind_bit = 1u << static_cast<unsigned>(value.kind());
    if (const PropertyEntry* entry = table.find_key(m.key_slot(), hint)) {
      required_seen |= entry->required_flag;
      if constexpr (kTrackNames) {
        found[entry->index] = value.slot();
        present |= 1u << entry->index;
      }
      if ((entry->member_pass & kind_bit) == 0 && !check_child(entry->member_node, value)) {
        return false;
      }
    } else if ((fallback_pass & kind_bit) == 0 && !check_child(fallback, value)) {
      return false;
    }
  }
  if (required_seen != node.required_mask) return false;
  if (node.lean_extras && !object_extras_hold(node, object)) return false;
  if constexpr (kTrackNames) {
    for (const auto& [trigger, needed] : node.named_dependent_required) {
      if ((present & trigger) != 0 && (present & needed) != needed) return false;
    }
    return node.named_any_of.empty() || named_branch_holds(node, found, present);
  }
  return true;
}

// check_plain for Shape::kSparse.
bool Evaluator::check_sparse_shape(const Node& node, Value object) {
  if (object.kind() != Kind::kObject) return true;  // no type, and only object keywords
  if (depth_ >= kMaxDepth) return false;
  ++depth_;
  std::uint64_t required_seen = 0;
  const bool ok = check_names(node, object, required_seen);
  --depth_;
  return ok && required_seen == node.required_mask;
}

// check_plain for Shape::kArray.
bool Evaluator::check_array_shape(const Node& node, Value array) {
  if (array.kind() != Kind::kArray) return false;
  if (node.has_in_place && !eval_in_place(node, array, nullptr)) return false;
  if (depth_ >= kMaxDepth) return false;
  ++depth_;
  const bool ok = array_keywords_hold(node, array);
  --depth_;
  return ok;
}

// eval_array for check_plain: the common keywords (items, prefixItems, minItems,
// maxItems, contains) here, the others in eval_array.
bool Evaluator::array_keywords_hold(const Node& node, Value array) {
  if (node.unique_items) return eval_array(node, array, nullptr);
  const std::size_t size = array.size();
  if (size < node.min_items || size > node.max_items) return false;
  Value item = array.first_item();
  std::size_t i = 0;
  if (!node.prefix_items.empty()) {
    for (const std::size_t prefix = std::min(size, node.prefix_items.size()); i < prefix;
         ++i, item = item.next()) {
      if (!visit_fast(node.prefix_items[i], item)) return false;
    }
  }
  if (const Node* items = node.items_node; items != nullptr) {
    const unsigned pass = node.items_pass;
    for (; i < size; ++i, item = item.next()) {
      if ((pass >> static_cast<unsigned>(item.kind()) & 1) == 0 && !check_child(items, item)) {
        return false;
      }
    }
  }
  if (const Node* contains = node.contains_node; contains != nullptr) {
    const unsigned pass = node.contains_pass;
    std::uint64_t matches = 0;
    item = array.first_item();
    for (i = 0; i < size; ++i, item = item.next()) {
      if (((pass >> static_cast<unsigned>(item.kind()) & 1) != 0 || check_child(contains, item)) &&
          ++matches >= node.min_contains && node.max_contains == kUnbounded) {
        break;
      }
    }
    if (matches < node.min_contains || matches > node.max_contains) return false;
  }
  return true;
}

// check_object for a node with few names: each is looked up in the instance.
inline bool Evaluator::check_names(const Node& node, Value object, std::uint64_t& required_seen) {
  for (const PropertyEntry& entry : node.property_table.entries()) {
    std::optional<Value> member;
    for (Value::Member m = object.first_member(), e = object.end_member(); m != e; m = m.next()) {
      if (entry.matches(m.key_slot().chars, internal::string_length(m.key_slot()))) {
        member = m.value();
        break;
      }
    }
    if (!member) continue;
    if (entry.required_bit >= 0) required_seen |= std::uint64_t{1} << entry.required_bit;
    if (entry.schema != kNoNode &&
        (entry.passes_kinds >> static_cast<unsigned>(member->kind()) & 1) == 0 &&
        !eval_child(entry.schema, *member)) {
      return false;
    }
  }
  return true;
}

// check_object's walk over the members of `object`: each is looked up among the names (and
// matched against patternProperties when kPatterns), else checked against the fallback (a
// plain node's unevaluatedProperties, if any, acts as additionalProperties). Ticks off the
// required names it meets in `required_seen`.
template <bool kPatterns>
bool Evaluator::check_members(const Node& node, Value object, std::uint64_t& required_seen) {
  const NodeId fallback = node.additional_properties != kNoNode ? node.additional_properties
                                                                : node.unevaluated_properties;
  const internal::PropertyTable& table = node.property_table;
  const bool has_table = !table.empty();
  if (!has_table && !kPatterns && fallback == kNoNode) return true;
  const unsigned fallback_pass = node.fallback_pass;
  std::size_t hint = 0;
  for (Value::Member m = object.first_member(), e = object.end_member(); m != e; m = m.next()) {
    const Value value = m.value();
    const unsigned kind_bit = 1u << static_cast<unsigned>(value.kind());
    bool matched = false;
    if (has_table) {
      if (const PropertyEntry* entry = table.find_key(m.key_slot(), hint)) {
        if (entry->required_bit >= 0) required_seen |= std::uint64_t{1} << entry->required_bit;
        if (entry->schema != kNoNode) {
          if ((entry->passes_kinds & kind_bit) == 0 && !eval_child(entry->schema, value)) {
            return false;
          }
          if (!kPatterns) continue;
          matched = true;
        }
      }
    }
    if constexpr (kPatterns) {
      const std::string_view key = m.key();
      for (const auto& [regex, sub] : node.pattern_properties) {
        if (regex->search(key)) {
          if (!visit_fast(sub, value)) return false;
          matched = true;
        }
      }
    }
    if (!matched && fallback != kNoNode && (fallback_pass & kind_bit) == 0 &&
        !eval_child(fallback, value)) {
      return false;
    }
  }
  return true;
}

// eval_object for check_plain: stops at the first failure, marks nothing.
bool Evaluator::check_object(const Node& node, Value object) {
  const std::size_t size = object.size();
  if (size < node.min_properties || size > node.max_properties) return false;
  std::uint64_t required_seen = 0;
  if (node.sparse_properties) {
    if (!check_names(node, object, required_seen)) return false;
  } else if (node.pattern_properties.empty()) {
    if (!check_members<false>(node, object, required_seen)) return false;
  } else {
    if (!check_members<true>(node, object, required_seen)) return false;
  }
  if (required_seen != node.required_mask) return false;
  return !node.has_object_extras || object_extras_hold(node, object);
}

// Whether one of Node::named_any_of holds, given what members_hold found.
bool Evaluator::named_branch_holds(const Node& node, const internal::Slot* const* found,
                                   std::uint32_t present) {
  for (const std::vector<Node::NameTest>& branch : node.named_any_of) {
    bool holds = true;
    for (const Node::NameTest& test : branch) {
      if ((present >> test.entry & 1) == 0) {
        if (!test.required) continue;
        holds = false;
        break;
      }
      const Value value(found[test.entry]);
      if ((test.pass >> static_cast<unsigned>(value.kind()) & 1) == 0 &&
          !check_child(test.schema, value)) {
        holds = false;
        break;
      }
    }
    if (holds) return true;
  }
  return false;
}

// The rarer object keywords check_plain checks: required names beyond the first 64, and
// dependentRequired (a plain node has no dependentSchemas or propertyNames).
bool Evaluator::object_extras_hold(const Node& node, Value object) {
  for (const std::string& name : node.required_extra) {
    if (!object.contains(name)) return false;
  }
  for (const auto& [name, names] : node.dependent_required) {
    if (!object.contains(name)) continue;
    for (const std::string& needed : names) {
      if (!object.contains(needed)) return false;
    }
  }
  return true;
}

bool Evaluator::eval_applicators(const Node& node, Value v, Evaluated* annotations) {
  bool ok = true;
  if (node.has_in_place) {
    ok = eval_in_place(node, v, annotations);
    if (!ok && errors_ == nullptr) return false;
  }
  switch (v.kind()) {
    case Kind::kObject:
      if (node.has_object_keywords) ok = eval_object(node, v, annotations) && ok;
      break;
    case Kind::kArray:
      if (node.has_array_keywords) ok = eval_array(node, v, annotations) && ok;
      break;
    case Kind::kString:
      if (node.has_string_keywords) ok = eval_string(node, v.string()) && ok;
      break;
    case Kind::kInt64:
    case Kind::kUint64:
    case Kind::kDouble:
      if (node.has_number_keywords) ok = eval_number(node, v) && ok;
      break;
    default: break;
  }
  return ok;
}

bool Evaluator::eval_in_place(const Node& node, Value v, Evaluated* evaluated) {
  bool ok = true;
  const bool all_errors = errors_ != nullptr;
  if (node.ref != kNoNode) {
    ok = eval(node.ref, v, evaluated) && ok;
    if (!ok && !all_errors) return false;
  }
  if (node.dynamic_kind != internal::DynamicKind::kNone) {
    ok = eval(dynamic_target(node), v, evaluated) && ok;
    if (!ok && !all_errors) return false;
  }
  for (const NodeId sub : node.all_of) {
    ok = eval(sub, v, evaluated) && ok;
    if (!ok && !all_errors) return false;
  }
  if (!node.any_of.empty()) {
    bool any = false;
    for (const NodeId sub : node.any_of) {
      if (evaluated == nullptr) {
        if (test(sub, v, nullptr)) {
          any = true;
          break;
        }
      } else {
        // Every valid branch contributes its annotations, so none is skipped.
        Evaluated branch;
        branch.reset(evaluated->size());
        if (test(sub, v, &branch)) {
          any = true;
          evaluated->merge(branch);
        }
      }
    }
    if (!any) {
      FAIL(node, "anyOf", "does not match any of the {} alternatives", node.any_of.size());
      ok = false;
      if (!all_errors) return false;
    }
  }
  if (!node.one_of.empty() && evaluated == nullptr) {
    // Without annotations to keep: count the matches, nothing more.
    std::size_t matches = 0;
    for (const NodeId sub : node.one_of) {
      if (test(sub, v, nullptr) && ++matches > 1) break;
    }
    if (matches != 1) {
      if (matches == 0) {
        FAIL(node, "oneOf", "does not match any of the {} alternatives", node.one_of.size());
      } else {
        FAIL(node, "oneOf", "matches more than one of the alternatives");
      }
      ok = false;
      if (!all_errors) return false;
    }
  } else if (!node.one_of.empty()) {
    std::size_t matches = 0;
    Evaluated chosen;
    for (const NodeId sub : node.one_of) {
      Evaluated branch;
      if (evaluated != nullptr) branch.reset(evaluated->size());
      if (test(sub, v, evaluated != nullptr ? &branch : nullptr)) {
        if (++matches > 1) break;
        chosen = std::move(branch);
      }
    }
    if (matches != 1) {
      if (matches == 0) {
        FAIL(node, "oneOf", "does not match any of the {} alternatives", node.one_of.size());
      } else {
        FAIL(node, "oneOf", "matches more than one of the alternatives");
      }
      ok = false;
      if (!all_errors) return false;
    } else if (evaluated != nullptr) {
      evaluated->merge(chosen);
    }
  }
  if (node.not_ != kNoNode && test(node.not_, v, nullptr)) {
    FAIL(node, "not", "must not match the schema in 'not'");
    ok = false;
    if (!all_errors) return false;
  }
  if (node.if_ != kNoNode) {
    Evaluated condition;
    if (evaluated != nullptr) condition.reset(evaluated->size());
    if (test(node.if_, v, evaluated != nullptr ? &condition : nullptr)) {
      if (evaluated != nullptr) evaluated->merge(condition);
      if (node.then_ != kNoNode) ok = eval(node.then_, v, evaluated) && ok;
    } else if (node.else_ != kNoNode) {
      ok = eval(node.else_, v, evaluated) && ok;
    }
  }
  return ok;
}

bool Evaluator::eval_object(const Node& node, Value v, Evaluated* evaluated) {
  const Value object = v;
  bool ok = true;
  const bool all_errors = errors_ != nullptr;
  if (object.size() < node.min_properties) {
    FAIL(node, "minProperties", "must have at least {} properties", node.min_properties);
    ok = false;
  }
  if (object.size() > node.max_properties) {
    FAIL(node, "maxProperties", "must have at most {} properties", node.max_properties);
    ok = false;
  }
  if (!ok && !all_errors) return false;
  // One pass over the members: each is looked up once in the table of known names, which
  // also ticks off the required ones.
  std::uint64_t required_seen = 0;
  // The schema of the members no other keyword evaluates.
  const bool unevaluated_folded = !all_errors && node.unevaluated_as_additional;
  const NodeId fallback = node.additional_properties != kNoNode ? node.additional_properties
                          : unevaluated_folded                  ? node.unevaluated_properties
                                                                : kNoNode;
  if (!all_errors && evaluated == nullptr && node.sparse_properties) {
    for (const PropertyEntry& entry : node.property_table.entries()) {
      const std::optional<Value> member = object.find(entry.name);
      if (!member) continue;
      if (entry.required_bit >= 0) required_seen |= std::uint64_t{1} << entry.required_bit;
      if (entry.schema != kNoNode && !visit(entry.schema, *member)) return false;
    }
  } else if (!node.property_table.empty() || !node.pattern_properties.empty() ||
             fallback != kNoNode) {
    std::size_t index = 0;
    std::size_t hint = 0;
    for (Value::Member member = object.first_member(), e = object.end_member(); member != e;
         member = member.next(), ++index) {
      const std::string_view key = member.key();
      bool matched = false;
      if (const PropertyEntry* entry = node.property_table.find(key, hint)) {
        if (entry->required_bit >= 0) required_seen |= std::uint64_t{1} << entry->required_bit;
        if (entry->schema != kNoNode) {
          matched = true;
          PathScope path(*this, key);
          ok = visit(entry->schema, member.value()) && ok;
        }
      }
      for (const auto& [regex, sub] : node.pattern_properties) {
        if (regex->search(key)) {
          matched = true;
          PathScope path(*this, key);
          ok = eval(sub, member.value(), nullptr) && ok;
        }
      }
      if (!matched && fallback != kNoNode) {
        matched = true;
        PathScope path(*this, key);
        if (!visit(fallback, member.value())) {
          if (errors_ != nullptr && schema_.nodes[node.additional_properties].always_false) {
            errors_->back().message = fmt::format("property '{}' is not allowed", key);
          }
          ok = false;
        }
      }
      if (!ok && !all_errors) return false;
      if (matched && evaluated != nullptr) evaluated->mark(index);
    }
  }
  if (required_seen != node.required_mask) {
    ok = false;
    if (!all_errors) return false;
    for (const PropertyEntry& entry : node.property_table.entries()) {
      if (entry.required_bit >= 0 && (required_seen >> entry.required_bit & 1) == 0) {
        FAIL(node, "required", "missing required property '{}'", entry.name);
      }
    }
  }
  if (!node.has_object_extras) return ok;
  for (const std::string& name : node.required_extra) {
    if (!object.contains(name)) {
      FAIL(node, "required", "missing required property '{}'", name);
      ok = false;
      if (!all_errors) return false;
    }
  }
  for (const auto& [name, names] : node.dependent_required) {
    if (!object.contains(name)) continue;
    for (const std::string& needed : names) {
      if (!object.contains(needed)) {
        FAIL(node, "dependentRequired", "'{}' requires property '{}'", name, needed);
        ok = false;
        if (!all_errors) return false;
      }
    }
  }
  for (const auto& [name, sub] : node.dependent_schemas) {
    if (object.contains(name)) {
      ok = eval(sub, v, evaluated) && ok;
      if (!ok && !all_errors) return false;
    }
  }
  if (node.property_names != kNoNode) {
    for (Value::Member member = object.first_member(), e = object.end_member(); member != e;
         member = member.next()) {
      PathScope path(*this, member.key());
      ok = eval(node.property_names, member.key_value(), nullptr) && ok;
      if (!ok && !all_errors) return false;
    }
  }
  if (unevaluated_folded) {
    if (evaluated != nullptr) evaluated->mark_all();
  } else if (node.unevaluated_properties != kNoNode) {
    // `evaluated` is this node's own list here (see eval).
    std::size_t index = 0;
    for (Value::Member member = object.first_member(), e = object.end_member(); member != e;
         member = member.next(), ++index) {
      if (evaluated->has(index)) continue;
      PathScope path(*this, member.key());
      if (!eval(node.unevaluated_properties, member.value(), nullptr)) {
        if (schema_.nodes[node.unevaluated_properties].always_false && errors_ != nullptr) {
          errors_->back().message = fmt::format(
              "property '{}' is not evaluated by any keyword and not allowed", member.key());
        }
        ok = false;
        if (!all_errors) return false;
      }
    }
    evaluated->mark_all();
  }
  return ok;
}

bool Evaluator::eval_array(const Node& node, Value array, Evaluated* evaluated) {
  bool ok = true;
  const bool all_errors = errors_ != nullptr;
  const std::size_t size = array.size();
  if (size < node.min_items) {
    FAIL(node, "minItems", "must have at least {} items", node.min_items);
    ok = false;
  }
  if (size > node.max_items) {
    FAIL(node, "maxItems", "must have at most {} items", node.max_items);
    ok = false;
  }
  if (!ok && !all_errors) return false;
  if (node.unique_items && size > 1) {
    std::vector<Value> items;
    items.reserve(size);
    Value item = array.first_item();
    for (std::size_t i = 0; i < size; ++i, item = item.next()) items.push_back(item);
    for (std::size_t i = 1; i < size && ok; ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (json_equal(items[i], items[j])) {
          FAIL(node, "uniqueItems", "items {} and {} are equal", j, i);
          ok = false;
          break;
        }
      }
    }
    if (!ok && !all_errors) return false;
  }
  const std::size_t prefix = std::min(size, node.prefix_items.size());
  Value item = array.first_item();
  for (std::size_t i = 0; i < prefix; ++i, item = item.next()) {
    PathScope path(*this, i);
    ok = visit(node.prefix_items[i], item) && ok;
    if (!ok && !all_errors) return false;
    if (evaluated != nullptr) evaluated->mark(i);
  }
  if (node.items != kNoNode) {
    for (std::size_t i = prefix; i < size; ++i, item = item.next()) {
      PathScope path(*this, i);
      ok = visit(node.items, item) && ok;
      if (!ok && !all_errors) return false;
    }
    if (evaluated != nullptr && size > prefix) evaluated->mark_all();
  }
  if (node.contains != kNoNode) {
    std::uint64_t matches = 0;
    const bool count_all =
        node.max_contains != kUnbounded || (evaluated != nullptr && node.contains_annotates);
    item = array.first_item();
    for (std::size_t i = 0; i < size; ++i, item = item.next()) {
      if (test(node.contains, item, nullptr)) {
        ++matches;
        if (evaluated != nullptr && node.contains_annotates) evaluated->mark(i);
        if (!count_all && matches >= node.min_contains) break;
      }
    }
    if (matches < node.min_contains) {
      FAIL(node, "contains", "must contain at least {} matching items, found {}", node.min_contains,
           matches);
      ok = false;
    } else if (matches > node.max_contains) {
      FAIL(node, "maxContains", "must contain at most {} matching items, found {}",
           node.max_contains, matches);
      ok = false;
    }
    if (!ok && !all_errors) return false;
  }
  if (node.unevaluated_items != kNoNode) {
    item = array.first_item();
    for (std::size_t i = 0; i < size; ++i, item = item.next()) {
      if (evaluated->has(i)) continue;
      PathScope path(*this, i);
      ok = eval(node.unevaluated_items, item, nullptr) && ok;
      if (!ok && !all_errors) return false;
    }
    evaluated->mark_all();
  }
  return ok;
}

bool Evaluator::eval_string(const Node& node, std::string_view s) {
  bool ok = true;
  if (lengths_need_counting(node, s)) {
    const std::uint64_t length = code_points(s);
    if (length < node.min_length) {
      FAIL(node, "minLength", "must be at least {} characters long", node.min_length);
      ok = false;
    }
    if (length > node.max_length) {
      FAIL(node, "maxLength", "must be at most {} characters long", node.max_length);
      ok = false;
    }
  }
  if ((ok || errors_ != nullptr) && node.pattern != nullptr && !node.pattern->search(s)) {
    FAIL(node, "pattern", "does not match the pattern");
    ok = false;
  }
  if ((ok || errors_ != nullptr) && node.format != Format::kNone &&
      !format_matches(node.format, s)) {
    FAIL(node, "format", "is not in the expected format");
    ok = false;
  }
  return ok;
}

bool Evaluator::eval_number(const Node& node, Value v) {
  if (errors_ == nullptr && node.number_range) {
    // Exact as doubles: an int64 of at most 2^53, or a double. NaN (Boost.JSON reads 0e400 so)
    // goes on to the general comparisons below, as before.
    constexpr std::int64_t kExact = std::int64_t{1} << 53;
    double x = 0;
    bool exact = false;
    if (v.kind() == Kind::kInt64) {
      exact = v.int64() >= -kExact && v.int64() <= kExact;
      x = static_cast<double>(v.int64());
    } else if (v.kind() == Kind::kDouble) {
      x = v.number();
      exact = !std::isnan(x);
    }
    if (exact) {
      return !(x < node.low || (node.low_exclusive && x == node.low) || x > node.high ||
               (node.high_exclusive && x == node.high));
    }
  }
  bool ok = true;
  if (node.minimum != nullptr && compare_numbers(v, Value(&node.minimum_slot)) < 0) {
    FAIL(node, "minimum", "must be at least {}", json::serialize(*node.minimum));
    ok = false;
  }
  if (node.maximum != nullptr && compare_numbers(v, Value(&node.maximum_slot)) > 0) {
    FAIL(node, "maximum", "must be at most {}", json::serialize(*node.maximum));
    ok = false;
  }
  if (node.exclusive_minimum != nullptr &&
      compare_numbers(v, Value(&node.exclusive_minimum_slot)) <= 0) {
    FAIL(node, "exclusiveMinimum", "must be greater than {}",
         json::serialize(*node.exclusive_minimum));
    ok = false;
  }
  if (node.exclusive_maximum != nullptr &&
      compare_numbers(v, Value(&node.exclusive_maximum_slot)) >= 0) {
    FAIL(node, "exclusiveMaximum", "must be less than {}",
         json::serialize(*node.exclusive_maximum));
    ok = false;
  }
  if (node.multiple_of != nullptr && !is_multiple_of(v, Value(&node.multiple_of_slot))) {
    FAIL(node, "multipleOf", "must be a multiple of {}", json::serialize(*node.multiple_of));
    ok = false;
  }
  return ok;
}

}  // namespace

#undef FAIL

bool json_equal(Value a, Value b) {
  if (a.is_number() && b.is_number()) return compare_numbers(a, b) == 0;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kString: return a.string() == b.string();
    case Kind::kArray: {
      if (a.size() != b.size()) return false;
      Value x = a.first_item();
      Value y = b.first_item();
      for (std::size_t i = 0; i < a.size(); ++i, x = x.next(), y = y.next()) {
        if (!json_equal(x, y)) return false;
      }
      return true;
    }
    case Kind::kObject: {
      if (a.size() != b.size()) return false;
      for (Value::Member m = a.first_member(), e = a.end_member(); m != e; m = m.next()) {
        const std::optional<Value> other = b.find(m.key());
        if (!other || !json_equal(m.value(), *other)) return false;
      }
      return true;
    }
    default: return true;  // null, true, false: the kind is the value
  }
}

}  // namespace internal

bool CompiledSchema::is_valid(const Document& document) const {
  return internal::Evaluator(*impl_, nullptr).run(document);
}

std::vector<ValidationError> CompiledSchema::validate(const Document& document) const {
  std::vector<ValidationError> errors;
  internal::Evaluator(*impl_, &errors).run(document);
  return errors;
}

bool CompiledSchema::is_valid(const json::value& document) const {
  return is_valid(Document::from_json(document));
}

std::vector<ValidationError> CompiledSchema::validate(const json::value& document) const {
  return validate(Document::from_json(document));
}

}  // namespace sg::jsonschema
