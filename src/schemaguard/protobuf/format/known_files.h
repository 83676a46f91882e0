// Files a Protobuf schema may import without registering them (known_files.cc says which).
#pragma once

#include <optional>
#include <string_view>

namespace sg::protobuf {

// The .proto text of a bundled file by import path ("google/type/money.proto",
// "confluent/meta.proto"), or nullopt. google/protobuf/*.proto are not here: libprotobuf has them.
std::optional<std::string_view> known_file(std::string_view name);

}  // namespace sg::protobuf
