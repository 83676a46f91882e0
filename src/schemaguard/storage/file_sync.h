// Durability of files the registry writes itself (the SQLite log's file and directories,
// snapshots): an fsync of a file's data is not enough when the file was just created or renamed;
// its directory entry has to reach the disk too.
#pragma once

#include <filesystem>

#include "schemaguard/base/result.h"

namespace sg::storage {

// Flushes the directory `dir` (its entries: files created, renamed or removed in it) to stable
// storage. Fails with kStoreError.
Status sync_directory(const std::filesystem::path& dir);

}  // namespace sg::storage
