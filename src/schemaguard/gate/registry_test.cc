// The gate's registry commands against a live in-process registry (client/testing.h): check
// --against URL, export and import (a round trip keeps ids and versions), plan and apply.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <sstream>

#include "schemaguard/client/testing.h"
#include "schemaguard/gate/command.h"
#include "schemaguard/gate/export.h"
#include "schemaguard/gate/testing.h"
#include "schemaguard/http/testing.h"

namespace sg::gate {
namespace {

using client::testing::LiveRegistry;
using testing::kOrderOptional;
using testing::kOrderRequired;
using testing::kOrderV1;
using testing::TempRepo;

constexpr const char* kAddress = R"({"type": "record", "name": "Address", "namespace": "com.shop",
  "fields": [{"name": "street", "type": "string"}]}
)";
constexpr const char* kAddressWithCity = R"({"type": "record", "name": "Address",
  "namespace": "com.shop", "fields": [{"name": "street", "type": "string"},
  {"name": "city", "type": "string", "default": ""}]}
)";
constexpr const char* kCustomer = R"({"type": "record", "name": "Customer", "namespace": "com.shop",
  "fields": [{"name": "name", "type": "string"}, {"name": "address", "type": "com.shop.Address"}]}
)";

constexpr const char* kOrdersConfig = R"(schemas:
  - file: schemas/order-event.avsc
    subject: orders-value
)";

constexpr const char* kThreeSchemas = R"(schemas:
  - file: schemas/order-event.avsc
    subject: orders-value
  - file: schemas/customer.avsc
    subject: customers-value
    compatibility: FULL
    references:
      com.shop.Address: schemas/address.avsc
  - file: schemas/address.avsc
    subject: addresses-value
)";

client::SchemaRequest avro(std::string text) {
  client::SchemaRequest request;
  request.schema = std::move(text);
  return request;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class RegistryGateTest : public ::testing::Test {
 protected:
  RegistryGateTest() : repo_(false), client_(live_.client()) {}

  int check(const std::string& against, const std::string& format = "text") {
    CheckCommand command;
    command.config = repo_.path("schemaguard.yaml");
    command.against = against;
    command.format = format;
    return run(run_check_command, command);
  }

  int plan(bool apply, const std::string& format = "text") {
    PlanCommand command;
    command.target.config = repo_.path("schemaguard.yaml");
    command.target.registry = live_.url();
    command.format = format;
    command.apply = apply;
    return run(run_plan_command, command);
  }

  std::string export_of(const LiveRegistry& registry) {
    ExportCommand command;
    command.target.registry = registry.url();
    EXPECT_EQ(run(run_export_command, command), 0) << err_.str();
    return out_.str();
  }

  template <typename Function, typename Command>
  int run(Function function, const Command& command) {
    out_.str("");
    err_.str("");
    return function(command, out_, err_);
  }

  void registered(const std::string& subject, const std::string& schema,
                  std::vector<client::Reference> references = {}) {
    client::SchemaRequest request = avro(schema);
    request.references = std::move(references);
    auto id = client_->register_schema(subject, request);
    ASSERT_TRUE(id.ok()) << id.error().to_string();
  }

  LiveRegistry live_;
  TempRepo repo_;
  std::unique_ptr<client::RegistryClient> client_;
  std::ostringstream out_;
  std::ostringstream err_;
};

// --- check --against URL -----------------------------------------------------------------------

TEST_F(RegistryGateTest, OutageChangeFailsAgainstTheRegistryAndTheSafeOnePasses) {
  registered("orders-value", kOrderV1);
  registered("payments-value", R"({"type":"string"})");
  ASSERT_TRUE(client_->set_config("payments-value", CompatibilityLevel::kFull).ok());
  repo_.write("schemaguard.yaml", kOrdersConfig);
  repo_.write("schemas/order-event.avsc", kOrderRequired);

  ASSERT_EQ(check(live_.url()), kCheckIncompatible) << out_.str() << err_.str();
  const std::string text = out_.str();
  EXPECT_TRUE(contains(text, "schemaguard check against registry " + live_.url())) << text;
  EXPECT_TRUE(contains(text, "FAIL orders-value (schemas/order-event.avsc)")) << text;
  EXPECT_TRUE(contains(text, "READER_FIELD_MISSING_DEFAULT_VALUE")) << text;
  EXPECT_TRUE(contains(text, "schemas/order-event.avsc:8:5:")) << text;
  EXPECT_TRUE(contains(text, "against v1 (registry id 1)")) << text;
  EXPECT_TRUE(contains(text,
                       "consumers using v2 (this change) cannot read events written by "
                       "producers on v1"))
      << text;

  repo_.write("schemas/order-event.avsc", kOrderOptional);
  EXPECT_EQ(check(live_.url()), kCheckCompatible) << out_.str() << err_.str();
  EXPECT_TRUE(contains(out_.str(), "OK   orders-value")) << out_.str();

  // The registry's text is compact, the file pretty: the same schema is no change.
  repo_.write("schemas/order-event.avsc", kOrderV1);
  EXPECT_EQ(check(live_.url(), "json"), kCheckCompatible) << err_.str();
  const auto doc = boost::json::parse(out_.str()).as_object();
  EXPECT_EQ(doc.at("subjects").as_array()[0].as_object().at("status").as_string(), "unchanged");
}

TEST_F(RegistryGateTest, CompatibilityRegistryReadsTheSubjectsLevelFromTheRegistry) {
  registered("orders-value", kOrderV1);
  registered("orders-value", kOrderOptional);
  ASSERT_TRUE(client_->set_config("orders-value", CompatibilityLevel::kBackwardTransitive).ok());
  repo_.write("schemas/order-event.avsc", kOrderRequired);
  // Configured BACKWARD: only v2 is compared, and v3 reads v2's events.
  repo_.write("schemaguard.yaml", kOrdersConfig);
  EXPECT_EQ(check(live_.url()), kCheckCompatible) << out_.str() << err_.str();

  // The registry's BACKWARD_TRANSITIVE also compares v1, which lacks the field.
  repo_.write("schemaguard.yaml", std::string(kOrdersConfig) + "    compatibility: registry\n");
  ASSERT_EQ(check(live_.url(), "json"), kCheckIncompatible) << out_.str() << err_.str();
  const auto doc = boost::json::parse(out_.str()).as_object();
  const auto& subject = doc.at("subjects").as_array()[0].as_object();
  EXPECT_EQ(subject.at("level").as_string(), "BACKWARD_TRANSITIVE");
  EXPECT_EQ(subject.at("checked_versions").as_array(), (boost::json::array{1, 2}));
  EXPECT_EQ(subject.at("incompatibilities").as_array()[0].as_object().at("version").as_int64(), 1);

  // A subject without a level of its own takes the global one.
  ASSERT_TRUE(client_->set_config("", CompatibilityLevel::kNone).ok());
  repo_.write("schemaguard.yaml", R"(compatibility: registry
schemas:
  - file: schemas/order-event.avsc
    subject: other-value
)");
  registered("other-value", kOrderOptional);
  repo_.write("schemas/order-event.avsc", R"({"type": "string"})");
  EXPECT_EQ(check(live_.url(), "json"), kCheckCompatible) << out_.str() << err_.str();
  EXPECT_TRUE(contains(out_.str(), R"("level":"NONE")")) << out_.str();
}

// JSON Schema subjects are judged under their policy in the registry: LENIENT accepts a typed
// property added to an open content model, which STRICT (the default) refuses.
TEST_F(RegistryGateTest, JsonSchemaSubjectsUseTheRegistrysCompatibilityPolicy) {
  client::SchemaRequest v1;
  v1.schema_type = "JSON";
  v1.schema = R"({"type":"object","properties":{"order_id":{"type":"string"}}})";
  ASSERT_TRUE(client_->register_schema("orders-json-value", v1).ok());
  repo_.write("schemaguard.yaml",
              "schemas:\n  - file: schemas/order.json\n    subject: orders-json-value\n");
  repo_.write("schemas/order.json",
              R"({"type":"object","properties":{"order_id":{"type":"string"},)"
              R"("note":{"type":"string"}}})");
  EXPECT_EQ(check(live_.url()), kCheckIncompatible) << out_.str() << err_.str();
  EXPECT_TRUE(contains(out_.str(), "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL")) << out_.str();

  http::http_testing::Client http(live_.port());
  ASSERT_FALSE(http.connect());
  auto put = http.request(boost::beast::http::verb::put, "/config/orders-json-value",
                          R"({"compatibilityPolicy":"LENIENT"})");
  ASSERT_EQ(put.status(), 200) << put.body();
  EXPECT_EQ(check(live_.url()), kCheckCompatible) << out_.str() << err_.str();
}

TEST_F(RegistryGateTest, SoftDeletedVersionsAreNotCheckedAgainst) {
  registered("orders-value", kOrderRequired);
  registered("orders-value", kOrderOptional);
  ASSERT_TRUE(client_->delete_version("orders-value", 1).ok());
  ASSERT_TRUE(client_->set_config("orders-value", CompatibilityLevel::kForwardTransitive).ok());
  // Dropping the field breaks consumers on v1 (it is required there), but v1 is deleted.
  repo_.write("schemaguard.yaml", std::string(kOrdersConfig) + "    compatibility: registry\n");
  repo_.write("schemas/order-event.avsc", kOrderV1);
  EXPECT_EQ(check(live_.url(), "json"), kCheckCompatible) << out_.str() << err_.str();
  const auto doc = boost::json::parse(out_.str()).as_object();
  EXPECT_EQ(doc.at("subjects").as_array()[0].as_object().at("checked_versions").as_array(),
            (boost::json::array{2}));
}

TEST_F(RegistryGateTest, UnknownSubjectIsNew) {
  registered("payments-value", R"({"type":"string"})");
  repo_.write("schemaguard.yaml", kOrdersConfig);
  repo_.write("schemas/order-event.avsc", kOrderRequired);
  EXPECT_EQ(check(live_.url()), kCheckCompatible) << out_.str() << err_.str();
  EXPECT_TRUE(contains(out_.str(), "NEW  orders-value")) << out_.str();
}

TEST_F(RegistryGateTest, ReferencesResolveThroughTheRegistry) {
  registered("addresses-value", kAddress);
  registered("customers-value", kCustomer, {{"com.shop.Address", "addresses-value", 1}});
  registered("orders-value", kOrderV1);
  repo_.write("schemaguard.yaml", kThreeSchemas);
  repo_.write("schemas/order-event.avsc", kOrderV1);
  repo_.write("schemas/customer.avsc", kCustomer);
  repo_.write("schemas/address.avsc", kAddressWithCity);
  // Address changed; Customer embeds it and is re-checked (FULL) with the registry's v1.
  ASSERT_EQ(check(live_.url(), "json"), kCheckCompatible) << out_.str() << err_.str();
  const auto doc = boost::json::parse(out_.str()).as_object();
  const auto& subjects = doc.at("subjects").as_array();
  EXPECT_EQ(subjects[1].as_object().at("subject").as_string(), "customers-value");
  EXPECT_EQ(subjects[1].as_object().at("status").as_string(), "compatible");
  EXPECT_EQ(subjects[1].as_object().at("reason").as_string(),
            "references schemas/address.avsc, which changed");
}

TEST_F(RegistryGateTest, UnreachableRegistryIsExitTwoWithAClearMessage) {
  repo_.write("schemaguard.yaml", kOrdersConfig);
  repo_.write("schemas/order-event.avsc", kOrderRequired);
  EXPECT_EQ(check("http://127.0.0.1:1"), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "cannot connect to the registry at http://127.0.0.1:1 ("))
      << err_.str();
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(check("https://127.0.0.1:1"), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "cannot connect to the registry at https://127.0.0.1:1 ("))
      << err_.str();
  // "registry" without a registry in the config.
  EXPECT_EQ(check("registry"), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "no registry: pass --registry URL or set registry.url"))
      << err_.str();
}

TEST_F(RegistryGateTest, RegistryFromTheConfigWithCredentialsFromTheEnvironment) {
  registered("orders-value", kOrderV1);
  repo_.write("schemaguard.yaml", "registry:\n  url: " + live_.url() +
                                      "\n  token_env: SG_GATE_TEST_TOKEN\n" + kOrdersConfig);
  repo_.write("schemas/order-event.avsc", kOrderRequired);
  ::unsetenv("SG_GATE_TEST_TOKEN");
  EXPECT_EQ(check("registry"), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "environment variable SG_GATE_TEST_TOKEN")) << err_.str();
  ::setenv("SG_GATE_TEST_TOKEN", "secret", 1);
  EXPECT_EQ(check("registry"), kCheckIncompatible) << out_.str() << err_.str();
}

// --- export / import ---------------------------------------------------------------------------

TEST_F(RegistryGateTest, ExportImportRoundTripKeepsIdsVersionsConfigsAndModes) {
  // Ids that an empty registry would not hand out in this order: payments first, one deleted.
  registered("payments-value", R"({"type":"string"})");
  registered("addresses-value", kAddress);
  registered("addresses-value", kAddressWithCity);
  registered("customers-value", kCustomer, {{"com.shop.Address", "addresses-value", 2}});
  registered("orders-value", kOrderV1);
  registered("orders-value", kOrderOptional);
  ASSERT_TRUE(client_->delete_version("orders-value", 1).ok());
  registered("gone-value", R"({"type":"long"})");
  ASSERT_TRUE(client_->delete_subject("gone-value").ok());
  ASSERT_TRUE(client_->set_config("orders-value", CompatibilityLevel::kFullTransitive).ok());
  ASSERT_TRUE(client_->set_config("", CompatibilityLevel::kForward).ok());
  ASSERT_TRUE(client_->set_mode("payments-value", "READONLY").ok());

  const std::string exported = export_of(live_);
  EXPECT_TRUE(contains(err_.str(), "exported 5 subject(s), 7 version(s)")) << err_.str();
  auto document = parse_export(exported, "export");
  ASSERT_TRUE(document.ok()) << document.error().to_string() << exported;
  EXPECT_EQ(document->level, CompatibilityLevel::kForward);
  EXPECT_EQ(document->mode, "READWRITE");
  const ExportedSubject& orders = document->subjects.at("orders-value");
  EXPECT_EQ(orders.level, CompatibilityLevel::kFullTransitive);
  ASSERT_EQ(orders.versions.size(), 2u);
  EXPECT_TRUE(orders.versions[0].deleted);
  EXPECT_FALSE(orders.versions[1].deleted);
  EXPECT_EQ(orders.versions[1].id, 6);
  EXPECT_EQ(document->subjects.at("payments-value").mode, "READONLY");
  EXPECT_EQ(document->subjects.at("customers-value").versions[0].references.size(), 1u);

  repo_.write("export.json", exported);
  LiveRegistry target;
  ImportCommand import;
  import.target.registry = target.url();
  import.file = repo_.path("export.json");
  ASSERT_EQ(run(run_import_command, import), 0) << err_.str() << out_.str();
  EXPECT_TRUE(contains(out_.str(), "global mode IMPORT (was READWRITE)")) << out_.str();
  EXPECT_TRUE(contains(out_.str(), "registered customers-value v1 (id 4)")) << out_.str();
  EXPECT_EQ(export_of(target), exported);

  // The target is in use now: importing again needs --force (and changes nothing).
  EXPECT_EQ(run(run_import_command, import), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "already holds 5 subject(s)")) << err_.str();
  import.force = true;
  ASSERT_EQ(run(run_import_command, import), 0) << err_.str() << out_.str();
  EXPECT_EQ(export_of(target), exported);
  // And it takes ordinary registrations again.
  auto target_client = target.client();
  EXPECT_TRUE(target_client->register_schema("new-value", avro(R"({"type":"int"})")).ok());
}

TEST_F(RegistryGateTest, AnExportIsACheckBaselineWithoutItsDeletedVersions) {
  registered("orders-value", kOrderRequired);
  registered("orders-value", kOrderOptional);
  ASSERT_TRUE(client_->delete_version("orders-value", 1).ok());
  ASSERT_TRUE(client_->set_config("orders-value", CompatibilityLevel::kForwardTransitive).ok());
  ExportCommand command;
  command.target.registry = live_.url();
  command.output = repo_.path("export.json");
  ASSERT_EQ(run(run_export_command, command), 0) << err_.str();
  EXPECT_EQ(out_.str(), "");
  repo_.write("schemaguard.yaml", std::string(kOrdersConfig) + "    compatibility: registry\n");
  repo_.write("schemas/order-event.avsc", kOrderV1);
  EXPECT_EQ(check(repo_.path("export.json"), "json"), kCheckCompatible) << out_.str() << err_.str();
  EXPECT_TRUE(contains(out_.str(), R"("checked_versions":[2])")) << out_.str();
}

TEST_F(RegistryGateTest, ImportStopsOnAVersionWithoutAnId) {
  repo_.write("export.json",
              R"({"subjects": {"s": {"versions": [{"version": 1, "schema": "\"int\""}]}}})");
  ImportCommand import;
  import.target.registry = live_.url();
  import.file = repo_.path("export.json");
  EXPECT_EQ(run(run_import_command, import), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "subject 's' v1 has no id in the export")) << err_.str();
  // The mode is back to what it was.
  EXPECT_EQ(client_->global_mode().value_or(""), "READWRITE");
}

// --- plan / apply ------------------------------------------------------------------------------

TEST_F(RegistryGateTest, PlanThenApplyInDependencyOrderAndIdempotently) {
  repo_.write("schemaguard.yaml", kThreeSchemas);
  repo_.write("schemas/order-event.avsc", kOrderV1);
  repo_.write("schemas/customer.avsc", kCustomer);
  repo_.write("schemas/address.avsc", kAddress);

  ASSERT_EQ(plan(false), 0) << err_.str();
  const std::string text = out_.str();
  EXPECT_TRUE(contains(text, "3 registration(s), 1 config change(s)")) << text;
  EXPECT_TRUE(contains(text, "config     customers-value: BACKWARD -> FULL")) << text;
  EXPECT_TRUE(contains(text,
                       "register   customers-value as v1, a new subject (schemas/customer.avsc), "
                       "references com.shop.Address -> addresses-value v1"))
      << text;
  // Address before Customer, whatever the config's order.
  EXPECT_LT(text.find("register   addresses-value"), text.find("register   customers-value"));
  EXPECT_TRUE(client_->subjects().value_or(std::vector<std::string>{"x"}).empty())
      << "plan changes nothing";

  ASSERT_EQ(plan(true), 0) << err_.str() << out_.str();
  EXPECT_TRUE(contains(out_.str(), "applied 3 registration(s) and 1 config change(s)"))
      << out_.str();
  auto customer = client_->version("customers-value", 1);
  ASSERT_TRUE(customer.ok()) << customer.error().to_string();
  ASSERT_EQ(customer->references.size(), 1u);
  EXPECT_EQ(customer->references[0], (client::Reference{"com.shop.Address", "addresses-value", 1}));
  EXPECT_EQ(client_->config("customers-value", false).value_or(std::nullopt),
            CompatibilityLevel::kFull);

  // A second apply does nothing; the plan says so.
  ASSERT_EQ(plan(true), 0) << err_.str();
  EXPECT_TRUE(contains(out_.str(), "is up to date: nothing to do")) << out_.str();
  ASSERT_EQ(plan(false, "json"), 0) << err_.str();
  auto doc = boost::json::parse(out_.str()).as_object();
  EXPECT_EQ(doc.at("registrations").as_int64(), 0);
  EXPECT_EQ(doc.at("config_changes").as_int64(), 0);
  EXPECT_EQ(doc.at("subjects").as_array()[0].as_object().at("action").as_string(), "unchanged");

  // Address gains a field: Address v2, and Customer v2 pointing at it.
  repo_.write("schemas/address.avsc", kAddressWithCity);
  ASSERT_EQ(plan(false, "json"), 0) << err_.str();
  doc = boost::json::parse(out_.str()).as_object();
  EXPECT_EQ(doc.at("registrations").as_int64(), 2) << out_.str();
  ASSERT_EQ(plan(true), 0) << err_.str() << out_.str();
  EXPECT_TRUE(contains(out_.str(), "registered addresses-value v2")) << out_.str();
  EXPECT_TRUE(contains(out_.str(), "registered customers-value v2")) << out_.str();
  customer = client_->version("customers-value", 2);
  ASSERT_TRUE(customer.ok()) << customer.error().to_string();
  EXPECT_EQ(customer->references[0].version, 2);
}

TEST_F(RegistryGateTest, ApplyRefusesAnIncompatibleRegistrationReportingItAsCheckDoes) {
  repo_.write("schemaguard.yaml", kOrdersConfig);
  repo_.write("schemas/order-event.avsc", kOrderV1);
  ASSERT_EQ(plan(true), 0) << err_.str();
  repo_.write("schemas/order-event.avsc", kOrderRequired);
  EXPECT_EQ(plan(false), kCheckIncompatible);
  EXPECT_EQ(plan(true), kCheckIncompatible);
  EXPECT_TRUE(contains(out_.str(), "FAIL orders-value (schemas/order-event.avsc)")) << out_.str();
  EXPECT_TRUE(contains(out_.str(), "READER_FIELD_MISSING_DEFAULT_VALUE")) << out_.str();
  EXPECT_TRUE(contains(err_.str(), "nothing was changed")) << err_.str();
  EXPECT_EQ(client_->versions("orders-value").value_or(std::vector<int>{}), std::vector<int>{1});

  EXPECT_EQ(plan(true, "json"), kCheckIncompatible);
  auto doc = boost::json::parse(out_.str()).as_object();
  EXPECT_FALSE(doc.at("compatible").as_bool());

  repo_.write("schemas/order-event.avsc", kOrderOptional);
  EXPECT_EQ(plan(true), 0) << err_.str() << out_.str();
  EXPECT_EQ(client_->versions("orders-value").value_or(std::vector<int>{}),
            (std::vector<int>{1, 2}));
}

TEST_F(RegistryGateTest, PlanWithoutARegistryIsExitTwo) {
  repo_.write("schemaguard.yaml", kOrdersConfig);
  repo_.write("schemas/order-event.avsc", kOrderV1);
  PlanCommand command;
  command.target.config = repo_.path("schemaguard.yaml");
  EXPECT_EQ(run(run_plan_command, command), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "no registry")) << err_.str();
}

}  // namespace
}  // namespace sg::gate
