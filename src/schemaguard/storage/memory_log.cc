#include "schemaguard/storage/memory_log.h"

#include <string>

namespace sg::storage {

Result<std::uint64_t> MemoryLog::append(std::uint64_t expected_end,
                                        std::span<const LogRecord> records) {
  // Build the entries before taking the lock: copying large values is the slow part.
  std::vector<std::shared_ptr<const LogEntry>> fresh;
  fresh.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    fresh.push_back(std::make_shared<const LogEntry>(LogEntry{expected_end + i, records[i]}));
  }
  std::lock_guard lock(mutex_);
  const std::uint64_t current = entries_.size();
  if (current != expected_end) {
    return Error(ErrorCode::kLogConflict, "log ends at " + std::to_string(current) +
                                              ", not at the expected " +
                                              std::to_string(expected_end));
  }
  entries_.insert(entries_.end(), fresh.begin(), fresh.end());
  return entries_.size();
}

Status MemoryLog::read(std::uint64_t from,
                       const std::function<Status(const LogEntry&)>& visit) const {
  std::uint64_t end = 0;
  {
    std::lock_guard lock(mutex_);
    end = entries_.size();
  }
  for (std::uint64_t offset = from; offset < end; ++offset) {
    std::shared_ptr<const LogEntry> entry;
    {
      std::lock_guard lock(mutex_);
      entry = entries_[offset];
    }
    SG_RETURN_IF_ERROR(visit(*entry));
  }
  return ok_status();
}

Result<std::uint64_t> MemoryLog::end() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::uint64_t>(entries_.size());
}

}  // namespace sg::storage
