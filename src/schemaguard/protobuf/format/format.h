// Protobuf as a `sg::Format` (model/format.h), for the compat engine and the registry.
//
// parse: `.proto` text (proto2, proto3), or a base64-encoded FileDescriptorProto as the
//        Confluent serializers send it, read by libprotoc into descriptors. Imports resolve
//        through the schema's registry references (by import path), libprotobuf's well-known
//        types (google/protobuf/*.proto) and the bundled google/type/*.proto, confluent/meta.proto
//        and confluent/type/decimal.proto (known_files.h). Nothing is fetched. Errors name the
//        line and column.
// check: Confluent's Protobuf rules (protobuf/compat/diff.h), original = writer, update = reader.
// render: Confluent's stored text, byte for byte (wire_text.h): the file as Square Wire parses
//        it, printed in Confluent's layout (comments dropped, types and options as written); a
//        serialized descriptor printed as Confluent converts one. With normalize, Confluent's
//        normalised text (fields, oneofs, enum values, imports, options and ranges sorted,
//        types qualified, map entries as map<K, V>; the order of top-level messages is kept:
//        message indexes in payloads refer to it). Text Wire refuses falls back to libprotobuf's
//        printing. canonical_text() is render(normalize=false).
// convert "serialized": base64 of the FileDescriptorProto (what Confluent's deserializers ask for).
#pragma once

#include <string>

#include "schemaguard/model/format.h"

namespace google::protobuf {
class FileDescriptor;
}

namespace sg::protobuf {

// The process-wide Protobuf format. Thread-safe.
const Format& format();

// The file inside a ParsedSchema produced by format() (its imports resolved in its own pool).
// REQUIRES: schema.type() == SchemaType::kProtobuf.
const google::protobuf::FileDescriptor& file_descriptor(const ParsedSchema& schema);

// Base64 of the schema's FileDescriptorProto, without source locations.
std::string serialized(const ParsedSchema& schema);

}  // namespace sg::protobuf
