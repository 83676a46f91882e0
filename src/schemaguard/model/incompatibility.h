// One reason two schemas are not compatible, as data.
//
// Every format's pairwise checker reports a list of these for a (reader, writer) pair; the
// compat engine adds which direction and which earlier version it came from. Messages in
// Confluent's wording are rendered from this at the API edge; the CLI prints it directly.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sg {

// Which side of the check the new schema was on.
enum class Direction {
  kBackward,  // reader = new schema, writer = an older version
  kForward,   // reader = an older version, writer = new schema
};

struct Incompatibility {
  // Confluent's name for the kind of problem, e.g. "READER_FIELD_MISSING_DEFAULT_VALUE".
  std::string type;
  // JSON pointers (RFC 6901) to the offending node in the reader and in the writer schema's
  // JSON text ("" is the root). Either may point at the nearest enclosing node when the thing
  // itself is absent on that side (a field missing from the writer points at the record).
  std::string reader_path;
  std::string writer_path;
  // One readable sentence about what will go wrong, naming the field or type involved.
  std::string message;
  // How to make the change safe, or empty when there is no general fix.
  std::string hint;
  // Set by the compat engine: the direction of the failing check and the version (1-based
  // position in the list of earlier schemas, oldest first) it conflicts with.
  std::optional<Direction> direction;
  std::optional<int> version;

  friend bool operator==(const Incompatibility&, const Incompatibility&) = default;
};

using Incompatibilities = std::vector<Incompatibility>;

}  // namespace sg
