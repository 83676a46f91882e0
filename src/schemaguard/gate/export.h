// The export file: a registry's subjects, versions, ids, levels and modes in one JSON document
// (format in docs/ci-gate.md, "Export file"). `schemaguard export` writes it from a live
// registry, `schemaguard import` registers it into another one keeping ids and versions, and
// `check --against FILE` reads it as a baseline (ExportBaseline).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/gate/baseline.h"
#include "schemaguard/model/compatibility_level.h"
#include "schemaguard/model/schema_type.h"

namespace sg::client {
class RegistryClient;
}  // namespace sg::client

namespace sg::gate {

struct ExportedVersion {
  int version = 0;
  std::optional<int> id;  // hand-written exports may leave it out; import needs it
  SchemaType type = SchemaType::kAvro;
  std::string schema;
  std::vector<BaselineReference> references;
  bool deleted = false;  // soft-deleted in the registry: kept for its id, never checked against
};

struct ExportedSubject {
  std::optional<CompatibilityLevel> level;  // the subject's own level, if it has one
  std::optional<std::string> mode;          // the subject's own mode, if it has one
  std::vector<ExportedVersion> versions;    // ascending, each number once
};

struct RegistryExport {
  std::optional<CompatibilityLevel> level;  // the global level
  std::optional<std::string> mode;          // the global mode
  std::map<std::string, ExportedSubject, std::less<>> subjects;
};

// Validates and reads an export. kInvalidArgument "NAME: at /json/pointer: what is wrong".
Result<RegistryExport> parse_export(std::string_view text, const std::string& display_name);
// The same from a file; kIoError when it does not exist.
Result<RegistryExport> read_export(const std::filesystem::path& path);

// The document, pretty-printed (two-space indents, subjects sorted), ending with a newline.
std::string format_export(const RegistryExport& document);

// Reads everything a registry holds: every subject (soft-deleted ones too), every version with
// its id, type and references (soft-deleted ones flagged), each subject's own level and mode,
// and the global level and mode.
Result<RegistryExport> export_registry(client::RegistryClient& registry);

struct ImportOptions {
  // Import into a registry that already holds subjects (IMPORT mode is then entered with force).
  bool force = false;
};

// Registers everything of `document` into `registry` with its ids and version numbers: enters
// IMPORT mode, registers each version after the versions it references, soft-deletes the
// versions the export flags deleted, restores subject levels and modes and the global level, and
// puts the registry's global mode back as it was (also when something fails). One line per
// action goes to `log`. kInvalidArgument when the registry is not empty and !force, or a version
// has no id.
Status import_registry(client::RegistryClient& registry, const RegistryExport& document,
                       const ImportOptions& options, std::ostream& log);

}  // namespace sg::gate
