// The CI gate's commands as functions (check, export, import, plan, apply): configuration,
// registry or baseline, work and report, with the exit statuses of the command line. The CLI
// (cli/commands.cc) only parses arguments into these.
#pragma once

#include <ostream>
#include <string>

namespace sg::gate {

struct CheckCommand {
  std::string config = "schemaguard.yaml";
  // "git:REF", an http:// registry URL, "registry" (the config's registry.url), an export file,
  // or empty for git's default (origin/main, else main).
  std::string against;
  std::string format = "text";  // text, json, github, sarif, junit
  bool colour = false;          // the caller decides: stdout is a terminal and NO_COLOR unset
  std::string tool_version;
};

// Exit statuses, as cli/commands.h defines them for every subcommand.
inline constexpr int kCheckCompatible = 0;
inline constexpr int kCheckIncompatible = 1;
inline constexpr int kCheckError = 2;

// Runs the check. The report goes to `out` in the chosen format; errors go to `err` as
// "error: ...". When the format is not text, every finding is also written to `err` as a plain
// line, for the CI log. Returns 0, 1 or 2.
int run_check_command(const CheckCommand& command, std::ostream& out, std::ostream& err);

// Where a registry command finds its registry: `registry` (a URL) or else the config's
// registry.url. Credentials come from the environment variables the config names.
struct RegistryTarget {
  std::string registry;
  // The configuration; read by export and import only when given (they need no schemas), by
  // plan and apply always.
  std::string config;
};

// `schemaguard export`: the whole registry to `output` (empty or "-": stdout). 0, or 2 on error.
struct ExportCommand {
  RegistryTarget target;
  std::string output;
};
int run_export_command(const ExportCommand& command, std::ostream& out, std::ostream& err);

// `schemaguard import`: an export file into a registry, ids and versions kept. 0, or 2 on error.
struct ImportCommand {
  RegistryTarget target;
  std::string file;
  bool force = false;  // import into a registry that already has subjects
};
int run_import_command(const ImportCommand& command, std::ostream& out, std::ostream& err);

// `schemaguard plan` (apply false) and `schemaguard apply` (apply true). Both first check every
// changed schema against the registry as `check --against URL` does; an incompatible one is
// reported in `format` and the exit status is 1 (apply then changes nothing). Otherwise plan
// prints the plan (text or json) and exits 0; apply performs it, printing what it did.
struct PlanCommand {
  RegistryTarget target{"", "schemaguard.yaml"};
  std::string format = "text";  // text or json (the plan); a failed check uses the same
  bool apply = false;
  bool colour = false;
  std::string tool_version;
};
int run_plan_command(const PlanCommand& command, std::ostream& out, std::ostream& err);

}  // namespace sg::gate
