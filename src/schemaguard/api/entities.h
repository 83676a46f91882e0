// Confluent's wire entities (rest-api.md §2): request bodies parsed into service types, service
// results written in the 8.x response shapes, with Jackson's NON_EMPTY omissions and the member
// order Confluent's server writes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "schemaguard/api/json.h"
#include "schemaguard/base/result.h"
#include "schemaguard/registry/projection.h"
#include "schemaguard/service/registry.h"

namespace sg::api {

// A RegisterSchemaRequest (§2.3), the body of register, lookup and compatibility calls.
struct SchemaRequest {
  service::SchemaInput input;
  // Set when `schemaType` names no provider: Confluent answers 42201 "Invalid schema type X",
  // but only once the call gets to parsing (after subject and version checks).
  std::optional<Error> invalid_type;
  // Set when `ruleSet` fails RuleSet.validate(): 42210, raised by registration only.
  std::optional<Error> invalid_rule_set;
};

// Parses the body. A missing body is the 422 of bean validation naming `parameter`; malformed
// JSON or a member of the wrong type a 400.
Result<SchemaRequest> parse_schema_request(std::string_view body, std::string_view parameter);

// `metadata` (§2.6) as Jackson re-serialises Confluent's Metadata: tags, properties, sensitive,
// maps and sets sorted, empty members and unknown ones dropped. 400 for wrong member types.
Result<std::string> canonical_metadata(const boost::json::value& value);

// A RuleSet, likewise canonical (rules keep their order; kind and mode take their defaults
// TRANSFORM and WRITEREAD), and whether it passes RuleSet.validate() (else a 42210 in
// `invalid`).
struct CanonicalRuleSet {
  std::string json;
  std::optional<Error> invalid;
};
Result<CanonicalRuleSet> canonical_rule_set(const boost::json::value& value);

// A PUT /config body (ConfigUpdateRequest): `compatibility` and the other members; explicit null
// clears a member, unknown members (`compatibilityLevel` included) are ignored. 42210 for an
// invalid defaultRuleSet/overrideRuleSet.
Result<service::ConfigUpdate> parse_config_update(std::string_view body);

// A PUT /mode body: the mode as sent, nullopt for an explicit null (clear the mode). 42204 when
// the member is absent (Confluent fails with a NullPointerException there).
Result<std::optional<std::string>> parse_mode_update(std::string_view body);

// --- Responses --------------------------------------------------------------------------------

// Schema (§2.1): a subject-version. `deleted` is always written.
void write_schema(JsonWriter& out, const service::VersionInfo& version,
                  const std::optional<std::string>& schema_text = std::nullopt);
// `schema_text`: the schema in a form `?format=` asked for, instead of the stored text.
std::string schema_entity(const service::VersionInfo& version,
                          const std::optional<std::string>& schema_text = std::nullopt);

// SchemaString (§2.2): GET /schemas/ids/{id} and /schemas/guids/{guid}.
struct SchemaStringFields {
  std::optional<service::IdUse> use;  // subject, version, deleted: when `subject` was asked for
  std::optional<int> max_id;          // with fetchMaxId
  std::optional<std::string> schema_text;  // `?format=`'s form instead of the stored text
};
std::string schema_string_entity(const registry::StoredSchema& schema,
                                 const SchemaStringFields& fields);

// RegisterSchemaResponse (§2.4).
std::string register_response(const service::VersionInfo& version);

// Config (GET and DELETE: `compatibilityLevel`) or ConfigUpdateRequest (PUT: `compatibility`).
enum class ConfigForm { kConfig, kUpdate };
std::string config_entity(const registry::ConfigRecord& config, ConfigForm form);

}  // namespace sg::api
