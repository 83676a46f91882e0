// Wire-level helpers for Protobuf payloads in the Confluent framing (magic byte, schema id,
// message indexes, message bytes): which message of a schema's file a payload carries, and
// dynamic messages built from a parsed schema's descriptors to turn payloads into JSON and back.
// For the serializers and deserializers of a later issue; no protobuf header is needed to use it.
//
//   SG_ASSIGN_OR_RETURN(auto path, message_index_path(*schema, "shop.Order.Line"));  // {0, 1}
//   std::string frame = encode_message_indexes(path);                                // 04 00 02
//   SG_ASSIGN_OR_RETURN(auto bytes, json_to_binary(*schema, "shop.Order", R"({"id":"x"})"));
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/model/format.h"

namespace sg::protobuf {

// Confluent's message-index array: the path from the file to the payload's message, each step
// the index among the enclosing scope's message declarations (top-level messages, then nested
// messages). Encoded as zig-zag varints: the count, then each index; the common [0] (the
// file's first message) is the single byte 0.
std::string encode_message_indexes(const std::vector<int>& indexes);

struct DecodedMessageIndexes {
  std::vector<int> indexes;
  std::size_t consumed = 0;  // bytes of `bytes` the array took; the message follows
};

// Reads a message-index array from the front of `bytes`. Fails with kInvalidArgument on a
// truncated or malformed varint, a negative count or index, or more than 1024 indexes.
Result<DecodedMessageIndexes> decode_message_indexes(std::string_view bytes);

// The index path of the message `full_name` ("shop.Order.Line", no leading dot) in `schema`'s
// own file. Indexes count the file's nested declarations as libprotobuf orders them (the order
// of the source, synthetic map-entry messages included, as protoc's compiled descriptors that
// the Confluent serializers use). Fails with kInvalidArgument if the file has no such message.
// REQUIRES: `schema` is a Protobuf schema (sg::protobuf::format()).
Result<std::vector<int>> message_index_path(const ParsedSchema& schema, std::string_view full_name);

// The full name of the message at `indexes` in `schema`'s file (the inverse of the above).
Result<std::string> message_at(const ParsedSchema& schema, const std::vector<int>& indexes);

// The codec functions build a dynamic message type per call: fine for tools and tests; the
// serializers should cache compiled codecs by schema id (architecture.md, serde/).
//
// Encodes the JSON form of a `message_name` message (protobuf's JSON mapping) to its binary
// form. Fails with kInvalidArgument when the JSON does not fit the message.
Result<std::string> json_to_binary(const ParsedSchema& schema, std::string_view message_name,
                                   std::string_view json);

// Decodes the binary form of a `message_name` message to protobuf's JSON mapping (field names
// in lowerCamelCase, default values omitted). Fails with kInvalidArgument on bytes that are
// not such a message.
Result<std::string> binary_to_json(const ParsedSchema& schema, std::string_view message_name,
                                   std::string_view bytes);

}  // namespace sg::protobuf
