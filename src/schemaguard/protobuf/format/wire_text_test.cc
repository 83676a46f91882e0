// Golden texts: what a Confluent registry stores (and returns with normalize=true) for a
// Protobuf schema. Every expected text was written by hand from the rules of Confluent 8.x's
// printer (ProtobufSchemaUtils) over Square Wire's parsed elements, not produced by our code;
// the comment above each case names the rules it shows.
#include "schemaguard/protobuf/format/wire_text.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/stubs/strutil.h>
#include <gtest/gtest.h>

#include <string>

#include "schemaguard/compat/engine.h"
#include "schemaguard/protobuf/format/format.h"

namespace sg::protobuf {
namespace {

struct Golden {
  const char* name;
  std::string input;
  std::string stored;      // render(normalize=false) and canonical_text()
  std::string normalized;  // render(normalize=true); empty: not checked
};

const Golden kGolden[] = {
    // File layout: `syntax`, then `package` (even when written after an import), a blank line,
    // imports then public imports, a blank line, file options as written, a blank line, every
    // message then every enum (an enum written first still comes after), a blank line, services.
    // Comments are dropped; types stay as written; a proto3 `optional` keeps its label.
    // Normalised: types fully qualified with a leading dot, in rpcs too.
    {"file_layout",
     "// leading comment\n"
     "syntax = \"proto3\";\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "package shop.v1;\n"
     "import public \"google/protobuf/timestamp.proto\";\n"
     "option optimize_for = SPEED;\n"
     "option java_package = \"com.shop\";\n"
     "enum Status { UNKNOWN = 0; DONE = 1; }\n"
     "message Order {\n"
     "  // a field comment\n"
     "  string id = 1;   /* trailing */\n"
     "  Status status = 2;\n"
     "  optional string note = 3;\n"
     "}\n"
     "service Orders { rpc Get (Order) returns (Order); }\n",
     "syntax = \"proto3\";\n"
     "package shop.v1;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "import public \"google/protobuf/timestamp.proto\";\n"
     "\n"
     "option optimize_for = SPEED;\n"
     "option java_package = \"com.shop\";\n"
     "\n"
     "message Order {\n"
     "  string id = 1;\n"
     "  Status status = 2;\n"
     "  optional string note = 3;\n"
     "}\n"
     "enum Status {\n"
     "  UNKNOWN = 0;\n"
     "  DONE = 1;\n"
     "}\n"
     "\n"
     "service Orders {\n"
     "  rpc Get (Order) returns (Order);\n"
     "}\n",
     // Normalised: options sorted by name.
     "syntax = \"proto3\";\n"
     "package shop.v1;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "import public \"google/protobuf/timestamp.proto\";\n"
     "\n"
     "option java_package = \"com.shop\";\n"
     "option optimize_for = SPEED;\n"
     "\n"
     "message Order {\n"
     "  string id = 1;\n"
     "  .shop.v1.Status status = 2;\n"
     "  optional string note = 3;\n"
     "}\n"
     "enum Status {\n"
     "  UNKNOWN = 0;\n"
     "  DONE = 1;\n"
     "}\n"
     "\n"
     "service Orders {\n"
     "  rpc Get (.shop.v1.Order) returns (.shop.v1.Order);\n"
     "}\n"},

    // Inside a message: reserved, options, fields, oneofs, nested messages then enums, each
    // section after a blank line (the first one right after the brace), whatever the source
    // order. A map field stays `map<K, V>`. Normalised: reserved split one a line and sorted,
    // the map's value type qualified.
    {"message_sections",
     "syntax = \"proto3\";\n"
     "message Outer {\n"
     "  enum Color { RED = 0; }\n"
     "  message Inner { int32 x = 1; }\n"
     "  oneof choice { string a = 3; int32 b = 4; }\n"
     "  reserved 10 to 12, 8;\n"
     "  reserved \"old\";\n"
     "  option deprecated = true;\n"
     "  int64 id = 1;\n"
     "  map<string,Inner> items = 2;\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "\n"
     "message Outer {\n"
     "  reserved 10 to 12, 8;\n"
     "  reserved \"old\";\n"
     "\n"
     "  option deprecated = true;\n"
     "\n"
     "  int64 id = 1;\n"
     "  map<string, Inner> items = 2;\n"
     "\n"
     "  oneof choice {\n"
     "    string a = 3;\n"
     "    int32 b = 4;\n"
     "  }\n"
     "\n"
     "  message Inner {\n"
     "    int32 x = 1;\n"
     "  }\n"
     "  enum Color {\n"
     "    RED = 0;\n"
     "  }\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "\n"
     "message Outer {\n"
     "  reserved 8;\n"
     "  reserved 10 to 12;\n"
     "  reserved \"old\";\n"
     "\n"
     "  option deprecated = true;\n"
     "\n"
     "  int64 id = 1;\n"
     "  map<string, .Outer.Inner> items = 2;\n"
     "\n"
     "  oneof choice {\n"
     "    string a = 3;\n"
     "    int32 b = 4;\n"
     "  }\n"
     "\n"
     "  message Inner {\n"
     "    int32 x = 1;\n"
     "  }\n"
     "  enum Color {\n"
     "    RED = 0;\n"
     "  }\n"
     "}\n"},

    // A nested message is indented line by line, its blank lines too: the blank line between
    // its option and its field becomes two spaces (Java's split-and-indent).
    {"nested_blank_line_indented",
     "syntax = \"proto3\";\n"
     "message A {\n"
     "  message B {\n"
     "    option deprecated = true;\n"
     "    int32 x = 1;\n"
     "  }\n"
     "  B b = 1;\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "\n"
     "message A {\n"
     "  B b = 1;\n"
     "\n"
     "  message B {\n"
     "    option deprecated = true;\n"
     "  \n"
     "    int32 x = 1;\n"
     "  }\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "\n"
     "message A {\n"
     "  .A.B b = 1;\n"
     "\n"
     "  message B {\n"
     "    option deprecated = true;\n"
     "  \n"
     "    int32 x = 1;\n"
     "  }\n"
     "}\n"},

    // proto2: labels kept; `default` and `json_name` come out of the option list and are
    // printed after the other options; two or more options go one a line; groups after the
    // fields, extension ranges after groups, `extend` after the types. Normalised: `syntax =
    // "proto2"` dropped, options sorted by name, extension ranges split and sorted, the
    // extended type qualified.
    {"proto2_options_groups_extensions",
     "syntax = \"proto2\";\n"
     "package p;\n"
     "message M {\n"
     "  optional string name = 1 [default = \"a\\\"b\", json_name = \"nm\", deprecated = true];\n"
     "  repeated int32 ids = 2 [packed = true, deprecated = true];\n"
     "  optional group Result = 4 {\n"
     "    required string url = 5;\n"
     "  }\n"
     "  optional int32 count = 6 [default = -5];\n"
     "  extensions 500, 100 to 199;\n"
     "  extensions 1000 to max;\n"
     "}\n"
     "extend M { optional int32 extra = 100; }\n",
     "syntax = \"proto2\";\n"
     "package p;\n"
     "\n"
     "message M {\n"
     "  optional string name = 1 [\n"
     "    deprecated = true,\n"
     "    default = \"a\\\"b\",\n"
     "    json_name = \"nm\"\n"
     "  ];\n"
     "  repeated int32 ids = 2 [\n"
     "    packed = true,\n"
     "    deprecated = true\n"
     "  ];\n"
     "  optional int32 count = 6 [default = -5];\n"
     "\n"
     "  optional group Result = 4 {\n"
     "    required string url = 5;\n"
     "  }\n"
     "\n"
     "  extensions 500, 100 to 199;\n"
     "  extensions 1000 to max;\n"
     "}\n"
     "\n"
     "extend M {\n"
     "  optional int32 extra = 100;\n"
     "}\n",
     "package p;\n"
     "\n"
     "message M {\n"
     "  optional string name = 1 [\n"
     "    default = \"a\\\"b\",\n"
     "    deprecated = true,\n"
     "    json_name = \"nm\"\n"
     "  ];\n"
     "  repeated int32 ids = 2 [\n"
     "    deprecated = true,\n"
     "    packed = true\n"
     "  ];\n"
     "  optional int32 count = 6 [default = -5];\n"
     "\n"
     "  optional group Result = 4 {\n"
     "    required string url = 5;\n"
     "  }\n"
     "\n"
     "  extensions 100 to 199;\n"
     "  extensions 500;\n"
     "  extensions 1000 to max;\n"
     "}\n"
     "\n"
     "extend .p.M {\n"
     "  optional int32 extra = 100;\n"
     "}\n"},

    // Enums: reserved first with no blank line before the options and values; enum value
    // options; `extend` blocks before services; service options, then a blank line, then
    // rpcs; an rpc with options gets a body and still ends with `;`; streams; custom options in
    // parentheses; a string option re-escaped. Normalised: custom option names qualified
    // (no leading dot) and sorted with the rest, rpc and extend types qualified.
    {"enum_service_custom_options",
     "syntax = \"proto3\";\n"
     "package svc;\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "extend google.protobuf.MethodOptions { string http = 50001; }\n"
     "extend google.protobuf.FileOptions { string owner = 50002; }\n"
     "option (owner) = \"team \\\"a\\\"\\n\";\n"
     "enum Level {\n"
     "  option allow_alias = true;\n"
     "  LOW = 0;\n"
     "  MIN = 0 [deprecated = true];\n"
     "  HIGH = 2;\n"
     "  reserved 5 to 7;\n"
     "  reserved \"OLD\";\n"
     "}\n"
     "message Req {}\n"
     "service Api {\n"
     "  option deprecated = true;\n"
     "  rpc Watch (stream Req) returns (stream Req) {\n"
     "    option (http) = \"/watch\";\n"
     "    option idempotency_level = NO_SIDE_EFFECTS;\n"
     "  }\n"
     "  rpc Get (Req) returns (Req);\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "package svc;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "option (owner) = \"team \\\"a\\\"\\n\";\n"
     "\n"
     "message Req {}\n"
     "enum Level {\n"
     "  reserved 5 to 7;\n"
     "  reserved \"OLD\";\n"
     "  option allow_alias = true;\n"
     "  LOW = 0;\n"
     "  MIN = 0 [deprecated = true];\n"
     "  HIGH = 2;\n"
     "}\n"
     "\n"
     "extend google.protobuf.MethodOptions {\n"
     "  string http = 50001;\n"
     "}\n"
     "extend google.protobuf.FileOptions {\n"
     "  string owner = 50002;\n"
     "}\n"
     "\n"
     "service Api {\n"
     "  option deprecated = true;\n"
     "\n"
     "  rpc Watch (stream Req) returns (stream Req) {\n"
     "    option (http) = \"/watch\";\n"
     "    option idempotency_level = NO_SIDE_EFFECTS;\n"
     "  };\n"
     "  rpc Get (Req) returns (Req);\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "package svc;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "option (svc.owner) = \"team \\\"a\\\"\\n\";\n"
     "\n"
     "message Req {}\n"
     "enum Level {\n"
     "  reserved 5 to 7;\n"
     "  reserved \"OLD\";\n"
     "  option allow_alias = true;\n"
     "  LOW = 0;\n"
     "  MIN = 0 [deprecated = true];\n"
     "  HIGH = 2;\n"
     "}\n"
     "\n"
     "extend .google.protobuf.MethodOptions {\n"
     "  string http = 50001;\n"
     "}\n"
     "extend .google.protobuf.FileOptions {\n"
     "  string owner = 50002;\n"
     "}\n"
     "\n"
     "service Api {\n"
     "  option deprecated = true;\n"
     "\n"
     "  rpc Watch (stream .svc.Req) returns (stream .svc.Req) {\n"
     "    option idempotency_level = NO_SIDE_EFFECTS;\n"
     "    option (svc.http) = \"/watch\";\n"
     "  };\n"
     "  rpc Get (.svc.Req) returns (.svc.Req);\n"
     "}\n"},

    // Oneofs keep their order and their members' order; normalised, fields sort by number,
    // members by number and oneofs by their first member.
    {"oneof_order",
     "syntax = \"proto3\";\n"
     "message M {\n"
     "  oneof b { string y = 5; string x = 3; }\n"
     "  oneof a { int32 p = 2; }\n"
     "  int32 z = 9;\n"
     "  int32 w = 1;\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "\n"
     "message M {\n"
     "  int32 z = 9;\n"
     "  int32 w = 1;\n"
     "\n"
     "  oneof b {\n"
     "    string y = 5;\n"
     "    string x = 3;\n"
     "  }\n"
     "  oneof a {\n"
     "    int32 p = 2;\n"
     "  }\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "\n"
     "message M {\n"
     "  int32 w = 1;\n"
     "  int32 z = 9;\n"
     "\n"
     "  oneof a {\n"
     "    int32 p = 2;\n"
     "  }\n"
     "  oneof b {\n"
     "    string x = 3;\n"
     "    string y = 5;\n"
     "  }\n"
     "}\n"},

    // Custom options: a dotted name and a number as written (0x10 stays hex), an aggregate
    // value printed one entry a line with a repeated key gathered into a list. Normalised: the
    // dotted assignments become one map merged under the qualified name, keys sorted, numbers
    // in decimal (DecimalFormat).
    {"aggregate_custom_options",
     "syntax = \"proto3\";\n"
     "package c;\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "message Rule { int32 min = 1; int32 max = 2; repeated string tags = 3; }\n"
     "extend google.protobuf.FieldOptions { Rule rule = 60001; }\n"
     "message M {\n"
     "  int32 a = 1 [(rule).min = 0x10, (rule).max = 20];\n"
     "  int32 b = 2 [(rule) = { min: 1 tags: \"x\" tags: \"y\" }];\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "package c;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "message Rule {\n"
     "  int32 min = 1;\n"
     "  int32 max = 2;\n"
     "  repeated string tags = 3;\n"
     "}\n"
     "message M {\n"
     "  int32 a = 1 [\n"
     "    (rule).min = 0x10,\n"
     "    (rule).max = 20\n"
     "  ];\n"
     "  int32 b = 2 [(rule) = {\n"
     "    min: 1,\n"
     "    tags: [\n"
     "      \"x\",\n"
     "      \"y\"\n"
     "    ]\n"
     "  }];\n"
     "}\n"
     "\n"
     "extend google.protobuf.FieldOptions {\n"
     "  Rule rule = 60001;\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "package c;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "message Rule {\n"
     "  int32 min = 1;\n"
     "  int32 max = 2;\n"
     "  repeated string tags = 3;\n"
     "}\n"
     "message M {\n"
     "  int32 a = 1 [(c.rule) = {\n"
     "    max: 20,\n"
     "    min: 16\n"
     "  }];\n"
     "  int32 b = 2 [(c.rule) = {\n"
     "    min: 1,\n"
     "    tags: [\n"
     "      \"x\",\n"
     "      \"y\"\n"
     "    ]\n"
     "  }];\n"
     "}\n"
     "\n"
     "extend .google.protobuf.FieldOptions {\n"
     "  .c.Rule rule = 60001;\n"
     "}\n"},

    // No syntax and no package: the text starts with the blank line before the types.
    {"no_syntax_no_package", "message Ping { optional int64 at = 1; }\n",
     "\n"
     "message Ping {\n"
     "  optional int64 at = 1;\n"
     "}\n",
     "\n"
     "message Ping {\n"
     "  optional int64 at = 1;\n"
     "}\n"},

    // Strings: Wire joins adjacent literals, reads single quotes, and turns each numeric escape
    // into one character, so the two octal escapes of UTF-8 "é" become the characters U+00C3
    // U+00A9 (written back as UTF-8); Confluent re-escapes quotes, backslashes and \t but not
    // other characters. A json_name comes out as an option.
    {"string_escapes",
     "syntax = \"proto3\";\n"
     "option java_package = 'a' \"b\";\n"
     "option go_package = \"caf\\303\\251\\t\\\\ \\'\";\n"
     "message M { string first_name = 1 [json_name = \"fn\"]; }\n",
     "syntax = \"proto3\";\n"
     "\n"
     "option java_package = \"ab\";\n"
     "option go_package = \"caf\xC3\x83\xC2\xA9\\t\\\\ \\'\";\n"
     "\n"
     "message M {\n"
     "  string first_name = 1 [json_name = \"fn\"];\n"
     "}\n",
     ""},
};

class WireTextTest : public ::testing::Test {
 protected:
  compat::Engine engine_;
};

TEST_F(WireTextTest, GoldenTexts) {
  for (const Golden& golden : kGolden) {
    SCOPED_TRACE(golden.name);
    auto parsed = engine_.parse(SchemaType::kProtobuf, golden.input, {});
    ASSERT_TRUE(parsed.ok()) << parsed.error().message();
    EXPECT_EQ(engine_.render(**parsed, false), golden.stored);
    EXPECT_EQ((*parsed)->canonical_text(), golden.stored);
    if (!golden.normalized.empty()) {
      EXPECT_EQ(engine_.render(**parsed, true), golden.normalized);
    }
    // The stored text is a schema in its own right and prints as itself (what a registry does
    // when it reads its own topic back).
    auto again = engine_.parse(SchemaType::kProtobuf, golden.stored, {});
    ASSERT_TRUE(again.ok()) << again.error().message() << "\n" << golden.stored;
    EXPECT_EQ(engine_.render(**again, false), golden.stored);
  }
}

// A base64 FileDescriptorProto (what Confluent's serializers may send) prints as Confluent
// converts descriptors: types as the descriptor names them (qualified, leading dot), the map
// entry as a nested message with `option map_entry = true`, a proto3 `optional` with its label
// and without its synthetic oneof, a json_name the descriptor carries printed. Normalised, it
// is the same text as the normalised .proto source.
TEST_F(WireTextTest, SerializedDescriptorAsConfluentConvertsIt) {
  const std::string source =
      "syntax = \"proto3\";\n"
      "package shop;\n"
      "message Item {\n"
      "  string sku = 1;\n"
      "  map<string, int32> counts = 2;\n"
      "  optional string note = 3;\n"
      "  Kind kind = 4;\n"
      "  enum Kind { A = 0; }\n"
      "}\n";
  auto text = engine_.parse(SchemaType::kProtobuf, source, {});
  ASSERT_TRUE(text.ok()) << text.error().message();
  std::string bytes;
  ASSERT_TRUE(google::protobuf::Base64Unescape(*engine_.convert(**text, "serialized"), &bytes));
  google::protobuf::FileDescriptorProto descriptor;
  ASSERT_TRUE(descriptor.ParseFromString(bytes));
  descriptor.mutable_message_type(0)->mutable_field(0)->set_json_name("sku");
  std::string base64;
  google::protobuf::Base64Escape(descriptor.SerializeAsString(), &base64);

  auto serialized = engine_.parse(SchemaType::kProtobuf, base64, {});
  ASSERT_TRUE(serialized.ok()) << serialized.error().message();
  EXPECT_EQ(engine_.render(**serialized, false),
            "syntax = \"proto3\";\n"
            "package shop;\n"
            "\n"
            "message Item {\n"
            "  string sku = 1 [json_name = \"sku\"];\n"
            "  repeated .shop.Item.CountsEntry counts = 2;\n"
            "  optional string note = 3;\n"
            "  .shop.Item.Kind kind = 4;\n"
            "\n"
            "  message CountsEntry {\n"
            "    option map_entry = true;\n"
            "  \n"
            "    string key = 1;\n"
            "    int32 value = 2;\n"
            "  }\n"
            "  enum Kind {\n"
            "    A = 0;\n"
            "  }\n"
            "}\n");
  const std::string normalized =
      "syntax = \"proto3\";\n"
      "package shop;\n"
      "\n"
      "message Item {\n"
      "  string sku = 1;\n"
      "  map<string, int32> counts = 2;\n"
      "  optional string note = 3;\n"
      "  .shop.Item.Kind kind = 4;\n"
      "\n"
      "  enum Kind {\n"
      "    A = 0;\n"
      "  }\n"
      "}\n";
  EXPECT_EQ(engine_.render(**text, true), normalized);
  // The descriptor's json_name is printed as given, sorted among the options.
  std::string with_json = normalized;
  with_json.replace(with_json.find("sku = 1;"), 8, "sku = 1 [json_name = \"sku\"];");
  EXPECT_EQ(engine_.render(**serialized, true), with_json);
}

// Confluent's own meta options survive the descriptor path (Confluent reads them with its
// extension registry): a map of doc then tags, a one-element list printed as a list; normalised,
// keys sorted and the one-element list unwrapped, as for the same option written in text.
TEST_F(WireTextTest, ConfluentMetaFromDescriptor) {
  const std::string source =
      "syntax = \"proto3\";\n"
      "import \"confluent/meta.proto\";\n"
      "message M { string s = 1 [(confluent.field_meta) = { tags: [\"a\"], doc: \"d\" }]; }\n";
  auto text = engine_.parse(SchemaType::kProtobuf, source, {});
  ASSERT_TRUE(text.ok()) << text.error().message();
  auto serialized =
      engine_.parse(SchemaType::kProtobuf, *engine_.convert(**text, "serialized"), {});
  ASSERT_TRUE(serialized.ok()) << serialized.error().message();
  const std::string field =
      "  string s = 1 [(confluent.field_meta) = {\n"
      "    doc: \"d\",\n"
      "    tags: [\n"
      "      \"a\"\n"
      "    ]\n"
      "  }];\n";
  EXPECT_NE(engine_.render(**serialized, false).find(field), std::string::npos)
      << engine_.render(**serialized, false);
  const std::string normalized =
      "syntax = \"proto3\";\n"
      "\n"
      "import \"confluent/meta.proto\";\n"
      "\n"
      "message M {\n"
      "  string s = 1 [(confluent.field_meta) = {\n"
      "    doc: \"d\",\n"
      "    tags: \"a\"\n"
      "  }];\n"
      "}\n";
  EXPECT_EQ(engine_.render(**text, true), normalized);
  EXPECT_EQ(engine_.render(**serialized, true), normalized);
}

// Text libprotoc takes but Wire refuses (Confluent would refuse it too) still parses; its stored
// text is then libprotobuf's printing. Here: `<...>` around a message in an aggregate option.
TEST_F(WireTextTest, TextWireRefusesFallsBackToDescriptorPrinting) {
  const std::string source =
      "syntax = \"proto3\";\n"
      "import \"google/protobuf/descriptor.proto\";\n"
      "message R { int32 a = 1; }\n"
      "message W { R sub = 1; }\n"
      "extend google.protobuf.MessageOptions { W w = 50010; }\n"
      "message M { option (w) = { sub < a: 1 > }; }\n";
  EXPECT_EQ(read_wire(source), nullptr);
  auto parsed = engine_.parse(SchemaType::kProtobuf, source, {});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_NE(engine_.render(**parsed, false).find("message M {"), std::string::npos);
  EXPECT_NE(engine_.render(**parsed, true).find("message M {"), std::string::npos);
  // Without the brackets Wire takes it.
  std::string braces = source;
  braces.replace(braces.find("< a: 1 >"), 8, "{ a: 1 }");
  EXPECT_NE(read_wire(braces), nullptr);
}

// libprotoc keeps an aggregate option value as text at any depth; the reader bounds its own
// recursion and refuses what nests deeper than any real option (a stack overflow before).
TEST(WireTextLimits, DeeplyNestedOptionValuesAreRefusedNotOverflowed) {
  auto file_with = [](const std::string& value) {
    return "syntax = \"proto3\";\nmessage A { string x = 1 [(foo) = " + value + "]; }\n";
  };
  const int depth = 200000;
  std::string maps;
  for (int i = 0; i < depth; ++i) maps += "{a: ";
  maps += "1";
  maps += std::string(depth, '}');
  EXPECT_EQ(read_wire(file_with(maps)), nullptr);
  EXPECT_EQ(read_wire(file_with(std::string(depth, '[') + "1" + std::string(depth, ']'))), nullptr);
  std::string dotted = "syntax = \"proto3\";\nmessage A { string x = 1 [(foo)";
  for (int i = 0; i < depth; ++i) dotted += ".a";
  EXPECT_EQ(read_wire(dotted + " = 1]; }\n"), nullptr);
  // Nesting real options use is read.
  EXPECT_NE(read_wire(file_with("{a: {b: {c: [1, 2]}}}")), nullptr);
}

}  // namespace
}  // namespace sg::protobuf
