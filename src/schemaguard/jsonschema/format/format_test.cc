#include "schemaguard/jsonschema/format/format.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
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

// The outage as JSON Schema: the incompatibility carries an event old producers wrote that the
// new schema rejects, verified by the validator; the safe change carries none.
TEST(JsonSchemaFormat, IncompatibilitiesCarryACounterexample) {
  auto v1 = format().parse(
      R"({"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]})",
      {});
  auto v2 = format().parse(
      R"({"type":"object","properties":{"order_id":{"type":"string"},)"
      R"("shipping_method":{"type":"string"}},"required":["order_id","shipping_method"]})",
      {});
  ASSERT_TRUE(v1.ok() && v2.ok());
  const Incompatibilities problems = format().check(**v2, **v1);  // BACKWARD: v2 reads v1
  // Open content model: the new property is a REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL.
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].type, "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL");
  ASSERT_FALSE(problems[0].counterexample.empty());
  const boost::json::value example = boost::json::parse(problems[0].counterexample);
  EXPECT_TRUE(compiled_schema(**v1).is_valid(example)) << problems[0].counterexample;
  EXPECT_FALSE(compiled_schema(**v2).is_valid(example)) << problems[0].counterexample;
  // FORWARD (v1 reads what v2 writes) is compatible: nothing to show.
  EXPECT_TRUE(format().check(**v1, **v2).empty());
}

TEST(JsonSchemaFormat, CounterexampleNumbersPrintAsJacksonDoes) {
  auto number = format().parse(R"({"type":"number"})", {});
  auto integer = format().parse(R"({"type":"integer"})", {});
  ASSERT_TRUE(number.ok() && integer.ok());
  const Incompatibilities problems = format().check(**integer, **number);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].counterexample.find('E'), std::string::npos) << problems[0].counterexample;
  EXPECT_NE(problems[0].counterexample.find('.'), std::string::npos) << problems[0].counterexample;
}

}  // namespace
}  // namespace sg::jsonschema
