// The counterexample search: targeted edits of valid documents at the place each difference
// names, then generated documents, then shrinking. Only the validator decides what is returned.
#include "schemaguard/jsonschema/compat/counterexample.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "schemaguard/jsonschema/generate/generate.h"
#include "schemaguard/jsonschema/uri.h"

namespace sg::jsonschema {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

// --- schemas -------------------------------------------------------------------------------

bool is_index(std::string_view token) {
  return !token.empty() && token.size() < 9 &&
         std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// `schema` with its local `$ref` chain followed (a few hops; cycles stop there).
const json::value* follow(const json::value& root, const json::value* schema) {
  for (int hop = 0; schema != nullptr && hop < 16; ++hop) {
    if (!schema->is_object()) return schema;
    const json::value* ref = schema->get_object().if_contains("$ref");
    if (ref == nullptr || !ref->is_string()) return schema;
    const json::value* target = resolve_local_ref(root, ref->get_string());
    if (target == nullptr) return schema;
    schema = target;
  }
  return schema;
}

const json::value* member(const json::value& root, const json::value* schema,
                          std::string_view keyword) {
  schema = follow(root, schema);
  if (schema == nullptr || !schema->is_object()) return nullptr;
  return follow(root, schema->get_object().if_contains(keyword));
}

const json::value* keyed(const json::value& root, const json::value* schema,
                         std::string_view keyword, std::string_view key) {
  const json::value* map = member(root, schema, keyword);
  if (map == nullptr || !map->is_object()) return nullptr;
  return follow(root, map->get_object().if_contains(key));
}

const json::value* indexed(const json::value& root, const json::value* schema,
                           std::string_view keyword, std::size_t index) {
  const json::value* list = member(root, schema, keyword);
  if (list == nullptr || !list->is_array() || index >= list->get_array().size()) return nullptr;
  return follow(root, &list->get_array()[index]);
}

// Every name under a `properties` anywhere in `schema`: extra names for generated documents.
void collect_property_names(const json::value& schema, std::set<std::string>& out, int depth) {
  if (depth > 64) return;
  if (schema.is_object()) {
    for (const auto& [key, value] : schema.get_object()) {
      if (key == "properties" && value.is_object()) {
        for (const auto& [name, sub] : value.get_object()) out.emplace(name);
      }
      if (key == "enum" || key == "const" || key == "default" || key == "examples") continue;
      collect_property_names(value, out, depth + 1);
    }
  } else if (schema.is_array()) {
    for (const auto& item : schema.get_array()) collect_property_names(item, out, depth + 1);
  }
}

// `sub` as a document of its own, with the root's definitions so that its local `$ref`s still
// resolve in the generator.
json::value standalone(const json::value& root, const json::value& sub) {
  if (!sub.is_object() || !root.is_object()) return sub;
  json::object out = sub.get_object();
  for (std::string_view keyword : {"definitions", "$defs"}) {
    const json::value* defs = root.get_object().if_contains(keyword);
    if (defs != nullptr && !out.contains(keyword)) out[keyword] = *defs;
  }
  return out;
}

// --- where in a document a difference shows ------------------------------------------------

struct Step {
  enum class Kind { kKey, kIndex, kAnyItem };
  Kind kind = Kind::kKey;
  std::string key;
  std::size_t index = 0;
};

enum class Edit { kSet, kRemoveMember };

struct Target {
  std::vector<Step> steps;
  const json::value* old_schema = nullptr;  // the accepting side's schema at the location
  const json::value* new_schema = nullptr;
  // kRemoveMember: the member `name` of the object at `steps` is left out (required).
  Edit edit = Edit::kSet;
  std::string name;
};

// Reads a Confluent path ("#/properties/a/items/required/b") as steps into the document, with
// the schemas of both sides at that place. Synthetic members of the diff's model (a `type`
// list read as anyOf, keyword families as allOf) do not exist in the JSON: the walk stays put.
Target locate(std::string_view path, const json::value& old_root, const json::value& new_root) {
  Target t;
  t.old_schema = follow(old_root, &old_root);
  t.new_schema = follow(new_root, &new_root);
  if (path.starts_with('#')) path.remove_prefix(1);
  std::vector<std::string> tokens;
  while (!path.empty()) {
    if (path.front() == '/') path.remove_prefix(1);
    const auto end = path.find('/');
    tokens.emplace_back(path.substr(0, end));
    path = end == std::string_view::npos ? std::string_view() : path.substr(end);
  }
  auto both = [&](auto pick) {
    t.old_schema = pick(old_root, t.old_schema);
    t.new_schema = pick(new_root, t.new_schema);
  };
  auto extra_name = [&] {
    std::set<std::string> taken;
    for (const json::value* s : {t.old_schema, t.new_schema}) {
      const json::value* properties =
          s && s->is_object() ? s->get_object().if_contains("properties") : nullptr;
      if (properties != nullptr && properties->is_object()) {
        for (const auto& [name, sub] : properties->get_object()) taken.emplace(name);
      }
    }
    std::string name = "extra";
    for (int i = 2; taken.contains(name); ++i) name = "extra" + std::to_string(i);
    return name;
  };
  auto tuple_size = [&](const json::value* s) -> std::size_t {
    for (std::string_view keyword : {"prefixItems", "items"}) {
      const json::value* list = member(old_root, s, keyword);
      if (list != nullptr && list->is_array()) return list->get_array().size();
    }
    return 0;
  };
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    const bool has_next = i + 1 < tokens.size();
    const std::string next = has_next ? tokens[i + 1] : std::string();
    if (token == "properties" && has_next) {
      t.steps.push_back({Step::Kind::kKey, next, 0});
      both([&](const json::value& root, const json::value* s) {
        return keyed(root, s, "properties", next);
      });
      ++i;
    } else if (token == "items" && has_next && is_index(next)) {
      const std::size_t index = std::stoul(next);
      t.steps.push_back({Step::Kind::kIndex, {}, index});
      both([&](const json::value& root, const json::value* s) {
        const json::value* prefix = indexed(root, s, "prefixItems", index);
        return prefix != nullptr ? prefix : indexed(root, s, "items", index);
      });
      ++i;
    } else if (token == "items") {
      t.steps.push_back({Step::Kind::kAnyItem, {}, 0});
      both([&](const json::value& root, const json::value* s) { return member(root, s, "items"); });
    } else if (token == "additionalProperties" || token == "unevaluatedProperties") {
      t.steps.push_back({Step::Kind::kKey, extra_name(), 0});
      both([&](const json::value& root, const json::value* s) { return member(root, s, token); });
    } else if (token == "additionalItems" || token == "unevaluatedItems") {
      t.steps.push_back({Step::Kind::kIndex, {}, tuple_size(t.old_schema)});
      both([&](const json::value& root, const json::value* s) { return member(root, s, token); });
    } else if ((token == "allOf" || token == "anyOf" || token == "oneOf") && has_next &&
               is_index(next)) {
      const std::size_t index = std::stoul(next);
      both([&](const json::value& root, const json::value* s) {
        const json::value* m = indexed(root, s, token, index);
        return m != nullptr ? m : s;
      });
      ++i;
    } else if (token == "not") {
      both([&](const json::value& root, const json::value* s) {
        const json::value* m = member(root, s, "not");
        return m != nullptr ? m : s;
      });
    } else if (token == "required" && has_next) {
      t.edit = Edit::kRemoveMember;
      t.name = next;
      break;
    } else if (token == "dependencies" && has_next) {
      t.steps.push_back({Step::Kind::kKey, next, 0});
      t.old_schema = nullptr;
      t.new_schema = nullptr;
      break;
    } else {
      break;  // a keyword of the schema at this place (maxLength, enum, patternProperties...)
    }
  }
  return t;
}

json::value* walk(json::value& doc, const std::vector<Step>& steps, std::size_t count) {
  json::value* at = &doc;
  for (std::size_t i = 0; i < count; ++i) {
    const Step& step = steps[i];
    if (step.kind == Step::Kind::kKey) {
      if (!at->is_object()) return nullptr;
      at = at->get_object().if_contains(step.key);
    } else {
      if (!at->is_array()) return nullptr;
      json::array& items = at->get_array();
      const std::size_t index = step.kind == Step::Kind::kIndex ? step.index : 0;
      at = index < items.size() ? &items[index] : nullptr;
    }
    if (at == nullptr) return nullptr;
  }
  return at;
}

// `base` with the value at the target replaced by (or set to) `value`; nullopt when the base
// does not reach that place.
std::optional<json::value> with_value(const json::value& base, const Target& t,
                                      const json::value& value) {
  json::value doc = base;
  if (t.steps.empty()) return value;
  json::value* parent = walk(doc, t.steps, t.steps.size() - 1);
  if (parent == nullptr) return std::nullopt;
  const Step& last = t.steps.back();
  if (last.kind == Step::Kind::kKey) {
    if (!parent->is_object()) return std::nullopt;
    parent->get_object()[last.key] = value;
    return doc;
  }
  if (!parent->is_array()) return std::nullopt;
  json::array& items = parent->get_array();
  const std::size_t index = last.kind == Step::Kind::kIndex ? last.index : 0;
  if (index < items.size()) {
    items[index] = value;
  } else if (index == items.size()) {
    items.push_back(value);
  } else {
    return std::nullopt;
  }
  return doc;
}

std::optional<json::value> without_member(const json::value& base, const std::vector<Step>& steps,
                                          const std::string& name) {
  json::value doc = base;
  json::value* at = walk(doc, steps, steps.size());
  if (at == nullptr || !at->is_object() || !at->get_object().contains(name)) return std::nullopt;
  at->get_object().erase(name);
  return doc;
}

// `base` itself when the object at `steps` exists and lacks `name` already: a document that
// never had the member (a property made required) may be the answer as it is.
std::optional<json::value> absent_member(const json::value& base, const std::vector<Step>& steps,
                                         const std::string& name) {
  json::value doc = base;
  const json::value* at = walk(doc, steps, steps.size());
  if (at == nullptr || !at->is_object() || at->get_object().contains(name)) return std::nullopt;
  return doc;
}

// --- values to try at a place --------------------------------------------------------------

std::optional<double> number_of(const json::value* schema, std::string_view keyword) {
  if (schema == nullptr || !schema->is_object()) return std::nullopt;
  const json::value* v = schema->get_object().if_contains(keyword);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

json::value number_value(double x) {
  if (std::floor(x) == x && std::fabs(x) < 9e15) return json::value(static_cast<std::int64_t>(x));
  return json::value(x);
}

class Probes {
 public:
  void add(json::value v) {
    if (std::find(values_.begin(), values_.end(), v) == values_.end()) {
      values_.push_back(std::move(v));
    }
  }
  std::vector<json::value> take() { return std::move(values_); }

 private:
  std::vector<json::value> values_;
};

// Values that tend to sit inside the old schema and outside the new one: the old side's enum
// values and bounds, the new side's bounds just crossed, one value of each JSON type, and a few
// values generated from the old side's schema at that place.
std::vector<json::value> probes_for(const json::value& old_root, const json::value* old_schema,
                                    const json::value* new_schema, std::uint64_t seed) {
  Probes p;
  // The schemas at the place and the members of their combined schemas (a bound may sit in a
  // oneOf branch), with where each comes from.
  std::vector<std::pair<const json::value*, bool>> sources;  // (schema, from the old side)
  for (const json::value* s : {old_schema, new_schema}) {
    if (s == nullptr || !s->is_object()) continue;
    const bool old_side = s == old_schema;
    sources.emplace_back(s, old_side);
    for (std::string_view keyword : {"allOf", "anyOf", "oneOf"}) {
      const json::value* list = s->get_object().if_contains(keyword);
      if (list == nullptr || !list->is_array()) continue;
      for (const auto& m : list->get_array()) {
        if (m.is_object()) sources.emplace_back(&m, old_side);
      }
    }
  }
  for (const auto& [s, old_side] : sources) {
    const json::object& o = s->get_object();
    if (old_side) {
      if (const json::value* values = o.if_contains("enum"); values && values->is_array()) {
        for (const auto& v : values->get_array()) p.add(v);
      }
      if (const json::value* c = o.if_contains("const")) p.add(*c);
    }
    for (std::string_view keyword :
         {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}) {
      auto x = number_of(s, keyword);
      if (!x) continue;
      for (double delta : {0.0, -1.0, 1.0, -0.5, 0.5}) p.add(number_value(*x + delta));
      if (keyword == "multipleOf") p.add(number_value(*x * 3));
    }
    for (std::string_view keyword : {"minLength", "maxLength"}) {
      auto x = number_of(s, keyword);
      if (!x || *x > 4096) continue;
      for (double delta : {0.0, -1.0, 1.0}) {
        if (*x + delta >= 0)
          p.add(json::value(std::string(static_cast<std::size_t>(*x + delta), 'a')));
      }
    }
  }
  for (json::value v :
       {json::value(nullptr), json::value(true), json::value(false), json::value(0), json::value(1),
        json::value(-1), json::value(1.5), json::value(1000001), json::value(""), json::value("a"),
        json::value(json::array{}), json::value(json::object{})}) {
    p.add(std::move(v));
  }
  if (old_schema != nullptr) {
    const json::value sub = standalone(old_root, *old_schema);
    GenerateOptions g;
    g.seed = seed;
    InstanceGenerator generator(sub, g);
    for (int i = 0; i < 6; ++i) {
      json::value v = generator.next();
      // An array with a repeated item breaks uniqueItems; an array one item longer, maxItems.
      if (v.is_array() && !v.get_array().empty()) {
        json::value longer = v;
        longer.get_array().push_back(v.get_array().front());
        p.add(std::move(longer));
      }
      p.add(std::move(v));
    }
  }
  std::vector<json::value> values = p.take();
  // Arrays at the item-count bounds of either side, filled with an item that fits the old side.
  const json::value* filler = nullptr;
  for (const json::value& v : values) {
    if (v.is_array() && !v.get_array().empty()) {
      filler = &v.get_array().front();
      break;
    }
  }
  if (filler != nullptr) {
    const json::value item = *filler;
    for (const json::value* s : {old_schema, new_schema}) {
      for (std::string_view keyword : {"minItems", "maxItems"}) {
        auto x = number_of(s, keyword);
        if (!x || *x > 4096) continue;
        for (double delta : {0.0, -1.0, 1.0}) {
          if (*x + delta < 0) continue;
          json::value v = json::array(static_cast<std::size_t>(*x + delta), item);
          if (std::find(values.begin(), values.end(), v) == values.end()) {
            values.push_back(std::move(v));
          }
        }
      }
    }
  }
  return values;
}

// --- shrinking -----------------------------------------------------------------------------

std::size_t size_of(const json::value& v) {
  return json::serialize(v).size();
}

// Every place in `doc` as steps (depth first, the root last so children go first).
void places(const json::value& doc, std::vector<Step>& prefix,
            std::vector<std::vector<Step>>& out) {
  if (doc.is_object()) {
    for (const auto& [key, value] : doc.get_object()) {
      prefix.push_back({Step::Kind::kKey, std::string(key), 0});
      places(value, prefix, out);
      prefix.pop_back();
    }
  } else if (doc.is_array()) {
    for (std::size_t i = 0; i < doc.get_array().size(); ++i) {
      prefix.push_back({Step::Kind::kIndex, {}, i});
      places(doc.get_array()[i], prefix, out);
      prefix.pop_back();
    }
  }
  out.push_back(prefix);
}

// Values simpler than `v`: shorter, or a string of the same length made of 'a's, or a number
// nearer zero. Each step makes progress, so shrinking ends.
std::vector<json::value> simpler(const json::value& v) {
  static const json::value kSimple[] = {json::value(nullptr),
                                        json::value(0),
                                        json::value(""),
                                        json::value(false),
                                        json::value(json::object{}),
                                        json::value(json::array{})};
  std::vector<json::value> out;
  const std::size_t size = size_of(v);
  for (const json::value& simple : kSimple) {
    if (size_of(simple) < size) out.push_back(simple);
  }
  if (v.is_string()) {
    const std::string_view text = v.get_string();
    if (text.size() > 1) out.emplace_back(text.substr(0, text.size() / 2));
    if (!text.empty()) out.emplace_back(text.substr(0, text.size() - 1));
    const std::string plain(text.size(), 'a');
    if (text != plain) out.emplace_back(plain);
  } else if (v.is_number()) {
    const double x = v.to_number<double>();
    for (double y : {std::trunc(x), std::trunc(x / 2), 1.0, -1.0}) {
      if (std::fabs(y) < std::fabs(x) || (y == std::trunc(y) && x != std::trunc(x))) {
        out.push_back(number_value(y));
      }
    }
  }
  return out;
}

class Search {
 public:
  Search(const CompiledSchema& accepted, const json::value& accepted_json,
         const CompiledSchema& rejected, const json::value& rejected_json,
         const CounterexampleOptions& options, const CompiledSchema* formats)
      : accepted_(accepted),
        accepted_json_(accepted_json),
        rejected_(rejected),
        rejected_json_(rejected_json),
        options_(options),
        formats_(formats),
        start_(Clock::now()) {}

  std::optional<Counterexample> run(const std::vector<Difference>& differences) {
    std::vector<json::value> bases = base_documents();
    // Incompatible differences first: those are the ones users ask about.
    std::vector<const Difference*> order;
    for (const Difference& d : differences) {
      if (!is_compatible_type(d.type, CompatPolicy::kStrict)) order.push_back(&d);
    }
    for (const Difference& d : differences) {
      if (is_compatible_type(d.type, CompatPolicy::kStrict)) order.push_back(&d);
    }
    for (const Difference* d : order) {
      if (found_.size() >= 3 || out_of_time()) break;
      aim(*d, bases);
    }
    if (found_.empty()) random_phase();
    if (found_.empty()) return std::nullopt;

    // The smallest, preferring documents that also respect `format`.
    std::optional<Counterexample> best;
    std::pair<bool, std::size_t> best_rank;
    for (auto& [doc, why] : found_) {
      json::value small = shrink(std::move(doc));
      const std::pair<bool, std::size_t> rank{formats_ != nullptr && !formats_->is_valid(small),
                                              size_of(small)};
      if (best && rank >= best_rank) continue;
      best_rank = rank;
      best = Counterexample{std::move(small), {}, why};
    }
    best->errors = rejected_.validate(best->document);
    return best;
  }

 private:
  bool out_of_time() const {
    return options_.time_budget.count() > 0 && Clock::now() - start_ > options_.time_budget;
  }

  bool is_counterexample(const json::value& doc) {
    ++checks_;
    return accepted_.is_valid(doc) && !rejected_.is_valid(doc);
  }

  // Small documents valid under the accepting schema, smallest first.
  std::vector<json::value> base_documents() {
    GenerateOptions g;
    g.seed = options_.seed;
    g.max_array_items = 2;
    InstanceGenerator generator(accepted_json_, g);
    std::vector<json::value> out;
    for (int i = 0; i < 24 && out.size() < 8; ++i) {
      json::value doc = generator.next();
      if (!accepted_.is_valid(doc)) continue;
      if (std::find(out.begin(), out.end(), doc) == out.end()) out.push_back(std::move(doc));
    }
    std::stable_sort(out.begin(), out.end(), [](const json::value& a, const json::value& b) {
      return size_of(a) < size_of(b);
    });
    return out;
  }

  void keep(json::value doc, const Difference* d) {
    found_.emplace_back(std::move(doc), d ? d->type + " " + d->path : std::string("generated"));
  }

  void aim(const Difference& d, const std::vector<json::value>& bases) {
    const Target t = locate(d.path, accepted_json_, rejected_json_);
    if (t.edit == Edit::kRemoveMember) {
      for (const json::value& base : bases) {
        auto doc = without_member(base, t.steps, t.name);
        if (!doc) doc = absent_member(base, t.steps, t.name);
        if (doc && is_counterexample(*doc)) return keep(std::move(*doc), &d);
      }
      return;
    }
    // The member itself left out (a property that became required through a subschema).
    if (!t.steps.empty() && t.steps.back().kind == Step::Kind::kKey) {
      std::vector<Step> parent(t.steps.begin(), t.steps.end() - 1);
      for (const json::value& base : bases) {
        auto doc = without_member(base, parent, t.steps.back().key);
        if (!doc) doc = absent_member(base, parent, t.steps.back().key);
        if (doc && is_counterexample(*doc)) return keep(std::move(*doc), &d);
      }
    }
    const std::vector<json::value> values =
        probes_for(accepted_json_, t.old_schema, t.new_schema, options_.seed);
    for (const json::value& base : bases) {
      bool reached = false;
      for (const json::value& value : values) {
        auto doc = with_value(base, t, value);
        if (!doc) break;
        reached = true;
        if (is_counterexample(*doc)) return keep(std::move(*doc), &d);
      }
      if (reached && out_of_time()) return;
    }
  }

  void random_phase() {
    std::set<std::string> names;
    collect_property_names(rejected_json_, names, 0);
    GenerateOptions g;
    g.seed = options_.seed + 7919;
    g.extra_property_names.assign(names.begin(), names.end());
    InstanceGenerator generator(accepted_json_, g);
    for (int i = 0; i < options_.max_random_documents && found_.size() < 3; ++i) {
      if ((i & 15) == 15 && out_of_time()) break;
      json::value doc = generator.next();
      if (is_counterexample(doc)) keep(std::move(doc), nullptr);
    }
  }

  // Leaves out members and items, and replaces values by simpler ones, while the document stays
  // a counterexample; a bounded number of validations.
  json::value shrink(json::value doc) {
    int budget = 600;
    const bool keep_formats = formats_ != nullptr && formats_->is_valid(doc);
    auto still = [&](const json::value& candidate) {
      return is_counterexample(candidate) && (!keep_formats || formats_->is_valid(candidate));
    };
    bool changed = true;
    while (changed && budget > 0) {
      changed = false;
      std::vector<std::vector<Step>> all;
      std::vector<Step> prefix;
      places(doc, prefix, all);
      for (const auto& steps : all) {
        if (steps.empty() || budget <= 0) continue;
        json::value candidate = doc;
        json::value* parent = walk(candidate, steps, steps.size() - 1);
        if (parent == nullptr) continue;
        const Step& last = steps.back();
        if (last.kind == Step::Kind::kKey) {
          parent->get_object().erase(last.key);
        } else {
          json::array& items = parent->get_array();
          items.erase(items.begin() + static_cast<std::ptrdiff_t>(last.index));
        }
        --budget;
        if (still(candidate)) {
          doc = std::move(candidate);
          changed = true;
          break;
        }
      }
      if (changed) continue;
      for (const auto& steps : all) {
        if (budget <= 0 || changed) break;
        const json::value* current = walk(doc, steps, steps.size());
        if (current == nullptr) continue;
        for (const json::value& simple : simpler(*current)) {
          json::value candidate = doc;
          *walk(candidate, steps, steps.size()) = simple;
          --budget;
          if (still(candidate)) {
            doc = std::move(candidate);
            changed = true;
            break;
          }
        }
      }
    }
    return doc;
  }

  const CompiledSchema& accepted_;
  const json::value& accepted_json_;
  const CompiledSchema& rejected_;
  const json::value& rejected_json_;
  const CounterexampleOptions& options_;
  // The accepting schema with `format` asserted: answers that respect it read better ("a
  // date-time" stays one), so shrinking keeps it when the document had it.
  const CompiledSchema* formats_;
  Clock::time_point start_;
  std::vector<std::pair<json::value, std::string>> found_;
  int checks_ = 0;
};

// `schema` with each `$ref` that names a registry reference replaced by that schema (a few
// levels deep), so that the generator and the targeted edits can see into it. Only the search
// reads this copy; the validator resolves the references itself.
json::value inline_references(const json::value& schema, const References* references, int depth) {
  if (references == nullptr || references->empty() || depth > 8) return schema;
  if (schema.is_object()) {
    const json::object& o = schema.get_object();
    if (const json::value* ref = o.if_contains("$ref"); ref && ref->is_string()) {
      auto it = references->find(std::string_view(ref->get_string()));
      if (it != references->end()) return inline_references(it->second, references, depth + 1);
    }
    json::object out;
    for (const auto& [key, value] : o) out[key] = inline_references(value, references, depth);
    return out;
  }
  if (schema.is_array()) {
    json::array out;
    for (const auto& item : schema.get_array()) {
      out.push_back(inline_references(item, references, depth));
    }
    return out;
  }
  return schema;
}

Resolver resolver_for(const References* references) {
  if (references == nullptr) return {};
  return [references](std::string_view uri) -> std::optional<json::value> {
    auto it = references->find(uri);
    if (it == references->end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

std::optional<Counterexample> find_counterexample(const CompiledSchema& accepted,
                                                  const json::value& accepted_json,
                                                  const CompiledSchema& rejected,
                                                  const json::value& rejected_json,
                                                  const CounterexampleOptions& options) {
  std::vector<Difference> own;
  const std::vector<Difference>* differences = options.differences;
  if (differences == nullptr) {
    DiffOptions diff_options;
    diff_options.default_draft = options.default_draft;
    diff_options.original_references = options.accepted_references;
    diff_options.update_references = options.rejected_references;
    auto found = diff(accepted_json, rejected_json, diff_options);
    if (found.ok()) own = std::move(*found);
    differences = &own;
  }
  const json::value accepted_seen =
      inline_references(accepted_json, options.accepted_references, 0);
  const json::value rejected_seen =
      inline_references(rejected_json, options.rejected_references, 0);
  CompileOptions with_formats;
  with_formats.default_draft = options.default_draft;
  with_formats.resolve = resolver_for(options.accepted_references);
  with_formats.assert_formats = true;
  auto formats = compile(accepted_json, with_formats);
  return Search(accepted, accepted_seen, rejected, rejected_seen, options,
                formats.ok() ? formats->get() : nullptr)
      .run(*differences);
}

Result<std::optional<Counterexample>> find_counterexample(const json::value& accepted_by,
                                                          const json::value& rejected_by,
                                                          const CounterexampleOptions& options) {
  CompileOptions compile_options;
  compile_options.default_draft = options.default_draft;
  compile_options.resolve = resolver_for(options.accepted_references);
  SG_ASSIGN_OR_RETURN(CompiledSchemaPtr accepted, compile(accepted_by, compile_options));
  compile_options.resolve = resolver_for(options.rejected_references);
  SG_ASSIGN_OR_RETURN(CompiledSchemaPtr rejected, compile(rejected_by, compile_options));
  return find_counterexample(*accepted, accepted_by, *rejected, rejected_by, options);
}

}  // namespace sg::jsonschema
