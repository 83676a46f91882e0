#include "schemaguard/compat/engine.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sg::compat {
namespace {

// Version `id` of an evolving 20-field record (every field has a default, and the doc makes
// each version's text distinct); with `required_field` one more field without a default.
std::string version(int id, bool required_field = false) {
  std::string out =
      fmt::format(R"({{"type": "record", "name": "Event", "doc": "v{}", "fields": [)", id);
  for (int i = 0; i < 20; ++i) {
    out += fmt::format(R"({}{{"name": "f{}", "type": "string", "default": ""}})", i ? "," : "", i);
  }
  if (required_field) out += R"(, {"name": "required", "type": "string"})";
  return out + "]}";
}

std::vector<ParsedSchemaPtr> parse_all(Engine& engine, const std::vector<std::string>& texts) {
  std::vector<ParsedSchemaPtr> out;
  for (const auto& text : texts) {
    auto parsed = engine.parse(SchemaType::kAvro, text);
    EXPECT_TRUE(parsed.ok()) << text;
    out.push_back(*parsed);
  }
  return out;
}

struct LevelCase {
  CompatibilityLevel level;
  bool compatible;
  std::vector<std::pair<Direction, int>> failures;  // (direction, version) in report order
};

// History: v1 = {a: int}, v2 = {a: int, b: string with a default}. The candidate widens `a` to
// long (old readers cannot read it) and has `b` without a default (it cannot read v1).
TEST(Engine, LevelsCheckTheRightVersionsInTheRightDirections) {
  Engine engine;
  const auto previous = parse_all(
      engine, {
                  R"({"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]})",
                  R"({"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"},
          {"name": "b", "type": "string", "default": "x"}]})",
              });
  // Reads v2 fine (b present, int promotes to long), cannot read v1 (b missing, no default);
  // v1 and v2 cannot read its long `a`.
  auto candidate = *engine.parse(SchemaType::kAvro, R"({"type": "record", "name": "R", "fields": [
      {"name": "a", "type": "long"}, {"name": "b", "type": "string"}]})");

  const LevelCase cases[] = {
      {CompatibilityLevel::kNone, true, {}},
      {CompatibilityLevel::kBackward, true, {}},
      {CompatibilityLevel::kBackwardTransitive, false, {{Direction::kBackward, 1}}},
      {CompatibilityLevel::kForward, false, {{Direction::kForward, 2}}},
      {CompatibilityLevel::kForwardTransitive,
       false,
       {{Direction::kForward, 2}, {Direction::kForward, 1}}},
      {CompatibilityLevel::kFull, false, {{Direction::kForward, 2}}},
      {CompatibilityLevel::kFullTransitive,
       false,
       {{Direction::kForward, 2}, {Direction::kForward, 1}, {Direction::kBackward, 1}}},
  };
  for (const auto& c : cases) {
    const CheckResult result = engine.check(c.level, *candidate, previous);
    EXPECT_EQ(result.compatible, c.compatible) << to_string(c.level);
    std::vector<std::pair<Direction, int>> got;
    for (const auto& problem : result.incompatibilities) {
      got.emplace_back(*problem.direction, *problem.version);
    }
    EXPECT_EQ(got, c.failures) << to_string(c.level);
  }

  CheckOptions first_only;
  first_only.stop_at_first_failing_version = true;
  const CheckResult stopped =
      engine.check(CompatibilityLevel::kForwardTransitive, *candidate, previous, first_only);
  ASSERT_EQ(stopped.incompatibilities.size(), 1u);
  EXPECT_EQ(stopped.incompatibilities[0].version, 2) << "newest first, like Confluent";
}

TEST(Engine, NoPreviousVersionsIsAlwaysCompatible) {
  Engine engine;
  auto candidate = *engine.parse(SchemaType::kAvro, R"("string")");
  EXPECT_TRUE(engine.check(CompatibilityLevel::kFullTransitive, *candidate, {}).compatible);
}

TEST(Engine, TheOutageChangeIsCaughtWithItsField) {
  Engine engine;
  const auto previous = parse_all(engine, {R"({"type": "record", "name": "OrderEvent",
      "fields": [{"name": "order_id", "type": "string"}]})"});
  auto candidate = *engine.parse(SchemaType::kAvro, R"({"type": "record", "name": "OrderEvent",
      "fields": [{"name": "order_id", "type": "string"},
                 {"name": "shipping_method", "type": "string"}]})");
  const CheckResult result = engine.check(CompatibilityLevel::kBackward, *candidate, previous);
  ASSERT_FALSE(result.compatible);
  ASSERT_EQ(result.incompatibilities.size(), 1u);
  const Incompatibility& problem = result.incompatibilities[0];
  EXPECT_EQ(problem.type, "READER_FIELD_MISSING_DEFAULT_VALUE");
  EXPECT_EQ(problem.reader_path, "/fields/1");
  EXPECT_NE(problem.message.find("shipping_method"), std::string::npos);
  EXPECT_NE(problem.hint.find("default"), std::string::npos);
}

TEST(Engine, DifferentSchemaTypesAreIncompatible) {
  class FakeJson final : public ParsedSchema {
   public:
    SchemaType type() const override { return SchemaType::kJson; }
    const ContentKey& content_key() const override { return key_; }
    const std::string& canonical_text() const override { return text_; }

   private:
    ContentKey key_{};
    std::string text_ = "{}";
  };
  Engine engine;
  auto avro = *engine.parse(SchemaType::kAvro, R"("string")");
  const std::vector<ParsedSchemaPtr> previous = {std::make_shared<FakeJson>()};
  const CheckResult result = engine.check(CompatibilityLevel::kBackward, *avro, previous);
  ASSERT_EQ(result.incompatibilities.size(), 1u);
  EXPECT_EQ(result.incompatibilities[0].type, "DIFFERENT_SCHEMA_TYPE");
}

// The engine knows the three formats of the registry; an invalid text is a kInvalidSchema error
// from the format's own parser.
TEST(Engine, KnowsAvroJsonSchemaAndProtobuf) {
  Engine engine;
  EXPECT_TRUE(engine.parse(SchemaType::kAvro, R"("string")").ok());
  EXPECT_TRUE(engine.parse(SchemaType::kJson, R"({"type": "string"})").ok());
  EXPECT_TRUE(engine.parse(SchemaType::kProtobuf, "syntax = \"proto3\";\nmessage A {}").ok());
  for (SchemaType type : {SchemaType::kAvro, SchemaType::kJson, SchemaType::kProtobuf}) {
    auto broken = engine.parse(type, "{ not a schema");
    ASSERT_FALSE(broken.ok()) << to_string(type);
    EXPECT_EQ(broken.error().code(), ErrorCode::kInvalidSchema);
    EXPECT_FALSE(broken.error().message().empty());
  }
}

// The cache key covers the reference names as well as what they point at: for JSON Schema and
// Protobuf the name is how the text finds the reference ("$ref": "a.json", import "a.proto").
TEST(Engine, SameTextWithDifferentlyNamedReferencesIsADifferentSchema) {
  Engine engine;
  auto money = *engine.parse(SchemaType::kAvro,
                             R"({"type": "record", "name": "Money", "fields": [
                                   {"name": "cents", "type": "long"}]})");
  const std::string order = R"({"type": "record", "name": "Order", "fields": [
                                  {"name": "total", "type": "Money"}]})";
  auto first = engine.parse(SchemaType::kAvro, order, {{"Money", money}});
  auto again = engine.parse(SchemaType::kAvro, order, {{"Money", money}});
  auto renamed = engine.parse(SchemaType::kAvro, order, {{"money.avsc", money}});
  ASSERT_TRUE(first.ok() && again.ok() && renamed.ok());
  EXPECT_EQ(first->get(), again->get());
  EXPECT_NE(first->get(), renamed->get());
  EXPECT_EQ(engine.stats().schema_misses, 3u);  // Money, then Order under each name
}

// A transitive check over 1,000 versions parses each text once and computes each verdict once.
TEST(Engine, TransitiveCheckParsesNothingTwice) {
  Engine engine;
  std::vector<std::string> texts;
  for (int i = 1; i <= 1000; ++i) texts.push_back(version(i));
  auto previous = parse_all(engine, texts);
  EXPECT_EQ(engine.stats().schema_misses, 1000u);

  auto candidate = *engine.parse(SchemaType::kAvro, version(1001));
  const CheckResult first = engine.check(CompatibilityLevel::kFullTransitive, *candidate, previous);
  EXPECT_TRUE(first.compatible);
  EXPECT_EQ(engine.stats().verdict_misses, 2000u);

  // Re-parsing the same texts (as a registry does per request) hits the cache.
  previous = parse_all(engine, texts);
  candidate = *engine.parse(SchemaType::kAvro, version(1001));
  EXPECT_EQ(engine.stats().schema_misses, 1001u);
  EXPECT_EQ(engine.stats().schema_hits, 1001u);
  const CheckResult second =
      engine.check(CompatibilityLevel::kFullTransitive, *candidate, previous);
  EXPECT_TRUE(second.compatible);
  EXPECT_EQ(engine.stats().verdict_misses, 2000u);
  EXPECT_EQ(engine.stats().verdict_hits, 2000u);

  // An incompatible candidate: a field without a default, so it can't read v1..v1000.
  auto breaking = *engine.parse(SchemaType::kAvro, version(1002, true));
  const CheckResult broken =
      engine.check(CompatibilityLevel::kBackwardTransitive, *breaking, previous);
  EXPECT_EQ(broken.incompatibilities.size(), 1000u);
  EXPECT_EQ(broken.incompatibilities.front().version, 1000);
  EXPECT_EQ(broken.incompatibilities.back().version, 1);
}

}  // namespace
}  // namespace sg::compat
