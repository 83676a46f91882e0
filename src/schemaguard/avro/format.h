// Avro as a `sg::Format` (model/format.h), for the compat engine and the registry.
#pragma once

#include "schemaguard/avro/schema.h"
#include "schemaguard/model/format.h"

namespace sg::avro {

// The process-wide Avro format. Thread-safe.
const Format& format();

// The Avro schema inside a ParsedSchema produced by format().
// REQUIRES: schema.type() == SchemaType::kAvro.
const Schema& avro_schema(const ParsedSchema& schema);

}  // namespace sg::avro
