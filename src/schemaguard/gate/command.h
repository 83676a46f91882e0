// `schemaguard check` as a function: configuration, baseline, check and report, with the exit
// statuses of the command line. The CLI (cli/commands.cc) only parses arguments into this.
#pragma once

#include <ostream>
#include <string>

namespace sg::gate {

struct CheckCommand {
  std::string config = "schemaguard.yaml";
  // "git:REF", an export file, or empty for git's default (origin/main, else main).
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

}  // namespace sg::gate
