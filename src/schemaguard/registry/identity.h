// Confluent's content identity of a schema: the MD5 it keys its content index by and prints as
// the schema's `guid` (rest-api.md §5.10). Two registrations with the same digest are the same
// content, whatever their subject, version, id or schema type.
//
//   Result<std::string> guid = schema_guid(record);   // "d629bb05-ad85-3d20-fbcb-895de3c459f7"
//
// Bytes fed to MD5, in order (strings are their UTF-8 bytes, with no length prefix or
// separator; "sorted" means Java String order, i.e. by UTF-16 code units):
//   1. the schema text;
//   2. per reference, in list order: name, subject, version as a 4-byte big-endian int;
//   3. if metadata is present (not absent, not JSON null): 0x01, then each tag key (sorted)
//   followed
//      by its distinct values (sorted), each property key (sorted) followed by its value, each
//      distinct sensitive name (sorted);
//   4. if a rule set is present: 0x01, then every rule of migrationRules, domainRules and
//      encodingRules in list order (name, doc, kind, mode, type, distinct tags sorted, params as
//      key+value sorted by key, expr, onSuccess, onFailure, then 0x01 only if disabled), then the
//      `enableAt` name if set.
// Absent, null and empty strings and collections add no bytes. A rule's kind defaults to
// TRANSFORM and its mode to WRITEREAD, and those names are hashed. Enum values are hashed as their
// names. String-typed members accept JSON integers and booleans as Jackson does (hashed as their
// decimal / "true" / "false" text); other non-string values are rejected.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "schemaguard/base/result.h"
#include "schemaguard/registry/records.h"

namespace sg::registry {

// The 16-byte MD5 Confluent computes over a schema's identity (rest-api.md §5.10): text,
// references, metadata, rule set (schemaType is not part of it). Fails with kInvalidSchema /
// kInvalidRuleSet style errors if metadata/rule_set are not valid JSON of the expected shape.
Result<std::array<std::uint8_t, 16>> schema_md5(const SchemaRecord& content);

// The same digest printed as a UUID (8-4-4-4-12 lower-case hex), Confluent's `guid`.
Result<std::string> schema_guid(const SchemaRecord& content);

std::string format_uuid(const std::array<std::uint8_t, 16>& bytes);

}  // namespace sg::registry
