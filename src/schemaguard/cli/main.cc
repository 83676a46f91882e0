// `schemaguard`: thin entry point; everything lives in commands.cc.
#include <iostream>
#include <string>
#include <vector>

#include "schemaguard/cli/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  return sg::cli::run(args, std::cout, std::cerr);
}
