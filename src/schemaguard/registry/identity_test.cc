#include "schemaguard/registry/identity.h"

#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "schemaguard/base/digest.h"

namespace sg::registry {
namespace {

namespace json = boost::json;

// Confluent's own regression data (core/src/test/resources/schema-md5-golden-data.json), kept in
// the shared vectors directory next to the repository.
constexpr const char* kGoldenPath =
    SG_SOURCE_DIR "/../shared/vectors/confluent/core/schema-md5-golden-data.json";

SchemaRecord record(std::string schema) {
  SchemaRecord r;
  r.subject = "s";
  r.version = 1;
  r.id = 1;
  r.schema = std::move(schema);
  return r;
}

std::string guid_of(const SchemaRecord& r) {
  auto guid = schema_guid(r);
  EXPECT_TRUE(guid.ok()) << guid.error().to_string();
  return guid.ok() ? *guid : std::string();
}

// The guid of an explicitly spelled-out byte string: what the layout says Confluent feeds MD5.
std::string guid_of_bytes(const std::string& bytes) {
  return format_uuid(md5(bytes));
}

TEST(SchemaIdentityTest, MatchesEveryConfluentGoldenHash) {
  std::ifstream in(kGoldenPath);
  ASSERT_TRUE(in) << "golden data missing: " << kGoldenPath
                  << " (copy of Confluent's schema-md5-golden-data.json; see "
                     "shared/vectors/confluent/README.md)";
  std::stringstream text;
  text << in.rdbuf();
  std::error_code ec;
  const json::value golden = json::parse(text.str(), ec);
  ASSERT_FALSE(ec) << "golden data is not JSON: " << ec.message();
  ASSERT_TRUE(golden.is_object());
  const json::object& root = golden.get_object();

  std::vector<SchemaReference> references;
  for (const json::value& ref : root.at("references").as_array()) {
    const json::object& o = ref.as_object();
    references.push_back({std::string(o.at("name").as_string()),
                          std::string(o.at("subject").as_string()),
                          static_cast<int>(o.at("version").as_int64())});
  }
  const std::string metadata = json::serialize(root.at("metadata"));
  const std::string rule_set = json::serialize(root.at("rules"));

  int checked = 0;
  for (const json::key_value_pair& by_type : root.at("expectedHashes").as_object()) {
    // "AVRO" -> schemas.avro
    std::string type_key(by_type.key());
    for (char& c : type_key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string schema(root.at("schemas").at(type_key).as_string());
    for (const json::key_value_pair& expected : by_type.value().as_object()) {
      const std::string bits(expected.key());  // references / metadata / rules
      ASSERT_EQ(bits.size(), 3u) << bits;
      SchemaRecord r = record(schema);
      if (bits[0] == '1') r.references = references;
      if (bits[1] == '1') r.metadata = metadata;
      if (bits[2] == '1') r.rule_set = rule_set;
      EXPECT_EQ(guid_of(r), std::string(expected.value().as_string()))
          << by_type.key() << " " << bits;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 24) << "the golden file should hold 3 schema types x 8 combinations";
}

TEST(SchemaIdentityTest, FormatsBytesAsUuid) {
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 17);
  EXPECT_EQ(format_uuid(bytes), "00112233-4455-6677-8899-aabbccddeeff");
}

TEST(SchemaIdentityTest, SchemaTextAloneIsItsMd5AndTypeIsIgnored) {
  SchemaRecord avro = record(R"({"type":"string"})");
  SchemaRecord json_schema = avro;
  json_schema.type = SchemaType::kJson;
  json_schema.subject = "other";
  json_schema.version = 9;
  EXPECT_EQ(guid_of(avro), guid_of_bytes(R"({"type":"string"})"));
  EXPECT_EQ(guid_of(json_schema), guid_of(avro));
}

TEST(SchemaIdentityTest, ReferencesAddNameSubjectAndBigEndianVersion) {
  SchemaRecord r = record("S");
  r.references = {{"a.proto", "a", 258}, {"b", "sb", -1}};
  EXPECT_EQ(guid_of(r), guid_of_bytes(std::string("Sa.protoa\x00\x00\x01\x02", 13) +
                                      std::string("bsb\xff\xff\xff\xff", 7)));
}

TEST(SchemaIdentityTest, NullMetadataIsAbsentButEmptyMetadataIsPresent) {
  SchemaRecord absent = record("S");
  SchemaRecord null_metadata = record("S");
  null_metadata.metadata = "null";
  SchemaRecord empty = record("S");
  empty.metadata = "{}";
  SchemaRecord empty_members = record("S");
  empty_members.metadata = R"({"tags":{},"properties":null,"sensitive":[]})";
  EXPECT_EQ(guid_of(null_metadata), guid_of(absent));
  EXPECT_EQ(guid_of(empty), guid_of_bytes("S\x01"));
  EXPECT_EQ(guid_of(empty_members), guid_of(empty));
}

TEST(SchemaIdentityTest, MetadataIsSortedAndDeduplicated) {
  SchemaRecord r = record("S");
  r.metadata = R"({"sensitive":["z","a","z"],"properties":{"b":"2","a":"1","n":7,"t":true},)"
               R"("tags":{"y":["q","p"],"x":[]},"unknown":{"ignored":[1]}})";
  EXPECT_EQ(guid_of(r), guid_of_bytes("S\x01"
                                      "x"
                                      "ypq"
                                      "a1b2n7ttrue"
                                      "az"));
}

TEST(SchemaIdentityTest, SortsLikeJavaStrings) {
  // U+FB01 (EF AC 81) sorts after U+1F600 (F0 9F 98 80) in UTF-16 order, before it in UTF-8.
  const std::string ligature = "\xef\xac\x81";
  const std::string emoji = "\xf0\x9f\x98\x80";
  SchemaRecord r = record("S");
  r.metadata = R"({"sensitive":[")" + ligature + R"(",")" + emoji + R"(","~"]})";
  EXPECT_EQ(guid_of(r), guid_of_bytes("S\x01~" + emoji + ligature));
}

TEST(SchemaIdentityTest, RuleDefaultsDisabledAndEnableAt) {
  SchemaRecord r = record("S");
  r.rule_set =
      R"({"enableAt":"CLIENT","encodingRules":[{"name":"e","type":"T","disabled":true}],)"
      R"("domainRules":[{"name":"d","kind":"CONDITION","mode":"WRITE","tags":["b","a"],)"
      R"("params":{"k2":"v2","k1":"v1"},"expr":"x","onSuccess":"NONE","onFailure":"ERROR",)"
      R"("doc":"D","type":"CEL","disabled":false}],"migrationRules":null})";
  EXPECT_EQ(guid_of(r), guid_of_bytes("S\x01"
                                      "dDCONDITIONWRITECELabk1v1k2v2xNONEERROR"
                                      "eTRANSFORMWRITEREADT\x01"
                                      "CLIENT"));

  SchemaRecord empty = record("S");
  empty.rule_set = "{}";
  EXPECT_EQ(guid_of(empty), guid_of_bytes("S\x01"));
}

TEST(SchemaIdentityTest, RejectsMalformedMetadata) {
  for (const char* bad : {"{", "[]", R"({"tags":{"a":null}})", R"({"tags":{"a":"b"}})",
                          R"({"properties":{"a":null}})", R"({"properties":{"a":{}}})",
                          R"({"sensitive":[null]})", R"({"properties":{"a":1.5}})"}) {
    SchemaRecord r = record("S");
    r.metadata = bad;
    auto digest = schema_md5(r);
    ASSERT_FALSE(digest.ok()) << bad;
    EXPECT_EQ(digest.error().code(), ErrorCode::kInvalidSchema) << bad;
  }
}

TEST(SchemaIdentityTest, RejectsMalformedRuleSet) {
  for (const char* bad :
       {"nope", R"("x")", R"({"domainRules":{}})", R"({"domainRules":[null]})",
        R"({"domainRules":[{"kind":"BOGUS"}]})", R"({"domainRules":[{"mode":"write"}]})",
        R"({"domainRules":[{"disabled":"yes"}]})", R"({"domainRules":[{"params":{"a":null}}]})",
        R"({"enableAt":"ANY"})"}) {
    SchemaRecord r = record("S");
    r.rule_set = bad;
    auto digest = schema_md5(r);
    ASSERT_FALSE(digest.ok()) << bad;
    EXPECT_EQ(digest.error().code(), ErrorCode::kInvalidRuleSet) << bad;
  }
}

}  // namespace
}  // namespace sg::registry
