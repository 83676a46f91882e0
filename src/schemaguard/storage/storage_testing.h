// Test helpers for code built on storage::Log: a temporary directory for log files, and a Log
// that forwards to another one, so that several stores (registry nodes) can share one log and a
// test can wrap a log to change one call. Test-only: include it from tests, not from libraries.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <system_error>
#include <utility>

#include "schemaguard/storage/log.h"

namespace sg::storage::storage_testing {

// A fresh directory under the test temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::path(::testing::TempDir()) / "sg-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Forwards every call to a log others may hold too: several stores opened on SharedLogs of one
// log act like registry nodes sharing a database or topic. A test log that changes one call
// derives from it and overrides that call.
class SharedLog : public Log {
 public:
  explicit SharedLog(std::shared_ptr<Log> log) : log_(std::move(log)) {}

  Result<std::uint64_t> append(std::uint64_t expected_end,
                               std::span<const LogRecord> records) override {
    return log_->append(expected_end, records);
  }
  Status read(std::uint64_t from,
              const std::function<Status(const LogEntry&)>& visit) const override {
    return log_->read(from, visit);
  }
  Result<std::uint64_t> end() const override { return log_->end(); }

 private:
  std::shared_ptr<Log> log_;
};

}  // namespace sg::storage::storage_testing
