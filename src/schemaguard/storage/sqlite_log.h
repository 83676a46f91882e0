// The embedded default log: one SQLite database file.
//
// Durability: WAL journal with synchronous=FULL, so an append that returned has been fsynced and
// survives a kill -9 or a power loss. One append is one transaction and one fsync however many
// records it carries, which is what makes group commit pay off.
//
// Compare-and-append runs inside one `BEGIN IMMEDIATE` transaction (check the end, insert), so it
// stays atomic when several processes on this host share the file. WAL needs shared memory, so
// the file must be on a local file system, not NFS.
//
// Reads use their own connections (a small pool), so they never wait for an append's fsync and
// any number of threads may read while one appends.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "schemaguard/storage/log.h"

namespace sg::storage {

class SqliteLog final : public Log {
 public:
  struct Options {
    // How long an append waits for another process holding the write lock before failing with
    // kStoreError.
    std::chrono::milliseconds busy_timeout{10'000};
  };

  // Opens the log in `file`, creating the file and its directories if needed. Fails with
  // kStoreError if the file cannot be opened or is not a SchemaGuard log.
  static Result<std::unique_ptr<SqliteLog>> open(const std::filesystem::path& file);
  static Result<std::unique_ptr<SqliteLog>> open(const std::filesystem::path& file,
                                                 const Options& options);

  ~SqliteLog() override;
  SqliteLog(const SqliteLog&) = delete;
  SqliteLog& operator=(const SqliteLog&) = delete;

  Result<std::uint64_t> append(std::uint64_t expected_end,
                               std::span<const LogRecord> records) override;
  Status read(std::uint64_t from,
              const std::function<Status(const LogEntry&)>& visit) const override;
  Result<std::uint64_t> end() const override;

  const std::filesystem::path& file() const { return file_; }

  struct Connection;  // a SQLite connection and its prepared statements (sqlite_log.cc)

 private:
  class ReaderLease;

  SqliteLog(std::filesystem::path file, Options options, std::unique_ptr<Connection> writer);

  Result<ReaderLease> lease_reader() const;
  void return_reader(std::unique_ptr<Connection> reader) const;

  const std::filesystem::path file_;
  const Options options_;

  std::mutex write_mutex_;  // one append at a time per process; SQLite orders processes
  std::unique_ptr<Connection> writer_;

  mutable std::mutex readers_mutex_;
  mutable std::vector<std::unique_ptr<Connection>> idle_readers_;
};

}  // namespace sg::storage
