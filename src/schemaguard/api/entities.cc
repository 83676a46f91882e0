#include "schemaguard/api/entities.h"

#include <fmt/format.h>

#include <array>
#include <boost/json/parse.hpp>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "schemaguard/model/schema_type.h"
#include "schemaguard/registry/identity.h"

namespace sg::api {
namespace {

using boost::json::object;
using boost::json::value;

// Rule.NAME_MAX_LENGTH.
constexpr std::size_t kRuleNameMaxLength = 256;

// --- Metadata ---------------------------------------------------------------------------------

Result<std::vector<std::string>> read_string_list(const value& list, std::string_view java_type) {
  if (!list.is_array()) return mismatch(java_type, list);
  std::vector<std::string> out;
  for (const value& element : list.get_array()) {
    if (element.is_null()) continue;
    SG_ASSIGN_OR_RETURN(std::string text, coerce_string(element));
    out.push_back(std::move(text));
  }
  return out;
}

Result<std::map<std::string, std::string>> read_string_map(const value& map) {
  if (!map.is_object()) return mismatch("Map", map);
  std::map<std::string, std::string> out;
  for (const auto& member : map.get_object()) {
    if (member.value().is_null()) continue;
    SG_ASSIGN_OR_RETURN(std::string text, coerce_string(member.value()));
    out[std::string(member.key())] = std::move(text);
  }
  return out;
}

void write_string_map(JsonWriter& out, const std::map<std::string, std::string>& map) {
  out.begin_object();
  for (const auto& [key, text] : map) out.key(key).string(text);
  out.end_object();
}

void write_string_set(JsonWriter& out, const std::set<std::string>& set) {
  out.begin_array();
  for (const std::string& text : set) out.string(text);
  out.end_array();
}

// --- RuleSet ----------------------------------------------------------------------------------

constexpr std::array<std::string_view, 2> kRuleKinds = {"TRANSFORM", "CONDITION"};
constexpr std::array<std::string_view, 6> kRuleModes = {"UPGRADE", "DOWNGRADE", "UPDOWN",
                                                        "WRITE",   "READ",      "WRITEREAD"};
constexpr std::array<std::string_view, 5> kExecutionEnvironments = {"ALL", "CLIENT", "GATEWAY",
                                                                    "SERVER", "NONE"};

struct Rule {
  std::optional<std::string> name;
  std::optional<std::string> doc;
  std::string kind = "TRANSFORM";  // Rule's constructor defaults
  std::string mode = "WRITEREAD";
  std::optional<std::string> type;
  std::set<std::string> tags;
  std::map<std::string, std::string> params;
  std::optional<std::string> expr;
  std::optional<std::string> on_success;
  std::optional<std::string> on_failure;
  bool disabled = false;
};

struct RuleSet {
  std::vector<Rule> migration_rules;
  std::vector<Rule> domain_rules;
  std::vector<Rule> encoding_rules;
  std::optional<std::string> enable_at;
};

// Jackson maps enums by their exact (case-sensitive) name.
template <std::size_t N>
Result<std::optional<std::string>> read_enum(const object& from, std::string_view name,
                                             std::string_view java_type,
                                             const std::array<std::string_view, N>& values) {
  const value* found = from.if_contains(name);
  if (found == nullptr || found->is_null()) return std::optional<std::string>();
  if (found->is_string()) {
    const std::string_view text(found->get_string().data(), found->get_string().size());
    for (std::string_view candidate : values) {
      if (text == candidate) return std::optional<std::string>(std::string(text));
    }
    std::string accepted;
    for (std::string_view candidate : values) {
      accepted += accepted.empty() ? "" : ", ";
      accepted += candidate;
    }
    return framework_failure(
        400, fmt::format("Cannot deserialize value of type `{}` from String \"{}\": not one of "
                         "the values accepted for Enum class: [{}]",
                         java_type, text, accepted));
  }
  return mismatch(java_type, *found);
}

Result<Rule> read_rule(const value& from) {
  if (!from.is_object()) return mismatch("Rule", from);
  const object& fields = from.get_object();
  Rule rule;
  SG_ASSIGN_OR_RETURN(rule.name, read_string(fields, "name"));
  SG_ASSIGN_OR_RETURN(rule.doc, read_string(fields, "doc"));
  SG_ASSIGN_OR_RETURN(auto kind, read_enum(fields, "kind", "RuleKind", kRuleKinds));
  if (kind) rule.kind = *kind;
  SG_ASSIGN_OR_RETURN(auto mode, read_enum(fields, "mode", "RuleMode", kRuleModes));
  if (mode) rule.mode = *mode;
  SG_ASSIGN_OR_RETURN(rule.type, read_string(fields, "type"));
  if (const value* tags = fields.if_contains("tags"); tags && !tags->is_null()) {
    SG_ASSIGN_OR_RETURN(auto list, read_string_list(*tags, "Set"));
    rule.tags.insert(list.begin(), list.end());
  }
  if (const value* params = fields.if_contains("params"); params && !params->is_null()) {
    SG_ASSIGN_OR_RETURN(rule.params, read_string_map(*params));
  }
  SG_ASSIGN_OR_RETURN(rule.expr, read_string(fields, "expr"));
  SG_ASSIGN_OR_RETURN(rule.on_success, read_string(fields, "onSuccess"));
  SG_ASSIGN_OR_RETURN(rule.on_failure, read_string(fields, "onFailure"));
  SG_ASSIGN_OR_RETURN(auto disabled, read_bool(fields, "disabled"));
  rule.disabled = disabled.value_or(false);
  return rule;
}

Result<std::vector<Rule>> read_rules(const object& from, std::string_view name) {
  std::vector<Rule> rules;
  const value* list = from.if_contains(name);
  if (list == nullptr || list->is_null()) return rules;
  if (!list->is_array()) return mismatch("List", *list);
  for (const value& element : list->get_array()) {
    SG_ASSIGN_OR_RETURN(Rule rule, read_rule(element));
    rules.push_back(std::move(rule));
  }
  return rules;
}

void write_rule(JsonWriter& out, const Rule& rule) {
  out.begin_object();
  if (rule.name) out.key("name").string(*rule.name);
  if (rule.doc && !rule.doc->empty()) out.key("doc").string(*rule.doc);
  out.key("kind").string(rule.kind);
  out.key("mode").string(rule.mode);
  if (rule.type && !rule.type->empty()) out.key("type").string(*rule.type);
  if (!rule.tags.empty()) write_string_set(out.key("tags"), rule.tags);
  if (!rule.params.empty()) write_string_map(out.key("params"), rule.params);
  if (rule.expr && !rule.expr->empty()) out.key("expr").string(*rule.expr);
  if (rule.on_success && !rule.on_success->empty()) out.key("onSuccess").string(*rule.on_success);
  if (rule.on_failure && !rule.on_failure->empty()) out.key("onFailure").string(*rule.on_failure);
  // A primitive boolean: NON_EMPTY keeps `false`.
  out.key("disabled").boolean(rule.disabled);
  out.end_object();
}

bool is_name_start(char c) {
  const auto byte = static_cast<unsigned char>(c);
  // Non-ASCII bytes: Character.isLetter holds for most of what a rule name would use.
  return std::isalpha(byte) != 0 || c == '_' || byte >= 0x80;
}

bool is_name_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return std::isalnum(byte) != 0 || c == '_' || c == '-' || byte >= 0x80;
}

// Rule.validate().
std::optional<std::string> rule_problem(const Rule& rule) {
  if (!rule.name) return "Missing rule name";
  const std::string& name = *rule.name;
  if (name.empty()) return "Empty rule name";
  if (name.size() > kRuleNameMaxLength) return "Rule name too long";
  if (!is_name_start(name.front())) return "Illegal initial character in rule name: " + name;
  for (char c : std::string_view(name).substr(1)) {
    if (!is_name_char(c)) return "Illegal character in rule name: " + name;
  }
  if (!rule.type) return "Missing rule type";
  const bool multiple_actions_allowed = rule.mode == "WRITEREAD" || rule.mode == "UPDOWN";
  for (const auto& action : {rule.on_success, rule.on_failure}) {
    if (!multiple_actions_allowed && action && action->find(',') != std::string::npos) {
      return "Multiple actions only valid with WRITEREAD and UPDOWN";
    }
  }
  return std::nullopt;
}

// RuleSet.validate().
std::optional<std::string> rule_set_problem(const RuleSet& rules) {
  std::set<std::string> names;
  auto check = [&](const std::vector<Rule>& list, bool migration,
                   std::string_view mode_error) -> std::optional<std::string> {
    for (const Rule& rule : list) {
      const std::string name = rule.name.value_or("null");
      if (!names.insert(name).second) return "Found rule with duplicate name '" + name + "'";
      if (auto problem = rule_problem(rule)) return problem;
      const bool migration_mode =
          rule.mode == "UPGRADE" || rule.mode == "DOWNGRADE" || rule.mode == "UPDOWN";
      if (migration != migration_mode) return std::string(mode_error);
    }
    return std::nullopt;
  };
  if (auto problem = check(rules.migration_rules, true,
                           "Migration rules can only be UPGRADE, DOWNGRADE, "
                           "UPDOWN")) {
    return problem;
  }
  if (auto problem =
          check(rules.domain_rules, false, "Domain rules can only be WRITE, READ, WRITEREAD")) {
    return problem;
  }
  return check(rules.encoding_rules, false, "Encoding rules can only be WRITE, READ, WRITEREAD");
}

// --- Config -----------------------------------------------------------------------------------

// Confluent's Config members in the order its server writes them; the level is the one member
// whose name differs between Config and ConfigUpdateRequest.
constexpr std::array<std::string_view, 13> kConfigMembers = {"alias",
                                                             "aliasForDeks",
                                                             "normalize",
                                                             "validateFields",
                                                             "validateNewSchemas",
                                                             "validateRules",
                                                             "compatibilityLevel",
                                                             "compatibilityPolicy",
                                                             "compatibilityGroup",
                                                             "defaultMetadata",
                                                             "overrideMetadata",
                                                             "defaultRuleSet",
                                                             "overrideRuleSet"};

// A member that ConfigUpdate has no field for: read with its Java type, as compact JSON.
Result<std::optional<std::string>> read_extra_member(const value& member, std::string_view name) {
  if (member.is_null()) return std::optional<std::string>();
  JsonWriter out;
  if (name == "aliasForDeks") {
    SG_ASSIGN_OR_RETURN(std::string text, coerce_string(member));
    out.string(text);
  } else if (name == "validateNewSchemas" || name == "validateRules") {
    SG_ASSIGN_OR_RETURN(bool flag, coerce_bool(member));
    out.boolean(flag);
  } else if (name == "defaultMetadata" || name == "overrideMetadata") {
    SG_ASSIGN_OR_RETURN(std::string json, canonical_metadata(member));
    out.raw(json);
  } else {  // defaultRuleSet, overrideRuleSet
    SG_ASSIGN_OR_RETURN(CanonicalRuleSet rules, canonical_rule_set(member));
    if (rules.invalid) return *rules.invalid;
    out.raw(rules.json);
  }
  return std::optional<std::string>(out.take());
}

template <typename T>
Result<service::Update<T>> read_update(const object& body, std::string_view name,
                                       Result<T> (*coerce)(const value&)) {
  const value* member = body.if_contains(name);
  if (member == nullptr) return service::Update<T>();
  if (member->is_null()) return service::Update<T>(std::optional<T>());
  SG_ASSIGN_OR_RETURN(T coerced, coerce(*member));
  return service::Update<T>(std::optional<T>(std::move(coerced)));
}

void write_references(JsonWriter& out, const std::vector<service::SchemaReference>& references) {
  out.begin_array();
  for (const auto& reference : references) {
    out.begin_object()
        .key("name")
        .string(reference.name)
        .key("subject")
        .string(reference.subject)
        .key("version")
        .number(reference.version)
        .end_object();
  }
  out.end_array();
}

// guid, schemaType, references, metadata, ruleSet: shared by every schema entity, in the order
// Schema and RegisterSchemaResponse write them (SchemaString puts `schema` first; see there).
void write_type_and_guid(JsonWriter& out, const registry::StoredSchema& schema) {
  if (const auto& guid = schema.guid()) out.key("guid").string(*guid);
  out.key("schemaType").string(to_string(schema.type));
}

void write_extras(JsonWriter& out, const registry::StoredSchema& schema) {
  if (!schema.references.empty()) write_references(out.key("references"), schema.references);
  if (schema.metadata) out.key("metadata").raw(*schema.metadata);
  if (schema.rule_set) out.key("ruleSet").raw(*schema.rule_set);
}

}  // namespace

// --- Requests ---------------------------------------------------------------------------------

Result<std::string> canonical_metadata(const value& from) {
  if (!from.is_object()) return mismatch("Metadata", from);
  const object& fields = from.get_object();
  std::map<std::string, std::set<std::string>> tags;
  std::map<std::string, std::string> properties;
  std::set<std::string> sensitive;
  if (const value* member = fields.if_contains("tags"); member && !member->is_null()) {
    if (!member->is_object()) return mismatch("Map", *member);
    for (const auto& tag : member->get_object()) {
      std::set<std::string>& paths = tags[std::string(tag.key())];
      if (tag.value().is_null()) continue;
      SG_ASSIGN_OR_RETURN(auto list, read_string_list(tag.value(), "Set"));
      paths.insert(list.begin(), list.end());
    }
  }
  if (const value* member = fields.if_contains("properties"); member && !member->is_null()) {
    SG_ASSIGN_OR_RETURN(properties, read_string_map(*member));
  }
  if (const value* member = fields.if_contains("sensitive"); member && !member->is_null()) {
    SG_ASSIGN_OR_RETURN(auto list, read_string_list(*member, "Set"));
    sensitive.insert(list.begin(), list.end());
  }
  JsonWriter out;
  out.begin_object();
  if (!tags.empty()) {
    out.key("tags").begin_object();
    for (const auto& [tag, paths] : tags) write_string_set(out.key(tag), paths);
    out.end_object();
  }
  if (!properties.empty()) write_string_map(out.key("properties"), properties);
  if (!sensitive.empty()) write_string_set(out.key("sensitive"), sensitive);
  out.end_object();
  return out.take();
}

Result<CanonicalRuleSet> canonical_rule_set(const value& from) {
  if (!from.is_object()) return mismatch("RuleSet", from);
  const object& fields = from.get_object();
  RuleSet rules;
  SG_ASSIGN_OR_RETURN(rules.migration_rules, read_rules(fields, "migrationRules"));
  SG_ASSIGN_OR_RETURN(rules.domain_rules, read_rules(fields, "domainRules"));
  SG_ASSIGN_OR_RETURN(rules.encoding_rules, read_rules(fields, "encodingRules"));
  SG_ASSIGN_OR_RETURN(rules.enable_at, read_enum(fields, "enableAt", "ExecutionEnvironment",
                                                 kExecutionEnvironments));
  JsonWriter out;
  out.begin_object();
  const std::pair<std::string_view, const std::vector<Rule>*> lists[] = {
      {"migrationRules", &rules.migration_rules},
      {"domainRules", &rules.domain_rules},
      {"encodingRules", &rules.encoding_rules}};
  for (const auto& [name, list] : lists) {
    if (list->empty()) continue;
    out.key(name).begin_array();
    for (const Rule& rule : *list) write_rule(out, rule);
    out.end_array();
  }
  if (rules.enable_at) out.key("enableAt").string(*rules.enable_at);
  out.end_object();
  CanonicalRuleSet canonical;
  canonical.json = out.take();
  if (auto problem = rule_set_problem(rules)) {
    canonical.invalid = Error(ErrorCode::kInvalidRuleSet, *problem);
  }
  return canonical;
}

Result<SchemaRequest> parse_schema_request(std::string_view body, std::string_view parameter) {
  SG_ASSIGN_OR_RETURN(auto entity, parse_entity(body, "RegisterSchemaRequest"));
  if (!entity) return missing_entity(parameter);
  const object& fields = *entity;
  SchemaRequest request;
  service::SchemaInput& input = request.input;

  SG_ASSIGN_OR_RETURN(auto schema, read_string(fields, "schema"));
  input.schema = schema.value_or("");
  SG_ASSIGN_OR_RETURN(auto type, read_string(fields, "schemaType"));
  if (type) {
    if (auto known = schema_type_from_string(*type)) {
      input.type = *known;
    } else {
      request.invalid_type = Error(ErrorCode::kInvalidSchema, "Invalid schema type " + *type);
    }
  }
  if (const value* references = fields.if_contains("references");
      references && !references->is_null()) {
    if (!references->is_array()) return mismatch("List", *references);
    for (const value& element : references->get_array()) {
      if (!element.is_object()) return mismatch("SchemaReference", element);
      const object& reference = element.get_object();
      SG_ASSIGN_OR_RETURN(auto name, read_string(reference, "name"));
      SG_ASSIGN_OR_RETURN(auto subject, read_string(reference, "subject"));
      SG_ASSIGN_OR_RETURN(auto version, read_int(reference, "version"));
      if (!name || !subject || !version) {
        return Error(ErrorCode::kInvalidSchema,
                     "Invalid schema: every reference needs a name, a subject and a version");
      }
      input.references.push_back(service::SchemaReference{*name, *subject, *version});
    }
  }
  if (const value* metadata = fields.if_contains("metadata"); metadata && !metadata->is_null()) {
    SG_ASSIGN_OR_RETURN(std::string canonical, canonical_metadata(*metadata));
    input.metadata = std::move(canonical);
  }
  // RegisterSchemaRequest reads `ruleSet`; the Schema entity's creator spells it `ruleset`, and
  // clients that post a Schema send that.
  const value* rule_set = fields.if_contains("ruleSet");
  if (rule_set == nullptr || rule_set->is_null()) rule_set = fields.if_contains("ruleset");
  if (rule_set != nullptr && !rule_set->is_null()) {
    SG_ASSIGN_OR_RETURN(CanonicalRuleSet canonical, canonical_rule_set(*rule_set));
    input.rule_set = std::move(canonical.json);
    request.invalid_rule_set = std::move(canonical.invalid);
  }
  SG_ASSIGN_OR_RETURN(input.version, read_int(fields, "version"));
  SG_ASSIGN_OR_RETURN(input.id, read_int(fields, "id"));
  return request;
}

Result<service::ConfigUpdate> parse_config_update(std::string_view body) {
  SG_ASSIGN_OR_RETURN(auto entity, parse_entity(body, "ConfigUpdateRequest"));
  if (!entity) return missing_entity("updateSubjectLevelConfig.request");
  const object& fields = *entity;
  service::ConfigUpdate update;
  SG_ASSIGN_OR_RETURN(update.compatibility_level,
                      read_update<std::string>(fields, "compatibility", &coerce_string));
  SG_ASSIGN_OR_RETURN(update.normalize, read_update<bool>(fields, "normalize", &coerce_bool));
  SG_ASSIGN_OR_RETURN(update.compatibility_group,
                      read_update<std::string>(fields, "compatibilityGroup", &coerce_string));
  SG_ASSIGN_OR_RETURN(update.compatibility_policy,
                      read_update<std::string>(fields, "compatibilityPolicy", &coerce_string));
  SG_ASSIGN_OR_RETURN(update.validate_fields,
                      read_update<bool>(fields, "validateFields", &coerce_bool));
  SG_ASSIGN_OR_RETURN(update.alias, read_update<std::string>(fields, "alias", &coerce_string));
  for (std::string_view name :
       {"aliasForDeks", "validateNewSchemas", "validateRules", "defaultMetadata",
        "overrideMetadata", "defaultRuleSet", "overrideRuleSet"}) {
    const value* member = fields.if_contains(name);
    if (member == nullptr) continue;
    SG_ASSIGN_OR_RETURN(auto json, read_extra_member(*member, name));
    update.extra.emplace_back(std::string(name), std::move(json));
  }
  return update;
}

Result<std::optional<std::string>> parse_mode_update(std::string_view body) {
  SG_ASSIGN_OR_RETURN(auto entity, parse_entity(body, "ModeUpdateRequest"));
  if (!entity) return missing_entity("updateMode.request");
  if (!entity->contains("mode")) {
    return Error(ErrorCode::kInvalidMode, "Invalid mode: the request has no `mode` member");
  }
  return read_string(*entity, "mode");
}

// --- Responses --------------------------------------------------------------------------------

void write_schema(JsonWriter& out, const service::VersionInfo& version,
                  const std::optional<std::string>& schema_text) {
  const registry::StoredSchema& schema = *version.schema;
  out.begin_object();
  out.key("subject").string(version.subject);
  out.key("version").number(version.version);
  out.key("id").number(schema.id);
  write_type_and_guid(out, schema);
  write_extras(out, schema);
  out.key("schema").string(schema_text ? *schema_text : schema.schema);
  out.key("deleted").boolean(version.deleted);
  out.end_object();
}

std::string schema_entity(const service::VersionInfo& version,
                          const std::optional<std::string>& schema_text) {
  JsonWriter out;
  write_schema(out, version, schema_text);
  return out.take();
}

std::string schema_string_entity(const registry::StoredSchema& schema,
                                 const SchemaStringFields& fields) {
  JsonWriter out;
  out.begin_object();
  if (fields.use) {
    out.key("subject").string(fields.use->subject);
    out.key("version").number(fields.use->version);
  }
  write_type_and_guid(out, schema);
  out.key("schema").string(fields.schema_text ? *fields.schema_text : schema.schema);
  write_extras(out, schema);
  if (fields.max_id) out.key("maxId").number(*fields.max_id);
  if (fields.use) out.key("deleted").boolean(fields.use->deleted);
  out.end_object();
  return out.take();
}

std::string register_response(const service::VersionInfo& version) {
  const registry::StoredSchema& schema = *version.schema;
  JsonWriter out;
  out.begin_object();
  out.key("id").number(schema.id);
  if (version.version > 0) out.key("version").number(version.version);
  write_type_and_guid(out, schema);
  write_extras(out, schema);
  out.key("schema").string(schema.schema);
  out.end_object();
  return out.take();
}

std::string config_entity(const registry::ConfigRecord& config, ConfigForm form) {
  // Members SchemaGuard does not interpret live in `extra`, as a JSON object.
  object extra;
  if (config.extra) {
    boost::system::error_code ec;
    value parsed = boost::json::parse(*config.extra, ec);
    if (!ec && parsed.is_object()) extra = std::move(parsed.get_object());
  }
  JsonWriter out;
  out.begin_object();
  for (std::string_view name : kConfigMembers) {
    if (name == "compatibilityLevel") {
      if (config.compatibility_level) {
        out.key(form == ConfigForm::kConfig ? "compatibilityLevel" : "compatibility")
            .string(*config.compatibility_level);
      }
    } else if (name == "alias") {
      if (config.alias) out.key(name).string(*config.alias);
    } else if (name == "normalize") {
      if (config.normalize) out.key(name).boolean(*config.normalize);
    } else if (name == "validateFields") {
      if (config.validate_fields) out.key(name).boolean(*config.validate_fields);
    } else if (name == "compatibilityPolicy") {
      if (config.compatibility_policy) out.key(name).string(*config.compatibility_policy);
    } else if (name == "compatibilityGroup") {
      if (config.compatibility_group) out.key(name).string(*config.compatibility_group);
    } else if (const value* member = extra.if_contains(name); member && !member->is_null()) {
      write_value(out.key(name), *member);
    }
  }
  // Members of a newer Confluent version, read from the log: kept, after the known ones.
  for (const auto& member : extra) {
    bool known = false;
    for (std::string_view name : kConfigMembers) known = known || member.key() == name;
    if (!known && !member.value().is_null()) {
      write_value(out.key(member.key()), member.value());
    }
  }
  out.end_object();
  return out.take();
}

}  // namespace sg::api
