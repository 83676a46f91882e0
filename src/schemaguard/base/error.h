// Error values shared by every SchemaGuard module.
//
// An `Error` is a Confluent Schema Registry error code plus a human-readable message. The code
// is what clients branch on (the Java client treats 40401/40403 as "not registered"), so the
// numeric values are a wire contract; the HTTP status is derived from the code (code / 100 for
// five-digit codes, the code itself for the legacy three-digit ones).
//
// Errors are values: functions that can fail return `sg::Result<T>` (see result.h) and never
// throw across a module boundary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sg {

// Confluent Schema Registry error codes (rest/exceptions/Errors.java), plus `kInternal`.
enum class ErrorCode : std::int32_t {
  kSubjectNotFound = 40401,
  kVersionNotFound = 40402,
  kSchemaNotFound = 40403,
  kSubjectSoftDeleted = 40404,
  kSubjectNotSoftDeleted = 40405,
  kVersionSoftDeleted = 40406,
  kVersionNotSoftDeleted = 40407,
  kSubjectCompatibilityNotConfigured = 40408,
  kSubjectModeNotConfigured = 40409,
  kIncompatibleSchema = 40901,
  kInvalidSchema = 42201,
  kInvalidVersion = 42202,
  kInvalidCompatibilityLevel = 42203,
  kInvalidMode = 42204,
  kOperationNotPermitted = 42205,
  kReferenceExists = 42206,
  kIdDoesNotMatch = 42207,
  kInvalidSubject = 42208,
  kSchemaTooLarge = 42209,
  kInvalidRuleSet = 42210,
  kContextNotEmpty = 42211,
  kStoreError = 50001,
  kOperationTimeout = 50002,
  kForwardingError = 50003,
  kLeaderUnknown = 50004,
  // Not a Confluent code: a bug or an unexpected failure inside SchemaGuard. Reported as 500.
  kInternal = 50000,
  // Not a Confluent code: bad command-line or configuration input (CLI exit status 2).
  kInvalidArgument = 40000,
  // Not a Confluent code: a file or socket could not be read or written.
  kIoError = 50010,
  // Not a Confluent code: a compare-and-append found the log's end elsewhere than expected
  // (another writer got there first). Writers catch up and retry; clients never see it.
  kLogConflict = 50011,
};

// The numeric code as sent in the `error_code` field.
constexpr std::int32_t error_code_value(ErrorCode code) {
  return static_cast<std::int32_t>(code);
}

// The HTTP status a response carrying `code` uses.
constexpr int http_status(ErrorCode code) {
  const auto value = error_code_value(code);
  return value >= 10000 ? value / 100 : value;
}

// A short stable name for logs and the CLI ("INVALID_SCHEMA").
std::string_view error_code_name(ErrorCode code);

class [[nodiscard]] Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is `context + ": " + message()`; the code is kept.
  Error with_context(std::string_view context) const;

  // "INVALID_SCHEMA (42201): message".
  std::string to_string() const;

  friend bool operator==(const Error&, const Error&) = default;

 private:
  ErrorCode code_;
  std::string message_;
};

}  // namespace sg
