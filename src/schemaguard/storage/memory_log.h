// An in-memory log: the reference implementation of the Log contract, for unit tests and for
// running a registry without persistence. Nothing survives the process.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "schemaguard/storage/log.h"

namespace sg::storage {

class MemoryLog final : public Log {
 public:
  MemoryLog() = default;

  Result<std::uint64_t> append(std::uint64_t expected_end,
                               std::span<const LogRecord> records) override;
  Status read(std::uint64_t from,
              const std::function<Status(const LogEntry&)>& visit) const override;
  Result<std::uint64_t> end() const override;

 private:
  mutable std::mutex mutex_;
  // Entries are immutable once appended and shared, so a reader copies a pointer under the lock
  // and runs the visitor without it (a visitor may append or read again).
  std::vector<std::shared_ptr<const LogEntry>> entries_;
};

}  // namespace sg::storage
