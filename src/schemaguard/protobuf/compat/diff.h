// Confluent's Protobuf compatibility rules (compat-rules.md §4) over libprotobuf descriptors.
//
//   auto differences = sg::protobuf::diff(*old_file, *new_file);   // original = writer side
//   if (!sg::protobuf::compatible(differences)) ...
//
// The diff always runs with original = the writer's file and update = the reader's: BACKWARD
// diffs (old, new), FORWARD (new, old). It reports every difference Confluent reports,
// compatible ones included, with Confluent's type name and path, so that the verdict and the
// explanation match Confluent's registry. Files are compared as parsed by libprotoc with their
// dependencies resolved (the types of imported files are compared too, when a field's type
// comes from one).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/model/incompatibility.h"

namespace google::protobuf {
class FileDescriptor;
}

namespace sg::protobuf {

struct Difference {
  // Confluent's name, e.g. "FIELD_SCALAR_KIND_CHANGED".
  std::string type;
  // Confluent's path: "#/" (the file), "#/Message/Nested/3" (a field by tag),
  // "#/Message/oneof_name/3" (a oneof member), "#/Enum/1" (an enum constant).
  std::string path;
  // Where the path leads in each file (the nearest enclosing element when it is absent there;
  // 0 when the file carries no source locations).
  TextPosition original_position;
  TextPosition update_position;
  // For incompatible types: what goes wrong, in a reader-and-writer sentence, and a fix.
  std::string message;
  std::string hint;
};

// Every difference between `original` (the writer's file) and `update` (the reader's).
std::vector<Difference> diff(const google::protobuf::FileDescriptor& original,
                             const google::protobuf::FileDescriptor& update);

// Whether Confluent counts `type` as compatible (the 15 types of compat-rules.md §4.3).
bool is_compatible_type(std::string_view type);

// True when every difference is of a compatible type.
bool compatible(const std::vector<Difference>& differences);

// The incompatible differences as the compat engine reports them for the pair (reader =
// update, writer = original).
Incompatibilities incompatibilities(const std::vector<Difference>& differences);

}  // namespace sg::protobuf
