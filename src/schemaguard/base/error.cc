#include "schemaguard/base/error.h"

#include <fmt/format.h>

namespace sg {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kSubjectNotFound: return "SUBJECT_NOT_FOUND";
    case ErrorCode::kVersionNotFound: return "VERSION_NOT_FOUND";
    case ErrorCode::kSchemaNotFound: return "SCHEMA_NOT_FOUND";
    case ErrorCode::kSubjectSoftDeleted: return "SUBJECT_SOFT_DELETED";
    case ErrorCode::kSubjectNotSoftDeleted: return "SUBJECT_NOT_SOFT_DELETED";
    case ErrorCode::kVersionSoftDeleted: return "SCHEMA_VERSION_SOFT_DELETED";
    case ErrorCode::kVersionNotSoftDeleted: return "SCHEMA_VERSION_NOT_SOFT_DELETED";
    case ErrorCode::kSubjectCompatibilityNotConfigured:
      return "SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED";
    case ErrorCode::kSubjectModeNotConfigured: return "SUBJECT_LEVEL_MODE_NOT_CONFIGURED";
    case ErrorCode::kIncompatibleSchema: return "INCOMPATIBLE_SCHEMA";
    case ErrorCode::kInvalidSchema: return "INVALID_SCHEMA";
    case ErrorCode::kInvalidVersion: return "INVALID_VERSION";
    case ErrorCode::kInvalidCompatibilityLevel: return "INVALID_COMPATIBILITY_LEVEL";
    case ErrorCode::kInvalidMode: return "INVALID_MODE";
    case ErrorCode::kOperationNotPermitted: return "OPERATION_NOT_PERMITTED";
    case ErrorCode::kReferenceExists: return "REFERENCE_EXISTS";
    case ErrorCode::kIdDoesNotMatch: return "ID_DOES_NOT_MATCH";
    case ErrorCode::kInvalidSubject: return "INVALID_SUBJECT";
    case ErrorCode::kSchemaTooLarge: return "SCHEMA_TOO_LARGE";
    case ErrorCode::kInvalidRuleSet: return "INVALID_RULESET";
    case ErrorCode::kContextNotEmpty: return "CONTEXT_NOT_EMPTY";
    case ErrorCode::kStoreError: return "STORE_ERROR";
    case ErrorCode::kOperationTimeout: return "OPERATION_TIMEOUT";
    case ErrorCode::kForwardingError: return "FORWARDING_ERROR";
    case ErrorCode::kLeaderUnknown: return "LEADER_UNKNOWN";
    case ErrorCode::kInternal: return "INTERNAL";
    case ErrorCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case ErrorCode::kIoError: return "IO_ERROR";
    case ErrorCode::kLogConflict: return "LOG_CONFLICT";
  }
  return "UNKNOWN";
}

Error Error::with_context(std::string_view context) const {
  return Error(code_, fmt::format("{}: {}", context, message_));
}

std::string Error::to_string() const {
  return fmt::format("{} ({}): {}", error_code_name(code_), error_code_value(code_), message_);
}

}  // namespace sg
