// Compatibility levels and what each one checks.
//
// BACKWARD: a reader using the new schema can read data written with the old one.
// FORWARD:  a reader using the old schema can read data written with the new one.
// FULL:     both. *_TRANSITIVE: against every earlier (non-deleted) version, not just the newest.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sg {

enum class CompatibilityLevel {
  kNone,
  kBackward,
  kBackwardTransitive,
  kForward,
  kForwardTransitive,
  kFull,
  kFullTransitive,
};

// "NONE", "BACKWARD", ..., "FULL_TRANSITIVE".
std::string_view to_string(CompatibilityLevel level);

// Accepts the upper-case names; case-insensitive, as the REST API's PUT /config is.
std::optional<CompatibilityLevel> compatibility_level_from_string(std::string_view text);

// Confluent's per-subject `compatibilityPolicy`: how strictly a pair is judged, whatever the
// level. Only JSON Schema reads it (LENIENT also accepts changes to open and closed content
// models that old data is unlikely to trip over, compat-rules.md §3); every other format judges
// a pair the same under any policy.
enum class CompatibilityPolicy {
  kStrict,
  kLenient,
};

// LENIENT for "LENIENT" in any case; STRICT for anything else, unset included. (Confluent's
// LOGICAL, which adds logical-type checks, is judged as STRICT.)
CompatibilityPolicy compatibility_policy_from_config(const std::optional<std::string>& value);

// True when the new schema must be able to read data written with older ones.
constexpr bool checks_backward(CompatibilityLevel level) {
  return level == CompatibilityLevel::kBackward ||
         level == CompatibilityLevel::kBackwardTransitive || level == CompatibilityLevel::kFull ||
         level == CompatibilityLevel::kFullTransitive;
}

// True when older schemas must be able to read data written with the new one.
constexpr bool checks_forward(CompatibilityLevel level) {
  return level == CompatibilityLevel::kForward || level == CompatibilityLevel::kForwardTransitive ||
         level == CompatibilityLevel::kFull || level == CompatibilityLevel::kFullTransitive;
}

// True when every earlier version is checked, not only the newest.
constexpr bool is_transitive(CompatibilityLevel level) {
  return level == CompatibilityLevel::kBackwardTransitive ||
         level == CompatibilityLevel::kForwardTransitive ||
         level == CompatibilityLevel::kFullTransitive;
}

}  // namespace sg
