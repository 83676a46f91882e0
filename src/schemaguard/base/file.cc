#include "schemaguard/base/file.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace sg {

Result<std::string> read_file(const std::filesystem::path& path) {
  // A directory opens like a file and then reads as empty: refuse it by name.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error(ErrorCode::kIoError, fmt::format("{}: is a directory", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kIoError, fmt::format("{}: cannot open file", path.string()));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error(ErrorCode::kIoError, fmt::format("{}: read error", path.string()));
  return buffer.str();
}

}  // namespace sg
