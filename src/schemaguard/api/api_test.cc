// The REST API end to end: a real http::Server on 127.0.0.1 with add_registry_routes over a real
// service::Registry and LogStore (MemoryLog; SqliteLog for the restart test), driven by a
// blocking HTTP/1.1 client. Expectations are rest-api.md's wire facts: status, error_code,
// entity members and their omission rules.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "schemaguard/api/entities.h"
#include "schemaguard/api/routes.h"
#include "schemaguard/http/access_log.h"
#include "schemaguard/http/server.h"
#include "schemaguard/http/testing.h"
#include "schemaguard/registry/identity.h"
#include "schemaguard/storage/memory_log.h"
#include "schemaguard/storage/sqlite_log.h"

namespace sg::api {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kV1Json = "application/vnd.schemaregistry.v1+json";

// --- Schemas ----------------------------------------------------------------------------------

constexpr std::string_view kOrderV1 =
    R"({"type":"record","name":"OrderEvent","fields":[{"name":"id","type":"string"}]})";
// The outage: a new required field without a default breaks readers of old data.
constexpr std::string_view kOrderRequiredShipping =
    R"({"type":"record","name":"OrderEvent","fields":[{"name":"id","type":"string"},)"
    R"({"name":"shipping_method","type":"string"}]})";
constexpr std::string_view kOrderOptionalShipping =
    R"({"type":"record","name":"OrderEvent","fields":[{"name":"id","type":"string"},)"
    R"({"name":"shipping_method","type":"string","default":"standard"}]})";
// kOrderV1 pretty-printed: the stored (canonical) text is the same, so is the id.
constexpr std::string_view kOrderV1Spaced = R"({
  "type" : "record",
  "name" : "OrderEvent",
  "fields" : [ { "name" : "id", "type" : "string" } ]
})";

// Three versions for transitivity: C is compatible with B (B has `b`) but not with A (A lacks
// `b`, and C requires it).
constexpr std::string_view kA =
    R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"}]})";
constexpr std::string_view kB =
    R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"},)"
    R"({"name":"b","type":"string","default":"x"}]})";
constexpr std::string_view kC =
    R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"},)"
    R"({"name":"b","type":"string"}]})";

constexpr std::string_view kAddress =
    R"({"type":"record","name":"Address","namespace":"com.acme","fields":[)"
    R"({"name":"street","type":"string"}]})";
constexpr std::string_view kCustomer =
    R"({"type":"record","name":"Customer","namespace":"com.acme","fields":[)"
    R"({"name":"name","type":"string"},{"name":"address","type":"com.acme.Address"}]})";

// --- Replies ----------------------------------------------------------------------------------

// http/testing.h's reply, with accessors for JSON bodies. Converts implicitly from it, so that
// `Reply reply = client.request(...)` reads naturally.
struct Reply : http::http_testing::Reply {
  Reply(http::http_testing::Reply reply)  // NOLINT(google-explicit-constructor)
      : http::http_testing::Reply(std::move(reply)) {}

  json::value json() const {
    boost::system::error_code parse_ec;
    auto value = json::parse(body(), parse_ec);
    EXPECT_FALSE(parse_ec) << "not JSON: " << body();
    return value;
  }
  // The body's member `name`, or null (a missing member fails an expectation, not the binary).
  json::value at(std::string_view name) const {
    const json::value value = json();
    const json::value* member = value.is_object() ? value.get_object().if_contains(name) : nullptr;
    return member ? *member : json::value();
  }
  // The body as an array (empty if it is not one).
  json::array array() const {
    const json::value value = json();
    return value.is_array() ? value.get_array() : json::array();
  }
};

// --- Request bodies ----------------------------------------------------------------------------

std::string body_of(const json::object& object) {
  return json::serialize(object);
}

std::string schema_body(std::string_view schema) {
  json::object body;
  body["schema"] = schema;
  return body_of(body);
}

json::object reference(std::string_view name, std::string_view subject, int version) {
  json::object ref;
  ref["name"] = name;
  ref["subject"] = subject;
  ref["version"] = version;
  return ref;
}

// --- Expectations -----------------------------------------------------------------------------

// The Confluent error envelope with this status and code; returns the message.
std::string expect_error(const Reply& reply, int status, int code) {
  EXPECT_EQ(reply.status(), status) << reply.body();
  boost::system::error_code ec;
  auto value = json::parse(reply.body(), ec);
  if (ec || !value.is_object()) {
    ADD_FAILURE() << "not an error envelope: " << reply.body();
    return {};
  }
  const auto& object = value.as_object();
  EXPECT_EQ(object.size(), 2u) << reply.body();
  EXPECT_EQ(reply.at("error_code"), code) << reply.body();
  const json::value message = reply.at("message");
  EXPECT_TRUE(message.is_string()) << reply.body();
  return message.is_string() ? std::string(message.get_string()) : std::string();
}

// --- The fixture ------------------------------------------------------------------------------

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override { start(std::make_unique<storage::MemoryLog>()); }
  void TearDown() override { stop(); }

  void start(std::unique_ptr<storage::Log> log) {
    auto store = registry::LogStore::open(std::move(log));
    ASSERT_TRUE(store.ok()) << store.error().to_string();
    store_ = std::move(*store);
    registry_ = std::make_unique<service::Registry>(*store_, engine_);
    router_ = std::make_unique<http::Router>();
    ApiOptions api_options;
    api_options.version = "9.9.9";
    api_options.commit_id = "abc123";
    api_options.kafka_cluster_id = "kafka-1";
    api_options.deployment_attributes = {"opensource"};
    api_options.schema_search_default_limit = 3;
    api_options.schema_search_max_limit = 4;
    auto added = add_registry_routes(*router_, *registry_, api_options);
    ASSERT_TRUE(added.ok()) << added.error().to_string();
    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 2;
    options.blocking_threads = 2;
    options.shutdown_timeout = 5s;
    options.logger = http::make_quiet_logger();
    auto server = http::Server::start(options, *router_);
    ASSERT_TRUE(server.ok()) << server.error().to_string();
    server_ = std::move(*server);
    client_ = std::make_unique<http::http_testing::Client>(server_->port());
    ASSERT_FALSE(client_->connect());
  }

  void stop() {
    client_.reset();
    if (server_) server_->stop();
    server_.reset();
    router_.reset();
    registry_.reset();
    store_.reset();
  }

  Reply call(bhttp::verb verb, std::string_view target, std::string body = {},
             std::string content_type = std::string(kV1Json)) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!body.empty() && !content_type.empty()) headers.emplace_back("Content-Type", content_type);
    Reply reply = client_->request(verb, target, std::move(body), headers);
    EXPECT_FALSE(reply.ec) << reply.ec.message() << " on " << target;
    return reply;
  }
  Reply get(std::string_view target) { return call(bhttp::verb::get, target); }
  Reply post(std::string_view target, std::string body) {
    return call(bhttp::verb::post, target, std::move(body));
  }
  Reply put(std::string_view target, std::string body) {
    return call(bhttp::verb::put, target, std::move(body));
  }
  Reply del(std::string_view target) { return call(bhttp::verb::delete_, target); }

  // Registers and returns the answer's id (-1 on failure, with a test failure).
  int register_schema(std::string_view subject, std::string_view schema,
                      std::string_view query = "") {
    auto reply = post(fmt::format("/subjects/{}/versions{}", subject, query), schema_body(schema));
    EXPECT_EQ(reply.status(), 200) << subject << ": " << reply.body();
    if (reply.status() != 200) return -1;
    const json::value id = reply.at("id");
    return id.is_int64() ? static_cast<int>(id.get_int64()) : -1;
  }

  // One call of a scripted exchange and what it must answer.
  struct ScriptedCall {
    bhttp::verb verb;
    std::string target;
    std::string body;
    int status;
    std::string expected;  // the body of a 200, or the error_code of an error envelope
  };
  void run_script(std::span<const ScriptedCall> steps) {
    for (const ScriptedCall& step : steps) {
      SCOPED_TRACE(fmt::format("{} {}", step.target, step.body));
      auto reply = call(step.verb, step.target, step.body);
      if (step.status == 200) {
        EXPECT_EQ(reply.status(), 200) << step.target << " " << step.body << ": " << reply.body();
        EXPECT_EQ(reply.body(), step.expected) << step.target << " " << step.body;
      } else {
        expect_error(reply, step.status, std::stoi(step.expected));
      }
    }
  }

  compat::Engine engine_;
  std::unique_ptr<registry::LogStore> store_;
  std::unique_ptr<service::Registry> registry_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<http::http_testing::Client> client_;
};

std::string json_quoted(std::string_view text) {
  return json::serialize(json::string(text));
}

// The guid Confluent gives a schema with no references or extras (rest-api.md §5.10).
std::string guid_for(std::string_view schema) {
  registry::SchemaRecord content;
  content.schema = std::string(schema);
  auto guid = registry::schema_guid(content);
  EXPECT_TRUE(guid.ok());
  return guid.ok() ? *guid : std::string();
}

// --- Root, types, metadata --------------------------------------------------------------------

TEST_F(ApiTest, RootTypesAndServerMetadata) {
  struct Case {
    bhttp::verb verb;
    std::string target;
    std::string body;
    std::string expected;
  };
  const Case cases[] = {
      {bhttp::verb::get, "/", "", "{}"},
      {bhttp::verb::post, "/", R"({"a":"b","n":1})", "{}"},
      {bhttp::verb::post, "/", "", "{}"},
      {bhttp::verb::get, "/schemas/types", "", R"(["JSON","PROTOBUF","AVRO"])"},
      {bhttp::verb::get, "/v1/metadata/id", "",
       R"({"scope":{"path":[],"clusters":{"kafka-cluster":"kafka-1",)"
       R"("schema-registry-cluster":"schema-registry"}}})"},
      {bhttp::verb::get, "/v1/metadata/version", "", R"({"version":"9.9.9","commitId":"abc123"})"},
      {bhttp::verb::get, "/v1/metadata/deployment", "", R"({"attributes":["opensource"]})"},
  };
  for (const Case& c : cases) {
    auto reply = call(c.verb, c.target, c.body);
    EXPECT_EQ(reply.status(), 200) << c.target << ": " << reply.body();
    EXPECT_EQ(reply.body(), c.expected) << c.target;
    EXPECT_EQ(reply.header("Content-Type"), kV1Json) << c.target;
  }
  expect_error(post("/", "[1]"), 400, 400);
  expect_error(post("/", R"({"a":{}})"), 400, 400);
}

// --- Registration and reading back ------------------------------------------------------------

TEST_F(ApiTest, RegisterAndReadBackEveryShape) {
  auto registered = post("/subjects/orders-value/versions", schema_body(kOrderV1));
  ASSERT_EQ(registered.status(), 200) << registered.body();
  // 8.x RegisterSchemaResponse: id, version, guid, schemaType, schema (no references: empty).
  const std::string schema = json_quoted(kOrderV1);
  const std::string guid = json_quoted(guid_for(kOrderV1));
  EXPECT_EQ(registered.body(),
            fmt::format(R"({{"id":1,"version":1,"guid":{},"schemaType":"AVRO","schema":{}}})", guid,
                        schema));

  const std::string version_entity =
      fmt::format(R"({{"subject":"orders-value","version":1,"id":1,"guid":{},"schemaType":"AVRO",)"
                  R"("schema":{},"deleted":false}})",
                  guid, schema);
  struct Case {
    std::string target;
    std::string expected;
  };
  const Case cases[] = {
      {"/subjects", R"(["orders-value"])"},
      {"/subjects/orders-value/versions", "[1]"},
      {"/subjects/orders-value/versions/1", version_entity},
      {"/subjects/orders-value/versions/latest", version_entity},
      {"/subjects/orders-value/versions/-1", version_entity},
      {"/subjects/orders-value/versions/1/schema", std::string(kOrderV1)},
      {"/schemas/ids/1",
       fmt::format(R"({{"guid":{},"schemaType":"AVRO","schema":{}}})", guid, schema)},
      {"/schemas/ids/1?fetchMaxId=true",
       fmt::format(R"({{"guid":{},"schemaType":"AVRO","schema":{},"maxId":1}})", guid, schema)},
      {"/schemas/ids/1?subject=orders-value",
       fmt::format(R"({{"subject":"orders-value","version":1,"guid":{},"schemaType":"AVRO",)"
                   R"("schema":{},"deleted":false}})",
                   guid, schema)},
      {"/schemas/ids/1/schema", std::string(kOrderV1)},
      {"/schemas/ids/1/subjects", R"(["orders-value"])"},
      {"/schemas/ids/1/versions", R"([{"subject":"orders-value","version":1}])"},
      {"/schemas", "[" + version_entity + "]"},
      {"/schemas?subjectPrefix=orders", "[" + version_entity + "]"},
      {"/schemas?subjectPrefix=nothing", "[]"},
      {"/subjects/orders-value/versions/1/referencedby", "[]"},
  };
  for (const Case& c : cases) {
    auto reply = get(c.target);
    EXPECT_EQ(reply.status(), 200) << c.target << ": " << reply.body();
    EXPECT_EQ(reply.body(), c.expected) << c.target;
    // Raw schema text too is labelled with the negotiated JSON type, as Confluent does.
    EXPECT_EQ(reply.header("Content-Type"), kV1Json) << c.target;
  }

  // Lookup answers the Schema entity of the matching version.
  auto found = post("/subjects/orders-value", schema_body(kOrderV1Spaced));
  EXPECT_EQ(found.status(), 200) << found.body();
  EXPECT_EQ(found.body(), version_entity);

  // Accept negotiation picks the client's type.
  const Reply plain =
      client_->request(bhttp::verb::get, "/subjects", {}, {{"Accept", "application/json"}});
  EXPECT_EQ(plain.status(), 200) << plain.body();
  EXPECT_EQ(plain.header("Content-Type"), "application/json");
}

TEST_F(ApiTest, ReRegistrationIsIdempotentAndWhitespaceDoesNotMatter) {
  ASSERT_EQ(register_schema("orders-value", kOrderV1), 1);
  for (std::string_view text : {kOrderV1, kOrderV1Spaced, kOrderV1}) {
    auto again = post("/subjects/orders-value/versions", schema_body(text));
    ASSERT_EQ(again.status(), 200) << again.body();
    EXPECT_EQ(again.at("id"), 1);
    EXPECT_EQ(again.at("version"), 1);
  }
  EXPECT_EQ(get("/subjects/orders-value/versions").body(), "[1]");
  // The Java client posts with a trailing `?normalize=false` and these headers.
  const Reply java_style = client_->request(
      bhttp::verb::post, "/subjects/orders-value/versions?normalize=false", schema_body(kOrderV1),
      {{"Content-Type", std::string(kV1Json)},
       {"Accept",
        "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, "
        "application/json"},
       {"Confluent-Accept-Unknown-Properties", "true"}});
  EXPECT_EQ(java_style.status(), 200) << java_style.body();
  EXPECT_EQ(java_style.at("id"), 1);
}

TEST_F(ApiTest, SameSchemaInTwoSubjectsSharesOneId) {
  ASSERT_EQ(register_schema("a-value", kA), 1);
  ASSERT_EQ(register_schema("b-value", kOrderV1), 2);
  // b-value's v2 is kA: the id of kA, version 2 under b-value.
  auto shared = post("/subjects/b-value/versions?force=true", schema_body(kA));
  ASSERT_EQ(shared.status(), 200) << shared.body();
  EXPECT_EQ(shared.at("id"), 1);
  EXPECT_EQ(shared.at("version"), 2);
  EXPECT_EQ(get("/schemas/ids/1/subjects").body(), R"(["a-value","b-value"])");
  EXPECT_EQ(get("/schemas/ids/1/versions").body(),
            R"([{"subject":"a-value","version":1},{"subject":"b-value","version":2}])");
  EXPECT_EQ(get("/schemas/ids/1?subject=b-value").at("version"), 2);
}

TEST_F(ApiTest, TheOutageSchemaIsRejectedUnderBackward) {
  ASSERT_EQ(register_schema("orders-value", kOrderV1), 1);

  // The dry run first: the compatibility endpoints (with the Java client's trailing slash).
  auto check = post("/compatibility/subjects/orders-value/versions/latest",
                    schema_body(kOrderRequiredShipping));
  ASSERT_EQ(check.status(), 200) << check.body();
  EXPECT_EQ(check.body(), R"({"is_compatible":false})");
  auto verbose = post("/compatibility/subjects/orders-value/versions/?verbose=true",
                      schema_body(kOrderRequiredShipping));
  ASSERT_EQ(verbose.status(), 200) << verbose.body();
  EXPECT_EQ(verbose.at("is_compatible"), false);
  const json::value answer = verbose.at("messages");
  ASSERT_TRUE(answer.is_array()) << verbose.body();
  const auto& messages = answer.get_array();
  ASSERT_FALSE(messages.empty());
  EXPECT_NE(std::string(messages.at(0).as_string()).find("shipping_method"), std::string::npos)
      << verbose.body();
  EXPECT_EQ(std::string(messages.back().as_string()),
            "{validateFields: 'false', compatibility: 'BACKWARD'}");

  // The registration itself: 409 / 40901, naming the subject.
  auto rejected = post("/subjects/orders-value/versions", schema_body(kOrderRequiredShipping));
  const std::string message = expect_error(rejected, 409, 40901);
  EXPECT_NE(message.find("\"orders-value\""), std::string::npos) << message;
  EXPECT_NE(message.find("shipping_method"), std::string::npos) << message;
  EXPECT_EQ(get("/subjects/orders-value/versions").body(), "[1]");

  // With a default the field is safe.
  EXPECT_EQ(post("/compatibility/subjects/orders-value/versions?verbose=true",
                 schema_body(kOrderOptionalShipping))
                .body(),
            R"({"is_compatible":true,"messages":[]})");
  auto accepted = post("/subjects/orders-value/versions", schema_body(kOrderOptionalShipping));
  ASSERT_EQ(accepted.status(), 200) << accepted.body();
  EXPECT_EQ(accepted.at("id"), 2);
  EXPECT_EQ(accepted.at("version"), 2);

  // force=true skips the check.
  auto forced =
      post("/subjects/orders-value/versions?force=true", schema_body(kOrderRequiredShipping));
  EXPECT_EQ(forced.status(), 200) << forced.body();
  EXPECT_EQ(forced.at("version"), 3);
}

// Confluent's per-subject compatibilityPolicy: LENIENT accepts a typed property added to an
// open content model (STRICT refuses it: old events may carry that name with another type);
// it changes nothing for a new required property, and nothing for Avro.
TEST_F(ApiTest, LenientPolicyRelaxesOnlyJsonSchemaContentModelRules) {
  auto json_body = [](std::string_view schema) {
    json::object body;
    body["schemaType"] = "JSON";
    body["schema"] = schema;
    return body_of(body);
  };
  constexpr std::string_view kOpen =
      R"({"type":"object","properties":{"order_id":{"type":"string"}}})";
  constexpr std::string_view kTypedAdded =
      R"({"type":"object","properties":{"order_id":{"type":"string"},"note":{"type":"string"}}})";
  constexpr std::string_view kRequiredAdded =
      R"({"type":"object","properties":{"order_id":{"type":"string"},)"
      R"("shipping_method":{"type":"string"}},"required":["shipping_method"]})";
  ASSERT_EQ(post("/subjects/events-value/versions", json_body(kOpen)).status(), 200);
  const std::string check = "/compatibility/subjects/events-value/versions/latest";

  EXPECT_EQ(post(check, json_body(kTypedAdded)).body(), R"({"is_compatible":false})");
  // The verbose answer shows an event that breaks: `note` present with another type.
  auto verbose = post(check + "?verbose=true", json_body(kTypedAdded));
  ASSERT_EQ(verbose.status(), 200) << verbose.body();
  const std::string first(verbose.at("messages").as_array().at(0).as_string());
  EXPECT_NE(first.find("For example, the old schema accepts this event and the new schema "
                       "rejects it: {\"note\":"),
            std::string::npos)
      << first;
  ASSERT_EQ(put("/config/events-value", R"({"compatibilityPolicy":"LENIENT"})").status(), 200);
  EXPECT_EQ(post(check, json_body(kTypedAdded)).body(), R"({"is_compatible":true})");
  EXPECT_EQ(post(check, json_body(kRequiredAdded)).body(), R"({"is_compatible":false})");
  // The verdict cache keeps policies apart: back to STRICT, the same pair fails again.
  ASSERT_EQ(put("/config/events-value", R"({"compatibilityPolicy":"STRICT"})").status(), 200);
  EXPECT_EQ(post(check, json_body(kTypedAdded)).body(), R"({"is_compatible":false})");

  // Avro under LENIENT: the outage is still refused.
  ASSERT_EQ(register_schema("orders-value", kOrderV1), 2);
  ASSERT_EQ(put("/config/orders-value", R"({"compatibilityPolicy":"LENIENT"})").status(), 200);
  EXPECT_EQ(post("/compatibility/subjects/orders-value/versions/latest",
                 schema_body(kOrderRequiredShipping))
                .body(),
            R"({"is_compatible":false})");
}

TEST_F(ApiTest, CompatibilityOfAMissingSubjectOrVersion) {
  // A subject that does not exist is compatible with anything, `latest` too.
  EXPECT_EQ(post("/compatibility/subjects/nothing/versions", schema_body(kA)).body(),
            R"({"is_compatible":true})");
  EXPECT_EQ(post("/compatibility/subjects/nothing/versions/latest", schema_body(kA)).body(),
            R"({"is_compatible":true})");
  expect_error(post("/compatibility/subjects/nothing/versions/3", schema_body(kA)), 404, 40402);
  expect_error(post("/compatibility/subjects/nothing/versions/abc", schema_body(kA)), 422, 42202);
  // An invalid candidate: 42201, or with verbose an incompatible answer carrying the reason.
  expect_error(post("/compatibility/subjects/nothing/versions", schema_body("{")), 422, 42201);
  auto verbose = post("/compatibility/subjects/nothing/versions?verbose=true", schema_body("{"));
  ASSERT_EQ(verbose.status(), 200) << verbose.body();
  EXPECT_EQ(verbose.at("is_compatible"), false);
  const json::value reasons = verbose.at("messages");
  EXPECT_TRUE(reasons.is_array() && reasons.get_array().size() == 1) << verbose.body();
  json::object bad_type;
  bad_type["schema"] = kA;
  bad_type["schemaType"] = "XML";
  expect_error(post("/compatibility/subjects/nothing/versions", body_of(bad_type)), 422, 42201);
  EXPECT_EQ(post("/compatibility/subjects/nothing/versions?verbose=true", body_of(bad_type)).body(),
            R"({"is_compatible":false,"messages":["Invalid schema type XML"]})");
}

TEST_F(ApiTest, TransitiveLevelsCheckEveryVersion) {
  ASSERT_EQ(register_schema("r", kA), 1);
  ASSERT_EQ(register_schema("r", kB), 2);

  // BACKWARD (the default) compares with the newest version only: C reads B's data.
  EXPECT_EQ(post("/compatibility/subjects/r/versions", schema_body(kC)).body(),
            R"({"is_compatible":true})");
  // Against a named version: v1 fails, v2 passes, whatever the level.
  EXPECT_EQ(post("/compatibility/subjects/r/versions/1", schema_body(kC)).body(),
            R"({"is_compatible":false})");
  EXPECT_EQ(post("/compatibility/subjects/r/versions/2", schema_body(kC)).body(),
            R"({"is_compatible":true})");

  auto level = put("/config/r", R"({"compatibility":"BACKWARD_TRANSITIVE"})");
  ASSERT_EQ(level.status(), 200) << level.body();
  EXPECT_EQ(level.body(), R"({"compatibility":"BACKWARD_TRANSITIVE"})");
  auto verbose = post("/compatibility/subjects/r/versions?verbose=true", schema_body(kC));
  EXPECT_EQ(verbose.at("is_compatible"), false) << verbose.body();
  EXPECT_NE(verbose.body().find("{oldSchemaVersion: 1}"), std::string::npos) << verbose.body();
  expect_error(post("/subjects/r/versions", schema_body(kC)), 409, 40901);

  // Back to BACKWARD: the same registration passes.
  ASSERT_EQ(put("/config/r", R"({"compatibility":"BACKWARD"})").status(), 200);
  EXPECT_EQ(register_schema("r", kC), 3);
  EXPECT_EQ(get("/subjects/r/versions").body(), "[1,2,3]");
}

// --- Deletes ----------------------------------------------------------------------------------

TEST_F(ApiTest, VersionNumbersAreNotReusedAcrossSoftDeletes) {
  ASSERT_EQ(register_schema("s", kA), 1);
  ASSERT_EQ(register_schema("s", kB), 2);
  EXPECT_EQ(del("/subjects/s/versions/1").body(), "1");
  EXPECT_EQ(del("/subjects/s/versions/2").body(), "2");
  expect_error(get("/subjects/s/versions"), 404, 40401);
  EXPECT_EQ(get("/subjects/s/versions?deleted=true").body(), "[1,2]");
  EXPECT_EQ(get("/subjects/s/versions?deletedOnly=true").body(), "[1,2]");
  EXPECT_EQ(get("/subjects/s/versions?deletedAsNegative=true&deleted=true").body(), "[-1,-2]");
  EXPECT_EQ(get("/subjects?deleted=true").body(), R"(["s"])");
  EXPECT_EQ(get("/subjects?deletedOnly=true").body(), R"(["s"])");
  EXPECT_EQ(get("/subjects").body(), "[]");

  // Re-registering v1's schema: version 3 (a record for 2 still exists) with v1's id; v1 itself
  // makes way (rest-api.md §5.1 step 17).
  auto again = post("/subjects/s/versions", schema_body(kA));
  ASSERT_EQ(again.status(), 200) << again.body();
  EXPECT_EQ(again.at("id"), 1);
  EXPECT_EQ(again.at("version"), 3);
  EXPECT_EQ(get("/subjects/s/versions").body(), "[3]");
  EXPECT_EQ(get("/subjects/s/versions?deleted=true").body(), "[2,3]");
  EXPECT_EQ(get("/subjects/s/versions/latest").at("version"), 3);
}

TEST_F(ApiTest, SoftAndPermanentDeleteRules) {
  ASSERT_EQ(register_schema("s", kA), 1);
  ASSERT_EQ(register_schema("s", kB), 2);
  struct Step {
    bhttp::verb verb;
    std::string target;
    int status;
    int code;  // error_code, or 0 for a 200 with `body`
    std::string body;
  };
  const Step steps[] = {
      // A version: soft first, then permanent.
      {bhttp::verb::delete_, "/subjects/s/versions/1?permanent=true", 404, 40407, ""},
      {bhttp::verb::delete_, "/subjects/s/versions/1", 200, 0, "1"},
      {bhttp::verb::delete_, "/subjects/s/versions/1", 404, 40406, ""},
      {bhttp::verb::get, "/subjects/s/versions/1", 404, 40402, ""},
      {bhttp::verb::get, "/subjects/s/versions/1?deleted=true", 200, 0, ""},
      // The id stays readable for consumers; its subject list needs deleted=true.
      {bhttp::verb::get, "/schemas/ids/1", 200, 0, ""},
      {bhttp::verb::get, "/schemas/ids/1/subjects", 200, 0, "[]"},
      {bhttp::verb::get, "/schemas/ids/1/subjects?deleted=true", 200, 0, R"(["s"])"},
      {bhttp::verb::delete_, "/subjects/s/versions/1?permanent=true", 200, 0, "1"},
      {bhttp::verb::get, "/subjects/s/versions/1?deleted=true", 404, 40402, ""},
      {bhttp::verb::get, "/schemas/ids/1", 404, 40403, ""},
      {bhttp::verb::delete_, "/subjects/s/versions/7", 404, 40402, ""},
      {bhttp::verb::delete_, "/subjects/s/versions/zero", 422, 42202, ""},
      {bhttp::verb::delete_, "/subjects/s/versions/0", 422, 42202, ""},
      // The subject: soft first, then permanent.
      {bhttp::verb::delete_, "/subjects/s?permanent=true", 404, 40405, ""},
      {bhttp::verb::delete_, "/subjects/s", 200, 0, "[2]"},
      {bhttp::verb::delete_, "/subjects/s", 404, 40404, ""},
      {bhttp::verb::get, "/subjects/s/versions/latest", 404, 40401, ""},
      {bhttp::verb::delete_, "/subjects/s?permanent=true", 200, 0, "[2]"},
      {bhttp::verb::delete_, "/subjects/s", 404, 40401, ""},
      {bhttp::verb::delete_, "/subjects/s/versions/1", 404, 40401, ""},
      {bhttp::verb::get, "/subjects?deleted=true", 200, 0, "[]"},
  };
  for (const Step& step : steps) {
    SCOPED_TRACE(fmt::format("{} {}", step.target, step.body));
    auto reply = call(step.verb, step.target);
    if (step.code != 0) {
      expect_error(reply, step.status, step.code);
    } else {
      EXPECT_EQ(reply.status(), step.status) << step.target << ": " << reply.body();
      if (!step.body.empty()) {
        EXPECT_EQ(reply.body(), step.body) << step.target;
      }
    }
  }
  // After a hard delete a version number can come back.
  auto again = post("/subjects/s/versions", schema_body(kA));
  ASSERT_EQ(again.status(), 200) << again.body();
  EXPECT_EQ(again.at("version"), 1);
}

// --- References -------------------------------------------------------------------------------

TEST_F(ApiTest, ReferencesReferencedByAndDeleteProtection) {
  ASSERT_EQ(register_schema("address", kAddress), 1);
  json::object body;
  body["schema"] = kCustomer;
  body["references"] = json::array{reference("com.acme.Address", "address", 1)};
  auto registered = post("/subjects/customer/versions", body_of(body));
  ASSERT_EQ(registered.status(), 200) << registered.body();
  EXPECT_EQ(registered.at("id"), 2);
  EXPECT_EQ(registered.at("references"),
            json::value(json::array{reference("com.acme.Address", "address", 1)}));

  auto version = get("/subjects/customer/versions/1");
  const json::value references = json::array{reference("com.acme.Address", "address", 1)};
  EXPECT_EQ(version.at("references"), references) << version.body();
  EXPECT_EQ(get("/schemas/ids/2").at("references"), references);
  EXPECT_EQ(get("/subjects/address/versions/1/referencedby").body(), "[2]");
  EXPECT_EQ(get("/subjects/address/versions/latest/referencedby").body(), "[2]");

  // A referenced version or subject can't go (42206), until its referrer is gone.
  expect_error(del("/subjects/address/versions/1"), 422, 42206);
  expect_error(del("/subjects/address"), 422, 42206);
  EXPECT_EQ(del("/subjects/customer/versions/1").status(), 200);
  EXPECT_EQ(del("/subjects/address/versions/1").body(), "1");
  // A soft-deleted referrer still blocks the permanent delete.
  expect_error(del("/subjects/address/versions/1?permanent=true"), 422, 42206);
  EXPECT_EQ(del("/subjects/customer/versions/1?permanent=true").body(), "1");
  EXPECT_EQ(del("/subjects/address/versions/1?permanent=true").body(), "1");

  // Unresolvable or incomplete references: 42201.
  body["references"] = json::array{reference("com.acme.Address", "address", 5)};
  expect_error(post("/subjects/customer/versions", body_of(body)), 422, 42201);
  json::object incomplete;
  incomplete["name"] = "com.acme.Address";
  incomplete["subject"] = "address";
  body["references"] = json::array{incomplete};
  expect_error(post("/subjects/customer/versions", body_of(body)), 422, 42201);
  // No reference at all: the named type is unknown.
  expect_error(post("/subjects/customer/versions", schema_body(kCustomer)), 422, 42201);
}

// --- Config -----------------------------------------------------------------------------------

TEST_F(ApiTest, ConfigFieldNamesAndPartialUpdates) {
  const ScriptedCall steps[] = {
      {bhttp::verb::get, "/config", "", 200, R"({"compatibilityLevel":"BACKWARD"})"},
      // PUT answers with `compatibility`, GET with `compatibilityLevel`; levels any case.
      {bhttp::verb::put, "/config", R"({"compatibility":"full"})", 200,
       R"({"compatibility":"FULL"})"},
      {bhttp::verb::get, "/config", "", 200, R"({"compatibilityLevel":"FULL"})"},
      // `compatibilityLevel` in a PUT is an unknown member: ignored, still 200.
      {bhttp::verb::put, "/config", R"({"compatibilityLevel":"NONE"})", 200,
       R"({"compatibility":"FULL"})"},
      {bhttp::verb::get, "/config", "", 200, R"({"compatibilityLevel":"FULL"})"},
      {bhttp::verb::put, "/config", R"({"compatibility":"SIDEWAYS"})", 422, "42203"},
      // A subject without its own config: 40408 unless defaultToGlobal.
      {bhttp::verb::get, "/config/orders", "", 404, "40408"},
      {bhttp::verb::get, "/config/orders?defaultToGlobal=true", "", 200,
       R"({"compatibilityLevel":"FULL"})"},
      {bhttp::verb::put, "/config/orders", R"({"compatibility":"NONE","normalize":true})", 200,
       R"({"normalize":true,"compatibility":"NONE"})"},
      // Partial update: absent members keep their value, null clears.
      {bhttp::verb::put, "/config/orders", R"({"validateFields":true,"normalize":null})", 200,
       R"({"validateFields":true,"compatibility":"NONE"})"},
      {bhttp::verb::get, "/config/orders", "", 200,
       R"({"validateFields":true,"compatibilityLevel":"NONE"})"},
      // Members SchemaGuard keeps verbatim; metadata comes back in Confluent's canonical form.
      {bhttp::verb::put, "/config/orders",
       R"({"validateRules":true,"defaultMetadata":{"properties":{"b":"2","a":"1"},"x":1},)"
       R"("compatibilityGroup":"major"})",
       200,
       R"({"validateFields":true,"validateRules":true,"compatibility":"NONE",)"
       R"("compatibilityGroup":"major","defaultMetadata":{"properties":{"a":"1","b":"2"}}})"},
      {bhttp::verb::delete_, "/config/orders", "", 200,
       R"({"validateFields":true,"validateRules":true,"compatibilityLevel":"NONE",)"
       R"("compatibilityGroup":"major","defaultMetadata":{"properties":{"a":"1","b":"2"}}})"},
      {bhttp::verb::delete_, "/config/orders", "", 404, "40401"},
      // "" and ":.:" are the global scope.
      {bhttp::verb::get, "/config/:.:", "", 200, R"({"compatibilityLevel":"FULL"})"},
      {bhttp::verb::put, "/config/:.:", R"({"compatibility":"FORWARD"})", 200,
       R"({"compatibility":"FORWARD"})"},
      {bhttp::verb::delete_, "/config", "", 200, R"({"compatibilityLevel":"FORWARD"})"},
      {bhttp::verb::get, "/config", "", 200, R"({"compatibilityLevel":"BACKWARD"})"},
      // Bodies: malformed 400, missing 422, wrong member types 400; invalid subject 42208.
      {bhttp::verb::put, "/config", "{", 400, "400"},
      {bhttp::verb::put, "/config", "", 422, "422"},
      {bhttp::verb::put, "/config", R"({"normalize":{}})", 400, "400"},
      {bhttp::verb::put, "/config", R"({"compatibility":["FULL"]})", 400, "400"},
      {bhttp::verb::put, "/config/__GLOBAL", R"({"compatibility":"FULL"})", 422, "42208"},
      {bhttp::verb::put, "/config/x",
       R"({"defaultRuleSet":{"domainRules":[{"name":"r","type":"CEL","mode":"UPGRADE"}]}})", 422,
       "42210"},
  };
  run_script(steps);
}

// --- Mode -------------------------------------------------------------------------------------

TEST_F(ApiTest, ReadOnlyModeRefusesWritesButNotReRegistration) {
  ASSERT_EQ(register_schema("ro", kA), 1);
  auto set = put("/mode/ro", R"({"mode":"readonly"})");
  ASSERT_EQ(set.status(), 200) << set.body();
  EXPECT_EQ(set.body(), R"({"mode":"readonly"})");  // the request, echoed
  EXPECT_EQ(get("/mode/ro").body(), R"({"mode":"READONLY"})");

  expect_error(post("/subjects/ro/versions", schema_body(kB)), 422, 42205);
  expect_error(del("/subjects/ro/versions/1"), 422, 42205);
  expect_error(del("/subjects/ro"), 422, 42205);
  // Already registered: answered by the lookup shortcut, mode or not.
  auto again = post("/subjects/ro/versions", schema_body(kA));
  EXPECT_EQ(again.status(), 200) << again.body();
  // Other subjects are unaffected.
  EXPECT_EQ(register_schema("rw", kB), 2);

  const ScriptedCall steps[] = {
      {bhttp::verb::get, "/mode", "", 200, R"({"mode":"READWRITE"})"},
      {bhttp::verb::get, "/mode/rw", "", 404, "40409"},
      {bhttp::verb::get, "/mode/rw?defaultToGlobal=true", "", 200, R"({"mode":"READWRITE"})"},
      {bhttp::verb::put, "/mode/rw", R"({"mode":"SIDEWAYS"})", 422, "42204"},
      {bhttp::verb::put, "/mode/rw", R"({"mode":"FORWARD"})", 422, "42204"},
      {bhttp::verb::put, "/mode/rw", "", 422, "422"},
      {bhttp::verb::put, "/mode/rw", R"({"mode":7})", 422, "42204"},
      {bhttp::verb::put, "/mode/rw", R"({"mode":[]})", 400, "400"},
      {bhttp::verb::put, "/mode/__EMPTY", R"({"mode":"READONLY"})", 422, "42208"},
      {bhttp::verb::delete_, "/mode/ro", "", 200, R"({"mode":"READONLY"})"},
      {bhttp::verb::delete_, "/mode/ro", "", 404, "40401"},
      {bhttp::verb::get, "/mode/ro?defaultToGlobal=true", "", 200, R"({"mode":"READWRITE"})"},
      // The global mode, and a null mode clearing it.
      {bhttp::verb::put, "/mode", R"({"mode":"READONLY"})", 200, R"({"mode":"READONLY"})"},
      {bhttp::verb::get, "/mode/rw?defaultToGlobal=true", "", 200, R"({"mode":"READONLY"})"},
      {bhttp::verb::put, "/mode", R"({"mode":null})", 200, R"({"mode":null})"},
      {bhttp::verb::get, "/mode", "", 200, R"({"mode":"READWRITE"})"},
  };
  run_script(steps);
  EXPECT_EQ(register_schema("ro", kB), 2);
}

TEST_F(ApiTest, RecursiveModeDeleteClearsTheSubjectModesOfTheContext) {
  ASSERT_EQ(register_schema("with-schema", kA), 1);
  ASSERT_EQ(put("/mode/with-schema", R"({"mode":"READONLY"})").status(), 200);
  // A mode can be set for a subject that has no schema (yet).
  ASSERT_EQ(put("/mode/without-schema", R"({"mode":"READONLY_OVERRIDE"})").status(), 200);
  ASSERT_EQ(put("/mode/:.other:s", R"({"mode":"READONLY"})").status(), 200);

  // Without `recursive` only the global record goes (here there is none: READWRITE is echoed).
  EXPECT_EQ(del("/mode").body(), R"({"mode":"READWRITE"})");
  EXPECT_EQ(get("/mode/with-schema").body(), R"({"mode":"READONLY"})");

  // recursive clears every subject mode of the default context, including those of subjects
  // without schemas (KafkaSchemaRegistry.deleteModesForSubjectsUnderContext lists subjects by
  // their MODE records), and leaves other contexts alone.
  EXPECT_EQ(del("/mode?recursive=true").status(), 200);
  expect_error(get("/mode/with-schema"), 404, 40409);
  expect_error(get("/mode/without-schema"), 404, 40409);
  EXPECT_EQ(get("/mode/:.other:s").body(), R"({"mode":"READONLY"})");
}

TEST_F(ApiTest, ImportModeRegistersWithTheGivenIdAndVersion) {
  ASSERT_EQ(register_schema("live", kA), 1);
  // Entering IMPORT needs an empty scope, or force.
  expect_error(put("/mode", R"({"mode":"IMPORT"})"), 422, 42205);
  ASSERT_EQ(put("/mode/imported", R"({"mode":"IMPORT"})").body(), R"({"mode":"IMPORT"})");

  json::object body;
  body["schema"] = kOrderV1;
  // A new schema without an id is refused in IMPORT.
  expect_error(post("/subjects/imported/versions", body_of(body)), 422, 42205);

  body["id"] = 100;
  body["version"] = 5;
  auto imported = post("/subjects/imported/versions", body_of(body));
  ASSERT_EQ(imported.status(), 200) << imported.body();
  EXPECT_EQ(imported.at("id"), 100);
  EXPECT_EQ(imported.at("version"), 5);
  EXPECT_EQ(get("/subjects/imported/versions").body(), "[5]");
  EXPECT_EQ(get("/schemas/ids/100/schema").body(), kOrderV1);
  // Again: the same answer; an incompatible schema goes in too (no checks in IMPORT).
  EXPECT_EQ(post("/subjects/imported/versions", body_of(body)).at("id"), 100);
  json::object other;
  other["schema"] = kOrderRequiredShipping;
  other["id"] = 101;
  other["version"] = 6;
  EXPECT_EQ(post("/subjects/imported/versions", body_of(other)).status(), 200);
  // An id bound to other content can't be rebound.
  other["id"] = 100;
  other["version"] = 7;
  other["schema"] = kB;
  expect_error(post("/subjects/imported/versions", body_of(other)), 422, 42205);

  // Explicit ids outside IMPORT: 42205; a version that is not the next one: 42201.
  json::object outside;
  outside["schema"] = kB;
  outside["id"] = 500;
  expect_error(post("/subjects/live/versions", body_of(outside)), 422, 42205);
  outside.erase("id");
  outside["version"] = 9;
  expect_error(post("/subjects/live/versions", body_of(outside)), 422, 42201);
  outside["version"] = 2;
  EXPECT_EQ(post("/subjects/live/versions", body_of(outside)).at("version"), 2);

  // force switches a non-empty scope.
  EXPECT_EQ(put("/mode?force=true", R"({"mode":"IMPORT"})").status(), 200);
  EXPECT_EQ(get("/mode").body(), R"({"mode":"IMPORT"})");
  EXPECT_EQ(put("/mode", R"({"mode":"READWRITE"})").status(), 200);
}

// --- Contexts ---------------------------------------------------------------------------------

TEST_F(ApiTest, ContextsHaveTheirOwnIdsAndUrlPrefix) {
  ASSERT_EQ(register_schema("orders", kA), 1);
  ASSERT_EQ(register_schema("orders", kB), 2);
  // A named context counts ids from 1 again.
  EXPECT_EQ(register_schema(":.ctx:orders", kOrderV1), 1);
  EXPECT_EQ(get("/contexts").body(), R"([".",".ctx"])");
  EXPECT_EQ(get("/contexts?offset=1").body(), R"([".ctx"])");
  EXPECT_EQ(get("/subjects").body(), R"([":.ctx:orders","orders"])");
  EXPECT_EQ(get("/subjects/:.ctx:orders/versions/1").at("subject"), ":.ctx:orders");
  EXPECT_EQ(get("/schemas/ids/1/schema").body(), kA);
  EXPECT_EQ(get("/schemas/ids/1/schema?subject=:.ctx:orders").body(), kOrderV1);
  // An unqualified subject is looked for in the other contexts too.
  EXPECT_EQ(get("/schemas/ids/1?subject=orders").at("subject"), "orders");

  // The URL-prefix form: /contexts/{ctx}/... qualifies subjects with the context.
  struct Case {
    std::string target;
    std::string expected;
  };
  const Case cases[] = {
      {"/contexts/.ctx/subjects", R"([":.ctx:orders"])"},
      {"/contexts/ctx/subjects", R"([":.ctx:orders"])"},
      {"/contexts/:.ctx:/subjects", R"([":.ctx:orders"])"},
      {"/contexts/.ctx/subjects/orders/versions", "[1]"},
      {"/contexts/.ctx/subjects/orders/versions/1/schema", std::string(kOrderV1)},
      {"/contexts/.ctx/schemas/ids/1/schema", std::string(kOrderV1)},
      {"/contexts/.ctx/schemas/ids/1/subjects", R"([":.ctx:orders"])"},
      {"/contexts/.ctx/schemas?subjectPrefix=ord",
       "[" + get("/subjects/:.ctx:orders/versions/1").body() + "]"},
      {"/contexts/./subjects/orders/versions", "[1,2]"},
      {"/contexts/.ctx/config?defaultToGlobal=true", R"({"compatibilityLevel":"BACKWARD"})"},
  };
  for (const Case& c : cases) {
    auto reply = get(c.target);
    EXPECT_EQ(reply.status(), 200) << c.target << ": " << reply.body();
    EXPECT_EQ(reply.body(), c.expected) << c.target;
  }

  auto registered = post("/contexts/.ctx/subjects/payments/versions", schema_body(kB));
  ASSERT_EQ(registered.status(), 200) << registered.body();
  EXPECT_EQ(registered.at("id"), 2);
  EXPECT_EQ(get("/subjects/:.ctx:payments/versions").body(), "[1]");
  EXPECT_EQ(post("/contexts/.ctx/subjects/payments", schema_body(kB)).at("subject"),
            ":.ctx:payments");
  EXPECT_EQ(post("/contexts/.ctx/compatibility/subjects/payments/versions", schema_body(kC)).body(),
            R"({"is_compatible":true})");

  // /contexts/{ctx}/config is the context's own record (":.ctx:"), not the global one.
  EXPECT_EQ(put("/contexts/.ctx/config", R"({"compatibility":"NONE"})").body(),
            R"({"compatibility":"NONE"})");
  EXPECT_EQ(get("/config/:.ctx:").body(), R"({"compatibilityLevel":"NONE"})");
  EXPECT_EQ(get("/config").body(), R"({"compatibilityLevel":"BACKWARD"})");
  EXPECT_EQ(get("/config/:.ctx:payments?defaultToGlobal=true").body(),
            R"({"compatibilityLevel":"NONE"})");
  EXPECT_EQ(put("/contexts/.ctx/mode", R"({"mode":"READONLY"})").status(), 200);
  EXPECT_EQ(get("/mode/:.ctx:").body(), R"({"mode":"READONLY"})");
  expect_error(post("/subjects/:.ctx:payments/versions", schema_body(kOrderV1)), 422, 42205);
  EXPECT_EQ(del("/contexts/.ctx/mode").body(), R"({"mode":"READONLY"})");

  // A context name with a colon inside: 400 from the URL rewrite.
  expect_error(get("/contexts/a:b/subjects"), 400, 400);

  // Deleting contexts: only empty ones (soft-deleted subjects count).
  expect_error(del("/contexts/.ctx"), 422, 42211);
  EXPECT_EQ(del("/subjects/:.ctx:orders").status(), 200);
  EXPECT_EQ(del("/subjects/:.ctx:payments").status(), 200);
  expect_error(del("/contexts/.ctx"), 422, 42211);
  EXPECT_EQ(del("/subjects/:.ctx:orders?permanent=true").status(), 200);
  EXPECT_EQ(del("/subjects/:.ctx:payments?permanent=true").status(), 200);
  auto deleted = del("/contexts/.ctx");
  EXPECT_EQ(deleted.status(), 204) << deleted.body();
  EXPECT_EQ(deleted.body(), "");
}

TEST_F(ApiTest, UnqualifiedSubjectsAreLookedForInOtherContexts) {
  ASSERT_EQ(register_schema("orders", kA), 1);
  ASSERT_EQ(register_schema(":.ctx:payments", kOrderV1), 1);
  ASSERT_EQ(register_schema(":.ctx:payments", kOrderOptionalShipping), 2);
  // By id (rest-api.md §4.2): "payments" is not in the default context, ":.ctx:payments" is.
  auto by_id = get("/schemas/ids/2?subject=payments");
  ASSERT_EQ(by_id.status(), 200) << by_id.body();
  EXPECT_EQ(by_id.at("subject"), ":.ctx:payments");
  EXPECT_EQ(by_id.at("version"), 2);
  // Lookup (§5.3, lookUpSchemaUnderSubjectUsingContexts): the same fallback.
  auto found = post("/subjects/payments", schema_body(kOrderOptionalShipping));
  EXPECT_EQ(found.status(), 200) << found.body();
  EXPECT_EQ(found.at("subject"), ":.ctx:payments") << found.body();
  EXPECT_EQ(found.at("version"), 2) << found.body();
  // A qualified subject is never looked for elsewhere.
  expect_error(post("/subjects/:.other:payments", schema_body(kOrderV1)), 404, 40401);
}

TEST_F(ApiTest, EnteringImportModeDropsSoftDeletedVersions) {
  ASSERT_EQ(register_schema("old", kA), 1);
  ASSERT_EQ(del("/subjects/old").status(), 200);
  // No live subject: IMPORT is allowed, and what was soft-deleted goes for good (§5.2).
  ASSERT_EQ(put("/mode", R"({"mode":"IMPORT"})").status(), 200);
  EXPECT_EQ(get("/subjects?deleted=true").body(), "[]");
  expect_error(get("/schemas/ids/1"), 404, 40403);
  ASSERT_EQ(put("/mode", R"({"mode":"READWRITE"})").status(), 200);
}

// --- Errors -----------------------------------------------------------------------------------

TEST_F(ApiTest, EveryErrorAnswersTheEnvelope) {
  ASSERT_EQ(register_schema("s", kA), 1);
  json::object bad_type;
  bad_type["schema"] = kA;
  bad_type["schemaType"] = "avro";  // case-sensitive
  json::object json_type;
  json_type["schema"] = R"({"type":"object","minLength":-1})";  // not a valid JSON Schema
  json_type["schemaType"] = "JSON";
  json::object object_schema;
  object_schema["schema"] = json::object{{"type", "string"}};
  json::object bad_version;
  bad_version["schema"] = kB;
  bad_version["version"] = "two";
  json::object bad_rules;
  bad_rules["schema"] = kB;
  bad_rules["ruleSet"] = json::object{
      {"migrationRules", json::array{json::object{{"name", "m"}, {"type", "JSONATA"}}}}};
  struct Case {
    bhttp::verb verb;
    std::string target;
    std::string body;
    int status;
    int code;
    std::string content_type = std::string(kV1Json);
  };
  const Case cases[] = {
      // Framework errors: the status is the code.
      {bhttp::verb::get, "/associations/subjects/x", "", 404, 404},
      {bhttp::verb::get, "/nothing/here", "", 404, 404},
      {bhttp::verb::get, "/schemas/ids/abc", "", 404, 404},
      {bhttp::verb::get, "/schemas/ids/99999999999", "", 404, 404},
      {bhttp::verb::get, "/schemas/ids/1.0/subjects", "", 404, 404},
      {bhttp::verb::get, "/subjects?offset=x", "", 404, 404},
      {bhttp::verb::get, "/subjects/s/versions?limit=1.5", "", 404, 404},
      {bhttp::verb::put, "/subjects", "", 405, 405},
      {bhttp::verb::patch, "/config", "{}", 405, 405},
      {bhttp::verb::post, "/subjects/s/versions", schema_body(kB), 415, 415, "text/plain"},
      {bhttp::verb::post, "/subjects/s/versions", "{\"schema\":", 400, 400},
      {bhttp::verb::post, "/subjects/s/versions", "[]", 400, 400},
      {bhttp::verb::post, "/subjects/s/versions", body_of(object_schema), 400, 400},
      {bhttp::verb::post, "/subjects/s/versions", body_of(bad_version), 400, 400},
      {bhttp::verb::post, "/subjects/s/versions", "", 422, 422},
      {bhttp::verb::post, "/subjects/s/versions", "null", 422, 422},
      {bhttp::verb::post, "/subjects/s", "", 422, 422},
      {bhttp::verb::post, "/compatibility/subjects/s/versions", " ", 422, 422},
      // Registry errors.
      {bhttp::verb::get, "/subjects/nope/versions", "", 404, 40401},
      {bhttp::verb::get, "/subjects/nope/versions/1", "", 404, 40401},
      {bhttp::verb::get, "/subjects/nope/versions/latest", "", 404, 40401},
      {bhttp::verb::get, "/subjects/s/versions/9", "", 404, 40402},
      {bhttp::verb::get, "/subjects/s/versions/9/schema", "", 404, 40402},
      {bhttp::verb::get, "/subjects/s/versions/9/referencedby", "", 404, 40402},
      {bhttp::verb::get, "/subjects/s/versions/latest!", "", 422, 42202},
      {bhttp::verb::get, "/subjects/s/versions/-2", "", 422, 42202},
      {bhttp::verb::get, "/subjects/s/versions/2147483648", "", 422, 42202},
      {bhttp::verb::get, "/schemas/ids/999", "", 404, 40403},
      {bhttp::verb::get, "/schemas/ids/999/schema", "", 404, 40403},
      {bhttp::verb::get, "/schemas/ids/999/subjects", "", 404, 40403},
      {bhttp::verb::get, "/schemas/ids/999/versions", "", 404, 40403},
      {bhttp::verb::get, "/schemas/guids/00000000-0000-0000-0000-000000000000", "", 404, 40403},
      {bhttp::verb::post, "/subjects/nope", schema_body(kA), 404, 40401},
      {bhttp::verb::post, "/subjects/s", schema_body(kB), 404, 40403},
      {bhttp::verb::get, "/subjects/s/metadata?key=owner&value=x", "", 404, 40403},
      {bhttp::verb::post, "/subjects/s/versions", body_of(bad_type), 422, 42201},
      {bhttp::verb::post, "/subjects/s", body_of(bad_type), 422, 42201},
      {bhttp::verb::post, "/subjects/s/versions", body_of(json_type), 422, 42201},
      {bhttp::verb::post, "/subjects/s/versions", schema_body("not avro"), 422, 42201},
      {bhttp::verb::post, "/subjects/s/versions", schema_body(R"({"type":"nope"})"), 422, 42201},
      {bhttp::verb::post, "/subjects/new/versions", R"({"schema":""})", 422, 42201},
      {bhttp::verb::post, "/subjects/__GLOBAL/versions", schema_body(kA), 422, 42208},
      {bhttp::verb::post, "/subjects/a%01b/versions", schema_body(kA), 422, 42208},
      {bhttp::verb::post, "/subjects/:.__GLOBAL:x/versions", schema_body(kA), 422, 42208},
      {bhttp::verb::post, "/subjects/s/versions", body_of(bad_rules), 422, 42210},
      {bhttp::verb::get, "/config/s", "", 404, 40408},
      {bhttp::verb::get, "/mode/s", "", 404, 40409},
      {bhttp::verb::delete_, "/mode/s", "", 404, 40401},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(fmt::format("{} {} {}", std::string(bhttp::to_string(c.verb)), c.target, c.body));
    auto reply = call(c.verb, c.target, c.body, c.content_type);
    const std::string message = expect_error(reply, c.status, c.code);
    EXPECT_FALSE(message.empty());
    if (c.code < 1000 && c.code != 400 && c.code != 422) {
      EXPECT_EQ(message, fmt::format("HTTP {} {}", c.status, http::reason_phrase(c.status)));
    }
  }
  EXPECT_EQ(expect_error(post("/subjects/s/versions", body_of(bad_type)), 422, 42201),
            "Invalid schema type avro");
  EXPECT_EQ(expect_error(get("/subjects/nope/versions"), 404, 40401), "Subject 'nope' not found.");
  EXPECT_EQ(expect_error(get("/schemas/ids/999"), 404, 40403), "Schema 999 not found");
  // A lookup can see soft-deleted versions when asked.
  ASSERT_EQ(del("/subjects/s/versions/1").status(), 200);
  expect_error(post("/subjects/s", schema_body(kA)), 404, 40401);
  EXPECT_EQ(post("/subjects/s?deleted=true", schema_body(kA)).at("deleted"), true);
}

// --- Pagination, subjects, metadata -----------------------------------------------------------

TEST_F(ApiTest, PaginationAndSubjectFilters) {
  for (std::string_view subject : {"a1", "a2", "b1", "b2", "b3"}) {
    ASSERT_GT(register_schema(subject, kA), 0);
  }
  ASSERT_EQ(register_schema("b3", kB), 2);
  struct Case {
    std::string target;
    std::string expected;
  };
  const Case cases[] = {
      {"/subjects", R"(["a1","a2","b1","b2","b3"])"},
      {"/subjects?subjectPrefix=b", R"(["b1","b2","b3"])"},
      {"/subjects?subjectPrefix=:*:b", R"(["b1","b2","b3"])"},
      {"/subjects?offset=1&limit=2", R"(["a2","b1"])"},
      {"/subjects?offset=4", R"(["b3"])"},
      {"/subjects?offset=9", "[]"},
      {"/subjects?limit=0", R"(["a1","a2","b1","b2","b3"])"},
      {"/subjects?limit=-5&offset=3", R"(["b2","b3"])"},
      {"/subjects/b3/versions?offset=1", "[2]"},
      {"/subjects/b3/versions?limit=1", "[1]"},
      {"/schemas/ids/1/subjects?offset=3&limit=1", R"(["b2"])"},
      {"/schemas/ids/1/versions?limit=1", R"([{"subject":"a1","version":1}])"},
      // /schemas: this fixture's default limit is 3 and its maximum 4.
      {"/schemas?latestOnly=true&subjectPrefix=b", ""},
  };
  for (const Case& c : cases) {
    auto reply = get(c.target);
    EXPECT_EQ(reply.status(), 200) << c.target << ": " << reply.body();
    if (!c.expected.empty()) {
      EXPECT_EQ(reply.body(), c.expected) << c.target;
    }
  }
  EXPECT_EQ(get("/schemas").array().size(), 3u);
  EXPECT_EQ(get("/schemas?limit=4").array().size(), 4u);
  EXPECT_EQ(get("/schemas?limit=5").array().size(), 3u);  // above the max: default
  EXPECT_EQ(get("/schemas?limit=0").array().size(), 3u);
  auto latest = get("/schemas?latestOnly=true&subjectPrefix=b").array();
  ASSERT_EQ(latest.size(), 3u);
  EXPECT_EQ(latest.at(2).at("subject"), "b3");
  EXPECT_EQ(latest.at(2).at("version"), 2);
}

TEST_F(ApiTest, SubjectsArePercentDecodedAsOneSegment) {
  ASSERT_EQ(register_schema("team%2Forders", kA), 1);
  EXPECT_EQ(get("/subjects").body(), R"(["team/orders"])");
  EXPECT_EQ(get("/subjects/team%2Forders/versions").body(), "[1]");
  EXPECT_EQ(get("/subjects/team%2Forders/versions/1").at("subject"), "team/orders");
}

TEST_F(ApiTest, MetadataAndRuleSetsAreStoredCanonically) {
  json::object body;
  body["schema"] = kA;
  body["metadata"] = json::parse(
      R"({"properties":{"owner":"team-a","app":"orders"},"sensitive":["z","a"],"unknown":1})");
  body["ruleSet"] =
      json::parse(R"({"domainRules":[{"name":"checkId","type":"CEL","expr":"message.a > 0",)"
                  R"("params":{"b":"2","a":"1"}}]})");
  auto registered = post("/subjects/data/versions", body_of(body));
  ASSERT_EQ(registered.status(), 200) << registered.body();
  const std::string metadata =
      R"({"properties":{"app":"orders","owner":"team-a"},"sensitive":["a","z"]})";
  const std::string rule_set =
      R"({"domainRules":[{"name":"checkId","kind":"TRANSFORM","mode":"WRITEREAD","type":"CEL",)"
      R"("params":{"a":"1","b":"2"},"expr":"message.a > 0","disabled":false}]})";
  auto version = get("/subjects/data/versions/1");
  EXPECT_NE(version.body().find(R"("metadata":)" + metadata), std::string::npos) << version.body();
  EXPECT_NE(version.body().find(R"("ruleSet":)" + rule_set), std::string::npos) << version.body();
  EXPECT_NE(get("/schemas/ids/1").body().find(R"("metadata":)" + metadata), std::string::npos);
  EXPECT_EQ(get("/subjects/data/metadata?key=owner&value=team-a").at("version"), 1);
  expect_error(get("/subjects/data/metadata?key=owner&value=team-b"), 404, 40403);

  // The same schema with other metadata is other content: a new id and version (Avro's
  // `equivalent` compares metadata and rule sets, rest-api.md §5.1 step 12).
  body["metadata"] = json::parse(R"({"properties":{"owner":"team-b"}})");
  auto other = post("/subjects/data/versions", body_of(body));
  ASSERT_EQ(other.status(), 200) << other.body();
  EXPECT_EQ(other.at("id"), 2);
  EXPECT_EQ(get("/subjects/data/metadata?key=owner&value=team-b").at("version"), 2);

  // Types Jackson refuses: 400.
  body["metadata"] = json::parse(R"({"properties":{"owner":["x"]}})");
  expect_error(post("/subjects/data/versions", body_of(body)), 400, 400);
  body["metadata"] = json::parse(R"([1])");
  expect_error(post("/subjects/data/versions", body_of(body)), 400, 400);
  body["metadata"] = nullptr;
  body["ruleSet"] =
      json::parse(R"({"domainRules":[{"name":"x","type":"CEL","kind":"transform"}]})");
  expect_error(post("/subjects/data/versions", body_of(body)), 400, 400);
  // RuleSet.validate(): 42210.
  body["ruleSet"] =
      json::parse(R"({"domainRules":[{"name":"x","type":"CEL"},{"name":"x","type":"CEL"}]})");
  EXPECT_EQ(expect_error(post("/subjects/data/versions", body_of(body)), 422, 42210),
            "Found rule with duplicate name 'x'");
  body["ruleSet"] = json::parse(R"({"domainRules":[{"name":"9x","type":"CEL"}]})");
  expect_error(post("/subjects/data/versions", body_of(body)), 422, 42210);
  body["ruleSet"] = json::parse(R"({"encodingRules":[{"name":"x"}]})");
  EXPECT_EQ(expect_error(post("/subjects/data/versions", body_of(body)), 422, 42210),
            "Missing rule type");
}

TEST_F(ApiTest, DataContractFieldsCarryOverToTheNextVersion) {
  // rest-api.md §5.1 step 8: outside IMPORT, a request without metadata / ruleSet takes the
  // latest version's.
  json::object body;
  body["schema"] = kA;
  body["metadata"] = json::parse(R"({"properties":{"owner":"team-a"}})");
  body["ruleSet"] = json::parse(R"({"domainRules":[{"name":"r","type":"CEL","expr":"true"}]})");
  ASSERT_EQ(post("/subjects/dc/versions", body_of(body)).status(), 200);
  auto next = post("/subjects/dc/versions", schema_body(kB));
  ASSERT_EQ(next.status(), 200) << next.body();
  auto v2 = get("/subjects/dc/versions/2");
  ASSERT_EQ(v2.status(), 200) << v2.body();
  EXPECT_EQ(json::serialize(v2.at("metadata")), R"({"properties":{"owner":"team-a"}})")
      << v2.body();
  EXPECT_FALSE(v2.at("ruleSet").is_null()) << v2.body();
  // Re-sending v1's schema without the extras finds v1 (the lookup merges them in, §5.3).
  auto again = post("/subjects/dc", schema_body(kA));
  EXPECT_EQ(again.status(), 200) << again.body();
  EXPECT_EQ(again.at("version"), 1) << again.body();
}

TEST_F(ApiTest, NormalizeMakesSpellingsOneSchema) {
  // A double default written as an integer: normalisation renders it as 3.0, and sorts aliases.
  constexpr std::string_view kLoose =
      R"({"type":"record","name":"N","fields":[{"name":"x","type":"double","default":3}],)"
      R"("aliases":["z","a"]})";
  constexpr std::string_view kTidy =
      R"({"type":"record","name":"N","fields":[{"name":"x","type":"double","default":3.0}],)"
      R"("aliases":["a","z"]})";
  const int loose = register_schema("plain", kLoose);
  const int tidy = register_schema("other", kTidy);
  EXPECT_NE(loose, tidy);

  const int normalized = register_schema("norm", kLoose, "?normalize=true");
  EXPECT_EQ(normalized, tidy);
  EXPECT_EQ(get("/subjects/norm/versions/1/schema").body(), kTidy);
  // Lookup with normalize finds the loose spelling too; without it, only the stored text.
  EXPECT_EQ(post("/subjects/norm?normalize=true", schema_body(kLoose)).status(), 200);
  EXPECT_EQ(post("/subjects/norm", schema_body(kTidy)).status(), 200);
  // A subject configured to normalise does it without the flag.
  ASSERT_EQ(put("/config/cfg", R"({"normalize":true})").status(), 200);
  EXPECT_EQ(register_schema("cfg", kLoose), tidy);
}

TEST_F(ApiTest, GuidsIdentifyContent) {
  ASSERT_EQ(register_schema("g", kA), 1);
  auto by_id = get("/schemas/ids/1");
  const std::string guid = guid_for(kA);
  ASSERT_EQ(guid.size(), 36u);
  EXPECT_EQ(by_id.at("guid"), json::value(guid));
  auto registered = post("/subjects/g/versions", schema_body(kA));
  EXPECT_EQ(registered.at("guid"), json::value(guid));
  EXPECT_EQ(get("/subjects/g/versions/1").at("guid"), json::value(guid));
  auto by_guid = get("/schemas/guids/" + guid);
  ASSERT_EQ(by_guid.status(), 200) << by_guid.body();
  EXPECT_EQ(by_guid.at("schema"), json::value(kA));
  EXPECT_EQ(get("/schemas/guids/" + guid + "/ids").body(), R"([{"context":".","id":1}])");
  EXPECT_EQ(get("/schemas/guids/nope/ids").body(), "[]");

  // The same content in another context: one guid, one id per context.
  ASSERT_EQ(register_schema(":.ctx:g", kB), 1);
  ASSERT_EQ(register_schema(":.ctx:g", kA), 2);
  EXPECT_EQ(get("/schemas/guids/" + guid + "/ids").body(),
            R"([{"context":".","id":1},{"context":".ctx","id":2}])");
  // Metadata is part of the identity (the schemaType is not).
  json::object body;
  body["schema"] = kA;
  body["metadata"] = json::parse(R"({"properties":{"owner":"x"}})");
  auto with_metadata = post("/subjects/g2/versions", body_of(body));
  ASSERT_EQ(with_metadata.status(), 200) << with_metadata.body();
  EXPECT_NE(with_metadata.at("guid"), json::value(guid));
  EXPECT_EQ(with_metadata.at("id"), 2);
}

// --- Persistence ------------------------------------------------------------------------------

TEST_F(ApiTest, SqliteLogKeepsEverythingAcrossARestart) {
  stop();
  const auto dir = std::filesystem::temp_directory_path() /
                   fmt::format("sg-api-test-{}", std::random_device{}());
  const auto file = dir / "registry.db";
  {
    auto log = storage::SqliteLog::open(file);
    ASSERT_TRUE(log.ok()) << log.error().to_string();
    start(std::move(*log));
  }
  ASSERT_EQ(register_schema("orders-value", kOrderV1), 1);
  ASSERT_EQ(register_schema("orders-value", kOrderOptionalShipping), 2);
  ASSERT_EQ(put("/config/orders-value", R"({"compatibility":"FULL"})").status(), 200);
  ASSERT_EQ(del("/subjects/orders-value/versions/1").status(), 200);
  const std::string before = get("/subjects/orders-value/versions?deleted=true").body();
  stop();

  {
    auto log = storage::SqliteLog::open(file);
    ASSERT_TRUE(log.ok()) << log.error().to_string();
    start(std::move(*log));
  }
  EXPECT_EQ(get("/subjects/orders-value/versions?deleted=true").body(), before);
  EXPECT_EQ(get("/subjects/orders-value/versions").body(), "[2]");
  EXPECT_EQ(get("/config/orders-value").body(), R"({"compatibilityLevel":"FULL"})");
  EXPECT_EQ(get("/schemas/ids/1/schema").body(), kOrderV1);
  // Ids continue after the highest one seen; re-registration is still idempotent.
  EXPECT_EQ(register_schema("orders-value", kOrderOptionalShipping), 2);
  EXPECT_EQ(register_schema("other", kA), 3);
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace sg::api
