// Validating a document with a compiled schema. One Evaluator per call holds the little state
// a validation needs (the dynamic scope, the error list and the instance path when errors are
// wanted); the compiled schema itself is only read.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstring>

#include "schemaguard/jsonschema/compiled.h"
#include "schemaguard/jsonschema/uri.h"
#include "schemaguard/jsonschema/validator.h"

namespace sg::jsonschema {
namespace json = boost::json;
using internal::kNoNode;
using internal::Node;
using internal::NodeId;
using internal::PropertyEntry;

namespace internal {

namespace {

#define FAIL(...)                                    \
  do {                                               \
    if (errors_ != nullptr) this->fail(__VA_ARGS__); \
  } while (false)

bool is_integral_double(double d) {
  return std::isfinite(d) && std::floor(d) == d;
}

// Compares two JSON numbers exactly when both are integers, else as long doubles.
int compare_numbers(const json::value& a, const json::value& b) {
  if (a.is_int64() && b.is_int64()) {
    return a.get_int64() < b.get_int64() ? -1 : a.get_int64() > b.get_int64() ? 1 : 0;
  }
  if ((a.is_int64() || a.is_uint64()) && (b.is_int64() || b.is_uint64())) {
    // One of them is a uint64 (> INT64_MAX or not): compare by sign first.
    const bool a_negative = a.is_int64() && a.get_int64() < 0;
    const bool b_negative = b.is_int64() && b.get_int64() < 0;
    if (a_negative != b_negative) return a_negative ? -1 : 1;
    const auto ua = a.is_uint64() ? a.get_uint64() : static_cast<std::uint64_t>(a.get_int64());
    const auto ub = b.is_uint64() ? b.get_uint64() : static_cast<std::uint64_t>(b.get_int64());
    return ua < ub ? -1 : ua > ub ? 1 : 0;
  }
  const long double x = a.is_double()  ? static_cast<long double>(a.get_double())
                        : a.is_int64() ? static_cast<long double>(a.get_int64())
                                       : static_cast<long double>(a.get_uint64());
  const long double y = b.is_double()  ? static_cast<long double>(b.get_double())
                        : b.is_int64() ? static_cast<long double>(b.get_int64())
                                       : static_cast<long double>(b.get_uint64());
  return x < y ? -1 : x > y ? 1 : 0;
}

bool is_multiple_of(const json::value& x, const json::value& m) {
  if ((x.is_int64() || x.is_uint64()) && (m.is_int64() || m.is_uint64())) {
    const std::uint64_t divisor =
        m.is_uint64() ? m.get_uint64() : static_cast<std::uint64_t>(m.get_int64());
    if (divisor == 0) return false;
    const std::uint64_t magnitude = x.is_uint64() ? x.get_uint64()
                                    : x.get_int64() < 0
                                        ? static_cast<std::uint64_t>(-(x.get_int64() + 1)) + 1
                                        : static_cast<std::uint64_t>(x.get_int64());
    return magnitude % divisor == 0;
  }
  const double q = x.to_number<double>() / m.to_number<double>();
  if (!std::isfinite(q)) return std::fmod(x.to_number<double>(), m.to_number<double>()) == 0;
  // Beyond 2^53 every double is an integer; below, allow for the rounding of decimal
  // fractions (0.0075 / 0.0001 is 74.99999999999999 in binary floating point).
  if (std::fabs(q) >= 9007199254740992.0) return true;
  return std::fabs(q - std::round(q)) < 1e-9;
}

std::uint8_t type_bits(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return kNullBit;
    case json::kind::bool_: return kBooleanBit;
    case json::kind::int64:
    case json::kind::uint64: return kNumberBit | kIntegerBit;
    case json::kind::double_:
      return is_integral_double(v.get_double()) ? kNumberBit | kIntegerBit : kNumberBit;
    case json::kind::string: return kStringBit;
    case json::kind::array: return kArrayBit;
    case json::kind::object: return kObjectBit;
  }
  return 0;
}

std::uint64_t code_points(std::string_view s) {
  std::uint64_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
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
      : schema_(schema), errors_(errors) {}

  bool run(const json::value& document) { return eval(schema_.root, document, nullptr); }

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
  bool test(NodeId id, const json::value& v, Evaluated* evaluated) {
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

  bool eval(NodeId id, const json::value& v, Evaluated* evaluated);
  bool eval_basic(const Node& node, const json::value& v);
  bool eval_leaf(const Node& node, const json::value& v);
  bool eval_applicators(const Node& node, const json::value& v, Evaluated* annotations);
  bool eval_in_place(const Node& node, const json::value& v, Evaluated* evaluated);
  bool eval_object(const Node& node, const json::value& v, Evaluated* evaluated);
  bool eval_array(const Node& node, const json::array& array, Evaluated* evaluated);
  bool eval_string(const Node& node, std::string_view s);
  bool eval_number(const Node& node, const json::value& v);

  const CompiledSchema::Impl& schema_;
  std::vector<ValidationError>* errors_;
  std::string path_;
  std::vector<std::uint32_t> scope_;
  int depth_ = 0;
};

// Type, const and enum: the assertions every kind of instance meets.
bool Evaluator::eval_basic(const Node& node, const json::value& v) {
  bool ok = true;
  if (node.types != 0) {
    auto bits = type_bits(v);
    // Draft 4: 1.0 is not an integer, but a bignum (too large for int64, so a double) is.
    if (node.strict_integers && v.is_double() && std::fabs(v.get_double()) < 9.2e18) {
      bits = static_cast<std::uint8_t>(bits & ~kIntegerBit);
    }
    if ((bits & node.types) == 0) {
      FAIL(node, "type", "expected {}, found {}", type_names(node.types), type_names(bits));
      ok = false;
      if (errors_ == nullptr) return false;
    }
  }
  if (node.const_value != nullptr && !json_equal(v, *node.const_value)) {
    FAIL(node, "const", "must be {}", json::serialize(*node.const_value));
    ok = false;
    if (errors_ == nullptr) return false;
  }
  if (node.enum_values != nullptr &&
      std::none_of(node.enum_values->begin(), node.enum_values->end(),
                   [&](const json::value& option) { return json_equal(v, option); })) {
    FAIL(node, "enum", "must be one of {}", json::serialize(*node.enum_values));
    ok = false;
  }
  return ok;
}

// A leaf (no applicators, no object or array keywords): most subschemas of an event schema.
// Checked without the depth, scope and annotation bookkeeping of eval().
bool Evaluator::eval_leaf(const Node& node, const json::value& v) {
  if (!eval_basic(node, v) && errors_ == nullptr) return false;
  switch (v.kind()) {
    case json::kind::string: return !node.has_string_keywords || eval_string(node, v.get_string());
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return !node.has_number_keywords || eval_number(node, v);
    default: return true;
  }
}

bool Evaluator::eval(NodeId id, const json::value& v, Evaluated* evaluated) {
  const Node& node = schema_.nodes[id];
  if (node.leaf && errors_ == nullptr) return eval_leaf(node, v);
  if (node.always_false) {
    FAIL(node, "", "no value is valid here");
    return false;
  }
  if (node.metaschema) {
    if (auto problem = check_schema_shape(v, *node.metaschema)) {
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
    if ((node.unevaluated_properties != kNoNode && v.is_object()) ||
        (node.unevaluated_items != kNoNode && v.is_array())) {
      Evaluated local;
      local.reset(v.is_object() ? v.get_object().size() : v.get_array().size());
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

bool Evaluator::eval_applicators(const Node& node, const json::value& v, Evaluated* annotations) {
  bool ok = true;
  if (node.has_in_place) {
    ok = eval_in_place(node, v, annotations);
    if (!ok && errors_ == nullptr) return false;
  }
  switch (v.kind()) {
    case json::kind::object:
      if (node.has_object_keywords) ok = eval_object(node, v, annotations) && ok;
      break;
    case json::kind::array:
      if (node.has_array_keywords) ok = eval_array(node, v.get_array(), annotations) && ok;
      break;
    case json::kind::string:
      if (node.has_string_keywords) ok = eval_string(node, v.get_string()) && ok;
      break;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      if (node.has_number_keywords) ok = eval_number(node, v) && ok;
      break;
    default: break;
  }
  return ok;
}

bool Evaluator::eval_in_place(const Node& node, const json::value& v, Evaluated* evaluated) {
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
  if (!node.one_of.empty()) {
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

bool Evaluator::eval_object(const Node& node, const json::value& v, Evaluated* evaluated) {
  const json::object& object = v.get_object();
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
  if (!node.property_table.empty() || !node.pattern_properties.empty() ||
      node.additional_properties != kNoNode) {
    std::size_t index = 0;
    for (auto member = object.begin(); member != object.end(); ++member, ++index) {
      const std::string_view key = member->key();
      bool matched = false;
      if (const PropertyEntry* entry = node.property_table.find(key)) {
        if (entry->required_bit >= 0) required_seen |= std::uint64_t{1} << entry->required_bit;
        if (entry->schema != kNoNode) {
          matched = true;
          PathScope path(*this, key);
          ok = eval(entry->schema, member->value(), nullptr) && ok;
        }
      }
      for (const auto& [regex, sub] : node.pattern_properties) {
        if (regex->search(key)) {
          matched = true;
          PathScope path(*this, key);
          ok = eval(sub, member->value(), nullptr) && ok;
        }
      }
      if (!matched && node.additional_properties != kNoNode) {
        matched = true;
        PathScope path(*this, key);
        if (!eval(node.additional_properties, member->value(), nullptr)) {
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
    for (const auto& member : object) {
      PathScope path(*this, member.key());
      ok = eval(node.property_names, json::value(member.key()), nullptr) && ok;
      if (!ok && !all_errors) return false;
    }
  }
  if (node.unevaluated_properties != kNoNode) {
    // `evaluated` is this node's own list here (see eval).
    std::size_t index = 0;
    for (auto member = object.begin(); member != object.end(); ++member, ++index) {
      if (evaluated->has(index)) continue;
      PathScope path(*this, member->key());
      if (!eval(node.unevaluated_properties, member->value(), nullptr)) {
        if (schema_.nodes[node.unevaluated_properties].always_false && errors_ != nullptr) {
          errors_->back().message =
              fmt::format("property '{}' is not evaluated by any keyword and not allowed",
                          std::string_view(member->key()));
        }
        ok = false;
        if (!all_errors) return false;
      }
    }
    evaluated->mark_all();
  }
  return ok;
}

bool Evaluator::eval_array(const Node& node, const json::array& array, Evaluated* evaluated) {
  bool ok = true;
  const bool all_errors = errors_ != nullptr;
  if (array.size() < node.min_items) {
    FAIL(node, "minItems", "must have at least {} items", node.min_items);
    ok = false;
  }
  if (array.size() > node.max_items) {
    FAIL(node, "maxItems", "must have at most {} items", node.max_items);
    ok = false;
  }
  if (!ok && !all_errors) return false;
  if (node.unique_items) {
    for (std::size_t i = 1; i < array.size() && ok; ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (json_equal(array[i], array[j])) {
          FAIL(node, "uniqueItems", "items {} and {} are equal", j, i);
          ok = false;
          break;
        }
      }
    }
    if (!ok && !all_errors) return false;
  }
  const std::size_t prefix = std::min(array.size(), node.prefix_items.size());
  for (std::size_t i = 0; i < prefix; ++i) {
    PathScope path(*this, i);
    ok = eval(node.prefix_items[i], array[i], nullptr) && ok;
    if (!ok && !all_errors) return false;
    if (evaluated != nullptr) evaluated->mark(i);
  }
  if (node.items != kNoNode) {
    for (std::size_t i = prefix; i < array.size(); ++i) {
      PathScope path(*this, i);
      ok = eval(node.items, array[i], nullptr) && ok;
      if (!ok && !all_errors) return false;
    }
    if (evaluated != nullptr && array.size() > prefix) evaluated->mark_all();
  }
  if (node.contains != kNoNode) {
    std::uint64_t matches = 0;
    const bool count_all =
        node.max_contains != kUnbounded || (evaluated != nullptr && node.contains_annotates);
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (test(node.contains, array[i], nullptr)) {
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
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (evaluated->has(i)) continue;
      PathScope path(*this, i);
      ok = eval(node.unevaluated_items, array[i], nullptr) && ok;
      if (!ok && !all_errors) return false;
    }
    evaluated->mark_all();
  }
  return ok;
}

bool Evaluator::eval_string(const Node& node, std::string_view s) {
  bool ok = true;
  if (node.min_length != 0 || node.max_length != kUnbounded) {
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

bool Evaluator::eval_number(const Node& node, const json::value& v) {
  bool ok = true;
  if (node.minimum != nullptr && compare_numbers(v, *node.minimum) < 0) {
    FAIL(node, "minimum", "must be at least {}", json::serialize(*node.minimum));
    ok = false;
  }
  if (node.maximum != nullptr && compare_numbers(v, *node.maximum) > 0) {
    FAIL(node, "maximum", "must be at most {}", json::serialize(*node.maximum));
    ok = false;
  }
  if (node.exclusive_minimum != nullptr && compare_numbers(v, *node.exclusive_minimum) <= 0) {
    FAIL(node, "exclusiveMinimum", "must be greater than {}",
         json::serialize(*node.exclusive_minimum));
    ok = false;
  }
  if (node.exclusive_maximum != nullptr && compare_numbers(v, *node.exclusive_maximum) >= 0) {
    FAIL(node, "exclusiveMaximum", "must be less than {}",
         json::serialize(*node.exclusive_maximum));
    ok = false;
  }
  if (node.multiple_of != nullptr && !is_multiple_of(v, *node.multiple_of)) {
    FAIL(node, "multipleOf", "must be a multiple of {}", json::serialize(*node.multiple_of));
    ok = false;
  }
  return ok;
}

}  // namespace

#undef FAIL

bool json_equal(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return compare_numbers(a, b) == 0;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case json::kind::null: return true;
    case json::kind::bool_: return a.get_bool() == b.get_bool();
    case json::kind::string: return a.get_string() == b.get_string();
    case json::kind::array: {
      const json::array& x = a.get_array();
      const json::array& y = b.get_array();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!json_equal(x[i], y[i])) return false;
      }
      return true;
    }
    case json::kind::object: {
      const json::object& x = a.get_object();
      const json::object& y = b.get_object();
      if (x.size() != y.size()) return false;
      for (const auto& member : x) {
        auto it = y.find(member.key());
        if (it == y.end() || !json_equal(member.value(), it->value())) return false;
      }
      return true;
    }
    default: return false;
  }
}

}  // namespace internal

bool CompiledSchema::is_valid(const json::value& document) const {
  return internal::Evaluator(*impl_, nullptr).run(document);
}

std::vector<ValidationError> CompiledSchema::validate(const json::value& document) const {
  std::vector<ValidationError> errors;
  internal::Evaluator(*impl_, &errors).run(document);
  return errors;
}

}  // namespace sg::jsonschema
