#include "schemaguard/base/json_text.h"

#include <gtest/gtest.h>

#include <string>

namespace sg {
namespace {

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(ParseJsonText, ReadsDocumentsDeeperThanBoostsDefaultLimit) {
  // Boost.JSON's parse() refuses more than 32 levels; schemas need more.
  auto parsed = parse_json_text(nested_arrays(100), "schema", 128);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_TRUE(parsed->is_array());
}

TEST(ParseJsonText, RefusesNestingBeyondTheLimit) {
  auto parsed = parse_json_text(nested_arrays(129), "schema", 128);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidSchema);
  EXPECT_NE(parsed.error().message().find("Invalid schema: not valid JSON at line 1, column 129"),
            std::string::npos)
      << parsed.error().message();
}

TEST(ParseJsonText, NamesLineAndColumnOfTheError) {
  auto parsed = parse_json_text("{\n  \"a\": 1,\n  \"b\": tru\n}", "Avro schema", 64);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message().find("Invalid Avro schema: not valid JSON at line 3, column"),
            std::string::npos)
      << parsed.error().message();
}

TEST(ParseJsonText, EmptyTextSaysSo) {
  auto parsed = parse_json_text(" \n\t", "JSON Schema", 64);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message(), "Invalid JSON Schema: the schema is empty");
}

TEST(ParseJsonText, TrailingGarbageAndTruncationAreErrors) {
  EXPECT_FALSE(parse_json_text("{} {}", "schema", 64).ok());
  EXPECT_FALSE(parse_json_text("{\"a\": [1, 2", "schema", 64).ok());
}

}  // namespace
}  // namespace sg
