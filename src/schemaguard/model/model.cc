#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

#include "schemaguard/model/compatibility_level.h"
#include "schemaguard/model/schema_type.h"

namespace sg {

std::string_view to_string(SchemaType type) {
  switch (type) {
    case SchemaType::kAvro: return "AVRO";
    case SchemaType::kJson: return "JSON";
    case SchemaType::kProtobuf: return "PROTOBUF";
  }
  return "AVRO";
}

std::optional<SchemaType> schema_type_from_string(std::string_view text) {
  for (auto type : {SchemaType::kAvro, SchemaType::kJson, SchemaType::kProtobuf}) {
    if (to_string(type) == text) return type;
  }
  return std::nullopt;
}

namespace {
constexpr std::array<std::pair<CompatibilityLevel, std::string_view>, 7> kLevelNames = {{
    {CompatibilityLevel::kNone, "NONE"},
    {CompatibilityLevel::kBackward, "BACKWARD"},
    {CompatibilityLevel::kBackwardTransitive, "BACKWARD_TRANSITIVE"},
    {CompatibilityLevel::kForward, "FORWARD"},
    {CompatibilityLevel::kForwardTransitive, "FORWARD_TRANSITIVE"},
    {CompatibilityLevel::kFull, "FULL"},
    {CompatibilityLevel::kFullTransitive, "FULL_TRANSITIVE"},
}};
}  // namespace

std::string_view to_string(CompatibilityLevel level) {
  for (const auto& [value, name] : kLevelNames) {
    if (value == level) return name;
  }
  return "NONE";
}

std::optional<CompatibilityLevel> compatibility_level_from_string(std::string_view text) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (const auto& [value, name] : kLevelNames) {
    if (name == upper) return value;
  }
  return std::nullopt;
}

CompatibilityPolicy compatibility_policy_from_config(const std::optional<std::string>& value) {
  if (!value || value->size() != 7) return CompatibilityPolicy::kStrict;
  for (std::size_t i = 0; i < 7; ++i) {
    if (std::toupper(static_cast<unsigned char>((*value)[i])) != "LENIENT"[i]) {
      return CompatibilityPolicy::kStrict;
    }
  }
  return CompatibilityPolicy::kLenient;
}

}  // namespace sg
