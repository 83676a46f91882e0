#include "schemaguard/protobuf/wire.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schemaguard/protobuf/format/format.h"

namespace sg::protobuf {
namespace {

constexpr std::string_view kShop = R"(syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";
message Order {
  message Line {
    string sku = 1;
    int32 quantity = 2;
    message Note { string text = 1; }
  }
  string id = 1;
  repeated Line lines = 2;
  map<string, string> labels = 3;
  google.protobuf.Timestamp placed_at = 4;
  Status status = 5;
}
enum Status { STATUS_UNSPECIFIED = 0; PLACED = 1; }
message Refund { string order_id = 1; sint64 amount = 2; }
)";

ParsedSchemaPtr shop() {
  auto parsed = format().parse(kShop, {});
  EXPECT_TRUE(parsed.ok()) << parsed.error().message();
  return *parsed;
}

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

// Encodings as Kafka's zig-zag varints give them (ByteUtils.writeVarint).
TEST(MessageIndexes, EncodesConfluentFraming) {
  struct Case {
    std::vector<int> indexes;
    std::string encoded;
  };
  const std::vector<Case> cases = {
      {{0}, bytes({0})},                      // the shorthand
      {{1}, bytes({2, 2})},                   // count 1, index 1
      {{0, 0}, bytes({4, 0, 0})},             // nested: not the shorthand
      {{2, 1}, bytes({4, 4, 2})},             //
      {{64}, bytes({2, 0x80, 0x01})},         // 64 zig-zags to 128: two bytes
      {{0, 300}, bytes({4, 0, 0xd8, 0x04})},  // 600
  };
  for (const Case& c : cases) {
    EXPECT_EQ(encode_message_indexes(c.indexes), c.encoded);
    auto decoded = decode_message_indexes(c.encoded + "payload");
    ASSERT_TRUE(decoded.ok()) << decoded.error().message();
    EXPECT_EQ(decoded->indexes, c.indexes);
    EXPECT_EQ(decoded->consumed, c.encoded.size());
  }
}

TEST(MessageIndexes, RoundTripsAcrossValueRanges) {
  for (int depth = 1; depth <= 4; ++depth) {
    for (int value : {0, 1, 63, 64, 127, 128, 8191, 8192, 1 << 20, 0x7fffffff}) {
      const std::vector<int> indexes(static_cast<std::size_t>(depth), value);
      auto decoded = decode_message_indexes(encode_message_indexes(indexes));
      ASSERT_TRUE(decoded.ok()) << decoded.error().message();
      EXPECT_EQ(decoded->indexes, indexes);
    }
  }
}

TEST(MessageIndexes, RejectsMalformedInput) {
  for (const std::string& input : {
           std::string(),                                // nothing
           bytes({0x80}),                                // truncated varint
           bytes({2}),                                   // count 1, no index
           bytes({1}),                                   // count -1
           bytes({2, 1}),                                // index -1
           bytes({0xff, 0xff, 0xff, 0xff, 0x7f}),        // wider than 32 bits
           bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x01}),  // too long
           bytes({0xd2, 0x09}),                          // count 617: over the limit
       }) {
    EXPECT_FALSE(decode_message_indexes(input).ok()) << testing::PrintToString(input);
  }
}

TEST(MessageIndexes, MapMessageNamesToPathsAndBack) {
  const auto schema = shop();
  struct Case {
    std::string name;
    std::vector<int> path;
  };
  // Order's nested declarations in libprotobuf's order: Line, then the map entry of `labels`.
  for (const Case& c : std::vector<Case>{{"shop.Order", {0}},
                                         {"shop.Refund", {1}},
                                         {"shop.Order.Line", {0, 0}},
                                         {"shop.Order.LabelsEntry", {0, 1}},
                                         {"shop.Order.Line.Note", {0, 0, 0}}}) {
    auto path = message_index_path(*schema, c.name);
    ASSERT_TRUE(path.ok()) << c.name << ": " << path.error().message();
    EXPECT_EQ(*path, c.path) << c.name;
    auto name = message_at(*schema, c.path);
    ASSERT_TRUE(name.ok()) << name.error().message();
    EXPECT_EQ(*name, c.name);
  }
  EXPECT_FALSE(message_index_path(*schema, "shop.Missing").ok());
  EXPECT_FALSE(message_index_path(*schema, "shop.Status").ok());                // an enum
  EXPECT_FALSE(message_index_path(*schema, "google.protobuf.Timestamp").ok());  // imported
  EXPECT_FALSE(message_at(*schema, {2}).ok());
  EXPECT_FALSE(message_at(*schema, {0, 5}).ok());
  EXPECT_FALSE(message_at(*schema, {}).ok());
}

TEST(DynamicMessages, JsonRoundTripsThroughBinary) {
  const auto schema = shop();
  const std::string json =
      R"({"id":"o-1","lines":[{"sku":"A","quantity":2}],"labels":{"gift":"yes"},)"
      R"("placedAt":"2024-05-01T10:00:00Z","status":"PLACED"})";
  auto binary = json_to_binary(*schema, "shop.Order", json);
  ASSERT_TRUE(binary.ok()) << binary.error().message();
  // Field 1 (id), length-delimited: tag byte 0x0a, length 3, "o-1".
  EXPECT_EQ(binary->substr(0, 5), std::string("\x0a\x03o-1", 5));
  auto back = binary_to_json(*schema, "shop.Order", *binary);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(*back, json);

  auto refund = json_to_binary(*schema, "shop.Refund", R"({"orderId":"o-1","amount":"-3"})");
  ASSERT_TRUE(refund.ok()) << refund.error().message();
  EXPECT_EQ(*refund, std::string("\x0a\x03o-1\x10\x05", 7));  // sint64 -3 zig-zags to 5
}

TEST(DynamicMessages, RejectsWhatDoesNotFit) {
  const auto schema = shop();
  EXPECT_FALSE(json_to_binary(*schema, "shop.Order", R"({"nope":1})").ok());
  EXPECT_FALSE(json_to_binary(*schema, "shop.Order", R"({"id":)").ok());
  EXPECT_FALSE(json_to_binary(*schema, "shop.Nope", "{}").ok());
  EXPECT_FALSE(binary_to_json(*schema, "shop.Order", bytes({0x0a, 0x05, 'a'})).ok());  // short
  auto empty = binary_to_json(*schema, "shop.Order", "");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "{}");
}

TEST(DynamicMessages, Proto2RequiredFieldsAreEnforced) {
  auto parsed = format().parse(R"(syntax = "proto2";
message Ping { required int32 seq = 1; optional string note = 2; })",
                               {});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_FALSE(json_to_binary(**parsed, "Ping", R"({"note":"x"})").ok());
  auto ok = json_to_binary(**parsed, "Ping", R"({"seq":7})");
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_EQ(*ok, bytes({0x08, 7}));
}

}  // namespace
}  // namespace sg::protobuf
