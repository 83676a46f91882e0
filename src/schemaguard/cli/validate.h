// `schemaguard validate`: check JSON documents (events, fixtures, recorded traffic) against a
// schema, as a consumer using that schema would accept or reject them.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace sg::cli {

struct ValidateArgs {
  std::string type = "json";  // json (JSON Schema) or protobuf (protobuf's JSON mapping)
  std::string schema_file;
  // "NAME=FILE": a schema the main one references by NAME (a `$ref` URL, an import path), in
  // dependency order: a reference may use the ones before it.
  std::vector<std::string> references;
  // Protobuf: the message the documents are (full name); default: the file's first message.
  std::string message;
  // Each file holds one document per line (JSON Lines) instead of one document.
  bool lines = false;
  std::string output = "text";         // text or json
  std::vector<std::string> documents;  // files; none or "-": standard input
};

// Exit status: 0 every document is valid, 1 some document is invalid (or not JSON), 2 the schema
// or a file cannot be read or parsed.
int run_validate(const ValidateArgs& args, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace sg::cli
