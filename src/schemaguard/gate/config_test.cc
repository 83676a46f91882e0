#include "schemaguard/gate/config.h"

#include <gtest/gtest.h>

#include "schemaguard/gate/testing.h"

namespace sg::gate {
namespace {

using testing::TempRepo;

class ConfigTest : public ::testing::Test {
 protected:
  ConfigTest() : dir_(false) {
    dir_.write(
        "schemas/order.avsc",
        R"({"type": "record", "name": "OrderEvent", "namespace": "com.shop", "fields": []})");
    dir_.write("schemas/events/a.avsc",
               R"({"type": "record", "name": "com.shop.A", "fields": []})");
    dir_.write("schemas/events/deep/b.avsc", R"({"type": "record", "name": "B", "fields": []})");
    dir_.write("schemas/customer.json", R"({"title": "Customer", "type": "object"})");
    dir_.write("schemas/money.proto", "syntax = \"proto3\";\nmessage Money {}\n");
    dir_.write("schemas/notes.txt", "x");
  }

  Result<Config> parse(const std::string& yaml) {
    return parse_config(yaml, dir_.root(), "schemaguard.yaml");
  }

  // The error message of a config that must fail.
  std::string error_of(const std::string& yaml) {
    auto config = parse(yaml);
    EXPECT_FALSE(config.ok()) << yaml;
    if (config.ok()) return "";
    EXPECT_EQ(config.error().code(), ErrorCode::kInvalidArgument);
    return config.error().message();
  }

  TempRepo dir_;
};

TEST_F(ConfigTest, EveryWayToNameASubject) {
  auto config = parse(R"(
version: 1
compatibility: FULL
registry:
  url: https://registry.example.com:8081
  username_env: SR_USER
  password_env: SR_PASSWORD
schemas:
  - file: schemas/order.avsc
    subject: orders-value
    compatibility: BACKWARD_TRANSITIVE
    references:
      com.shop.A: schemas/events/a.avsc
  - file: "schemas/events/**/*.avsc"
    strategy: record-name
  - file: schemas/customer.json
    strategy: topic-key
    topic: customers
  - file: schemas/money.proto
    strategy: topic-value
    topic: payments
    compatibility: registry
)");
  ASSERT_TRUE(config.ok()) << config.error().message();
  ASSERT_TRUE(config->registry);
  EXPECT_EQ(config->registry->url, "https://registry.example.com:8081");
  EXPECT_EQ(config->registry->username_env, "SR_USER");
  ASSERT_EQ(config->schemas.size(), 5u);
  const auto& order = config->schemas[0];
  EXPECT_EQ(order.subject, "orders-value");
  EXPECT_EQ(order.type, SchemaType::kAvro);
  EXPECT_EQ(order.level, CompatibilityLevel::kBackwardTransitive);
  EXPECT_EQ(order.line, 9);
  ASSERT_EQ(order.references.size(), 1u);
  EXPECT_EQ(order.references[0].name, "com.shop.A");
  EXPECT_EQ(order.references[0].file, "schemas/events/a.avsc");
  EXPECT_EQ(config->schemas[1].file, "schemas/events/a.avsc");
  EXPECT_EQ(config->schemas[1].subject, "com.shop.A");
  EXPECT_EQ(config->schemas[1].level, CompatibilityLevel::kFull);
  EXPECT_EQ(config->schemas[2].file, "schemas/events/deep/b.avsc");
  EXPECT_EQ(config->schemas[2].subject, "B");
  EXPECT_EQ(config->schemas[3].subject, "customers-key");
  EXPECT_EQ(config->schemas[3].type, SchemaType::kJson);
  EXPECT_EQ(config->schemas[4].subject, "payments-value");
  EXPECT_EQ(config->schemas[4].type, SchemaType::kProtobuf);
  EXPECT_TRUE(config->schemas[4].level_from_registry);
  EXPECT_FALSE(config->schemas[4].level);
}

TEST_F(ConfigTest, DefaultLevelIsBackwardAndTypeCanBeGiven) {
  dir_.write("schemas/legacy.schema", R"({"type": "string"})");
  auto config = parse(R"(
schemas:
  - file: schemas/legacy.schema
    type: AVRO
    strategy: topic-value
    topic: legacy
)");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->schemas[0].level, CompatibilityLevel::kBackward);
  EXPECT_EQ(config->schemas[0].type, SchemaType::kAvro);
  EXPECT_FALSE(config->schemas[0].level_from_registry);
}

TEST_F(ConfigTest, StrictValidationNamesTheLine) {
  EXPECT_EQ(error_of("schemas:\n  - file: schemas/order.avsc\n    subjet: orders-value\n"),
            "schemaguard.yaml:3:5: unknown key 'subjet' in a schema entry (expected one of: file, "
            "subject, strategy, topic, type, compatibility, references)");
  EXPECT_EQ(error_of("schemas:\n  - file: schemas/order.avsc\n    subject: orders-value\n"
                     "color: red\n"),
            "schemaguard.yaml:4:1: unknown key 'color' in the configuration (expected one of: "
            "version, compatibility, registry, schemas)");
  EXPECT_EQ(error_of("schemas: schemas/order.avsc\n"),
            "schemaguard.yaml:1:10: 'schemas' must be a non-empty list of entries");
  EXPECT_EQ(error_of("schemas:\n  - file: [a, b]\n    subject: x\n"),
            "schemaguard.yaml:2:11: 'file' must be a non-empty string");
  EXPECT_EQ(error_of("schemas:\n  - file: schemas/order.avsc\n    subject: x\n"
                     "    compatibility: SIDEWAYS\n"),
            "schemaguard.yaml:4:20: unknown compatibility level 'SIDEWAYS' (expected NONE, "
            "BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE "
            "or registry)");
  EXPECT_EQ(error_of("schemas:\n  - file: schemas/order.avsc\n"),
            "schemaguard.yaml:2:5: a schema entry needs 'subject' or 'strategy' (topic-value, "
            "topic-key, record-name, topic-record-name)");
  EXPECT_EQ(error_of("schemas:\n  - file: schemas/order.avsc\n    strategy: topic-value\n"),
            "schemaguard.yaml:3:15: strategy topic-value needs 'topic'");
  EXPECT_EQ(
      error_of("schemas:\n  - file: schemas/missing.avsc\n    subject: x\n")
          .rfind("schemaguard.yaml:2:11: schema file 'schemas/missing.avsc' does not exist", 0),
      0u);
  EXPECT_EQ(error_of("schemas:\n  - file: schemas/*.avro\n    strategy: record-name\n"),
            "schemaguard.yaml:2:11: 'schemas/*.avro' matches no files");
  EXPECT_EQ(error_of("schemas:\n  - file: schemas/notes.txt\n    subject: x\n"),
            "schemaguard.yaml:2:11: cannot tell the schema type of 'schemas/notes.txt' from its "
            "extension (.avsc, .json, .proto); give 'type'");
  EXPECT_EQ(error_of("schemas:\n  - file: schemas/order.avsc\n    subject: x\n"
                     "    references:\n      com.shop.A: schemas/events/a.avsc\n"),
            "schemaguard.yaml:5:19: referenced file 'schemas/events/a.avsc' is not mapped to a "
            "subject by any entry (a reference is resolved as that subject's version)");
  EXPECT_EQ(error_of("schemas:\n  - file: schemas/order.avsc\n    subject: x\n"
                     "  - file: schemas/customer.json\n    subject: x\n"),
            "schemaguard.yaml:4:5: subject 'x' is already used by 'schemas/order.avsc' (line 2)");
  EXPECT_EQ(error_of("schemas:\n  - file: schemas/events/**\n    subject: x\n"),
            "schemaguard.yaml:3:14: 'schemas/events/**' matches 2 files, which cannot share one "
            "subject; use a strategy");
  EXPECT_EQ(error_of("registry:\n  url: registry:8081\nschemas:\n  - file: schemas/order.avsc\n"
                     "    subject: x\n"),
            "schemaguard.yaml:2:8: 'url' must start with http:// or https://");
  EXPECT_EQ(error_of(""), "schemaguard.yaml: the file is empty");
}

TEST_F(ConfigTest, RegistryTlsFilesAreRelativeToTheConfig) {
  dir_.write("tls/ca.pem", "x");
  dir_.write("tls/ci.pem", "x");
  dir_.write("tls/ci-key.pem", "x");
  auto config = parse(
      "registry:\n  url: https://registry.example:8081\n  ca_file: tls/ca.pem\n"
      "  cert_file: tls/ci.pem\n  key_file: ./tls/ci-key.pem\n"
      "schemas:\n  - file: schemas/order.avsc\n    subject: x\n");
  ASSERT_TRUE(config.ok()) << config.error().message();
  ASSERT_TRUE(config->registry);
  EXPECT_EQ(config->registry->ca_file, (dir_.root() / "tls/ca.pem").string());
  EXPECT_EQ(config->registry->cert_file, (dir_.root() / "tls/ci.pem").string());
  EXPECT_EQ(config->registry->key_file, (dir_.root() / "tls/ci-key.pem").string());

  const std::string schemas = "schemas:\n  - file: schemas/order.avsc\n    subject: x\n";
  EXPECT_EQ(
      error_of("registry:\n  url: https://r\n  ca_file: tls/nope.pem\n" + schemas),
      "schemaguard.yaml:3:12: 'ca_file': no such file: " + (dir_.root() / "tls/nope.pem").string());
  EXPECT_EQ(error_of("registry:\n  url: https://r\n  cert_file: tls/ci.pem\n" + schemas),
            "schemaguard.yaml:2:3: give both 'cert_file' and 'key_file', or neither");
  EXPECT_EQ(error_of("registry:\n  url: http://r\n  ca_file: tls/ca.pem\n" + schemas),
            "schemaguard.yaml:2:3: 'ca_file', 'cert_file' and 'key_file' need an https:// 'url'");
}

TEST_F(ConfigTest, InvalidYamlNamesTheLine) {
  const std::string message = error_of("schemas:\n  - file: a\n   bad indent: [\n");
  EXPECT_EQ(message.rfind("schemaguard.yaml:", 0), 0u) << message;
  EXPECT_NE(message.find("invalid YAML"), std::string::npos) << message;
}

TEST_F(ConfigTest, LoadConfigReportsAMissingFile) {
  auto config = load_config(dir_.root() / "nope.yaml");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message().find("configuration file not found"), std::string::npos);
}

TEST(TypeFromExtension, KnownExtensions) {
  EXPECT_EQ(type_from_extension("a/b.avsc"), SchemaType::kAvro);
  EXPECT_EQ(type_from_extension("b.JSON"), SchemaType::kJson);
  EXPECT_EQ(type_from_extension("c.proto"), SchemaType::kProtobuf);
  EXPECT_FALSE(type_from_extension("d.yaml"));
}

TEST(GlobMatch, SegmentsAndDoubleStars) {
  EXPECT_TRUE(glob_match("schemas/*.avsc", "schemas/a.avsc"));
  EXPECT_FALSE(glob_match("schemas/*.avsc", "schemas/x/a.avsc"));
  EXPECT_TRUE(glob_match("schemas/**/*.avsc", "schemas/a.avsc"));
  EXPECT_TRUE(glob_match("schemas/**/*.avsc", "schemas/x/y/a.avsc"));
  EXPECT_FALSE(glob_match("schemas/**/*.avsc", "other/a.avsc"));
  EXPECT_TRUE(glob_match("**.avsc", "x/y/a.avsc"));
  EXPECT_TRUE(glob_match("schemas/v?.avsc", "schemas/v1.avsc"));
  EXPECT_FALSE(glob_match("schemas/v?.avsc", "schemas/v10.avsc"));
  EXPECT_TRUE(glob_match("schemas/[a-c].avsc", "schemas/b.avsc"));
  EXPECT_FALSE(glob_match("schemas/[!a-c].avsc", "schemas/b.avsc"));
  EXPECT_TRUE(glob_match("schemas/**", "schemas/x/y"));
}

}  // namespace
}  // namespace sg::gate
