#include "schemaguard/storage/file_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sg::storage {

Status sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Error(ErrorCode::kStoreError,
                 "cannot open directory " + dir.string() + ": " + std::strerror(errno));
  }
  const int rc = ::fsync(fd);
  const int sync_errno = errno;
  ::close(fd);
  if (rc != 0) {
    return Error(ErrorCode::kStoreError,
                 "cannot sync directory " + dir.string() + ": " + std::strerror(sync_errno));
  }
  return ok_status();
}

}  // namespace sg::storage
