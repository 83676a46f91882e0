#include "schemaguard/service/registry.h"

#include <gtest/gtest.h>

#include "schemaguard/storage/memory_log.h"
#include "schemaguard/storage/storage_testing.h"

namespace sg::service {
namespace {

constexpr std::string_view kOrderV1 =
    R"({"type":"record","name":"OrderEvent","fields":[{"name":"id","type":"string"}]})";
// The outage: a new required field without a default.
constexpr std::string_view kOrderRequiredShipping =
    R"({"type":"record","name":"OrderEvent","fields":[{"name":"id","type":"string"},)"
    R"({"name":"shipping_method","type":"string"}]})";
constexpr std::string_view kOrderOptionalShipping =
    R"({"type":"record","name":"OrderEvent","fields":[{"name":"id","type":"string"},)"
    R"({"name":"shipping_method","type":"string","default":"standard"}]})";

SchemaInput avro(std::string_view text) {
  SchemaInput input;
  input.schema = std::string(text);
  return input;
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  // A fresh store over the same log: what a restart sees.
  void reopen() {
    registry_.reset();
    store_.reset();
    auto store =
        registry::LogStore::open(std::make_unique<storage::storage_testing::SharedLog>(log_));
    ASSERT_TRUE(store.ok()) << store.error().message();
    store_ = std::move(*store);
    registry_ = std::make_unique<Registry>(*store_, engine_);
  }

  VersionInfo must_register(std::string_view subject, std::string_view text) {
    auto registered = registry_->register_schema(subject, avro(text));
    EXPECT_TRUE(registered.ok()) << registered.error().message();
    return registered.ok() ? *registered : VersionInfo{};
  }

  void set_level(std::optional<std::string> scope, std::string level) {
    ConfigUpdate update;
    update.compatibility_level = std::optional<std::string>(std::move(level));
    ASSERT_TRUE(registry_->put_config(scope, update).ok());
  }

  ErrorCode code_of_register(std::string_view subject, const SchemaInput& input) {
    auto registered = registry_->register_schema(subject, input);
    return registered.ok() ? ErrorCode::kInternal : registered.error().code();
  }

  std::shared_ptr<storage::MemoryLog> log_ = std::make_shared<storage::MemoryLog>();
  compat::Engine engine_;
  std::unique_ptr<registry::LogStore> store_;
  std::unique_ptr<Registry> registry_;
};

TEST_F(RegistryTest, ReRegistrationIsIdempotentAndWritesNothing) {
  const VersionInfo first = must_register("orders-value", kOrderV1);
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.schema->id, 1);
  const auto end = log_->end();
  // Same schema with different whitespace: same id and version, no new record.
  const VersionInfo again = must_register(
      "orders-value",
      R"({ "type": "record", "name": "OrderEvent", "fields": [ {"name": "id", "type": "string"} ] })");
  EXPECT_EQ(again.version, 1);
  EXPECT_EQ(again.schema->id, 1);
  EXPECT_EQ(*log_->end(), *end);
}

TEST_F(RegistryTest, StoresTheCanonicalRendering) {
  const VersionInfo info = must_register(
      "s",
      R"({ "type" : "record", "name":"R", "namespace":"a.b", "fields":[{"type":"int","name":"x"}]})");
  EXPECT_EQ(
      info.schema->schema,
      R"({"type":"record","name":"R","namespace":"a.b","fields":[{"name":"x","type":"int"}]})");
}

TEST_F(RegistryTest, SameSchemaInTwoSubjectsSharesOneId) {
  must_register("a", R"("int")");
  const VersionInfo a = must_register("a", R"("long")");
  const VersionInfo b = must_register("b", R"("long")");
  EXPECT_EQ(a.schema->id, b.schema->id);
  EXPECT_EQ(a.version, 2);
  EXPECT_EQ(b.version, 1);
}

TEST_F(RegistryTest, TheOutageChangeIsRejectedWithAnExplanation) {
  must_register("orders-value", kOrderV1);
  auto bad = registry_->register_schema("orders-value", avro(kOrderRequiredShipping));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kIncompatibleSchema);
  EXPECT_NE(bad.error().message().find("READER_FIELD_MISSING_DEFAULT_VALUE"), std::string::npos)
      << bad.error().message();
  EXPECT_NE(bad.error().message().find("shipping_method"), std::string::npos);
  EXPECT_NE(bad.error().message().find("{oldSchemaVersion: 1}"), std::string::npos);
  EXPECT_NE(bad.error().message().find("compatibility: 'BACKWARD'"), std::string::npos);
  const VersionInfo good = must_register("orders-value", kOrderOptionalShipping);
  EXPECT_EQ(good.version, 2);
  EXPECT_EQ(good.schema->id, 2);
}

TEST_F(RegistryTest, VersionNumbersAreNotReusedAfterSoftDeletes) {
  set_level(std::nullopt, "NONE");
  const VersionInfo v1 = must_register("s", R"("string")");
  must_register("s", R"("int")");
  ASSERT_TRUE(registry_->delete_version("s", 1, false).ok());
  ASSERT_TRUE(registry_->delete_version("s", 2, false).ok());
  const VersionInfo again = must_register("s", R"("string")");
  EXPECT_EQ(again.version, 3);
  EXPECT_EQ(again.schema->id, v1.schema->id);
  // v1 had the same id and was soft-deleted: it made way (tombstoned).
  auto versions = registry_->list_versions("s", true, false);
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(*versions, (std::vector<int>{2, 3}));
}

TEST_F(RegistryTest, DeleteRules) {
  must_register("s", R"("string")");
  EXPECT_EQ(registry_->delete_version("s", 1, true).error().code(),
            ErrorCode::kVersionNotSoftDeleted);
  EXPECT_EQ(registry_->delete_subject("s", true).error().code(), ErrorCode::kSubjectNotSoftDeleted);
  ASSERT_TRUE(registry_->delete_version("s", 1, false).ok());
  EXPECT_EQ(registry_->delete_version("s", 1, false).error().code(),
            ErrorCode::kVersionSoftDeleted);
  EXPECT_EQ(registry_->delete_subject("s", false).error().code(), ErrorCode::kSubjectSoftDeleted);
  EXPECT_EQ(registry_->get_version("s", 1, false).error().code(), ErrorCode::kSubjectNotFound);
  EXPECT_TRUE(registry_->get_version("s", 1, true).ok());
  // The id stays readable after a soft delete.
  EXPECT_TRUE(registry_->schema_by_id(1, std::nullopt).ok());
  auto deleted = registry_->delete_subject("s", true);
  ASSERT_TRUE(deleted.ok()) << deleted.error().message();
  EXPECT_EQ(*deleted, std::vector<int>{1});
  EXPECT_EQ(registry_->schema_by_id(1, std::nullopt).error().code(), ErrorCode::kSchemaNotFound);
  EXPECT_EQ(registry_->delete_subject("s", false).error().code(), ErrorCode::kSubjectNotFound);
  EXPECT_EQ(registry_->delete_version("nope", 1, false).error().code(),
            ErrorCode::kSubjectNotFound);
}

TEST_F(RegistryTest, ReferencesResolveAndBlockDeletes) {
  must_register("address",
                R"({"type":"record","name":"Address","fields":[{"name":"city","type":"string"}]})");
  SchemaInput order =
      avro(R"({"type":"record","name":"Order","fields":[{"name":"to","type":"Address"}]})");
  order.references.push_back(SchemaReference{"Address", "address", -1});
  auto registered = registry_->register_schema("order", order);
  ASSERT_TRUE(registered.ok()) << registered.error().message();
  ASSERT_EQ(registered->schema->references.size(), 1u);
  EXPECT_EQ(registered->schema->references[0].version, 1);  // -1 stored as the concrete version
  auto users = registry_->referenced_by("address", 1, false);
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(*users, std::vector<int>{registered->schema->id});
  EXPECT_EQ(registry_->delete_version("address", 1, false).error().code(),
            ErrorCode::kReferenceExists);
  EXPECT_EQ(registry_->delete_subject("address", false).error().code(),
            ErrorCode::kReferenceExists);
  // A reference to something that does not exist is an invalid schema.
  order.references[0].subject = "missing";
  EXPECT_EQ(code_of_register("order2", order), ErrorCode::kInvalidSchema);
}

TEST_F(RegistryTest, LevelsCheckTheRightVersions) {
  // v1 has no `b`; v2 adds it with a default; v3 drops the default. BACKWARD only compares v3
  // with v2 (both have `b`), BACKWARD_TRANSITIVE also with v1 (which lacks it).
  must_register("s", R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"}]})");
  must_register(
      "s",
      R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0}]})");
  constexpr std::string_view v3 =
      R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]})";
  auto backward = registry_->check_compatibility("s", std::nullopt, avro(v3), false, true);
  ASSERT_TRUE(backward.ok());
  EXPECT_TRUE(backward->compatible);
  ConfigUpdate update;
  update.compatibility_level = std::optional<std::string>("backward_transitive");
  ASSERT_TRUE(registry_->put_config(std::string("s"), update).ok());
  auto transitive = registry_->check_compatibility("s", std::nullopt, avro(v3), false, true);
  ASSERT_TRUE(transitive.ok());
  EXPECT_FALSE(transitive->compatible);
  // Against a named version only.
  auto against_v2 = registry_->check_compatibility("s", 2, avro(v3), false, false);
  ASSERT_TRUE(against_v2.ok());
  EXPECT_TRUE(against_v2->compatible);
  EXPECT_EQ(registry_->check_compatibility("s", 7, avro(v3), false, false).error().code(),
            ErrorCode::kVersionNotFound);
  // A subject without versions accepts anything.
  EXPECT_TRUE(
      registry_->check_compatibility("new", std::nullopt, avro(v3), false, false)->compatible);
}

TEST_F(RegistryTest, ConfigResolutionAndFieldSemantics) {
  EXPECT_EQ(*registry_->get_config(std::nullopt, false)->compatibility_level, "BACKWARD");
  EXPECT_EQ(registry_->get_config(std::string("s"), false).error().code(),
            ErrorCode::kSubjectCompatibilityNotConfigured);
  ConfigUpdate global;
  global.compatibility_level = std::optional<std::string>("FULL");
  ASSERT_TRUE(registry_->put_config(std::string(""), global).ok());
  EXPECT_EQ(*registry_->get_config(std::string("s"), true)->compatibility_level, "FULL");
  ConfigUpdate bad;
  bad.compatibility_level = std::optional<std::string>("SIDEWAYS");
  EXPECT_EQ(registry_->put_config(std::string("s"), bad).error().code(),
            ErrorCode::kInvalidCompatibilityLevel);
  EXPECT_EQ(registry_->delete_config(std::string("s")).error().code(), ErrorCode::kSubjectNotFound);
  auto deleted = registry_->delete_config(std::nullopt);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted->compatibility_level, "FULL");
  EXPECT_EQ(*registry_->get_config(std::nullopt, false)->compatibility_level, "BACKWARD");
}

TEST_F(RegistryTest, ModesGateWrites) {
  set_level(std::nullopt, "NONE");
  must_register("s", R"("string")");
  ASSERT_TRUE(registry_->put_mode(std::string("s"), std::string("readonly"), false).ok());
  EXPECT_EQ(*registry_->get_mode(std::string("s"), false), "READONLY");
  // Re-registering what exists still answers (lookup shortcut); anything new is refused.
  EXPECT_TRUE(registry_->register_schema("s", avro(R"("string")")).ok());
  EXPECT_EQ(code_of_register("s", avro(R"("int")")), ErrorCode::kOperationNotPermitted);
  EXPECT_EQ(registry_->put_mode(std::string("s"), std::string("SIDEWAYS"), false).error().code(),
            ErrorCode::kInvalidMode);
  // IMPORT needs an empty scope.
  EXPECT_EQ(registry_->put_mode(std::nullopt, std::string("IMPORT"), false).error().code(),
            ErrorCode::kOperationNotPermitted);
  EXPECT_EQ(registry_->get_mode(std::string("t"), false).error().code(),
            ErrorCode::kSubjectModeNotConfigured);
}

TEST_F(RegistryTest, ImportModeKeepsGivenIdsAndVersions) {
  ASSERT_TRUE(registry_->put_mode(std::string("imp"), std::string("IMPORT"), false).ok());
  SchemaInput input = avro(R"("string")");
  input.id = 100;
  input.version = 5;
  auto imported = registry_->register_schema("imp", input);
  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_EQ(imported->schema->id, 100);
  EXPECT_EQ(imported->version, 5);
  // The id is taken by different content: refused.
  SchemaInput clash = avro(R"("int")");
  clash.id = 100;
  clash.version = 6;
  EXPECT_EQ(code_of_register("imp", clash), ErrorCode::kOperationNotPermitted);
  // Outside IMPORT, an explicit id is refused.
  SchemaInput with_id = avro(R"("long")");
  with_id.id = 7;
  EXPECT_EQ(code_of_register("other", with_id), ErrorCode::kOperationNotPermitted);
  // The next normal registration in the context allocates above the imported id.
  EXPECT_EQ(must_register("other", R"("long")").schema->id, 101);
}

TEST_F(RegistryTest, ContextsHaveTheirOwnIds) {
  const VersionInfo plain = must_register("s", R"("string")");
  const VersionInfo qualified = must_register(":.team:s", R"("int")");
  EXPECT_EQ(plain.schema->id, 1);
  EXPECT_EQ(qualified.schema->id, 1);
  EXPECT_EQ(registry_->list_contexts(), (std::vector<std::string>{".", ".team"}));
  auto by_id = registry_->schema_by_id(1, std::string(":.team:s"));
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->schema->schema, R"("int")");
  EXPECT_EQ(registry_->list_subjects(":.team:", false, false),
            std::vector<std::string>{":.team:s"});
  EXPECT_EQ(registry_->delete_context(".team").error().code(), ErrorCode::kContextNotEmpty);
}

TEST_F(RegistryTest, LookupFindsVersionsAndReportsWhatIsMissing) {
  set_level(std::nullopt, "NONE");
  must_register("s", R"("string")");
  must_register("s", R"("int")");
  auto found = registry_->lookup("s", avro(R"( "string" )"), false, false);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->version, 1);
  EXPECT_EQ(registry_->lookup("s", avro(R"("long")"), false, false).error().code(),
            ErrorCode::kSchemaNotFound);
  EXPECT_EQ(registry_->lookup("nope", avro(R"("long")"), false, false).error().code(),
            ErrorCode::kSubjectNotFound);
  EXPECT_EQ(registry_->lookup("s", avro(R"({"type":)"), false, false).error().code(),
            ErrorCode::kInvalidSchema);
}

TEST_F(RegistryTest, StateSurvivesReopen) {
  set_level(std::nullopt, "NONE");
  must_register("s", R"("string")");
  ASSERT_TRUE(registry_->delete_version("s", 1, false).ok());
  must_register("s", R"("int")");
  reopen();
  auto versions = registry_->list_versions("s", true, false, true);
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(*versions, (std::vector<int>{-1, 2}));
  EXPECT_EQ(must_register("t", R"("long")").schema->id, 3);
}

TEST(ParseVersion, AcceptsLatestAndPositiveIntsOnly) {
  EXPECT_EQ(*parse_version("latest"), kLatestVersion);
  EXPECT_EQ(*parse_version("-1"), kLatestVersion);
  EXPECT_EQ(*parse_version("2147483647"), 2147483647);
  for (std::string_view bad : {"0", "-2", "2147483648", "abc", "", "1.5", "Latest"}) {
    EXPECT_EQ(parse_version(bad).error().code(), ErrorCode::kInvalidVersion) << bad;
  }
}

TEST(ValidateSubject, RejectsReservedAndControlCharacters) {
  EXPECT_TRUE(validate_subject("orders-value").ok());
  EXPECT_TRUE(validate_subject("").ok());
  for (std::string_view bad : {"__GLOBAL", "__EMPTY", "a\nb", ":.__GLOBAL:x"}) {
    EXPECT_EQ(validate_subject(bad).error().code(), ErrorCode::kInvalidSubject) << bad;
  }
}

}  // namespace
}  // namespace sg::service
