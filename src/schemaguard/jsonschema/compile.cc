// Compiling a schema: index every document (ids, anchors, resources), then turn each subschema
// into a Node, resolving references to node indexes. Iterative (a work list, no recursion over
// references), so reference chains of any length and cycles compile in bounded stack.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cmath>
#include <deque>
#include <unordered_map>

#include "schemaguard/base/json_text.h"
#include "schemaguard/jsonschema/compiled.h"
#include "schemaguard/jsonschema/keywords.h"
#include "schemaguard/jsonschema/uri.h"
#include "schemaguard/jsonschema/validator.h"

namespace sg::jsonschema {
namespace json = boost::json;
using internal::kNoNode;
using internal::Node;
using internal::NodeId;

namespace {

// Meta-schemas that name other meta-schemas by `$schema`, followed at most this far.
constexpr int kMaxMetaSchemaChain = 8;

std::uint64_t count_of(const json::value& v) {
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64()) return static_cast<std::uint64_t>(std::max<std::int64_t>(0, v.get_int64()));
  const double d = v.to_number<double>();
  if (d >= 18446744073709551615.0) return internal::kUnbounded;
  return d <= 0 ? 0 : static_cast<std::uint64_t>(d);
}

std::uint8_t type_bit(std::string_view name) {
  if (name == "null") return internal::kNullBit;
  if (name == "boolean") return internal::kBooleanBit;
  if (name == "object") return internal::kObjectBit;
  if (name == "array") return internal::kArrayBit;
  if (name == "number") return internal::kNumberBit;
  if (name == "string") return internal::kStringBit;
  if (name == "integer") return internal::kIntegerBit;
  return 0;
}

std::string strip_empty_fragment(std::string uri) {
  if (!uri.empty() && uri.back() == '#') uri.pop_back();
  return uri;
}

// What the compiler knows about one subschema from where it sits.
struct Info {
  const json::value* value = nullptr;
  std::string base;  // base URI in effect inside the subschema (after its own $id)
  Draft draft = Draft::k7;
  std::uint32_t resource = 0;
  std::string location;  // "#/pointer" in the root document, "<uri>#/pointer" elsewhere
  std::string pointer;   // JSON pointer within its document
  std::string doc_uri;   // retrieval URI of its document ("" for the root)
  bool validation_vocabulary = true;
  bool format_assertion = false;  // the meta-schema asks for the format-assertion vocabulary
};

class Compiler {
 public:
  explicit Compiler(const CompileOptions& options)
      : options_(options), impl_(std::make_unique<CompiledSchema::Impl>()) {}

  Result<CompiledSchemaPtr> run(json::value root) {
    impl_->documents.push_back(std::make_unique<json::value>(std::move(root)));
    const json::value& doc = *impl_->documents.back();
    SG_RETURN_IF_ERROR(load_document(doc, "", options_.default_draft));
    impl_->root = ids_.at(&doc);
    impl_->draft = infos_[impl_->root].draft;
    while (!pending_.empty()) {
      const NodeId id = pending_.front();
      pending_.pop_front();
      SG_RETURN_IF_ERROR(compile_node(id));
    }
    SG_RETURN_IF_ERROR(check_cycles());
    copy_passes_kinds();
    for (std::size_t r = 0; r < impl_->resources.size(); ++r) {
      for (const auto& [name, value] : dynamic_anchor_values_[r]) {
        impl_->resources[r].dynamic_anchors.emplace_back(name, ids_.at(value));
      }
    }
    return CompiledSchemaPtr(std::make_shared<CompiledSchema>(std::move(impl_)));
  }

 private:
  Error invalid(const Info& info, std::string_view suffix, std::string_view message) const {
    const std::string where = info.doc_uri.empty()
                                  ? info.pointer + std::string(suffix)
                                  : fmt::format("{}#{}{}", info.doc_uri, info.pointer, suffix);
    if (where.empty()) return Error(ErrorCode::kInvalidSchema, std::string(message));
    return Error(ErrorCode::kInvalidSchema, fmt::format("at {}: {}", where, message));
  }

  // The draft and vocabularies a `$schema` URI stands for: a well-known meta-schema, or one the
  // resolver serves (whose own `$schema` says the draft and `$vocabulary` which keywords apply).
  std::optional<Draft> draft_of_metaschema(std::string_view uri, bool& validation_vocabulary,
                                           bool& format_assertion, int depth) {
    if (auto known = draft_from_uri(uri)) return known;
    if (!options_.resolve || depth > kMaxMetaSchemaChain) return std::nullopt;
    const auto [without_fragment, fragment] = split_fragment(uri);
    auto doc = options_.resolve(without_fragment);
    if (!doc || !doc->is_object()) return std::nullopt;
    const json::object& object = doc->get_object();
    if (auto it = object.find("$vocabulary"); it != object.end() && it->value().is_object()) {
      bool validation = false;
      for (const auto& entry : it->value().get_object()) {
        const std::string_view vocabulary = entry.key();
        if (vocabulary.ends_with("/vocab/validation")) validation = true;
        if (vocabulary.ends_with("/vocab/format-assertion")) format_assertion = true;
      }
      validation_vocabulary = validation;
    }
    auto it = object.find("$schema");
    if (it == object.end() || !it->value().is_string()) return std::nullopt;
    const std::string_view parent = it->value().get_string();
    if (parent == uri) return std::nullopt;
    bool ignored = true;
    bool ignored_too = false;
    return draft_of_metaschema(parent, ignored, ignored_too, depth + 1);
  }

  std::uint32_t new_resource(const json::value& value) {
    impl_->resources.emplace_back();
    dynamic_anchor_values_.emplace_back();
    resource_values_.push_back(&value);
    return static_cast<std::uint32_t>(impl_->resources.size() - 1);
  }

  Status load_document(const json::value& doc, const std::string& uri, Draft draft) {
    Info info;
    info.value = &doc;
    info.base = uri;
    info.draft = draft;
    info.doc_uri = uri;
    info.location = uri + "#";
    info.resource = new_resource(doc);
    resources_by_uri_.emplace(uri, &doc);
    return index(doc, std::move(info), true);
  }

  // Registers `value` and its subschemas: node ids, `$id` resources, anchors.
  Status index(const json::value& value, Info info, bool document_root) {
    struct Item {
      const json::value* value;
      Info info;
      bool document_root;
    };
    std::vector<Item> stack;
    stack.push_back({&value, std::move(info), document_root});
    while (!stack.empty()) {
      Item item = std::move(stack.back());
      stack.pop_back();
      if (ids_.contains(item.value)) continue;
      Info& current = item.info;
      current.value = item.value;
      if (item.value->is_object()) {
        const json::object& object = item.value->get_object();
        const auto id_it = object.find(current.draft == Draft::k4 ? "id" : "$id");
        const bool has_id = id_it != object.end() && id_it->value().is_string();
        if (auto it = object.find("$schema");
            it != object.end() && it->value().is_string() && (item.document_root || has_id)) {
          bool validation = true;
          bool format_assertion = false;
          if (auto draft =
                  draft_of_metaschema(it->value().get_string(), validation, format_assertion, 0)) {
            current.draft = *draft;
          }
          current.validation_vocabulary = validation;
          current.format_assertion = format_assertion;
        }
        // Drafts 4 to 7: `$ref` replaces its siblings, `$id` included.
        const bool ref_overrides = current.draft <= Draft::k7 && object.contains("$ref");
        if (has_id && !ref_overrides) {
          const std::string_view id = id_it->value().get_string();
          if (current.draft <= Draft::k7 && id.starts_with("#")) {
            anchors_.emplace(resolve_uri(current.base, id), item.value);
          } else {
            std::string resolved = strip_empty_fragment(resolve_uri(current.base, id));
            const auto [without_fragment, fragment] = split_fragment(resolved);
            if (!fragment.empty()) anchors_.emplace(resolved, item.value);
            current.base = std::string(without_fragment);
            if (!item.document_root) current.resource = new_resource(*item.value);
            resources_by_uri_.emplace(current.base, item.value);
          }
        }
        if (current.draft >= Draft::k2019_09) {
          if (auto it = object.find("$anchor"); it != object.end() && it->value().is_string()) {
            anchors_.emplace(current.base + "#" + std::string(it->value().get_string()),
                             item.value);
          }
          if (auto it = object.find("$dynamicAnchor");
              current.draft >= Draft::k2020_12 && it != object.end() && it->value().is_string()) {
            const std::string name(it->value().get_string());
            anchors_.emplace(current.base + "#" + name, item.value);
            dynamic_anchor_values_[current.resource].emplace_back(name, item.value);
          }
          if (auto it = object.find("$recursiveAnchor");
              current.draft == Draft::k2019_09 && it != object.end() && it->value().is_bool() &&
              it->value().get_bool() && resource_values_[current.resource] == item.value) {
            impl_->resources[current.resource].recursive_anchor = true;
          }
        }
      }
      const auto id = static_cast<NodeId>(impl_->nodes.size());
      impl_->nodes.emplace_back();
      impl_->nodes.back().resource = current.resource;
      impl_->nodes.back().location = current.location;
      if (resource_values_[current.resource] == item.value) {
        impl_->resources[current.resource].root = id;
      }
      ids_.emplace(item.value, id);
      infos_.push_back(current);
      pending_.push_back(id);
      if (item.value->is_object()) {
        internal::for_each_subschema(item.value->get_object(), current.draft,
                                     [&](const json::value& sub, const std::string& suffix) {
                                       Info child = current;
                                       child.pointer += suffix;
                                       child.location += suffix;
                                       stack.push_back({&sub, std::move(child), false});
                                     });
      }
    }
    return ok_status();
  }

  // Rejects a cycle of subschemas applied to the same value ("$ref": "#" at the root, two
  // definitions that refer to each other through allOf, ...): validating with one would never
  // end. Cycles that pass through a property or an item are recursion, and fine.
  Status check_cycles() const {
    const auto& nodes = impl_->nodes;
    std::vector<std::uint8_t> state(nodes.size(), 0);  // 0 new, 1 on the path, 2 done
    const auto in_place = [&](const Node& n, std::vector<NodeId>& out) {
      out.clear();
      if (n.ref != kNoNode) out.push_back(n.ref);
      if (n.dynamic_ref != kNoNode && !n.dynamic_lookup) out.push_back(n.dynamic_ref);
      for (const auto* list : {&n.all_of, &n.any_of, &n.one_of}) {
        out.insert(out.end(), list->begin(), list->end());
      }
      for (NodeId id : {n.not_, n.if_, n.then_, n.else_}) {
        if (id != kNoNode) out.push_back(id);
      }
      for (const auto& entry : n.dependent_schemas) out.push_back(entry.second);
    };
    struct Frame {
      NodeId id;
      std::vector<NodeId> next;
      std::size_t at = 0;
    };
    std::vector<Frame> stack;
    for (NodeId start = 0; start < nodes.size(); ++start) {
      if (state[start] != 0) continue;
      stack.push_back({start, {}, 0});
      in_place(nodes[start], stack.back().next);
      state[start] = 1;
      while (!stack.empty()) {
        Frame& frame = stack.back();
        if (frame.at == frame.next.size()) {
          state[frame.id] = 2;
          stack.pop_back();
          continue;
        }
        const NodeId next = frame.next[frame.at++];
        if (state[next] == 1) {
          return Error(ErrorCode::kInvalidSchema,
                       fmt::format("at {}: the schema refers to itself without reaching a "
                                   "property or an item, so validation would never end",
                                   nodes[next].location));
        }
        if (state[next] == 0) {
          state[next] = 1;
          stack.push_back({next, {}, 0});
          in_place(nodes[next], stack.back().next);
        }
      }
    }
    return ok_status();
  }

  Result<const json::value*> follow_pointer(const json::value& start, std::string_view pointer,
                                            const Info& from, std::string_view keyword) {
    auto tokens = parse_json_pointer(pointer);
    if (!tokens) return invalid(from, keyword, fmt::format("malformed JSON pointer '{}'", pointer));
    const json::value* at = &start;
    for (const std::string& token : *tokens) {
      if (at->is_object()) {
        auto it = at->get_object().find(token);
        if (it == at->get_object().end())
          at = nullptr;
        else
          at = &it->value();
      } else if (at->is_array()) {
        std::size_t index = 0;
        bool digits = !token.empty() && (token == "0" || token.front() != '0');
        for (char c : token) {
          if (c < '0' || c > '9' || index > 1000000000)
            digits = false;
          else
            index = index * 10 + static_cast<std::size_t>(c - '0');
        }
        at = digits && index < at->get_array().size() ? &at->get_array()[index] : nullptr;
      } else {
        at = nullptr;
      }
      if (at == nullptr) {
        return invalid(from, keyword, fmt::format("unresolvable reference: no '{}'", pointer));
      }
    }
    return at;
  }

  // The node a reference (`$ref`, `$dynamicRef`, `$recursiveRef`) in `from` names.
  Result<NodeId> resolve_reference(std::string_view ref, const Info& from,
                                   std::string_view keyword) {
    const std::string target = resolve_uri(from.base, ref);
    const auto [uri_view, raw_fragment] = split_fragment(target);
    const std::string uri(uri_view);
    auto fragment = percent_decode(raw_fragment);
    if (!fragment) {
      return invalid(from, keyword, fmt::format("malformed escape in reference '{}'", ref));
    }
    auto resource = resources_by_uri_.find(uri);
    if (resource == resources_by_uri_.end()) {
      std::optional<json::value> doc;
      if (options_.resolve) doc = options_.resolve(uri);
      if (!doc) {
        if (auto draft = draft_from_uri(uri); draft && fragment->empty()) {
          return metaschema_node(*draft);
        }
        return invalid(
            from, keyword,
            fmt::format("unresolvable reference '{}': no schema '{}' is known", ref, uri));
      }
      impl_->documents.push_back(std::make_unique<json::value>(std::move(*doc)));
      SG_RETURN_IF_ERROR(load_document(*impl_->documents.back(), uri, from.draft));
      resource = resources_by_uri_.find(uri);
    }
    const json::value* value = resource->second;
    if (!fragment->empty() && fragment->front() == '/') {
      SG_ASSIGN_OR_RETURN(value, follow_pointer(*value, *fragment, from, keyword));
    } else if (!fragment->empty()) {
      auto anchor = anchors_.find(uri + "#" + *fragment);
      if (anchor == anchors_.end()) {
        return invalid(from, keyword,
                       fmt::format("unresolvable reference '{}': no anchor '{}'", ref, *fragment));
      }
      value = anchor->second;
    }
    if (auto it = ids_.find(value); it != ids_.end()) return it->second;
    // A location no keyword marks as a schema (e.g. inside an unknown keyword): compile it
    // with the base URI and draft of the resource it sits in.
    const Info& owner = infos_[ids_.at(resource->second)];
    Info info = owner;
    info.pointer = *fragment;
    info.location = owner.doc_uri + "#" + *fragment;
    if (!internal::is_schema_value(*value, owner.draft)) {
      return invalid(from, keyword, fmt::format("reference '{}' does not name a schema", ref));
    }
    SG_RETURN_IF_ERROR(index(*value, std::move(info), false));
    return ids_.at(value);
  }

  NodeId metaschema_node(Draft draft) {
    const auto key = static_cast<std::size_t>(draft);
    if (metaschema_nodes_[key] != kNoNode) return metaschema_nodes_[key];
    const auto id = static_cast<NodeId>(impl_->nodes.size());
    impl_->nodes.emplace_back();
    impl_->nodes.back().metaschema = draft;
    impl_->nodes.back().location = std::string(draft_uri(draft));
    impl_->nodes.back().resource = new_resource(*impl_->documents.front());
    Info info;
    info.draft = draft;
    infos_.push_back(info);
    metaschema_nodes_[key] = id;
    return id;
  }

  Result<NodeId> child(const json::value& value, const Info& from, std::string_view keyword) {
    auto it = ids_.find(&value);
    if (it == ids_.end()) return invalid(from, keyword, "must be a schema");
    return it->second;
  }

  Result<const EcmaRegex*> regex(std::string_view pattern, const Info& from,
                                 std::string_view keyword) {
    auto it = regexes_.find(std::string(pattern));
    if (it != regexes_.end()) return it->second;
    auto compiled = EcmaRegex::compile(pattern);
    if (!compiled.ok()) return invalid(from, keyword, compiled.error().message());
    impl_->regexes.push_back(std::move(*compiled));
    regexes_.emplace(std::string(pattern), impl_->regexes.back().get());
    return impl_->regexes.back().get();
  }

  Status compile_node(NodeId id) {
    const Info info = infos_[id];
    Node node = std::move(impl_->nodes[id]);
    SG_RETURN_IF_ERROR(fill_node(node, info));
    node.has_in_place = node.ref != kNoNode || node.dynamic_kind != internal::DynamicKind::kNone ||
                        !node.all_of.empty() || !node.any_of.empty() || !node.one_of.empty() ||
                        node.not_ != kNoNode || node.if_ != kNoNode;
    build_property_table(node);
    if (node.const_value != nullptr) node.const_slot = value_slot(*node.const_value);
    if (node.enum_values != nullptr) node.enum_slot = value_slot(json::value(*node.enum_values));
    node.minimum_slot = number_slot(node.minimum);
    node.maximum_slot = number_slot(node.maximum);
    node.exclusive_minimum_slot = number_slot(node.exclusive_minimum);
    node.exclusive_maximum_slot = number_slot(node.exclusive_maximum);
    node.multiple_of_slot = number_slot(node.multiple_of);
    set_number_range(node);
    node.has_object_keywords =
        !node.properties.empty() || !node.pattern_properties.empty() ||
        node.additional_properties != kNoNode || node.property_names != kNoNode ||
        node.unevaluated_properties != kNoNode || !node.required.empty() ||
        !node.dependent_required.empty() || !node.dependent_schemas.empty() ||
        node.min_properties != 0 || node.max_properties != internal::kUnbounded;
    node.has_array_keywords = !node.prefix_items.empty() || node.items != kNoNode ||
                              node.contains != kNoNode || node.unevaluated_items != kNoNode ||
                              node.min_items != 0 || node.max_items != internal::kUnbounded ||
                              node.unique_items;
    node.has_string_keywords = node.min_length != 0 || node.max_length != internal::kUnbounded ||
                               node.pattern != nullptr || node.format != internal::Format::kNone;
    node.has_number_keywords = node.minimum != nullptr || node.maximum != nullptr ||
                               node.exclusive_minimum != nullptr ||
                               node.exclusive_maximum != nullptr || node.multiple_of != nullptr;
    node.sparse_properties =
        node.pattern_properties.empty() && node.additional_properties == kNoNode &&
        node.unevaluated_properties == kNoNode && node.property_table.entries().size() <= 2;
    node.has_object_extras = !node.required_extra.empty() || !node.dependent_required.empty() ||
                             !node.dependent_schemas.empty() || node.property_names != kNoNode ||
                             node.unevaluated_properties != kNoNode;
    node.unevaluated_as_additional = node.unevaluated_properties != kNoNode && !node.has_in_place &&
                                     node.dependent_schemas.empty();
    node.ref_only = node.ref != kNoNode && node.dynamic_kind == internal::DynamicKind::kNone &&
                    node.all_of.empty() && node.any_of.empty() && node.one_of.empty() &&
                    node.not_ == kNoNode && node.if_ == kNoNode && !node.has_object_keywords &&
                    !node.has_array_keywords && !node.has_string_keywords &&
                    !node.has_number_keywords && node.types == 0 && node.const_value == nullptr &&
                    node.enum_values == nullptr && !node.always_false && !node.metaschema;
    node.plain = !node.always_false && !node.metaschema &&
                 (node.unevaluated_properties == kNoNode || node.unevaluated_as_additional) &&
                 node.unevaluated_items == kNoNode && node.dependent_schemas.empty() &&
                 node.property_names == kNoNode;
    node.leaf = !node.has_in_place && !node.has_object_keywords && !node.has_array_keywords &&
                !node.always_false && !node.metaschema;
    if (node.leaf && node.const_value == nullptr && node.enum_values == nullptr) {
      node.passes_kinds = passes_kinds(node);
    }
    node.shape = shape_of(node);
    impl_->nodes[id] = std::move(node);
    return ok_status();
  }

  // Gives each node what its children pass unvisited, and their nodes (once every node is
  // compiled).
  void copy_passes_kinds() {
    std::vector<Node>& nodes = impl_->nodes;
    // The node is_valid goes to for `id`: past lone `$ref`s, unless a dynamic scope may
    // change where one leads.
    const auto target = [&](NodeId id) -> const Node* {
      if (id == kNoNode) return nullptr;
      for (int hops = 0; !impl_->uses_dynamic_scope && nodes[id].ref_only && hops < 64; ++hops) {
        id = nodes[id].ref;
      }
      return &nodes[id];
    };
    const auto passes = [&](NodeId id) -> std::uint16_t {
      return id == kNoNode ? 0 : target(id)->passes_kinds;
    };
    for (Node& node : nodes) {
      node.items_pass = passes(node.items);
      node.items_node = target(node.items);
      node.contains_node = target(node.contains);
      node.contains_pass = passes(node.contains);
      const NodeId fallback = node.additional_properties != kNoNode ? node.additional_properties
                                                                    : node.unevaluated_properties;
      node.fallback_pass = passes(fallback);
      node.fallback_node = target(fallback);
      for (std::size_t i = 0; i < node.property_table.entries().size(); ++i) {
        internal::PropertyEntry& entry = node.property_table.entry(i);
        entry.passes_kinds = passes(entry.schema);
        const NodeId member_schema = entry.schema != kNoNode ? entry.schema : fallback;
        entry.member_node = target(member_schema);
        entry.member_pass =
            member_schema == kNoNode ? std::uint16_t{0xFFFF} : passes(member_schema);
        if (entry.required_bit >= 0) entry.required_flag = std::uint64_t{1} << entry.required_bit;
      }
      set_uniform(node);
      node.lean_members = node.shape == internal::Shape::kObject && node.pattern_properties.empty();
    }
    for (Node& node : nodes) {
      node.named_any_of = named_any_of(node);
      node.named_dependent_required = named_dependent_required(node);
      node.tracks_names = !node.named_any_of.empty() || !node.named_dependent_required.empty();
      node.lean_extras = !node.required_extra.empty() || (!node.dependent_required.empty() &&
                                                          node.named_dependent_required.empty());
    }
  }

  // Makes a kArray or kObject node Shape::kUniform if it is one (REQUIRES: its items_node and
  // fallback_node set).
  static void set_uniform(Node& node) {
    using internal::Kind;
    using internal::Shape;
    // Whether a child settles every value by its kind alone (any value, when there is no
    // child), leaving in `pass` the kinds it passes.
    const auto settled = [](const Node* child, std::uint16_t& pass) {
      if (child == nullptr) {
        pass = kAllKinds;
        return true;
      }
      pass = child->passes_kinds;
      return child->leaf && child->const_value == nullptr && child->enum_values == nullptr &&
             (pass | kinds_failing_type(*child)) == kAllKinds;
    };
    if (node.has_in_place) return;
    if (node.shape == Shape::kArray && node.prefix_items.empty() && !node.unique_items &&
        node.contains == kNoNode && settled(node.items_node, node.uniform_pass)) {
      node.uniform_kind = Kind::kArray;
      node.uniform_min = node.min_items;
      node.uniform_max = node.max_items;
      node.shape = Shape::kUniform;
    } else if (node.shape == Shape::kObject && node.property_table.empty() &&
               node.pattern_properties.empty() && node.required_extra.empty() &&
               node.dependent_required.empty() && settled(node.fallback_node, node.uniform_pass)) {
      node.uniform_kind = Kind::kObject;
      node.uniform_min = node.min_properties;
      node.uniform_max = node.max_properties;
      node.shape = Shape::kUniform;
    }
  }

  static constexpr std::uint16_t kAllKinds =
      (1u << (static_cast<unsigned>(internal::Kind::kObject) + 1)) - 1;

  // The kinds of value a node's `type` fails whatever the value (none without a `type`).
  static std::uint16_t kinds_failing_type(const Node& node) {
    if (node.types == 0) return 0;
    return static_cast<std::uint16_t>(kAllKinds & ~kinds_of_types(node.types));
  }

  // The kinds of value that may have one of `types` (any number may be integral).
  static std::uint16_t kinds_of_types(std::uint8_t types) {
    using internal::Kind;
    const auto bit = [](Kind kind) { return 1u << static_cast<unsigned>(kind); };
    unsigned mask = 0;
    if (types & internal::kNullBit) mask |= bit(Kind::kNull);
    if (types & internal::kBooleanBit) mask |= bit(Kind::kFalse) | bit(Kind::kTrue);
    if (types & internal::kObjectBit) mask |= bit(Kind::kObject);
    if (types & internal::kArrayBit) mask |= bit(Kind::kArray);
    if (types & internal::kStringBit) mask |= bit(Kind::kString);
    if (types & (internal::kNumberBit | internal::kIntegerBit)) {
      mask |= bit(Kind::kInt64) | bit(Kind::kUint64) | bit(Kind::kDouble);
    }
    return static_cast<std::uint16_t>(mask);
  }

  // Node::named_dependent_required, or empty.
  static std::vector<std::pair<std::uint32_t, std::uint32_t>> named_dependent_required(
      const Node& node) {
    const internal::PropertyTable& table = node.property_table;
    if (!node.lean_members || table.entries().size() > internal::kMaxNamedEntries) return {};
    std::vector<std::pair<std::uint32_t, std::uint32_t>> folded;
    for (const auto& [name, names] : node.dependent_required) {
      const internal::PropertyEntry* trigger = table.find(name);
      if (trigger == nullptr) return {};
      std::uint32_t needed = 0;
      for (const std::string& other : names) {
        const internal::PropertyEntry* entry = table.find(other);
        if (entry == nullptr) return {};
        needed |= 1u << entry->index;
      }
      folded.emplace_back(1u << trigger->index, needed);
    }
    return folded;
  }

  // Node::named_any_of, or empty.
  std::vector<std::vector<Node::NameTest>> named_any_of(const Node& node) const {
    const std::vector<Node>& nodes = impl_->nodes;
    const bool only_any_of = node.ref == kNoNode &&
                             node.dynamic_kind == internal::DynamicKind::kNone &&
                             node.all_of.empty() && node.one_of.empty() && node.not_ == kNoNode &&
                             node.if_ == kNoNode && !node.any_of.empty();
    if (!node.lean_members || !only_any_of ||
        node.property_table.entries().size() > internal::kMaxNamedEntries) {
      return {};
    }
    std::vector<std::vector<Node::NameTest>> branches;
    for (const NodeId sub : node.any_of) {
      const Node& branch = nodes[sub];
      if (branch.shape != internal::Shape::kSparse) return {};
      std::vector<Node::NameTest> tests;
      for (const internal::PropertyEntry& name : branch.property_table.entries()) {
        const internal::PropertyEntry* own = node.property_table.find(name.name);
        if (own == nullptr) return {};
        tests.push_back({own->index, name.required_bit >= 0,
                         name.schema == kNoNode ? nullptr : &nodes[name.schema],
                         name.schema == kNoNode ? std::uint16_t{0xFFFF} : name.passes_kinds});
      }
      branches.push_back(std::move(tests));
    }
    return branches;
  }

  // Node::number_range, when the bounds allow it.
  static void set_number_range(Node& node) {
    if (node.multiple_of != nullptr) return;
    if (node.minimum != nullptr && node.exclusive_minimum != nullptr) return;
    if (node.maximum != nullptr && node.exclusive_maximum != nullptr) return;
    const auto exact = [](const json::value* bound, double fallback, double& out) {
      if (bound == nullptr) {
        out = fallback;
        return true;
      }
      constexpr std::int64_t kExact = std::int64_t{1} << 53;
      if (bound->is_int64()) {
        const std::int64_t i = bound->get_int64();
        out = static_cast<double>(i);
        return i >= -kExact && i <= kExact;
      }
      if (bound->is_uint64()) {
        out = static_cast<double>(bound->get_uint64());
        return bound->get_uint64() <= static_cast<std::uint64_t>(kExact);
      }
      out = bound->get_double();
      return !std::isnan(out);
    };
    const json::value* low = node.minimum != nullptr ? node.minimum : node.exclusive_minimum;
    const json::value* high = node.maximum != nullptr ? node.maximum : node.exclusive_maximum;
    const double infinity = std::numeric_limits<double>::infinity();
    if (!exact(low, -infinity, node.low) || !exact(high, infinity, node.high)) return;
    node.low_exclusive = node.exclusive_minimum != nullptr;
    node.high_exclusive = node.exclusive_maximum != nullptr;
    node.number_range = true;
  }

  static internal::Shape shape_of(const Node& node) {
    using internal::Shape;
    if (node.const_value != nullptr || node.enum_values != nullptr || node.always_false ||
        node.metaschema) {
      return Shape::kGeneral;
    }
    if (node.leaf && node.types == internal::kStringBit && node.format == internal::Format::kNone &&
        node.has_string_keywords) {
      return Shape::kString;
    }
    if (!node.plain) return Shape::kGeneral;
    // (A plain node's unevaluatedProperties, if any, acts as additionalProperties; it has no
    // dependentSchemas or propertyNames.)
    if (node.types == internal::kObjectBit) return Shape::kObject;
    if (node.types == internal::kArrayBit) return Shape::kArray;
    if (node.has_in_place) return Shape::kGeneral;
    if (node.types == 0 && node.sparse_properties && !node.has_object_extras &&
        !node.has_array_keywords && !node.has_string_keywords && !node.has_number_keywords &&
        node.min_properties == 0 && node.max_properties == internal::kUnbounded) {
      return Shape::kSparse;
    }
    return Shape::kGeneral;
  }

  // The kinds of value a leaf without const or enum passes whatever their value (a double
  // only when the node takes any number: whether it is an integer depends on the value).
  static std::uint16_t passes_kinds(const Node& node) {
    using internal::Kind;
    const auto bit = [](Kind kind) { return 1u << static_cast<unsigned>(kind); };
    unsigned mask = node.types == 0 ? kAllKinds : kinds_of_types(node.types);
    if (node.has_string_keywords) mask &= ~bit(Kind::kString);
    if (node.has_number_keywords) {
      mask &= ~(bit(Kind::kInt64) | bit(Kind::kUint64) | bit(Kind::kDouble));
    }
    if (node.types != 0 && (node.types & internal::kNumberBit) == 0) mask &= ~bit(Kind::kDouble);
    return static_cast<std::uint16_t>(mask);
  }

  // `value` as a Document the compiled schema keeps, for the validator to compare with.
  const internal::Slot* value_slot(const json::value& value) {
    impl_->values.push_back(std::make_unique<Document>(Document::from_json(value)));
    return impl_->values.back()->root();
  }

  static internal::Slot number_slot(const json::value* bound) {
    if (bound == nullptr) return {};
    return *Document::from_json(*bound).root();
  }

  static void build_property_table(Node& node) {
    std::vector<internal::PropertyEntry> entries;
    for (const auto& [name, sub] : node.properties) {
      entries.emplace_back(name, sub);
    }
    int bit = 0;
    for (const std::string& name : node.required) {
      auto it = std::find_if(entries.begin(), entries.end(),
                             [&](const internal::PropertyEntry& e) { return e.name == name; });
      if (it != entries.end() && it->required_bit >= 0) continue;  // listed twice
      if (bit == 64) {
        node.required_extra.push_back(name);
        continue;
      }
      if (it == entries.end()) {
        entries.emplace_back(name, kNoNode);
        it = entries.end() - 1;
      }
      it->required_bit = bit;
      node.required_mask |= std::uint64_t{1} << bit;
      ++bit;
    }
    node.property_table.build(std::move(entries));
  }

  Status fill_node(Node& node, const Info& info) {
    const json::value& value = *info.value;
    if (value.is_bool()) {
      node.always_false = !value.get_bool();
      return ok_status();
    }
    if (!value.is_object()) return invalid(info, "", "a schema must be an object or a boolean");
    const json::object& object = value.get_object();
    const Draft draft = info.draft;
    if (auto problem = internal::check_keywords(object, draft)) {
      return invalid(info, problem->pointer, problem->message);
    }
    const auto find = [&](std::string_view keyword) -> const json::value* {
      auto it = object.find(keyword);
      return it == object.end() ? nullptr : &it->value();
    };
    if (const json::value* ref = find("$ref")) {
      SG_ASSIGN_OR_RETURN(node.ref, resolve_reference(ref->get_string(), info, "/$ref"));
      // Drafts 4 to 7 ignore every sibling of `$ref`.
      if (draft <= Draft::k7) return ok_status();
    }
    if (draft == Draft::k2019_09) {
      if (const json::value* ref = find("$recursiveRef")) {
        SG_ASSIGN_OR_RETURN(node.dynamic_ref,
                            resolve_reference(ref->get_string(), info, "/$recursiveRef"));
        node.dynamic_kind = internal::DynamicKind::kRecursiveRef;
        const auto& target = impl_->nodes[node.dynamic_ref];
        node.dynamic_lookup = impl_->resources[target.resource].recursive_anchor &&
                              impl_->resources[target.resource].root == node.dynamic_ref;
        impl_->uses_dynamic_scope = true;
      }
    }
    if (draft >= Draft::k2020_12) {
      if (const json::value* ref = find("$dynamicRef")) {
        SG_ASSIGN_OR_RETURN(node.dynamic_ref,
                            resolve_reference(ref->get_string(), info, "/$dynamicRef"));
        node.dynamic_kind = internal::DynamicKind::kDynamicRef;
        const std::string_view fragment = split_fragment(ref->get_string()).second;
        // Only a reference to a `$dynamicAnchor` of the same name is dynamic ("bookending").
        const json::value* target = infos_[node.dynamic_ref].value;
        if (target != nullptr && target->is_object() && !fragment.empty() &&
            fragment.front() != '/') {
          auto anchor = target->get_object().find("$dynamicAnchor");
          if (anchor != target->get_object().end() && anchor->value().is_string() &&
              anchor->value().get_string() == fragment) {
            node.dynamic_lookup = true;
            node.dynamic_name = std::string(fragment);
            impl_->uses_dynamic_scope = true;
          }
        }
      }
    }

    for (const char* keyword : {"allOf", "anyOf", "oneOf"}) {
      if (const json::value* list = find(keyword)) {
        auto& out = keyword[0] == 'o' ? node.one_of : keyword[1] == 'l' ? node.all_of : node.any_of;
        for (const json::value& sub : list->get_array()) {
          SG_ASSIGN_OR_RETURN(NodeId sub_id, child(sub, info, keyword));
          out.push_back(sub_id);
        }
      }
    }
    const auto single = [&](std::string_view keyword, NodeId& out) -> Status {
      if (const json::value* sub = find(keyword)) {
        SG_ASSIGN_OR_RETURN(out, child(*sub, info, keyword));
      }
      return ok_status();
    };
    SG_RETURN_IF_ERROR(single("not", node.not_));
    if (draft >= Draft::k7) {
      // `then` and `else` mean nothing without `if`.
      if (find("if") != nullptr) {
        SG_RETURN_IF_ERROR(single("if", node.if_));
        SG_RETURN_IF_ERROR(single("then", node.then_));
        SG_RETURN_IF_ERROR(single("else", node.else_));
      }
    }

    // Objects.
    if (const json::value* properties = find("properties")) {
      for (const auto& member : properties->get_object()) {
        SG_ASSIGN_OR_RETURN(NodeId sub, child(member.value(), info, "/properties"));
        node.properties.emplace_back(std::string(member.key()), sub);
      }
    }
    if (const json::value* patterns = find("patternProperties")) {
      for (const auto& member : patterns->get_object()) {
        std::string suffix = "/patternProperties";
        append_pointer_token(suffix, member.key());
        SG_ASSIGN_OR_RETURN(const EcmaRegex* re, regex(member.key(), info, suffix));
        SG_ASSIGN_OR_RETURN(NodeId sub, child(member.value(), info, suffix));
        node.pattern_properties.emplace_back(re, sub);
      }
    }
    SG_RETURN_IF_ERROR(single("additionalProperties", node.additional_properties));
    if (draft >= Draft::k6) SG_RETURN_IF_ERROR(single("propertyNames", node.property_names));
    if (draft >= Draft::k2019_09) {
      SG_RETURN_IF_ERROR(single("unevaluatedProperties", node.unevaluated_properties));
      SG_RETURN_IF_ERROR(single("unevaluatedItems", node.unevaluated_items));
      if (const json::value* schemas = find("dependentSchemas")) {
        for (const auto& member : schemas->get_object()) {
          SG_ASSIGN_OR_RETURN(NodeId sub, child(member.value(), info, "/dependentSchemas"));
          node.dependent_schemas.emplace_back(std::string(member.key()), sub);
        }
      }
    }
    if (const json::value* dependencies = find("dependencies")) {
      for (const auto& member : dependencies->get_object()) {
        if (member.value().is_array()) {
          std::vector<std::string> names;
          for (const json::value& name : member.value().get_array()) {
            names.emplace_back(name.get_string());
          }
          node.dependent_required.emplace_back(std::string(member.key()), std::move(names));
        } else {
          SG_ASSIGN_OR_RETURN(NodeId sub, child(member.value(), info, "/dependencies"));
          node.dependent_schemas.emplace_back(std::string(member.key()), sub);
        }
      }
    }

    // Arrays.
    if (draft >= Draft::k2020_12) {
      if (const json::value* prefix = find("prefixItems")) {
        for (const json::value& sub : prefix->get_array()) {
          SG_ASSIGN_OR_RETURN(NodeId sub_id, child(sub, info, "/prefixItems"));
          node.prefix_items.push_back(sub_id);
        }
      }
      SG_RETURN_IF_ERROR(single("items", node.items));
    } else if (const json::value* items = find("items")) {
      if (items->is_array()) {
        for (const json::value& sub : items->get_array()) {
          SG_ASSIGN_OR_RETURN(NodeId sub_id, child(sub, info, "/items"));
          node.prefix_items.push_back(sub_id);
        }
        SG_RETURN_IF_ERROR(single("additionalItems", node.items));
      } else {
        SG_RETURN_IF_ERROR(single("items", node.items));
      }
    }
    if (draft >= Draft::k6) {
      SG_RETURN_IF_ERROR(single("contains", node.contains));
      node.contains_annotates = draft >= Draft::k2020_12;
    }

    if (info.validation_vocabulary) SG_RETURN_IF_ERROR(fill_assertions(node, info, object));
    // `format` belongs to its own vocabularies, not to the validation one.
    if (const json::value* v = find("format");
        v != nullptr && (options_.assert_formats || info.format_assertion)) {
      node.format = internal::format_from_name(v->get_string());
    }
    return ok_status();
  }

  // The keywords of the validation vocabulary (and `format`).
  Status fill_assertions(Node& node, const Info& info, const json::object& object) {
    const Draft draft = info.draft;
    const auto find = [&](std::string_view keyword) -> const json::value* {
      auto it = object.find(keyword);
      return it == object.end() ? nullptr : &it->value();
    };
    if (const json::value* type = find("type")) {
      if (type->is_string()) {
        node.types = type_bit(type->get_string());
      } else {
        for (const json::value& name : type->get_array()) {
          node.types = static_cast<std::uint8_t>(node.types | type_bit(name.get_string()));
        }
        // "type": [] accepts nothing; keep it distinct from "no type keyword".
        if (node.types == 0) node.always_false = true;
      }
      // Draft 4 counts only numbers written without a fraction as integers (1.0 is not).
      node.strict_integers = draft == Draft::k4;
    }
    if (const json::value* e = find("enum")) {
      node.enum_values = &e->get_array();
      node.enum_all_strings = std::all_of(node.enum_values->begin(), node.enum_values->end(),
                                          [](const json::value& x) { return x.is_string(); });
    }
    if (draft >= Draft::k6) {
      if (const json::value* c = find("const")) node.const_value = c;
    }
    if (const json::value* required = find("required")) {
      for (const json::value& name : required->get_array()) {
        node.required.emplace_back(name.get_string());
      }
    }
    if (draft >= Draft::k2019_09) {
      if (const json::value* dependent = find("dependentRequired")) {
        for (const auto& member : dependent->get_object()) {
          std::vector<std::string> names;
          for (const json::value& name : member.value().get_array()) {
            names.emplace_back(name.get_string());
          }
          node.dependent_required.emplace_back(std::string(member.key()), std::move(names));
        }
      }
      if (const json::value* v = find("minContains")) node.min_contains = count_of(*v);
      if (const json::value* v = find("maxContains")) node.max_contains = count_of(*v);
    }
    if (const json::value* v = find("minProperties")) node.min_properties = count_of(*v);
    if (const json::value* v = find("maxProperties")) node.max_properties = count_of(*v);
    if (const json::value* v = find("minItems")) node.min_items = count_of(*v);
    if (const json::value* v = find("maxItems")) node.max_items = count_of(*v);
    if (const json::value* v = find("uniqueItems")) node.unique_items = v->get_bool();
    if (const json::value* v = find("minLength")) node.min_length = count_of(*v);
    if (const json::value* v = find("maxLength")) node.max_length = count_of(*v);
    if (const json::value* v = find("pattern")) {
      SG_ASSIGN_OR_RETURN(node.pattern, regex(v->get_string(), info, "/pattern"));
    }
    node.minimum = find("minimum");
    node.maximum = find("maximum");
    node.multiple_of = find("multipleOf");
    if (draft == Draft::k4) {
      if (const json::value* v = find("exclusiveMinimum"); v && v->get_bool()) {
        std::swap(node.minimum, node.exclusive_minimum);
      }
      if (const json::value* v = find("exclusiveMaximum"); v && v->get_bool()) {
        std::swap(node.maximum, node.exclusive_maximum);
      }
    } else {
      node.exclusive_minimum = find("exclusiveMinimum");
      node.exclusive_maximum = find("exclusiveMaximum");
    }
    return ok_status();
  }

  const CompileOptions& options_;
  std::unique_ptr<CompiledSchema::Impl> impl_;
  std::unordered_map<const json::value*, NodeId> ids_;
  std::vector<Info> infos_;  // by NodeId
  std::deque<NodeId> pending_;
  std::unordered_map<std::string, const json::value*> resources_by_uri_;
  std::unordered_map<std::string, const json::value*> anchors_;  // "<uri>#<name>"
  std::vector<const json::value*> resource_values_;              // by resource index
  std::vector<std::vector<std::pair<std::string, const json::value*>>> dynamic_anchor_values_;
  std::unordered_map<std::string, const EcmaRegex*> regexes_;
  NodeId metaschema_nodes_[5] = {kNoNode, kNoNode, kNoNode, kNoNode, kNoNode};
};

}  // namespace

namespace internal {

void PropertyTable::build(std::vector<PropertyEntry> entries) {
  entries_ = std::move(entries);
  size_ = static_cast<std::uint32_t>(entries_.size());
  for (PropertyEntry& entry : entries_) {
    entry.index = static_cast<std::uint32_t>(&entry - entries_.data());
    // The words as memcpy reads them from a key, whatever the byte order.
    const std::size_t n = entry.name.size();
    char bytes[8] = {};
    char mask[8] = {};
    std::memcpy(bytes, entry.name.data(), std::min<std::size_t>(n, 8));
    std::memset(mask, 0xFF, std::min<std::size_t>(n, 8));
    entry.length = static_cast<std::uint32_t>(n);
    std::memcpy(&entry.head, bytes, 8);
    std::memcpy(&entry.head_mask, mask, 8);
    if (n >= 8) std::memcpy(&entry.tail, entry.name.data() + n - 8, 8);
  }
  std::uint32_t size = 4;
  while (size < entries_.size() * 2) size *= 2;
  slots_.assign(size, Slot());
  mask_ = size - 1;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const std::uint32_t h = hash(entries_[i].name);
    std::uint32_t slot = h & mask_;
    while (slots_[slot].index != 0) slot = (slot + 1) & mask_;
    slots_[slot].hash = h;
    slots_[slot].index = static_cast<std::uint32_t>(i + 1);
  }
}

}  // namespace internal

CompiledSchema::CompiledSchema(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CompiledSchema::~CompiledSchema() = default;

Draft CompiledSchema::draft() const {
  return impl_->draft;
}

Result<CompiledSchemaPtr> compile(const json::value& schema, const CompileOptions& options) {
  return Compiler(options).run(json::value(schema));
}

Result<CompiledSchemaPtr> compile(std::string_view text, const CompileOptions& options) {
  SG_ASSIGN_OR_RETURN(json::value json, parse_json_text(text, "JSON Schema", kMaxJsonSchemaDepth));
  return Compiler(options).run(std::move(json));
}

}  // namespace sg::jsonschema
