#include "schemaguard/storage/sqlite_log.h"

#include <sqlite3.h>

#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include "schemaguard/storage/file_sync.h"

namespace sg::storage {
namespace {

// Marks the file as ours ("SGLG"), so opening some other SQLite database fails clearly instead
// of appending into it.
constexpr int kApplicationId = 0x53474C47;
// The table layout; bumped when it changes, so an older binary refuses a newer file.
constexpr int kFormatVersion = 1;
// Rows per read statement. A read transaction pins the WAL (no checkpoint can pass it), so a long
// replay is cut into short statements.
constexpr std::uint64_t kReadChunk = 1024;
// Idle read connections kept for reuse; more concurrent readers open (and close) extra ones.
constexpr std::size_t kMaxIdleReaders = 8;
constexpr auto kMaxOffset = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
// SQLITE_STATIC without its old-style cast: the bound bytes outlive the statement's step.
constexpr sqlite3_destructor_type kStaticBytes = nullptr;

Error store_error(std::string message) {
  return Error(ErrorCode::kStoreError, std::move(message));
}

Error sqlite_error(sqlite3* db, std::string_view what, const std::filesystem::path& file) {
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  return store_error("SQLite log " + file.string() + ": " + std::string(what) + ": " + detail);
}

// A prepared statement, reset and unbound on every use so it can be reused for the life of the
// connection (preparing costs more than most appends' inserts).
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  int prepare(sqlite3* db, std::string_view sql) {
    return sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  }
  sqlite3_stmt* get() const { return stmt_; }
  // Ends the statement (and, outside an explicit transaction, its implicit read transaction).
  void reset() const {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when leaving a scope, whatever path leaves it.
class ResetOnExit {
 public:
  explicit ResetOnExit(const Statement& statement) : statement_(statement) {}
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;
  ~ResetOnExit() { statement_.reset(); }

 private:
  const Statement& statement_;
};

}  // namespace

// Closes the connection last: it is the first member, so it is destroyed after the statements.
class DbHandle {
 public:
  DbHandle() = default;
  DbHandle(const DbHandle&) = delete;
  DbHandle& operator=(const DbHandle&) = delete;
  ~DbHandle() { sqlite3_close_v2(db); }

  sqlite3* db = nullptr;
};

struct SqliteLog::Connection {
  DbHandle handle;
  sqlite3* db() const { return handle.db; }
  Statement begin;
  Statement commit;
  Statement rollback;
  Statement end;
  Statement insert;
  Statement select_range;
};

namespace {

Status exec(SqliteLog::Connection& c, const char* sql, const std::filesystem::path& file) {
  char* message = nullptr;
  const int rc = sqlite3_exec(c.db(), sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return ok_status();
  std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return store_error("SQLite log " + file.string() + ": " + sql + ": " + detail);
}

// Runs a prepared statement that returns no rows (BEGIN, COMMIT, INSERT, ...).
Status step_done(SqliteLog::Connection& c, const Statement& statement, std::string_view what,
                 const std::filesystem::path& file) {
  ResetOnExit reset(statement);
  const int rc = sqlite3_step(statement.get());
  if (rc != SQLITE_DONE) return sqlite_error(c.db(), what, file);
  return ok_status();
}

Result<std::uint64_t> query_end(SqliteLog::Connection& c, const std::filesystem::path& file) {
  ResetOnExit reset(c.end);
  const int rc = sqlite3_step(c.end.get());
  if (rc != SQLITE_ROW) return sqlite_error(c.db(), "reading the log end", file);
  const std::int64_t end = sqlite3_column_int64(c.end.get(), 0);
  if (end < 0) return store_error("SQLite log " + file.string() + ": negative end offset");
  return static_cast<std::uint64_t>(end);
}

// What the file holds: a new (empty) database, a SchemaGuard log, or something else.
enum class FileKind { kEmpty, kLog };

Result<FileKind> inspect(SqliteLog::Connection& c, const std::filesystem::path& file) {
  // One statement, so one snapshot: separate queries could straddle another process's creation
  // of the log and see half of it.
  Statement statement;
  const char* sql =
      "SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM "
      "pragma_user_version), (SELECT count(*) FROM sqlite_schema)";
  if (statement.prepare(c.db(), sql) != SQLITE_OK || sqlite3_step(statement.get()) != SQLITE_ROW) {
    return sqlite_error(c.db(), "reading the file header", file);
  }
  const std::int64_t application_id = sqlite3_column_int64(statement.get(), 0);
  const std::int64_t version = sqlite3_column_int64(statement.get(), 1);
  const std::int64_t tables = sqlite3_column_int64(statement.get(), 2);
  if (application_id == 0 && version == 0 && tables == 0) return FileKind::kEmpty;
  if (application_id != kApplicationId) {
    return store_error("SQLite log " + file.string() +
                       ": the file is a SQLite database but not a SchemaGuard log");
  }
  if (version != kFormatVersion) {
    return store_error("SQLite log " + file.string() + ": format version " +
                       std::to_string(version) + ", this build reads version " +
                       std::to_string(kFormatVersion));
  }
  return FileKind::kLog;
}

// journal_mode is persistent in the file and cannot change inside a transaction. While another
// process opens the same new file, the switch can fail with SQLITE_BUSY without consulting the
// busy handler, so it is retried here until the busy timeout.
Status switch_to_wal(SqliteLog::Connection& c, const std::filesystem::path& file,
                     std::chrono::milliseconds busy_timeout) {
  const auto deadline = std::chrono::steady_clock::now() + busy_timeout;
  for (;;) {
    Statement mode;
    int rc = mode.prepare(c.db(), "PRAGMA journal_mode = WAL");
    if (rc == SQLITE_OK) rc = sqlite3_step(mode.get());
    if (rc == SQLITE_ROW) {
      const unsigned char* journal = sqlite3_column_text(mode.get(), 0);
      if (journal != nullptr && std::string_view(reinterpret_cast<const char*>(journal)) == "wal") {
        return ok_status();
      }
      return store_error("SQLite log " + file.string() + ": cannot switch to WAL journal mode");
    }
    if ((rc & 0xFF) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) {
      return sqlite_error(c.db(), "switching to WAL", file);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// Makes the file a log in WAL mode. Looks before it writes, so that opening another
// application's database by mistake leaves it untouched; creates the table under the write lock,
// so that processes opening a new file together create it once.
Status initialize(SqliteLog::Connection& c, const std::filesystem::path& file,
                  std::chrono::milliseconds busy_timeout) {
  SG_RETURN_IF_ERROR(inspect(c, file));
  SG_RETURN_IF_ERROR(switch_to_wal(c, file, busy_timeout));

  SG_RETURN_IF_ERROR(exec(c, "BEGIN IMMEDIATE", file));
  Status created = [&]() -> Status {
    SG_ASSIGN_OR_RETURN(auto kind, inspect(c, file));  // another process may have been first
    if (kind == FileKind::kLog) return ok_status();
    SG_RETURN_IF_ERROR(exec(
        c, "CREATE TABLE log(offset INTEGER PRIMARY KEY, key BLOB NOT NULL, value BLOB) STRICT",
        file));
    SG_RETURN_IF_ERROR(
        exec(c, ("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str(), file));
    return exec(c, ("PRAGMA user_version = " + std::to_string(kFormatVersion)).c_str(), file);
  }();
  if (!created.ok()) {
    (void)exec(c, "ROLLBACK", file);
    return created;
  }
  return exec(c, "COMMIT", file);
}

Result<std::unique_ptr<SqliteLog::Connection>> connect(const std::filesystem::path& file,
                                                       const SqliteLog::Options& options,
                                                       bool writer) {
  auto c = std::make_unique<SqliteLog::Connection>();
  // NOMUTEX: each connection is used by one thread at a time (the write mutex, the reader pool),
  // so SQLite's per-connection mutex would only cost.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(file.c_str(), &c->handle.db, flags, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(c->db(), "cannot open", file);
  sqlite3_extended_result_codes(c->db(), 1);
  sqlite3_busy_timeout(c->db(), static_cast<int>(options.busy_timeout.count()));

  if (writer) SG_RETURN_IF_ERROR(initialize(*c, file, options.busy_timeout));
  // FULL: the WAL is fsynced at every commit, so an acknowledged append survives power loss
  // (NORMAL would only survive a process crash).
  SG_RETURN_IF_ERROR(exec(*c, "PRAGMA synchronous = FULL", file));
  // Keep the WAL from growing without bound after a burst of appends.
  SG_RETURN_IF_ERROR(exec(*c, "PRAGMA journal_size_limit = 67108864", file));
  if (!writer) SG_RETURN_IF_ERROR(exec(*c, "PRAGMA query_only = 1", file));

  auto prepare = [&](Statement& statement, std::string_view sql) -> Status {
    if (statement.prepare(c->db(), sql) != SQLITE_OK) return sqlite_error(c->db(), sql, file);
    return ok_status();
  };
  SG_RETURN_IF_ERROR(prepare(c->end, "SELECT coalesce(max(offset) + 1, 0) FROM log"));
  if (writer) {
    SG_RETURN_IF_ERROR(prepare(c->begin, "BEGIN IMMEDIATE"));
    SG_RETURN_IF_ERROR(prepare(c->commit, "COMMIT"));
    SG_RETURN_IF_ERROR(prepare(c->rollback, "ROLLBACK"));
    SG_RETURN_IF_ERROR(prepare(c->insert, "INSERT INTO log(offset, key, value) VALUES (?, ?, ?)"));
  } else {
    SG_RETURN_IF_ERROR(prepare(c->select_range,
                               "SELECT offset, key, value FROM log WHERE offset >= ? AND "
                               "offset < ? ORDER BY offset"));
  }
  return c;
}

}  // namespace

// A read connection borrowed from the pool, returned when the lease ends.
class SqliteLog::ReaderLease {
 public:
  ReaderLease(const SqliteLog* log, std::unique_ptr<Connection> connection)
      : log_(log), connection_(std::move(connection)) {}
  ReaderLease(ReaderLease&& other) noexcept = default;
  ReaderLease& operator=(ReaderLease&&) = delete;
  ~ReaderLease() {
    if (connection_) log_->return_reader(std::move(connection_));
  }
  Connection& operator*() const { return *connection_; }

 private:
  const SqliteLog* log_;
  std::unique_ptr<Connection> connection_;
};

Result<std::unique_ptr<SqliteLog>> SqliteLog::open(const std::filesystem::path& file) {
  return open(file, Options());
}

Result<std::unique_ptr<SqliteLog>> SqliteLog::open(const std::filesystem::path& file,
                                                   const Options& options) {
  if (sqlite3_threadsafe() == 0) {
    return store_error("the SQLite library was built without thread support");
  }
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(file, ec);
  if (ec) return store_error("SQLite log " + file.string() + ": " + ec.message());
  const std::filesystem::path parent = absolute.parent_path();

  // The directories we create, and the file itself, need their directory entries synced too,
  // or a power loss right after the first appends could lose the whole file.
  std::filesystem::path existing = parent;
  while (!existing.empty() && !std::filesystem::exists(existing, ec)) {
    existing = existing.parent_path();
  }
  const bool file_existed = std::filesystem::exists(absolute, ec);
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    return store_error("SQLite log " + file.string() + ": cannot create directory " +
                       parent.string() + ": " + ec.message());
  }

  SG_ASSIGN_OR_RETURN(auto writer, connect(absolute, options, /*writer=*/true));
  if (!file_existed) {
    for (auto dir = parent;; dir = dir.parent_path()) {
      SG_RETURN_IF_ERROR(sync_directory(dir));
      if (dir == existing || dir == dir.parent_path()) break;
    }
  }
  auto log = std::unique_ptr<SqliteLog>(new SqliteLog(absolute, options, std::move(writer)));
  {
    // Open one reader now, so that a file readers cannot use fails here, not on first read.
    SG_ASSIGN_OR_RETURN(auto lease, log->lease_reader());
  }
  return log;
}

SqliteLog::SqliteLog(std::filesystem::path file, Options options,
                     std::unique_ptr<Connection> writer)
    : file_(std::move(file)), options_(options), writer_(std::move(writer)) {}

SqliteLog::~SqliteLog() = default;

Result<SqliteLog::ReaderLease> SqliteLog::lease_reader() const {
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      auto reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReaderLease(this, std::move(reader));
    }
  }
  SG_ASSIGN_OR_RETURN(auto reader, connect(file_, options_, /*writer=*/false));
  return ReaderLease(this, std::move(reader));
}

void SqliteLog::return_reader(std::unique_ptr<Connection> reader) const {
  std::lock_guard lock(readers_mutex_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
}

Result<std::uint64_t> SqliteLog::append(std::uint64_t expected_end,
                                        std::span<const LogRecord> records) {
  auto conflict = [&](std::uint64_t actual) {
    return Error(ErrorCode::kLogConflict, "log ends at " + std::to_string(actual) +
                                              ", not at the expected " +
                                              std::to_string(expected_end));
  };
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  if (records.empty()) {
    SG_ASSIGN_OR_RETURN(auto end, query_end(c, file_));
    if (end != expected_end) return conflict(end);
    return end;
  }
  SG_RETURN_IF_ERROR(step_done(c, c.begin, "BEGIN IMMEDIATE", file_));
  Status written = [&]() -> Status {
    SG_ASSIGN_OR_RETURN(auto end, query_end(c, file_));
    if (end != expected_end) return conflict(end);
    if (records.size() > kMaxOffset - end) {
      return store_error("SQLite log " + file_.string() + ": offsets would overflow");
    }
    std::uint64_t offset = expected_end;
    for (const LogRecord& record : records) {
      sqlite3_stmt* insert = c.insert.get();
      // The bytes are not copied (kStaticBytes). A non-null pointer with length 0 binds an empty
      // blob, which stays distinct from a NULL (tombstone) value.
      sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(offset));
      sqlite3_bind_blob64(insert, 2, record.key.data(), record.key.size(), kStaticBytes);
      if (record.value) {
        sqlite3_bind_blob64(insert, 3, record.value->data(), record.value->size(), kStaticBytes);
      } else {
        sqlite3_bind_null(insert, 3);
      }
      SG_RETURN_IF_ERROR(step_done(c, c.insert, "appending a record", file_));
      ++offset;
    }
    return step_done(c, c.commit, "committing an append", file_);
  }();
  if (!written.ok()) {
    // A failed COMMIT may already have rolled back; only roll back what is still open.
    if (sqlite3_get_autocommit(c.db()) == 0) (void)step_done(c, c.rollback, "ROLLBACK", file_);
    return std::move(written).error();
  }
  return expected_end + records.size();
}

Status SqliteLog::read(std::uint64_t from,
                       const std::function<Status(const LogEntry&)>& visit) const {
  SG_ASSIGN_OR_RETURN(auto lease, lease_reader());
  Connection& c = *lease;
  SG_ASSIGN_OR_RETURN(const std::uint64_t end, query_end(c, file_));
  LogEntry entry;  // reused, so strings keep their capacity across rows
  std::uint64_t next = from;
  while (next < end) {
    const std::uint64_t chunk_end = end - next > kReadChunk ? next + kReadChunk : end;
    const Statement& select = c.select_range;
    ResetOnExit reset(select);
    sqlite3_bind_int64(select.get(), 1, static_cast<sqlite3_int64>(next));
    sqlite3_bind_int64(select.get(), 2, static_cast<sqlite3_int64>(chunk_end));
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(select.get())) == SQLITE_ROW) {
      sqlite3_stmt* row = select.get();
      const auto offset = static_cast<std::uint64_t>(sqlite3_column_int64(row, 0));
      if (offset != next) {
        return store_error("SQLite log " + file_.string() + ": offset " + std::to_string(next) +
                           " is missing (found " + std::to_string(offset) + ")");
      }
      // Blob pointers are null for empty blobs; the size is what counts.
      const void* key = sqlite3_column_blob(row, 1);
      const auto key_size = static_cast<std::size_t>(sqlite3_column_bytes(row, 1));
      entry.offset = offset;
      entry.record.key.assign(key_size == 0 ? "" : static_cast<const char*>(key), key_size);
      if (sqlite3_column_type(row, 2) == SQLITE_NULL) {
        entry.record.value.reset();
      } else {
        const void* value = sqlite3_column_blob(row, 2);
        const auto value_size = static_cast<std::size_t>(sqlite3_column_bytes(row, 2));
        if (!entry.record.value) entry.record.value.emplace();
        entry.record.value->assign(value_size == 0 ? "" : static_cast<const char*>(value),
                                   value_size);
      }
      SG_RETURN_IF_ERROR(visit(entry));
      ++next;
    }
    if (rc != SQLITE_DONE) return sqlite_error(c.db(), "reading the log", file_);
    if (next != chunk_end) {
      return store_error("SQLite log " + file_.string() + ": offset " + std::to_string(next) +
                         " is missing");
    }
  }
  return ok_status();
}

Result<std::uint64_t> SqliteLog::end() const {
  SG_ASSIGN_OR_RETURN(auto lease, lease_reader());
  return query_end(*lease, file_);
}

}  // namespace sg::storage
