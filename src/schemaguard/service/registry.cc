#include "schemaguard/service/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <limits>

#include "schemaguard/registry/view.h"

namespace sg::service {

using registry::DeleteSubjectRecord;
using registry::LogStore;
using registry::Projection;
using registry::Record;
using registry::SchemaRecord;
using registry::SchemaTombstone;
using registry::StoredSchema;
using registry::SubjectState;
using registry::SubjectStatePtr;
using registry::SubjectVersion;
using registry::View;

namespace {

constexpr std::string_view kGlobalContextScope = ":.__GLOBAL:";
// Confluent cuts the old schema's text in compatibility messages at this size.
constexpr std::size_t kOldSchemaMessageLimit = 10 * 1024;
// Registry references form a DAG; this bounds a malicious or corrupt cycle.
constexpr int kMaxReferenceDepth = 64;
// The metadata property Confluent maintains with the version number.
constexpr std::string_view kVersionProperty = "confluent:version";

Error subject_not_found(std::string_view subject) {
  return Error(ErrorCode::kSubjectNotFound, fmt::format("Subject '{}' not found.", subject));
}

Error version_not_found(int version) {
  return Error(ErrorCode::kVersionNotFound, fmt::format("Version {} not found.", version));
}

Error schema_not_found(int id) {
  return Error(ErrorCode::kSchemaNotFound, fmt::format("Schema {} not found", id));
}

// ":.:orders" is "orders" spelled with the default context: one name for one subject.
std::string canonical_subject(std::string_view subject) {
  if (subject.starts_with(":.:")) return std::string(subject.substr(3));
  return std::string(subject);
}

// The config/mode scope a path names: nullopt = global ("" and ":.:" too).
std::optional<std::string> canonical_scope(const std::optional<std::string>& scope) {
  if (!scope || scope->empty() || *scope == ":.:") return std::nullopt;
  return canonical_subject(*scope);
}

// A context-only scope such as ":.ctx:" (a context's config or mode, not a subject's).
bool is_context_scope(std::string_view scope) {
  return scope.size() >= 3 && scope.front() == ':' && scope.back() == ':' &&
         scope.find(':', 1) == scope.size() - 1;
}

std::string describe_scope(const std::optional<std::string>& scope) {
  return scope ? *scope : std::string("__GLOBAL");
}

// The records of DELETE /config and DELETE /mode for a scope.
ConfigRecord config_tombstone(const std::optional<std::string>& scope) {
  ConfigRecord tombstone;
  tombstone.subject = scope;
  tombstone.tombstone = true;
  return tombstone;
}

ModeRecord mode_tombstone(const std::optional<std::string>& scope) {
  ModeRecord tombstone;
  tombstone.subject = scope;
  tombstone.tombstone = true;
  return tombstone;
}

// The scope one level up from a subject: its context's record (the global record for the
// default context).
std::optional<std::string> context_scope_of(std::string_view subject) {
  const std::string context = registry::context_of(subject);
  if (context == ".") return std::nullopt;
  return ":" + context + ":";
}

// A reference's subject is relative to the referring subject's context.
std::string qualify_reference(std::string_view context, const std::string& subject) {
  if (context == "." || (!subject.empty() && subject.front() == ':')) {
    return canonical_subject(subject);
  }
  return ":" + std::string(context) + ":" + subject;
}

// Splits a subject prefix into (context or nullopt for every context, name prefix).
struct SubjectFilter {
  std::optional<std::string> context;
  std::string name_prefix;  // the part after the context qualifier

  bool matches(std::string_view subject) const {
    const std::string subject_context = registry::context_of(subject);
    if (context && subject_context != *context) return false;
    std::string_view name = subject;
    if (subject.starts_with(":.")) name = subject.substr(subject.find(':', 2) + 1);
    return name.starts_with(name_prefix);
  }
};

SubjectFilter parse_subject_prefix(std::string_view prefix) {
  SubjectFilter filter;
  if (prefix.empty()) return filter;  // everything
  if (prefix.starts_with(":*:")) {
    filter.name_prefix = std::string(prefix.substr(3));
    return filter;
  }
  if (prefix.starts_with(":.")) {
    const std::size_t end = prefix.find(':', 2);
    if (end != std::string_view::npos) {
      filter.context = std::string(prefix.substr(1, end - 1));
      filter.name_prefix = std::string(prefix.substr(end + 1));
      return filter;
    }
  }
  filter.context = ".";
  filter.name_prefix = std::string(prefix);
  return filter;
}

bool is_read_only(std::string_view mode) {
  return mode == "READONLY" || mode == "READONLY_OVERRIDE";
}
bool is_import(std::string_view mode) {
  return mode == "IMPORT" || mode == "FORWARD";
}

std::optional<std::string> parse_mode(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::string_view known :
       {"READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT", "FORWARD"}) {
    if (upper == known) return upper;
  }
  return std::nullopt;
}

// Config and mode resolution (rest-api.md §5.5), over a Projection or a View.
template <typename State>
ConfigRecord effective_config(const State& state, const std::optional<std::string>& subject,
                              CompatibilityLevel server_default) {
  std::optional<ConfigRecord> own = subject ? state.config(subject) : std::nullopt;
  const std::optional<std::string> parent_scope =
      subject ? context_scope_of(*subject) : std::nullopt;
  std::optional<ConfigRecord> parent = state.config(parent_scope);
  if (subject && is_context_scope(*subject)) {
    // A context's own record is `own`; its parent is the global record.
    parent = state.config(std::nullopt);
  }
  std::optional<ConfigRecord> global = state.config(std::string(kGlobalContextScope));

  ConfigRecord merged;
  merged.subject = subject;
  auto take = [](ConfigRecord& into, const ConfigRecord& from) {
    if (from.compatibility_level) into.compatibility_level = from.compatibility_level;
    if (from.normalize) into.normalize = from.normalize;
    if (from.compatibility_group) into.compatibility_group = from.compatibility_group;
    if (from.compatibility_policy) into.compatibility_policy = from.compatibility_policy;
    if (from.validate_fields) into.validate_fields = from.validate_fields;
    if (from.alias) into.alias = from.alias;
    if (from.extra) into.extra = from.extra;
  };
  if (global) take(merged, *global);
  if (parent) take(merged, *parent);
  if (own) {
    // Confluent takes the level from the subject's own record alone and fills in the server
    // default when that record has none (not the global level): matched for wire compatibility.
    take(merged, *own);
    merged.compatibility_level = own->compatibility_level;
  }
  if (!merged.compatibility_level)
    merged.compatibility_level = std::string(to_string(server_default));
  return merged;
}

template <typename State>
std::string effective_mode(const State& state, const std::optional<std::string>& subject) {
  if (subject) {
    if (auto own = state.mode(subject)) return own->mode;
    if (!is_context_scope(*subject)) {
      if (auto context = state.mode(context_scope_of(*subject))) return context->mode;
    } else if (auto global = state.mode(std::nullopt)) {
      return global->mode;
    }
  } else if (auto global = state.mode(std::nullopt)) {
    return global->mode;
  }
  if (auto all = state.mode(std::string(kGlobalContextScope))) return all->mode;
  return "READWRITE";
}

CompatibilityLevel level_of(const ConfigRecord& config, CompatibilityLevel fallback) {
  if (!config.compatibility_level) return fallback;
  return compatibility_level_from_string(*config.compatibility_level).value_or(fallback);
}

// Normalize sorts and deduplicates references (rest-api.md §5.9).
std::vector<SchemaReference> normalized_references(std::vector<SchemaReference> references) {
  std::sort(references.begin(), references.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name, a.subject, a.version) < std::tie(b.name, b.subject, b.version);
  });
  references.erase(std::unique(references.begin(), references.end()), references.end());
  return references;
}

std::shared_ptr<StoredSchema> stored_from(const SchemaRecord& record) {
  auto stored = std::make_shared<StoredSchema>();
  stored->context = registry::context_of(record.subject);
  stored->id = record.id;
  stored->type = record.type;
  stored->schema = record.schema;
  stored->references = record.references;
  stored->metadata = record.metadata;
  stored->rule_set = record.rule_set;
  return stored;
}

VersionInfo info_of(std::string_view subject, const SubjectVersion& version) {
  return VersionInfo{std::string(subject), version.version, version.schema, version.deleted};
}

// Ids whose schemas reference (subject, version), with whether a live version uses each.
template <typename State>
bool referenced(const State& state, std::string_view subject, int version, bool live_only,
                bool ignore_self) {
  const std::string context = registry::context_of(subject);
  for (int id : state.referenced_by(subject, version)) {
    for (const registry::SubjectAndVersion& use : state.versions_of_id(context, id)) {
      if (ignore_self && use.subject == subject) continue;
      if (!live_only || !use.deleted) return true;
    }
  }
  return false;
}

// Confluent's verbose messages for one failing (candidate, old version) comparison.
void append_messages(std::vector<std::string>& messages, const Incompatibilities& problems,
                     int old_version, std::string_view old_schema, bool validate_fields,
                     CompatibilityLevel level) {
  for (const Incompatibility& problem : problems) {
    const bool backward = problem.direction.value_or(Direction::kBackward) == Direction::kBackward;
    const std::string& new_path = backward ? problem.reader_path : problem.writer_path;
    const std::string& old_path = backward ? problem.writer_path : problem.reader_path;
    std::string description = problem.message;
    description +=
        fmt::format(" (path '{}' in the new schema, '{}' in the old schema, {})",
                    new_path.empty() ? "/" : new_path, old_path.empty() ? "/" : old_path,
                    backward ? "new schema reading old data" : "old schema reading new data");
    if (!problem.hint.empty()) description += ". Fix: " + problem.hint;
    if (!problem.counterexample.empty()) {
      description +=
          fmt::format(". For example, {} accepts this event and {} rejects it: {}",
                      backward ? "the old schema" : "the new schema",
                      backward ? "the new schema" : "the old schema", problem.counterexample);
    }
    messages.push_back(fmt::format("{{errorType:'{}', description:'{}', additionalInfo:'{}'}}",
                                   problem.type, description, problem.hint));
  }
  messages.push_back(fmt::format("{{oldSchemaVersion: {}}}", old_version));
  messages.push_back(
      fmt::format("{{oldSchema: '{}'}}", old_schema.substr(0, kOldSchemaMessageLimit)));
  messages.push_back(fmt::format("{{validateFields: '{}', compatibility: '{}'}}",
                                 validate_fields ? "true" : "false", to_string(level)));
}

std::string merge_extra(
    const std::optional<std::string>& stored,
    const std::vector<std::pair<std::string, std::optional<std::string>>>& updates, bool& empty) {
  boost::json::object object;
  if (stored) {
    boost::system::error_code ec;
    auto parsed = boost::json::parse(*stored, ec);
    if (!ec && parsed.is_object()) object = parsed.as_object();
  }
  for (const auto& [name, value] : updates) {
    if (!value) {
      object.erase(name);
      continue;
    }
    boost::system::error_code ec;
    auto parsed = boost::json::parse(*value, ec);
    if (ec || parsed.is_null()) {
      object.erase(name);
    } else {
      object[name] = std::move(parsed);
    }
  }
  empty = object.empty();
  return boost::json::serialize(object);
}

}  // namespace

Result<int> parse_version(std::string_view text) {
  if (text == "latest") return kLatestVersion;
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end ||
      value > std::numeric_limits<std::int32_t>::max() || (value <= 0 && value != -1)) {
    return Error(ErrorCode::kInvalidVersion,
                 fmt::format("The specified version '{}' is not a valid version id. Allowed "
                             "values are between [1, 2^31-1] and the string \"latest\"",
                             text));
  }
  return static_cast<int>(value);
}

Status validate_subject(std::string_view subject) {
  auto invalid = [&] {
    return Error(ErrorCode::kInvalidSubject,
                 fmt::format("The specified subject '{}' is not valid.", subject));
  };
  for (char c : subject) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return invalid();
  }
  if (subject == "__GLOBAL" || subject == "__EMPTY") return invalid();
  if (registry::context_of(subject) == ".__GLOBAL") return invalid();
  return ok_status();
}

Registry::Registry(registry::LogStore& store, compat::Engine& engine, RegistryOptions options)
    : store_(store), engine_(engine), options_(options) {}

// ---------------------------------------------------------------------------------------------
// Parsing with references

namespace {

// Resolves stored references (concrete versions, soft-deleted targets allowed) and parses.
template <typename State>
Result<ParsedSchemaPtr> parse_stored(const State& state, compat::Engine& engine,
                                     const StoredSchema& schema, int depth = 0) {
  if (depth > kMaxReferenceDepth) {
    return Error(ErrorCode::kInvalidSchema, "references nest too deeply (a cycle?)");
  }
  NamedReferences references;
  for (const SchemaReference& ref : schema.references) {
    const std::string subject = qualify_reference(schema.context, ref.subject);
    SubjectStatePtr target = state.subject(subject);
    const SubjectVersion* version = target ? target->find(ref.version) : nullptr;
    if (version == nullptr) {
      return Error(ErrorCode::kInvalidSchema,
                   fmt::format("reference '{}' points at subject '{}' version {}, which does not "
                               "exist",
                               ref.name, ref.subject, ref.version));
    }
    SG_ASSIGN_OR_RETURN(ParsedSchemaPtr parsed,
                        parse_stored(state, engine, *version->schema, depth + 1));
    references.push_back(NamedReference{ref.name, std::move(parsed)});
  }
  return engine.parse(schema.type, schema.schema, references);
}

// A candidate schema, parsed and rendered as it would be stored.
struct Candidate {
  ParsedSchemaPtr parsed;
  SchemaRecord content;  // type, canonical text, resolved references, metadata, rule set
};

// Resolves a new schema's references (version -1 = latest; soft-deleted targets are not
// allowed for new schemas unless `allow_deleted`), parses and renders it.
template <typename State>
Result<Candidate> prepare_candidate(const State& state, compat::Engine& engine,
                                    std::string_view subject, const SchemaInput& input,
                                    bool normalize, bool allow_deleted) {
  const std::string context = registry::context_of(subject);
  Candidate candidate;
  candidate.content.subject = std::string(subject);
  candidate.content.type = input.type;
  candidate.content.metadata = input.metadata;
  candidate.content.rule_set = input.rule_set;
  NamedReferences references;
  for (const SchemaReference& ref : input.references) {
    if (ref.name.empty() || ref.subject.empty()) {
      return Error(ErrorCode::kInvalidSchema,
                   "Invalid schema: every reference needs a name, a subject and a version");
    }
    const std::string target_subject = qualify_reference(context, ref.subject);
    SubjectStatePtr target = state.subject(target_subject);
    const SubjectVersion* version = nullptr;
    if (target) {
      version = ref.version == kLatestVersion ? target->latest(false) : target->find(ref.version);
      if (version && version->deleted && !allow_deleted) version = nullptr;
    }
    if (version == nullptr) {
      return Error(ErrorCode::kInvalidSchema,
                   fmt::format("Invalid schema: reference '{}' to subject '{}' version {} not "
                               "found",
                               ref.name, ref.subject, ref.version));
    }
    SchemaReference resolved = ref;
    resolved.version = version->version;
    candidate.content.references.push_back(std::move(resolved));
    SG_ASSIGN_OR_RETURN(ParsedSchemaPtr parsed, parse_stored(state, engine, *version->schema));
    references.push_back(NamedReference{ref.name, std::move(parsed)});
  }
  auto parsed = engine.parse(input.type, input.schema, references);
  if (!parsed.ok()) {
    if (parsed.error().code() == ErrorCode::kInvalidSchema &&
        !parsed.error().message().starts_with("Invalid")) {
      return Error(ErrorCode::kInvalidSchema,
                   fmt::format("Invalid schema: {}", parsed.error().message()));
    }
    return parsed.error();
  }
  candidate.parsed = *parsed;
  candidate.content.schema = engine.render(*candidate.parsed, normalize);
  if (normalize) {
    candidate.content.references = normalized_references(std::move(candidate.content.references));
  }
  return candidate;
}

// Metadata without the server-maintained `confluent:version` stamp: two registrations that
// differ only in it are the same schema (Confluent's equivalence ignores it too).
std::optional<std::string> metadata_sans_version(const std::optional<std::string>& metadata) {
  if (!metadata || metadata->find(kVersionProperty) == std::string::npos) return metadata;
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(*metadata, ec);
  if (ec || !parsed.is_object()) return metadata;
  if (auto* properties = parsed.as_object().if_contains("properties");
      properties && properties->is_object()) {
    properties->as_object().erase(kVersionProperty);
    if (properties->as_object().empty()) parsed.as_object().erase("properties");
  }
  if (parsed.as_object().empty()) return std::nullopt;
  return boost::json::serialize(parsed);
}

// `content_metadata` is metadata_sans_version(content.metadata), computed once per search.
bool equivalent(const StoredSchema& stored, const SchemaRecord& content,
                const std::optional<std::string>& content_metadata) {
  return stored.type == content.type && stored.schema == content.schema &&
         stored.references == content.references && stored.rule_set == content.rule_set &&
         metadata_sans_version(stored.metadata) == content_metadata;
}

// The version of `state` holding the candidate's content, newest first: by the exact content
// index, then by equivalence (the same schema, references and data contract, whatever the
// `confluent:version` stamp says).
template <typename State>
const SubjectVersion* find_version_with(const State& state, const SubjectState& subject,
                                        const SchemaRecord& content, bool include_deleted) {
  const std::string context = registry::context_of(subject.name);
  if (auto id = state.id_for_content(context, content)) {
    for (auto it = subject.versions.rbegin(); it != subject.versions.rend(); ++it) {
      if ((include_deleted || !it->deleted) && it->schema->id == *id) return &*it;
    }
  }
  const std::optional<std::string> content_metadata = metadata_sans_version(content.metadata);
  for (auto it = subject.versions.rbegin(); it != subject.versions.rend(); ++it) {
    if (!include_deleted && it->deleted) continue;
    if (equivalent(*it->schema, content, content_metadata)) return &*it;
  }
  return nullptr;
}

// Sets metadata.properties["confluent:version"] = version, keeping members in key order (the
// API stores data contracts canonically, with sorted maps, as Confluent's Jackson writes them).
std::optional<std::string> stamp_version(const std::optional<std::string>& metadata, int version) {
  boost::json::object object;
  if (metadata) {
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(*metadata, ec);
    if (!ec && parsed.is_object()) object = std::move(parsed.as_object());
  }
  boost::json::object properties;
  if (auto* existing = object.if_contains("properties"); existing && existing->is_object()) {
    properties = std::move(existing->as_object());
  }
  properties[kVersionProperty] = std::to_string(version);
  std::vector<std::pair<std::string, boost::json::value>> sorted;
  for (auto& member : properties) sorted.emplace_back(std::string(member.key()), member.value());
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  boost::json::object sorted_properties;
  for (auto& [key, value] : sorted) sorted_properties[key] = std::move(value);
  // Metadata members are written in Confluent's order: tags, properties, sensitive.
  boost::json::object out;
  if (auto* tags = object.if_contains("tags")) out["tags"] = *tags;
  out["properties"] = std::move(sorted_properties);
  if (auto* sensitive = object.if_contains("sensitive")) out["sensitive"] = *sensitive;
  return boost::json::serialize(out);
}

bool has_version_stamp(const std::optional<std::string>& metadata) {
  return metadata && metadata->find(kVersionProperty) != std::string::npos &&
         metadata_sans_version(metadata) != metadata;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Reads

std::optional<std::string> Registry::convert_schema(const StoredSchema& schema,
                                                    std::string_view form) const {
  auto parsed = parse_stored(store_.projection(), engine_, schema);
  if (!parsed.ok()) return std::nullopt;
  return engine_.convert(**parsed, form);
}

Result<SchemaById> Registry::schema_by_id(int id, const std::optional<std::string>& subject) const {
  const Projection& p = store_.projection();
  SchemaById out;
  if (!subject || subject->empty()) {
    out.schema = p.schema_by_id(".", id);
    if (!out.schema) return schema_not_found(id);
    out.max_id = p.max_id(".");
    return out;
  }
  const std::string name = canonical_subject(*subject);
  std::vector<std::string> candidates{name};
  if (!name.starts_with(":.")) {
    for (const std::string& context : p.contexts()) {
      if (context != ".") candidates.push_back(":" + context + ":" + name);
    }
  }
  // Prefer the context where the subject itself uses the id, then any context holding the id.
  for (const std::string& candidate : candidates) {
    const std::string context = registry::context_of(candidate);
    StoredSchemaPtr schema = p.schema_by_id(context, id);
    if (!schema) continue;
    for (const auto& use : p.versions_of_id(context, id)) {
      if (use.subject == candidate && (!out.use || !use.deleted)) {
        out.use = IdUse{use.subject, use.version, use.deleted};
      }
    }
    if (out.use) {
      out.schema = schema;
      out.max_id = p.max_id(context);
      return out;
    }
  }
  for (const std::string& candidate : candidates) {
    const std::string context = registry::context_of(candidate);
    if (StoredSchemaPtr schema = p.schema_by_id(context, id)) {
      out.schema = schema;
      out.max_id = p.max_id(context);
      return out;
    }
  }
  return schema_not_found(id);
}

Result<std::vector<std::string>> Registry::subjects_of_id(int id,
                                                          const std::optional<std::string>& subject,
                                                          bool include_deleted) const {
  SG_ASSIGN_OR_RETURN(SchemaById found, schema_by_id(id, subject));
  std::vector<std::string> out;
  for (const auto& use : store_.projection().versions_of_id(found.schema->context, id)) {
    if (!include_deleted && use.deleted) continue;
    if (out.empty() || out.back() != use.subject) out.push_back(use.subject);
  }
  return out;
}

Result<std::vector<IdUse>> Registry::versions_of_id(int id,
                                                    const std::optional<std::string>& subject,
                                                    bool include_deleted) const {
  SG_ASSIGN_OR_RETURN(SchemaById found, schema_by_id(id, subject));
  std::vector<IdUse> out;
  for (const auto& use : store_.projection().versions_of_id(found.schema->context, id)) {
    if (!include_deleted && use.deleted) continue;
    out.push_back(IdUse{use.subject, use.version, use.deleted});
  }
  return out;
}

std::vector<VersionInfo> Registry::list_schemas(std::string_view subject_prefix,
                                                bool include_deleted, bool latest_only) const {
  const Projection& p = store_.projection();
  const SubjectFilter filter =
      parse_subject_prefix(subject_prefix.empty() ? std::string_view(":.:") : subject_prefix);
  std::vector<VersionInfo> out;
  for (const std::string& name : p.subjects(include_deleted)) {
    if (!filter.matches(name)) continue;
    SubjectStatePtr state = p.subject(name);
    if (!state) continue;
    if (latest_only) {
      if (const SubjectVersion* latest = state->latest(include_deleted)) {
        out.push_back(info_of(name, *latest));
      }
      continue;
    }
    for (const SubjectVersion& version : state->versions) {
      if (include_deleted || !version.deleted) out.push_back(info_of(name, version));
    }
  }
  return out;
}

std::vector<std::string> Registry::list_subjects(std::string_view subject_prefix,
                                                 bool include_deleted, bool deleted_only) const {
  const Projection& p = store_.projection();
  const SubjectFilter filter = parse_subject_prefix(subject_prefix);
  std::vector<std::string> out;
  for (const std::string& name : p.subjects(/*include_deleted=*/true)) {
    if (!filter.matches(name)) continue;
    SubjectStatePtr state = p.subject(name);
    if (!state) continue;
    const bool deleted = !state->has_live_versions();
    if (deleted_only ? deleted : (include_deleted || !deleted)) out.push_back(name);
  }
  return out;
}

Result<std::vector<int>> Registry::list_versions(std::string_view subject, bool include_deleted,
                                                 bool deleted_only,
                                                 bool deleted_as_negative) const {
  const std::string name = canonical_subject(subject);
  SubjectStatePtr state = store_.projection().subject(name);
  if (!state) return subject_not_found(name);
  std::vector<int> out;
  for (const SubjectVersion& version : state->versions) {
    const bool wanted = deleted_only ? version.deleted : (include_deleted || !version.deleted);
    if (!wanted) continue;
    out.push_back(version.deleted && deleted_as_negative ? -version.version : version.version);
  }
  if (out.empty() && !deleted_only) return subject_not_found(name);
  return out;
}

Result<VersionInfo> Registry::get_version(std::string_view subject, int version,
                                          bool include_deleted) const {
  const std::string name = canonical_subject(subject);
  SubjectStatePtr state = store_.projection().subject(name);
  if (!state || (!include_deleted && !state->has_live_versions())) return subject_not_found(name);
  if (version == kLatestVersion) {
    const SubjectVersion* latest = state->latest(false);
    if (latest == nullptr) return subject_not_found(name);
    return info_of(name, *latest);
  }
  const SubjectVersion* found = state->find(version);
  if (found == nullptr || (found->deleted && !include_deleted)) return version_not_found(version);
  return info_of(name, *found);
}

Result<std::vector<int>> Registry::referenced_by(std::string_view subject, int version,
                                                 bool include_deleted) const {
  // The target is found even when soft-deleted (as Confluent does); `include_deleted` only
  // decides whether referrers that are themselves soft-deleted are listed.
  SG_ASSIGN_OR_RETURN(VersionInfo target, get_version(subject, version, true));
  const Projection& p = store_.projection();
  std::vector<int> out;
  for (int id : p.referenced_by(target.subject, target.version)) {
    bool visible = include_deleted;
    for (const auto& use : p.versions_of_id(registry::context_of(target.subject), id)) {
      if (!use.deleted) visible = true;
    }
    if (visible) out.push_back(id);
  }
  return out;
}

Result<VersionInfo> Registry::latest_with_metadata(
    std::string_view subject, const std::vector<std::pair<std::string, std::string>>& properties,
    bool include_deleted) const {
  const std::string name = canonical_subject(subject);
  SubjectStatePtr state = store_.projection().subject(name);
  if (!state || (!include_deleted && !state->has_live_versions())) return subject_not_found(name);
  for (auto it = state->versions.rbegin(); it != state->versions.rend(); ++it) {
    if (it->deleted && !include_deleted) continue;
    boost::json::object stored_properties;
    if (it->schema->metadata) {
      boost::system::error_code ec;
      auto metadata = boost::json::parse(*it->schema->metadata, ec);
      if (!ec && metadata.is_object()) {
        if (auto* props = metadata.as_object().if_contains("properties");
            props && props->is_object()) {
          stored_properties = props->as_object();
        }
      }
    }
    bool all = true;
    for (const auto& [key, value] : properties) {
      const boost::json::value* found = stored_properties.if_contains(key);
      if (!found || !found->is_string() || found->as_string() != value) {
        all = false;
        break;
      }
    }
    if (all) return info_of(name, *it);
  }
  return Error(ErrorCode::kSchemaNotFound, "Schema not found");
}

Result<VersionInfo> Registry::lookup(std::string_view subject, const SchemaInput& input,
                                     bool normalize, bool include_deleted) const {
  const std::string name = canonical_subject(subject);
  auto found = lookup_in_subject(name, input, normalize, include_deleted);
  if (found.ok() || found.error().code() != ErrorCode::kSubjectNotFound || name.starts_with(":.")) {
    return found;
  }
  // An unqualified subject unknown in the default context: Confluent tries the same name in
  // every other context.
  for (const std::string& context : store_.projection().contexts()) {
    if (context == ".") continue;
    auto elsewhere =
        lookup_in_subject(":" + context + ":" + name, input, normalize, include_deleted);
    if (elsewhere.ok() || elsewhere.error().code() != ErrorCode::kSubjectNotFound) {
      return elsewhere;
    }
  }
  return found;
}

Result<VersionInfo> Registry::lookup_in_subject(const std::string& name, const SchemaInput& input,
                                                bool normalize, bool include_deleted) const {
  const Projection& p = store_.projection();
  SubjectStatePtr state = p.subject(name);
  if (!state || (!include_deleted && !state->has_live_versions())) return subject_not_found(name);
  const bool effective_normalize =
      normalize ||
      effective_config(p, name, options_.default_compatibility).normalize.value_or(false);
  SG_ASSIGN_OR_RETURN(Candidate candidate,
                      prepare_candidate(p, engine_, name, input, effective_normalize,
                                        /*allow_deleted=*/true));
  const SubjectVersion* found = find_version_with(p, *state, candidate.content, include_deleted);
  if (found == nullptr && !effective_normalize) {
    // A schema stored normalised still matches its non-normalised spelling.
    SchemaRecord normalized = candidate.content;
    normalized.schema = engine_.render(*candidate.parsed, true);
    normalized.references = normalized_references(normalized.references);
    found = find_version_with(p, *state, normalized, include_deleted);
  }
  if (found == nullptr) {
    // A request without a data contract matches a version that inherited its contract from
    // the version before (registration step 8 carries metadata and rules forward).
    if (const SubjectVersion* latest = state->latest(false);
        latest && (!candidate.content.metadata || !candidate.content.rule_set)) {
      SchemaRecord inherited = candidate.content;
      if (!inherited.metadata) inherited.metadata = latest->schema->metadata;
      if (!inherited.rule_set) inherited.rule_set = latest->schema->rule_set;
      found = find_version_with(p, *state, inherited, include_deleted);
    }
  }
  if (found == nullptr) return Error(ErrorCode::kSchemaNotFound, "Schema not found");
  return info_of(name, *found);
}

// ---------------------------------------------------------------------------------------------
// Compatibility

namespace {

struct CheckInputs {
  CompatibilityLevel level = CompatibilityLevel::kBackward;
  bool validate_fields = false;
  CompatibilityPolicy policy = CompatibilityPolicy::kStrict;
  std::vector<const SubjectVersion*> versions;  // oldest first
};

// What a check under `config` compares with: every live version of `subject` (may be null).
CheckInputs check_inputs(const ConfigRecord& config, const SubjectState* subject,
                         CompatibilityLevel server_default) {
  CheckInputs inputs;
  inputs.level = level_of(config, server_default);
  inputs.validate_fields = config.validate_fields.value_or(false);
  inputs.policy = compatibility_policy_from_config(config.compatibility_policy);
  if (subject != nullptr) {
    for (const SubjectVersion& v : subject->versions) {
      if (!v.deleted) inputs.versions.push_back(&v);
    }
  }
  return inputs;
}

// Runs the engine over `versions` and renders Confluent's messages.
template <typename State>
Result<CompatibilityAnswer> run_check(const State& state, compat::Engine& engine,
                                      const ParsedSchema& candidate, const CheckInputs& inputs) {
  CompatibilityAnswer answer;
  if (inputs.level == CompatibilityLevel::kNone || inputs.versions.empty()) return answer;
  std::vector<ParsedSchemaPtr> previous;
  previous.reserve(inputs.versions.size());
  for (const SubjectVersion* version : inputs.versions) {
    auto parsed = parse_stored(state, engine, *version->schema);
    if (!parsed.ok()) {
      return Error(ErrorCode::kStoreError,
                   fmt::format("stored schema id {} can no longer be parsed: {}",
                               version->schema->id, parsed.error().message()));
    }
    previous.push_back(*parsed);
  }
  compat::CheckOptions options;
  options.stop_at_first_failing_version = true;
  options.policy = inputs.policy;
  compat::CheckResult result = engine.check(inputs.level, candidate, previous, options);
  answer.compatible = result.compatible;
  answer.incompatibilities = result.incompatibilities;
  // Group problems by the version they conflict with, in the order reported.
  std::size_t i = 0;
  const auto& problems = result.incompatibilities;
  while (i < problems.size()) {
    const int position = problems[i].version.value_or(static_cast<int>(previous.size()));
    Incompatibilities group;
    while (i < problems.size() &&
           problems[i].version.value_or(static_cast<int>(previous.size())) == position) {
      group.push_back(problems[i++]);
    }
    const SubjectVersion* old = inputs.versions[static_cast<std::size_t>(position - 1)];
    append_messages(answer.messages, group, old->version, old->schema->schema,
                    inputs.validate_fields, inputs.level);
  }
  for (Incompatibility& problem : answer.incompatibilities) {
    if (problem.version) {
      problem.version = inputs.versions[static_cast<std::size_t>(*problem.version - 1)]->version;
    }
  }
  return answer;
}

}  // namespace

Result<CompatibilityAnswer> Registry::check_compatibility(std::string_view subject,
                                                          std::optional<int> version,
                                                          const SchemaInput& input, bool normalize,
                                                          bool verbose) {
  const std::string name = canonical_subject(subject);
  const Projection& p = store_.projection();
  SubjectStatePtr state = p.subject(name);
  const ConfigRecord config = effective_config(p, name, options_.default_compatibility);
  CheckInputs inputs = check_inputs(config, state.get(), options_.default_compatibility);
  if (version) {
    // A single named version (or the latest): transitive and non-transitive levels coincide.
    const SubjectVersion* named = nullptr;
    if (*version == kLatestVersion) {
      named = state ? state->latest(false) : nullptr;  // none: nothing to check
    } else {
      named = state ? state->find(*version) : nullptr;
      if (named == nullptr || named->deleted) return version_not_found(*version);
    }
    inputs.versions.clear();
    if (named != nullptr) inputs.versions.push_back(named);
  }
  SchemaInput candidate_input = input;
  if (candidate_input.schema.empty() && state && state->latest(false)) {
    candidate_input.schema = state->latest(false)->schema->schema;
    candidate_input.type = state->latest(false)->schema->type;
  }
  const bool effective_normalize = normalize || config.normalize.value_or(false);
  auto candidate = prepare_candidate(p, engine_, name, candidate_input, effective_normalize, false);
  if (!candidate.ok()) {
    if (verbose && candidate.error().code() == ErrorCode::kInvalidSchema) {
      CompatibilityAnswer answer;
      answer.compatible = false;
      answer.messages.push_back(candidate.error().message());
      return answer;
    }
    return candidate.error();
  }
  compatibility_checks_.fetch_add(1, std::memory_order_relaxed);
  return run_check(p, engine_, *candidate->parsed, inputs);
}

// ---------------------------------------------------------------------------------------------
// Register

std::optional<VersionInfo> Registry::registered_version(std::string_view subject_in,
                                                        const SchemaInput& input,
                                                        RegisterOptions options) const {
  if (input.schema.empty() || !validate_subject(subject_in).ok()) return std::nullopt;
  const bool requested_version = input.version && *input.version != kLatestVersion;
  // -1: no id requested (negative ids mean the same to Confluent).
  const int requested_id = input.id && *input.id >= 0 ? *input.id : -1;
  // (lookup adds the subject's `normalize` config to the request's flag.)
  auto found = lookup(canonical_subject(subject_in), input, options.normalize, false);
  if (!found.ok()) return std::nullopt;
  const bool same_id = requested_id == found->schema->id;
  if (!requested_version && (requested_id < 0 || same_id)) return *found;
  if (requested_version && same_id) return *found;
  return std::nullopt;
}

Result<VersionInfo> Registry::register_schema(std::string_view subject_in, const SchemaInput& input,
                                              RegisterOptions options) {
  SG_RETURN_IF_ERROR(validate_subject(subject_in));
  const std::string subject = canonical_subject(subject_in);
  const std::string context = registry::context_of(subject);
  const bool requested_version = input.version && *input.version != kLatestVersion;
  const std::optional<int> requested_id =
      input.id && *input.id >= 0 ? input.id : std::optional<int>();

  // The lookup shortcut: an already registered schema is answered without a write (so
  // re-registration works in READONLY and IMPORT mode too, and costs no fsync).
  if (auto existing = registered_version(subject, input, options)) return *existing;

  return store_.write<VersionInfo>([&](const View& view) -> Result<LogStore::Batch<VersionInfo>> {
    const std::string mode = effective_mode(view, subject);
    if (is_read_only(mode)) {
      return Error(ErrorCode::kOperationNotPermitted,
                   fmt::format("Subject {} is in read-only mode", subject));
    }
    const bool importing = is_import(mode);
    if (requested_id && !importing) {
      return Error(ErrorCode::kOperationNotPermitted,
                   fmt::format("Subject {} is not in import mode: a schema id can only be given "
                               "in IMPORT mode",
                               subject));
    }
    const ConfigRecord config = effective_config(view, subject, options_.default_compatibility);
    const bool normalize = options.normalize || config.normalize.value_or(false);
    SubjectStatePtr state = view.subject(subject);
    const SubjectVersion* latest = state ? state->latest(false) : nullptr;
    const int next_version = (state ? state->max_version() : 0) + 1;

    SchemaInput effective = input;
    if (effective.schema.empty()) {
      if (latest == nullptr) {
        return Error(ErrorCode::kInvalidSchema,
                     "Invalid schema: empty schema and no earlier version to take it from");
      }
      effective.schema = latest->schema->schema;
      effective.type = latest->schema->type;
      effective.references = latest->schema->references;
    }
    if (!importing && latest) {
      // The data contract carries over to the next version unless the request brings its own.
      if (!effective.metadata) effective.metadata = latest->schema->metadata;
      if (!effective.rule_set) effective.rule_set = latest->schema->rule_set;
    }
    SG_ASSIGN_OR_RETURN(Candidate candidate,
                        prepare_candidate(view, engine_, subject, effective,
                                          normalize && !importing, /*allow_deleted=*/importing));
    SchemaRecord record = candidate.content;
    record.subject = subject;

    // The same content already has an id in this context: reuse it (in IMPORT only if it is
    // the id requested).
    const std::optional<int> existing = view.id_for_content(context, record);
    const bool reusable = existing && (!requested_id || *requested_id == *existing);
    if (!requested_version && state && (!importing || reusable)) {
      // Already a live version of this subject (possibly written earlier in this group).
      if (const SubjectVersion* same = find_version_with(view, *state, record, false)) {
        return LogStore::Batch<VersionInfo>{{}, info_of(subject, *same)};
      }
    }
    std::optional<int> id;
    if (reusable) id = *existing;

    if (!importing && !options.force) {
      const CheckInputs inputs = check_inputs(config, state.get(), options_.default_compatibility);
      compatibility_checks_.fetch_add(1, std::memory_order_relaxed);
      SG_ASSIGN_OR_RETURN(CompatibilityAnswer answer,
                          run_check(view, engine_, *candidate.parsed, inputs));
      if (!answer.compatible) {
        std::string details;
        for (const std::string& message : answer.messages) {
          if (!details.empty()) details += ", ";
          details += message;
        }
        return Error(ErrorCode::kIncompatibleSchema,
                     fmt::format("Schema being registered is incompatible with an earlier schema "
                                 "for subject \"{}\", details: [{}]",
                                 subject, details));
      }
    }

    std::vector<Record> records;
    if (context != ".") {
      const auto contexts = view.contexts();
      if (std::find(contexts.begin(), contexts.end(), context) == contexts.end()) {
        registry::ContextRecord context_record;
        context_record.context = context;
        records.emplace_back(context_record);
      }
    }

    int version = next_version;
    if (requested_version) {
      if (importing) {
        version = *input.version;
        if (const SubjectVersion* taken = state ? state->find(version) : nullptr) {
          if (taken->schema->same_content(record) &&
              (!requested_id || *requested_id == taken->schema->id)) {
            return LogStore::Batch<VersionInfo>{{}, info_of(subject, *taken)};
          }
        }
      } else if (*input.version != next_version) {
        return Error(ErrorCode::kInvalidSchema,
                     fmt::format("Invalid schema: version {} is not the next version of subject "
                                 "'{}'; the next one is {}",
                                 *input.version, subject, next_version));
      }
    } else if (importing && !requested_id && !id) {
      return Error(
          ErrorCode::kOperationNotPermitted,
          fmt::format("Subject {} is in import mode: a new schema needs an explicit id", subject));
    }

    if (requested_id) {
      if (StoredSchemaPtr bound = view.schema_by_id(context, *requested_id)) {
        if (!bound->same_content(record)) {
          return Error(ErrorCode::kOperationNotPermitted,
                       fmt::format("Overwrite new schema with id {} is not permitted: the id "
                                   "already stands for a different schema",
                                   *requested_id));
        }
      }
      id = *requested_id;
    }
    auto fresh_id = [&] {
      int next = view.max_id(context) + 1;
      while (view.schema_by_id(context, next)) ++next;
      return next;
    };
    if (!id) id = fresh_id();
    record.id = *id;
    record.version = version;
    record.deleted = false;
    if (!importing && (requested_version || has_version_stamp(record.metadata))) {
      // Confluent keeps `confluent:version` equal to the version that carries it.
      // The stamp is part of the content, so the id follows the stamped content.
      record.metadata = stamp_version(record.metadata, version);
      if (auto stamped = view.id_for_content(context, record)) {
        record.id = *stamped;
      } else if (reusable) {
        record.id = fresh_id();
      }
    }

    // Soft-deleted older versions of this subject with the same id make way for the new one.
    if (state) {
      for (const SubjectVersion& old : state->versions) {
        if (old.deleted && old.schema->id == record.id && old.version != version &&
            !referenced(view, subject, old.version, false, false)) {
          records.emplace_back(SchemaTombstone{subject, old.version});
        }
      }
    }
    records.emplace_back(record);
    VersionInfo info{subject, version, stored_from(record), false};
    return LogStore::Batch<VersionInfo>{std::move(records), std::move(info)};
  });
}

// ---------------------------------------------------------------------------------------------
// Deletes

namespace {

template <typename State>
Status check_writable(const State& state, const std::optional<std::string>& scope) {
  if (is_read_only(effective_mode(state, scope))) {
    return Error(ErrorCode::kOperationNotPermitted,
                 fmt::format("Subject {} is in read-only mode", describe_scope(scope)));
  }
  return ok_status();
}

// When a subject's last record goes, its config and mode go with it (as Confluent does).
void drop_subject_settings(const View& view, const std::string& subject,
                           std::vector<Record>& records) {
  if (view.config(subject)) {
    records.emplace_back(config_tombstone(subject));
  }
  if (view.mode(subject)) {
    records.emplace_back(mode_tombstone(subject));
  }
}

Error reference_exists(std::string_view subject, int version) {
  return Error(ErrorCode::kReferenceExists,
               fmt::format("One or more references exist to the schema {{subject={}, version={}}}",
                           subject, version));
}

}  // namespace

Result<int> Registry::delete_version(std::string_view subject_in, int version_in, bool permanent) {
  const std::string subject = canonical_subject(subject_in);
  return store_.write<int>([&](const View& view) -> Result<LogStore::Batch<int>> {
    SG_RETURN_IF_ERROR(check_writable(view, std::optional<std::string>(subject)));
    SubjectStatePtr state = view.subject(subject);
    if (!state || state->versions.empty()) return subject_not_found(subject);
    const SubjectVersion* target = nullptr;
    if (version_in == kLatestVersion) {
      target = state->latest(false);
      if (target == nullptr) return subject_not_found(subject);
    } else {
      target = state->find(version_in);
      if (target == nullptr) return version_not_found(version_in);
    }
    const int version = target->version;
    std::vector<Record> records;
    if (!permanent) {
      if (target->deleted) {
        return Error(ErrorCode::kVersionSoftDeleted,
                     fmt::format("Subject '{}' Version {} was soft deleted. Set permanent=true to "
                                 "delete permanently",
                                 subject, version));
      }
      if (referenced(view, subject, version, /*live_only=*/true, false)) {
        return reference_exists(subject, version);
      }
      SchemaRecord record = target->schema->content();
      record.subject = subject;
      record.version = version;
      record.id = target->schema->id;
      record.deleted = true;
      records.emplace_back(std::move(record));
    } else {
      if (!target->deleted) {
        return Error(ErrorCode::kVersionNotSoftDeleted,
                     fmt::format("Subject '{}' Version {} was not deleted first before being "
                                 "permanently deleted",
                                 subject, version));
      }
      if (referenced(view, subject, version, /*live_only=*/false, false)) {
        return reference_exists(subject, version);
      }
      records.emplace_back(SchemaTombstone{subject, version});
      if (state->versions.size() == 1) drop_subject_settings(view, subject, records);
    }
    return LogStore::Batch<int>{std::move(records), version};
  });
}

Result<std::vector<int>> Registry::delete_subject(std::string_view subject_in, bool permanent) {
  const std::string subject = canonical_subject(subject_in);
  using Batch = LogStore::Batch<std::vector<int>>;
  return store_.write<std::vector<int>>([&](const View& view) -> Result<Batch> {
    SG_RETURN_IF_ERROR(check_writable(view, std::optional<std::string>(subject)));
    SubjectStatePtr state = view.subject(subject);
    if (!state || state->versions.empty()) return subject_not_found(subject);
    std::vector<int> versions;
    std::vector<Record> records;
    if (!permanent) {
      for (const SubjectVersion& v : state->versions) {
        if (!v.deleted) versions.push_back(v.version);
      }
      if (versions.empty()) {
        return Error(ErrorCode::kSubjectSoftDeleted,
                     fmt::format("Subject '{}' was soft deleted. Set permanent=true to delete "
                                 "permanently",
                                 subject));
      }
      for (int v : versions) {
        if (referenced(view, subject, v, /*live_only=*/true, /*ignore_self=*/true)) {
          return reference_exists(subject, v);
        }
      }
      records.emplace_back(DeleteSubjectRecord{subject, versions.back()});
    } else {
      for (const SubjectVersion& v : state->versions) {
        if (!v.deleted) {
          return Error(ErrorCode::kSubjectNotSoftDeleted,
                       fmt::format("Subject '{}' was not deleted first before being permanently "
                                   "deleted",
                                   subject));
        }
        versions.push_back(v.version);
      }
      for (int v : versions) {
        if (referenced(view, subject, v, /*live_only=*/false, /*ignore_self=*/true)) {
          return reference_exists(subject, v);
        }
      }
      for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
        records.emplace_back(SchemaTombstone{subject, *it});
      }
      drop_subject_settings(view, subject, records);
    }
    return Batch{std::move(records), std::move(versions)};
  });
}

// ---------------------------------------------------------------------------------------------
// Config

Result<ConfigRecord> Registry::get_config(const std::optional<std::string>& scope_in,
                                          bool default_to_global) const {
  const std::optional<std::string> scope = canonical_scope(scope_in);
  const Projection& p = store_.projection();
  if (default_to_global) return effective_config(p, scope, options_.default_compatibility);
  if (auto own = p.config(scope)) return *own;
  if (!scope) {
    ConfigRecord fallback;
    fallback.compatibility_level = std::string(to_string(options_.default_compatibility));
    return fallback;
  }
  return Error(
      ErrorCode::kSubjectCompatibilityNotConfigured,
      fmt::format("Subject '{}' does not have subject-level compatibility configured", *scope));
}

Result<ConfigRecord> Registry::put_config(const std::optional<std::string>& scope_in,
                                          const ConfigUpdate& update) {
  const std::optional<std::string> scope = canonical_scope(scope_in);
  std::optional<std::string> level;
  if (update.compatibility_level && *update.compatibility_level) {
    auto parsed = compatibility_level_from_string(**update.compatibility_level);
    if (!parsed) {
      return Error(ErrorCode::kInvalidCompatibilityLevel,
                   fmt::format("Invalid compatibility level '{}'. Valid values are none, backward, "
                               "forward, full, backward_transitive, forward_transitive, and "
                               "full_transitive",
                               **update.compatibility_level));
    }
    level = std::string(to_string(*parsed));
  }
  // The level is checked before the subject name, in Confluent's order.
  if (scope && !is_context_scope(*scope) && *scope != kGlobalContextScope) {
    SG_RETURN_IF_ERROR(validate_subject(*scope));
  }
  return store_.write<ConfigRecord>([&](const View& view) -> Result<LogStore::Batch<ConfigRecord>> {
    SG_RETURN_IF_ERROR(check_writable(view, scope));
    ConfigRecord record = view.config(scope).value_or(ConfigRecord{});
    record.subject = scope;
    record.tombstone = false;
    auto apply = [](auto& field, const auto& change) {
      if (change) field = *change;
    };
    if (update.compatibility_level) {
      record.compatibility_level = *update.compatibility_level ? level : std::nullopt;
    }
    apply(record.normalize, update.normalize);
    apply(record.compatibility_group, update.compatibility_group);
    apply(record.compatibility_policy, update.compatibility_policy);
    apply(record.validate_fields, update.validate_fields);
    apply(record.alias, update.alias);
    if (!update.extra.empty()) {
      bool empty = false;
      std::string merged = merge_extra(record.extra, update.extra, empty);
      record.extra = empty ? std::nullopt : std::optional<std::string>(std::move(merged));
    }
    return LogStore::Batch<ConfigRecord>{{record}, record};
  });
}

Result<ConfigRecord> Registry::delete_config(const std::optional<std::string>& scope_in) {
  const std::optional<std::string> scope = canonical_scope(scope_in);
  return store_.write<ConfigRecord>([&](const View& view) -> Result<LogStore::Batch<ConfigRecord>> {
    SG_RETURN_IF_ERROR(check_writable(view, scope));
    std::optional<ConfigRecord> own = view.config(scope);
    if (!own) {
      if (scope) return subject_not_found(*scope);
      ConfigRecord fallback;
      fallback.compatibility_level = std::string(to_string(options_.default_compatibility));
      return LogStore::Batch<ConfigRecord>{{}, fallback};
    }
    return LogStore::Batch<ConfigRecord>{{config_tombstone(scope)}, *own};
  });
}

// ---------------------------------------------------------------------------------------------
// Mode

Result<std::string> Registry::get_mode(const std::optional<std::string>& scope_in,
                                       bool default_to_global) const {
  const std::optional<std::string> scope = canonical_scope(scope_in);
  const Projection& p = store_.projection();
  if (default_to_global || !scope) {
    if (!default_to_global) {
      if (auto own = p.mode(scope)) return own->mode;
      return std::string("READWRITE");
    }
    return effective_mode(p, scope);
  }
  if (auto own = p.mode(scope)) return own->mode;
  return Error(ErrorCode::kSubjectModeNotConfigured,
               fmt::format("Subject '{}' does not have subject-level mode configured", *scope));
}

Result<std::optional<std::string>> Registry::put_mode(const std::optional<std::string>& scope_in,
                                                      const std::optional<std::string>& mode_in,
                                                      bool force) {
  const std::optional<std::string> scope = canonical_scope(scope_in);
  if (!options_.mode_mutability) {
    return Error(ErrorCode::kOperationNotPermitted, "Mode changes are not allowed");
  }
  if (scope && !is_context_scope(*scope) && *scope != kGlobalContextScope) {
    SG_RETURN_IF_ERROR(validate_subject(*scope));
  }
  std::optional<std::string> mode;
  if (mode_in) {
    mode = parse_mode(*mode_in);
    if (!mode || (*mode == "FORWARD" && scope != std::string(kGlobalContextScope))) {
      return Error(ErrorCode::kInvalidMode,
                   fmt::format("Invalid mode '{}'. Valid values are READWRITE, READONLY, "
                               "READONLY_OVERRIDE and IMPORT",
                               *mode_in));
    }
  }
  using Batch = LogStore::Batch<std::optional<std::string>>;
  return store_.write<std::optional<std::string>>([&](const View& view) -> Result<Batch> {
    std::vector<Record> records;
    if (!mode) {
      if (view.mode(scope)) {
        records.emplace_back(mode_tombstone(scope));
      }
      return Batch{std::move(records), std::nullopt};
    }
    if (*mode == "IMPORT" && effective_mode(view, scope) != "IMPORT") {
      // Only an empty scope can be imported into: ids and versions come from elsewhere.
      std::vector<std::string> in_scope;
      for (const std::string& name : view.subjects(/*include_deleted=*/true)) {
        const bool matches = !scope ? registry::context_of(name) == "."
                             : is_context_scope(*scope)
                                 ? ":" + registry::context_of(name) + ":" == *scope
                                 : name == *scope;
        if (matches) in_scope.push_back(name);
      }
      if (!force) {
        for (const std::string& name : in_scope) {
          SubjectStatePtr state = view.subject(name);
          if (state && state->has_live_versions()) {
            return Error(ErrorCode::kOperationNotPermitted,
                         fmt::format("Cannot import since found existing subjects (for example "
                                     "'{}'); use force=true to switch anyway",
                                     name));
          }
        }
        // What is left are soft-deleted versions: they go for good.
        for (const std::string& name : in_scope) {
          SubjectStatePtr state = view.subject(name);
          if (!state) continue;
          for (auto it = state->versions.rbegin(); it != state->versions.rend(); ++it) {
            records.emplace_back(SchemaTombstone{name, it->version});
          }
        }
        if (!in_scope.empty()) {
          registry::ClearSubjectRecord clear;
          clear.subject = scope;
          records.emplace_back(clear);
        }
      }
    }
    ModeRecord record;
    record.subject = scope;
    record.mode = *mode;
    records.emplace_back(record);
    return Batch{std::move(records), mode};
  });
}

Result<std::string> Registry::delete_mode(const std::optional<std::string>& scope_in,
                                          bool recursive) {
  const std::optional<std::string> scope = canonical_scope(scope_in);
  if (!options_.mode_mutability) {
    return Error(ErrorCode::kOperationNotPermitted, "Mode changes are not allowed");
  }
  return store_.write<std::string>([&](const View& view) -> Result<LogStore::Batch<std::string>> {
    std::vector<Record> records;
    std::optional<ModeRecord> own = view.mode(scope);
    if (!own && scope && !recursive) return subject_not_found(*scope);
    const std::string previous = own ? own->mode : effective_mode(view, scope);
    if (own) {
      records.emplace_back(mode_tombstone(scope));
    }
    if (recursive && (!scope || is_context_scope(*scope))) {
      const std::string context = scope ? scope->substr(1, scope->size() - 2) : ".";
      // Subjects with a mode but no schema count too: walk the mode records, not the subjects.
      for (const std::string& name : view.subjects_with_mode()) {
        if (registry::context_of(name) != context || is_context_scope(name)) continue;
        records.emplace_back(mode_tombstone(name));
      }
    }
    return LogStore::Batch<std::string>{std::move(records), previous};
  });
}

// ---------------------------------------------------------------------------------------------
// Contexts and counts

std::vector<std::string> Registry::list_contexts() const {
  std::vector<std::string> contexts = store_.projection().contexts();
  // The default context first, then the others in order.
  std::erase(contexts, ".");
  contexts.insert(contexts.begin(), ".");
  return contexts;
}

Status Registry::delete_context(std::string_view context_in) {
  std::string context(context_in);
  if (!context.starts_with(".")) context = "." + context;
  for (const std::string& name : store_.projection().subjects(true)) {
    if (registry::context_of(name) == context) {
      return Error(
          ErrorCode::kContextNotEmpty,
          fmt::format("Context '{}' is not empty: subject '{}' still lives in it", context, name));
    }
  }
  return ok_status();
}

std::size_t Registry::subject_count() const {
  return store_.projection().subject_count();
}

std::size_t Registry::schema_count() const {
  return store_.projection().schema_count();
}

}  // namespace sg::service
