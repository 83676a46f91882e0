#include "schemaguard/registry/log_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "schemaguard/registry/projection_testing.h"
#include "schemaguard/storage/memory_log.h"
#include "schemaguard/storage/sqlite_log.h"
#include "schemaguard/storage/storage_testing.h"

namespace sg::registry {
namespace {

using storage::storage_testing::SharedLog;
using storage::storage_testing::TempDir;

// Counts appends and the records they carry; optionally holds appends at a gate (so that the
// test knows a group is in flight while it queues more writes) or fails them.
class InstrumentedLog final : public SharedLog {
 public:
  using SharedLog::SharedLog;

  Result<std::uint64_t> append(std::uint64_t expected_end,
                               std::span<const storage::LogRecord> records) override {
    {
      std::unique_lock lock(mutex_);
      ++appends_;
      batch_sizes_.push_back(records.size());
      changed_.notify_all();
      changed_.wait(lock, [&] { return open_; });
      if (fail_from_append_ != 0 && appends_ >= fail_from_append_) {
        return Error(ErrorCode::kStoreError, "disk on fire");
      }
    }
    return SharedLog::append(expected_end, records);
  }

  void close_gate() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void open_gate() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  // Appends from the `n`th on (counting from 1) fail with kStoreError and write nothing.
  void fail_from_append(int n) {
    std::lock_guard lock(mutex_);
    fail_from_append_ = n;
  }
  void wait_for_appends(int n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return appends_ >= n; });
  }
  int appends() const {
    std::lock_guard lock(mutex_);
    return appends_;
  }
  std::vector<std::size_t> batch_sizes() const {
    std::lock_guard lock(mutex_);
    return batch_sizes_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = true;
  int appends_ = 0;
  int fail_from_append_ = 0;
  std::vector<std::size_t> batch_sizes_;
};

SchemaRecord schema(std::string subject, int version, int id) {
  SchemaRecord r;
  r.subject = std::move(subject);
  r.version = version;
  r.id = id;
  r.schema = "\"string\"";
  return r;
}

// Registers a new version of `subject` with the next id, computed from the view: the shape of
// every registry write.
Result<int> register_next(LogStore& store, const std::string& subject) {
  return store.write<int>([&](const View& p) -> Result<LogStore::Batch<int>> {
    const auto state = p.subject(subject);
    const int version = (state ? state->max_version() : 0) + 1;
    const int id = p.max_id(".") + 1;
    SchemaRecord record = schema(subject, version, id);
    record.schema = "\"v" + std::to_string(id) + "\"";
    return LogStore::Batch<int>{{record}, id};
  });
}

TEST(LogStore, WritesAreAppliedBeforeTheyReturn) {
  auto log = std::make_shared<storage::MemoryLog>();
  auto store = LogStore::open(std::make_unique<SharedLog>(log));
  ASSERT_TRUE(store.ok()) << store.error().message();
  auto id = register_next(**store, "orders");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 1);
  ASSERT_NE((*store)->projection().subject("orders"), nullptr);
  EXPECT_EQ((*store)->projection().subject("orders")->latest()->schema->id, 1);
  EXPECT_EQ(*log->end(), 1u);
}

TEST(LogStore, ReopeningReplaysTheLog) {
  auto log = std::make_shared<storage::MemoryLog>();
  {
    auto store = *LogStore::open(std::make_unique<SharedLog>(log));
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(register_next(*store, "s").ok());
  }
  auto reopened = *LogStore::open(std::make_unique<SharedLog>(log));
  EXPECT_EQ(reopened->projection().applied_end(), 5u);
  EXPECT_EQ(reopened->projection().subject("s")->max_version(), 5);
}

TEST(LogStore, ComputeErrorsWriteNothing) {
  auto log = std::make_shared<storage::MemoryLog>();
  auto store = *LogStore::open(std::make_unique<SharedLog>(log));
  auto result = store->write<int>([](const View&) -> Result<LogStore::Batch<int>> {
    return Error(ErrorCode::kIncompatibleSchema, "no");
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::kIncompatibleSchema);
  EXPECT_EQ(*log->end(), 0u);
}

// Two stores on one log act like two registry nodes: compare-and-append makes the loser catch
// up and recompute, so versions and ids never collide.
TEST(LogStore, TwoWritersOnOneLogNeverCollide) {
  auto log = std::make_shared<storage::MemoryLog>();
  auto a = *LogStore::open(std::make_unique<SharedLog>(log));
  auto b = *LogStore::open(std::make_unique<SharedLog>(log));
  constexpr int kPerWriter = 200;
  auto write_all = [](LogStore& store) {
    for (int i = 0; i < kPerWriter; ++i) {
      auto id = register_next(store, "shared");
      ASSERT_TRUE(id.ok()) << id.error().to_string();
    }
  };
  std::thread ta([&] { write_all(*a); });
  std::thread tb([&] { write_all(*b); });
  ta.join();
  tb.join();
  ASSERT_TRUE(a->catch_up().ok());
  ASSERT_TRUE(b->catch_up().ok());
  for (const LogStore* store : {a.get(), b.get()}) {
    const auto state = store->projection().subject("shared");
    ASSERT_EQ(state->versions.size(), 2u * kPerWriter);
    for (std::size_t i = 0; i < state->versions.size(); ++i) {
      EXPECT_EQ(state->versions[i].version, static_cast<int>(i) + 1);
      EXPECT_EQ(state->versions[i].schema->id, static_cast<int>(i) + 1);
    }
  }
}

// Fails reads after `fail_after` entries, as a disk error in the middle of a replay would.
class FailingReadLog final : public SharedLog {
 public:
  FailingReadLog(std::shared_ptr<storage::Log> log, std::uint64_t fail_after)
      : SharedLog(std::move(log)), fail_after_(fail_after) {}
  Status read(std::uint64_t from,
              const std::function<Status(const storage::LogEntry&)>& visit) const override {
    return SharedLog::read(from, [&](const storage::LogEntry& entry) -> Status {
      if (entry.offset >= fail_after_) return Error(ErrorCode::kStoreError, "bad sector");
      return visit(entry);
    });
  }

 private:
  std::uint64_t fail_after_;
};

// Replay decodes on a second thread in batches: a log of several batches, with records of every
// kind and undecodable ones among them, replays to the state the writer had.
TEST(LogStore, ReplayOfManyBatchesMatchesTheWriter) {
  auto log = std::make_shared<storage::MemoryLog>();
  auto writer = *LogStore::open(std::make_unique<SharedLog>(log));
  const storage::LogRecord garbage{"not json", std::nullopt};
  for (int i = 0; i < 3000; ++i) {
    ASSERT_TRUE(register_next(*writer, "s" + std::to_string(i % 7)).ok());
    if (i % 500 == 0) {
      ASSERT_TRUE(log->append(*log->end(), std::span(&garbage, 1)).ok());
      ASSERT_TRUE(writer->catch_up().ok());
    }
    if (i % 300 == 299) {
      ASSERT_TRUE(writer
                      ->write<int>([&](const View& view) -> Result<LogStore::Batch<int>> {
                        const std::string subject = "s" + std::to_string(i % 7);
                        return LogStore::Batch<int>{
                            {DeleteSubjectRecord{subject, view.subject(subject)->max_version()},
                             SchemaTombstone{subject, 1}},
                            0};
                      })
                      .ok());
    }
  }
  auto reopened = LogStore::open(std::make_unique<SharedLog>(log));
  ASSERT_TRUE(reopened.ok()) << reopened.error().to_string();
  EXPECT_EQ((*reopened)->skipped_records(), 6u);
  // The replay applied in place (apply_unshared), the writer shared (apply): the same state.
  projection_testing::expect_same_subjects((*reopened)->projection(), writer->projection());
  projection_testing::expect_counts_match_a_walk((*reopened)->projection(), "replayed");
  projection_testing::expect_counts_match_a_walk(writer->projection(), "written");
}

TEST(LogStore, AReadErrorDuringReplayFailsOpen) {
  auto log = std::make_shared<storage::MemoryLog>();
  {
    auto writer = *LogStore::open(std::make_unique<SharedLog>(log));
    for (int i = 0; i < 2500; ++i) ASSERT_TRUE(register_next(*writer, "s").ok());
  }
  auto reopened = LogStore::open(std::make_unique<FailingReadLog>(log, 2100));
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code(), ErrorCode::kStoreError);
  EXPECT_EQ(reopened.error().message(), "bad sector");
}

TEST(LogStore, UndecodableRecordsAreSkipped) {
  auto log = std::make_shared<storage::MemoryLog>();
  const storage::LogRecord garbage{"not json", std::nullopt};
  ASSERT_TRUE(log->append(0, std::span(&garbage, 1)).ok());
  auto store = LogStore::open(std::make_unique<SharedLog>(log));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->skipped_records(), 1u);
  EXPECT_EQ((*store)->projection().applied_end(), 1u);
  EXPECT_TRUE(register_next(**store, "s").ok()) << "writes continue after the skipped record";
}

// Holds the first append at the gate until `queued` more writes wait behind it, so that those
// writes form the next group (the committer takes every queued write).
class GroupHarness {
 public:
  GroupHarness() {
    auto log = std::make_unique<InstrumentedLog>(std::make_unique<storage::MemoryLog>());
    log_ = log.get();
    store_ = *LogStore::open(std::move(log));
  }
  ~GroupHarness() {
    log_->open_gate();
    for (auto& thread : threads_) thread.join();
  }

  // Starts the first write and waits until it is stuck in its append.
  void start_blocked_write(std::function<void(LogStore&)> write) {
    log_->close_gate();
    start(std::move(write));
    log_->wait_for_appends(1);
  }
  void start(std::function<void(LogStore&)> write) {
    threads_.emplace_back([this, write = std::move(write)] { write(*store_); });
  }
  // Waits until `n` writes are queued, then lets everything run to completion.
  void release_when_queued(std::size_t n) {
    while (store_->queued_writes() < n) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    log_->open_gate();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }

  LogStore& store() { return *store_; }
  InstrumentedLog& log() { return *log_; }

 private:
  InstrumentedLog* log_;
  std::unique_ptr<LogStore> store_;
  std::vector<std::thread> threads_;
};

// Many writers at once: every registration gets a unique id, dense from 1, and consecutive
// versions in its subject, while appends (fsyncs) are shared by many writes.
TEST(LogStoreGroupCommit, ConcurrentWritesShareAppendsOnADurableLog) {
  TempDir dir;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  constexpr int kWrites = kThreads * kPerThread;
  InstrumentedLog* counting = nullptr;
  std::map<int, std::string> subject_of_id;
  {
    auto sqlite = storage::SqliteLog::open(dir.path() / "log.db");
    ASSERT_TRUE(sqlite.ok()) << sqlite.error().to_string();
    auto log = std::make_unique<InstrumentedLog>(std::move(sqlite).value());
    counting = log.get();
    auto store = *LogStore::open(std::move(log));
    std::vector<std::vector<int>> ids(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          auto id = register_next(*store, "s" + std::to_string(t % 3));
          ASSERT_TRUE(id.ok()) << id.error().to_string();
          ids[static_cast<std::size_t>(t)].push_back(*id);
        }
      });
    }
    for (auto& thread : threads) thread.join();

    std::set<int> all;
    for (int t = 0; t < kThreads; ++t) {
      for (int id : ids[static_cast<std::size_t>(t)]) {
        all.insert(id);
        subject_of_id[id] = "s" + std::to_string(t % 3);
      }
    }
    ASSERT_EQ(all.size(), static_cast<std::size_t>(kWrites)) << "ids are unique";
    EXPECT_EQ(*all.begin(), 1);
    EXPECT_EQ(*all.rbegin(), kWrites) << "ids are dense";
    RecordProperty("appends", counting->appends());
    // Typically a fifth to a third on two cores; the bound leaves room for slow CI machines.
    EXPECT_LT(counting->appends(), kWrites / 2)
        << "appends should be shared: " << counting->appends() << " for " << kWrites << " writes";
    EXPECT_EQ(store->queued_writes(), 0u);
  }

  // What the writers were told is what the log holds: reopen and check every subject.
  auto reopened = LogStore::open(*storage::SqliteLog::open(dir.path() / "log.db"));
  ASSERT_TRUE(reopened.ok());
  std::map<std::string, int> next_version;
  int total = 0;
  for (const std::string subject : {"s0", "s1", "s2"}) {
    const auto state = (*reopened)->projection().subject(subject);
    ASSERT_NE(state, nullptr);
    for (std::size_t i = 0; i < state->versions.size(); ++i) {
      const SubjectVersion& v = state->versions[i];
      EXPECT_EQ(v.version, static_cast<int>(i) + 1) << subject << ": versions are consecutive";
      EXPECT_EQ(subject_of_id[v.schema->id], subject) << "id " << v.schema->id;
      ++total;
    }
  }
  EXPECT_EQ(total, kWrites);
}

// The second write of a group is computed against the first one's pending record: it takes the
// next version and the next id, and both land in one append.
TEST(LogStoreGroupCommit, WritesOfAGroupSeeEachOther) {
  GroupHarness harness;
  harness.start_blocked_write([](LogStore& store) { ASSERT_EQ(*register_next(store, "s"), 1); });
  std::vector<int> ids(2);
  for (std::size_t i = 0; i < 2; ++i) {
    harness.start([&ids, i](LogStore& store) {
      auto id = register_next(store, "s");
      ASSERT_TRUE(id.ok());
      ids[i] = *id;
    });
  }
  harness.release_when_queued(2);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<int>{2, 3}));
  EXPECT_EQ(harness.log().batch_sizes(), (std::vector<std::size_t>{1, 2}))
      << "one append for the two writes of the second group";
  const auto state = harness.store().projection().subject("s");
  ASSERT_EQ(state->versions.size(), 3u);
  EXPECT_EQ(state->versions[2].version, 3);
}

TEST(LogStoreGroupCommit, AFailingComputeFailsOnlyItsOwnWrite) {
  GroupHarness harness;
  harness.start_blocked_write([](LogStore& store) { ASSERT_EQ(*register_next(store, "s"), 1); });
  std::vector<int> ids(2);
  harness.start([&](LogStore& store) { ids[0] = *register_next(store, "s"); });
  std::optional<Error> failure;
  harness.start([&](LogStore& store) {
    auto result = store.write<int>([](const View& view) -> Result<LogStore::Batch<int>> {
      // Computed in the group, after or before the others: either way it must not leak.
      if (view.max_id(".") >= 1) return Error(ErrorCode::kIncompatibleSchema, "not this one");
      return LogStore::Batch<int>{{}, 0};
    });
    if (!result.ok()) failure = result.error();
  });
  harness.start([&](LogStore& store) { ids[1] = *register_next(store, "s"); });
  harness.release_when_queued(3);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->code(), ErrorCode::kIncompatibleSchema);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<int>{2, 3}));
  EXPECT_EQ(harness.log().batch_sizes(), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(harness.store().projection().max_id("."), 3);
}

// A store error fails every write of the group, including one that wrote nothing itself (its
// answer may rest on records of the group that never landed); the store keeps working after.
TEST(LogStoreGroupCommit, AStoreErrorFailsTheWholeGroup) {
  GroupHarness harness;
  harness.start_blocked_write([](LogStore& store) { ASSERT_EQ(*register_next(store, "s"), 1); });
  harness.log().fail_from_append(2);
  std::vector<std::optional<Error>> errors(2);
  harness.start([&](LogStore& store) {
    auto id = register_next(store, "s");
    if (!id.ok()) errors[0] = id.error();
  });
  harness.start([&](LogStore& store) {
    auto result = store.write<int>([](const View& view) -> Result<LogStore::Batch<int>> {
      return LogStore::Batch<int>{{}, view.max_id(".")};
    });
    if (!result.ok()) errors[1] = result.error();
  });
  harness.release_when_queued(2);
  for (const auto& error : errors) {
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), ErrorCode::kStoreError);
  }
  harness.log().fail_from_append(0);
  EXPECT_EQ(*register_next(harness.store(), "s"), 2) << "nothing of the failed group landed";
}

TEST(LogStoreGroupCommit, WritesWithoutRecordsDoNotAppend) {
  GroupHarness harness;
  ASSERT_EQ(*register_next(harness.store(), "s"), 1);
  auto result = harness.store().write<int>([](const View& view) -> Result<LogStore::Batch<int>> {
    return LogStore::Batch<int>{{}, view.subject("s")->latest()->schema->id};
  });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 1);
  EXPECT_EQ(harness.log().appends(), 1);
}

// A group stops growing once its records pass the byte limit; the rest make the next group.
TEST(LogStoreGroupCommit, LargeGroupsAreSplitByBytes) {
  GroupHarness harness;
  harness.start_blocked_write([](LogStore& store) { ASSERT_EQ(*register_next(store, "s"), 1); });
  const std::string big(3 << 20, 'x');
  for (int i = 0; i < 3; ++i) {
    harness.start([&big](LogStore& store) {
      auto written = store.write<int>([&](const View& view) -> Result<LogStore::Batch<int>> {
        const int id = view.max_id(".") + 1;
        SchemaRecord record = schema("big", view.subject("big") ? id : 1, id);
        record.schema = "\"" + big + std::to_string(id) + "\"";
        return LogStore::Batch<int>{{record}, id};
      });
      ASSERT_TRUE(written.ok());
    });
  }
  harness.release_when_queued(3);
  EXPECT_EQ(harness.log().batch_sizes(), (std::vector<std::size_t>{1, 2, 1}));
  EXPECT_EQ(harness.store().projection().max_id("."), 4);
}

// Two stores sharing a log, each with concurrent writers: groups of one store conflict with the
// other's appends, catch up and are recomputed as a whole, and both converge on one history.
TEST(LogStoreGroupCommit, TwoStoresOnOneLogConvergeUnderConcurrentWrites) {
  auto log = std::make_shared<storage::MemoryLog>();
  auto a = *LogStore::open(std::make_unique<SharedLog>(log));
  auto b = *LogStore::open(std::make_unique<SharedLog>(log));
  constexpr int kThreadsPerStore = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kThreadsPerStore; ++t) {
    LogStore& store = t % 2 == 0 ? *a : *b;
    threads.emplace_back([&store] {
      for (int i = 0; i < kPerThread; ++i) {
        auto id = register_next(store, "shared");
        ASSERT_TRUE(id.ok()) << id.error().to_string();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(a->catch_up().ok());
  ASSERT_TRUE(b->catch_up().ok());
  constexpr std::size_t kTotal = 2 * kThreadsPerStore * kPerThread;
  for (const LogStore* store : {a.get(), b.get()}) {
    const auto state = store->projection().subject("shared");
    ASSERT_EQ(state->versions.size(), kTotal);
    for (std::size_t i = 0; i < state->versions.size(); ++i) {
      EXPECT_EQ(state->versions[i].version, static_cast<int>(i) + 1);
      EXPECT_EQ(state->versions[i].schema->id, static_cast<int>(i) + 1);
    }
  }
  EXPECT_EQ(*log->end(), kTotal);
}

}  // namespace
}  // namespace sg::registry
