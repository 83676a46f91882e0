// `schemaguard plan` / `schemaguard apply`: what registering the configured schemas into a
// registry would change, and doing it.
//
// For each configured schema, in dependency order (a referenced schema before the schemas that
// reference it):
//   - a registration when the file's content is not yet a version of its subject (asked with a
//     lookup, with the references the registration would carry);
//   - a config change when the configured level differs from the subject's effective level in
//     the registry (entries with `compatibility: registry` never change it).
// Applying sets the level first (so the registry checks the new version under it), then
// registers. A second apply finds nothing to do.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/gate/baseline.h"
#include "schemaguard/gate/config.h"

namespace sg::client {
class RegistryClient;
}  // namespace sg::client

namespace sg::gate {

struct SubjectPlan {
  std::string subject;
  std::string file;  // as in the config, relative to its directory
  SchemaType type = SchemaType::kAvro;
  // The file's content is a version of the subject already: that version and its id.
  std::optional<int> registered_version;
  std::optional<int> registered_id;
  int latest_version = 0;  // the subject's newest version; 0 for a new subject
  bool register_new = false;
  // The references a registration carries: each referenced file's subject at the version its
  // content is (or, when it is registered by the same plan, will be).
  std::vector<BaselineReference> references;
  std::optional<CompatibilityLevel> level_now;     // effective, in the registry
  std::optional<CompatibilityLevel> level_wanted;  // set when it differs from level_now
};

struct Plan {
  std::string registry;
  std::vector<SubjectPlan> subjects;  // dependency order

  std::size_t registrations() const;
  std::size_t config_changes() const;
  bool empty() const { return registrations() == 0 && config_changes() == 0; }
};

// Reads the registry and the configured files; changes nothing.
Result<Plan> make_plan(const Config& config, client::RegistryClient& registry);

// Performs `plan` in its order. A registration's references are re-read from what the earlier
// steps registered. One line per action goes to `log`.
Status apply_plan(const Config& config, const Plan& plan, client::RegistryClient& registry,
                  std::ostream& log);

// "text" (one line per subject) or "json" ({"registry", "registrations", "config_changes",
// "subjects": [{"subject", "file", "action", ...}]}).
void write_plan(const Plan& plan, bool json, std::ostream& out);

}  // namespace sg::gate
