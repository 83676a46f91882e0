// The registry's ordered log: the single source of truth every node replays.
//
// A log holds records exactly as Confluent's `_schemas` topic does: a key and a value, both
// JSON bytes that the log stores and returns untouched (byte-exact keys matter for Kafka
// compaction), and an optional value (absent = tombstone). Offsets start at 0 and are dense.
//
// Writes are compare-and-append: a writer computes its records from a projection built up to
// offset N and appends them only if the log still ends at N, so several registry nodes can share
// one log without electing a leader. Every backend (embedded SQLite, PostgreSQL, Kafka) passes
// the contract tests in storage/log_contract_test.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "schemaguard/base/result.h"

namespace sg::storage {

struct LogRecord {
  std::string key;
  std::optional<std::string> value;  // nullopt: tombstone

  friend bool operator==(const LogRecord&, const LogRecord&) = default;
};

struct LogEntry {
  std::uint64_t offset = 0;
  LogRecord record;
};

class Log {
 public:
  virtual ~Log() = default;

  // Appends `records` at offsets expected_end, expected_end + 1, ... as one atomic, durable
  // step, if and only if the log currently ends at `expected_end`. On success returns the new
  // end (expected_end + records.size()) and the records are on stable storage: they survive a
  // crash of this process or of the machine. If the log ends elsewhere, appends nothing and
  // fails with kLogConflict. Other failures (kStoreError) may leave the log unchanged or with
  // all of the records, never part of them. Thread-safe.
  virtual Result<std::uint64_t> append(std::uint64_t expected_end,
                                       std::span<const LogRecord> records) = 0;

  // Calls `visit` for every entry with offset >= `from`, in order, up to the end as of the call.
  // Stops early and returns the error if `visit` fails. Thread-safe.
  virtual Status read(std::uint64_t from,
                      const std::function<Status(const LogEntry&)>& visit) const = 0;

  // The offset the next append will get. Thread-safe.
  virtual Result<std::uint64_t> end() const = 0;
};

}  // namespace sg::storage
