// The projection: the registry's in-memory state (subjects, versions, ids, configs, modes),
// rebuilt by replaying the log and kept current by applying each new record.
//
// One thread applies records, in log order; any number of threads read concurrently. Reads
// never wait on a global lock: state is sharded, each shard's lock is held only to copy out a
// shared pointer, and what readers get (a SubjectState, a StoredSchema) is immutable.
//
// Subjects may be qualified with a context (":.ctx:orders-value"); ids are per context.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/registry/records.h"

namespace sg::registry {

class View;

// What a schema id stands for in its context: the registered content.
struct StoredSchema {
  std::string context;  // "." for the default context
  int id = 0;
  SchemaType type = SchemaType::kAvro;
  std::string schema;
  std::vector<SchemaReference> references;
  std::optional<std::string> metadata;
  std::optional<std::string> rule_set;

  // True if `record` carries the same content (what an id must never change).
  bool same_content(const SchemaRecord& record) const;

  // The content as a record (type, schema, references, metadata, rule set; no subject,
  // version or id).
  SchemaRecord content() const;

  // Confluent's guid of the content (identity.h), computed on first use and kept: every
  // response that shows the schema carries it. nullopt if the stored metadata or rule set is
  // not of Confluent's shape (written by a foreign node). Thread-safe.
  const std::optional<std::string>& guid() const;

 private:
  mutable std::once_flag guid_once_;
  mutable std::optional<std::string> guid_;
};
using StoredSchemaPtr = std::shared_ptr<const StoredSchema>;

struct SubjectVersion {
  int version = 0;
  StoredSchemaPtr schema;
  bool deleted = false;
  std::uint64_t offset = 0;  // where the record that set this state sits in the log
};

// Every version of one subject that has a record in the log, soft-deleted ones included,
// ascending by version. Immutable: the projection replaces it as a whole when it changes.
struct SubjectState {
  std::string name;
  std::vector<SubjectVersion> versions;

  const SubjectVersion* find(int version) const;
  // The newest version, skipping soft-deleted ones unless `include_deleted`; nullptr if none.
  const SubjectVersion* latest(bool include_deleted = false) const;
  // The highest version number with a record (deleted or not), 0 if none: the next version
  // registered is this + 1, so numbers are not reused while a record for them exists.
  int max_version() const;
  bool has_live_versions() const { return latest(false) != nullptr; }
};
using SubjectStatePtr = std::shared_ptr<const SubjectState>;

struct SubjectAndVersion {
  std::string subject;
  int version = 0;
  bool deleted = false;

  friend bool operator==(const SubjectAndVersion&, const SubjectAndVersion&) = default;
};

// The context a subject belongs to: ".ctx" for ":.ctx:name", "." for a plain name.
std::string context_of(std::string_view subject);

class Projection {
 public:
  Projection();
  ~Projection();
  Projection(const Projection&) = delete;
  Projection& operator=(const Projection&) = delete;

  // Applies the record found at `offset`. REQUIRES: records are applied in log order, from one
  // thread at a time. A SCHEMA record that would rebind an id to different content is ignored,
  // as Confluent's readers ignore it.
  void apply(std::uint64_t offset, const Record& record);
  // The same, moving the schema text into the projection instead of copying it.
  void apply(std::uint64_t offset, Record&& record);
  // The same, for a projection no other thread reads meanwhile (replay before it is shared): a
  // subject's state is changed in place when nothing else holds it, not copied, so a subject of
  // n versions replays in O(n), not O(n^2). States the caller still holds are left unchanged.
  void apply_unshared(std::uint64_t offset, Record&& record);

  // The offset after the last record applied (0 before any).
  std::uint64_t applied_end() const;

  // The subject's versions, or nullptr if it has no records.
  SubjectStatePtr subject(std::string_view name) const;

  // Subjects with at least one version (with a live one unless `include_deleted`), sorted.
  std::vector<std::string> subjects(bool include_deleted = false) const;
  // How many subjects subjects(include_deleted) lists, without listing them (nor walking them).
  std::size_t subject_count(bool include_deleted = false) const;

  // The content an id stands for in `context`, or nullptr (unknown, or every version using it
  // was permanently deleted).
  StoredSchemaPtr schema_by_id(std::string_view context, int id) const;

  // Every (subject, version) that uses the id, sorted.
  std::vector<SubjectAndVersion> versions_of_id(std::string_view context, int id) const;
  // How many ids are in use, all contexts together: the distinct (context, id) pairs that some
  // version, soft-deleted or not, uses. Without walking subjects or ids.
  std::size_t schema_count() const;

  // The id already bound to this exact content in `context`, if any.
  std::optional<int> id_for_content(std::string_view context, const SchemaRecord& content) const;

  // The highest id seen in `context` (0 if none): new ids are allocated above it.
  int max_id(std::string_view context) const;

  // Ids of schemas whose references point at (subject, version), ascending.
  std::vector<int> referenced_by(std::string_view subject, int version) const;

  // The stored config / mode record for a subject, or for the global scope (nullopt subject).
  std::optional<ConfigRecord> config(const std::optional<std::string>& subject) const;
  std::optional<ModeRecord> mode(const std::optional<std::string>& subject) const;
  // Every subject (or ":.ctx:" context scope) with its own mode record, sorted; subjects without
  // any schema included.
  std::vector<std::string> subjects_with_mode() const;

  // Contexts that have had a registration or a CONTEXT record, sorted (always includes ".").
  std::vector<std::string> contexts() const;

  // Appends the whole state as bytes, applied_end() included, to `out`: the payload of a
  // snapshot (snapshot.h). REQUIRES: no record is applied meanwhile.
  void save(std::string& out) const;
  // Replaces the state by one that save() produced, all or nothing: on an error (bytes that are
  // not save()'s of this version) the projection is left as it was. `accept`, if set, is asked
  // once the new state is built and may still refuse it (a snapshot's checksum, computed
  // meanwhile). REQUIRES: no other thread uses the projection meanwhile.
  Status load(std::string_view bytes, const std::function<Status()>& accept = {});

 private:
  friend class View;  // layers a write group's pending records over the tables (view.h)
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sg::registry
