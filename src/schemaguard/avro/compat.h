// Avro reader/writer compatibility (schema resolution), as the Avro 1.11 specification and
// Avro Java's SchemaCompatibility define it, with every problem explained.
#pragma once

#include "schemaguard/avro/schema.h"
#include "schemaguard/model/incompatibility.h"

namespace sg::avro {

// Returns every reason data written with `writer` cannot be read with `reader`; empty means
// compatible. Each incompatibility has Confluent's type name, JSON pointers into the reader's
// and the writer's schema text, a message and, where one exists, a fix hint. `direction` and
// `version` are left unset (the compat engine fills them in).
//
// Pure and thread-safe; cost is linear in the size of the two schemas (recursive types are
// visited once per (reader node, writer node) pair).
Incompatibilities check_compatibility(const Schema& reader, const Schema& writer);

}  // namespace sg::avro
