// Tests of the JSON Schema diff: a table of rules (original, update, policy, verdict, every
// difference as "TYPE #/path"), pointers into both schemas, references, and the messages of
// the cases users trip over. Confluent's own vectors run in vectors_test.cc.
#include "schemaguard/jsonschema/compat/diff.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace sg::jsonschema {
namespace {

namespace json = boost::json;

std::vector<std::string> summarize(const std::vector<Difference>& differences) {
  std::vector<std::string> out;
  for (const Difference& d : differences) out.push_back(d.type + " " + d.path);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Difference> must_diff(std::string_view original, std::string_view update,
                                  const DiffOptions& options = {}) {
  auto result = diff(json::parse(original), json::parse(update), options);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().to_string());
  return result.ok() ? *result : std::vector<Difference>{};
}

const Difference* find(const std::vector<Difference>& differences, std::string_view type) {
  for (const Difference& d : differences) {
    if (d.type == type) return &d;
  }
  return nullptr;
}

// --- the rules table -------------------------------------------------------------------------

struct Row {
  const char* name;
  const char* original;
  const char* update;
  CompatPolicy policy;
  bool compatible;
  std::vector<std::string> expected;  // "TYPE #/path", any order
};

constexpr CompatPolicy kStrict = CompatPolicy::kStrict;
constexpr CompatPolicy kLenient = CompatPolicy::kLenient;

// The OrderEvent of the outage, version 1.
constexpr const char* kOrderV1 = R"({"title": "OrderEvent", "type": "object",
    "properties": {"order_id": {"type": "string"}, "shipping_method": {"type": "string"}},
    "required": ["order_id"]})";

// Names the row in failure output instead of dumping its bytes.
void PrintTo(const Row& row, std::ostream* os) {
  *os << row.name;
}

const Row kRows[] = {
    // The outage: shipping_method made required, no default.
    {"outage: optional property made required",
     kOrderV1,
     R"({"title": "OrderEvent", "type": "object",
         "properties": {"order_id": {"type": "string"}, "shipping_method": {"type": "string"}},
         "required": ["order_id", "shipping_method"]})",
     kStrict,
     false,
     {"REQUIRED_ATTRIBUTE_ADDED #/required/shipping_method"}},
    {"outage made safe: required with a default",
     kOrderV1,
     R"({"title": "OrderEvent", "type": "object",
         "properties": {"order_id": {"type": "string"},
                        "shipping_method": {"type": "string", "default": "standard"}},
         "required": ["order_id", "shipping_method"]})",
     kStrict,
     true,
     {"REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED #/required/shipping_method",
      "DEFAULT_CHANGED #/properties/shipping_method"}},
    {"new required property in a closed object",
     R"({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false})",
     R"({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
         "required": ["b"], "additionalProperties": false})",
     kStrict,
     false,
     {"REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/b"}},
    {"new required property in an open object",
     R"({"type": "object", "properties": {}})",
     R"({"type": "object", "properties": {"b": {"type": "string"}}, "required": ["b"]})",
     kLenient,
     false,
     {"REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/b"}},
    // The open content model.
    {"typed property added to an open object (strict)",
     R"({"type": "object", "properties": {"order_id": {"type": "string"}}})",
     R"({"type": "object", "properties": {"order_id": {"type": "string"},
                                          "coupon": {"type": "string"}}})",
     kStrict,
     false,
     {"OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/coupon"}},
    {"typed property added to an open object (lenient)",
     R"({"type": "object", "properties": {"order_id": {"type": "string"}}})",
     R"({"type": "object", "properties": {"order_id": {"type": "string"},
                                          "coupon": {"type": "string"}}})",
     kLenient,
     true,
     {"OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/coupon"}},
    {"typed property added to a closed object",
     R"({"type": "object", "properties": {}, "additionalProperties": false})",
     R"({"type": "object", "properties": {"coupon": {"type": "string"}},
         "additionalProperties": false})",
     kStrict,
     true,
     {"OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/coupon"}},
    {"closing an open object (strict)",
     R"({"type": "object"})",
     R"({"type": "object", "additionalProperties": false})",
     kStrict,
     false,
     {"ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties"}},
    {"closing an open object (lenient)",
     R"({"type": "object"})",
     R"({"type": "object", "additionalProperties": false})",
     kLenient,
     true,
     {"ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties"}},
    {"property removed from a closed object (lenient)",
     R"({"type": "object", "properties": {"a": {}, "b": {"type": "string"}},
         "additionalProperties": false})",
     R"({"type": "object", "properties": {"a": {}}, "additionalProperties": false})",
     kLenient,
     true,
     {"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/b"}},
    // Enums.
    {"enum value added",
     R"({"enum": ["a", "b"]})",
     R"({"enum": ["a", "b", "c"]})",
     kStrict,
     true,
     {"ENUM_ARRAY_EXTENDED #/enum"}},
    {"enum value removed",
     R"({"enum": ["a", "b", "c"]})",
     R"({"enum": ["a", "b"]})",
     kStrict,
     false,
     {"ENUM_ARRAY_NARROWED #/enum"}},
    {"enum values replaced",
     R"({"enum": ["a", 1]})",
     R"({"enum": ["a", 2]})",
     kStrict,
     false,
     {"ENUM_ARRAY_CHANGED #/enum"}},
    {"enum numbers compare by value",
     R"({"enum": [1, 2.5]})",
     R"({"enum": [1.0, 2.5]})",
     kStrict,
     true,
     {}},
    {"typed enum widened: synthetic allOf members",
     R"({"type": "string", "enum": ["a"]})",
     R"({"type": "string", "enum": ["a", "b"]})",
     kStrict,
     true,
     {"ENUM_ARRAY_EXTENDED #/allOf/1/enum"}},
    {"const changed",
     R"({"const": 1})",
     R"({"const": 2})",
     kStrict,
     false,
     {"ENUM_ARRAY_CHANGED #/const"}},
    // Numbers and strings.
    {"maximum lowered, minimum added, multipleOf expanded",
     R"({"type": "number", "maximum": 100, "multipleOf": 2})",
     R"({"type": "number", "maximum": 50, "minimum": 0, "multipleOf": 4})",
     kStrict,
     false,
     {"MAXIMUM_DECREASED #/maximum", "MINIMUM_ADDED #/minimum",
      "MULTIPLE_OF_EXPANDED #/multipleOf"}},
    {"exclusive bounds relaxed",
     R"({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1})",
     R"({"type": "number", "exclusiveMinimum": -1, "exclusiveMaximum": 2})",
     kStrict,
     true,
     {"EXCLUSIVE_MINIMUM_DECREASED #/exclusiveMinimum",
      "EXCLUSIVE_MAXIMUM_INCREASED #/exclusiveMaximum"}},
    {"multipleOf equal by value",
     R"({"type": "number", "multipleOf": 0.5})",
     R"({"type": "number", "multipleOf": 0.50})",
     kStrict,
     true,
     {}},
    {"multipleOf reduced to a divisor",
     R"({"type": "number", "multipleOf": 0.3})",
     R"({"type": "number", "multipleOf": 0.1})",
     kStrict,
     true,
     {"MULTIPLE_OF_REDUCED #/multipleOf"}},
    {"string limits tightened",
     R"({"type": "string", "minLength": 1})",
     R"({"type": "string", "minLength": 2, "maxLength": 10, "pattern": "^[a-z]+$"})",
     kStrict,
     false,
     {"MIN_LENGTH_INCREASED #/minLength", "MAX_LENGTH_ADDED #/maxLength",
      "PATTERN_ADDED #/pattern"}},
    {"object and array limits",
     R"({"type": "array", "maxItems": 3, "uniqueItems": true})",
     R"({"type": "array", "maxItems": 5, "minItems": 1})",
     kStrict,
     false,
     {"MAX_ITEMS_INCREASED #/maxItems", "MIN_ITEMS_ADDED #/minItems",
      "UNIQUE_ITEMS_REMOVED #/uniqueItems"}},
    // Types.
    {"number narrowed to integer",
     R"({"type": "number"})",
     R"({"type": "integer"})",
     kStrict,
     false,
     {"TYPE_NARROWED #/"}},
    {"integer widened to number",
     R"({"type": "integer"})",
     R"({"type": "number"})",
     kStrict,
     true,
     {"TYPE_EXTENDED #/"}},
    {"made nullable",
     R"({"type": "string"})",
     R"({"type": ["string", "null"]})",
     kStrict,
     true,
     {"SUM_TYPE_EXTENDED #/"}},
    {"nullable made non-null",
     R"({"type": ["string", "null"]})",
     R"({"type": "string"})",
     kStrict,
     false,
     {"TYPE_CHANGED #/"}},
    {"nested type changed",
     R"({"type": "object", "properties": {"p": {"type": "object", "properties": {"q": {"type": "string"}}}}})",
     R"({"type": "object", "properties": {"p": {"type": "object", "properties": {"q": {"type": "boolean"}}}}})",
     kStrict,
     false,
     {"TYPE_CHANGED #/properties/p/properties/q"}},
    {"anything to empty schema",
     R"({"type": "object", "required": ["a"]})",
     R"({})",
     kStrict,
     true,
     {}},
    {"false to anything", R"(false)", R"({"type": "string"})", kStrict, true, {}},
    // Combined schemas.
    {"alternative added to anyOf",
     R"({"anyOf": [{"type": "string"}, {"type": "null"}]})",
     R"({"anyOf": [{"type": "null"}, {"type": "string"}, {"type": "integer"}]})",
     kStrict,
     true,
     {"SUM_TYPE_EXTENDED #/"}},
    {"alternative removed from oneOf",
     R"({"oneOf": [{"type": "string"}, {"type": "integer"}]})",
     R"({"oneOf": [{"type": "integer"}]})",
     kStrict,
     false,
     {"SUM_TYPE_NARROWED #/"}},
    {"member added to allOf",
     R"({"allOf": [{"type": "string"}]})",
     R"({"allOf": [{"type": "string"}, {"maxLength": 3}]})",
     kStrict,
     false,
     {"PRODUCT_TYPE_EXTENDED #/"}},
    {"oneOf relaxed to anyOf, member widened",
     R"({"oneOf": [{"type": "string", "maxLength": 3}, {"type": "integer"}]})",
     R"({"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 5}]})",
     kStrict,
     true,
     {"COMBINED_TYPE_EXTENDED #/", "MAX_LENGTH_INCREASED #/oneOf/0/maxLength"}},
    {"allOf member changed incompatibly",
     R"({"allOf": [{"type": "string"}, {"maxLength": 5}]})",
     R"({"allOf": [{"type": "string"}, {"maxLength": 4}]})",
     kStrict,
     false,
     {"COMBINED_TYPE_SUBSCHEMAS_CHANGED #/"}},
    {"not widened",
     R"({"not": {"type": "integer"}})",
     R"({"not": {"type": "number"}})",
     kStrict,
     false,
     {"NOT_TYPE_EXTENDED #/not"}},
    // Dependencies.
    {"dependency array extended",
     R"({"properties": {"a": {}, "b": {}, "c": {}}, "dependencies": {"a": ["b"]}})",
     R"({"properties": {"a": {}, "b": {}, "c": {}}, "dependencies": {"a": ["b", "c"]}})",
     kStrict,
     false,
     {"DEPENDENCY_ARRAY_EXTENDED #/dependencies/a"}},
    {"dependency array narrowed",
     R"({"properties": {"a": {}, "b": {}, "c": {}}, "dependencies": {"a": ["b", "c"]}})",
     R"({"properties": {"a": {}, "b": {}, "c": {}}, "dependencies": {"a": ["c"]}})",
     kStrict,
     true,
     {"DEPENDENCY_ARRAY_NARROWED #/dependencies/a"}},
    {"dependentRequired added (2020-12)",
     R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
         "properties": {"a": {}}})",
     R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
         "properties": {"a": {}}, "dependentRequired": {"a": ["b"]}})",
     kStrict,
     false,
     {"DEPENDENCY_ARRAY_ADDED #/dependencies/a"}},
    // References.
    {"change behind a $ref",
     R"({"type": "object", "properties": {"address": {"$ref": "#/definitions/Address"}},
         "definitions": {"Address": {"type": "object", "properties": {"zip": {"type": "string"}}}}})",
     R"({"type": "object", "properties": {"address": {"$ref": "#/definitions/Address"}},
         "definitions": {"Address": {"type": "object", "properties": {"zip": {"type": "integer"}}}}})",
     kStrict,
     false,
     {"TYPE_CHANGED #/properties/address/properties/zip"}},
    {"$defs and $anchor (2020-12)",
     R"({"$schema": "https://json-schema.org/draft/2020-12/schema",
         "properties": {"a": {"$ref": "#thing"}},
         "$defs": {"T": {"$anchor": "thing", "type": "string", "maxLength": 4}}})",
     R"({"$schema": "https://json-schema.org/draft/2020-12/schema",
         "properties": {"a": {"$ref": "#/$defs/T"}},
         "$defs": {"T": {"$anchor": "thing", "type": "string", "maxLength": 8}}})",
     kStrict,
     true,
     {"MAX_LENGTH_INCREASED #/properties/a/maxLength"}},
    {"$id-relative $ref",
     R"({"$id": "https://example.com/root.json", "properties": {"a": {"$ref": "item.json"}},
         "definitions": {"item": {"$id": "item.json", "type": "integer"}}})",
     R"({"$id": "https://example.com/root.json", "properties": {"a": {"$ref": "item.json"}},
         "definitions": {"item": {"$id": "item.json", "type": "number"}}})",
     kStrict,
     true,
     {"TYPE_EXTENDED #/properties/a"}},
    {"recursive schema with a change deep inside",
     R"({"$ref": "#/definitions/Node", "definitions": {"Node": {"type": "object",
         "properties": {"v": {"type": "integer"}, "children": {"type": "array",
         "items": {"$ref": "#/definitions/Node"}}}}}})",
     R"({"$ref": "#/definitions/Node", "definitions": {"Node": {"type": "object",
         "properties": {"v": {"type": "string"}, "children": {"type": "array",
         "items": {"$ref": "#/definitions/Node"}}}}}})",
     kStrict,
     false,
     {"TYPE_CHANGED #/properties/v"}},
    {"recursive anyOf decided through the cycle",
     R"({"$ref": "#/definitions/L", "definitions": {"L": {"anyOf": [{"type": "null"},
         {"type": "object", "properties": {"v": {"type": "integer"}, "next": {"$ref": "#/definitions/L"}}}]}}})",
     R"({"$ref": "#/definitions/L", "definitions": {"L": {"anyOf": [{"type": "null"},
         {"type": "object", "properties": {"v": {"type": "string"}, "next": {"$ref": "#/definitions/L"}}}]}}})",
     kStrict,
     false,
     {"COMBINED_TYPE_SUBSCHEMAS_CHANGED #/"}},
    // What the model cannot judge is reported, not ignored.
    {"format changed",
     R"({"type": "object", "properties": {"e": {"type": "string", "format": "email"}}})",
     R"({"type": "object", "properties": {"e": {"type": "string", "format": "uri"}}})",
     kStrict,
     false,
     {"UNSUPPORTED_KEYWORD_CHANGED #/properties/e/format"}},
    {"format with enum kept",
     R"({"type": "string", "format": "email", "enum": ["a@b.c"]})",
     R"({"type": "string", "format": "email"})",
     kStrict,
     true,
     {"PRODUCT_TYPE_NARROWED #/"}},
    {"contains added",
     R"({"type": "array"})",
     R"({"type": "array", "contains": {"const": 1}})",
     kStrict,
     false,
     {"UNSUPPORTED_KEYWORD_CHANGED #/contains"}},
    {"if/then added",
     R"({"type": "object"})",
     R"({"type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]}})",
     kStrict,
     false,
     {"UNSUPPORTED_KEYWORD_CHANGED #/if", "UNSUPPORTED_KEYWORD_CHANGED #/then"}},
    {"unknown keyword changed",
     R"({"type": "string", "frobnicate": 1})",
     R"({"type": "string", "frobnicate": 2})",
     kStrict,
     false,
     {"UNSUPPORTED_KEYWORD_CHANGED #/frobnicate"}},
    {"annotations and extensions are free to change",
     R"({"type": "string", "$comment": "a", "examples": ["x"], "x-owner": "team-a",
         "readOnly": true, "connect.index": 1})",
     R"({"type": "string", "$comment": "b", "examples": ["y"], "x-owner": "team-b",
         "connect.index": 2})",
     kStrict,
     true,
     {}},
    {"draft 4 exclusiveMaximum flag",
     R"({"$schema": "http://json-schema.org/draft-04/schema#", "type": "number", "maximum": 5})",
     R"({"$schema": "http://json-schema.org/draft-04/schema#", "type": "number", "maximum": 5,
         "exclusiveMaximum": true})",
     kStrict,
     false,
     {"UNSUPPORTED_KEYWORD_CHANGED #/exclusiveMaximum"}},
    {"patternProperties schema changed",
     R"({"patternProperties": {"^s_": {"type": "string"}}})",
     R"({"patternProperties": {"^s_": {"type": "integer"}}})",
     kStrict,
     false,
     {"TYPE_CHANGED #/patternProperties/^s_"}},
    {"patternProperties added to an open object",
     R"({"type": "object"})",
     R"({"type": "object", "patternProperties": {"^s_": {"type": "string"}}})",
     kStrict,
     false,
     {"UNSUPPORTED_KEYWORD_CHANGED #/patternProperties/^s_"}},
    // Arrays.
    {"tuple item added to an open array",
     R"({"type": "array", "items": [{"type": "string"}]})",
     R"({"type": "array", "items": [{"type": "string"}, {"type": "integer"}]})",
     kStrict,
     false,
     {"ITEM_ADDED_TO_OPEN_CONTENT_MODEL #/items/1"}},
    {"additional items narrowed",
     R"({"type": "array", "items": [{}]})",
     R"({"type": "array", "items": [{}], "additionalItems": {"type": "string"}})",
     kStrict,
     false,
     {"ADDITIONAL_ITEMS_NARROWED #/additionalItems"}},
    {"unevaluatedProperties closed (2020-12, lenient)",
     R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"})",
     R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
         "unevaluatedProperties": false})",
     kLenient,
     true,
     {"UNEVALUATED_PROPERTIES_REMOVED #/unevaluatedProperties"}},
};

class Rules : public testing::TestWithParam<Row> {};

TEST_P(Rules, DifferencesAndVerdict) {
  const Row& row = GetParam();
  DiffOptions options;
  options.policy = row.policy;
  const std::vector<Difference> found = must_diff(row.original, row.update, options);
  std::vector<std::string> expected = row.expected;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(summarize(found), expected);
  EXPECT_EQ(is_compatible(found, row.policy), row.compatible);
  for (const Difference& d : found) {
    EXPECT_FALSE(d.message.empty()) << d.type;
    if (!is_compatible_type(d.type, CompatPolicy::kStrict)) {
      EXPECT_FALSE(d.hint.empty()) << d.type;
    }
  }
  // Every schema is compatible with itself, with no difference at all.
  for (const char* schema : {row.original, row.update}) {
    EXPECT_EQ(summarize(must_diff(schema, schema, options)), std::vector<std::string>{}) << schema;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, Rules, testing::ValuesIn(kRows),
                         [](const testing::TestParamInfo<Row>& param) {
                           std::string name = param.param.name;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return fmt::format("{}_{}", param.index, name);
                         });

// --- pointers ------------------------------------------------------------------------------

TEST(Pointers, FollowEachSideIntoDefinitions) {
  const auto found = must_diff(
      R"({"properties": {"a": {"$ref": "#/definitions/A"}},
          "definitions": {"A": {"type": "string", "maxLength": 5}}})",
      R"({"properties": {"a": {"type": "string", "maxLength": 4}}})");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "MAX_LENGTH_DECREASED");
  EXPECT_EQ(found[0].path, "#/properties/a/maxLength");
  EXPECT_EQ(found[0].original_pointer, "/definitions/A/maxLength");
  EXPECT_EQ(found[0].update_pointer, "/properties/a/maxLength");
}

TEST(Pointers, PointAtTheEnclosingNodeWhenAbsent) {
  const auto found = must_diff(R"({"properties": {"a~b": {"type": "string"}}})",
                               R"({"properties": {"a~b": {"type": "string", "minLength": 1}}})");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].original_pointer, "/properties/a~0b");
  EXPECT_EQ(found[0].update_pointer, "/properties/a~0b/minLength");
  EXPECT_EQ(confluent_path_to_pointer(found[0].path), "/properties/a~0b/minLength");
  EXPECT_EQ(confluent_path_to_pointer("#/"), "");
}

TEST(Pointers, IncompatibilitiesUseUpdateAsReaderAndOriginalAsWriter) {
  const auto found = must_diff(R"({"type": "object", "properties": {"a": {"type": "string"}}})",
                               R"({"type": "object", "properties": {"a": {"type": "string"}},
                                   "required": ["a"], "description": "d"})");
  const Incompatibilities incompatible = incompatibilities(found, CompatPolicy::kStrict);
  ASSERT_EQ(incompatible.size(), 1u);  // DESCRIPTION_CHANGED is compatible
  EXPECT_EQ(incompatible[0].type, "REQUIRED_ATTRIBUTE_ADDED");
  EXPECT_EQ(incompatible[0].reader_path, "/required");
  EXPECT_EQ(incompatible[0].writer_path, "/properties/a");
  EXPECT_FALSE(incompatible[0].message.empty());
  EXPECT_FALSE(incompatible[0].hint.empty());
}

// --- registry references -------------------------------------------------------------------

TEST(References, ResolveThroughTheCallersMap) {
  References old_refs;
  old_refs.emplace("address.json", json::parse(R"({"type": "object",
      "properties": {"zip": {"type": "string"}}, "definitions": {"Z": {"type": "integer"}}})"));
  References new_refs;
  new_refs.emplace("address.json", json::parse(R"({"type": "object",
      "properties": {"zip": {"type": "string", "maxLength": 5}}, "definitions": {"Z": {"type": "number"}}})"));
  DiffOptions options;
  options.original_references = &old_refs;
  options.update_references = &new_refs;
  const char* schema = R"({"properties": {"home": {"$ref": "address.json"},
                                          "code": {"$ref": "address.json#/definitions/Z"}}})";
  const auto found = must_diff(schema, schema, options);
  EXPECT_EQ(summarize(found),
            (std::vector<std::string>{"MAX_LENGTH_ADDED #/properties/home/properties/zip/maxLength",
                                      "TYPE_EXTENDED #/properties/code"}));
  // Nodes from a reference point at the $ref that leads there.
  const Difference* added = find(found, "MAX_LENGTH_ADDED");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->update_pointer, "/properties/home");
}

TEST(References, UnresolvableRefIsAnInvalidSchema) {
  auto result = diff(json::parse(R"({"$ref": "#/definitions/missing"})"), json::parse("{}"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::kInvalidSchema);
  EXPECT_NE(result.error().message().find("#/definitions/missing"), std::string::npos);

  auto external = diff(json::parse("{}"), json::parse(R"({"$ref": "other.json"})"));
  ASSERT_FALSE(external.ok());
  EXPECT_EQ(external.error().code(), ErrorCode::kInvalidSchema);
}

TEST(InvalidSchemas, AreRejectedNotGuessed) {
  for (const char* schema : {R"({"type": 5})", R"({"type": "frob"})", R"({"type": []})",
                             R"({"allOf": []})", R"({"properties": {"a": [1]}})", "[1]"}) {
    auto result = diff(json::parse(schema), json::parse("{}"));
    ASSERT_FALSE(result.ok()) << schema;
    EXPECT_EQ(result.error().code(), ErrorCode::kInvalidSchema) << schema;
  }
}

TEST(References, BareReferenceCycleIsAnInvalidSchema) {
  auto result = diff(json::parse(R"({"$ref": "#/definitions/a",
      "definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}})"),
                     json::parse("{}"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::kInvalidSchema);
}

// --- options -------------------------------------------------------------------------------

TEST(Options, FailClosedOffIsConfluentsBehaviour) {
  DiffOptions options;
  options.fail_closed = false;
  EXPECT_TRUE(must_diff(R"({"type": "string", "format": "email"})",
                        R"({"type": "string", "format": "uri"})", options)
                  .empty());
}

TEST(Options, ExtraAnnotationKeywords) {
  DiffOptions options;
  options.annotation_keywords = {"javaType"};
  EXPECT_TRUE(must_diff(R"({"type": "object", "javaType": "a.B"})",
                        R"({"type": "object", "javaType": "a.C"})", options)
                  .empty());
}

// --- messages ------------------------------------------------------------------------------

TEST(Messages, OutageRequiredPropertyWithoutDefault) {
  const auto found = must_diff(kOrderV1, R"({"title": "OrderEvent", "type": "object",
      "properties": {"order_id": {"type": "string"}, "shipping_method": {"type": "string"}},
      "required": ["order_id", "shipping_method"]})");
  const Difference* d = find(found, "REQUIRED_ATTRIBUTE_ADDED");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->message,
            "'shipping_method' is now required in the root schema, but it was optional before, so "
            "events written before this version may lack 'shipping_method' and readers using "
            "the new schema reject them.");
  // How to make it safe: optional with a default, or a two-step rollout.
  EXPECT_NE(d->hint.find("keep 'shipping_method' optional and give it a \"default\""),
            std::string::npos)
      << d->hint;
  EXPECT_NE(d->hint.find("two steps"), std::string::npos) << d->hint;
  EXPECT_NE(d->hint.find("first have every producer write 'shipping_method'"), std::string::npos)
      << d->hint;
}

TEST(Messages, ForwardChecksNameTheSidesThroughOptions) {
  DiffOptions options;
  options.writer_events = "events written with the new version";
  options.readers = "consumers still on the previous version";
  const auto found = must_diff(R"({"properties": {"a": {}}})",
                               R"({"properties": {"a": {}}, "required": ["a"]})", options);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].message.find("events written with the new version may lack 'a' and "
                                  "consumers still on the previous version reject them"),
            std::string::npos)
      << found[0].message;
}

TEST(Messages, OpenContentModel) {
  const auto found =
      must_diff(R"({"type": "object", "properties": {"order_id": {"type": "string"}}})",
                R"({"type": "object", "properties": {"order_id": {"type": "string"},
                                   "coupon": {"type": "string"}}})");
  const Difference* d = find(found, "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->message,
            "Property 'coupon' was added with a typed schema to the root schema, which allows "
            "additional properties (an open content model): events written before this version "
            "may already carry a property named 'coupon' with a value of another type, and "
            "readers using the new schema reject those events.");
  // The ways out: a closed content model, an empty schema, or the lenient policy.
  EXPECT_NE(d->hint.find("\"additionalProperties\": false"), std::string::npos) << d->hint;
  EXPECT_NE(d->hint.find("LENIENT"), std::string::npos) << d->hint;
  EXPECT_NE(d->hint.find("'coupon'"), std::string::npos) << d->hint;
}

// Confluent reports a typed enum losing a value as a change of the (synthetic) allOf; the
// message names the actual change.
TEST(Messages, SubschemaChangeNamesTheActualChange) {
  const auto found = must_diff(R"({"properties": {"s": {"type": "string", "enum": ["a", "b"]}}})",
                               R"({"properties": {"s": {"type": "string", "enum": ["a"]}}})");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "COMBINED_TYPE_SUBSCHEMAS_CHANGED");
  EXPECT_NE(found[0].message.find("In particular: The allowed values of '#/properties/s' "
                                  "changed from [\"a\",\"b\"] to [\"a\"]"),
            std::string::npos)
      << found[0].message;
  EXPECT_NE(found[0].hint.find("Keep every value listed before"), std::string::npos);
}

TEST(Messages, UnsupportedKeywordSaysItIsNotJudged) {
  const auto found = must_diff(R"({"type": "string", "format": "email"})",
                               R"({"type": "string", "format": "uri"})");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].message,
            "'format' at the root schema changed (\"email\" -> \"uri\"). SchemaGuard cannot tell "
            "whether this change rejects events written before this version, so it reports it "
            "as incompatible instead of ignoring it.");
  EXPECT_EQ(found[0].original_pointer, "/format");
}

}  // namespace
}  // namespace sg::jsonschema
