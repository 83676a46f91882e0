// Tests of the Avro compatibility checker.
//
// The rules table, tests/testdata/avro/compat_rules.json, has one row per (reader, writer) case,
// each with its swap as a row of its own, and the exact ordered incompatibilities: type and a
// JSON pointer into each schema. Paths follow the traversal (a type reached by name continues
// from the referencing position); NAME_MISMATCH, FIXED_SIZE_MISMATCH and MISSING_ENUM_SYMBOLS
// point at the "name", "size" and "symbols" attributes, as Avro's locations do.
// tests/differential/check_compat_table.py checks every row's verdict and types against
// python3-avro; rows with an "oracle" note are where we follow Avro Java instead.
#include "schemaguard/avro/compat.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/avro/parse.h"

namespace sg::avro {
namespace {

namespace json = boost::json;

SchemaPtr must_parse(std::string_view text) {
  auto result = parse(text);
  EXPECT_TRUE(result.ok()) << text << "\n" << (result.ok() ? "" : result.error().message());
  return result.ok() ? *result : nullptr;
}

// "TYPE_MISMATCH /fields/0/type | /fields/1/type" per incompatibility, for exact ordered
// comparison with readable failure output.
std::vector<std::string> summarize(const Incompatibilities& found) {
  std::vector<std::string> out;
  for (const Incompatibility& i : found) {
    out.push_back(fmt::format("{} {} | {}", i.type, i.reader_path, i.writer_path));
  }
  return out;
}

Incompatibilities check(std::string_view reader, std::string_view writer) {
  auto r = must_parse(reader);
  auto w = must_parse(writer);
  if (!r || !w) return {};
  return check_compatibility(*r, *w);
}

// --- the rules table -------------------------------------------------------------------------

struct Row {
  std::string name;
  std::string reader;
  std::string writer;
  bool compatible = false;
  std::vector<std::string> expected;
};

std::vector<Row> load_rules() {
  std::ifstream file(SG_TESTDATA_DIR "/avro/compat_rules.json");
  EXPECT_TRUE(file) << "cannot open " SG_TESTDATA_DIR "/avro/compat_rules.json";
  std::stringstream text;
  text << file.rdbuf();
  const json::value table = json::parse(text.str());
  std::vector<Row> rows;
  for (const json::value& item : table.as_array()) {
    const json::object& object = item.as_object();
    Row row;
    row.name = std::string(object.at("name").as_string());
    row.reader = json::serialize(object.at("reader"));
    row.writer = json::serialize(object.at("writer"));
    row.compatible = object.at("compatible").as_bool();
    for (const json::value& expected : object.at("incompatibilities").as_array()) {
      const json::object& e = expected.as_object();
      row.expected.push_back(fmt::format("{} {} | {}", std::string_view(e.at("type").as_string()),
                                         std::string_view(e.at("reader_path").as_string()),
                                         std::string_view(e.at("writer_path").as_string())));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST(AvroCompatRules, Table) {
  const std::vector<Row> rows = load_rules();
  ASSERT_GT(rows.size(), 100u);
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    auto reader = must_parse(row.reader);
    auto writer = must_parse(row.writer);
    if (!reader || !writer) continue;
    const Incompatibilities found = check_compatibility(*reader, *writer);
    EXPECT_EQ(found.empty(), row.compatible) << row.name;
    EXPECT_EQ(summarize(found), row.expected) << row.name;
    EXPECT_EQ(row.compatible, row.expected.empty()) << row.name << ": inconsistent row";
    for (const Incompatibility& i : found) {
      EXPECT_FALSE(i.message.empty()) << row.name << ": " << i.type;
      EXPECT_FALSE(i.hint.empty()) << row.name << ": " << i.type;
      EXPECT_FALSE(i.direction.has_value()) << row.name;
      EXPECT_FALSE(i.version.has_value()) << row.name;
    }
  }
}

TEST(AvroCompatRules, EverySchemaInTheTableReadsItself) {
  for (const Row& row : load_rules()) {
    for (const std::string* text : {&row.reader, &row.writer}) {
      auto schema = must_parse(*text);
      if (!schema) continue;
      EXPECT_EQ(summarize(check_compatibility(*schema, *schema)), std::vector<std::string>{})
          << row.name << ": " << *text;
      // A second parse gives distinct nodes, as two registered versions would.
      auto again = must_parse(*text);
      EXPECT_TRUE(check_compatibility(*schema, *again).empty()) << row.name << ": " << *text;
    }
  }
}

TEST(AvroCompatRules, PrimitiveMatrix) {
  constexpr std::array<std::string_view, 8> kPrimitives = {"null",  "boolean", "int",   "long",
                                                           "float", "double",  "bytes", "string"};
  // Specification, "Schema Resolution": int -> long, float, double; long -> float, double;
  // float -> double; string <-> bytes.
  auto promotes = [](std::string_view writer, std::string_view reader) {
    if (writer == "int") return reader == "long" || reader == "float" || reader == "double";
    if (writer == "long") return reader == "float" || reader == "double";
    if (writer == "float") return reader == "double";
    if (writer == "string") return reader == "bytes";
    if (writer == "bytes") return reader == "string";
    return false;
  };
  int compatible = 0;
  for (std::string_view writer : kPrimitives) {
    for (std::string_view reader : kPrimitives) {
      SCOPED_TRACE(fmt::format("reader {} writer {}", reader, writer));
      const bool expected = reader == writer || promotes(writer, reader);
      compatible += expected ? 1 : 0;
      const auto quoted = [](std::string_view t) { return fmt::format("\"{}\"", t); };
      const auto found = check(quoted(reader), quoted(writer));
      if (expected) {
        EXPECT_TRUE(found.empty());
      } else {
        EXPECT_EQ(summarize(found), std::vector<std::string>{"TYPE_MISMATCH  | "});
      }
      // The same pair inside a record field and inside array items.
      const auto in_field =
          check(fmt::format(R"({{"type":"record","name":"R","fields":[{{"name":"f","type":{}}}]}})",
                            quoted(reader)),
                fmt::format(R"({{"type":"record","name":"R","fields":[{{"name":"f","type":{}}}]}})",
                            quoted(writer)));
      EXPECT_EQ(summarize(in_field),
                expected
                    ? std::vector<std::string>{}
                    : std::vector<std::string>{"TYPE_MISMATCH /fields/0/type | /fields/0/type"});
      const auto in_array = check(fmt::format(R"({{"type":"array","items":{}}})", quoted(reader)),
                                  fmt::format(R"({{"type":"array","items":{}}})", quoted(writer)));
      EXPECT_EQ(summarize(in_array),
                expected ? std::vector<std::string>{}
                         : std::vector<std::string>{"TYPE_MISMATCH /items | /items"});
    }
  }
  EXPECT_EQ(compatible, 8 + 8);  // the diagonal and the eight promotions
}

// --- messages and hints ----------------------------------------------------------------------

constexpr std::string_view kOrderV1 = R"({"type": "record", "name": "OrderEvent",
  "namespace": "com.shop", "fields": [
    {"name": "order_id", "type": "string"},
    {"name": "amount", "type": "double"}]})";
constexpr std::string_view kOrderV2 = R"({"type": "record", "name": "OrderEvent",
  "namespace": "com.shop", "fields": [
    {"name": "order_id", "type": "string"},
    {"name": "amount", "type": "double"},
    {"name": "shipping_method", "type": "string"}]})";

// The JSON value after `"default": ` in a hint.
std::optional<json::value> suggested_default(const std::string& hint) {
  constexpr std::string_view kMarker = "\"default\": ";
  const std::size_t at = hint.find(kMarker);
  if (at == std::string::npos) return std::nullopt;
  json::stream_parser parser;
  boost::system::error_code ec;
  // write_some stops after one complete value; a number at the very end needs finish().
  parser.write_some(hint.data() + at + kMarker.size(), hint.size() - at - kMarker.size(), ec);
  if (!ec && !parser.done()) parser.finish(ec);
  if (ec || !parser.done()) return std::nullopt;
  return parser.release();
}

TEST(AvroCompatMessages, OutageShippingMethod) {
  const auto found = check(kOrderV2, kOrderV1);  // BACKWARD: the new schema reads the old data
  ASSERT_EQ(found.size(), 1u);
  const Incompatibility& i = found[0];
  EXPECT_EQ(i.type, "READER_FIELD_MISSING_DEFAULT_VALUE");
  EXPECT_EQ(i.reader_path, "/fields/2");
  EXPECT_EQ(i.writer_path, "");
  EXPECT_NE(i.message.find("'shipping_method'"), std::string::npos) << i.message;
  EXPECT_NE(i.message.find("(string)"), std::string::npos) << i.message;
  EXPECT_NE(i.message.find("no default"), std::string::npos) << i.message;
  EXPECT_NE(i.hint.find("'shipping_method'"), std::string::npos) << i.hint;
  const auto value = suggested_default(i.hint);
  ASSERT_TRUE(value) << i.hint;
  EXPECT_EQ(*value, json::value(""));
  EXPECT_TRUE(check(kOrderV1, kOrderV2).empty()) << "FORWARD: the old schema ignores the field";
}

// For each field type: the missing-default hint suggests a default that the parser accepts
// (with default validation on) and that makes the pair compatible.
TEST(AvroCompatMessages, SuggestedDefaultsAreValid) {
  const std::vector<std::string_view> types = {
      R"("null")",
      R"("boolean")",
      R"("int")",
      R"("long")",
      R"("float")",
      R"("double")",
      R"("bytes")",
      R"("string")",
      R"({"type": "long", "logicalType": "timestamp-millis"})",
      R"({"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2})",
      R"({"type": "string", "logicalType": "uuid"})",
      R"({"type": "enum", "name": "Color", "symbols": ["RED", "GREEN"]})",
      R"({"type": "enum", "name": "Level", "symbols": ["LOW", "HIGH"]})",
      R"({"type": "fixed", "name": "Hash", "size": 4})",
      R"({"type": "fixed", "name": "Empty", "size": 0})",
      R"({"type": "array", "items": "int"})",
      R"({"type": "map", "values": {"type": "array", "items": "string"}})",
      R"(["null", "string"])",
      R"(["string", "null"])",
      R"(["int", "null", "string"])",
      R"([{"type": "record", "name": "P", "fields": [{"name": "x", "type": "int"}]}, "null"])",
      R"({"type": "record", "name": "Address", "fields": [
          {"name": "street", "type": "string"},
          {"name": "zip", "type": ["null", "int"], "default": null},
          {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["HOME", "WORK"]}},
          {"name": "geo", "type": {"type": "record", "name": "Geo", "fields": [
              {"name": "lat", "type": "double"}, {"name": "lon", "type": "float"}]}},
          {"name": "score", "type": "double", "default": 1.5},
          {"name": "raw", "type": {"type": "fixed", "name": "Raw", "size": 2}}]})",
      R"({"type": "record", "name": "Tree", "fields": [
          {"name": "label", "type": "string"},
          {"name": "children", "type": {"type": "array", "items": "Tree"}}]})",
  };
  for (std::string_view type : types) {
    SCOPED_TRACE(type);
    const std::string writer = R"({"type": "record", "name": "R", "fields": [
        {"name": "id", "type": "long"}]})";
    const std::string reader = fmt::format(
        R"({{"type": "record", "name": "R", "fields": [
            {{"name": "id", "type": "long"}}, {{"name": "added", "type": {}}}]}})",
        type);
    const auto found = check(reader, writer);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].type, "READER_FIELD_MISSING_DEFAULT_VALUE");
    const auto value = suggested_default(found[0].hint);
    ASSERT_TRUE(value) << found[0].hint;

    json::value fixed_reader = json::parse(reader);
    fixed_reader.as_object()["fields"].as_array()[1].as_object()["default"] = *value;
    auto reparsed = parse(json::serialize(fixed_reader));  // validates defaults
    ASSERT_TRUE(reparsed.ok()) << found[0].hint << "\n" << reparsed.error().message();
    auto w = must_parse(writer);
    EXPECT_TRUE(check_compatibility(**reparsed, *w).empty()) << found[0].hint;
  }
}

TEST(AvroCompatMessages, UnionDefaultHintMentionsFirstBranch) {
  const auto found =
      check(R"({"type":"record","name":"R","fields":[{"name":"note","type":["string","null"]}]})",
            R"({"type":"record","name":"R","fields":[]})");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(suggested_default(found[0].hint), json::value(""));
  EXPECT_NE(found[0].hint.find("first branch"), std::string::npos) << found[0].hint;
  EXPECT_NE(found[0].hint.find("\"null\""), std::string::npos) << found[0].hint;

  const auto null_first =
      check(R"({"type":"record","name":"R","fields":[{"name":"note","type":["null","string"]}]})",
            R"({"type":"record","name":"R","fields":[]})");
  ASSERT_EQ(null_first.size(), 1u);
  EXPECT_EQ(suggested_default(null_first[0].hint), json::value(nullptr));
}

TEST(AvroCompatMessages, NoDefaultForAnImpossibleRecord) {
  // A record that contains itself without an escape has no finite value, so no example.
  const auto found = check(R"({"type":"record","name":"R","fields":[{"name":"loop","type":
      {"type":"record","name":"Loop","fields":[{"name":"next","type":"Loop"}]}}]})",
                           R"({"type":"record","name":"R","fields":[]})");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].hint.find("'loop'"), std::string::npos) << found[0].hint;
  EXPECT_NE(found[0].hint.find("union with \"null\" first"), std::string::npos) << found[0].hint;
  EXPECT_EQ(suggested_default(found[0].hint), json::value(nullptr)) << found[0].hint;
}

TEST(AvroCompatMessages, LongExamplesAreDescribedNotSpelledOut) {
  const auto found = check(R"({"type":"record","name":"R","fields":[{"name":"digest","type":
      {"type":"fixed","name":"Sha512","size":64}}]})",
                           R"({"type":"record","name":"R","fields":[]})");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].hint.find("fixed 'Sha512' (64 bytes)"), std::string::npos) << found[0].hint;
  EXPECT_LT(found[0].hint.size(), 200u) << found[0].hint;
}

TEST(AvroCompatMessages, TypeMismatchSuggestsPromotionsOrAUnion) {
  const auto widen =
      check(R"({"type":"record","name":"R","fields":[{"name":"qty","type":"string"}]})",
            R"({"type":"record","name":"R","fields":[{"name":"qty","type":"int"}]})");
  ASSERT_EQ(widen.size(), 1u);
  EXPECT_NE(widen[0].message.find("'qty'"), std::string::npos) << widen[0].message;
  EXPECT_NE(widen[0].message.find("int"), std::string::npos) << widen[0].message;
  EXPECT_NE(widen[0].message.find("string"), std::string::npos) << widen[0].message;
  EXPECT_NE(widen[0].hint.find("long, float or double"), std::string::npos) << widen[0].hint;
  EXPECT_NE(widen[0].hint.find("union"), std::string::npos) << widen[0].hint;

  const auto narrow = check(R"("int")", R"("long")");
  ASSERT_EQ(narrow.size(), 1u);
  EXPECT_NE(narrow[0].hint.find("never narrows"), std::string::npos) << narrow[0].hint;

  const auto branch = check(R"("string")", R"(["null", "string"])");
  ASSERT_EQ(branch.size(), 1u);
  EXPECT_NE(branch[0].message.find("null (branch 0 of its union)"), std::string::npos)
      << branch[0].message;
}

TEST(AvroCompatMessages, EnumHintListsSymbolsAndDefault) {
  const auto found = check(
      R"({"type":"record","name":"R","fields":[{"name":"c","type":{"type":"enum","name":"Color","symbols":["RED"]}}]})",
      R"({"type":"record","name":"R","fields":[{"name":"c","type":{"type":"enum","name":"Color","symbols":["RED","BLUE","GREEN"]}}]})");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "MISSING_ENUM_SYMBOLS");
  EXPECT_NE(found[0].message.find("BLUE, GREEN"), std::string::npos) << found[0].message;
  EXPECT_NE(found[0].message.find("field 'c'"), std::string::npos) << found[0].message;
  EXPECT_NE(found[0].hint.find("BLUE, GREEN"), std::string::npos) << found[0].hint;
  EXPECT_EQ(suggested_default(found[0].hint), json::value("RED")) << found[0].hint;
}

TEST(AvroCompatMessages, NameMismatchSuggestsAlias) {
  const auto found = check(R"({"type":"record","name":"Client","namespace":"com.a","fields":[]})",
                           R"({"type":"record","name":"User","namespace":"com.b","fields":[]})");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].message.find("com.a.Client"), std::string::npos) << found[0].message;
  EXPECT_NE(found[0].message.find("com.b.User"), std::string::npos) << found[0].message;
  EXPECT_NE(found[0].hint.find(R"("aliases": ["com.b.User"])"), std::string::npos) << found[0].hint;
}

TEST(AvroCompatMessages, UnionBranchAndFixedHints) {
  const auto branch = check(R"(["null", "string"])", R"(["null", "string", "boolean"])");
  ASSERT_EQ(branch.size(), 1u);
  EXPECT_NE(branch[0].hint.find("\"boolean\""), std::string::npos) << branch[0].hint;
  EXPECT_NE(branch[0].message.find("branch 2"), std::string::npos) << branch[0].message;

  const auto fixed =
      check(R"({"type":"fixed","name":"H","size":16})", R"({"type":"fixed","name":"H","size":32})");
  ASSERT_EQ(fixed.size(), 1u);
  EXPECT_NE(fixed[0].message.find("32 bytes in the writer's"), std::string::npos)
      << fixed[0].message;
  EXPECT_NE(fixed[0].hint.find("new field"), std::string::npos) << fixed[0].hint;
}

// Avro reports only MISSING_UNION_BRANCH when the reader's union has the right record but that
// record cannot read the writer's; the message and hint carry the record's own problem.
TEST(AvroCompatMessages, MissingBranchExplainedByClosestBranch) {
  const auto found = check(
      R"(["null", {"type":"record","name":"User","fields":[
          {"name":"id","type":"long"},{"name":"email","type":"string"}]}])",
      R"(["null", {"type":"record","name":"User","fields":[{"name":"id","type":"long"}]}])");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "MISSING_UNION_BRANCH");
  EXPECT_NE(found[0].message.find("'email'"), std::string::npos) << found[0].message;
  EXPECT_NE(found[0].hint.find("give 'email' a default"), std::string::npos) << found[0].hint;

  const auto plain = check(R"(["null", "string"])", R"("int")");
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_NE(plain[0].hint.find(R"(add "int" to the reader's union)"), std::string::npos)
      << plain[0].hint;
}

TEST(AvroCompatMessages, EnumDefaultQuirkExplained) {
  const auto found = check(R"({"type":"record","name":"R","fields":[{"name":"color","type":
      {"type":"enum","name":"Color","symbols":["UNKNOWN","RED"],"default":"UNKNOWN"}}]})",
                           R"({"type":"record","name":"R","fields":[]})");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "TYPE_MISMATCH");
  EXPECT_NE(found[0].message.find("'color'"), std::string::npos) << found[0].message;
  EXPECT_EQ(suggested_default(found[0].hint), json::value("UNKNOWN")) << found[0].hint;
}

// --- behaviour beyond the table ----------------------------------------------------------------

TEST(AvroCompat, DeterministicOrder) {
  auto reader = must_parse(R"({"type":"record","name":"R","fields":[
      {"name":"a","type":"int"},{"name":"b","type":"string"},{"name":"c","type":"long"}]})");
  auto writer = must_parse(R"({"type":"record","name":"R","fields":[
      {"name":"c","type":"string"},{"name":"a","type":"boolean"}]})");
  ASSERT_TRUE(reader && writer);
  const auto first = check_compatibility(*reader, *writer);
  EXPECT_EQ(summarize(first),
            (std::vector<std::string>{"TYPE_MISMATCH /fields/0/type | /fields/1/type",
                                      "READER_FIELD_MISSING_DEFAULT_VALUE /fields/1 | ",
                                      "TYPE_MISMATCH /fields/2/type | /fields/0/type"}));
  EXPECT_EQ(check_compatibility(*reader, *writer), first);
}

TEST(AvroCompat, ReferencedTypesFromOtherSchemas) {
  auto address_v1 = must_parse(
      R"({"type":"record","name":"Address","namespace":"com.shop","fields":[
          {"name":"street","type":"string"}]})");
  auto address_v2 = must_parse(
      R"({"type":"record","name":"Address","namespace":"com.shop","fields":[
          {"name":"street","type":"string"},{"name":"zip","type":"string"}]})");
  ASSERT_TRUE(address_v1 && address_v2);
  constexpr std::string_view kOrder = R"({"type":"record","name":"Order","namespace":"com.shop",
      "fields":[{"name":"ship_to","type":"Address"}]})";
  auto reader = parse(kOrder, ParseOptions{.references = {address_v2}});
  auto writer = parse(kOrder, ParseOptions{.references = {address_v1}});
  ASSERT_TRUE(reader.ok() && writer.ok());
  EXPECT_EQ(summarize(check_compatibility(**reader, **writer)),
            std::vector<std::string>{
                "READER_FIELD_MISSING_DEFAULT_VALUE /fields/0/type/fields/1 | /fields/0/type"});
  EXPECT_TRUE(check_compatibility(**writer, **reader).empty());
}

// A chain of records where each refers to the next twice makes 2^depth paths to the bottom;
// Avro reports the bottom problem once per path. The checker stays linear in the pairs it
// visits and caps the report list.
TEST(AvroCompat, SharedTypesDoNotExplode) {
  constexpr int kDepth = 40;
  auto chain = [&](std::string_view bottom_type) {
    std::string text =
        fmt::format(R"({{"type":"record","name":"L{}","fields":[{{"name":"v","type":"{}"}}]}})",
                    kDepth, bottom_type);
    for (int level = kDepth - 1; level >= 0; --level) {
      text = fmt::format(R"({{"type":"record","name":"L{0}","fields":[{{"name":"a","type":{1}}},)"
                         R"({{"name":"b","type":"L{2}"}}]}})",
                         level, text, level + 1);
    }
    return text;
  };
  auto reader = must_parse(chain("int"));
  auto writer = must_parse(chain("long"));
  ASSERT_TRUE(reader && writer);
  const auto start = std::chrono::steady_clock::now();
  const auto found = check_compatibility(*reader, *writer);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(found.size(), 1000u);
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_EQ(found.front().type, "TYPE_MISMATCH");
  EXPECT_TRUE(check_compatibility(*writer, *reader).empty());
}

// The same record pair first tried as a reader-union branch (verdict only) and later reached
// at a field, where it must be reported in full.
TEST(AvroCompat, ProbedPairIsReportedLater) {
  const auto found = check(
      R"({"type":"record","name":"Order","fields":[
          {"name":"billing","type":["null",{"type":"record","name":"Address","fields":[
              {"name":"street","type":"string"},{"name":"zip","type":"string"}]}]},
          {"name":"shipping","type":"Address"}]})",
      R"({"type":"record","name":"Order","fields":[
          {"name":"billing","type":{"type":"record","name":"Address","fields":[
              {"name":"street","type":"string"}]}},
          {"name":"shipping","type":"Address"}]})");
  EXPECT_EQ(summarize(found),
            (std::vector<std::string>{
                "MISSING_UNION_BRANCH /fields/0/type | /fields/0/type",
                "READER_FIELD_MISSING_DEFAULT_VALUE /fields/1/type/fields/1 | /fields/1/type"}));
}

// Many record pairs push the memo past its inline entries into its hash table.
TEST(AvroCompat, ManyRecordPairs) {
  std::string reader = R"({"type":"record","name":"Root","fields":[)";
  std::string writer = reader;
  for (int i = 0; i < 200; ++i) {
    const char* sep = i ? "," : "";
    reader += fmt::format(
        R"({}{{"name":"f{}","type":{{"type":"record","name":"R{}","fields":[{{"name":"x","type":"long"}}]}}}})",
        sep, i, i);
    writer += fmt::format(
        R"({}{{"name":"f{}","type":{{"type":"record","name":"R{}","fields":[{{"name":"x","type":"{}"}}]}}}})",
        sep, i, i, i % 50 == 0 ? "string" : "int");
  }
  reader += "]}";
  writer += "]}";
  EXPECT_EQ(summarize(check(reader, writer)),
            (std::vector<std::string>{"TYPE_MISMATCH /fields/0/type/fields/0/type | "
                                      "/fields/0/type/fields/0/type",
                                      "TYPE_MISMATCH /fields/50/type/fields/0/type | "
                                      "/fields/50/type/fields/0/type",
                                      "TYPE_MISMATCH /fields/100/type/fields/0/type | "
                                      "/fields/100/type/fields/0/type",
                                      "TYPE_MISMATCH /fields/150/type/fields/0/type | "
                                      "/fields/150/type/fields/0/type"}));
}

}  // namespace
}  // namespace sg::avro
