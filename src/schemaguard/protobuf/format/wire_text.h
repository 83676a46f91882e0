// The text a Confluent registry stores for a Protobuf schema (rest-api.md §5.9), byte for byte.
//
// Confluent does not keep what it was sent: it reads `.proto` text with Square Wire's parser
// (ProtoFileElement: types as written, options as written and uninterpreted, comments dropped,
// fields and oneofs kept apart) or turns a base64 FileDescriptorProto into the same elements,
// and prints those with its own printer (ProtobufSchemaUtils): `syntax`, `package`, imports,
// options, then the messages, then the enums, then `extend` blocks and services, each section
// after a blank line; inside a message reserved ranges, options, fields, oneofs, groups,
// extension ranges, `extend` blocks and nested types (messages before enums). Ids are shared
// across subjects only when these bytes match, so this printer follows that one, not protoc's.
//
// The normalised form (normalize=true) sorts fields by number, oneofs by their first field
// (empty ones dropped), enum values by number, imports, options by name (custom options merged),
// reserved and extension ranges (one a line, single values collapsed), drops `syntax = "proto2"`,
// writes every type fully qualified with a leading dot and map entries as
// `map<K, V>`; the order of messages stays (message indexes in payloads refer to it).
//
// One deliberate difference: Confluent drops weak imports, leaving text whose types no longer
// resolve; both forms here keep them, after the other imports.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace google::protobuf {
class FileDescriptor;
class FileDescriptorProto;
}  // namespace google::protobuf

namespace sg::protobuf {

// A `.proto` file as Wire's parser sees it (wire_text.cc).
struct WireFile;

// Reads `.proto` text as Wire does. nullptr when Wire would refuse text that libprotoc took
// (`edition`, a proto2 field without a label, octal escapes above \377, ...): the caller then
// falls back to its own rendering.
std::shared_ptr<const WireFile> read_wire(std::string_view text);

// A FileDescriptorProto as Confluent turns one into Wire elements (types as the descriptor
// names them, with a leading dot; map entries as nested messages; built-in options only).
std::shared_ptr<const WireFile> wire_from_descriptor(
    const google::protobuf::FileDescriptorProto& file);

// Confluent's canonical text of the file (ProtobufSchema.canonicalString()).
std::string print_wire(const WireFile& file);

// Confluent's normalised text. `built` is the same file built with its imports, used to resolve
// type and option names the way the registry's own lookup does (innermost scope first).
std::string print_wire_normalized(const WireFile& file,
                                  const google::protobuf::FileDescriptor& built);

}  // namespace sg::protobuf
