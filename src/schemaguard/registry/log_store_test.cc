#include "schemaguard/registry/log_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "schemaguard/storage/memory_log.h"

namespace sg::registry {
namespace {

// Lets several stores (registry nodes) share one log, as they would share a database or topic.
class SharedLog final : public storage::Log {
 public:
  explicit SharedLog(std::shared_ptr<storage::Log> log) : log_(std::move(log)) {}
  Result<std::uint64_t> append(std::uint64_t expected_end,
                               std::span<const storage::LogRecord> records) override {
    return log_->append(expected_end, records);
  }
  Status read(std::uint64_t from,
              const std::function<Status(const storage::LogEntry&)>& visit) const override {
    return log_->read(from, visit);
  }
  Result<std::uint64_t> end() const override { return log_->end(); }

 private:
  std::shared_ptr<storage::Log> log_;
};

SchemaRecord schema(std::string subject, int version, int id) {
  SchemaRecord r;
  r.subject = std::move(subject);
  r.version = version;
  r.id = id;
  r.schema = "\"string\"";
  return r;
}

// Registers a new version of `subject` with the next id, computed from the projection: the shape
// of every registry write.
Result<int> register_next(LogStore& store, const std::string& subject) {
  return store.write<int>([&](const Projection& p) -> Result<LogStore::Batch<int>> {
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
  auto result = store->write<int>([](const Projection&) -> Result<LogStore::Batch<int>> {
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
  std::thread ta([&] {
    for (int i = 0; i < kPerWriter; ++i) ASSERT_TRUE(register_next(*a, "shared").ok());
  });
  std::thread tb([&] {
    for (int i = 0; i < kPerWriter; ++i) ASSERT_TRUE(register_next(*b, "shared").ok());
  });
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

}  // namespace
}  // namespace sg::registry
