// Tests of the counterexample search: a table of schema pairs with the smallest document each
// should produce (verified again here with the validator), pairs where none exists, and the
// search's contracts (determinism, references, the budget, errors for bad schemas).
#include "schemaguard/jsonschema/compat/counterexample.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>

namespace sg::jsonschema {
namespace {

namespace json = boost::json;

struct Row {
  const char* name;
  const char* accepted;  // the writer side (BACKWARD: the older schema)
  const char* rejected;  // the reader side
  // The document expected (compact JSON), or nullptr when the pair has no counterexample.
  const char* document;
  // Where the rejecting schema's first error points in the document.
  const char* error_path;
};

void PrintTo(const Row& row, std::ostream* os) {
  *os << row.name;
}

const Row kRows[] = {
    {"outage: shipping_method made required",
     R"({"type": "object",
         "properties": {"order_id": {"type": "string"}, "total": {"type": "number"},
                        "shipping_method": {"type": "string"}},
         "required": ["order_id", "total"]})",
     R"({"type": "object",
         "properties": {"order_id": {"type": "string"}, "total": {"type": "number"},
                        "shipping_method": {"type": "string"}},
         "required": ["order_id", "total", "shipping_method"]})",
     R"({"order_id":"","total":0})", ""},
    {"outage as in examples/orders: new required enum in a closed object",
     R"({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
         "properties": {"order_id": {"type": "string"}, "total_cents": {"type": "integer",
                        "minimum": 0}},
         "required": ["order_id", "total_cents"], "additionalProperties": false})",
     R"({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
         "properties": {"order_id": {"type": "string"}, "total_cents": {"type": "integer",
                        "minimum": 0}, "shipping_method": {"enum": ["STANDARD", "EXPRESS"]}},
         "required": ["order_id", "total_cents", "shipping_method"],
         "additionalProperties": false})",
     R"({"order_id":"","total_cents":0})", ""},
    {"typed property added to an open object: carried with another type",
     R"({"type": "object", "properties": {"order_id": {"type": "string"}}})",
     R"({"type": "object", "properties": {"order_id": {"type": "string"},
                                          "coupon": {"type": "string"}}})",
     R"({"coupon":0})", "/coupon"},
    {"enum value removed",
     R"({"type": "object", "properties": {"status": {"enum": ["NEW", "PAID", "SHIPPED"]}},
         "required": ["status"]})",
     R"({"type": "object", "properties": {"status": {"enum": ["NEW", "PAID"]}},
         "required": ["status"]})",
     R"({"status":"SHIPPED"})", "/status"},
    {"maxLength lowered",
     R"({"type": "object", "properties": {"code": {"type": "string", "maxLength": 8}}})",
     R"({"type": "object", "properties": {"code": {"type": "string", "maxLength": 3}}})",
     R"({"code":"aaaa"})", "/code"},
    {"type narrowed from number to integer",
     R"({"type": "object", "properties": {"amount": {"type": "number"}}, "required": ["amount"]})",
     R"({"type": "object", "properties": {"amount": {"type": "integer"}}, "required": ["amount"]})",
     R"({"amount":1.5})", "/amount"},
    {"minimum raised",
     R"({"type": "object", "properties": {"qty": {"type": "integer", "minimum": 0}}})",
     R"({"type": "object", "properties": {"qty": {"type": "integer", "minimum": 1}}})",
     R"({"qty":0})", "/qty"},
    {"additionalProperties closed",
     R"({"type": "object", "properties": {"a": {"type": "string"}}})",
     R"({"type": "object", "properties": {"a": {"type": "string"}},
         "additionalProperties": false})",
     R"({"extra":0})", "/extra"},
    {"anyOf branch removed",
     R"({"type": "object", "properties": {"id": {"anyOf": [{"type": "string"},
                                                           {"type": "integer"}]}},
         "required": ["id"]})",
     R"({"type": "object", "properties": {"id": {"anyOf": [{"type": "string"}]}},
         "required": ["id"]})",
     R"({"id":0})", "/id"},
    {"oneOf branch narrowed inside an array",
     R"({"type": "array", "items": {"oneOf": [{"type": "string", "maxLength": 4},
                                              {"type": "boolean"}]}})",
     R"({"type": "array", "items": {"oneOf": [{"type": "string", "maxLength": 2},
                                              {"type": "boolean"}]}})",
     R"(["aaa"])", "/0"},
    {"required added inside a $ref'd definition",
     R"({"type": "object", "definitions": {"address": {"type": "object",
            "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
            "required": ["city"]}},
         "properties": {"shipping": {"$ref": "#/definitions/address"}},
         "required": ["shipping"]})",
     R"({"type": "object", "definitions": {"address": {"type": "object",
            "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
            "required": ["city", "zip"]}},
         "properties": {"shipping": {"$ref": "#/definitions/address"}},
         "required": ["shipping"]})",
     R"({"shipping":{"city":""}})", "/shipping"},
    {"2020-12: $defs and prefixItems, tuple item narrowed",
     R"({"$schema": "https://json-schema.org/draft/2020-12/schema",
         "$defs": {"point": {"type": "array", "prefixItems": [{"type": "number"},
                                                              {"type": "number"}]}},
         "type": "object", "properties": {"at": {"$ref": "#/$defs/point"}}})",
     R"({"$schema": "https://json-schema.org/draft/2020-12/schema",
         "$defs": {"point": {"type": "array", "prefixItems": [{"type": "number"},
                                                              {"type": "integer"}]}},
         "type": "object", "properties": {"at": {"$ref": "#/$defs/point"}}})",
     R"({"at":[0,1.5]})", "/at/1"},
    // No counterexample: every change only widens what is accepted.
    {"compatible: bounds relaxed, enum extended, optional property removed from open object",
     R"({"type": "object", "properties": {"code": {"type": "string", "maxLength": 3},
                                          "n": {"type": "integer", "minimum": 5},
                                          "kind": {"enum": ["a", "b"]}, "old": {"type": "string"}},
         "required": ["code"]})",
     R"({"type": "object", "properties": {"code": {"type": "string", "maxLength": 10},
                                          "n": {"type": "number"},
                                          "kind": {"enum": ["a", "b", "c"]}}})",
     nullptr, nullptr},
    {"compatible: identical schemas",
     R"({"type": "object", "properties": {"a": {"type": "string"}}})",
     R"({"type": "object", "properties": {"a": {"type": "string"}}})", nullptr, nullptr},
};

class CounterexampleTable : public testing::TestWithParam<Row> {};

TEST_P(CounterexampleTable, FindsTheSmallestVerifiedDocument) {
  const Row& row = GetParam();
  const json::value accepted = json::parse(row.accepted);
  const json::value rejected = json::parse(row.rejected);
  auto found = find_counterexample(accepted, rejected);
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  if (row.document == nullptr) {
    EXPECT_FALSE(found->has_value()) << json::serialize((*found)->document);
    return;
  }
  ASSERT_TRUE(found->has_value());
  const Counterexample& c = **found;
  EXPECT_EQ(c.document, json::parse(row.document))
      << json::serialize(c.document) << " " << c.found_by;
  // Verified independently of the search.
  auto a = compile(accepted);
  auto r = compile(rejected);
  ASSERT_TRUE(a.ok() && r.ok());
  EXPECT_TRUE((*a)->is_valid(c.document));
  EXPECT_FALSE((*r)->is_valid(c.document));
  ASSERT_FALSE(c.errors.empty());
  EXPECT_EQ(c.errors.front().instance_path, row.error_path) << c.errors.front().message;
  EXPECT_FALSE(c.errors.front().message.empty());
}

INSTANTIATE_TEST_SUITE_P(Pairs, CounterexampleTable, testing::ValuesIn(kRows));

TEST(Counterexample, ForwardSwapsTheSides) {
  // FORWARD: data written with the new schema must be read by the old one.
  const json::value older = json::parse(R"({"type": "object", "properties": {
      "status": {"enum": ["NEW", "PAID"]}}, "required": ["status"]})");
  const json::value newer = json::parse(R"({"type": "object", "properties": {
      "status": {"enum": ["NEW", "PAID", "REFUNDED"]}}, "required": ["status"]})");
  auto backward = find_counterexample(older, newer);
  ASSERT_TRUE(backward.ok());
  EXPECT_FALSE(backward->has_value());
  auto forward = find_counterexample(newer, older);
  ASSERT_TRUE(forward.ok());
  ASSERT_TRUE(forward->has_value());
  EXPECT_EQ(json::serialize((*forward)->document), R"({"status":"REFUNDED"})");
  // The diff runs (accepted = newer, rejected = older): the enum is narrowed on that side.
  EXPECT_EQ((*forward)->found_by, "ENUM_ARRAY_NARROWED #/properties/status/enum");
}

TEST(Counterexample, DeterministicForTheSameInputs) {
  const json::value older = json::parse(R"({"type": "object", "properties": {
      "a": {"type": "string", "maxLength": 20}, "b": {"type": "array", "items": {"type": "number"}},
      "c": {"type": "object", "properties": {"d": {"type": "boolean"}}}}})");
  const json::value newer = json::parse(R"({"type": "object", "properties": {
      "a": {"type": "string", "maxLength": 20}, "b": {"type": "array", "items": {"type": "integer"}},
      "c": {"type": "object", "properties": {"d": {"type": "boolean"}}, "required": ["d"]}}})");
  CounterexampleOptions options;
  options.time_budget = std::chrono::milliseconds(0);
  auto first = find_counterexample(older, newer, options);
  auto second = find_counterexample(older, newer, options);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(first->has_value() && second->has_value());
  EXPECT_EQ((*first)->document, (*second)->document);
  EXPECT_EQ((*first)->found_by, (*second)->found_by);
}

TEST(Counterexample, RandomPhaseWithoutDifferencesToAimAt) {
  // An empty difference list: only the generated documents can find it.
  const json::value older = json::parse(R"({"type": "object", "properties": {
      "n": {"type": "integer", "minimum": 0, "maximum": 10}}, "required": ["n"]})");
  const json::value newer = json::parse(R"({"type": "object", "properties": {
      "n": {"type": "integer", "minimum": 0, "maximum": 5}}, "required": ["n"]})");
  const std::vector<Difference> none;
  CounterexampleOptions options;
  options.differences = &none;
  auto found = find_counterexample(older, newer, options);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->found_by, "generated");
  const json::value& n = (*found)->document.at("n");
  EXPECT_GT(n.to_number<std::int64_t>(), 5);
  options.max_random_documents = 0;
  auto nothing = find_counterexample(older, newer, options);
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->has_value());
}

TEST(Counterexample, RegistryReferencesReachTheValidator) {
  const json::value older = json::parse(
      R"({"type": "object", "properties": {"customer": {"$ref": "customer.json"}},
          "required": ["customer"]})");
  References old_refs;
  old_refs["customer.json"] = json::parse(
      R"({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]})");
  References new_refs;
  new_refs["customer.json"] = json::parse(
      R"({"type": "object", "properties": {"id": {"type": "string"},
          "tier": {"type": "string"}}, "required": ["id", "tier"]})");
  CounterexampleOptions options;
  options.accepted_references = &old_refs;
  options.rejected_references = &new_refs;
  auto found = find_counterexample(older, older, options);
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(json::serialize((*found)->document), R"({"customer":{"id":""}})");
  ASSERT_FALSE((*found)->errors.empty());
  EXPECT_EQ((*found)->errors.front().instance_path, "/customer");
}

json::value read_example(const char* name) {
  std::ifstream in(std::string(SG_SOURCE_DIR) + "/examples/orders/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

TEST(Counterexample, TheOrdersExample) {
  // examples/orders: shipping_method added as a required enum to a closed OrderEvent. The
  // answer is an old event as it exists, created_at still a date-time.
  const json::value v1 = read_example("order-event-v1.json");
  const json::value breaking = read_example("order-event-v2-breaking.json");
  const json::value safe = read_example("order-event-v2-safe.json");
  auto found = find_counterexample(v1, breaking);
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->document, json::parse(R"({"order_id": "", "customer_id": "",
      "total_cents": 0, "created_at": "2026-11-28T12:34:56Z"})"))
      << json::serialize((*found)->document);
  EXPECT_EQ((*found)->found_by,
            "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/shipping_method");
  ASSERT_EQ((*found)->errors.size(), 1u);
  EXPECT_EQ((*found)->errors.front().message, "missing required property 'shipping_method'");
  auto none = find_counterexample(v1, safe);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // FORWARD from the safe version: old readers of a closed object reject the new property.
  auto forward = find_counterexample(safe, v1);
  ASSERT_TRUE(forward.ok());
  ASSERT_TRUE(forward->has_value());
  EXPECT_TRUE((*forward)->document.as_object().contains("shipping_method"));
}

TEST(Counterexample, InvalidSchemaIsAnError) {
  auto found = find_counterexample(json::parse(R"({"type": "object"})"),
                                   json::parse(R"({"type": "object", "minLength": -1})"));
  EXPECT_FALSE(found.ok());
}

}  // namespace
}  // namespace sg::jsonschema
