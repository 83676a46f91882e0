// `schemaguard check`: which configured schemas changed against a baseline, and whether each
// is still compatible with the versions before it.
//
// One result model feeds every output format (report.h). The check itself never prints.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/gate/baseline.h"
#include "schemaguard/gate/config.h"
#include "schemaguard/model/incompatibility.h"

namespace sg::compat {
class Engine;
}  // namespace sg::compat

namespace sg::gate {

enum class SubjectStatus {
  kCompatible,    // changed, and compatible with the versions its level checks
  kIncompatible,  // changed, and at least one finding
  kNew,           // no version in the baseline: nothing to break, passes
  kUnchanged,     // same schema as the baseline's latest, and nothing it references changed
};

std::string_view to_string(SubjectStatus status);

// One incompatibility, placed in the new schema's file and told as who it breaks.
struct Finding {
  Incompatibility problem;  // as the engine reported it (its `version` is a list position)
  int old_version = 0;      // the baseline version number it conflicts with
  std::string old_origin;   // where that version came from: "commit 1a2b3c4", "export version 3"
  TextPosition position;    // in the new schema's file; {0, 0} when it cannot be placed
  // Who it breaks: "consumers using v4 (this change) cannot read events written by producers
  // on v3" for a backward problem, the other way round for a forward one.
  std::string consequence;
};

struct SubjectResult {
  std::string subject;
  std::string file;  // relative to the repository root (or the config's directory outside git)
  SchemaType type = SchemaType::kAvro;
  std::optional<CompatibilityLevel> level;  // set when it was checked
  SubjectStatus status = SubjectStatus::kUnchanged;
  int baseline_versions = 0;  // how many versions the baseline has
  int new_version = 0;        // the version number this change would become
  std::string reason;         // why it was checked: "changed", "references x.avsc, which changed"
  std::vector<int> checked_versions;  // the baseline versions its level compared it with
  std::vector<Finding> findings;
};

struct CheckReport {
  std::string baseline;                 // Baseline::description()
  std::vector<SubjectResult> subjects;  // every configured schema, in the config's order
  std::vector<std::string> warnings;    // e.g. a committed version that does not parse

  bool compatible() const;
  // 0 when every checked subject is compatible, 1 otherwise (cli::kExitOk/kExitIncompatible).
  int exit_status() const;
  std::size_t count(SubjectStatus status) const;
};

// Checks every schema of `config` whose text differs from the baseline's latest version, and
// every schema that references such a schema (directly or not). Errors (a schema file that
// does not parse, a reference cycle, a level to be read from a baseline that has none, a
// baseline that cannot be read) are returned, for exit status 2.
Result<CheckReport> run_check(const Config& config, Baseline& baseline, compat::Engine& engine);

}  // namespace sg::gate
