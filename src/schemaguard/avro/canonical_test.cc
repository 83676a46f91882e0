#include "schemaguard/avro/canonical.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <string>

#include "schemaguard/avro/parse.h"
#include "schemaguard/base/digest.h"

namespace sg::avro {
namespace {

TEST(Crc64Avro, EmptyInputIsTheSeed) {
  EXPECT_EQ(crc64_avro(""), 0xc15d213aa4d7a795ULL);
}

TEST(Crc64Avro, HexIsLittleEndian) {
  EXPECT_EQ(crc64_avro_hex(0x0102030405060708ULL), "0807060504030201");
}

TEST(ParsingCanonicalForm, StripsEverythingButWhatReadersNeed) {
  auto schema = parse(R"({
      "type": "record", "name": "Order", "namespace": "com.shop", "doc": "an order",
      "aliases": ["Old"], "x-custom": 1,
      "fields": [
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}, "doc": "d",
         "default": "", "order": "ignore"},
        {"name": "when", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"],
                                  "default": "A"}},
        {"name": "again", "type": "Kind"},
        {"name": "tags", "type": {"type": "map", "values": {"type": "array", "items": "int"}}},
        {"name": "hash", "type": {"type": "fixed", "name": "Hash", "namespace": "x", "size": 16}},
        {"name": "opt", "type": ["null", "com.shop.Order"], "default": null}
      ]})");
  ASSERT_TRUE(schema.ok()) << schema.error().message();
  EXPECT_EQ((*schema)->canonical_form(),
            R"({"name":"com.shop.Order","type":"record","fields":[)"
            R"({"name":"id","type":"string"},{"name":"when","type":"long"},)"
            R"({"name":"kind","type":{"name":"com.shop.Kind","type":"enum","symbols":["A","B"]}},)"
            R"({"name":"again","type":"com.shop.Kind"},)"
            R"({"name":"tags","type":{"type":"map","values":{"type":"array","items":"int"}}},)"
            R"({"name":"hash","type":{"name":"x.Hash","type":"fixed","size":16}},)"
            R"({"name":"opt","type":["null","com.shop.Order"]}]})");
}

// Reference values recorded by tests/differential/gen_avro_canonical.py, where python3-avro
// 1.11.1 and Avro Java 1.8.2 agreed (or the specification decided; see each line's note).
TEST(ParsingCanonicalForm, MatchesReferenceImplementations) {
  std::ifstream in(SG_TESTDATA_DIR "/avro/canonical_forms.jsonl");
  ASSERT_TRUE(in) << "missing test data";
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto row = boost::json::parse(line).as_object();
    const std::string text(row.at("schema").as_string());
    auto schema = parse(text);
    ASSERT_TRUE(schema.ok()) << text << "\n" << schema.error().message();
    const Schema& s = **schema;
    EXPECT_EQ(s.canonical_form(), row.at("canonical").as_string()) << text;
    EXPECT_EQ(crc64_avro_hex(s.fingerprints().crc64_avro), row.at("crc64_avro").as_string())
        << text;
    EXPECT_EQ(static_cast<std::int64_t>(s.fingerprints().crc64_avro),
              row.at("crc64_avro_signed").to_number<std::int64_t>())
        << text;
    EXPECT_EQ(to_hex(s.fingerprints().md5), row.at("md5").as_string()) << text;
    EXPECT_EQ(to_hex(s.fingerprints().sha256), row.at("sha256").as_string()) << text;
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace sg::avro
