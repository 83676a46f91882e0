// LogStore ties a Log to a Projection: it replays the log when opened, and writes with
// compare-and-append, applying what it appended before returning (read-your-writes). Records
// appended by other writers sharing the log (other registry nodes) are applied on catch-up.
//
//   SG_ASSIGN_OR_RETURN(auto store, LogStore::open(std::move(log)));
//   auto id = store->write<int>([&](const View& view) -> Result<LogStore::Batch<int>> {
//     ...compute records from view...
//     return LogStore::Batch<int>{{record}, new_id};
//   });
//
// Concurrent writes are committed in groups (group commit): the first writer that finds no
// commit under way becomes the committer and commits the queued writes of every other caller
// with one append, so one fsync serves many registrations. There is no extra thread: the
// committer is a caller, and it hands the role on once its own write is done.
//
// Opening loads the latest snapshot of the projection if one is configured and valid
// (snapshot.h), then replays the rest of the log with two threads, one reading and decoding
// records while the caller's applies them (decoding costs about as much as applying).
// bench/registry_restart_bench.cc measures both on 100,000 schemas.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "schemaguard/registry/projection.h"
#include "schemaguard/registry/records.h"
#include "schemaguard/registry/snapshot.h"
#include "schemaguard/registry/view.h"
#include "schemaguard/storage/log.h"

namespace sg::registry {

class LogStore {
 public:
  // Records to append and what the write returns once they are durable and applied.
  template <typename T>
  struct Batch {
    std::vector<Record> records;
    T result;
  };

  struct Options {
    // Where snapshots of the projection are kept (e.g. next to the SQLite database); empty:
    // none, every open replays the whole log.
    std::filesystem::path snapshot_file;
    // Write a snapshot once this many records have been applied since the last one (checked
    // after each group commit and catch-up); 0: only write_snapshot() writes one. Writes wait
    // while the projection is serialised (about 0.3 s per 100,000 schemas), not for the file.
    std::uint64_t snapshot_every = 0;
    // Where notes go that are not errors of any call: a snapshot ignored (and why), a periodic
    // snapshot that failed. Empty: standard error.
    std::function<void(std::string_view)> note;
  };

  // Loads the snapshot (if any, and if it matches the log) and replays the log after it into a
  // fresh projection. Fails if the log cannot be read; a snapshot that cannot be used is
  // ignored with a note.
  static Result<std::unique_ptr<LogStore>> open(std::unique_ptr<storage::Log> log);
  static Result<std::unique_ptr<LogStore>> open(std::unique_ptr<storage::Log> log, Options options);

  const Projection& projection() const { return projection_; }

  // Applies records other writers appended since the last catch-up or write.
  Status catch_up();

  // How many log records could not be decoded and were skipped.
  std::uint64_t skipped_records() const { return skipped_records_.load(); }

  // How many writes are queued for the next group (a gauge).
  std::size_t queued_writes() const;

  // Writes a snapshot of the projection at its current end (at a graceful stop, say). Fails
  // with kInvalidArgument if no snapshot file is configured.
  Status write_snapshot();

  // The log offset the projection was loaded from a snapshot up to when opened (0: none).
  std::uint64_t snapshot_end() const { return snapshot_end_; }

  // Computes records with `compute` against a View of the projection at the log's end plus the
  // records of the writes committed in the same group before this one, appends them, applies
  // them, and returns compute's result once the records are durable and applied. Concurrent
  // writes are committed in groups: one append (one fsync) for all of them. An error from
  // `compute` fails only this write (its records are dropped from the group); a store error
  // fails every write of the group. If another writer appended to the log first (kLogConflict),
  // catches up and recomputes the whole group (compute may run several times; it must be a pure
  // function of the view), a bounded number of times, then fails with kStoreError.
  //
  // `compute` runs on whichever caller's thread commits the group, while this caller waits; it
  // must not call write() itself.
  template <typename T>
  Result<T> write(const std::function<Result<Batch<T>>(const View&)>& compute) {
    std::optional<T> result;
    PendingWrite pending;
    pending.compute = [&](const View& view) -> Result<std::vector<Record>> {
      Result<Batch<T>> batch = compute(view);
      if (!batch.ok()) return std::move(batch).error();
      result.emplace(std::move(batch->result));
      return std::move(batch->records);
    };
    SG_RETURN_IF_ERROR(commit(pending));
    return std::move(*result);
  }

 private:
  static constexpr int kMaxAttempts = 16;
  // A group stops taking writes at this many, or once its records' bytes pass the limit, so that
  // one append (one SQLite transaction, one Kafka batch) stays bounded.
  static constexpr std::size_t kMaxGroupWrites = 1024;
  static constexpr std::size_t kMaxGroupBytes = 4 << 20;

  // One caller's write, type-erased, waiting in the queue or being committed. Lives on the
  // caller's stack; the caller waits until `done`.
  struct PendingWrite {
    // Runs the caller's compute; keeps its result for the caller and returns its records.
    std::function<Result<std::vector<Record>>(const View&)> compute;
    // Set by the committer, under queue_mutex_.
    bool done = false;
    std::optional<Error> error;
    std::condition_variable wake;  // done, or the committer role is free
  };

  LogStore(std::unique_ptr<storage::Log> log, Options options);

  // Queues `write` and returns once it is committed (or failed), committing groups itself if no
  // one else is.
  Status commit(PendingWrite& write);
  // Takes the next group from the queue, commits it and completes its writes.
  void commit_next_group();
  // Computes, appends and applies the first writes of `group` as one append, setting their
  // outcomes (nullopt: success). Returns how many it took: a group whose records grow past
  // kMaxGroupBytes leaves the rest for the next one.
  std::size_t commit_group(const std::vector<PendingWrite*>& group,
                           std::vector<std::optional<Error>>& outcomes);

  // Loads the configured snapshot into the fresh projection, if it is intact and of this log.
  void load_snapshot();
  // The hash of the record at `offset`.
  Result<RecordHash> hash_at(std::uint64_t offset) const;
  // Writes a snapshot (if `only_if_due`, only if snapshot_every records were applied since the
  // last one). REQUIRES: snapshot_mutex_ held.
  Status snapshot_now(bool only_if_due);
  // Writes a periodic snapshot if one is due and none is being written; notes a failure.
  void maybe_snapshot();
  void note(std::string_view message) const;
  // Replays the log after the projection's end into the projection (open).
  Status replay();
  Status catch_up_locked();
  // The entry's record, or a NOOP (counted as skipped) if it cannot be decoded.
  Record decode_entry(const storage::LogEntry& entry);

  std::unique_ptr<storage::Log> log_;
  const Options options_;
  Projection projection_;
  std::uint64_t snapshot_end_ = 0;       // set by open
  std::uint64_t last_snapshot_end_ = 0;  // guarded by write_mutex_
  // One snapshot written at a time; taken before write_mutex_, never while holding it.
  std::mutex snapshot_mutex_;
  // Held by the committer and by catch-up: the projection has one applying thread at a time.
  std::mutex write_mutex_;
  std::atomic<std::uint64_t> skipped_records_{0};

  mutable std::mutex queue_mutex_;
  std::deque<PendingWrite*> queue_;  // guarded by queue_mutex_
  bool committing_ = false;          // a caller holds the committer role; guarded by queue_mutex_
};

}  // namespace sg::registry
