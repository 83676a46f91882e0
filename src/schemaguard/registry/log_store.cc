#include "schemaguard/registry/log_store.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <random>
#include <string>
#include <thread>

namespace sg::registry {

LogStore::LogStore(std::unique_ptr<storage::Log> log, Options options)
    : log_(std::move(log)), options_(std::move(options)) {}

namespace {

// Records decoded by the replay's reading thread, handed to the applying thread in batches.
class DecodedQueue {
 public:
  using Batch = std::vector<std::pair<std::uint64_t, Record>>;

  // Blocks while the queue is full, so a replay holds a bounded number of decoded records.
  void push(Batch batch) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return batches_.size() < kMaxBatches; });
    batches_.push_back(std::move(batch));
    not_empty_.notify_one();
  }

  // No more batches; `status` is how the read ended.
  void close(Status status) {
    std::lock_guard lock(mutex_);
    closed_ = true;
    status_ = std::move(status);
    not_empty_.notify_one();
  }

  // The next batch, or nullopt once the queue is closed and drained.
  std::optional<Batch> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !batches_.empty() || closed_; });
    if (batches_.empty()) return std::nullopt;
    Batch batch = std::move(batches_.front());
    batches_.pop_front();
    not_full_.notify_one();
    return batch;
  }

  // REQUIRES: pop() returned nullopt.
  Status status() const {
    std::lock_guard lock(mutex_);
    return status_;
  }

 private:
  static constexpr std::size_t kMaxBatches = 16;

  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<Batch> batches_;
  bool closed_ = false;
  Status status_;
};

constexpr std::size_t kReplayBatch = 1024;

}  // namespace

Result<std::unique_ptr<LogStore>> LogStore::open(std::unique_ptr<storage::Log> log) {
  return open(std::move(log), Options());
}

Result<std::unique_ptr<LogStore>> LogStore::open(std::unique_ptr<storage::Log> log,
                                                 Options options) {
  std::unique_ptr<LogStore> store(new LogStore(std::move(log), std::move(options)));
  if (!store->options_.snapshot_file.empty()) store->load_snapshot();
  SG_RETURN_IF_ERROR(store->replay());
  return store;
}

void LogStore::note(std::string_view message) const {
  if (options_.note) {
    options_.note(message);
  } else {
    std::fprintf(stderr, "schemaguard: %.*s\n", static_cast<int>(message.size()), message.data());
  }
}

Result<RecordHash> LogStore::hash_at(std::uint64_t offset) const {
  std::optional<RecordHash> hash;
  bool visited = false;
  Status read = log_->read(offset, [&](const storage::LogEntry& entry) -> Status {
    visited = true;
    if (entry.offset == offset) hash = hash_record(entry.record);
    // One entry is all this needs, and failing the visit is how a read stops.
    return Error(ErrorCode::kInternal, "stop");
  });
  if (hash) return *hash;
  if (!visited && !read.ok()) return read.error();
  return Error(ErrorCode::kStoreError, "the log has no record at offset " + std::to_string(offset));
}

void LogStore::load_snapshot() {
  std::lock_guard lock(write_mutex_);
  const std::filesystem::path& path = options_.snapshot_file;
  Result<SnapshotFile> file = SnapshotFile::open(path);
  if (!file.ok()) {
    // No file is how every registry starts; anything else is worth a note.
    if (file.error().code() != ErrorCode::kIoError) {
      note("ignoring the snapshot, replaying the whole log: " + file.error().message());
    }
    return;
  }
  const SnapshotMark& mark = file->mark();
  auto ignore = [&](const std::string& why) {
    note("ignoring the snapshot " + path.string() + ", replaying the whole log: " + why);
  };
  if (mark.end == 0) return;
  // Never trusted, only checked: the log must hold the very records the snapshot was taken
  // after. Its first record names the log, the last one covered where in it the snapshot is.
  Result<std::uint64_t> end = log_->end();
  if (!end.ok()) return ignore("cannot read the log's end: " + end.error().message());
  if (*end < mark.end) {
    return ignore("it covers " + std::to_string(mark.end) + " records, the log holds " +
                  std::to_string(*end));
  }
  Result<RecordHash> first = hash_at(0);
  if (!first.ok() || *first != mark.first) {
    return ignore("it was taken from another log (the first records differ)");
  }
  Result<RecordHash> last = hash_at(mark.end - 1);
  if (!last.ok() || *last != mark.last) {
    return ignore("the log was rewritten (record " + std::to_string(mark.end - 1) + " differs)");
  }
  Status loaded = file->load_into(projection_);
  if (!loaded.ok()) return ignore(loaded.error().message());
  skipped_records_.store(mark.skipped_records);
  snapshot_end_ = mark.end;
  last_snapshot_end_ = mark.end;
}

Status LogStore::write_snapshot() {
  if (options_.snapshot_file.empty()) {
    return Error(ErrorCode::kInvalidArgument, "no snapshot file is configured");
  }
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_now(/*only_if_due=*/false);
}

void LogStore::maybe_snapshot() {
  if (options_.snapshot_file.empty() || options_.snapshot_every == 0) return;
  std::unique_lock lock(snapshot_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;  // one is being written right now
  Status written = snapshot_now(/*only_if_due=*/true);
  if (!written.ok()) note("periodic snapshot failed: " + written.error().message());
}

Status LogStore::snapshot_now(bool only_if_due) {
  std::string bytes;
  {
    // Writes wait for the projection to be serialised, not for the file and its fsync.
    std::lock_guard lock(write_mutex_);
    SnapshotMark mark;
    mark.end = projection_.applied_end();
    if (only_if_due && mark.end - last_snapshot_end_ < options_.snapshot_every) return ok_status();
    // The next period counts from here whether this one is written or fails (then it is retried
    // a period later, not after every write).
    last_snapshot_end_ = mark.end;
    if (mark.end == 0) return ok_status();  // an empty log replays in no time
    SG_ASSIGN_OR_RETURN(mark.first, hash_at(0));
    SG_ASSIGN_OR_RETURN(mark.last, hash_at(mark.end - 1));
    mark.skipped_records = skipped_records_.load();
    bytes = encode_snapshot(projection_, mark);
  }
  return write_snapshot_file(options_.snapshot_file, bytes);
}

Record LogStore::decode_entry(const storage::LogEntry& entry) {
  auto record = decode(entry.record);
  if (record.ok()) return std::move(record).value();
  // Like Confluent's reader: a record no registry could have written (another tool on a shared
  // topic) is skipped, not allowed to stop every node from starting.
  skipped_records_.fetch_add(1, std::memory_order_relaxed);
  return NoopRecord{};
}

Status LogStore::replay() {
  std::lock_guard lock(write_mutex_);
  // Decoding a record costs about as much as applying it, so a second thread reads and decodes
  // while this one applies: on a large registry that is most of the restart time.
  const std::uint64_t from = projection_.applied_end();
  DecodedQueue queue;
  std::thread reader([&] {
    DecodedQueue::Batch batch;
    Status read = log_->read(from, [&](const storage::LogEntry& entry) {
      batch.emplace_back(entry.offset, decode_entry(entry));
      if (batch.size() == kReplayBatch) {
        queue.push(std::move(batch));
        batch.clear();
      }
      return ok_status();
    });
    if (!batch.empty()) queue.push(std::move(batch));
    queue.close(std::move(read));
  });
  // The store is not shared yet: no reader can see the projection, so it may change in place.
  while (std::optional<DecodedQueue::Batch> batch = queue.pop()) {
    for (auto& [offset, record] : *batch) projection_.apply_unshared(offset, std::move(record));
  }
  reader.join();
  return queue.status();
}

Status LogStore::catch_up() {
  {
    std::lock_guard lock(write_mutex_);
    SG_RETURN_IF_ERROR(catch_up_locked());
  }
  maybe_snapshot();
  return ok_status();
}

Status LogStore::catch_up_locked() {
  return log_->read(projection_.applied_end(), [&](const storage::LogEntry& entry) -> Status {
    projection_.apply(entry.offset, decode_entry(entry));
    return ok_status();
  });
}

std::size_t LogStore::queued_writes() const {
  std::lock_guard lock(queue_mutex_);
  return queue_.size();
}

Status LogStore::commit(PendingWrite& write) {
  std::unique_lock lock(queue_mutex_);
  queue_.push_back(&write);
  while (!write.done && committing_) write.wake.wait(lock);
  if (!write.done) {
    // No one is committing: this caller takes the role until its own write is done. Groups are
    // taken in queue order, so every write queued before this one is done by then too.
    committing_ = true;
    while (!write.done) {
      lock.unlock();
      commit_next_group();
      lock.lock();
    }
    committing_ = false;
    // Writes queued while this caller committed wait for a committer: the oldest takes over.
    if (!queue_.empty()) queue_.front()->wake.notify_one();
    lock.unlock();
    // A periodic snapshot is written by a caller that committed, once it has handed the role on:
    // writes wait for the projection's serialisation, and only this caller for the file.
    maybe_snapshot();
  }
  if (write.error) return *write.error;
  return ok_status();
}

void LogStore::commit_next_group() {
  std::vector<PendingWrite*> group;
  {
    std::lock_guard lock(queue_mutex_);
    const std::size_t size = std::min(queue_.size(), kMaxGroupWrites);
    group.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(size));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(size));
  }
  std::vector<std::optional<Error>> outcomes;
  const std::size_t taken = commit_group(group, outcomes);
  std::lock_guard lock(queue_mutex_);
  // Writes left out of the group go back to the front, in order.
  for (std::size_t i = group.size(); i > taken; --i) queue_.push_front(group[i - 1]);
  for (std::size_t i = 0; i < taken; ++i) {
    group[i]->error = std::move(outcomes[i]);
    group[i]->done = true;
    // Under the lock: once it sees `done`, the caller returns and its PendingWrite is gone.
    group[i]->wake.notify_one();
  }
}

namespace {

// Runs one write's compute. A compute that throws fails its own write instead of unwinding
// through the committer, which would leave every other write of the group waiting forever.
Result<std::vector<Record>> run_compute(
    const std::function<Result<std::vector<Record>>(const View&)>& compute, const View& view) {
  try {
    return compute(view);
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInternal, std::string("write failed: ") + e.what());
  } catch (...) {
    return Error(ErrorCode::kInternal, "write failed with an unknown exception");
  }
}

// Waits before retrying after a conflict. A node that has to catch up before each attempt
// loses every race against a node appending back to back (whose catch-up is empty, so its
// compute-and-append cycle is shorter); waiting a random, growing time lets the loser in. The
// first retry is immediate: one conflict is usually one write of another node.
void back_off(int attempt) {
  constexpr auto kBase = std::chrono::microseconds(50);
  constexpr auto kCap = std::chrono::microseconds(10'000);
  const auto limit =
      std::min<std::chrono::microseconds>(kBase * (1 << std::min(attempt, 10)), kCap);
  thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_int_distribution<std::int64_t> pick(limit.count() / 2, limit.count());
  std::this_thread::sleep_for(std::chrono::microseconds(pick(random)));
}

}  // namespace

std::size_t LogStore::commit_group(const std::vector<PendingWrite*>& group,
                                   std::vector<std::optional<Error>>& outcomes) {
  std::lock_guard lock(write_mutex_);
  std::size_t taken = group.size();
  std::vector<Record> records;
  std::vector<storage::LogRecord> encoded;
  // Which writes' computes succeeded in the current attempt: a store error is theirs too, while
  // a write whose compute failed keeps its own error.
  std::vector<bool> computed;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    if (attempt > 1) back_off(attempt);
    outcomes.assign(taken, std::nullopt);
    computed.assign(taken, false);
    Status caught_up = catch_up_locked();
    if (!caught_up.ok()) {
      outcomes.assign(taken, caught_up.error());
      return taken;
    }

    records.clear();
    encoded.clear();
    {
      View view(projection_, records);
      std::size_t bytes = 0;
      for (std::size_t i = 0; i < taken; ++i) {
        if (attempt == 0 && i > 0 && bytes >= kMaxGroupBytes) {
          taken = i;
          outcomes.resize(taken);
          computed.resize(taken);
          break;
        }
        Result<std::vector<Record>> write_records = run_compute(group[i]->compute, view);
        if (!write_records.ok()) {
          outcomes[i] = std::move(write_records).error();
          continue;
        }
        computed[i] = true;
        for (Record& record : *write_records) {
          encoded.push_back(encode(record));
          const storage::LogRecord& bytes_of = encoded.back();
          bytes += bytes_of.key.size() + (bytes_of.value ? bytes_of.value->size() : 0);
          records.push_back(std::move(record));
        }
      }
    }
    // Nothing to write: every write is answered by the state it was computed against, which is
    // the log's end as of the catch-up above.
    if (records.empty()) return taken;

    const std::uint64_t start = projection_.applied_end();
    Result<std::uint64_t> appended = log_->append(start, encoded);
    if (appended.ok()) {
      // Apply what we wrote directly: it is exactly what the log now holds at these offsets.
      for (std::size_t i = 0; i < records.size(); ++i) {
        projection_.apply(start + i, std::move(records[i]));
      }
      return taken;
    }
    if (appended.error().code() != ErrorCode::kLogConflict) {
      // The log may or may not hold the records now; the next catch-up reads what it holds.
      for (std::size_t i = 0; i < taken; ++i) {
        if (computed[i]) outcomes[i] = appended.error();
      }
      return taken;
    }
  }
  const Error gave_up(ErrorCode::kStoreError, "the log kept moving under this write; giving up");
  for (std::size_t i = 0; i < taken; ++i) {
    if (computed[i]) outcomes[i] = gave_up;
  }
  return taken;
}

}  // namespace sg::registry
