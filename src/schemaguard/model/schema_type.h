// The schema formats a registry knows, spelled as Confluent's `schemaType` field spells them.
#pragma once

#include <optional>
#include <string_view>

namespace sg {

enum class SchemaType { kAvro, kJson, kProtobuf };

// "AVRO", "JSON", "PROTOBUF".
std::string_view to_string(SchemaType type);

// Parses the exact upper-case spelling (the registry's `schemaType` is case-sensitive).
std::optional<SchemaType> schema_type_from_string(std::string_view text);

}  // namespace sg
