// Typed views of the records in the registry's log, and their exact encoding as Confluent's
// `_schemas` topic stores them (keys byte-for-byte as Confluent's Jackson writes them, so that
// Kafka compaction collapses records written by Java and by SchemaGuard nodes alike).
//
//   storage::LogRecord bytes = encode(SchemaRecord{...});
//   Result<Record> typed = decode(bytes);   // accepts what any Confluent version wrote
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/model/schema_type.h"
#include "schemaguard/storage/log.h"

namespace sg::registry {

struct SchemaReference {
  std::string name;     // how the referring schema names it (Avro full name, import path, URL)
  std::string subject;  // where it is registered
  int version = 0;

  friend bool operator==(const SchemaReference&, const SchemaReference&) = default;
};

// keytype SCHEMA, with a value: a registered version (or its soft deletion, deleted = true).
struct SchemaRecord {
  std::string subject;
  int version = 0;
  int id = 0;
  SchemaType type = SchemaType::kAvro;
  std::vector<SchemaReference> references;
  std::string schema;
  bool deleted = false;
  // Data-contract fields, kept verbatim (compact JSON) when present.
  std::optional<std::string> metadata;
  std::optional<std::string> rule_set;

  friend bool operator==(const SchemaRecord&, const SchemaRecord&) = default;
};

// keytype SCHEMA without a value: the version is permanently deleted.
struct SchemaTombstone {
  std::string subject;
  int version = 0;

  friend bool operator==(const SchemaTombstone&, const SchemaTombstone&) = default;
};

// keytype CONFIG. `subject` is nullopt for the global config. `tombstone` = DELETE /config.
// Fields Confluent defines but SchemaGuard does not interpret yet are kept verbatim in `extra`
// (compact JSON object of those members) so that rewriting a record never loses them.
struct ConfigRecord {
  std::optional<std::string> subject;
  bool tombstone = false;
  std::optional<std::string> compatibility_level;  // "BACKWARD", ...
  std::optional<bool> normalize;
  std::optional<std::string> compatibility_group;
  std::optional<std::string> compatibility_policy;
  std::optional<bool> validate_fields;
  std::optional<std::string> alias;
  std::optional<std::string> extra;

  friend bool operator==(const ConfigRecord&, const ConfigRecord&) = default;
};

// keytype MODE. `subject` is nullopt for the global mode. `tombstone` = DELETE /mode.
struct ModeRecord {
  std::optional<std::string> subject;
  bool tombstone = false;
  std::string mode;  // "READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT"

  friend bool operator==(const ModeRecord&, const ModeRecord&) = default;
};

// keytype DELETE_SUBJECT: versions 1..version of the subject are soft-deleted.
struct DeleteSubjectRecord {
  std::string subject;
  int version = 0;

  friend bool operator==(const DeleteSubjectRecord&, const DeleteSubjectRecord&) = default;
};

// keytype CLEAR_SUBJECT: drop soft-deleted versions of subjects matching `subject` (a subject or
// a context prefix; nullopt = all).
struct ClearSubjectRecord {
  std::optional<std::string> subject;

  friend bool operator==(const ClearSubjectRecord&, const ClearSubjectRecord&) = default;
};

// keytype CONTEXT.
struct ContextRecord {
  std::string tenant = "default";
  std::string context;

  friend bool operator==(const ContextRecord&, const ContextRecord&) = default;
};

// keytype NOOP, and any record of a kind this version does not know (readers skip both).
struct NoopRecord {
  friend bool operator==(const NoopRecord&, const NoopRecord&) = default;
};

using Record = std::variant<SchemaRecord, SchemaTombstone, ConfigRecord, ModeRecord,
                            DeleteSubjectRecord, ClearSubjectRecord, ContextRecord, NoopRecord>;

// The exact key and value bytes Confluent writes for `record`.
storage::LogRecord encode(const Record& record);

// Reads a record written by SchemaGuard or by any Confluent version: magic 0 or 1, unknown
// fields ignored, `schemaType` absent meaning AVRO, a value without `subject` taking it from the
// key, unknown key types read as NoopRecord. Fails with kStoreError on bytes that are not a
// record at all.
Result<Record> decode(const storage::LogRecord& bytes);

}  // namespace sg::registry
