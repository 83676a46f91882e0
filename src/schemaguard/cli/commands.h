// The `schemaguard` command line, callable in-process so tests can run it without a shell.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"

namespace sg::cli {

// What --version prints and `serve` reports (as project() in the top-level CMakeLists.txt).
inline constexpr std::string_view kVersion = "0.1.0";

// Exit statuses shared by every subcommand.
inline constexpr int kExitOk = 0;            // success; for checks: compatible
inline constexpr int kExitIncompatible = 1;  // a check found problems
inline constexpr int kExitUsage = 2;         // bad arguments, unreadable or invalid input

// Runs `schemaguard` with `args` (args[0] is the program name), writing results to `out` and
// diagnostics to `err`. Returns the process exit status.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace sg::cli
