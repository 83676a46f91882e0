#include "schemaguard/registry/identity.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "schemaguard/base/digest.h"

namespace sg::registry {
namespace {

namespace json = boost::json;

// --- Java String order ------------------------------------------------------------------------
// Confluent sorts with TreeMap/TreeSet, i.e. by UTF-16 code units. That equals code point order
// except that U+E000..U+FFFF sort after supplementary characters (whose high surrogates are
// 0xD800..0xDBFF). Inputs are valid UTF-8: Boost.JSON validated them.

std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(s[i++]);
  int extra = 0;
  std::uint32_t cp = lead;
  if (lead >= 0xF0) {
    extra = 3;
    cp = lead & 0x07u;
  } else if (lead >= 0xE0) {
    extra = 2;
    cp = lead & 0x0Fu;
  } else if (lead >= 0xC0) {
    extra = 1;
    cp = lead & 0x1Fu;
  }
  for (; extra > 0 && i < s.size(); --extra) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3Fu);
  }
  return cp;
}

// A weight whose order is the order of the code point's first UTF-16 unit (ties between two
// supplementary characters resolve the same way their surrogate pairs would).
std::uint32_t java_weight(std::uint32_t cp) {
  return cp >= 0xE000 && cp <= 0xFFFF ? cp + 0x110000 : cp;
}

bool java_less(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const std::uint32_t x = java_weight(next_code_point(a, i));
    const std::uint32_t y = java_weight(next_code_point(b, j));
    if (x != y) return x < y;
  }
  return i == a.size() && j < b.size();
}

// --- Reading the data-contract JSON the way Jackson binds it ------------------------------------

using StringPairs = std::vector<std::pair<std::string, std::string>>;

// Where errors go: the code and the name of the document ("metadata", "ruleSet").
struct Source {
  ErrorCode code;
  std::string_view name;

  Error error(std::string_view where, std::string_view problem) const {
    return Error(code, std::string(name) + "." + std::string(where) + " " + std::string(problem));
  }
};

const json::value* member(const json::object& object, std::string_view key) {
  return object.if_contains(key);
}

bool is_null(const json::value* value) {
  return value == nullptr || value->is_null();
}

// A String-typed member: absent/null -> nullopt; integers and booleans are coerced to their text
// as Jackson's StringDeserializer does; floating-point numbers are refused because their original
// text (which Jackson would use) is not kept by the parser.
Result<std::optional<std::string>> optional_string(const json::value* value, const Source& source,
                                                   std::string_view where) {
  if (is_null(value)) return std::optional<std::string>();
  switch (value->kind()) {
    case json::kind::string: return std::optional<std::string>(std::string(value->get_string()));
    case json::kind::int64: return std::optional<std::string>(std::to_string(value->get_int64()));
    case json::kind::uint64: return std::optional<std::string>(std::to_string(value->get_uint64()));
    case json::kind::bool_: return std::optional<std::string>(value->get_bool() ? "true" : "false");
    default: return source.error(where, "must be a string");
  }
}

// A String element or map value that Java would later dereference: null is an error there.
Result<std::string> required_string(const json::value* value, const Source& source,
                                    std::string_view where) {
  SG_ASSIGN_OR_RETURN(std::optional<std::string> text, optional_string(value, source, where));
  if (!text) return source.error(where, "must not be null");
  return std::move(*text);
}

// A Set<String>, as a TreeSet: distinct and in Java order. Absent/null -> empty.
Result<std::vector<std::string>> string_set(const json::value* value, const Source& source,
                                            std::string_view where) {
  std::vector<std::string> out;
  if (is_null(value)) return out;
  if (!value->is_array()) return source.error(where, "must be an array of strings");
  for (const json::value& element : value->get_array()) {
    SG_ASSIGN_OR_RETURN(std::string text, required_string(&element, source, where));
    out.push_back(std::move(text));
  }
  std::sort(out.begin(), out.end(), java_less);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// A Map<String, String>, as a TreeMap: in Java key order. Absent/null -> empty. (Duplicate JSON
// keys keep the last value, in Boost.JSON as in Jackson.)
Result<StringPairs> string_map(const json::value* value, const Source& source,
                               std::string_view where) {
  StringPairs out;
  if (is_null(value)) return out;
  if (!value->is_object()) return source.error(where, "must be an object of strings");
  for (const json::key_value_pair& entry : value->get_object()) {
    const std::string key(entry.key());
    SG_ASSIGN_OR_RETURN(std::string text,
                        required_string(&entry.value(), source, std::string(where) + "." + key));
    out.emplace_back(key, std::move(text));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return java_less(a.first, b.first); });
  return out;
}

// An enum member: absent/null -> `fallback` (empty: nothing); otherwise one of `names`, exactly.
template <std::size_t N>
Result<std::string> enum_name(const json::value* value,
                              const std::array<std::string_view, N>& names,
                              std::string_view fallback, const Source& source,
                              std::string_view where) {
  if (is_null(value)) return std::string(fallback);
  if (value->is_string()) {
    const std::string_view text(value->get_string());
    for (std::string_view name : names) {
      if (text == name) return std::string(text);
    }
  }
  return source.error(where, "is not a valid value: " + json::serialize(*value));
}

// Parses a data-contract document. nullopt when absent or JSON `null` (Java's null field).
Result<std::optional<json::object>> parse_document(const std::optional<std::string>& text,
                                                   const Source& source) {
  if (!text) return std::optional<json::object>();
  json::parse_options options;
  options.max_depth = 64;
  std::error_code ec;
  json::value value;
  try {
    value = json::parse(*text, ec, json::storage_ptr(), options);
  } catch (const std::exception& e) {
    return Error(source.code, std::string(source.name) + " could not be parsed: " + e.what());
  }
  if (ec) return Error(source.code, std::string(source.name) + " is not JSON: " + ec.message());
  if (value.is_null()) return std::optional<json::object>();
  if (!value.is_object())
    return Error(source.code, std::string(source.name) + " must be an object");
  return std::optional<json::object>(std::move(value.get_object()));
}

// --- Feeding the digest -------------------------------------------------------------------------

constexpr char kPresent = '\x01';  // marks "present" (metadata, rule set) and a disabled rule

void put_int32(std::string& out, int value) {
  const auto bits = static_cast<std::uint32_t>(value);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((bits >> shift) & 0xFFu));
  }
}

Status hash_metadata(const json::object& metadata, std::string& out) {
  const Source source{ErrorCode::kInvalidSchema, "metadata"};
  if (const json::value* tags = member(metadata, "tags"); !is_null(tags)) {
    if (!tags->is_object()) return source.error("tags", "must be an object of string arrays");
    std::vector<std::pair<std::string, const json::value*>> entries;
    for (const json::key_value_pair& entry : tags->get_object()) {
      entries.emplace_back(std::string(entry.key()), &entry.value());
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return java_less(a.first, b.first); });
    for (const auto& [key, values] : entries) {
      const std::string where = "tags." + key;
      if (values->is_null()) return source.error(where, "must not be null");
      SG_ASSIGN_OR_RETURN(std::vector<std::string> set, string_set(values, source, where));
      out += key;
      for (const std::string& v : set) out += v;
    }
  }
  SG_ASSIGN_OR_RETURN(StringPairs properties,
                      string_map(member(metadata, "properties"), source, "properties"));
  for (const auto& [key, value] : properties) {
    out += key;
    out += value;
  }
  SG_ASSIGN_OR_RETURN(std::vector<std::string> sensitive,
                      string_set(member(metadata, "sensitive"), source, "sensitive"));
  for (const std::string& name : sensitive) out += name;
  return ok_status();
}

constexpr std::array<std::string_view, 2> kRuleKinds = {"TRANSFORM", "CONDITION"};
constexpr std::array<std::string_view, 6> kRuleModes = {"UPGRADE", "DOWNGRADE", "UPDOWN",
                                                        "WRITE",   "READ",      "WRITEREAD"};
constexpr std::array<std::string_view, 5> kEnableAt = {"ALL", "CLIENT", "GATEWAY", "SERVER",
                                                       "NONE"};

Status hash_rule(const json::object& rule, const std::string& where, std::string& out) {
  const Source source{ErrorCode::kInvalidRuleSet, "ruleSet"};
  const auto text = [&](std::string_view key) -> Status {
    SG_ASSIGN_OR_RETURN(std::optional<std::string> value,
                        optional_string(member(rule, key), source, where + "." + std::string(key)));
    if (value) out += *value;
    return ok_status();
  };
  SG_RETURN_IF_ERROR(text("name"));
  SG_RETURN_IF_ERROR(text("doc"));
  SG_ASSIGN_OR_RETURN(std::string kind, enum_name(member(rule, "kind"), kRuleKinds, "TRANSFORM",
                                                  source, where + ".kind"));
  out += kind;
  SG_ASSIGN_OR_RETURN(std::string mode, enum_name(member(rule, "mode"), kRuleModes, "WRITEREAD",
                                                  source, where + ".mode"));
  out += mode;
  SG_RETURN_IF_ERROR(text("type"));
  SG_ASSIGN_OR_RETURN(std::vector<std::string> tags,
                      string_set(member(rule, "tags"), source, where + ".tags"));
  for (const std::string& tag : tags) out += tag;
  SG_ASSIGN_OR_RETURN(StringPairs params,
                      string_map(member(rule, "params"), source, where + ".params"));
  for (const auto& [key, value] : params) {
    out += key;
    out += value;
  }
  SG_RETURN_IF_ERROR(text("expr"));
  SG_RETURN_IF_ERROR(text("onSuccess"));
  SG_RETURN_IF_ERROR(text("onFailure"));
  const json::value* disabled = member(rule, "disabled");
  if (!is_null(disabled)) {
    if (!disabled->is_bool()) return source.error(where + ".disabled", "must be a boolean");
    if (disabled->get_bool()) out += kPresent;
  }
  return ok_status();
}

Status hash_rule_set(const json::object& rule_set, std::string& out) {
  const Source source{ErrorCode::kInvalidRuleSet, "ruleSet"};
  for (std::string_view list : {"migrationRules", "domainRules", "encodingRules"}) {
    const json::value* rules = member(rule_set, list);
    if (is_null(rules)) continue;
    if (!rules->is_array()) return source.error(list, "must be an array of rules");
    std::size_t index = 0;
    for (const json::value& rule : rules->get_array()) {
      const std::string where = std::string(list) + "[" + std::to_string(index++) + "]";
      if (!rule.is_object()) return source.error(where, "must be a rule object");
      SG_RETURN_IF_ERROR(hash_rule(rule.get_object(), where, out));
    }
  }
  SG_ASSIGN_OR_RETURN(std::string enable_at,
                      enum_name(member(rule_set, "enableAt"), kEnableAt, "", source, "enableAt"));
  out += enable_at;
  return ok_status();
}

}  // namespace

Result<std::array<std::uint8_t, 16>> schema_md5(const SchemaRecord& content) {
  // Parse both documents first so that a bad one fails the same way whatever else is present.
  SG_ASSIGN_OR_RETURN(std::optional<json::object> metadata,
                      parse_document(content.metadata, {ErrorCode::kInvalidSchema, "metadata"}));
  SG_ASSIGN_OR_RETURN(std::optional<json::object> rule_set,
                      parse_document(content.rule_set, {ErrorCode::kInvalidRuleSet, "ruleSet"}));

  std::string bytes = content.schema;
  for (const SchemaReference& reference : content.references) {
    bytes += reference.name;
    bytes += reference.subject;
    put_int32(bytes, reference.version);
  }
  if (metadata) {
    bytes += kPresent;
    SG_RETURN_IF_ERROR(hash_metadata(*metadata, bytes));
  }
  if (rule_set) {
    bytes += kPresent;
    SG_RETURN_IF_ERROR(hash_rule_set(*rule_set, bytes));
  }
  return md5(bytes);
}

Result<std::string> schema_guid(const SchemaRecord& content) {
  SG_ASSIGN_OR_RETURN(auto digest, schema_md5(content));
  return format_uuid(digest);
}

std::string format_uuid(const std::array<std::uint8_t, 16>& bytes) {
  const std::string hex = to_hex(bytes);
  std::string out;
  out.reserve(36);
  std::size_t at = 0;
  constexpr std::array<std::size_t, 5> kGroups = {8, 4, 4, 4, 12};
  for (std::size_t group : kGroups) {
    if (at != 0) out += '-';
    out.append(hex, at, group);
    at += group;
  }
  return out;
}

}  // namespace sg::registry
