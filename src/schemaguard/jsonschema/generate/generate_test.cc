#include "schemaguard/jsonschema/generate/generate.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>

namespace sg::jsonschema {
namespace {

namespace json = boost::json;

constexpr int kSamples = 300;

json::value order_schema() {
  return json::parse(R"({
    "type": "object",
    "required": ["id", "status", "lines"],
    "properties": {
      "id": {"type": "string", "minLength": 3, "maxLength": 5},
      "status": {"enum": ["PLACED", "PAID"]},
      "lines": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"$ref": "#/$defs/line"}},
      "note": {"type": ["string", "null"]}
    },
    "$defs": {
      "line": {
        "type": "object",
        "required": ["qty"],
        "additionalProperties": false,
        "properties": {"qty": {"type": "integer", "minimum": 1, "exclusiveMaximum": 10}}
      }
    }
  })");
}

TEST(InstanceGenerator, DocumentsMeetTheConstraintsItCanMeet) {
  const json::value schema = order_schema();
  GenerateOptions options;
  options.seed = 7;
  InstanceGenerator generator(schema, options);
  std::set<std::string> statuses;
  bool saw_note = false;
  bool saw_no_note = false;
  for (int i = 0; i < kSamples; ++i) {
    const json::value doc = generator.next();
    ASSERT_TRUE(doc.is_object()) << doc;
    const json::object& order = doc.get_object();
    ASSERT_TRUE(order.contains("id") && order.contains("status") && order.contains("lines")) << doc;
    const auto& id = order.at("id").as_string();
    EXPECT_GE(id.size(), 3u) << doc;
    EXPECT_LE(id.size(), 5u) << doc;
    statuses.insert(std::string(order.at("status").as_string()));
    const auto& lines = order.at("lines").as_array();
    EXPECT_GE(lines.size(), 1u) << doc;
    EXPECT_LE(lines.size(), 3u) << doc;
    for (const auto& line : lines) {
      ASSERT_EQ(line.as_object().size(), 1u) << doc;  // closed: qty only, through the $ref
      const std::int64_t qty = line.at("qty").as_int64();
      EXPECT_GE(qty, 1) << doc;
      EXPECT_LE(qty, 9) << doc;
    }
    (order.contains("note") ? saw_note : saw_no_note) = true;
  }
  EXPECT_EQ(statuses, (std::set<std::string>{"PLACED", "PAID"}));  // every enum value
  EXPECT_TRUE(saw_note && saw_no_note);                            // optional both ways
}

// In an open object the suggested names appear, with values of several types: the documents
// that show why adding a typed property to an open content model breaks old data.
TEST(InstanceGenerator, OpenObjectsGetTheSuggestedExtraMembers) {
  const json::value open =
      json::parse(R"({"type": "object", "properties": {"a": {"type": "string"}}})");
  const json::value closed = json::parse(
      R"({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false})");
  GenerateOptions options;
  options.extra_property_names = {"shipping_method"};
  InstanceGenerator open_generator(open, options);
  InstanceGenerator closed_generator(closed, options);
  std::set<json::kind> kinds;
  for (int i = 0; i < kSamples; ++i) {
    const json::value doc = open_generator.next();
    if (const json::value* extra = doc.as_object().if_contains("shipping_method")) {
      kinds.insert(extra->kind() == json::kind::uint64 ? json::kind::int64 : extra->kind());
    }
    EXPECT_FALSE(closed_generator.next().as_object().contains("shipping_method"));
  }
  EXPECT_GE(kinds.size(), 3u);
}

TEST(InstanceGenerator, CombinedSchemasAndTuples) {
  const json::value schema = json::parse(R"({
    "allOf": [{"type": "object", "required": ["a"]}, {"required": ["b"], "properties": {"b": {"const": 2}}}],
    "properties": {
      "pair": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}],
               "items": false, "minItems": 2},
      "choice": {"oneOf": [{"type": "boolean"}, {"type": "null"}]}
    },
    "required": ["pair", "choice"]
  })");
  InstanceGenerator generator(schema, {});
  for (int i = 0; i < kSamples; ++i) {
    const json::value doc = generator.next();
    const json::object& object = doc.as_object();
    ASSERT_TRUE(object.contains("a")) << doc;
    ASSERT_EQ(object.at("b"), json::value(2)) << doc;
    const auto& pair = object.at("pair").as_array();
    ASSERT_EQ(pair.size(), 2u) << doc;
    EXPECT_TRUE(pair[0].is_int64()) << doc;
    EXPECT_TRUE(pair[1].is_string()) << doc;
    EXPECT_TRUE(object.at("choice").is_bool() || object.at("choice").is_null()) << doc;
  }
}

TEST(InstanceGenerator, SameSeedSameDocuments) {
  const json::value schema = order_schema();
  InstanceGenerator first(schema, {});
  InstanceGenerator second(schema, {});
  for (int i = 0; i < 20; ++i) EXPECT_EQ(first.next(), second.next());
}

}  // namespace
}  // namespace sg::jsonschema
