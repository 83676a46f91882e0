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

struct TextPosition {
  int line = 0;  // 1-based; 0: unknown
  int column = 0;
  friend bool operator==(const TextPosition&, const TextPosition&) = default;
};

struct Incompatibility {
  // Confluent's name for the kind of problem, e.g. "READER_FIELD_MISSING_DEFAULT_VALUE".
  std::string type;
  // Where the offending node is in the reader's and in the writer's schema: for the JSON formats
  // (Avro, JSON Schema) a JSON pointer (RFC 6901) into the schema's JSON text ("" is the root);
  // for Protobuf Confluent's path ("#/Message/Nested/3", "#/Message/oneof_name/3"). Either may
  // point at the nearest enclosing node when the thing itself is absent on that side (a field
  // missing from the writer points at the record).
  std::string reader_path;
  std::string writer_path;
  // The same places as 1-based line and column in each schema's text, where the format knows
  // them (Protobuf does, from its parser); 0 when unknown.
  TextPosition reader_position;
  TextPosition writer_position;
  // One readable sentence about what will go wrong, naming the field or type involved.
  std::string message;
  // How to make the change safe, or empty when there is no general fix.
  std::string hint;
  // A small document, as compact JSON text, that shows the problem: the writer's schema accepts
  // it and the reader's rejects it (so in a BACKWARD check, an event old producers may have
  // written that the new schema refuses). Verified against both schemas; empty when the format
  // builds none (only JSON Schema does) or none was found.
  std::string counterexample;
  // Set by the compat engine: the direction of the failing check and the version (1-based
  // position in the list of earlier schemas, oldest first) it conflicts with.
  std::optional<Direction> direction;
  std::optional<int> version;

  friend bool operator==(const Incompatibility&, const Incompatibility&) = default;
};

using Incompatibilities = std::vector<Incompatibility>;

}  // namespace sg
