#include "schemaguard/registry/snapshot.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "schemaguard/registry/log_store.h"
#include "schemaguard/registry/projection_testing.h"
#include "schemaguard/storage/memory_log.h"
#include "schemaguard/storage/sqlite_log.h"
#include "schemaguard/storage/storage_testing.h"

namespace sg::registry {
namespace {

using namespace projection_testing;  // NOLINT: this test is built on them
namespace fs = std::filesystem;

using storage::storage_testing::TempDir;

// Saving and loading gives a projection that answers every query as the original does, and
// applies further records as the original does (what is rebuilt on load, not saved, must be
// exactly what applying would have built).
void check_round_trip(const std::vector<Record>& records, const std::string& name) {
  SCOPED_TRACE(name);
  const std::size_t half = records.size() / 2;
  Projection original;
  for (std::size_t i = 0; i < half; ++i) original.apply(i, records[i]);
  std::string bytes;
  original.save(bytes);
  Projection loaded;
  Status status = loaded.load(bytes);
  ASSERT_TRUE(status.ok()) << status.error().to_string();
  EXPECT_EQ(loaded.applied_end(), original.applied_end());
  const Universe universe(records);
  expect_same_answers(loaded, original, universe, "after load");
  expect_counts_match_a_walk(loaded, "after load");
  for (std::size_t i = half; i < records.size(); ++i) {
    original.apply(i, records[i]);
    loaded.apply(i, records[i]);
  }
  expect_same_answers(loaded, original, universe, "after the tail");
  expect_counts_match_a_walk(loaded, "after the tail");
}

TEST(Snapshot, SaveAndLoadKeepEveryAnswer) {
  for (const Scenario& scenario : scenarios()) {
    check_round_trip(scenario.records, scenario.name);
    if (HasFailure()) return;
  }
  std::mt19937 rng(7031);
  for (int round = 0; round < 60; ++round) {
    check_round_trip(random_sequence(rng, 60), "random round " + std::to_string(round));
    if (HasFailure()) return;
  }
}

TEST(Snapshot, LoadRejectsDamagedPayloadsAndLeavesTheProjectionAlone) {
  Projection original;
  std::vector<Record> records = scenarios()[2].records;
  for (std::size_t i = 0; i < records.size(); ++i) original.apply(i, records[i]);
  std::string bytes;
  original.save(bytes);

  Projection target;
  target.apply(0, schema("kept", 1, 1, "\"k\""));
  for (std::size_t cut : {std::size_t{0}, std::size_t{7}, bytes.size() / 2, bytes.size() - 1}) {
    EXPECT_FALSE(target.load(std::string_view(bytes).substr(0, cut)).ok()) << cut;
  }
  EXPECT_FALSE(target.load(bytes + "x").ok());
  EXPECT_EQ(target.applied_end(), 1u);
  EXPECT_NE(target.subject("kept"), nullptr) << "a failed load changes nothing";
}

class SnapshotStoreTest : public ::testing::Test {
 protected:
  fs::path db() const { return dir_.path() / "log.db"; }
  fs::path snapshot() const { return dir_.path() / "log.snapshot"; }

  LogStore::Options options() {
    LogStore::Options options;
    options.snapshot_file = snapshot();
    options.note = [this](std::string_view message) { notes_.emplace_back(message); };
    return options;
  }

  std::unique_ptr<LogStore> open_store() {
    auto log = storage::SqliteLog::open(db());
    EXPECT_TRUE(log.ok());
    if (!log.ok()) return nullptr;
    auto store = LogStore::open(std::move(log).value(), options());
    EXPECT_TRUE(store.ok()) << store.error().to_string();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  static void register_versions(LogStore& store, const std::string& subject, int count) {
    for (int i = 0; i < count; ++i) {
      auto written = store.write<int>([&](const View& view) -> Result<LogStore::Batch<int>> {
        const auto state = view.subject(subject);
        const int id = view.max_id(".") + 1;
        return LogStore::Batch<int>{{schema(subject, (state ? state->max_version() : 0) + 1, id,
                                            "\"" + subject + std::to_string(id) + "\"")},
                                    id};
      });
      ASSERT_TRUE(written.ok()) << written.error().to_string();
    }
  }

  static void expect_same(const LogStore& a, const LogStore& b) {
    expect_same_subjects(a.projection(), b.projection());
    EXPECT_EQ(a.skipped_records(), b.skipped_records());
  }

  TempDir dir_;
  std::vector<std::string> notes_;
};

TEST_F(SnapshotStoreTest, OpenLoadsTheSnapshotAndReplaysOnlyTheTail) {
  {
    auto store = open_store();
    register_versions(*store, "a", 30);
    ASSERT_TRUE(store->write_snapshot().ok());
    register_versions(*store, "b", 5);  // the tail
  }
  auto reopened = open_store();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->snapshot_end(), 30u);
  EXPECT_TRUE(notes_.empty()) << notes_.front();

  // The same state as a replay of the whole log, and writes continue from it.
  auto log = storage::SqliteLog::open(db());
  auto replayed = *LogStore::open(std::move(log).value());
  expect_same(*reopened, *replayed);
  register_versions(*reopened, "a", 1);
  EXPECT_EQ(reopened->projection().subject("a")->max_version(), 31);
  EXPECT_EQ(reopened->projection().max_id("."), 36);
}

TEST_F(SnapshotStoreTest, NoSnapshotFileIsNotWorthANote) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->snapshot_end(), 0u);
  EXPECT_TRUE(notes_.empty());
}

TEST_F(SnapshotStoreTest, ADamagedSnapshotIsIgnoredWithANote) {
  {
    auto store = open_store();
    register_versions(*store, "a", 10);
    ASSERT_TRUE(store->write_snapshot().ok());
  }
  std::string bytes;
  {
    std::ifstream in(snapshot(), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_GT(bytes.size(), 200u);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
  {
    std::ofstream out(snapshot(), std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  auto reopened = open_store();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->snapshot_end(), 0u);
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_NE(notes_[0].find("checksum"), std::string::npos) << notes_[0];
  EXPECT_EQ(reopened->projection().subject("a")->max_version(), 10) << "replayed instead";

  // Truncated, or not a snapshot at all: the same.
  {
    std::ofstream out(snapshot(), std::ios::binary | std::ios::trunc);
    out << bytes.substr(0, bytes.size() / 3);
  }
  EXPECT_EQ(open_store()->snapshot_end(), 0u);
  {
    std::ofstream out(snapshot(), std::ios::binary | std::ios::trunc);
    out << "SQLite format 3 and then some more bytes than a header, and more, and more, and more";
  }
  EXPECT_EQ(open_store()->snapshot_end(), 0u);
  EXPECT_EQ(notes_.size(), 3u);
}

// A snapshot that does not belong to the log next to it (a log restored from a backup, another
// registry's file copied over) is never trusted.
TEST_F(SnapshotStoreTest, ASnapshotOfAnotherLogIsIgnored) {
  {
    auto store = open_store();
    register_versions(*store, "a", 10);
    ASSERT_TRUE(store->write_snapshot().ok());
  }
  // A new log next to the old snapshot: first shorter than the snapshot, then as long but with
  // other records.
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db().string() + suffix);
  {
    auto store = open_store();
    EXPECT_EQ(store->snapshot_end(), 0u);
    ASSERT_EQ(notes_.size(), 1u);
    EXPECT_NE(notes_[0].find("covers 10 records, the log holds 0"), std::string::npos) << notes_[0];
    register_versions(*store, "b", 12);
  }
  notes_.clear();
  auto reopened = open_store();
  EXPECT_EQ(reopened->snapshot_end(), 0u);
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_NE(notes_[0].find("another log"), std::string::npos) << notes_[0];
  EXPECT_EQ(reopened->projection().subject("a"), nullptr);
  EXPECT_EQ(reopened->projection().subject("b")->max_version(), 12);
}

// The log rewritten after the snapshot's first record (records replaced by a tool, a restore
// that kept the first record): the last record the snapshot covers no longer matches.
TEST_F(SnapshotStoreTest, ASnapshotOfARewrittenLogIsIgnored) {
  {
    auto store = open_store();
    register_versions(*store, "a", 10);
    ASSERT_TRUE(store->write_snapshot().ok());
  }
  // Record 9 rewritten in place, as only a tool outside SchemaGuard could.
  sqlite3* db_handle = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &db_handle), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db_handle, "UPDATE log SET value = x'7b7d' WHERE offset = 9", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db_handle);
  auto reopened = open_store();
  EXPECT_EQ(reopened->snapshot_end(), 0u);
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_NE(notes_[0].find("record 9 differs"), std::string::npos) << notes_[0];
}

TEST_F(SnapshotStoreTest, SnapshotsAreWrittenPeriodically) {
  LogStore::Options periodic = options();
  periodic.snapshot_every = 25;
  {
    auto log = storage::SqliteLog::open(db());
    auto store = *LogStore::open(std::move(log).value(), periodic);
    register_versions(*store, "a", 60);
  }
  auto file = SnapshotFile::open(snapshot());
  ASSERT_TRUE(file.ok()) << file.error().to_string();
  EXPECT_EQ(file->mark().end, 50u);
  auto reopened = open_store();
  EXPECT_EQ(reopened->snapshot_end(), 50u);
  EXPECT_EQ(reopened->projection().subject("a")->max_version(), 60);
}

TEST(SnapshotStore, WriteSnapshotNeedsAFile) {
  auto store = *LogStore::open(std::make_unique<storage::MemoryLog>());
  Status written = store->write_snapshot();
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace sg::registry
