#include "schemaguard/registry/records.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace sg::registry {
namespace {

using storage::LogRecord;

std::string describe(const LogRecord& bytes) {
  return "key=" + bytes.key + " value=" + bytes.value.value_or("<null>");
}

// ---------------------------------------------------------------------------------------------
// Exact bytes. Every expected key and value is spelled out literally: these are the bytes
// Confluent's Jackson writes, and Kafka compaction only collapses identical keys.

struct EncodeCase {
  std::string name;
  Record record;
  std::string key;
  std::optional<std::string> value;
};

using OptString = std::optional<std::string>;

ConfigRecord config(OptString subject, OptString level, OptString extra = std::nullopt) {
  ConfigRecord r;
  r.subject = std::move(subject);
  r.compatibility_level = std::move(level);
  r.extra = std::move(extra);
  return r;
}

ConfigRecord config_tombstone(OptString subject) {
  ConfigRecord r;
  r.subject = std::move(subject);
  r.tombstone = true;
  return r;
}

ModeRecord mode(OptString subject, std::string value) {
  ModeRecord r;
  r.subject = std::move(subject);
  r.mode = std::move(value);
  return r;
}

ModeRecord mode_tombstone(OptString subject) {
  ModeRecord r;
  r.subject = std::move(subject);
  r.tombstone = true;
  return r;
}

SchemaRecord orders_v1() {
  SchemaRecord r;
  r.subject = "orders-value";
  r.version = 1;
  r.id = 7;
  r.schema = R"({"type":"string"})";
  return r;
}

SchemaRecord full_schema() {
  SchemaRecord r;
  r.subject = "payments-value";
  r.version = 3;
  r.id = 100042;
  r.type = SchemaType::kProtobuf;
  r.references = {{"common/money.proto", "money", 2}, {"other.proto", "other", 1}};
  r.metadata = R"({"properties":{"owner":"team-a"}})";
  r.rule_set = R"({"domainRules":[{"name":"r","kind":"CONDITION","mode":"WRITE"}]})";
  r.schema = "syntax = \"proto3\";\nmessage Payment {}\n";
  r.deleted = true;
  return r;
}

ConfigRecord subject_config() {
  ConfigRecord r;
  r.subject = "orders-value";
  r.compatibility_level = "BACKWARD";
  return r;
}

ConfigRecord global_config_all_fields() {
  ConfigRecord r;
  r.compatibility_level = "FULL_TRANSITIVE";
  r.compatibility_policy = "strict";
  r.compatibility_group = "application.major.version";
  r.normalize = true;
  r.validate_fields = false;
  r.alias = "orders";
  r.extra = R"({"validateRules":true,"defaultMetadata":{"properties":{"a":"b"}}})";
  return r;
}

std::vector<EncodeCase> encode_cases() {
  std::vector<EncodeCase> cases;
  cases.push_back({"SchemaAvro", orders_v1(),
                   R"({"keytype":"SCHEMA","subject":"orders-value","version":1,"magic":1})",
                   R"({"subject":"orders-value","version":1,"id":7,"schemaType":"AVRO",)"
                   R"("schema":"{\"type\":\"string\"}","deleted":false})"});
  cases.push_back({"SchemaAllFields", full_schema(),
                   R"({"keytype":"SCHEMA","subject":"payments-value","version":3,"magic":1})",
                   R"({"subject":"payments-value","version":3,"id":100042,"schemaType":"PROTOBUF",)"
                   R"("references":[{"name":"common/money.proto","subject":"money","version":2},)"
                   R"({"name":"other.proto","subject":"other","version":1}],)"
                   R"("metadata":{"properties":{"owner":"team-a"}},)"
                   R"("ruleSet":{"domainRules":[{"name":"r","kind":"CONDITION","mode":"WRITE"}]},)"
                   R"("schema":"syntax = \"proto3\";\nmessage Payment {}\n","deleted":true})"});
  {
    SchemaRecord json_schema = orders_v1();
    json_schema.type = SchemaType::kJson;
    json_schema.metadata = R"( { "properties" : { "k" : "v" } } )";  // normalised to compact
    cases.push_back({"SchemaJsonMetadataCompacted", json_schema,
                     R"({"keytype":"SCHEMA","subject":"orders-value","version":1,"magic":1})",
                     R"({"subject":"orders-value","version":1,"id":7,"schemaType":"JSON",)"
                     R"("metadata":{"properties":{"k":"v"}},)"
                     R"("schema":"{\"type\":\"string\"}","deleted":false})"});
  }
  {
    SchemaRecord invalid_metadata = orders_v1();
    invalid_metadata.metadata = "{not json";
    cases.push_back({"SchemaInvalidMetadataLeftOut", invalid_metadata,
                     R"({"keytype":"SCHEMA","subject":"orders-value","version":1,"magic":1})",
                     R"({"subject":"orders-value","version":1,"id":7,"schemaType":"AVRO",)"
                     R"("schema":"{\"type\":\"string\"}","deleted":false})"});
  }
  cases.push_back({"SchemaTombstone", SchemaTombstone{"orders-value", 12},
                   R"({"keytype":"SCHEMA","subject":"orders-value","version":12,"magic":1})",
                   std::nullopt});
  cases.push_back({"ConfigSubject", subject_config(),
                   R"({"keytype":"CONFIG","subject":"orders-value","magic":0})",
                   R"({"subject":"orders-value","compatibilityLevel":"BACKWARD"})"});
  cases.push_back({"ConfigGlobalAllFields", global_config_all_fields(),
                   R"({"keytype":"CONFIG","magic":0})",
                   R"({"compatibilityLevel":"FULL_TRANSITIVE","compatibilityPolicy":"strict",)"
                   R"("compatibilityGroup":"application.major.version","normalize":true,)"
                   R"("validateFields":false,"alias":"orders","validateRules":true,)"
                   R"("defaultMetadata":{"properties":{"a":"b"}}})"});
  {
    ConfigRecord shadowed;
    shadowed.subject = "s";
    shadowed.compatibility_level = "NONE";
    // A modelled member inside `extra` must not be written twice; the typed field wins.
    shadowed.extra = R"({"compatibilityLevel":"FULL","subject":"x","validateRules":false})";
    cases.push_back({"ConfigExtraCannotShadowModelledFields", shadowed,
                     R"({"keytype":"CONFIG","subject":"s","magic":0})",
                     R"({"subject":"s","compatibilityLevel":"NONE","validateRules":false})"});
  }
  {
    ConfigRecord empty;
    empty.subject = "s";
    cases.push_back({"ConfigNoFields", empty, R"({"keytype":"CONFIG","subject":"s","magic":0})",
                     R"({"subject":"s"})"});
  }
  cases.push_back({"ConfigSubjectTombstone", config_tombstone("s"),
                   R"({"keytype":"CONFIG","subject":"s","magic":0})", std::nullopt});
  cases.push_back({"ConfigGlobalTombstone", config_tombstone(std::nullopt),
                   R"({"keytype":"CONFIG","magic":0})", std::nullopt});
  cases.push_back({"ModeSubject", mode("s", "READONLY"),
                   R"({"keytype":"MODE","subject":"s","magic":0})",
                   R"({"subject":"s","mode":"READONLY"})"});
  cases.push_back({"ModeGlobal", mode(std::nullopt, "IMPORT"), R"({"keytype":"MODE","magic":0})",
                   R"({"mode":"IMPORT"})"});
  cases.push_back({"ModeSubjectTombstone", mode_tombstone("s"),
                   R"({"keytype":"MODE","subject":"s","magic":0})", std::nullopt});
  cases.push_back({"ModeGlobalTombstone", mode_tombstone(std::nullopt),
                   R"({"keytype":"MODE","magic":0})", std::nullopt});
  cases.push_back({"DeleteSubject", DeleteSubjectRecord{"orders-value", 4},
                   R"({"keytype":"DELETE_SUBJECT","subject":"orders-value","magic":0})",
                   R"({"subject":"orders-value","version":4})"});
  cases.push_back({"ClearSubject", ClearSubjectRecord{":.ctx:"},
                   R"({"keytype":"CLEAR_SUBJECT","subject":":.ctx:","magic":0})",
                   R"({"subject":":.ctx:"})"});
  cases.push_back({"ClearAllSubjects", ClearSubjectRecord{std::nullopt},
                   R"({"keytype":"CLEAR_SUBJECT","magic":0})", "{}"});
  cases.push_back({"Context", ContextRecord{"default", ".ctx"},
                   R"({"keytype":"CONTEXT","tenant":"default","context":".ctx","magic":0})",
                   R"({"tenant":"default","context":".ctx"})"});
  cases.push_back({"Noop", NoopRecord{}, R"({"keytype":"NOOP","magic":0})", std::nullopt});
  {
    // Jackson: short escapes for " \ \b \t \n \f \r, \u00XX (upper-case hex) for the other
    // control characters, and nothing else escaped: not '/', not DEL, not non-ASCII.
    const std::string subject =
        "q\"b\\s/n\nt\tr\rb\bf\f" + std::string(1, '\0') + "\x01\x1f\x7f" + "é日本🙂";
    cases.push_back({"EscapingAsJackson", SchemaTombstone{subject, 1},
                     R"({"keytype":"SCHEMA","subject":"q\"b\\s/n\nt\tr\rb\bf\f\u0000\u0001\u001F)"
                     "\x7f"
                     "é日本🙂"
                     R"(","version":1,"magic":1})",
                     std::nullopt});
  }
  {
    SchemaRecord big = orders_v1();
    big.version = 2147483647;
    big.id = -1;
    cases.push_back({"IntegerExtremes", big,
                     R"({"keytype":"SCHEMA","subject":"orders-value","version":2147483647,)"
                     R"("magic":1})",
                     R"({"subject":"orders-value","version":2147483647,"id":-1,)"
                     R"("schemaType":"AVRO","schema":"{\"type\":\"string\"}","deleted":false})"});
  }
  return cases;
}

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const EncodeCase& c, std::ostream* os) {
  *os << c.name;
}

class RecordsEncodeTest : public testing::TestWithParam<EncodeCase> {};

TEST_P(RecordsEncodeTest, WritesConfluentBytes) {
  const EncodeCase& c = GetParam();
  LogRecord bytes = encode(c.record);
  EXPECT_EQ(bytes.key, c.key);
  EXPECT_EQ(bytes.value, c.value);
}

INSTANTIATE_TEST_SUITE_P(Records, RecordsEncodeTest, testing::ValuesIn(encode_cases()),
                         [](const auto& p) { return p.param.name; });

// ---------------------------------------------------------------------------------------------
// Round trips: decode(encode(r)) == r for every kind.

struct RoundTripCase {
  std::string name;
  Record record;
};

std::vector<RoundTripCase> round_trip_cases() {
  const std::string tricky = "quote\" back\\slash /slash\n\t\x01 é 日本 🙂 \x7f";
  std::vector<RoundTripCase> cases = {
      {"Schema", orders_v1()},
      {"SchemaAllFields", full_schema()},
      {"SchemaTombstone", SchemaTombstone{"orders-value", 9}},
      {"ConfigSubject", subject_config()},
      {"ConfigGlobalAllFields", global_config_all_fields()},
      {"ConfigTombstone", config_tombstone("s")},
      {"ConfigGlobalTombstone", config_tombstone(std::nullopt)},
      {"ModeSubject", mode("s", "READWRITE")},
      {"ModeGlobal", mode(std::nullopt, "READONLY_OVERRIDE")},
      {"ModeTombstone", mode_tombstone("s")},
      {"DeleteSubject", DeleteSubjectRecord{"s", 17}},
      {"ClearSubject", ClearSubjectRecord{":.ctx:orders"}},
      {"ClearAll", ClearSubjectRecord{std::nullopt}},
      {"Context", ContextRecord{"default", ".staging"}},
      {"OtherTenantContext", ContextRecord{"tenant-7", ".x"}},
      {"Noop", NoopRecord{}},
      {"InvalidUtf8Subject", SchemaTombstone{"bad\xff\xfe utf8", 1}},
  };
  SchemaRecord schema = full_schema();
  schema.subject = tricky;
  schema.schema = tricky + R"({"type":"record","name":"N","fields":[]})";
  schema.references = {{tricky, tricky, 1}};
  schema.metadata = R"({"properties":{"k":"quote\" é \u0001"}})";
  cases.push_back({"SchemaTrickyStrings", schema});
  cases.push_back({"SchemaTombstoneTricky", SchemaTombstone{tricky, 1}});
  ConfigRecord config = global_config_all_fields();
  config.subject = tricky;
  config.alias = tricky;
  cases.push_back({"ConfigTrickyStrings", config});
  cases.push_back({"ModeTricky", mode(tricky, "READONLY")});
  cases.push_back({"DeleteSubjectTricky", DeleteSubjectRecord{tricky, 1}});
  cases.push_back({"ClearSubjectTricky", ClearSubjectRecord{tricky}});
  cases.push_back({"ContextTricky", ContextRecord{tricky, tricky}});
  return cases;
}

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const RoundTripCase& c, std::ostream* os) {
  *os << c.name;
}

class RecordsRoundTripTest : public testing::TestWithParam<RoundTripCase> {};

TEST_P(RecordsRoundTripTest, DecodeInvertsEncode) {
  const Record& record = GetParam().record;
  LogRecord bytes = encode(record);
  Result<Record> decoded = decode(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string() << "\n" << describe(bytes);
  EXPECT_EQ(*decoded, record) << describe(bytes);
  // And encoding what was decoded reproduces the bytes: rewriting a record changes nothing.
  EXPECT_EQ(encode(*decoded), bytes);
}

INSTANTIATE_TEST_SUITE_P(Records, RecordsRoundTripTest, testing::ValuesIn(round_trip_cases()),
                         [](const auto& p) { return p.param.name; });

TEST(RecordsRoundTrip, MetadataComesBackCompact) {
  SchemaRecord record = orders_v1();
  record.metadata = "{ \"properties\" : {\"a\" : \"b\"},\n \"tags\": {\"x\": [\"y\"]} }";
  record.rule_set = R"({"migrationRules":[],"n":1.5,"big":18446744073709551615,"neg":-3})";
  Result<Record> decoded = decode(encode(record));
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  const auto& schema = std::get<SchemaRecord>(*decoded);
  EXPECT_EQ(schema.metadata, R"({"properties":{"a":"b"},"tags":{"x":["y"]}})");
  EXPECT_EQ(schema.rule_set,
            R"({"migrationRules":[],"n":1.5,"big":18446744073709551615,"neg":-3})");
}

// ---------------------------------------------------------------------------------------------
// What older (and newer) Confluent versions wrote.

struct DecodeCase {
  std::string name;
  LogRecord bytes;
  Record expected;
};

SchemaRecord legacy_schema(std::string subject, int version, int id, std::string text) {
  SchemaRecord r;
  r.subject = std::move(subject);
  r.version = version;
  r.id = id;
  r.schema = std::move(text);
  return r;
}

std::vector<DecodeCase> decode_cases() {
  std::vector<DecodeCase> cases;
  cases.push_back({"SchemaMagic0NoSchemaTypeNoDeleted",
                   {R"({"keytype":"SCHEMA","subject":"s","version":2,"magic":0})",
                    R"({"subject":"s","version":2,"id":3,"schema":"\"string\""})"},
                   legacy_schema("s", 2, 3, "\"string\"")});
  cases.push_back({"SchemaValueWithoutSubjectOrVersion",
                   {R"({"keytype":"SCHEMA","subject":"s","version":5,"magic":1})",
                    R"({"id":8,"schema":"\"int\"","deleted":false})"},
                   legacy_schema("s", 5, 8, "\"int\"")});
  {
    SchemaRecord deleted = legacy_schema("s", 1, 1, "\"long\"");
    deleted.deleted = true;
    cases.push_back({"SchemaUnknownFieldsIgnored",
                     {R"({"keytype":"SCHEMA","subject":"s","version":1,"magic":1,"x":[1]})",
                      R"({"subject":"s","version":1,"id":1,"schemaType":"AVRO","md5":"AAAA",)"
                      R"("ts":1700000000000,"offset":42,"schema":"\"long\"","deleted":true,)"
                      R"("future":{"nested":[null,true]}})"},
                     deleted});
  }
  cases.push_back({"SchemaKeyFieldsInAnyOrderAndSpacing",
                   {R"( { "magic" : 1 , "version" : 4 , "subject" : "s" , "keytype" : "SCHEMA" } )",
                    "{\n  \"id\": 9,\n  \"schema\": \"\\\"bytes\\\"\"\n}\n"},
                   legacy_schema("s", 4, 9, "\"bytes\"")});
  cases.push_back(
      {"SchemaKeyWithoutMagic",
       {R"({"keytype":"SCHEMA","subject":"s","version":1})", R"({"id":1,"schema":"\"null\""})"},
       legacy_schema("s", 1, 1, "\"null\"")});
  cases.push_back({"SchemaNullsReadAsAbsent",
                   {R"({"keytype":"SCHEMA","subject":"s","version":1,"magic":1})",
                    R"({"subject":null,"version":1,"id":1,"schemaType":null,"references":null,)"
                    R"("metadata":null,"ruleSet":null,"schema":"\"null\"","deleted":null})"},
                   legacy_schema("s", 1, 1, "\"null\"")});
  cases.push_back({"SchemaEscapedUnicodeInput",
                   {R"({"keytype":"SCHEMA","subject":"\u00e9\ud83d\ude42","version":1,"magic":1})",
                    std::nullopt},
                   SchemaTombstone{"é🙂", 1}});
  cases.push_back({"SchemaTombstoneMagic0",
                   {R"({"keytype":"SCHEMA","subject":"s","version":3,"magic":0})", std::nullopt},
                   SchemaTombstone{"s", 3}});
  cases.push_back({"SchemaNullLiteralValueIsTombstone",
                   {R"({"keytype":"SCHEMA","subject":"s","version":3,"magic":1})", "null"},
                   SchemaTombstone{"s", 3}});
  cases.push_back(
      {"ConfigLegacyNoSubjectInValue",
       {R"({"keytype":"CONFIG","subject":"s","magic":0})", R"({"compatibilityLevel":"FULL"})"},
       config("s", "FULL")});
  cases.push_back({"ConfigGlobalLegacy",
                   {R"({"keytype":"CONFIG","magic":0})", R"({"compatibilityLevel":"NONE"})"},
                   config(std::nullopt, "NONE")});
  cases.push_back(
      {"ConfigUnknownMembersKeptInExtra",
       {R"({"keytype":"CONFIG","subject":"s","magic":0})",
        R"({"subject":"s","compatibilityLevel":"FULL","validateRules":true,)"
        R"("overrideRuleSet":null,"defaultMetadata":{"properties":{"owner":"x"}}})"},
       config("s", "FULL",
              R"({"validateRules":true,"defaultMetadata":{"properties":{"owner":"x"}}})")});
  cases.push_back({"ConfigTombstone",
                   {R"({"keytype":"CONFIG","subject":"s","magic":0})", std::nullopt},
                   config_tombstone("s")});
  cases.push_back({"ModeLegacyNoSubjectInValue",
                   {R"({"keytype":"MODE","subject":"s","magic":0})", R"({"mode":"READONLY"})"},
                   mode("s", "READONLY")});
  cases.push_back({"ModeGlobalTombstone",
                   {R"({"keytype":"MODE","magic":0})", std::nullopt},
                   mode_tombstone(std::nullopt)});
  cases.push_back({"DeleteSubjectNoSubjectInValue",
                   {R"({"keytype":"DELETE_SUBJECT","subject":"s","magic":0})", R"({"version":3})"},
                   DeleteSubjectRecord{"s", 3}});
  cases.push_back({"ClearSubjectFromKey",
                   {R"({"keytype":"CLEAR_SUBJECT","subject":"s","magic":0})", "{}"},
                   ClearSubjectRecord{"s"}});
  cases.push_back({"ContextFromKey",
                   {R"({"keytype":"CONTEXT","tenant":"default","context":".c","magic":0})", "{}"},
                   ContextRecord{"default", ".c"}});
  cases.push_back({"ContextTenantDefaults",
                   {R"({"keytype":"CONTEXT","context":".c","magic":0})", R"({"context":".c"})"},
                   ContextRecord{"default", ".c"}});
  cases.push_back({"NoopWithValue", {R"({"keytype":"NOOP","magic":0})", "{}"}, NoopRecord{}});
  cases.push_back({"AssocIsSkipped",
                   {R"({"keytype":"ASSOC","tenant":"default","subject":"s","magic":0})",
                    R"({"resourceName":"r","associations":[]})"},
                   NoopRecord{}});
  cases.push_back({"UnknownKeytypeWithGarbageValueIsSkipped",
                   {R"({"keytype":"SOMETHING_NEW","magic":1})", "not json at all"},
                   NoopRecord{}});
  cases.push_back({"DeleteSubjectTombstoneIsSkipped",
                   {R"({"keytype":"DELETE_SUBJECT","subject":"s","magic":0})", std::nullopt},
                   NoopRecord{}});
  cases.push_back(
      {"ContextTombstoneIsSkipped",
       {R"({"keytype":"CONTEXT","tenant":"default","context":".c","magic":0})", std::nullopt},
       NoopRecord{}});
  return cases;
}

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const DecodeCase& c, std::ostream* os) {
  *os << c.name;
}

class RecordsDecodeTest : public testing::TestWithParam<DecodeCase> {};

TEST_P(RecordsDecodeTest, ReadsWhatConfluentWrote) {
  const DecodeCase& c = GetParam();
  Result<Record> decoded = decode(c.bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  EXPECT_EQ(*decoded, c.expected) << describe(c.bytes);
}

INSTANTIATE_TEST_SUITE_P(Records, RecordsDecodeTest, testing::ValuesIn(decode_cases()),
                         [](const auto& p) { return p.param.name; });

// ---------------------------------------------------------------------------------------------
// Bytes that are not a record: kStoreError with a message naming the problem, never a crash.

struct GarbageCase {
  std::string name;
  LogRecord bytes;
  std::string message_part;  // a piece the error message must contain
};

std::vector<GarbageCase> garbage_cases() {
  const std::string schema_key = R"({"keytype":"SCHEMA","subject":"s","version":1,"magic":1})";
  return {
      {"EmptyKey", {"", std::nullopt}, "not JSON"},
      {"KeyNotJson", {"hello", "{}"}, "not JSON"},
      {"KeyTruncated", {R"({"keytype":"SCHEMA","subj)", std::nullopt}, "not JSON"},
      {"KeyBinary", {std::string("\xff\x00\x01", 3), std::nullopt}, "not JSON"},
      {"KeyTrailingGarbage", {R"({"keytype":"NOOP"} x)", std::nullopt}, "not JSON"},
      {"KeyArray", {"[1,2]", std::nullopt}, "not a JSON object"},
      {"KeyString", {R"("SCHEMA")", std::nullopt}, "not a JSON object"},
      {"KeyMissingKeytype", {R"({"subject":"s","magic":0})", std::nullopt}, "\"keytype\""},
      {"KeytypeNotString", {R"({"keytype":5,"magic":0})", std::nullopt}, "\"keytype\""},
      {"MagicUnsupported", {R"({"keytype":"NOOP","magic":7})", std::nullopt}, "magic 7"},
      {"MagicNotInteger", {R"({"keytype":"NOOP","magic":"1"})", std::nullopt}, "\"magic\""},
      {"SchemaKeyMissingSubject",
       {R"({"keytype":"SCHEMA","version":1,"magic":1})", std::nullopt},
       "\"subject\""},
      {"SchemaKeyMissingVersion",
       {R"({"keytype":"SCHEMA","subject":"s","magic":1})", std::nullopt},
       "\"version\""},
      {"SchemaKeyVersionString",
       {R"({"keytype":"SCHEMA","subject":"s","version":"1","magic":1})", std::nullopt},
       "\"version\""},
      {"SchemaKeyVersionFraction",
       {R"({"keytype":"SCHEMA","subject":"s","version":1.5,"magic":1})", std::nullopt},
       "\"version\""},
      {"SchemaKeyVersionTooLarge",
       {R"({"keytype":"SCHEMA","subject":"s","version":4294967296,"magic":1})", std::nullopt},
       "\"version\""},
      {"SchemaKeySubjectNumber",
       {R"({"keytype":"SCHEMA","subject":1,"version":1,"magic":1})", std::nullopt},
       "\"subject\""},
      {"SchemaValueNotJson", {schema_key, "{\"id\":"}, "SCHEMA value is not JSON"},
      {"SchemaValueArray", {schema_key, "[]"}, "SCHEMA value is not a JSON object"},
      {"SchemaValueMissingId", {schema_key, R"({"schema":"\"int\""})"}, "\"id\""},
      {"SchemaValueMissingSchema", {schema_key, R"({"id":1})"}, "\"schema\""},
      {"SchemaValueSchemaNotString",
       {schema_key, R"({"id":1,"schema":{"type":"int"}})"},
       "\"schema\""},
      {"SchemaValueUnknownType",
       {schema_key, R"({"id":1,"schema":"x","schemaType":"XML"})"},
       "schemaType \"XML\""},
      {"SchemaValueDeletedNotBool",
       {schema_key, R"({"id":1,"schema":"x","deleted":"yes"})"},
       "\"deleted\""},
      {"SchemaValueReferencesNotArray",
       {schema_key, R"({"id":1,"schema":"x","references":{}})"},
       "\"references\""},
      {"SchemaValueReferenceNotObject",
       {schema_key, R"({"id":1,"schema":"x","references":[1]})"},
       "reference"},
      {"SchemaValueReferenceMissingName",
       {schema_key, R"({"id":1,"schema":"x","references":[{"subject":"a","version":1}]})"},
       "\"name\""},
      {"SchemaValueMetadataNotObject",
       {schema_key, R"({"id":1,"schema":"x","metadata":"m"})"},
       "\"metadata\""},
      {"ConfigLevelNotString",
       {R"({"keytype":"CONFIG","magic":0})", R"({"compatibilityLevel":3})"},
       "\"compatibilityLevel\""},
      {"ConfigNormalizeNotBool",
       {R"({"keytype":"CONFIG","magic":0})", R"({"normalize":"true"})"},
       "\"normalize\""},
      {"ConfigValueNotObject", {R"({"keytype":"CONFIG","magic":0})", "1"}, "not a JSON object"},
      {"ModeMissingMode", {R"({"keytype":"MODE","magic":0})", "{}"}, "\"mode\""},
      {"DeleteSubjectMissingVersion",
       {R"({"keytype":"DELETE_SUBJECT","subject":"s","magic":0})", R"({"subject":"s"})"},
       "\"version\""},
      {"DeleteSubjectNoSubjectAnywhere",
       {R"({"keytype":"DELETE_SUBJECT","magic":0})", R"({"version":1})"},
       "\"subject\""},
      {"ContextMissingContext",
       {R"({"keytype":"CONTEXT","tenant":"default","magic":0})", "{}"},
       "\"context\""},
      {"DeeplyNestedKey", {std::string(100000, '['), std::nullopt}, "not JSON"},
      {"DeeplyNestedValue",
       {schema_key, R"({"id":1,"schema":"x","metadata":)" + std::string(100000, '[')},
       "not JSON"},
  };
}

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const GarbageCase& c, std::ostream* os) {
  *os << c.name;
}

class RecordsGarbageTest : public testing::TestWithParam<GarbageCase> {};

TEST_P(RecordsGarbageTest, FailsWithStoreError) {
  const GarbageCase& c = GetParam();
  Result<Record> decoded = decode(c.bytes);
  ASSERT_FALSE(decoded.ok()) << describe(c.bytes);
  EXPECT_EQ(decoded.error().code(), ErrorCode::kStoreError);
  EXPECT_NE(decoded.error().message().find(c.message_part), std::string::npos)
      << decoded.error().message();
}

INSTANTIATE_TEST_SUITE_P(Records, RecordsGarbageTest, testing::ValuesIn(garbage_cases()),
                         [](const auto& p) { return p.param.name; });

// Mutated records (bytes flipped, dropped, duplicated) either decode or fail with kStoreError;
// nothing else (a crash, another code) is acceptable for a log reader.
TEST(RecordsGarbage, MutationsNeverCrash) {
  std::vector<LogRecord> seeds;
  for (const auto& c : encode_cases()) seeds.push_back(encode(c.record));
  for (const auto& c : decode_cases()) seeds.push_back(c.bytes);
  std::mt19937 rng(20240611);
  auto mutate = [&](std::string text) {
    if (text.empty()) return text;
    const auto at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
    switch (rng() % 4) {
      case 0: text[at] = static_cast<char>(rng() % 256); break;
      case 1: text.erase(at, 1 + rng() % 8); break;
      case 2: text.insert(at, text.substr(at, 1 + rng() % 8)); break;
      default: text.resize(at); break;
    }
    return text;
  };
  int decoded_ok = 0;
  for (int i = 0; i < 5000; ++i) {
    LogRecord bytes = seeds[static_cast<std::size_t>(i) % seeds.size()];
    if (rng() % 2 == 0 || !bytes.value) {
      bytes.key = mutate(bytes.key);
    } else {
      bytes.value = mutate(*bytes.value);
    }
    Result<Record> decoded = decode(bytes);
    if (decoded.ok()) {
      ++decoded_ok;
    } else {
      ASSERT_EQ(decoded.error().code(), ErrorCode::kStoreError) << describe(bytes);
    }
  }
  // Some mutations (inside a string) leave a valid record; most do not. Both paths ran.
  EXPECT_GT(decoded_ok, 0);
  EXPECT_LT(decoded_ok, 5000);
}

}  // namespace
}  // namespace sg::registry
