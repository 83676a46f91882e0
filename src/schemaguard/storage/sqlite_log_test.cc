#include "schemaguard/storage/sqlite_log.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "schemaguard/storage/log_contract_test.h"
#include "schemaguard/storage/storage_testing.h"

namespace sg::storage {
namespace {

namespace fs = std::filesystem;

using storage_testing::TempDir;

std::unique_ptr<SqliteLog> open_or_fail(const fs::path& file) {
  Result<std::unique_ptr<SqliteLog>> log = SqliteLog::open(file);
  if (!log.ok()) {
    ADD_FAILURE() << log.error().to_string();
    return nullptr;
  }
  return std::move(log).value();
}

struct SqliteLogFactory {
  static constexpr bool kPersistent = true;
  // Every append is an fsync: keep the races small enough for a slow disk.
  static constexpr int kRaceAppends = 40;

  std::unique_ptr<Log> open() { return open_or_fail(dir.path() / "nested" / "log.db"); }

  TempDir dir;
};

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, LogContractTest, ::testing::Types<SqliteLogFactory>);

namespace {

// Runs SQL on the file through a separate raw connection, as another process would.
class RawConnection {
 public:
  explicit RawConnection(const fs::path& file) {
    EXPECT_EQ(sqlite3_open(file.c_str(), &db_), SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection() { sqlite3_close_v2(db_); }

  void exec(const std::string& sql) {
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << sql << ": " << (message != nullptr ? message : "");
    sqlite3_free(message);
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    std::string result;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      const unsigned char* value = sqlite3_column_text(statement, 0);
      if (value != nullptr) result = reinterpret_cast<const char*>(value);
    }
    sqlite3_finalize(statement);
    return result;
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST(SqliteLog, OpenCreatesDirectoriesAndAWalFile) {
  TempDir dir;
  const fs::path file = dir.path() / "a" / "b" / "c" / "log.db";
  auto log = open_or_fail(file);
  ASSERT_NE(log, nullptr);
  EXPECT_TRUE(fs::is_regular_file(file));
  EXPECT_EQ(log->file(), fs::absolute(file));
  RawConnection raw(file);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.text("PRAGMA application_id"), std::to_string(0x53474C47));
  EXPECT_EQ(raw.text("PRAGMA user_version"), "1");
}

TEST(SqliteLog, OpenFailsOnADirectory) {
  TempDir dir;
  Result<std::unique_ptr<SqliteLog>> log = SqliteLog::open(dir.path());
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code(), ErrorCode::kStoreError);
}

TEST(SqliteLog, OpenFailsOnAFileThatIsNotSqlite) {
  TempDir dir;
  const fs::path file = dir.path() / "garbage.db";
  {
    std::ofstream out(file, std::ios::binary);
    for (int i = 0; i < 1000; ++i) out << "this is not a SQLite database\n";
  }
  Result<std::unique_ptr<SqliteLog>> log = SqliteLog::open(file);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code(), ErrorCode::kStoreError);
  EXPECT_NE(log.error().message().find(file.string()), std::string::npos) << log.error().message();
}

TEST(SqliteLog, OpenFailsOnAnotherApplicationsDatabase) {
  TempDir dir;
  const fs::path file = dir.path() / "other.db";
  {
    RawConnection raw(file);
    raw.exec("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)");
  }
  Result<std::unique_ptr<SqliteLog>> log = SqliteLog::open(file);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code(), ErrorCode::kStoreError);
  EXPECT_NE(log.error().message().find("not a SchemaGuard log"), std::string::npos)
      << log.error().message();
  // Left as it was: not switched to WAL, no table added.
  RawConnection raw(file);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "delete");
  EXPECT_EQ(raw.text("SELECT count(*) FROM sqlite_schema"), "1");
}

TEST(SqliteLog, OpenFailsOnANewerFormat) {
  TempDir dir;
  const fs::path file = dir.path() / "log.db";
  ASSERT_NE(open_or_fail(file), nullptr);
  RawConnection(file).exec("PRAGMA user_version = 2");
  Result<std::unique_ptr<SqliteLog>> log = SqliteLog::open(file);
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.error().message().find("format version 2"), std::string::npos)
      << log.error().message();
}

// Another process holding the write lock longer than the busy timeout: the append fails with
// kStoreError (not a conflict: nothing is known about the end), writes nothing, and the log works
// again once the lock is released.
TEST(SqliteLog, AppendTimesOutWhileAnotherWriterHoldsTheLock) {
  TempDir dir;
  const fs::path file = dir.path() / "log.db";
  SqliteLog::Options options;
  options.busy_timeout = std::chrono::milliseconds(100);
  Result<std::unique_ptr<SqliteLog>> opened = SqliteLog::open(file, options);
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  SqliteLog& log = **opened;
  const std::vector<LogRecord> record = {{"k", "v"}};
  {
    RawConnection other(file);
    other.exec("BEGIN IMMEDIATE");
    Result<std::uint64_t> blocked = log.append(0, record);
    ASSERT_FALSE(blocked.ok());
    EXPECT_EQ(blocked.error().code(), ErrorCode::kStoreError) << blocked.error().to_string();
    // Readers are not blocked by a writer.
    EXPECT_EQ(contract::end_of(log), 0u);
    other.exec("ROLLBACK");
  }
  Result<std::uint64_t> appended = log.append(0, record);
  ASSERT_TRUE(appended.ok()) << appended.error().to_string();
  EXPECT_EQ(*appended, 1u);
}

// A hole in the offsets means the file was edited or damaged: reading reports it rather than
// handing the projection a log with a record missing.
TEST(SqliteLog, ReadReportsAGapInOffsets) {
  TempDir dir;
  const fs::path file = dir.path() / "log.db";
  auto log = open_or_fail(file);
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->append(0, std::vector<LogRecord>{{"a", "1"}, {"b", "2"}}).ok());
  RawConnection(file).exec("INSERT INTO log(offset, key, value) VALUES (5, x'00', NULL)");
  Status status = log->read(0, [](const LogEntry&) { return ok_status(); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kStoreError);
  EXPECT_NE(status.error().message().find("offset 2 is missing"), std::string::npos)
      << status.error().message();
}

TEST(SqliteLog, TwoLogObjectsOnOneFileRaceSafely) {
  TempDir dir;
  const fs::path file = dir.path() / "log.db";
  auto first = open_or_fail(file);
  auto second = open_or_fail(file);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  contract::race_appenders({first.get(), second.get()}, 4, 30);
}

// Several processes (registry nodes on one host) append to one file: the compare-and-append is
// atomic across processes too.
TEST(SqliteLog, ProcessesRacingOnOneFileEachLandOnce) {
  TempDir dir;
  const fs::path file = dir.path() / "log.db";
  // No file yet: the children also race to create it.
  constexpr int kProcesses = 3;
  constexpr int kAppends = 30;
  std::vector<pid_t> children;
  for (int w = 0; w < kProcesses; ++w) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Child: no gtest assertions here, only an exit status.
      Result<std::unique_ptr<SqliteLog>> log = SqliteLog::open(file);
      if (!log.ok()) ::_exit(2);
      ::_exit(contract::append_as_writer(**log, w, kAppends).ok() ? 0 : 3);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "2: open failed, 3: append failed";
  }
  auto log = open_or_fail(file);
  ASSERT_NE(log, nullptr);
  contract::expect_race_result(*log, kProcesses, kAppends);
}

// ---------------------------------------------------------------------------------------------
// Crash safety: a child appends in a loop and reports every acknowledged end through a pipe; the
// parent SIGKILLs it mid-stream, reopens the file and checks that every acknowledged record is
// there, intact, with no gaps, and that no append landed in part.

// The record at `offset`: its content is a function of the offset, so the survivor can check it.
LogRecord crash_record(std::uint64_t offset) {
  LogRecord record;
  record.key = "crash/" + std::to_string(offset);
  if (offset % 7 == 6) return record;
  record.value =
      std::string(50 + offset % 300, static_cast<char>('a' + offset % 26)) + std::to_string(offset);
  return record;
}

// The size of the append that starts at `offset`, so the valid ends form a known chain.
std::uint64_t crash_batch_size(std::uint64_t offset) {
  return 1 + offset % 4;
}

[[noreturn]] void crash_child(const fs::path& file, int ack_fd) {
  Result<std::unique_ptr<SqliteLog>> log = SqliteLog::open(file);
  if (!log.ok()) ::_exit(2);
  Result<std::uint64_t> end = (*log)->end();
  if (!end.ok()) ::_exit(3);
  std::uint64_t offset = *end;
  for (;;) {
    std::vector<LogRecord> batch;
    for (std::uint64_t i = 0; i < crash_batch_size(offset); ++i) {
      batch.push_back(crash_record(offset + i));
    }
    Result<std::uint64_t> appended = (*log)->append(offset, batch);
    if (!appended.ok()) ::_exit(4);
    offset = *appended;
    if (::write(ack_fd, &offset, sizeof offset) != static_cast<ssize_t>(sizeof offset)) {
      ::_exit(5);
    }
  }
}

TEST(SqliteLog, KillNineKeepsEveryAcknowledgedAppend) {
  TempDir dir;
  const fs::path file = dir.path() / "log.db";
  std::mt19937 rng(7);
  std::uint64_t acknowledged = 0;
  for (int round = 0; round < 4; ++round) {
    std::array<int, 2> fds{};
    ASSERT_EQ(::pipe(fds.data()), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      crash_child(file, fds[1]);
    }
    ::close(fds[1]);

    // Let it acknowledge a varying number of appends, then kill it while it is appending.
    const int kill_after = 50 + static_cast<int>(rng() % 150);
    int acks = 0;
    bool killed = false;
    std::array<char, 4096> buffer{};
    std::size_t pending = 0;
    for (;;) {
      const ssize_t n = ::read(fds[0], buffer.data() + pending, buffer.size() - pending);
      if (n <= 0) break;  // EOF: the child is gone and every ack it wrote has been read
      pending += static_cast<std::size_t>(n);
      std::size_t used = 0;
      for (; pending - used >= sizeof(std::uint64_t); used += sizeof(std::uint64_t)) {
        std::uint64_t end = 0;
        std::memcpy(&end, buffer.data() + used, sizeof end);
        ASSERT_GT(end, acknowledged);
        acknowledged = end;
        ++acks;
      }
      std::memmove(buffer.data(), buffer.data() + used, pending - used);
      pending -= used;
      if (!killed && acks >= kill_after) {
        ::kill(pid, SIGKILL);
        killed = true;
      }
    }
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "child exited on its own with status " << status;

    auto log = open_or_fail(file);
    ASSERT_NE(log, nullptr);
    const std::vector<LogEntry> entries = contract::read_all(*log);
    ASSERT_GE(entries.size(), acknowledged) << "round " << round << ": acknowledged records lost";
    for (std::size_t i = 0; i < entries.size(); ++i) {
      ASSERT_EQ(entries[i].offset, i);
      ASSERT_EQ(entries[i].record, crash_record(i)) << "round " << round;
    }
    // The end is a batch boundary: an append killed half-way left nothing behind.
    std::uint64_t boundary = 0;
    while (boundary < entries.size()) boundary += crash_batch_size(boundary);
    EXPECT_EQ(boundary, entries.size()) << "round " << round << ": an append landed in part";
    acknowledged = entries.size();  // the next round continues from what survived
  }
}

}  // namespace
}  // namespace sg::storage
