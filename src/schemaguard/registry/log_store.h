// LogStore ties a Log to a Projection: it replays the log when opened, and writes with
// compare-and-append, applying what it appended before returning (read-your-writes). Records
// appended by other writers sharing the log (other registry nodes) are applied on catch-up.
//
//   SG_ASSIGN_OR_RETURN(auto store, LogStore::open(std::move(log)));
//   auto id = store->write<int>([&](const Projection& p) -> Result<LogStore::Batch<int>> {
//     ...compute records from p...
//     return LogStore::Batch<int>{{record}, new_id};
//   });
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "schemaguard/registry/projection.h"
#include "schemaguard/registry/records.h"
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

  // Replays `log` from the start into a fresh projection.
  static Result<std::unique_ptr<LogStore>> open(std::unique_ptr<storage::Log> log);

  const Projection& projection() const { return projection_; }

  // Applies records other writers appended since the last catch-up or write.
  Status catch_up();

  // How many log records could not be decoded and were skipped.
  std::uint64_t skipped_records() const { return skipped_records_.load(); }

  // Calls `compute` with the projection at the log's end, appends the records it returns at
  // that end, applies them, and returns its result. If another writer appended first, catches
  // up and calls `compute` again (a bounded number of times, then kStoreError). An error from
  // `compute` is returned as is, with nothing written. Writes from this process are serialised.
  template <typename T>
  Result<T> write(const std::function<Result<Batch<T>>(const Projection&)>& compute) {
    std::lock_guard lock(write_mutex_);
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
      SG_RETURN_IF_ERROR(catch_up_locked());
      SG_ASSIGN_OR_RETURN(Batch<T> batch, compute(projection_));
      auto appended = append_and_apply(batch.records);
      if (appended.ok()) return std::move(batch.result);
      if (appended.error().code() != ErrorCode::kLogConflict) return appended.error();
    }
    return Error(ErrorCode::kStoreError, "the log kept moving under this write; giving up");
  }

 private:
  static constexpr int kMaxAttempts = 16;

  explicit LogStore(std::unique_ptr<storage::Log> log) : log_(std::move(log)) {}

  Status catch_up_locked();
  Status append_and_apply(const std::vector<Record>& records);

  std::unique_ptr<storage::Log> log_;
  Projection projection_;
  // Held by writers and by catch-up: the projection has one applying thread at a time.
  std::mutex write_mutex_;
  std::atomic<std::uint64_t> skipped_records_{0};
};

}  // namespace sg::registry
