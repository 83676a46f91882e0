// The contract every Log backend passes: a typed GoogleTest suite a backend's test instantiates
// with a factory type.
//
//   struct MyFactory {
//     static constexpr bool kPersistent = true;   // open() again sees what was appended
//     static constexpr int kRaceAppends = 40;     // appends per thread in the race tests
//     std::unique_ptr<Log> open();                // the factory's storage (fresh per factory)
//   };
//   INSTANTIATE_TYPED_TEST_SUITE_P(My, LogContractTest, ::testing::Types<MyFactory>);
//
// Each test constructs its own factory, so a factory owns its storage (a temporary directory, a
// database schema) and removes it in its destructor. open() may be called several times; for a
// persistent backend every call opens the same storage.
//
// Include this header in exactly one test source per executable.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "schemaguard/storage/log.h"

namespace sg::storage::contract {

// Reads everything from `from` on; fails the test (and returns what it got) if the read fails.
inline std::vector<LogEntry> read_all(const Log& log, std::uint64_t from = 0) {
  std::vector<LogEntry> entries;
  Status status = log.read(from, [&](const LogEntry& entry) {
    entries.push_back(entry);
    return ok_status();
  });
  EXPECT_TRUE(status.ok()) << status.error().to_string();
  return entries;
}

inline std::uint64_t end_of(const Log& log) {
  Result<std::uint64_t> end = log.end();
  EXPECT_TRUE(end.ok()) << end.error().to_string();
  return end.ok() ? *end : ~std::uint64_t{0};
}

// Records whose bytes exercise what a backend could get wrong: NUL bytes, invalid UTF-8,
// multi-byte characters, an empty value (which is not a tombstone), an empty key, big values.
inline std::vector<LogRecord> awkward_records() {
  using namespace std::string_literals;
  std::vector<LogRecord> records;
  records.push_back({R"({"keytype":"SCHEMA","subject":"s","version":1,"magic":1})",
                     R"({"subject":"s","version":1,"id":1,"schema":"\"int\"","deleted":false})"});
  records.push_back({R"({"keytype":"SCHEMA","subject":"s","version":1,"magic":1})", std::nullopt});
  records.push_back({"nul\0in\0key"s, "nul\0in\0value\0"s});
  records.push_back({"\xff\xfe\x80 not utf-8", "\xc3\x28 also not"});
  records.push_back({"é 日本 🙂 \"quoted\" \\ back", "ünïcödé 値 🙂"});
  records.push_back({"empty value", ""});
  records.push_back({"", "empty key"});
  records.push_back({"", std::nullopt});
  records.push_back({"large", std::string(1 << 20, 'x') + "end"});
  records.push_back({std::string(1000, '\0'), std::string(3000, '\0')});
  return records;
}

// Record `seq` of writer `writer` in the race tests: recognisable, and varied in size.
inline LogRecord race_record(int writer, int seq) {
  LogRecord record;
  record.key = "w" + std::to_string(writer) + "/" + std::to_string(seq);
  if (seq % 5 == 4) return record;  // some tombstones
  record.value =
      std::string(static_cast<std::size_t>(10 + seq % 90), static_cast<char>('a' + seq % 26));
  return record;
}

// The number of records writer `writer` puts in its append number `append` (1 to 3: batches
// must land whole and contiguous).
inline int race_batch_size(int writer, int append) {
  return 1 + (writer + append) % 3;
}

// One writer's part of a race: `appends` appends, each retried after catching up on
// kLogConflict. Free of gtest assertions, so that a forked child process can run it too.
inline Status append_as_writer(Log& log, int writer, int appends) {
  int seq = 0;
  for (int a = 0; a < appends; ++a) {
    std::vector<LogRecord> batch;
    const int size = race_batch_size(writer, a);
    for (int i = 0; i < size; ++i) batch.push_back(race_record(writer, seq + i));
    for (;;) {
      SG_ASSIGN_OR_RETURN(auto end, log.end());
      Result<std::uint64_t> appended = log.append(end, batch);
      if (appended.ok()) {
        if (*appended != end + batch.size()) {
          return Error(ErrorCode::kInternal, "append returned a wrong end");
        }
        break;
      }
      if (appended.error().code() != ErrorCode::kLogConflict) return std::move(appended).error();
    }
    seq += size;
  }
  return ok_status();
}

// After `writers` writers ran append_as_writer: every record is in the log exactly once, offsets
// are dense, and each writer's records are in its order.
inline void expect_race_result(const Log& log, int writers, int appends_per_writer) {
  const std::vector<LogEntry> entries = read_all(log);
  std::map<int, int> next_seq;  // writer -> the seq its next record must have
  for (std::size_t i = 0; i < entries.size(); ++i) {
    ASSERT_EQ(entries[i].offset, i);
    const std::string& key = entries[i].record.key;
    ASSERT_TRUE(key.size() > 1 && key[0] == 'w') << key;
    const auto slash = key.find('/');
    ASSERT_NE(slash, std::string::npos) << key;
    const int writer = std::stoi(key.substr(1, slash - 1));
    const int seq = std::stoi(key.substr(slash + 1));
    ASSERT_EQ(seq, next_seq[writer]) << "writer " << writer << " at offset " << i;
    ASSERT_EQ(entries[i].record, race_record(writer, seq));
    next_seq[writer] = seq + 1;
  }
  std::size_t expected_total = 0;
  for (int w = 0; w < writers; ++w) {
    int expected = 0;
    for (int a = 0; a < appends_per_writer; ++a) expected += race_batch_size(w, a);
    EXPECT_EQ(next_seq[w], expected) << "writer " << w;
    expected_total += static_cast<std::size_t>(expected);
  }
  EXPECT_EQ(entries.size(), expected_total);
  EXPECT_EQ(end_of(log), entries.size());
}

// Several writer threads race compare-and-append, each on a Log object from `logs` (round
// robin: several objects may share one storage), then the result is checked.
inline void race_appenders(const std::vector<Log*>& logs, int writers, int appends_per_writer) {
  std::vector<std::thread> threads;
  std::vector<std::optional<Error>> errors(static_cast<std::size_t>(writers));
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      Log& log = *logs[static_cast<std::size_t>(w) % logs.size()];
      Status status = append_as_writer(log, w, appends_per_writer);
      if (!status.ok()) errors[static_cast<std::size_t>(w)] = status.error();
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) {
    ASSERT_FALSE(error.has_value()) << error->to_string();
  }
  expect_race_result(*logs.front(), writers, appends_per_writer);
}

}  // namespace sg::storage::contract

namespace sg::storage {

template <typename Factory>
class LogContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = factory_.open();
    ASSERT_NE(log_, nullptr);
  }

  // Appends and asserts success; returns the new end.
  std::uint64_t append_ok(std::uint64_t expected_end, const std::vector<LogRecord>& records) {
    Result<std::uint64_t> end = log_->append(expected_end, records);
    EXPECT_TRUE(end.ok()) << end.error().to_string();
    return end.ok() ? *end : 0;
  }

  Factory factory_;
  std::unique_ptr<Log> log_;
};

TYPED_TEST_SUITE_P(LogContractTest);

TYPED_TEST_P(LogContractTest, EmptyLogHasNothing) {
  EXPECT_EQ(contract::end_of(*this->log_), 0u);
  EXPECT_TRUE(contract::read_all(*this->log_).empty());
  EXPECT_TRUE(contract::read_all(*this->log_, 7).empty());
}

TYPED_TEST_P(LogContractTest, ReadsBackExactBytes) {
  const std::vector<LogRecord> records = contract::awkward_records();
  EXPECT_EQ(this->append_ok(0, records), records.size());
  EXPECT_EQ(contract::end_of(*this->log_), records.size());
  const std::vector<LogEntry> entries = contract::read_all(*this->log_);
  ASSERT_EQ(entries.size(), records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(entries[i].offset, i);
    EXPECT_EQ(entries[i].record, records[i]) << "offset " << i;
  }
  // An empty value is a value, not a tombstone.
  ASSERT_TRUE(entries[5].record.value.has_value());
  EXPECT_TRUE(entries[5].record.value->empty());
  EXPECT_FALSE(entries[7].record.value.has_value());
}

TYPED_TEST_P(LogContractTest, OffsetsAreDenseAcrossAppends) {
  std::vector<LogRecord> all;
  std::uint64_t end = 0;
  for (int batch = 0; batch < 12; ++batch) {
    std::vector<LogRecord> records;
    for (int i = 0; i < batch % 4 + 1; ++i) {
      records.push_back(contract::race_record(batch, i));
    }
    const std::uint64_t new_end = this->append_ok(end, records);
    ASSERT_EQ(new_end, end + records.size());
    end = new_end;
    all.insert(all.end(), records.begin(), records.end());
    EXPECT_EQ(contract::end_of(*this->log_), end);
  }
  const std::vector<LogEntry> entries = contract::read_all(*this->log_);
  ASSERT_EQ(entries.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(entries[i].offset, i);
    EXPECT_EQ(entries[i].record, all[i]);
  }
}

TYPED_TEST_P(LogContractTest, OneAppendCarriesALargeBatch) {
  std::vector<LogRecord> records;
  for (int i = 0; i < 2000; ++i) records.push_back(contract::race_record(0, i));
  EXPECT_EQ(this->append_ok(0, records), 2000u);
  const std::vector<LogEntry> entries = contract::read_all(*this->log_);
  ASSERT_EQ(entries.size(), 2000u);
  for (std::size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(entries[i].record, records[i]);
}

TYPED_TEST_P(LogContractTest, WrongExpectedEndConflictsAndWritesNothing) {
  const std::vector<LogRecord> first = {{"a", "1"}, {"b", std::nullopt}};
  const std::vector<LogRecord> second = {{"c", "3"}};

  Result<std::uint64_t> ahead = this->log_->append(1, second);
  ASSERT_FALSE(ahead.ok());
  EXPECT_EQ(ahead.error().code(), ErrorCode::kLogConflict);
  EXPECT_EQ(contract::end_of(*this->log_), 0u);

  EXPECT_EQ(this->append_ok(0, first), 2u);
  for (std::uint64_t wrong : {0ull, 1ull, 3ull, 1000ull, ~0ull}) {
    Result<std::uint64_t> conflict = this->log_->append(wrong, second);
    ASSERT_FALSE(conflict.ok()) << "expected_end " << wrong;
    EXPECT_EQ(conflict.error().code(), ErrorCode::kLogConflict) << conflict.error().to_string();
  }
  EXPECT_EQ(contract::end_of(*this->log_), 2u);
  const std::vector<LogEntry> entries = contract::read_all(*this->log_);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].record, first[0]);
  EXPECT_EQ(entries[1].record, first[1]);
  EXPECT_EQ(this->append_ok(2, second), 3u);
}

TYPED_TEST_P(LogContractTest, EmptyAppendOnlyCompares) {
  EXPECT_EQ(this->append_ok(0, {}), 0u);
  Result<std::uint64_t> conflict = this->log_->append(3, {});
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code(), ErrorCode::kLogConflict);
  EXPECT_EQ(this->append_ok(0, {{"k", "v"}}), 1u);
  EXPECT_EQ(this->append_ok(1, {}), 1u);
  EXPECT_EQ(contract::end_of(*this->log_), 1u);
  EXPECT_EQ(contract::read_all(*this->log_).size(), 1u);
}

TYPED_TEST_P(LogContractTest, ReadsFromTheMiddle) {
  std::vector<LogRecord> records;
  for (int i = 0; i < 10; ++i) records.push_back(contract::race_record(1, i));
  ASSERT_EQ(this->append_ok(0, records), 10u);
  const std::vector<LogEntry> tail = contract::read_all(*this->log_, 4);
  ASSERT_EQ(tail.size(), 6u);
  for (std::size_t i = 0; i < tail.size(); ++i) {
    EXPECT_EQ(tail[i].offset, 4 + i);
    EXPECT_EQ(tail[i].record, records[4 + i]);
  }
  EXPECT_EQ(contract::read_all(*this->log_, 9).size(), 1u);
  EXPECT_TRUE(contract::read_all(*this->log_, 10).empty());
  EXPECT_TRUE(contract::read_all(*this->log_, 11).empty());
  EXPECT_TRUE(contract::read_all(*this->log_, ~std::uint64_t{0}).empty());
}

TYPED_TEST_P(LogContractTest, VisitorErrorStopsTheRead) {
  std::vector<LogRecord> records;
  for (int i = 0; i < 5; ++i) records.push_back(contract::race_record(2, i));
  ASSERT_EQ(this->append_ok(0, records), 5u);
  std::vector<std::uint64_t> seen;
  Status status = this->log_->read(0, [&](const LogEntry& entry) -> Status {
    seen.push_back(entry.offset);
    if (entry.offset == 2) return Error(ErrorCode::kInternal, "stop here");
    return ok_status();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), Error(ErrorCode::kInternal, "stop here"));
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{0, 1, 2}));
  // The log is still usable after an interrupted read.
  EXPECT_EQ(contract::read_all(*this->log_).size(), 5u);
  EXPECT_EQ(this->append_ok(5, {{"k", "v"}}), 6u);
}

// A visitor may append (a projection catching up and writing): the read still stops at the end
// as of its call, and neither call deadlocks.
TYPED_TEST_P(LogContractTest, VisitorMayAppendAndRead) {
  ASSERT_EQ(this->append_ok(0, {{"a", "1"}, {"b", "2"}, {"c", "3"}}), 3u);
  std::vector<std::uint64_t> seen;
  Status status = this->log_->read(0, [&](const LogEntry& entry) -> Status {
    seen.push_back(entry.offset);
    SG_ASSIGN_OR_RETURN(auto end, this->log_->end());
    const std::vector<LogRecord> extra = {{"x", "y"}};
    SG_RETURN_IF_ERROR(this->log_->append(end, extra));
    EXPECT_EQ(contract::read_all(*this->log_, end).size(), 1u);
    return ok_status();
  });
  ASSERT_TRUE(status.ok()) << status.error().to_string();
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(contract::end_of(*this->log_), 6u);
}

TYPED_TEST_P(LogContractTest, ConcurrentAppendersAllLandOnce) {
  contract::race_appenders({this->log_.get()}, 4, TypeParam::kRaceAppends);
}

// Readers running during appends see a prefix of the log: dense, intact, never shrinking, and
// at least as long as the end they observed before reading.
TYPED_TEST_P(LogContractTest, ReadersSeeConsistentPrefixes) {
  const int appends = TypeParam::kRaceAppends * 2;
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::atomic<int> started{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      ++started;
      std::size_t previous = 0;
      do {
        Result<std::uint64_t> before = this->log_->end();
        ASSERT_TRUE(before.ok());
        std::size_t count = 0;
        Status status = this->log_->read(0, [&](const LogEntry& entry) -> Status {
          if (entry.offset != count ||
              entry.record != contract::race_record(9, static_cast<int>(count))) {
            return Error(ErrorCode::kInternal, "bad entry at " + std::to_string(count));
          }
          ++count;
          return ok_status();
        });
        ASSERT_TRUE(status.ok()) << status.error().to_string();
        ASSERT_GE(count, *before);
        ASSERT_GE(count, previous);
        previous = count;
        ++reads;
      } while (!done.load());
    });
  }
  // Start writing once every reader runs: a fast backend would otherwise be done before the
  // first read.
  while (started.load() < 3) std::this_thread::yield();
  for (int i = 0; i < appends; ++i) {
    const auto offset = static_cast<std::uint64_t>(i);
    if (this->append_ok(offset, {contract::race_record(9, i)}) != offset + 1) break;
  }
  done = true;  // before any assertion can return, or the readers would never stop
  for (auto& reader : readers) reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(contract::read_all(*this->log_).size(), static_cast<std::size_t>(appends));
}

TYPED_TEST_P(LogContractTest, ReopenSeesEverything) {
  if constexpr (!TypeParam::kPersistent) {
    GTEST_SKIP() << "backend does not persist";
  } else {
    const std::vector<LogRecord> records = contract::awkward_records();
    ASSERT_EQ(this->append_ok(0, records), records.size());
    ASSERT_EQ(this->append_ok(records.size(), {{"last", "one"}}), records.size() + 1);
    this->log_.reset();

    std::unique_ptr<Log> reopened = this->factory_.open();
    ASSERT_NE(reopened, nullptr);
    EXPECT_EQ(contract::end_of(*reopened), records.size() + 1);
    const std::vector<LogEntry> entries = contract::read_all(*reopened);
    ASSERT_EQ(entries.size(), records.size() + 1);
    for (std::size_t i = 0; i < records.size(); ++i) EXPECT_EQ(entries[i].record, records[i]);
    // Appending continues where the log ended.
    const std::vector<LogRecord> more = {{"k", "v"}};
    Result<std::uint64_t> stale = reopened->append(0, more);
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().code(), ErrorCode::kLogConflict);
    Result<std::uint64_t> next = reopened->append(records.size() + 1, more);
    ASSERT_TRUE(next.ok()) << next.error().to_string();
    EXPECT_EQ(*next, records.size() + 2);
  }
}

REGISTER_TYPED_TEST_SUITE_P(LogContractTest, EmptyLogHasNothing, ReadsBackExactBytes,
                            OffsetsAreDenseAcrossAppends, OneAppendCarriesALargeBatch,
                            WrongExpectedEndConflictsAndWritesNothing, EmptyAppendOnlyCompares,
                            ReadsFromTheMiddle, VisitorErrorStopsTheRead, VisitorMayAppendAndRead,
                            ConcurrentAppendersAllLandOnce, ReadersSeeConsistentPrefixes,
                            ReopenSeesEverything);

}  // namespace sg::storage
