// The registry's use cases: what the REST API does, as typed operations over the log store.
//
//   SG_ASSIGN_OR_RETURN(auto store, registry::LogStore::open(std::move(log)));
//   service::Registry registry(*store, engine, options);
//   SG_ASSIGN_OR_RETURN(auto registered, registry.register_schema("orders-value", input, {}));
//
// Semantics follow Confluent's reference server (../shared/api/rest-api.md §5): idempotent
// re-registration through the lookup shortcut, one id per content and context, version numbers
// never reused while a record for them exists, the delete rules, config and mode resolution.
// Every failure carries Confluent's error code; the HTTP layer (api/) only translates JSON.
//
// Reads use the projection without a global lock; writes go through LogStore::write (group
// commit) and return once durable and applied, so a client reads its own writes.
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/compat/engine.h"
#include "schemaguard/model/compatibility_level.h"
#include "schemaguard/registry/log_store.h"

namespace sg::service {

using registry::ConfigRecord;
using registry::ModeRecord;
using registry::SchemaReference;
using registry::StoredSchemaPtr;

// A schema as a client submits it (register, lookup, compatibility check).
struct SchemaInput {
  SchemaType type = SchemaType::kAvro;
  // May be empty when registering: the subject's latest schema is reused (Confluent's
  // metadata-only update).
  std::string schema;
  std::vector<SchemaReference> references;  // version -1: the latest at registration time
  std::optional<std::string> metadata;      // compact JSON object, verbatim
  std::optional<std::string> rule_set;      // compact JSON object, verbatim
  std::optional<int> version;               // register: must be the next version (IMPORT: any)
  std::optional<int> id;                    // register: only in IMPORT mode
};

// One version of a subject, as the API shows it.
struct VersionInfo {
  std::string subject;
  int version = 0;
  StoredSchemaPtr schema;  // never null
  bool deleted = false;
};

struct RegisterOptions {
  bool normalize = false;  // OR-ed with the subject's `normalize` config
  bool force = false;      // skip the compatibility check (Confluent's ?force=true)
};

struct CompatibilityAnswer {
  bool compatible = true;
  // Confluent-style messages: per problem a description, then {oldSchemaVersion: N},
  // {oldSchema: '...'} and {validateFields: '...', compatibility: '...'}.
  std::vector<std::string> messages;
  // The same problems as data (type, paths, hint), for SchemaGuard's own clients.
  Incompatibilities incompatibilities;
};

// A partial config update (PUT /config): each field is left alone (nullopt), cleared (an empty
// inner optional: the client sent null) or set.
template <typename T>
using Update = std::optional<std::optional<T>>;

struct ConfigUpdate {
  Update<std::string> compatibility_level;  // any case; stored upper-case
  Update<bool> normalize;
  Update<std::string> compatibility_group;
  Update<std::string> compatibility_policy;
  Update<bool> validate_fields;
  Update<std::string> alias;
  // Other Confluent config members (validateNewSchemas, defaultMetadata, ...), by name, as
  // compact JSON values; kept verbatim in ConfigRecord::extra.
  std::vector<std::pair<std::string, std::optional<std::string>>> extra;
};

// A subject/version that uses an id.
struct IdUse {
  std::string subject;
  int version = 0;
  bool deleted = false;  // that version is soft-deleted
};

// What GET /schemas/ids/{id} answers.
struct SchemaById {
  StoredSchemaPtr schema;
  // The subject and version the `subject` query parameter selected, if it was given and found.
  std::optional<IdUse> use;
  int max_id = 0;  // highest id in the schema's context (fetchMaxId)
};

struct RegistryOptions {
  CompatibilityLevel default_compatibility = CompatibilityLevel::kBackward;
  // Whether PUT/DELETE /mode are allowed (Confluent's mode.mutability).
  bool mode_mutability = true;
  // Whether new schemas are validated (Avro defaults), Confluent's schema.validate.new.schemas.
  bool validate_new_schemas = true;
};

// The version a path segment names: an int in [1, 2^31-1], "latest" or -1 (both kLatest).
// Anything else: kInvalidVersion (42202).
inline constexpr int kLatestVersion = -1;
Result<int> parse_version(std::string_view text);

// Subject names the registry accepts (kInvalidSubject, 42208, otherwise): no ISO control
// characters, not "__GLOBAL" / "__EMPTY", not inside the ".__GLOBAL" context.
Status validate_subject(std::string_view subject);

class Registry {
 public:
  // `store` and `engine` must outlive the registry.
  Registry(registry::LogStore& store, compat::Engine& engine, RegistryOptions options = {});

  // --- Schemas by id ---------------------------------------------------------------------------
  // The schema with `id`. Without `subject`, in the default context; with one, in the subject's
  // context (then every other context, as Confluent does), and `use` names the matching version.
  // kSchemaNotFound (40403) if unknown.
  Result<SchemaById> schema_by_id(int id, const std::optional<std::string>& subject) const;
  // `schema` in the form `?format=` asks for (Format::convert: Protobuf's "serialized"), or
  // nullopt when its format has no such form (the stored text is then the answer).
  std::optional<std::string> convert_schema(const registry::StoredSchema& schema,
                                            std::string_view form) const;
  // Subjects / versions using the id (soft-deleted ones only with `include_deleted`), sorted.
  Result<std::vector<std::string>> subjects_of_id(int id, const std::optional<std::string>& subject,
                                                  bool include_deleted) const;
  Result<std::vector<IdUse>> versions_of_id(int id, const std::optional<std::string>& subject,
                                            bool include_deleted) const;
  // Every version whose subject starts with `subject_prefix` (":*:" = every context; otherwise
  // the prefix's context only), sorted by subject then version; only the newest per subject with
  // `latest_only`.
  std::vector<VersionInfo> list_schemas(std::string_view subject_prefix, bool include_deleted,
                                        bool latest_only) const;

  // --- Subjects ---------------------------------------------------------------------------------
  // Subjects matching the prefix (":*:" or empty: all), sorted. A subject counts as deleted
  // when all its versions are soft-deleted; `deleted_only` wins over `include_deleted`.
  std::vector<std::string> list_subjects(std::string_view subject_prefix, bool include_deleted,
                                         bool deleted_only) const;
  // The subject's version numbers, ascending by absolute value; with `deleted_as_negative`,
  // soft-deleted versions are listed as -N. kSubjectNotFound if it has none visible.
  Result<std::vector<int>> list_versions(std::string_view subject, bool include_deleted,
                                         bool deleted_only, bool deleted_as_negative = false) const;
  // The version (`kLatestVersion`: the newest non-deleted). Soft-deleted versions only with
  // `include_deleted`. 40401 / 40402.
  Result<VersionInfo> get_version(std::string_view subject, int version,
                                  bool include_deleted) const;
  // Ids of the schemas that reference (subject, version), ascending.
  Result<std::vector<int>> referenced_by(std::string_view subject, int version,
                                         bool include_deleted) const;
  // GET /subjects/{subject}/metadata: the newest version whose metadata `properties` hold every
  // (key, value) pair. 40401 / 40403.
  Result<VersionInfo> latest_with_metadata(
      std::string_view subject, const std::vector<std::pair<std::string, std::string>>& properties,
      bool include_deleted) const;
  // POST /subjects/{subject}: the version of `subject` holding this schema. 40401 / 40403 /
  // 42201.
  Result<VersionInfo> lookup(std::string_view subject, const SchemaInput& input, bool normalize,
                             bool include_deleted) const;

  // --- Writes -----------------------------------------------------------------------------------
  // The lookup shortcut of register_schema alone: the version register_schema would answer
  // without writing anything (the schema is already registered under the subject), or nullopt
  // when a registration must go through the write path (which also reports any error). Reads
  // memory only, so callers may run it where they must not wait.
  std::optional<VersionInfo> registered_version(std::string_view subject, const SchemaInput& input,
                                                RegisterOptions options = {}) const;
  // POST /subjects/{subject}/versions (rest-api.md §5.1).
  Result<VersionInfo> register_schema(std::string_view subject, const SchemaInput& input,
                                      RegisterOptions options = {});
  // DELETE /subjects/{subject}/versions/{version}: returns the version deleted.
  Result<int> delete_version(std::string_view subject, int version, bool permanent);
  // DELETE /subjects/{subject}: returns the versions deleted, ascending.
  Result<std::vector<int>> delete_subject(std::string_view subject, bool permanent);

  // --- Compatibility ----------------------------------------------------------------------------
  // POST /compatibility/subjects/{subject}/versions[/{version}]: `version` nullopt = all
  // versions under the subject's level; a version number or kLatestVersion = that one only.
  // With `verbose`, an invalid candidate is an incompatible answer rather than 42201.
  Result<CompatibilityAnswer> check_compatibility(std::string_view subject,
                                                  std::optional<int> version,
                                                  const SchemaInput& input, bool normalize,
                                                  bool verbose);

  // --- Config and mode --------------------------------------------------------------------------
  // `scope`: nullopt = global (also for "" and ":.:"), ":.ctx:" = a context, else a subject.
  // GET: the stored record of the scope; with `default_to_global`, the effective config
  // (rest-api.md §5.5). 40408 when unset and not defaulting (never for the global scope).
  Result<ConfigRecord> get_config(const std::optional<std::string>& scope,
                                  bool default_to_global) const;
  // PUT: merges the update into the stored record; returns the merged record. 42203, 42208.
  Result<ConfigRecord> put_config(const std::optional<std::string>& scope,
                                  const ConfigUpdate& update);
  // DELETE: removes the scope's record and returns what was in effect. 40401 for a subject
  // without its own record.
  Result<ConfigRecord> delete_config(const std::optional<std::string>& scope);

  // The mode in effect / stored (40409 when unset and not defaulting).
  Result<std::string> get_mode(const std::optional<std::string>& scope,
                               bool default_to_global) const;
  // `mode` nullopt clears it. 42204, 42205 (IMPORT on a non-empty scope without `force`).
  Result<std::optional<std::string>> put_mode(const std::optional<std::string>& scope,
                                              const std::optional<std::string>& mode, bool force);
  // Returns the previous mode. 40401 for a subject without its own mode (unless `recursive`).
  Result<std::string> delete_mode(const std::optional<std::string>& scope, bool recursive);

  // --- Contexts ---------------------------------------------------------------------------------
  std::vector<std::string> list_contexts() const;
  // 42211 if any subject (soft-deleted included) lives in it.
  Status delete_context(std::string_view context);

  // --- For metrics ------------------------------------------------------------------------------
  // Subjects with a live version; distinct schema ids (soft-deleted versions keep theirs).
  // Constant time: kept by the projection.
  std::size_t subject_count() const;
  std::size_t schema_count() const;
  std::uint64_t compatibility_checks() const { return compatibility_checks_.load(); }

  const RegistryOptions& options() const { return options_; }

 private:
  Result<VersionInfo> lookup_in_subject(const std::string& name, const SchemaInput& input,
                                        bool normalize, bool include_deleted) const;

  registry::LogStore& store_;
  compat::Engine& engine_;
  RegistryOptions options_;
  std::atomic<std::uint64_t> compatibility_checks_{0};
};

}  // namespace sg::service
