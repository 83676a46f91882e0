// Parsing Avro schema text (Avro 1.11 specification) into the model of schema.h.
#pragma once

#include <string_view>
#include <vector>

#include "schemaguard/avro/schema.h"
#include "schemaguard/base/result.h"

namespace sg::avro {

struct ParseOptions {
  // The resolver for named types this schema uses but does not define (Confluent registry
  // references): each schema's named types, including those it takes from its own references,
  // become visible by full name, searched in order. The parsed schema keeps them alive.
  std::vector<SchemaPtr> references;

  // Reject field and enum defaults that do not match their type. Confluent validates the
  // defaults of new schemas; stored schemas are re-read without this check.
  bool validate_defaults = true;
};

// Parses `text` (a JSON schema: a type name string, an object, or a union array).
//
// On failure returns kInvalidSchema with a message that names the problem and where it is:
// a JSON pointer into the schema ("at /fields/2/type: unknown type 'Foo'"), or a line and
// column for text that is not JSON. Never throws.
Result<SchemaPtr> parse(std::string_view text, const ParseOptions& options = {});

// Parses an already-decoded JSON value (same rules as above, no line/column information).
Result<SchemaPtr> parse_json(const boost::json::value& json, const ParseOptions& options = {});

}  // namespace sg::avro
