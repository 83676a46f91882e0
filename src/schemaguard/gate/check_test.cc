// `schemaguard check` end to end: temporary git repositories with real commits, an export
// file, every output format, and the inputs that must stop with exit status 2.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <regex>
#include <sstream>

#include "schemaguard/gate/command.h"
#include "schemaguard/gate/report.h"
#include "schemaguard/gate/testing.h"

namespace sg::gate {
namespace {

using testing::kOrderOptional;
using testing::kOrderRequired;
using testing::kOrderV1;
using testing::TempRepo;

constexpr const char* kConfig = R"(# the orders service
schemas:
  - file: schemas/order-event.avsc
    subject: orders-value
)";

class CheckTest : public ::testing::Test {
 protected:
  int check(const std::string& format = "text", const std::string& against = "",
            const std::string& config = "schemaguard.yaml") {
    CheckCommand command;
    command.config = repo_.path(config);
    command.against = against;
    command.format = format;
    command.tool_version = "0.1.0";
    out_.str("");
    err_.str("");
    return run_check_command(command, out_, err_);
  }

  // v1 committed on main, the working tree then holds `next`.
  void outage_setup(const char* next) {
    repo_.write("schemaguard.yaml", kConfig);
    repo_.write("schemas/order-event.avsc", kOrderV1);
    repo_.commit("v1");
    repo_.write("schemas/order-event.avsc", next);
  }

  TempRepo repo_;
  std::ostringstream out_;
  std::ostringstream err_;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(CheckTest, OutageChangeFailsNamingTheFieldTheVersionAndTheFix) {
  outage_setup(kOrderRequired);
  ASSERT_EQ(check(), kCheckIncompatible) << out_.str() << err_.str();
  const std::string text = out_.str();
  EXPECT_TRUE(contains(text, "FAIL orders-value (schemas/order-event.avsc)")) << text;
  EXPECT_TRUE(contains(text, "READER_FIELD_MISSING_DEFAULT_VALUE")) << text;
  EXPECT_TRUE(contains(text, "shipping_method")) << text;
  EXPECT_TRUE(contains(text, "give 'shipping_method' a default")) << text;
  // The field's object starts on line 8, column 5 of the new file.
  EXPECT_TRUE(contains(text, "schemas/order-event.avsc:8:5:")) << text;
  EXPECT_TRUE(contains(text, "against v1 (commit ")) << text;
  EXPECT_TRUE(contains(text,
                       "consumers using v2 (this change) cannot read events written by "
                       "producers on v1"))
      << text;
  EXPECT_FALSE(contains(text, "\x1b[")) << "no colour unless asked";
}

TEST_F(CheckTest, SafeChangePasses) {
  outage_setup(kOrderOptional);
  EXPECT_EQ(check(), kCheckCompatible) << out_.str() << err_.str();
  EXPECT_TRUE(contains(out_.str(), "OK   orders-value")) << out_.str();
  EXPECT_TRUE(contains(out_.str(), "0 incompatible, 1 compatible")) << out_.str();
}

TEST_F(CheckTest, UnchangedSchemaIsNotChecked) {
  outage_setup(kOrderV1);
  // Layout-only edits are not changes either.
  repo_.write("schemas/order-event.avsc", std::string(kOrderV1) + "\n\n");
  EXPECT_EQ(check("json"), kCheckCompatible) << err_.str();
  const auto doc = boost::json::parse(out_.str()).as_object();
  EXPECT_EQ(doc.at("subjects").as_array()[0].as_object().at("status").as_string(), "unchanged");
}

TEST_F(CheckTest, NewSchemaIsReportedAsNewAndPasses) {
  repo_.write("README", "x");
  repo_.commit("init");
  repo_.write("schemaguard.yaml", kConfig);
  repo_.write("schemas/order-event.avsc", kOrderRequired);
  EXPECT_EQ(check(), kCheckCompatible) << out_.str() << err_.str();
  EXPECT_TRUE(contains(out_.str(), "NEW  orders-value")) << out_.str();
  EXPECT_TRUE(contains(out_.str(), "1 new")) << out_.str();
}

TEST_F(CheckTest, TransitiveLevelFailsOnlyAgainstTheOlderCommit) {
  repo_.write("schemaguard.yaml", kConfig);
  repo_.write("schemas/order-event.avsc", kOrderV1);
  repo_.commit("v1");
  repo_.write("schemas/order-event.avsc", kOrderOptional);
  repo_.commit("v2: optional shipping_method");
  // Dropping the default: v3 reads v2's events (they all carry the field) but not v1's.
  repo_.write("schemas/order-event.avsc", kOrderRequired);
  EXPECT_EQ(check(), kCheckCompatible) << out_.str() << err_.str();

  repo_.write("schemaguard.yaml",
              std::string(kConfig) + "    compatibility: BACKWARD_TRANSITIVE\n");
  ASSERT_EQ(check("json"), kCheckIncompatible) << out_.str() << err_.str();
  const auto doc = boost::json::parse(out_.str()).as_object();
  const auto& subject = doc.at("subjects").as_array()[0].as_object();
  EXPECT_EQ(subject.at("level").as_string(), "BACKWARD_TRANSITIVE");
  EXPECT_EQ(subject.at("baseline_versions").as_int64(), 2);
  EXPECT_EQ(subject.at("new_version").as_int64(), 3);
  EXPECT_EQ(subject.at("checked_versions").as_array(), (boost::json::array{1, 2}));
  const auto& findings = subject.at("incompatibilities").as_array();
  ASSERT_EQ(findings.size(), 1u) << out_.str();
  EXPECT_EQ(findings[0].as_object().at("version").as_int64(), 1);
  EXPECT_EQ(findings[0].as_object().at("consequence").as_string(),
            "consumers using v3 (this change) cannot read events written by producers on v1");
}

TEST_F(CheckTest, ForwardProblemsSayWhichOldConsumersBreak) {
  repo_.write("schemaguard.yaml", std::string(kConfig) + "    compatibility: FORWARD\n");
  repo_.write("schemas/order-event.avsc", kOrderRequired);
  repo_.commit("v1 with a required shipping_method");
  // Dropping it: consumers still on v1 need it in every event and it has no default.
  repo_.write("schemas/order-event.avsc", kOrderV1);
  ASSERT_EQ(check("json"), kCheckIncompatible) << out_.str() << err_.str();
  const auto doc = boost::json::parse(out_.str()).as_object();
  const auto& finding = doc.at("subjects")
                            .as_array()[0]
                            .as_object()
                            .at("incompatibilities")
                            .as_array()[0]
                            .as_object();
  EXPECT_EQ(finding.at("direction").as_string(), "forward");
  EXPECT_EQ(finding.at("consequence").as_string(),
            "consumers still using v1 cannot read events written by producers on v2 (this "
            "change)");
  // The field is gone from the new schema: the report points at the record that lost it.
  EXPECT_EQ(finding.at("line").as_int64(), 1);
  EXPECT_EQ(finding.at("column").as_int64(), 1);
}

TEST_F(CheckTest, ColourOnlyWhenAskedFor) {
  outage_setup(kOrderRequired);
  CheckCommand command;
  command.config = repo_.path("schemaguard.yaml");
  command.colour = true;
  EXPECT_EQ(run_check_command(command, out_, err_), kCheckIncompatible);
  EXPECT_TRUE(contains(out_.str(), "\x1b[31mFAIL\x1b[0m")) << out_.str();
  // Machine formats never carry colour, whatever the caller says.
  out_.str("");
  command.format = "github";
  EXPECT_EQ(run_check_command(command, out_, err_), kCheckIncompatible);
  EXPECT_FALSE(contains(out_.str(), "\x1b[")) << out_.str();
}

TEST_F(CheckTest, DivergedBranchIsCheckedAgainstTheMergeBase) {
  outage_setup(kOrderV1);
  repo_.git({"checkout", "-q", "-b", "feature"});
  repo_.write("NOTES", "feature work");
  repo_.commit("feature");
  repo_.git({"checkout", "-q", "main"});
  // main moves on with a version the branch never saw: required shipping_method, added under
  // NONE long ago, say. Against main the branch's v1 would be a problem; against the merge
  // base it is unchanged.
  repo_.write("schemas/order-event.avsc", kOrderRequired);
  repo_.commit("main moves on");
  repo_.git({"checkout", "-q", "feature"});
  EXPECT_EQ(check("json"), kCheckCompatible) << out_.str() << err_.str();
  const auto doc = boost::json::parse(out_.str()).as_object();
  EXPECT_TRUE(contains(std::string(doc.at("baseline").as_string()), "merge base")) << out_.str();
  EXPECT_EQ(doc.at("subjects").as_array()[0].as_object().at("status").as_string(), "unchanged");
}

TEST_F(CheckTest, RenamedFileKeepsItsHistory) {
  outage_setup(kOrderV1);
  repo_.git({"mv", "schemas/order-event.avsc", "schemas/order.avsc"});
  repo_.write("schemaguard.yaml",
              "schemas:\n  - file: schemas/order.avsc\n    subject: orders-value\n");
  repo_.commit("rename");
  repo_.write("schemas/order.avsc", kOrderRequired);
  EXPECT_EQ(check("text", "git:main"), kCheckIncompatible) << out_.str() << err_.str();
}

TEST_F(CheckTest, ConfigInASubdirectoryReportsPathsFromTheRepositoryRoot) {
  repo_.write("services/orders/schemaguard.yaml", kConfig);
  repo_.write("services/orders/schemas/order-event.avsc", kOrderV1);
  repo_.commit("v1");
  repo_.write("services/orders/schemas/order-event.avsc", kOrderRequired);
  ASSERT_EQ(check("sarif", "", "services/orders/schemaguard.yaml"), kCheckIncompatible)
      << err_.str();
  EXPECT_TRUE(contains(out_.str(), R"("uri":"services/orders/schemas/order-event.avsc")"))
      << out_.str();
}

// An address record shared by the order through a registry reference.
constexpr const char* kAddressV1 = R"({"type": "record", "name": "Address", "namespace": "com.shop",
 "fields": [{"name": "street", "type": "string"}]}
)";
constexpr const char* kAddressRequiredZip =
    R"({"type": "record", "name": "Address", "namespace": "com.shop",
 "fields": [{"name": "street", "type": "string"},
            {"name": "zip", "type": "string"}]}
)";
constexpr const char* kOrderWithAddress =
    R"({"type": "record", "name": "OrderEvent", "namespace": "com.shop.orders",
 "fields": [{"name": "order_id", "type": "string"},
            {"name": "ship_to", "type": "com.shop.Address"}]}
)";
constexpr const char* kReferenceConfig = R"(compatibility: BACKWARD
schemas:
  - file: schemas/address.avsc
    subject: address-value
  - file: schemas/order-event.avsc
    strategy: topic-value
    topic: orders
    references:
      com.shop.Address: schemas/address.avsc
)";

TEST_F(CheckTest, ChangedReferencedFileRechecksItsReferrer) {
  repo_.write("schemaguard.yaml", kReferenceConfig);
  repo_.write("schemas/address.avsc", kAddressV1);
  repo_.write("schemas/order-event.avsc", kOrderWithAddress);
  repo_.commit("v1");
  EXPECT_EQ(check(), kCheckCompatible) << out_.str() << err_.str();

  repo_.write("schemas/address.avsc", kAddressRequiredZip);
  ASSERT_EQ(check("json"), kCheckIncompatible) << out_.str() << err_.str();
  const auto doc = boost::json::parse(out_.str()).as_object();
  const auto& subjects = doc.at("subjects").as_array();
  ASSERT_EQ(subjects.size(), 2u);
  const auto& order = subjects[1].as_object();
  EXPECT_EQ(order.at("subject").as_string(), "orders-value");
  EXPECT_EQ(order.at("status").as_string(), "incompatible") << out_.str();
  EXPECT_EQ(order.at("reason").as_string(), "references schemas/address.avsc, which changed");
  const auto& finding = order.at("incompatibilities").as_array()[0].as_object();
  EXPECT_TRUE(contains(std::string(finding.at("message").as_string()), "zip")) << out_.str();
  EXPECT_EQ(subjects[0].as_object().at("status").as_string(), "incompatible");
}

// The export fixture holds orders-value v1 (order_id, total_cents) and v2 (optional
// shipping_method) at FULL_TRANSITIVE, and address-value v1.
TEST_F(CheckTest, ExportFileBaseline) {
  const std::string fixture =
      std::string(SG_SOURCE_DIR) + "/src/schemaguard/gate/testdata/export.json";
  TempRepo plain(false);  // not a git repository: the export is all the history there is
  plain.write("schemaguard.yaml", "compatibility: registry\n" + std::string(kConfig));
  plain.write("schemas/order-event.avsc", kOrderOptional);
  CheckCommand command;
  command.config = plain.path("schemaguard.yaml");
  command.against = fixture;
  command.format = "json";
  EXPECT_EQ(run_check_command(command, out_, err_), kCheckCompatible) << out_.str() << err_.str();
  auto doc = boost::json::parse(out_.str()).as_object();
  EXPECT_EQ(doc.at("subjects").as_array()[0].as_object().at("status").as_string(), "unchanged");

  // Required again: breaks v1 backward (no default) under the export's FULL_TRANSITIVE.
  plain.write("schemas/order-event.avsc", kOrderRequired);
  out_.str("");
  ASSERT_EQ(run_check_command(command, out_, err_), kCheckIncompatible) << out_.str();
  doc = boost::json::parse(out_.str()).as_object();
  const auto& subject = doc.at("subjects").as_array()[0].as_object();
  EXPECT_EQ(subject.at("level").as_string(), "FULL_TRANSITIVE");
  EXPECT_EQ(subject.at("new_version").as_int64(), 3);
  const auto& finding = subject.at("incompatibilities").as_array()[0].as_object();
  EXPECT_EQ(finding.at("version").as_int64(), 1);
  EXPECT_EQ(finding.at("origin").as_string(), "export version 1");
  EXPECT_EQ(finding.at("file").as_string(), "schemas/order-event.avsc");
}

TEST_F(CheckTest, ExportFileBaselineResolvesReferences) {
  const std::string fixture =
      std::string(SG_SOURCE_DIR) + "/src/schemaguard/gate/testdata/export.json";
  TempRepo plain(false);
  plain.write("schemaguard.yaml", R"(schemas:
  - file: address.avsc
    subject: address-value
  - file: shipment.avsc
    subject: shipments-value
    references:
      com.shop.Address: address.avsc
)");
  plain.write("address.avsc", kAddressRequiredZip);
  plain.write("shipment.avsc", R"({"type": "record", "name": "Shipment", "namespace": "com.shop",
  "fields": [{"name": "id", "type": "string"}, {"name": "to", "type": "com.shop.Address"}]})");
  CheckCommand command;
  command.config = plain.path("schemaguard.yaml");
  command.against = fixture;
  command.format = "json";
  ASSERT_EQ(run_check_command(command, out_, err_), kCheckIncompatible) << out_.str() << err_.str();
  const auto doc = boost::json::parse(out_.str()).as_object();
  const auto& shipment = doc.at("subjects").as_array()[1].as_object();
  EXPECT_EQ(shipment.at("status").as_string(), "incompatible") << out_.str();
  EXPECT_EQ(shipment.at("reason").as_string(), "references address.avsc, which changed");
  // The configuration's default level, since it does not ask for the registry's.
  EXPECT_EQ(shipment.at("level").as_string(), "BACKWARD");
}

TEST(ExportBaselineParse, RejectsMalformedDocumentsWithTheirLocation) {
  auto message = [](std::string_view text) {
    auto baseline = ExportBaseline::parse(text, "export.json");
    EXPECT_FALSE(baseline.ok()) << text;
    return baseline.ok() ? std::string() : baseline.error().message();
  };
  EXPECT_EQ(message("[]"), "export.json: at /: an export is a JSON object");
  EXPECT_EQ(message("{"), "export.json: not valid JSON: incomplete JSON");
  EXPECT_EQ(message(R"({"format_version": 2, "subjects": {}})"),
            "export.json: at /format_version: this schemaguard reads format_version 1");
  EXPECT_EQ(message(R"({"subjects": {"a/b": {"compatibility": "SIDEWAYS", "versions": []}}})"),
            "export.json: at /subjects/a~1b/compatibility: must be a compatibility level such as "
            "BACKWARD");
  EXPECT_EQ(message(R"({"subjects": {"s": {"versions": [{"version": 1, "schema": "\"int\""},
                                                        {"version": 1, "schema": "\"int\""}]}}})"),
            "export.json: at /subjects/s/versions: version 1 appears twice");
  EXPECT_EQ(message(R"({"subjects": {"s": {"versions": [{"version": 1, "schema": "\"int\"",
                         "references": [{"name": "x"}]}]}}})"),
            "export.json: at /subjects/s/versions/0/references/0: a reference is {\"name\": "
            "string, \"subject\": string, \"version\": positive integer}");
}

TEST(ExportBaselineParse, VersionsSortedAndLevelsFallBackToTheGlobalOne) {
  auto baseline = ExportBaseline::parse(R"({"compatibility": "FORWARD", "subjects": {
      "s": {"versions": [{"version": 5, "schema": "\"long\"", "schemaType": "AVRO"},
                         {"version": 2, "schema": "\"int\""}]},
      "t": {"compatibility": "none", "versions": []}}})",
                                        "export.json");
  ASSERT_TRUE(baseline.ok()) << baseline.error().message();
  SchemaConfig s;
  s.subject = "s";
  auto versions = (*baseline)->versions(s);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 2);
  EXPECT_EQ((*versions)[1].text, "\"long\"");
  EXPECT_EQ((*baseline)->level("s").value_or(std::nullopt), CompatibilityLevel::kForward);
  EXPECT_EQ((*baseline)->level("t").value_or(std::nullopt), CompatibilityLevel::kNone);
  EXPECT_FALSE((*baseline)->version("s", 3).ok());
  SchemaConfig unknown;
  unknown.subject = "u";
  EXPECT_TRUE((*baseline)->versions(unknown)->empty());
}

TEST_F(CheckTest, UnknownSubjectInAnExportReferenceIsAnError) {
  outage_setup(kOrderOptional);
  repo_.write("export.json", R"({"subjects": {"orders-value": {"versions": [
      {"version": 1, "schema": "\"string\"",
       "references": [{"name": "com.shop.Address", "subject": "addresses", "version": 4}]}]}}})");
  EXPECT_EQ(check("text", repo_.path("export.json")), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "orders-value v1 (export version 1): "));
  EXPECT_TRUE(contains(err_.str(), "subject 'addresses' has no version 4")) << err_.str();
}

TEST_F(CheckTest, CommittedVersionThatDoesNotParseIsLeftOutWithAWarning) {
  repo_.write("schemaguard.yaml",
              std::string(kConfig) + "    compatibility: BACKWARD_TRANSITIVE\n");
  repo_.write("schemas/order-event.avsc", "{not json");
  repo_.commit("broken");
  repo_.write("schemas/order-event.avsc", kOrderV1);
  repo_.commit("v2");
  repo_.write("schemas/order-event.avsc", kOrderOptional);
  EXPECT_EQ(check(), kCheckCompatible) << out_.str() << err_.str();
  EXPECT_TRUE(contains(out_.str(), "warning: orders-value: v1 (commit ")) << out_.str();
  EXPECT_TRUE(contains(out_.str(), "compatible with v2 under BACKWARD_TRANSITIVE")) << out_.str();
}

TEST_F(CheckTest, RegistryLevelWithGitBaselineIsAConfigurationError) {
  repo_.write("schemaguard.yaml", "compatibility: registry\n" + std::string(kConfig));
  repo_.write("schemas/order-event.avsc", kOrderV1);
  repo_.commit("v1");
  repo_.write("schemas/order-event.avsc", kOrderOptional);
  EXPECT_EQ(check(), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "records no levels")) << err_.str();
}

// --- output formats ----------------------------------------------------------------------------

TEST_F(CheckTest, JsonFormat) {
  outage_setup(kOrderRequired);
  ASSERT_EQ(check("json"), kCheckIncompatible);
  const auto doc = boost::json::parse(out_.str()).as_object();
  EXPECT_EQ(doc.at("compatible").as_bool(), false);
  EXPECT_EQ(doc.at("exit_status").as_int64(), 1);
  const auto& finding = doc.at("subjects")
                            .as_array()[0]
                            .as_object()
                            .at("incompatibilities")
                            .as_array()[0]
                            .as_object();
  EXPECT_EQ(finding.at("type").as_string(), "READER_FIELD_MISSING_DEFAULT_VALUE");
  EXPECT_EQ(finding.at("line").as_int64(), 8);
  EXPECT_EQ(finding.at("column").as_int64(), 5);
  EXPECT_EQ(finding.at("direction").as_string(), "backward");
  EXPECT_EQ(finding.at("reader_path").as_string(), "/fields/2");
  // The plain form for the CI log goes to stderr.
  EXPECT_TRUE(contains(err_.str(),
                       "schemas/order-event.avsc:8:5: orders-value: "
                       "READER_FIELD_MISSING_DEFAULT_VALUE against v1"))
      << err_.str();
}

TEST_F(CheckTest, SarifFormat) {
  outage_setup(kOrderRequired);
  ASSERT_EQ(check("sarif"), kCheckIncompatible);
  const auto doc = boost::json::parse(out_.str()).as_object();
  EXPECT_EQ(doc.at("version").as_string(), "2.1.0");
  EXPECT_EQ(doc.at("$schema").as_string(), "https://json.schemastore.org/sarif-2.1.0.json");
  const auto& run = doc.at("runs").as_array().at(0).as_object();
  const auto& driver = run.at("tool").as_object().at("driver").as_object();
  EXPECT_EQ(driver.at("name").as_string(), "schemaguard");
  EXPECT_EQ(driver.at("version").as_string(), "0.1.0");
  const auto& rules = driver.at("rules").as_array();
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].as_object().at("id").as_string(), "READER_FIELD_MISSING_DEFAULT_VALUE");
  EXPECT_EQ(rules[0].as_object().at("name").as_string(), "ReaderFieldMissingDefaultValue");
  EXPECT_TRUE(rules[0].as_object().at("shortDescription").as_object().contains("text"));
  const auto& results = run.at("results").as_array();
  ASSERT_EQ(results.size(), 1u);
  const auto& result = results[0].as_object();
  EXPECT_EQ(result.at("ruleId").as_string(), "READER_FIELD_MISSING_DEFAULT_VALUE");
  EXPECT_EQ(result.at("ruleIndex").as_int64(), 0);
  EXPECT_EQ(result.at("level").as_string(), "error");
  EXPECT_TRUE(contains(std::string(result.at("message").as_object().at("text").as_string()),
                       "shipping_method"));
  const auto& physical =
      result.at("locations").as_array().at(0).as_object().at("physicalLocation").as_object();
  EXPECT_EQ(physical.at("artifactLocation").as_object().at("uri").as_string(),
            "schemas/order-event.avsc");
  EXPECT_EQ(physical.at("region").as_object().at("startLine").as_int64(), 8);
  EXPECT_EQ(physical.at("region").as_object().at("startColumn").as_int64(), 5);
  EXPECT_FALSE(err_.str().empty());
}

TEST_F(CheckTest, GithubFormatLinesAreExact) {
  outage_setup(kOrderRequired);
  ASSERT_EQ(check("github"), kCheckIncompatible);
  std::istringstream lines(out_.str());
  std::string first;
  std::string second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(first,
            "::error file=schemas/order-event.avsc,line=8,col=5,"
            "title=orders-value%3A READER_FIELD_MISSING_DEFAULT_VALUE breaks v1::"
            "Field 'shipping_method' (string) of record 'OrderEvent' is in the reader's schema "
            "but not in the writer's, and it has no default: a reader using this schema cannot "
            "decode records written without it.%0ABreaks: consumers using v2 (this change) "
            "cannot read events written by producers on v1.%0AFix: give 'shipping_method' a "
            "default, e.g. \"default\": \"\"");
  EXPECT_EQ(second.rfind("schemaguard check: 1 incompatible, 0 compatible, 0 new, 0 unchanged", 0),
            0u)
      << second;
}

TEST(GithubEscaping, DataAndProperties) {
  EXPECT_EQ(github_escape_data("100% a:b,c\r\nnext"), "100%25 a:b,c%0D%0Anext");
  EXPECT_EQ(github_escape_property("100% a:b,c\r\nnext"), "100%25 a%3Ab%2Cc%0D%0Anext");
}

TEST_F(CheckTest, JunitFormat) {
  repo_.write("schemaguard.yaml", std::string(kConfig) +
                                      "  - file: schemas/customer.avsc\n"
                                      "    subject: customers-value\n");
  repo_.write("schemas/order-event.avsc", kOrderV1);
  repo_.write("schemas/customer.avsc", R"({"type": "record", "name": "Customer", "fields": []})");
  repo_.commit("v1");
  repo_.write("schemas/order-event.avsc", kOrderRequired);
  repo_.write("schemas/customer.avsc",
              R"({"type": "record", "name": "Customer", "fields": [
                   {"name": "email", "type": ["null", "string"], "default": null}]})");
  ASSERT_EQ(check("junit"), kCheckIncompatible) << err_.str();
  const std::string xml = out_.str();
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  auto count = [&](const std::string& tag) {
    std::size_t n = 0;
    for (auto pos = xml.find(tag); pos != std::string::npos; pos = xml.find(tag, pos + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<testsuite "), 1u);
  EXPECT_EQ(count("<testcase "), 2u);
  EXPECT_EQ(count("</testcase>"), 2u);
  EXPECT_EQ(count("<failure "), 1u);
  EXPECT_EQ(count("</failure>"), 1u);
  EXPECT_TRUE(contains(xml, "<testsuite name=\"schemaguard check\" tests=\"2\" failures=\"1\""))
      << xml;
  EXPECT_TRUE(contains(xml, "name=\"orders-value\"")) << xml;
  EXPECT_TRUE(contains(xml, "&apos;shipping_method&apos;")) << xml;
  // Well-formed enough: every element opened is closed, in order.
  std::vector<std::string> stack;
  const std::regex tag(R"(<(/?)([A-Za-z-]+)[^>]*?(/?)>)");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), tag); it != std::sregex_iterator();
       ++it) {
    const auto& m = *it;
    if (m[3] == "/") continue;
    if (m[1] == "/") {
      ASSERT_FALSE(stack.empty());
      EXPECT_EQ(stack.back(), m[2].str());
      stack.pop_back();
    } else {
      stack.push_back(m[2].str());
    }
  }
  EXPECT_TRUE(stack.empty());
}

// --- bad input: a clear message and exit status 2 ----------------------------------------------

TEST_F(CheckTest, MissingConfigFile) {
  EXPECT_EQ(check(), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "configuration file not found")) << err_.str();
}

TEST_F(CheckTest, InvalidYamlNamesTheLine) {
  repo_.write("schemaguard.yaml", "schemas:\n  - file: a.avsc\n    subject: [unclosed\n");
  EXPECT_EQ(check(), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "schemaguard.yaml:")) << err_.str();
  EXPECT_TRUE(contains(err_.str(), "invalid YAML")) << err_.str();
  EXPECT_TRUE(
      std::regex_search(err_.str(), std::regex(R"(schemaguard\.yaml:[34]:\d+: invalid YAML)")))
      << err_.str();
}

TEST_F(CheckTest, UnknownFileInConfig) {
  repo_.write("schemaguard.yaml", "schemas:\n  - file: schemas/nope.avsc\n    subject: x-value\n");
  EXPECT_EQ(check(), kCheckError);
  EXPECT_TRUE(contains(err_.str(),
                       "schemaguard.yaml:2:11: schema file 'schemas/nope.avsc' does "
                       "not exist"))
      << err_.str();
}

TEST_F(CheckTest, UnknownGitRef) {
  outage_setup(kOrderOptional);
  EXPECT_EQ(check("text", "git:no-such-branch"), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "git ref 'no-such-branch' does not exist")) << err_.str();
}

TEST_F(CheckTest, NoMainBranch) {
  outage_setup(kOrderOptional);
  repo_.git({"branch", "-q", "-m", "main", "trunk"});
  EXPECT_EQ(check(), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "neither origin/main nor main exists")) << err_.str();
  EXPECT_EQ(check("text", "git:trunk"), kCheckCompatible) << err_.str();
}

TEST_F(CheckTest, NotAGitRepository) {
  TempRepo plain(false);
  plain.write("schemaguard.yaml", kConfig);
  plain.write("schemas/order-event.avsc", kOrderV1);
  CheckCommand command;
  command.config = plain.path("schemaguard.yaml");
  EXPECT_EQ(run_check_command(command, out_, err_), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "is not in a git repository")) << err_.str();
}

TEST_F(CheckTest, SchemaThatDoesNotParse) {
  outage_setup(R"({"type": "record", "name": "OrderEvent", "fields": [{"name": "x"}]})");
  EXPECT_EQ(check(), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "schemas/order-event.avsc: the schema does not parse"))
      << err_.str();
}

TEST_F(CheckTest, MalformedExportFile) {
  outage_setup(kOrderOptional);
  repo_.write("export.json", R"({"subjects": {"orders-value": {"versions": [{"version": 1}]}}})");
  EXPECT_EQ(check("text", repo_.path("export.json")), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "at /subjects/orders-value/versions/0/schema")) << err_.str();
  EXPECT_EQ(check("text", repo_.path("missing.json")), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "export file not found")) << err_.str();
  EXPECT_EQ(check("text", "https://127.0.0.1:1"), kCheckError);
  EXPECT_TRUE(contains(err_.str(), "cannot connect to the registry at https://127.0.0.1:1"))
      << err_.str();
}

}  // namespace
}  // namespace sg::gate
