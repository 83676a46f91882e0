// The CI gate against an https registry: the TLS settings of schemaguard.yaml reach the client.
#include <gtest/gtest.h>

#include <sstream>

#include "schemaguard/client/testing.h"
#include "schemaguard/client/tls_testing.h"
#include "schemaguard/gate/command.h"
#include "schemaguard/gate/testing.h"

namespace sg::gate {
namespace {

using client::testing::LiveRegistry;
using client::testing::TestCertificates;
using client::testing::TlsProxy;
using testing::kOrderOptional;
using testing::kOrderRequired;
using testing::kOrderV1;
using testing::TempRepo;

class GateTlsTest : public ::testing::Test {
 protected:
  GateTlsTest() : repo_(false), proxy_(certs_.localhost_cert, certs_.localhost_key, live_.port()) {
    client::SchemaRequest v1;
    v1.schema = kOrderV1;
    auto id = live_.client()->register_schema("orders-value", v1);
    EXPECT_TRUE(id.ok()) << id.error().to_string();
  }

  std::string https_url() const { return "https://localhost:" + std::to_string(proxy_.port()); }

  // A config naming the registry and, relative to itself, the CA file `ca` (none when empty).
  void write_config(const std::string& ca) {
    std::string yaml = "registry:\n  url: " + https_url() + "\n";
    if (!ca.empty()) yaml += "  ca_file: " + ca + "\n";
    yaml += "schemas:\n  - file: schemas/order-event.avsc\n    subject: orders-value\n";
    repo_.write("schemaguard.yaml", yaml);
  }

  int check() {
    CheckCommand command;
    command.config = repo_.path("schemaguard.yaml");
    command.against = "registry";
    out_.str("");
    err_.str("");
    return run_check_command(command, out_, err_);
  }

  TestCertificates certs_;
  LiveRegistry live_;
  TempRepo repo_;
  TlsProxy proxy_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(GateTlsTest, ChecksAgainstAnHttpsRegistryTrustingTheConfiguredCa) {
  std::filesystem::create_directories(repo_.root() / "tls");
  std::filesystem::copy_file(certs_.ca_cert, repo_.root() / "tls/ca.pem");
  write_config("tls/ca.pem");
  repo_.write("schemas/order-event.avsc", kOrderRequired);
  EXPECT_EQ(check(), kCheckIncompatible) << out_.str() << err_.str();
  EXPECT_NE(out_.str().find("READER_FIELD_MISSING_DEFAULT_VALUE"), std::string::npos) << out_.str();
  repo_.write("schemas/order-event.avsc", kOrderOptional);
  EXPECT_EQ(check(), kCheckCompatible) << out_.str() << err_.str();
}

TEST_F(GateTlsTest, AnUntrustedCertificateIsExitTwoWithTheReason) {
  write_config("");  // the system's CA store, which does not know the test CA
  repo_.write("schemas/order-event.avsc", kOrderOptional);
  EXPECT_EQ(check(), kCheckError) << out_.str();
  EXPECT_NE(err_.str().find("cannot connect to the registry at " + https_url()), std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("certificate verify failed"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace sg::gate
