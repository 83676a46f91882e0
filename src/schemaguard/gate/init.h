// `schemaguard init`: a commented starter schemaguard.yaml from the schema files of a directory.
//
//   schemaguard init [--dir DIR] [--output FILE] [--force]
//
// Finds Avro (.avsc), Protobuf (.proto) and JSON Schema (.json files whose top level looks like
// a schema: "$schema", "type", "properties", "$ref", "allOf"/"anyOf"/"oneOf") under DIR, skipping
// .git, node_modules and build directories, and writes one entry per file with a subject named
// after the file ("<stem>-value"), a comment naming the other subject strategies, and the
// default level. The file it writes is loaded back by the same loader `check` uses, so it is
// valid as written. Exit status: 0 written, 2 when nothing was found, the output exists (without
// --force) or it cannot be written.
#pragma once

#include <ostream>
#include <string>

namespace sg::gate {

struct InitCommand {
  std::string directory = ".";
  std::string output;  // default: DIRECTORY/schemaguard.yaml
  bool force = false;
};

int run_init_command(const InitCommand& command, std::ostream& out, std::ostream& err);

}  // namespace sg::gate
