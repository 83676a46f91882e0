#include "schemaguard/registry/log_store.h"

namespace sg::registry {

Result<std::unique_ptr<LogStore>> LogStore::open(std::unique_ptr<storage::Log> log) {
  std::unique_ptr<LogStore> store(new LogStore(std::move(log)));
  SG_RETURN_IF_ERROR(store->catch_up());
  return store;
}

Status LogStore::catch_up() {
  std::lock_guard lock(write_mutex_);
  return catch_up_locked();
}

Status LogStore::catch_up_locked() {
  return log_->read(projection_.applied_end(), [&](const storage::LogEntry& entry) -> Status {
    auto record = decode(entry.record);
    if (!record.ok()) {
      // Like Confluent's reader: a record no registry could have written (another tool on a
      // shared topic) is skipped, not allowed to stop every node from starting.
      skipped_records_.fetch_add(1, std::memory_order_relaxed);
      projection_.apply(entry.offset, NoopRecord{});
      return ok_status();
    }
    projection_.apply(entry.offset, *record);
    return ok_status();
  });
}

Status LogStore::append_and_apply(const std::vector<Record>& records) {
  if (records.empty()) return ok_status();
  std::vector<storage::LogRecord> encoded;
  encoded.reserve(records.size());
  for (const Record& record : records) encoded.push_back(encode(record));
  const std::uint64_t start = projection_.applied_end();
  SG_RETURN_IF_ERROR(log_->append(start, encoded));
  // Apply what we wrote directly: it is exactly what the log now holds at these offsets.
  for (std::size_t i = 0; i < records.size(); ++i) projection_.apply(start + i, records[i]);
  return ok_status();
}

}  // namespace sg::registry
