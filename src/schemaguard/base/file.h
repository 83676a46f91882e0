// Reading a whole file a user named (a schema, a config, an export) as text.
#pragma once

#include <filesystem>
#include <string>

#include "schemaguard/base/result.h"

namespace sg {

// The bytes of the file at `path`. kIoError naming the path when it is a directory ("PATH: is a
// directory"), cannot be opened ("PATH: cannot open file") or fails while being read
// ("PATH: read error").
Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace sg
