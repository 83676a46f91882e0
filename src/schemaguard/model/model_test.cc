#include <gtest/gtest.h>

#include "schemaguard/model/compatibility_level.h"
#include "schemaguard/model/schema_type.h"

namespace sg {
namespace {

TEST(CompatibilityLevel, RoundTripsEveryName) {
  for (auto level : {CompatibilityLevel::kNone, CompatibilityLevel::kBackward,
                     CompatibilityLevel::kBackwardTransitive, CompatibilityLevel::kForward,
                     CompatibilityLevel::kForwardTransitive, CompatibilityLevel::kFull,
                     CompatibilityLevel::kFullTransitive}) {
    EXPECT_EQ(compatibility_level_from_string(to_string(level)), level);
  }
  EXPECT_EQ(compatibility_level_from_string("full_transitive"),
            CompatibilityLevel::kFullTransitive);
  EXPECT_EQ(compatibility_level_from_string("SIDEWAYS"), std::nullopt);
}

TEST(CompatibilityLevel, Directions) {
  EXPECT_TRUE(checks_backward(CompatibilityLevel::kFull));
  EXPECT_TRUE(checks_forward(CompatibilityLevel::kFull));
  EXPECT_FALSE(checks_forward(CompatibilityLevel::kBackwardTransitive));
  EXPECT_FALSE(checks_backward(CompatibilityLevel::kForward));
  EXPECT_FALSE(checks_backward(CompatibilityLevel::kNone));
  EXPECT_TRUE(is_transitive(CompatibilityLevel::kForwardTransitive));
  EXPECT_FALSE(is_transitive(CompatibilityLevel::kFull));
}

TEST(CompatibilityPolicy, OnlyLenientInAnyCaseIsLenient) {
  EXPECT_EQ(compatibility_policy_from_config(std::nullopt), CompatibilityPolicy::kStrict);
  for (const char* lenient : {"LENIENT", "lenient", "Lenient"}) {
    EXPECT_EQ(compatibility_policy_from_config(std::string(lenient)),
              CompatibilityPolicy::kLenient);
  }
  for (const char* strict : {"STRICT", "strict", "LOGICAL", "", "LENIENTX", "LENIEN"}) {
    EXPECT_EQ(compatibility_policy_from_config(std::string(strict)), CompatibilityPolicy::kStrict);
  }
}

TEST(SchemaType, CaseSensitiveNames) {
  EXPECT_EQ(schema_type_from_string("AVRO"), SchemaType::kAvro);
  EXPECT_EQ(schema_type_from_string("PROTOBUF"), SchemaType::kProtobuf);
  EXPECT_EQ(schema_type_from_string("avro"), std::nullopt);
  EXPECT_EQ(to_string(SchemaType::kJson), "JSON");
}

}  // namespace
}  // namespace sg
