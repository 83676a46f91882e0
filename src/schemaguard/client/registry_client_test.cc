// The registry client against a real in-process registry (client/testing.h): every call, the
// mapping of registry errors to their Confluent codes, network errors, URLs and credentials.
#include "schemaguard/client/registry_client.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <thread>

#include "schemaguard/client/testing.h"

namespace sg::client {
namespace {

using testing::LiveRegistry;

constexpr const char* kOrderV1 =
    R"({"type":"record","name":"OrderEvent","fields":[{"name":"id","type":"string"}]})";
constexpr const char* kOrderRequired =
    R"({"type":"record","name":"OrderEvent","fields":[{"name":"id","type":"string"},)"
    R"({"name":"shipping_method","type":"string"}]})";
constexpr const char* kOrderOptional =
    R"({"type":"record","name":"OrderEvent","fields":[{"name":"id","type":"string"},)"
    R"({"name":"shipping_method","type":"string","default":"standard"}]})";
constexpr const char* kAddress =
    R"({"type":"record","name":"Address","namespace":"com.acme","fields":[)"
    R"({"name":"street","type":"string"}]})";
constexpr const char* kCustomer =
    R"({"type":"record","name":"Customer","namespace":"com.acme","fields":[)"
    R"({"name":"address","type":"com.acme.Address"}]})";

SchemaRequest avro(std::string text) {
  SchemaRequest request;
  request.schema = std::move(text);
  return request;
}

TEST(RegistryClient, RegistersReadsAndLooksUp) {
  LiveRegistry live;
  auto client = live.client();
  ASSERT_TRUE(client);
  auto subjects = client->subjects();
  ASSERT_TRUE(subjects.ok()) << subjects.error().to_string();
  EXPECT_TRUE(subjects->empty());

  auto id = client->register_schema("orders-value", avro(kOrderV1));
  ASSERT_TRUE(id.ok()) << id.error().to_string();
  EXPECT_EQ(*id, 1);
  auto second = client->register_schema("orders-value", avro(kOrderOptional));
  ASSERT_TRUE(second.ok()) << second.error().to_string();
  EXPECT_EQ(*second, 2);

  EXPECT_EQ(client->subjects().value_or(std::vector<std::string>{}),
            std::vector<std::string>{"orders-value"});
  EXPECT_EQ(client->versions("orders-value").value_or(std::vector<int>{}),
            (std::vector<int>{1, 2}));
  auto version = client->version("orders-value", 2);
  ASSERT_TRUE(version.ok()) << version.error().to_string();
  EXPECT_EQ(version->subject, "orders-value");
  EXPECT_EQ(version->version, 2);
  EXPECT_EQ(version->id, 2);
  EXPECT_EQ(version->schema_type, "AVRO");
  EXPECT_EQ(version->schema, kOrderOptional);
  EXPECT_FALSE(version->deleted);

  auto found = client->lookup("orders-value", avro(kOrderV1));
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->version, 1);
  EXPECT_EQ((*found)->id, 1);
  // Not a version of the subject, and an unknown subject: both "not there", not errors.
  auto missing = client->lookup("orders-value", avro(kOrderRequired));
  ASSERT_TRUE(missing.ok()) << missing.error().to_string();
  EXPECT_FALSE(missing->has_value());
  auto unknown = client->lookup("nobody-value", avro(kOrderV1));
  ASSERT_TRUE(unknown.ok()) << unknown.error().to_string();
  EXPECT_FALSE(unknown->has_value());
}

TEST(RegistryClient, RegistryErrorsKeepTheirCodeAndMessage) {
  LiveRegistry live;
  auto client = live.client();
  ASSERT_TRUE(client->register_schema("orders-value", avro(kOrderV1)).ok());
  // The outage: 409 with Confluent's incompatibility message.
  auto refused = client->register_schema("orders-value", avro(kOrderRequired));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kIncompatibleSchema);
  EXPECT_NE(refused.error().message().find("shipping_method"), std::string::npos)
      << refused.error().message();

  auto versions = client->versions("nobody-value");
  ASSERT_FALSE(versions.ok());
  EXPECT_EQ(versions.error().code(), ErrorCode::kSubjectNotFound);
  EXPECT_EQ(versions.error().message(), "Subject 'nobody-value' not found.");
  auto version = client->version("orders-value", 7);
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.error().code(), ErrorCode::kVersionNotFound);
  auto invalid = client->register_schema("orders-value", avro("{\"type\":\"nope\"}"));
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code(), ErrorCode::kInvalidSchema);
}

TEST(RegistryClient, ReferencesAndSubjectsThatNeedEncoding) {
  LiveRegistry live;
  auto client = live.client();
  // '/' and a space must travel as one path segment.
  const std::string address_subject = "com.acme/Address value";
  ASSERT_TRUE(client->register_schema(address_subject, avro(kAddress)).ok());
  SchemaRequest customer = avro(kCustomer);
  customer.references.push_back({"com.acme.Address", address_subject, 1});
  auto id = client->register_schema("customers-value", customer);
  ASSERT_TRUE(id.ok()) << id.error().to_string();
  auto version = client->version("customers-value", 1);
  ASSERT_TRUE(version.ok()) << version.error().to_string();
  ASSERT_EQ(version->references.size(), 1u);
  EXPECT_EQ(version->references[0], (Reference{"com.acme.Address", address_subject, 1}));
  EXPECT_EQ(version->id, *id);
  auto subjects = client->subjects();
  ASSERT_TRUE(subjects.ok());
  EXPECT_EQ(*subjects, (std::vector<std::string>{address_subject, "customers-value"}));
}

TEST(RegistryClient, ConfigAndMode) {
  LiveRegistry live;
  auto client = live.client();
  EXPECT_EQ(client->global_config().value_or(CompatibilityLevel::kNone),
            CompatibilityLevel::kBackward);
  // No level of its own: nullopt, or the global one when asked for the effective level.
  auto own = client->config("orders-value", false);
  ASSERT_TRUE(own.ok()) << own.error().to_string();
  EXPECT_FALSE(own->has_value());
  auto effective = client->config("orders-value", true);
  ASSERT_TRUE(effective.ok()) << effective.error().to_string();
  EXPECT_EQ(*effective, CompatibilityLevel::kBackward);

  ASSERT_TRUE(client->set_config("orders-value", CompatibilityLevel::kFullTransitive).ok());
  ASSERT_TRUE(client->set_config("", CompatibilityLevel::kForward).ok());
  EXPECT_EQ(client->config("orders-value", false).value_or(std::nullopt),
            CompatibilityLevel::kFullTransitive);
  EXPECT_EQ(client->global_config().value_or(CompatibilityLevel::kNone),
            CompatibilityLevel::kForward);

  EXPECT_EQ(client->global_mode().value_or(""), "READWRITE");
  auto mode = client->mode("orders-value", false);
  ASSERT_TRUE(mode.ok()) << mode.error().to_string();
  EXPECT_FALSE(mode->has_value());
  ASSERT_TRUE(client->set_mode("orders-value", "READONLY").ok());
  EXPECT_EQ(client->mode("orders-value", false).value_or(std::nullopt), "READONLY");
  auto bad_mode = client->set_mode("", "SIDEWAYS");
  ASSERT_FALSE(bad_mode.ok());
  EXPECT_EQ(bad_mode.error().code(), ErrorCode::kInvalidMode);
}

TEST(RegistryClient, ImportModeKeepsIdsAndVersions) {
  LiveRegistry live;
  auto client = live.client();
  // An explicit id outside IMPORT is refused.
  SchemaRequest request = avro(kOrderV1);
  request.id = 42;
  request.version = 3;
  auto refused = client->register_schema("orders-value", request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kOperationNotPermitted);

  ASSERT_TRUE(client->set_mode("", "IMPORT").ok());
  auto id = client->register_schema("orders-value", request);
  ASSERT_TRUE(id.ok()) << id.error().to_string();
  EXPECT_EQ(*id, 42);
  auto version = client->version("orders-value", 3);
  ASSERT_TRUE(version.ok()) << version.error().to_string();
  EXPECT_EQ(version->id, 42);
  ASSERT_TRUE(client->set_mode("", "READWRITE").ok());
  // IMPORT into a registry holding subjects needs force.
  auto again = client->set_mode("", "IMPORT");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kOperationNotPermitted);
  EXPECT_TRUE(client->set_mode("", "IMPORT", true).ok());
}

TEST(RegistryClient, DeletesAndDeletedVersions) {
  LiveRegistry live;
  auto client = live.client();
  ASSERT_TRUE(client->register_schema("orders-value", avro(kOrderV1)).ok());
  ASSERT_TRUE(client->register_schema("orders-value", avro(kOrderOptional)).ok());
  ASSERT_TRUE(client->delete_version("orders-value", 1).ok());
  EXPECT_EQ(client->versions("orders-value").value_or(std::vector<int>{}), std::vector<int>{2});
  EXPECT_EQ(client->versions("orders-value", true).value_or(std::vector<int>{}),
            (std::vector<int>{1, 2}));
  EXPECT_FALSE(client->version("orders-value", 1).ok());
  auto deleted = client->version("orders-value", 1, true);
  ASSERT_TRUE(deleted.ok()) << deleted.error().to_string();
  EXPECT_TRUE(deleted->deleted);

  auto removed = client->delete_subject("orders-value");
  ASSERT_TRUE(removed.ok()) << removed.error().to_string();
  EXPECT_EQ(*removed, std::vector<int>{2});
  EXPECT_TRUE(client->subjects().value_or(std::vector<std::string>{"x"}).empty());
  EXPECT_EQ(client->subjects(true).value_or(std::vector<std::string>{}),
            std::vector<std::string>{"orders-value"});
  auto permanent = client->delete_subject("orders-value", true);
  ASSERT_TRUE(permanent.ok()) << permanent.error().to_string();
  EXPECT_TRUE(client->subjects(true).value_or(std::vector<std::string>{"x"}).empty());
}

TEST(RegistryClient, KeepAliveSurvivesTheServerClosingTheConnection) {
  auto live = std::make_unique<LiveRegistry>();
  auto client = live->client();
  ASSERT_TRUE(client->subjects().ok());
  ASSERT_TRUE(client->subjects().ok());  // the same connection
  // A registry that went away: the kept connection is dead and a new one is refused.
  const std::string url = live->url();
  live.reset();
  auto gone = client->subjects();
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code(), ErrorCode::kIoError);
  EXPECT_NE(gone.error().message().find(url), std::string::npos) << gone.error().message();
}

TEST(RegistryClient, ReconnectsWhenTheServerClosedAnIdleConnection) {
  LiveRegistry live(std::chrono::milliseconds(100));
  auto client = live.client();
  ASSERT_TRUE(client->register_schema("orders-value", avro(kOrderV1)).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  // The kept connection is gone; the request goes out again on a new one.
  auto id = client->register_schema("orders-value", avro(kOrderOptional));
  ASSERT_TRUE(id.ok()) << id.error().to_string();
  EXPECT_EQ(*id, 2);
  EXPECT_EQ(client->versions("orders-value").value_or(std::vector<int>{}),
            (std::vector<int>{1, 2}));
}

TEST(RegistryClient, UnreachableRegistryIsAnIoErrorNamingTheUrl) {
  ClientOptions options;
  options.url = "http://127.0.0.1:1/";
  options.timeout = std::chrono::milliseconds(2000);
  auto client = RegistryClient::open(options);
  ASSERT_TRUE(client.ok());
  EXPECT_EQ((*client)->url(), "http://127.0.0.1:1");
  auto subjects = (*client)->subjects();
  ASSERT_FALSE(subjects.ok());
  EXPECT_EQ(subjects.error().code(), ErrorCode::kIoError);
  EXPECT_NE(subjects.error().message().find("cannot connect to the registry at "
                                            "http://127.0.0.1:1 (GET /subjects?deleted=false)"),
            std::string::npos)
      << subjects.error().message();
}

TEST(RegistryClient, ASilentServerTimesOut) {
  // Listening but never accepting: the kernel completes the connection, nobody answers.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  ClientOptions options;
  options.url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
  options.timeout = std::chrono::milliseconds(200);
  auto client = RegistryClient::open(options);
  ASSERT_TRUE(client.ok());
  const auto start = std::chrono::steady_clock::now();
  auto subjects = (*client)->subjects();
  ASSERT_FALSE(subjects.ok());
  EXPECT_EQ(subjects.error().code(), ErrorCode::kIoError);
  EXPECT_NE(subjects.error().message().find("no answer within 200 ms"), std::string::npos)
      << subjects.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(RegistryClient, UrlsThatAreRefused) {
  auto message = [](std::string url) {
    ClientOptions options;
    options.url = std::move(url);
    auto client = RegistryClient::open(options);
    return client.ok() ? std::string("ok") : client.error().message();
  };
  EXPECT_EQ(message("ftp://registry.example.com"),
            "registry URL 'ftp://registry.example.com': must start with http:// or https://");
  EXPECT_EQ(message("registry:8081"),
            "registry URL 'registry:8081': must start with http:// or https://");
  EXPECT_EQ(message("https://:8081"), "registry URL 'https://:8081': no host");
  EXPECT_EQ(message("http://:8081"), "registry URL 'http://:8081': no host");
  EXPECT_EQ(message("http://h:99999"),
            "registry URL 'http://h:99999': the port must be a number up to 65535");
  EXPECT_EQ(message("http://u:p@h:1"),
            "registry URL 'http://u:p@h:1': credentials do not belong in the URL; name "
            "environment variables for them");
  EXPECT_EQ(message("http://[::1]:8081/prefix"), "ok");
}

TEST(RegistryClient, CredentialsFromTheEnvironment) {
  ::setenv("SG_CLIENT_TEST_USER", "Aladdin", 1);
  ::setenv("SG_CLIENT_TEST_PASSWORD", "open sesame", 1);
  ::setenv("SG_CLIENT_TEST_TOKEN", "t0k3n", 1);
  ::unsetenv("SG_CLIENT_TEST_UNSET");
  auto basic = credentials_from_env("SG_CLIENT_TEST_USER", "SG_CLIENT_TEST_PASSWORD", "");
  ASSERT_TRUE(basic.ok());
  // RFC 7617's example.
  EXPECT_EQ(authorization_header(*basic), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  auto token = credentials_from_env("", "", "SG_CLIENT_TEST_TOKEN");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(authorization_header(*token), "Bearer t0k3n");
  EXPECT_EQ(authorization_header(Credentials{}), "");
  EXPECT_EQ(authorization_header(Credentials{"a", "", ""}), "Basic YTo=");
  EXPECT_EQ(authorization_header(Credentials{"ab", "", ""}), "Basic YWI6");
  auto unset = credentials_from_env("SG_CLIENT_TEST_UNSET", "", "");
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(unset.error().message(),
            "environment variable SG_CLIENT_TEST_UNSET (registry credentials) is not set");

  // The registry ignores credentials; the requests still go through with them.
  LiveRegistry live;
  ClientOptions options;
  options.url = live.url();
  options.credentials = *basic;
  auto client = RegistryClient::open(options);
  ASSERT_TRUE(client.ok());
  EXPECT_TRUE((*client)->subjects().ok());
}

TEST(RegistryClient, PathSegmentEncoding) {
  EXPECT_EQ(encode_path_segment("orders-value"), "orders-value");
  EXPECT_EQ(encode_path_segment("a/b c:%"), "a%2Fb%20c%3A%25");
}

}  // namespace
}  // namespace sg::client
