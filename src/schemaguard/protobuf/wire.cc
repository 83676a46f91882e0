#include "schemaguard/protobuf/wire.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "schemaguard/protobuf/format/format.h"

namespace sg::protobuf {
namespace {

namespace gp = google::protobuf;

// Far more nesting than any real schema has; bounds what a hostile payload can make us read.
constexpr std::uint64_t kMaxIndexes = 1024;

Error invalid_argument(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

void put_varint(std::uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
}

// Kafka's ByteUtils.writeVarint, which the Confluent serializers use: zig-zag, then base 128.
void put_zigzag(std::int64_t value, std::string& out) {
  put_varint((static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63),
             out);
}

// Reads a zig-zag varint of at most 32 bits (Kafka's readVarint) at `pos`.
Result<std::int32_t> get_zigzag(std::string_view bytes, std::size_t& pos) {
  std::uint32_t raw = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (pos >= bytes.size()) return invalid_argument("message indexes: truncated varint");
    const auto byte = static_cast<std::uint8_t>(bytes[pos++]);
    if (shift == 28 && (byte & 0xf0) != 0) {
      return invalid_argument("message indexes: varint does not fit 32 bits");
    }
    raw |= static_cast<std::uint32_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      return static_cast<std::int32_t>((raw >> 1) ^ (~(raw & 1) + 1));
    }
  }
  return invalid_argument("message indexes: varint does not fit 32 bits");
}

const gp::FileDescriptor& file_of(const ParsedSchema& schema) {
  return file_descriptor(schema);
}

Result<const gp::Descriptor*> find_message(const ParsedSchema& schema, std::string_view name) {
  const gp::FileDescriptor& file = file_of(schema);
  const gp::Descriptor* message = file.pool()->FindMessageTypeByName(std::string(name));
  if (message == nullptr) {
    return invalid_argument("no message \"" + std::string(name) + "\" in the schema");
  }
  return message;
}

}  // namespace

std::string encode_message_indexes(const std::vector<int>& indexes) {
  std::string out;
  if (indexes.size() == 1 && indexes[0] == 0) {
    out += '\0';  // the shorthand for the first message: a count of zero
    return out;
  }
  put_zigzag(static_cast<std::int64_t>(indexes.size()), out);
  for (const int index : indexes) put_zigzag(index, out);
  return out;
}

Result<DecodedMessageIndexes> decode_message_indexes(std::string_view bytes) {
  DecodedMessageIndexes decoded;
  std::size_t pos = 0;
  SG_ASSIGN_OR_RETURN(const std::int32_t count, get_zigzag(bytes, pos));
  if (count < 0) return invalid_argument("message indexes: negative count");
  if (static_cast<std::uint64_t>(count) > kMaxIndexes) {
    return invalid_argument("message indexes: " + std::to_string(count) + " indexes");
  }
  if (count == 0) {
    decoded.indexes.push_back(0);
  } else {
    decoded.indexes.reserve(static_cast<std::size_t>(count));
    for (std::int32_t i = 0; i < count; ++i) {
      SG_ASSIGN_OR_RETURN(const std::int32_t index, get_zigzag(bytes, pos));
      if (index < 0) return invalid_argument("message indexes: negative index");
      decoded.indexes.push_back(index);
    }
  }
  decoded.consumed = pos;
  return decoded;
}

Result<std::vector<int>> message_index_path(const ParsedSchema& schema,
                                            std::string_view full_name) {
  SG_ASSIGN_OR_RETURN(const gp::Descriptor* message, find_message(schema, full_name));
  if (message->file() != &file_of(schema)) {
    return invalid_argument("message \"" + std::string(full_name) +
                            "\" is defined in an imported file, not in the schema");
  }
  std::vector<int> path;
  for (const gp::Descriptor* step = message; step != nullptr; step = step->containing_type()) {
    path.insert(path.begin(), step->index());
  }
  return path;
}

Result<std::string> message_at(const ParsedSchema& schema, const std::vector<int>& indexes) {
  const gp::FileDescriptor& file = file_of(schema);
  if (indexes.empty()) return invalid_argument("message indexes: empty path");
  const gp::Descriptor* message = nullptr;
  for (const int index : indexes) {
    const int count = message == nullptr ? file.message_type_count() : message->nested_type_count();
    if (index < 0 || index >= count) {
      return invalid_argument(
          "message indexes: no message at index " + std::to_string(index) +
          (message == nullptr ? " of the file" : " in " + message->full_name()));
    }
    message = message == nullptr ? file.message_type(index) : message->nested_type(index);
  }
  return message->full_name();
}

Result<std::string> json_to_binary(const ParsedSchema& schema, std::string_view message_name,
                                   std::string_view json) {
  SG_ASSIGN_OR_RETURN(const gp::Descriptor* descriptor, find_message(schema, message_name));
  gp::DynamicMessageFactory factory(descriptor->file()->pool());
  std::unique_ptr<gp::Message> message(factory.GetPrototype(descriptor)->New());
  const auto status = gp::util::JsonStringToMessage(gp::StringPiece(json.data(), json.size()),
                                                    message.get(), gp::util::JsonParseOptions());
  if (!status.ok()) {
    return invalid_argument("JSON is not a " + descriptor->full_name() + ": " + status.ToString());
  }
  // Serializing does not check proto2's required fields in release builds of libprotobuf.
  if (!message->IsInitialized()) {
    return invalid_argument("JSON is not a " + descriptor->full_name() + ": missing " +
                            message->InitializationErrorString());
  }
  return message->SerializeAsString();
}

Result<std::string> binary_to_json(const ParsedSchema& schema, std::string_view message_name,
                                   std::string_view bytes) {
  SG_ASSIGN_OR_RETURN(const gp::Descriptor* descriptor, find_message(schema, message_name));
  gp::DynamicMessageFactory factory(descriptor->file()->pool());
  std::unique_ptr<gp::Message> message(factory.GetPrototype(descriptor)->New());
  // libprotobuf sizes are ints; a message cannot be larger than 2 GiB anyway.
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      !message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return invalid_argument("bytes are not a " + descriptor->full_name());
  }
  std::string json;
  const auto status = gp::util::MessageToJsonString(*message, &json);
  if (!status.ok()) {
    return invalid_argument("cannot write " + descriptor->full_name() +
                            " as JSON: " + status.ToString());
  }
  return json;
}

}  // namespace sg::protobuf
