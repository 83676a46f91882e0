// JSON Schema as a `sg::Format` (model/format.h), for the compat engine and the registry.
//
// parse: the text must be JSON and a valid schema under its draft (compile()), with its `$ref`s
//        to registry references resolved by name; the stored text is the text re-serialised
//        as Confluent stores it (base/jackson_tree.h).
// check: Confluent's structural diff (compat/diff.h) with original = writer, update = reader,
//        under the strict policy.
// render: the stored text; with normalize, object keys sorted recursively.
#pragma once

#include <boost/json/value.hpp>

#include "schemaguard/jsonschema/validator.h"
#include "schemaguard/model/format.h"

namespace sg::jsonschema {

// The process-wide JSON Schema format (drafts by `$schema`, draft 7 by default). Thread-safe.
const Format& format();

// What a ParsedSchema produced by format() holds. REQUIRES: schema.type() == SchemaType::kJson.
const boost::json::value& json_document(const ParsedSchema& schema);
const CompiledSchema& compiled_schema(const ParsedSchema& schema);

}  // namespace sg::jsonschema
