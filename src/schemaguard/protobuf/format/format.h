// Protobuf as a `sg::Format` (model/format.h), for the compat engine and the registry.
//
// parse: `.proto` text (proto2, proto3), or a base64-encoded FileDescriptorProto as the
//        Confluent serializers send it, read by libprotoc into descriptors. Imports resolve
//        through the schema's registry references (by import path), libprotobuf's well-known
//        types (google/protobuf/*.proto) and the bundled google/type/*.proto, confluent/meta.proto
//        and confluent/type/decimal.proto (known_files.h). Nothing is fetched. Errors name the
//        line and column.
// check: Confluent's Protobuf rules (protobuf/compat/diff.h), original = writer, update = reader.
// render: the file as libprotobuf prints it (comments dropped, types fully qualified); with
//        normalize, also fields sorted by number, enum values by number, imports sorted (the
//        order of top-level messages is kept: message indexes in payloads refer to it).
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
