#include "schemaguard/storage/memory_log.h"

#include <memory>

#include "schemaguard/storage/log_contract_test.h"

namespace sg::storage {
namespace {

struct MemoryLogFactory {
  static constexpr bool kPersistent = false;
  static constexpr int kRaceAppends = 300;

  std::unique_ptr<Log> open() { return std::make_unique<MemoryLog>(); }
};

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(Memory, LogContractTest, ::testing::Types<MemoryLogFactory>);

}  // namespace sg::storage
