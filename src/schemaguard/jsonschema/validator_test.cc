#include "schemaguard/jsonschema/validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace sg::jsonschema {
namespace {

namespace json = boost::json;
using testing::HasSubstr;

CompiledSchemaPtr must_compile(std::string_view text, const CompileOptions& options = {}) {
  auto compiled = compile(text, options);
  EXPECT_TRUE(compiled.ok()) << text << ": " << compiled.error().message();
  return compiled.ok() ? *compiled : nullptr;
}

struct InvalidCase {
  const char* schema;
  const char* message;  // a substring of the error message
};

// Each rejected schema names the JSON pointer of the offending keyword.
TEST(CompileTest, RejectsInvalidSchemasWithPath) {
  const InvalidCase cases[] = {
      {"", "the schema is empty"},
      {"{\"type\": ", "not valid JSON at line 1, column 10"},
      {"5", "a schema must be an object or a boolean"},
      {R"({"type": 5})", "at /type: must be a type name or an array of type names"},
      {R"({"type": "float"})", "at /type: unknown type 'float'"},
      {R"({"type": ["string", "string"]})", "at /type/1: duplicate 'string'"},
      {R"({"required": "x"})", "at /required: must be an array of property names"},
      {R"({"properties": {"a": {"minLength": -1}}})",
       "at /properties/a/minLength: must be a non-negative integer"},
      {R"({"properties": {"a/b": {"maxItems": 1.5}}})",
       "at /properties/a~1b/maxItems: must be a non-negative integer"},
      {R"({"multipleOf": 0})", "at /multipleOf: must be a number greater than 0"},
      {R"({"allOf": []})", "at /allOf: must not be empty"},
      {R"({"items": [5]})", "at /items/0: must be a schema"},
      {R"j({"pattern": "(unclosed"})j", "at /pattern: invalid regular expression '(unclosed'"},
      {R"({"patternProperties": {"[": {}}})", "at /patternProperties/[: invalid regular"},
      {R"j({"pattern": "(?P<name>x)"})j", "at /pattern: invalid regular expression"},
      {R"({"$ref": "#/definitions/missing"})", "at /$ref: unresolvable reference: no"},
      {R"({"$ref": "#nowhere"})", "at /$ref: unresolvable reference '#nowhere': no anchor"},
      {R"({"$ref": "other.json"})", "at /$ref: unresolvable reference 'other.json'"},
      {R"({"$ref": "#/definitions/a%zz"})", "at /$ref: malformed escape"},
      {R"({"definitions": {"a": {"dependencies": {"b": 5}}}})",
       "at /definitions/a/dependencies/b: each value must be a schema or an array"},
      {R"({"$schema": "http://json-schema.org/draft-04/schema#", "not": true})",
       "at /not: must be a schema (an object)"},
      {R"({"$schema": "http://json-schema.org/draft-04/schema#", "exclusiveMinimum": 5})",
       "at /exclusiveMinimum: must be a boolean in draft 4"},
      {R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "items": [{}]})",
       "at /items: must be a schema"},
      {R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "$anchor": "1x"})",
       "at /$anchor: must be a name"},
      // Cycles that never reach a property or an item.
      {R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "#"})",
       "the schema refers to itself without reaching a property or an item"},
      {R"({"$defs": {"a": {"allOf": [{"$ref": "#/$defs/b"}]}, "b": {"$ref": "#/$defs/a"}},
          "$schema": "https://json-schema.org/draft/2020-12/schema"})",
       "refers to itself"},
  };
  for (const InvalidCase& c : cases) {
    auto compiled = compile(std::string_view(c.schema));
    ASSERT_FALSE(compiled.ok()) << c.schema;
    EXPECT_EQ(compiled.error().code(), ErrorCode::kInvalidSchema);
    EXPECT_THAT(compiled.error().message(), HasSubstr(c.message)) << c.schema;
  }
}

TEST(CompileTest, ProblemInReferencedDocumentNamesIt) {
  CompileOptions options;
  options.resolve = [](std::string_view uri) -> std::optional<json::value> {
    if (uri == "https://example.com/customer.json") return json::parse(R"({"type": "person"})");
    return std::nullopt;
  };
  auto compiled = compile(std::string_view(R"({"$id": "https://example.com/order.json",
                                   "properties": {"customer": {"$ref": "customer.json"}}})"),
                          options);
  ASSERT_FALSE(compiled.ok());
  EXPECT_THAT(compiled.error().message(),
              HasSubstr("at https://example.com/customer.json#/type: unknown type 'person'"));
}

// Registry references: the resolver maps a reference's name (resolved against the schema's
// $id, if any) to the referenced schema; nothing else is ever asked for.
TEST(CompileTest, ResolvesRegistryReferencesThroughTheResolver) {
  std::vector<std::string> asked;
  CompileOptions options;
  options.resolve = [&](std::string_view uri) -> std::optional<json::value> {
    asked.emplace_back(uri);
    if (uri == "other.json") {
      return json::parse(R"({"type": "object", "required": ["id"],
                             "properties": {"id": {"$ref": "#/$defs/id"}},
                             "$defs": {"id": {"type": "integer", "minimum": 1}}})");
    }
    return std::nullopt;
  };
  auto schema = must_compile(R"({"properties": {"item": {"$ref": "other.json"}},
                                 "definitions": {"local": {"$ref": "#/properties/item"}}})",
                             options);
  ASSERT_NE(schema, nullptr);
  EXPECT_EQ(asked, std::vector<std::string>{"other.json"});
  EXPECT_TRUE(schema->is_valid(json::parse(R"({"item": {"id": 3}})")));
  EXPECT_FALSE(schema->is_valid(json::parse(R"({"item": {"id": 0}})")));
  EXPECT_FALSE(schema->is_valid(json::parse(R"({"item": {}})")));
}

TEST(CompileTest, DraftComesFromSchemaKeywordOrOptions) {
  const char* tuple = R"({"items": [{"type": "string"}], "additionalItems": false})";
  CompileOptions d7;
  auto schema7 = must_compile(tuple, d7);
  ASSERT_NE(schema7, nullptr);
  EXPECT_EQ(schema7->draft(), Draft::k7);
  EXPECT_FALSE(schema7->is_valid(json::parse(R"(["a", "b"])")));

  CompileOptions d2020;
  d2020.default_draft = Draft::k2020_12;
  EXPECT_FALSE(compile(std::string_view(tuple), d2020).ok());  // items must be one schema

  auto explicit4 = must_compile(R"({"$schema": "http://json-schema.org/draft-04/schema",
                                    "type": "integer"})",
                                d2020);
  ASSERT_NE(explicit4, nullptr);
  EXPECT_EQ(explicit4->draft(), Draft::k4);
  EXPECT_FALSE(explicit4->is_valid(json::parse("1.0")));  // draft 4: 1.0 is no integer
  EXPECT_TRUE(must_compile(R"({"type": "integer"})")->is_valid(json::parse("1.0")));
}

TEST(ValidateTest, ReportsInstancePathSchemaPathAndMessage) {
  auto schema = must_compile(R"({
    "type": "object",
    "required": ["id", "shipping_method"],
    "properties": {
      "id": {"type": "integer"},
      "shipping_method": {"type": "string"},
      "lines": {"type": "array", "items": {"$ref": "#/definitions/line"}}
    },
    "additionalProperties": false,
    "definitions": {"line": {"properties": {"sku": {"type": "string", "minLength": 3}}}}
  })");
  ASSERT_NE(schema, nullptr);
  const auto doc = json::parse(R"({"id": "7", "lines": [{"sku": "abcd"}, {"sku": "x"}], "z": 1})");
  EXPECT_FALSE(schema->is_valid(doc));
  const auto errors = schema->validate(doc);
  std::map<std::string, std::pair<std::string, std::string>> by_instance;
  for (const auto& e : errors) by_instance[e.instance_path] = {e.schema_path, e.message};
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(by_instance[""].first, "#/required");
  EXPECT_EQ(by_instance[""].second, "missing required property 'shipping_method'");
  EXPECT_EQ(by_instance["/id"].first, "#/properties/id/type");
  EXPECT_EQ(by_instance["/id"].second, "expected integer, found string");
  EXPECT_EQ(by_instance["/lines/1/sku"].first, "#/definitions/line/properties/sku/minLength");
  EXPECT_EQ(by_instance["/lines/1/sku"].second, "must be at least 3 characters long");
  EXPECT_EQ(by_instance["/z"].second, "property 'z' is not allowed");

  const auto valid = json::parse(R"({"id": 7, "shipping_method": "x", "lines": []})");
  EXPECT_TRUE(schema->is_valid(valid));
  EXPECT_TRUE(schema->validate(valid).empty());
}

TEST(ValidateTest, AnyOfFailureIsOneError) {
  auto schema = must_compile(R"({"anyOf": [{"type": "string"}, {"minimum": 3}]})");
  ASSERT_NE(schema, nullptr);
  const auto errors = schema->validate(json::parse("1"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].schema_path, "#/anyOf");
  EXPECT_EQ(errors[0].message, "does not match any of the 2 alternatives");
}

TEST(ValidateTest, JsonSemantics) {
  // enum and const compare numbers by value.
  auto e = must_compile(R"({"enum": [1, "a", {"x": [2.0]}]})");
  EXPECT_TRUE(e->is_valid(json::parse("1.0")));
  EXPECT_TRUE(e->is_valid(json::parse(R"({"x": [2]})")));
  EXPECT_FALSE(e->is_valid(json::parse("true")));
  // Lengths count code points, not bytes or UTF-16 units.
  auto len = must_compile(R"({"maxLength": 2, "minLength": 2})");
  EXPECT_TRUE(len->is_valid(json::parse(R"("\u00e9\ud83d\udca9")")));
  EXPECT_FALSE(len->is_valid(json::parse(R"("abc")")));
  // multipleOf with decimal fractions, and exact big integers.
  auto m = must_compile(R"({"multipleOf": 0.01})");
  EXPECT_TRUE(m->is_valid(json::parse("0.07")));
  EXPECT_TRUE(m->is_valid(json::parse("19.99")));
  EXPECT_FALSE(m->is_valid(json::parse("0.075")));
  auto big = must_compile(R"({"maximum": 18446744073709551614})");
  EXPECT_TRUE(big->is_valid(json::parse("18446744073709551614")));
  EXPECT_FALSE(big->is_valid(json::parse("18446744073709551615")));
  EXPECT_TRUE(big->is_valid(json::parse("-9223372036854775808")));
  // Patterns: \d is ASCII as in ECMA-262 without the u flag.
  auto digits = must_compile(R"({"pattern": "^\\d+$"})");
  EXPECT_TRUE(digits->is_valid(json::parse(R"("123")")));
  EXPECT_FALSE(digits->is_valid(json::parse(R"("\u0663")")));
}

TEST(ValidateTest, MetaSchemaReferenceChecksSchemas) {
  auto schema = must_compile(R"({"$ref": "http://json-schema.org/draft-07/schema#"})");
  ASSERT_NE(schema, nullptr);
  EXPECT_TRUE(schema->is_valid(json::parse(R"({"type": "string", "minLength": 1})")));
  EXPECT_FALSE(schema->is_valid(json::parse(R"({"properties": {"a": {"minLength": -1}}})")));
  const auto errors = schema->validate(json::parse(R"({"type": 5})"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, HasSubstr("/type: must be a type name"));
}

// Recursion through properties and items compiles, and validates deep documents.
TEST(ValidateTest, RecursiveSchemas) {
  auto tree = must_compile(R"({
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {"node": {"type": "object", "required": ["value"],
                       "properties": {"value": {"type": "integer"},
                                      "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
    "$ref": "#/$defs/node"})");
  ASSERT_NE(tree, nullptr);
  json::value doc = json::parse(R"({"value": 0})");
  for (int i = 1; i < 200; ++i) {
    json::object parent;
    parent["value"] = i;
    parent["children"] = json::array{doc};
    doc = std::move(parent);
  }
  EXPECT_TRUE(tree->is_valid(doc));
  json::value* leaf = &doc;
  while (leaf->as_object().contains("children"))
    leaf = &leaf->as_object()["children"].as_array()[0];
  leaf->as_object()["value"] = "bad";
  EXPECT_FALSE(tree->is_valid(doc));
  const auto errors = tree->validate(doc);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].instance_path.size(), std::string("/children/0").size() * 199 + 6);

  // Mutual recursion between two documents.
  CompileOptions options;
  options.resolve = [](std::string_view uri) -> std::optional<json::value> {
    if (uri == "a.json") return json::parse(R"({"properties": {"b": {"$ref": "b.json"}}})");
    if (uri == "b.json")
      return json::parse(R"({"properties": {"a": {"$ref": "a.json"}}, "type": "object"})");
    return std::nullopt;
  };
  auto mutual = must_compile(R"({"$ref": "a.json"})", options);
  ASSERT_NE(mutual, nullptr);
  EXPECT_TRUE(mutual->is_valid(json::parse(R"({"b": {"a": {"b": {}}}})")));
  EXPECT_FALSE(mutual->is_valid(json::parse(R"({"b": {"a": {"b": 1}}})")));
}

// Nesting deeper than the evaluator's limit (1000 subschema levels) is rejected with a message
// rather than exhausting the stack.
// is_valid takes shortcuts validate does not (unevaluatedProperties read as
// additionalProperties, names looked up in the instance, members expected in the schema's
// order, code points not counted when the byte length settles it, numbers compared as
// doubles): both must give the expected answer.
TEST(ValidateTest, IsValidShortcutsAgreeWithValidate) {
  struct Case {
    const char* schema;
    const char* document;
    bool valid;
  };
  const char* const kFourProperties =
      R"({"properties": {"a": {"type": "integer"}, "b": {"type": "string"},
                         "c": {"type": "boolean"}, "d": {"type": "null"}},
          "required": ["a", "d"], "additionalProperties": false})";
  const char* const kPostcodeOrIreland =
      R"({"anyOf": [{"required": ["postcode"]}, {"properties": {"country": {"const": "IE"}}}]})";
  const char* const kOwnUnevaluated =
      R"({"$schema": "https://json-schema.org/draft/2020-12/schema",
          "properties": {"a": {"type": "integer"}}, "unevaluatedProperties": false})";
  const char* const kAllOfUnevaluated =
      R"({"$schema": "https://json-schema.org/draft/2020-12/schema",
          "properties": {"a": true}, "allOf": [{"properties": {"b": true}}],
          "unevaluatedProperties": false})";
  const char* const kChildAnnotates =
      R"({"$schema": "https://json-schema.org/draft/2020-12/schema",
          "allOf": [{"properties": {"a": {"type": "integer"}}, "required": ["a"]}],
          "unevaluatedProperties": false})";
  const char* const kNineE = R"("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9")";
  const char* const kPair =
      R"({"items": [{"type": "integer"}, {"type": "integer"}], "additionalItems": false})";
  const char* const kDependent = R"({"dependencies": {"a": ["b"]}, "required": ["x", "y", "z"]})";
  const char* const kTypedObject =
      R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
          "properties": {"id": {"type": "string"}, "n": {"type": "integer"}, "a": {}, "b": {}},
          "patternProperties": {"^x-": {"type": "integer"}}, "additionalProperties": false,
          "anyOf": [{"properties": {"id": {"pattern": "^o"}}}], "required": ["id"],
          "dependentRequired": {"a": ["b"]}})";
  const char* const kTypedArray =
      R"({"type": "array", "items": {"type": "integer"}, "contains": {"const": 1},
          "allOf": [{"minItems": 2}]})";
  // A typed object whose anyOf branches and dependentRequired name only its own names: checked
  // on the members the one walk finds.
  const char* const kAddress =
      R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
          "properties": {"country": {"type": "string"}, "city": {"type": "string"},
                         "postcode": {"type": "string"}, "unit": {}},
          "required": ["country"], "additionalProperties": false,
          "dependentRequired": {"unit": ["city", "postcode"]},
          "anyOf": [{"required": ["postcode"]},
                    {"properties": {"country": {"const": "IE"}, "city": {"minLength": 3}},
                     "required": ["city"]}]})";
  // A required name without a `properties` schema meets additionalProperties.
  const char* const kRequiredOnly =
      R"({"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a", "b"],
          "additionalProperties": {"type": "string"}})";
  const Case cases[] = {
      // unevaluatedProperties with only the node's own properties, or with an in-place
      // applicator that evaluates more, or in a parent collecting a plain child's annotations.
      {kOwnUnevaluated, R"({"a": 1})", true},
      {kOwnUnevaluated, R"({"a": 1, "b": 2})", false},
      {kOwnUnevaluated, R"({"a": "x"})", false},
      {R"({"$schema": "https://json-schema.org/draft/2020-12/schema",
           "properties": {"a": true}, "additionalProperties": {"type": "string"},
           "unevaluatedProperties": false})",
       R"({"a": 1, "b": "x"})", true},
      {kAllOfUnevaluated, R"({"a": 1, "b": 2})", true},
      {kAllOfUnevaluated, R"({"a": 1, "b": 2, "c": 3})", false},
      {kChildAnnotates, R"({"a": 1})", true},
      {kChildAnnotates, R"({"a": 1, "z": 0})", false},
      // Few names: looked up in the instance.
      {kPostcodeOrIreland, R"({"country": "IE"})", true},
      {kPostcodeOrIreland, R"({"country": "FR"})", false},
      {kPostcodeOrIreland, R"({"country": "FR", "postcode": "1"})", true},
      // Members in another order than the schema's, with optional ones left out.
      {kFourProperties, R"({"d": null, "c": true, "a": 1})", true},
      {kFourProperties, R"({"a": 1, "c": true, "d": null, "b": 2})", false},
      {kFourProperties, R"({"a": 1, "c": true})", false},
      {kFourProperties, R"({"a": 1, "d": null, "e": 0})", false},
      // Code points, not bytes: nine two-byte characters, and one of four bytes.
      {R"({"minLength": 9, "maxLength": 9})", kNineE, true},
      {R"({"maxLength": 8})", kNineE, false},
      {R"({"minLength": 2})", R"("\ud83d\ude00")", false},
      {R"({"maxLength": 1})", R"("\ud83d\ude00")", true},
      {R"({"minLength": 3, "maxLength": 40})", R"("abcdefghijklmnopqrstuvwxyz0123456789")", true},
      {R"({"maxLength": 35})", R"("abcdefghijklmnopqrstuvwxyz0123456789")", false},
      // Enums of strings, and of anything.
      {R"({"enum": ["a", "bb", "ccc"]})", R"("bb")", true},
      {R"({"enum": ["a", "bb", "ccc"]})", R"("b")", false},
      {R"({"enum": ["a", "bb", "ccc"]})", R"(1)", false},
      {R"({"enum": ["a", 1, {"x": [null]}]})", R"({"x": [null]})", true},
      {R"({"enum": ["a", 1, {"x": [null]}]})", R"(1.0)", true},
      // Numbers: doubles against integers, exactly.
      {R"({"exclusiveMaximum": 86400000})", R"(86399999.5)", true},
      {R"({"exclusiveMaximum": 86400000})", R"(86400000.0)", false},
      {R"({"minimum": 0})", R"(-0.0)", true},
      {R"({"maximum": 9007199254740993})", R"(9007199254740992.0)", true},
      {R"({"minimum": 9007199254740993})", R"(9007199254740992.0)", false},
      {R"({"maximum": 1.5})", R"(2)", false},
      {R"({"exclusiveMinimum": 0})", R"(0)", false},
      {R"({"exclusiveMinimum": 0})", R"(1e-300)", true},
      {R"({"minimum": 1, "maximum": 3})", R"(3.0000000001)", false},
      {R"({"minimum": 1, "maximum": 3})", R"(9223372036854775807)", false},
      {R"({"minimum": -9223372036854775808, "maximum": 3})", R"(-9223372036854775808)", true},
      {R"({"maximum": 18446744073709551615})", R"(18446744073709551615)", true},
      {R"({"minimum": 18446744073709551615})", R"(9007199254740993)", false},
      {R"({"exclusiveMaximum": 9007199254740992})", R"(9007199254740993)", false},
      {R"({"type": "integer"})", R"(2.0)", true},
      {R"({"type": "integer"})", R"(2.5)", false},
      {R"({"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer"})", R"(2.0)",
       false},
      // A `$ref` alone goes straight to its target.
      {R"({"$schema": "https://json-schema.org/draft/2020-12/schema",
           "$defs": {"n": {"type": "integer", "minimum": 1}},
           "properties": {"a": {"$ref": "#/$defs/n"}}})",
       R"({"a": 0})", false},
      // ... also from items and additionalProperties, through a chain of them, to a leaf
      // that passes some kinds of value unvisited.
      {R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
           "$defs": {"s": {"$ref": "#/$defs/t"}, "t": {"type": "string"}},
           "properties": {"l": {"type": "array", "items": {"$ref": "#/$defs/s"}}},
           "additionalProperties": {"$ref": "#/$defs/s"}})",
       R"({"l": ["a", "b"], "x": "y"})", true},
      {R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
           "$defs": {"s": {"$ref": "#/$defs/t"}, "t": {"type": "string"}},
           "properties": {"l": {"type": "array", "items": {"$ref": "#/$defs/s"}}},
           "additionalProperties": {"$ref": "#/$defs/s"}})",
       R"({"l": ["a", 2], "x": "y"})", false},
      {R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
           "$defs": {"s": {"$ref": "#/$defs/t"}, "t": {"type": "string"}},
           "properties": {"l": {"type": "array", "items": {"$ref": "#/$defs/s"}}},
           "additionalProperties": {"$ref": "#/$defs/s"}})",
       R"({"l": [], "x": null})", false},
      // dependencies, and required beyond the first two names.
      {kDependent, R"({"x": 1, "y": 2, "z": 3})", true},
      {kDependent, R"({"x": 1, "y": 2, "z": 3, "a": 0})", false},
      {kDependent, R"({"x": 1, "z": 3})", false},
      // Arrays: items as a list and as one schema.
      {kPair, R"([1, 2])", true},
      {kPair, R"([1, 2, 3])", false},
      {R"({"items": {"type": "string"}, "minItems": 1, "maxItems": 2})", R"(["a", "b"])", true},
      {R"({"items": {"type": "string"}, "minItems": 1, "maxItems": 2})", R"(["a", 1])", false},
      {R"({"items": {"type": "string"}, "minItems": 1, "maxItems": 2})", R"([])", false},
      // contains, with and without bounds, and const.
      {R"({"items": {"type": "string"}, "contains": {"const": "profile"}})", R"(["a", "profile"])",
       true},
      {R"({"items": {"type": "string"}, "contains": {"const": "profile"}})", R"(["a", "b"])",
       false},
      {R"({"$schema": "https://json-schema.org/draft/2019-09/schema",
           "contains": {"type": "integer"}, "minContains": 2, "maxContains": 3})",
       R"([1, "a", 2])", true},
      {R"({"$schema": "https://json-schema.org/draft/2019-09/schema",
           "contains": {"type": "integer"}, "minContains": 2, "maxContains": 3})",
       R"([1, 2, 3, 4])", false},
      {R"({"$schema": "https://json-schema.org/draft/2019-09/schema",
           "contains": {"type": "integer"}, "minContains": 0})",
       R"(["a"])", true},
      {R"({"const": {"a": [1, "x"]}})", R"({"a": [1.0, "x"]})", true},
      {R"({"const": "x"})", R"("xy")", false},
      // Shapes checked by code of their own: a typed object with in-place applicators,
      // patternProperties and dependentRequired; a typed array with contains and allOf; a
      // string with a pattern; a lone name looked up without a type.
      {kTypedObject, R"({"id": "o1", "x-a": 1, "n": 2})", true},
      {kTypedObject, R"({"id": "o1", "x-a": "1"})", false},
      {kTypedObject, R"({"id": "o1", "n": 2.5})", false},
      {kTypedObject, R"({"id": "o1", "other": true})", false},
      {kTypedObject, R"({"id": "p1"})", false},
      {kTypedObject, R"({"x-a": 1})", false},
      {kTypedObject, R"({"id": "o1", "a": 1})", false},
      {kTypedObject, R"({"id": "o1", "a": 1, "b": 2})", true},
      {kTypedObject, R"(["id"])", false},
      {kAddress, R"({"country": "FR", "postcode": "75001"})", true},
      {kAddress, R"({"country": "FR", "city": "Paris"})", false},
      {kAddress, R"({"city": "Cork", "country": "IE"})", true},
      {kAddress, R"({"city": "Co", "country": "IE"})", false},
      {kAddress, R"({"country": "IE"})", false},
      {kAddress, R"({"country": "IE", "city": 7, "postcode": "x"})", false},
      {kAddress, R"({"postcode": "x", "country": "DE", "unit": 1})", false},
      {kAddress, R"({"unit": 1, "postcode": "x", "city": "Bonn", "country": "DE"})", true},
      {kAddress, R"({"country": "DE", "postcode": "x", "floor": 2})", false},
      {kAddress, R"({"postcode": "x"})", false},
      {kRequiredOnly, R"({"a": 1, "b": "x"})", true},
      {kRequiredOnly, R"({"a": 1, "b": 2})", false},
      {kRequiredOnly, R"({"b": "x", "a": 1, "c": "y"})", true},
      {kRequiredOnly, R"({"a": 1, "c": 1, "b": "x"})", false},
      {kRequiredOnly, R"({"a": 1})", false},
      // Items and members settled by their kind alone, and those that are not.
      {R"({"type": "array", "items": {"type": "string"}, "maxItems": 2})", R"(["a", "b"])", true},
      {R"({"type": "array", "items": {"type": "string"}, "maxItems": 2})", R"(["a", 1])", false},
      {R"({"type": "array", "items": {"type": "string"}, "maxItems": 2})", R"(["a", "b", "c"])",
       false},
      {R"({"type": "array", "items": {"type": "string"}, "minItems": 1})", R"([])", false},
      {R"({"type": "array", "items": {"type": "string"}})", R"({"0": "a"})", false},
      {R"({"type": "array"})", R"([1, "a", null])", true},
      {R"({"type": "array", "items": {"type": "integer"}})", R"([1, 2.0])", true},
      {R"({"type": "array", "items": {"type": "integer"}})", R"([1, 2.5])", false},
      {R"({"$schema": "http://json-schema.org/draft-04/schema#", "type": "array",
           "items": {"type": "integer"}})",
       R"([1, 2.0])", false},
      {R"({"type": "object", "additionalProperties": {"type": ["boolean", "string", "number"]},
           "minProperties": 1})",
       R"({"a": true, "b": "x", "c": 1.5})", true},
      {R"({"type": "object", "additionalProperties": {"type": ["boolean", "string", "number"]},
           "minProperties": 1})",
       R"({"a": true, "b": null})", false},
      {R"({"type": "object", "additionalProperties": {"type": ["boolean", "string", "number"]},
           "minProperties": 1})",
       R"({})", false},
      {R"({"type": "object", "additionalProperties": false})", R"({})", true},
      {R"({"type": "object", "additionalProperties": false})", R"({"a": 1})", false},
      {R"({"type": "object", "additionalProperties": {"type": "string", "maxLength": 1}})",
       R"({"a": "xy"})", false},
      {kTypedArray, R"([1, 2.0, 3])", true},
      {kTypedArray, R"([1, 2.5])", false},
      {kTypedArray, R"([2, 4])", false},
      {kTypedArray, R"([1])", false},
      {kTypedArray, R"({"0": 1})", false},
      {R"({"type": "string", "pattern": "^u[0-9]+$", "maxLength": 9})", R"("u12345678")", true},
      {R"({"type": "string", "pattern": "^u[0-9]+$", "maxLength": 9})", R"("u123456789")", false},
      {R"({"type": "string", "pattern": "^u[0-9]+$"})", R"(12)", false},
      {R"({"required": ["a"]})", R"(12)", true},
      {R"({"type": "object", "required": ["a"]})", R"(12)", false},
      // Values a leaf passes by their kind alone, and those it does not.
      {R"({"additionalProperties": {"type": ["integer", "string"]}})", R"({"a": 1, "b": "x"})",
       true},
      {R"({"additionalProperties": {"type": ["integer", "string"]}})", R"({"a": 1.0})", true},
      {R"({"additionalProperties": {"type": ["integer", "string"]}})", R"({"a": 1.5})", false},
      {R"({"additionalProperties": {"type": "number"}})",
       R"({"a": 1.5, "b": 18446744073709551615})", true},
      {R"({"additionalProperties": {"type": "number"}})", R"({"a": null})", false},
  };
  for (const Case& c : cases) {
    auto schema = must_compile(c.schema);
    ASSERT_NE(schema, nullptr);
    const json::value document = json::parse(c.document);
    EXPECT_EQ(schema->is_valid(document), c.valid) << c.schema << "\n" << c.document;
    EXPECT_EQ(schema->validate(document).empty(), c.valid) << c.schema << "\n" << c.document;
  }
}

TEST(ValidateTest, VeryDeepDocumentsStopAtTheDepthLimit) {
  auto schema = must_compile(R"({"type": "array", "items": {"$ref": "#"}})");
  ASSERT_NE(schema, nullptr);
  const auto nested = [](int depth) {
    json::value doc = json::array();
    for (int i = 0; i < depth; ++i) {
      json::array outer;
      outer.push_back(std::move(doc));
      doc = std::move(outer);
    }
    return doc;
  };
  EXPECT_TRUE(schema->is_valid(nested(300)));
  const json::value deep = nested(3000);
  EXPECT_FALSE(schema->is_valid(deep));
  const auto errors = schema->validate(deep);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.front().message, "the schema recurses without end");
}

// One compiled schema, shared by many threads, gives every thread the same answers.
TEST(ValidateTest, CompiledSchemaIsSharedAcrossThreads) {
  auto schema = must_compile(R"({
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"id": {"type": "string", "pattern": "^[a-z]+-\\d+$"},
                   "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}},
    "patternProperties": {"^x-": {"type": "integer"}},
    "unevaluatedProperties": false,
    "required": ["id"]})");
  ASSERT_NE(schema, nullptr);
  const std::vector<std::pair<json::value, bool>> docs = {
      {json::parse(R"({"id": "order-1"})"), true},
      {json::parse(R"({"id": "order-1", "tags": ["a", "b"], "x-n": 3})"), true},
      {json::parse(R"({"id": "order"})"), false},
      {json::parse(R"({"id": "order-1", "tags": ["a", "a"]})"), false},
      {json::parse(R"({"id": "order-1", "other": 1})"), false},
      {json::parse(R"({"id": "order-1", "x-n": "3"})"), false},
  };
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 500; ++round) {
        for (const auto& [doc, valid] : docs) {
          if (schema->is_valid(doc) != valid) ++mismatches;
          if (round % 50 == 0 && schema->validate(doc).empty() != valid) ++mismatches;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(ValidateTest, FormatIsAnAnnotationUnlessAsserted) {
  const char* text = R"({"format": "date-time"})";
  EXPECT_TRUE(must_compile(text)->is_valid(json::parse(R"("yesterday")")));
  CompileOptions asserting;
  asserting.assert_formats = true;
  auto schema = must_compile(text, asserting);
  EXPECT_FALSE(schema->is_valid(json::parse(R"("yesterday")")));
  EXPECT_TRUE(schema->is_valid(json::parse(R"("2024-02-29T12:00:00Z")")));
  EXPECT_FALSE(schema->is_valid(json::parse(R"("2023-02-29T12:00:00Z")")));
}

}  // namespace
}  // namespace sg::jsonschema
