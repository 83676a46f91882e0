// Snapshots of the projection: its state at a log offset, in a file next to the log, so that a
// restart loads the state and replays only the log's tail instead of decoding every record.
//
// A snapshot is only ever a cache of the log. It names the log it was taken from by the hashes of
// the log's first record and of the last record it covers; a file that is damaged (checksum), of
// another format, or that does not match the log (another log, a log rewritten or shorter) is
// ignored and the log replayed from the start. LogStore (log_store.h) writes and reads them.
//
// File layout (integers little-endian):
//   "SGSNAPSH" | u32 format | u64 end | 32-byte hash of record 0 | 32-byte hash of record end-1
//   | u64 skipped records | u64 payload size | payload (Projection::save) | SHA-256 of all before
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "schemaguard/base/result.h"
#include "schemaguard/registry/projection.h"
#include "schemaguard/storage/log.h"

namespace sg::registry {

using RecordHash = std::array<std::uint8_t, 32>;

// The SHA-256 of a log record's key and value (a value's absence included).
RecordHash hash_record(const storage::LogRecord& record);

// Where in which log a snapshot was taken.
struct SnapshotMark {
  std::uint64_t end = 0;  // the snapshot holds the state after records [0, end)
  RecordHash first{};     // hash_record of record 0
  RecordHash last{};      // hash_record of record end - 1
  std::uint64_t skipped_records = 0;
};

// The bytes of a snapshot file of `projection`, taken at mark.end. REQUIRES: no record is applied
// to `projection` meanwhile.
std::string encode_snapshot(const Projection& projection, const SnapshotMark& mark);

// Writes `bytes` to `file` so that a crash at any point leaves either the previous file or the
// new one: a temporary file, fsync, rename, fsync of the directory.
Status write_snapshot_file(const std::filesystem::path& file, std::string_view bytes);

// A snapshot file, mapped, its header checked (format, sizes), not yet loaded.
class SnapshotFile {
 public:
  // Fails with kIoError if there is no such file, with kStoreError if it cannot be read or is
  // not a snapshot of this format.
  static Result<SnapshotFile> open(const std::filesystem::path& file);

  SnapshotFile(SnapshotFile&&) noexcept;
  SnapshotFile& operator=(SnapshotFile&&) noexcept;
  ~SnapshotFile();

  const SnapshotMark& mark() const { return mark_; }
  // Loads the state into `projection` (see Projection::load) if the file is intact (checksum);
  // fails with kStoreError, the projection unchanged, if not.
  Status load_into(Projection& projection) const;

 private:
  struct Mapping;
  SnapshotFile(std::unique_ptr<Mapping> mapping, std::filesystem::path file, SnapshotMark mark,
               std::string_view payload);

  std::unique_ptr<Mapping> mapping_;
  std::filesystem::path file_;
  SnapshotMark mark_;
  std::string_view payload_;  // inside mapping_
};

}  // namespace sg::registry
