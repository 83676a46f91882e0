// Running a helper program (git) without a shell and capturing what it prints.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"

namespace sg::gate {

struct ProcessOutput {
  int exit_status = 0;  // the program's exit status; 128 + N when killed by signal N
  std::string out;      // everything it wrote to stdout
  std::string err;      // everything it wrote to stderr
};

// Runs `argv` (argv[0] searched in PATH) with the caller's environment, `input` on its stdin
// (then end of file), and waits for it. A non-zero exit status is not an error here: callers
// decide what it means. Fails with kIoError only when the program cannot be started or its
// output cannot be read.
Result<ProcessOutput> run_process(const std::vector<std::string>& argv,
                                  std::string_view input = {});

}  // namespace sg::gate
