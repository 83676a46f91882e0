#include "schemaguard/jsonschema/format/format.h"

#include <gtest/gtest.h>

#include <string>

namespace sg::jsonschema {
namespace {

// An object schema with `depth` levels of nested object properties: 2 JSON levels per level.
std::string nested_object_schema(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += R"({"type":"object","properties":{"child":)";
  text += R"({"type":"string"})";
  for (int i = 0; i < depth; ++i) text += "}}";
  return text;
}

TEST(JsonSchemaFormat, AcceptsDeeplyNestedSchemas) {
  // 40 nested objects are 80+ levels of JSON, beyond Boost.JSON's default limit of 32.
  const std::string text = nested_object_schema(40);
  auto parsed = format().parse(text, {});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ((*parsed)->canonical_text(), text);
  EXPECT_TRUE(format().check(**parsed, **parsed).empty());
}

TEST(JsonSchemaFormat, RefusesAbsurdNestingWithAMessage) {
  auto parsed = format().parse(nested_object_schema(400), {});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidSchema);
  EXPECT_NE(parsed.error().message().find("not valid JSON at line 1"), std::string::npos)
      << parsed.error().message();
}

TEST(JsonSchemaFormat, InvalidJsonNamesLineAndColumn) {
  auto parsed = format().parse("{\n  \"type\": \"object\",\n  \"properties\": {,}\n}", {});
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message().find("Invalid JSON Schema: not valid JSON at line 3, column"),
            std::string::npos)
      << parsed.error().message();
}

}  // namespace
}  // namespace sg::jsonschema
