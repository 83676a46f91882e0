#include "schemaguard/base/ids.h"

#include <gtest/gtest.h>

#include <type_traits>
#include <unordered_set>

namespace sg {
namespace {

TEST(StrongIds, AreDistinctTypesThatDoNotConvertImplicitly) {
  static_assert(!std::is_same_v<SchemaId, Version>);
  static_assert(!std::is_convertible_v<int, SchemaId>);
  static_assert(!std::is_convertible_v<SchemaId, Version>);
  static_assert(!std::is_convertible_v<std::string, Subject>);
  EXPECT_EQ(SchemaId(7).value(), 7);
  EXPECT_EQ(Subject("orders-value").value(), "orders-value");
}

TEST(StrongIds, OrderAndHashLikeTheirValues) {
  EXPECT_LT(Version(1), Version(2));
  EXPECT_EQ(SchemaId(3), SchemaId(3));
  EXPECT_NE(Subject("a"), Subject("b"));
  std::unordered_set<Subject> subjects{Subject("a"), Subject("b"), Subject("a")};
  EXPECT_EQ(subjects.size(), 2u);
}

}  // namespace
}  // namespace sg
