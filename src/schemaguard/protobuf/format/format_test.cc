#include "schemaguard/protobuf/format/format.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schemaguard/compat/engine.h"

namespace sg::protobuf {
namespace {

constexpr std::string_view kMoney = R"(syntax = "proto3";
package shop;
message Money { string currency = 1; int64 minor_units = 2; })";

constexpr std::string_view kOrder = R"(syntax = "proto3";
package shop;
import "shop/money.proto";
import "google/protobuf/timestamp.proto";
import "google/type/date.proto";
// A comment the stored text drops.
message Order {
  string id = 1;
  Money total = 2;
  google.protobuf.Timestamp placed_at = 3;
  map<string, int32> quantities = 5;
  google.type.Date delivery = 4;
  oneof payment { string card = 6; string voucher = 7; }
})";

class ProtobufFormatTest : public ::testing::Test {
 protected:
  Result<ParsedSchemaPtr> parse(std::string_view text, const NamedReferences& references = {}) {
    return engine_.parse(SchemaType::kProtobuf, text, references);
  }
  ParsedSchemaPtr money() { return *parse(kMoney); }
  compat::Engine engine_;
};

TEST_F(ProtobufFormatTest, ParsesWithReferencesWellKnownAndBundledImports) {
  auto order = parse(kOrder, {{"shop/money.proto", money()}});
  ASSERT_TRUE(order.ok()) << order.error().message();
  const auto& file = file_descriptor(**order);
  ASSERT_EQ(file.message_type_count(), 1);
  EXPECT_EQ(file.message_type(0)->full_name(), "shop.Order");
  EXPECT_EQ(file.message_type(0)->FindFieldByName("total")->message_type()->full_name(),
            "shop.Money");
}

TEST_F(ProtobufFormatTest, StoredTextDropsCommentsAndReparsesToTheSameText) {
  auto order = parse(kOrder, {{"shop/money.proto", money()}});
  ASSERT_TRUE(order.ok());
  const std::string stored = engine_.render(**order, false);
  EXPECT_EQ(stored.find("comment"), std::string::npos);
  EXPECT_NE(stored.find("import \"shop/money.proto\";"), std::string::npos) << stored;
  EXPECT_NE(stored.find("map<string, int32> quantities = 5;"), std::string::npos) << stored;
  auto again = parse(stored, {{"shop/money.proto", money()}});
  ASSERT_TRUE(again.ok()) << again.error().message() << "\n" << stored;
  EXPECT_EQ(engine_.render(**again, false), stored);
  // Layout-only differences give the same stored text.
  std::string spaced(kOrder);
  spaced.insert(spaced.find("message"), "\n\n   ");
  EXPECT_EQ(engine_.render(**parse(spaced, {{"shop/money.proto", money()}}), false), stored);
}

TEST_F(ProtobufFormatTest, NormalizeSortsFieldsButKeepsMessageOrder) {
  auto parsed = parse(R"(syntax = "proto3";
message B { int32 y = 2; int32 x = 1; }
message A { int32 z = 1; })");
  ASSERT_TRUE(parsed.ok());
  const std::string normalized = engine_.render(**parsed, true);
  EXPECT_LT(normalized.find("x = 1"), normalized.find("y = 2")) << normalized;
  EXPECT_LT(normalized.find("message B"), normalized.find("message A")) << normalized;
}

TEST_F(ProtobufFormatTest, SerializedFormRoundTrips) {
  auto order = parse(kOrder, {{"shop/money.proto", money()}});
  ASSERT_TRUE(order.ok());
  const auto serialized_form = engine_.convert(**order, "serialized");
  ASSERT_TRUE(serialized_form.has_value());
  EXPECT_FALSE(engine_.convert(**order, "other").has_value());
  auto from_serialized = parse(*serialized_form, {{"shop/money.proto", money()}});
  ASSERT_TRUE(from_serialized.ok()) << from_serialized.error().message();
  // The same schema: the same descriptor, compatible both ways. Its stored text is Confluent's
  // printing of a descriptor (qualified types, map entry messages), not the source's layout
  // (wire_text_test.cc); normalised, both agree.
  EXPECT_EQ(serialized(**from_serialized), *serialized_form);
  const std::vector<ParsedSchemaPtr> previous = {*order};
  EXPECT_TRUE(engine_.check(CompatibilityLevel::kFull, **from_serialized, previous).compatible);
  EXPECT_NE(engine_.render(**from_serialized, false).find("repeated .shop.Order.QuantitiesEntry"),
            std::string::npos);
  EXPECT_EQ(engine_.render(**from_serialized, true), engine_.render(**order, true));
}

TEST_F(ProtobufFormatTest, InvalidSchemasNameLineAndColumn) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const Case cases[] = {
      {"syntax = \"proto3\";\nmessage A {\n  int32 x = ;\n}\n", "line 3, column 13"},
      {"syntax = \"proto3\";\nmessage A {\n  Missing x = 1;\n}\n", "line 3, column 3"},
      {"syntax = \"proto3\";\nimport \"nowhere.proto\";\n", "import \"nowhere.proto\" not found"},
      {"", ""},  // an empty file is a valid (empty) schema
  };
  for (const Case& c : cases) {
    auto parsed = parse(c.text);
    if (c.expected.empty()) {
      EXPECT_TRUE(parsed.ok()) << c.text;
      continue;
    }
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidSchema);
    EXPECT_NE(parsed.error().message().find(c.expected), std::string::npos)
        << parsed.error().message();
  }
}

TEST_F(ProtobufFormatTest, CompatibilityThroughTheEngine) {
  auto v1 = *parse("syntax = \"proto3\";\nmessage A {\n  double total = 3;\n}\n");
  auto added =
      *parse("syntax = \"proto3\";\nmessage A {\n  double total = 3;\n  string n = 4;\n}\n");
  auto retyped = *parse("syntax = \"proto3\";\nmessage A {\n  string total = 3;\n}\n");
  const std::vector<ParsedSchemaPtr> previous = {v1};
  EXPECT_TRUE(engine_.check(CompatibilityLevel::kFull, *added, previous).compatible);
  const auto result = engine_.check(CompatibilityLevel::kBackward, *retyped, previous);
  ASSERT_FALSE(result.compatible);
  ASSERT_EQ(result.incompatibilities.size(), 1u);
  EXPECT_EQ(result.incompatibilities[0].type, "FIELD_SCALAR_KIND_CHANGED");
  EXPECT_EQ(result.incompatibilities[0].reader_position, (TextPosition{3, 3}));
}

}  // namespace
}  // namespace sg::protobuf
