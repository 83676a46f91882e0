#include "schemaguard/jsonschema/document.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "schemaguard/jsonschema/compiled.h"
#include "schemaguard/jsonschema/validator.h"

namespace sg::jsonschema {
namespace {

using internal::Kind;
using internal::Value;

Document parse_ok(std::string_view text) {
  auto document = Document::parse(text);
  EXPECT_TRUE(document.ok()) << text << ": " << document.error().message();
  return document.ok() ? std::move(*document) : Document();
}

TEST(DocumentTest, ReadsBackWhatBoostJsonReads) {
  for (const char* text : {
           "null",
           "true",
           "false",
           "0",
           "-7",
           "18446744073709551615",
           "1.5",
           "-0.0",
           "1e300",
           R"("")",
           R"("caf\u00e9 \ud83d\udca9 \"quoted\" \\ \/ \n\t")",
           R"([])",
           R"({})",
           R"([1, [2, [3, []]], {"a": [{}]}])",
           R"({"a": 1, "b": {"c": [true, null, "x"], "d": {}}, "": "", "e": 2.25})",
           " \n\t[1, 2] \r\n",
       }) {
    const Document document = parse_ok(text);
    EXPECT_EQ(document.to_json(), boost::json::parse(text)) << text;
    EXPECT_EQ(Document::from_json(boost::json::parse(text)).to_json(), boost::json::parse(text))
        << text;
  }
}

TEST(DocumentTest, LongStringsAndKeysArriveWhole) {
  // Boost.JSON hands over long or escaped strings in pieces.
  const std::string long_text(100000, 'x');
  const std::string text = R"({")" + long_text + R"(\u0041": ")" + long_text + R"(\n"})";
  const Document document = parse_ok(text);
  const Value root(document.root());
  ASSERT_TRUE(root.is_object());
  const Value::Member member = root.first_member();
  EXPECT_EQ(member.key(), long_text + "A");
  EXPECT_EQ(member.value().string(), long_text + "\n");
}

TEST(DocumentTest, WorksOutEachValuesTypes) {
  const Document document = parse_ok(R"([1, 2.0, 2.5, -3, 18446744073709551615, "s", null, true])");
  const Value root(document.root());
  ASSERT_EQ(root.size(), 8u);
  std::vector<Value> items;
  for (Value item = root.first_item(); items.size() < root.size(); item = item.next()) {
    items.push_back(item);
  }
  const std::uint8_t integer = internal::kNumberBit | internal::kIntegerBit;
  EXPECT_EQ(items[0].types(), integer);
  EXPECT_EQ(items[1].types(), integer);  // 2.0 is an integer in every draft since 6
  EXPECT_EQ(items[1].kind(), Kind::kDouble);
  EXPECT_EQ(items[2].types(), internal::kNumberBit);
  EXPECT_EQ(items[3].kind(), Kind::kInt64);
  EXPECT_EQ(items[4].kind(), Kind::kUint64);
  EXPECT_EQ(items[5].types(), internal::kStringBit);
  EXPECT_EQ(items[6].types(), internal::kNullBit);
  EXPECT_EQ(items[7].kind(), Kind::kTrue);
  EXPECT_EQ(root.types(), internal::kArrayBit);
}

TEST(DocumentTest, SkipsOverNestedValues) {
  const Document document = parse_ok(R"({"a": {"b": [1, {"c": [2, 3]}]}, "d": 4})");
  const Value root(document.root());
  EXPECT_EQ(root.size(), 2u);
  const Value::Member a = root.first_member();
  EXPECT_EQ(a.key(), "a");
  const Value::Member d = a.next();
  EXPECT_EQ(d.key(), "d");
  EXPECT_EQ(d.value().int64(), 4);
  EXPECT_TRUE(d.next() == root.end_member());
  EXPECT_EQ(root.find("d")->int64(), 4);
  EXPECT_FALSE(root.find("c").has_value());
  EXPECT_EQ(root.next().slot(), document.root() + document.slot_count());
}

TEST(DocumentTest, KeepsTheLastOfDuplicateKeys) {
  const char* text = R"({"a": [1, {"x": 1}], "b": 2, "a": {"y": [3]}, "c": {"k": 1, "k": 2}})";
  const Document document = parse_ok(text);
  const Value root(document.root());
  EXPECT_EQ(root.size(), 3u);
  EXPECT_EQ(document.to_json(), boost::json::parse(text));
  EXPECT_EQ(boost::json::serialize(document.to_json()), R"({"b":2,"a":{"y":[3]},"c":{"k":2}})");
  // The schema sees one member "a", the last one.
  auto schema = compile(std::string_view(R"({"properties": {"a": {"type": "object"}}})"));
  ASSERT_TRUE(schema.ok());
  EXPECT_TRUE((*schema)->is_valid(document));
}

TEST(DocumentTest, SaysWhereTextStopsBeingJson) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"", "the document is empty"},
           Case{" \n ", "the document is empty"},
           Case{"{\"a\": 1,\n  \"b\" 2}", "not valid JSON at line 2, column 7"},
           Case{"[1] [2]", "not valid JSON at line 1, column 5"},
           Case{"[1, 2", "not valid JSON at line 1, column 6"},
           Case{"\"\xff\"", "not valid JSON at line 1, column 2"},
       }) {
    auto document = Document::parse(c.text);
    ASSERT_FALSE(document.ok()) << c.text;
    EXPECT_EQ(document.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(document.error().message().rfind(c.message, 0), 0u)
        << c.text << ": " << document.error().message();
  }
}

TEST(DocumentTest, RefusesNestingBeyondTheLimit) {
  const std::string deep = std::string(600, '[') + std::string(600, ']');
  EXPECT_FALSE(Document::parse(deep).ok());
  EXPECT_TRUE(Document::parse(deep, 1000).ok());
  const std::string limit = std::string(512, '[') + std::string(512, ']');
  EXPECT_TRUE(Document::parse(limit).ok());
}

TEST(DocumentTest, DefaultIsNullAndMovesKeepStringsInPlace) {
  const Document empty;
  EXPECT_EQ(empty.to_json(), boost::json::value(nullptr));
  Document moved = parse_ok(R"({"key": "value"})");
  Document target;
  target = std::move(moved);
  EXPECT_EQ(Value(target.root()).find("key")->string(), "value");
}

TEST(DocumentTest, ValidatesLikeTheBoostJsonValue) {
  auto schema = compile(std::string_view(R"({
    "type": "object", "required": ["id"],
    "properties": {"id": {"type": "string", "pattern": "^o[0-9]+$"},
                   "n": {"type": "integer", "minimum": 1},
                   "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "uniqueItems": true}},
    "additionalProperties": false})"));
  ASSERT_TRUE(schema.ok());
  struct Case {
    const char* text;
    bool valid;
  };
  for (const Case& c :
       {Case{R"({"id": "o1"})", true}, Case{R"({"id": "o1", "n": 2.0, "tags": ["a", "b"]})", true},
        Case{R"({"id": "x"})", false}, Case{R"({"id": "o1", "n": 0})", false},
        Case{R"({"id": "o1", "z": 1})", false}, Case{R"({"id": "o1", "tags": ["a", "a"]})", false},
        Case{R"([])", false}}) {
    const Document document = parse_ok(c.text);
    const boost::json::value value = boost::json::parse(c.text);
    EXPECT_EQ((*schema)->is_valid(document), c.valid) << c.text;
    EXPECT_EQ((*schema)->is_valid(value), c.valid) << c.text;
    EXPECT_EQ((*schema)->validate(document).size(), (*schema)->validate(value).size()) << c.text;
    EXPECT_EQ((*schema)->validate(document).empty(), c.valid) << c.text;
  }
}

}  // namespace
}  // namespace sg::jsonschema
