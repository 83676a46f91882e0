// The client over https: a TLS proxy with certificates made at run time in front of a real
// test registry.
#include <gtest/gtest.h>

#include <string>

#include "schemaguard/client/registry_client.h"
#include "schemaguard/client/testing.h"
#include "schemaguard/client/tls_testing.h"

namespace sg::client {
namespace {

using testing::LiveRegistry;
using testing::TestCertificates;
using testing::TlsProxy;

constexpr const char* kSchema = R"({"type":"record","name":"Ping","fields":[]})";

SchemaRequest avro(std::string text) {
  SchemaRequest request;
  request.schema = std::move(text);
  return request;
}

class TlsTest : public ::testing::Test {
 protected:
  // A client of `proxy` at `host` ("localhost" or "127.0.0.1") trusting the test CA.
  Result<std::unique_ptr<RegistryClient>> open(const TlsProxy& proxy,
                                               const std::string& host = "localhost") {
    ClientOptions options;
    options.url = "https://" + host + ":" + std::to_string(proxy.port());
    options.ca_file = certs_.ca_cert;
    options.timeout = std::chrono::seconds(5);
    return RegistryClient::open(options);
  }

  // The message of the first request's failure, or "ok".
  static std::string first_call(RegistryClient& client) {
    auto subjects = client.subjects();
    return subjects.ok() ? "ok" : subjects.error().message();
  }

  TestCertificates certs_;
  LiveRegistry registry_;
};

TEST_F(TlsTest, TalksToATrustedRegistryByNameAndByAddress) {
  TlsProxy proxy(certs_.localhost_cert, certs_.localhost_key, registry_.port());
  for (const char* host : {"localhost", "127.0.0.1"}) {
    auto client = open(proxy, host);
    ASSERT_TRUE(client.ok()) << client.error().message();
    auto id = (*client)->register_schema("pings-value", avro(kSchema));
    ASSERT_TRUE(id.ok()) << host << ": " << id.error().message();
    EXPECT_EQ(*id, 1);
    // Several requests on the kept-alive TLS connection.
    auto versions = (*client)->versions("pings-value");
    ASSERT_TRUE(versions.ok()) << versions.error().message();
    EXPECT_EQ(*versions, std::vector<int>{1});
    auto read = (*client)->version("pings-value", 1);
    ASSERT_TRUE(read.ok()) << read.error().message();
    EXPECT_EQ(read->id, 1);
  }
}

TEST_F(TlsTest, RefusesACertificateFromAnUntrustedCa) {
  TlsProxy proxy(certs_.untrusted_cert, certs_.localhost_key, registry_.port());
  auto client = open(proxy);
  ASSERT_TRUE(client.ok()) << client.error().message();
  const std::string message = first_call(**client);
  EXPECT_NE(message.find("cannot connect to the registry at https://localhost:"), std::string::npos)
      << message;
  EXPECT_NE(message.find("TLS handshake with localhost:"), std::string::npos) << message;
  EXPECT_NE(message.find("certificate verify failed"), std::string::npos) << message;
  EXPECT_NE(message.find("(unable to get local issuer certificate)"), std::string::npos) << message;
}

TEST_F(TlsTest, RefusesACertificateForAnotherHost) {
  TlsProxy proxy(certs_.wrong_host_cert, certs_.localhost_key, registry_.port());
  auto client = open(proxy);
  ASSERT_TRUE(client.ok()) << client.error().message();
  const std::string message = first_call(**client);
  EXPECT_NE(message.find("certificate verify failed"), std::string::npos) << message;
  EXPECT_NE(message.find("(hostname mismatch)"), std::string::npos) << message;
  auto by_address = open(proxy, "127.0.0.1");
  ASSERT_TRUE(by_address.ok()) << by_address.error().message();
  const std::string address_message = first_call(**by_address);
  EXPECT_NE(address_message.find("(IP address mismatch)"), std::string::npos) << address_message;
}

TEST_F(TlsTest, TheSystemStoreDoesNotTrustATestCa) {
  TlsProxy proxy(certs_.localhost_cert, certs_.localhost_key, registry_.port());
  ClientOptions options;
  options.url = "https://localhost:" + std::to_string(proxy.port());
  auto client = RegistryClient::open(options);
  ASSERT_TRUE(client.ok()) << client.error().message();
  EXPECT_NE(first_call(**client).find("certificate verify failed"), std::string::npos);
}

TEST_F(TlsTest, MutualTlsNeedsTheClientCertificate) {
  TlsProxy proxy(certs_.localhost_cert, certs_.localhost_key, registry_.port(), certs_.ca_cert);
  auto anonymous = open(proxy);
  ASSERT_TRUE(anonymous.ok());
  const std::string refused = first_call(**anonymous);
  EXPECT_NE(refused.find("cannot "), std::string::npos) << refused;
  EXPECT_NE(refused.find("the registry at https://localhost:"), std::string::npos) << refused;
  EXPECT_NE(refused.find("certificate"), std::string::npos) << refused;

  ClientOptions options;
  options.url = "https://localhost:" + std::to_string(proxy.port());
  options.ca_file = certs_.ca_cert;
  options.cert_file = certs_.client_cert;
  options.key_file = certs_.client_key;
  auto client = RegistryClient::open(options);
  ASSERT_TRUE(client.ok()) << client.error().message();
  EXPECT_EQ(first_call(**client), "ok");
}

TEST_F(TlsTest, BadTlsSettingsAreRefusedAtOpen) {
  auto message = [](ClientOptions options) {
    auto client = RegistryClient::open(options);
    return client.ok() ? std::string("ok") : client.error().message();
  };
  ClientOptions options;
  options.url = "https://registry.example:8081";
  options.ca_file = (certs_.dir() / "missing.pem").string();
  EXPECT_NE(message(options).find("TLS: cannot load the CA file '" + options.ca_file + "'"),
            std::string::npos)
      << message(options);
  options.ca_file = certs_.ca_cert;
  options.cert_file = certs_.client_cert;
  EXPECT_EQ(message(options),
            "TLS: a client certificate needs both a certificate file and a key file");
  options.key_file = certs_.ca_cert;  // not a key
  EXPECT_NE(message(options).find("TLS: cannot load the client key"), std::string::npos)
      << message(options);
  options.key_file = certs_.localhost_key;  // a key, but another certificate's
  EXPECT_NE(message(options).find("mismatch"), std::string::npos) << message(options);
  options = ClientOptions();
  options.url = "http://registry.example:8081";
  options.ca_file = certs_.ca_cert;
  EXPECT_EQ(message(options),
            "registry URL 'http://registry.example:8081': TLS settings (a CA file, a client "
            "certificate) need https://");
}

}  // namespace
}  // namespace sg::client
