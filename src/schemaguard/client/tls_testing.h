// Test-only: TLS in front of a test registry. Header-only; link OpenSSL::SSL.
//
//   client::testing::TestCertificates certs;    // a CA and certificates it signed, in a temp dir
//   client::testing::TlsProxy proxy(certs.localhost_cert, certs.localhost_key, registry_port);
//   options.url = "https://localhost:" + std::to_string(proxy.port());
//   options.ca_file = certs.ca_cert;
//
// The certificates are made at run time with OpenSSL (P-256 keys, valid for an hour), so no key
// material is checked in and nothing expires in the repository.
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

namespace sg::client::testing {

class TestCertificates {
 public:
  TestCertificates() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           (std::string("sg-tls-") + info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Key ca_key = new_key();
    Cert ca = new_cert(ca_key.get(), "SchemaGuard test CA", nullptr, nullptr, "");
    ca_cert = write_cert("ca.pem", ca.get());
    // A second, unrelated CA signs the certificate that no client trusts.
    Key other_key = new_key();
    Cert other_ca = new_cert(other_key.get(), "Unrelated CA", nullptr, nullptr, "");
    other_ca_cert = write_cert("other-ca.pem", other_ca.get());

    Key server_key = new_key();
    localhost_key = write_key("localhost-key.pem", server_key.get());
    localhost_cert =
        write_cert("localhost.pem", new_cert(server_key.get(), "localhost", ca.get(), ca_key.get(),
                                             "DNS:localhost,IP:127.0.0.1")
                                        .get());
    wrong_host_cert =
        write_cert("wrong-host.pem", new_cert(server_key.get(), "registry.other.example", ca.get(),
                                              ca_key.get(), "DNS:registry.other.example")
                                         .get());
    untrusted_cert =
        write_cert("untrusted.pem", new_cert(server_key.get(), "localhost", other_ca.get(),
                                             other_key.get(), "DNS:localhost,IP:127.0.0.1")
                                        .get());
    Key client_key_pair = new_key();
    client_key = write_key("client-key.pem", client_key_pair.get());
    client_cert = write_cert(
        "client.pem",
        new_cert(client_key_pair.get(), "ci-gate", ca.get(), ca_key.get(), "DNS:ci-gate").get());
  }
  ~TestCertificates() { std::filesystem::remove_all(dir_); }
  TestCertificates(const TestCertificates&) = delete;
  TestCertificates& operator=(const TestCertificates&) = delete;

  std::string ca_cert;         // the CA that signed everything below but `untrusted_cert`
  std::string other_ca_cert;   // an unrelated CA
  std::string localhost_cert;  // for localhost and 127.0.0.1, key: localhost_key
  std::string localhost_key;
  std::string wrong_host_cert;  // for registry.other.example only, key: localhost_key
  std::string untrusted_cert;   // for localhost, signed by the unrelated CA, key: localhost_key
  std::string client_cert;      // a client certificate, key: client_key
  std::string client_key;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  };
  struct CertFree {
    void operator()(X509* cert) const { X509_free(cert); }
  };
  using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
  using Cert = std::unique_ptr<X509, CertFree>;

  static Key new_key() {
    Key key(EVP_EC_gen("P-256"));
    EXPECT_NE(key, nullptr);
    return key;
  }

  // Signed by `issuer_key` as `issuer`, or self-signed (a CA) when `issuer` is null.
  static Cert new_cert(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
                       const char* alt_names) {
    static long serial = 1;
    Cert cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
    X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
    auto extend = [&](int nid, const char* value) {
      X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
      EXPECT_NE(extension, nullptr) << value;
      X509_add_ext(cert.get(), extension, -1);
      X509_EXTENSION_free(extension);
    };
    if (issuer == nullptr) {
      extend(NID_basic_constraints, "critical,CA:TRUE");
      extend(NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
      extend(NID_basic_constraints, "critical,CA:FALSE");
      extend(NID_subject_alt_name, alt_names);
    }
    EXPECT_GT(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()), 0);
    return cert;
  }

  std::string write_cert(const char* file, X509* cert) const {
    const std::string path = (dir_ / file).string();
    FILE* out = std::fopen(path.c_str(), "w");
    EXPECT_NE(out, nullptr);
    PEM_write_X509(out, cert);
    std::fclose(out);
    return path;
  }
  std::string write_key(const char* file, EVP_PKEY* key) const {
    const std::string path = (dir_ / file).string();
    FILE* out = std::fopen(path.c_str(), "w");
    EXPECT_NE(out, nullptr);
    PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(out);
    return path;
  }

  std::filesystem::path dir_;
};

// Accepts TLS on 127.0.0.1 (an ephemeral port) and forwards the bytes of each connection to a
// plain TCP port on 127.0.0.1: an https registry in front of the test registry. With a client
// CA file, it requires a client certificate signed by that CA (mutual TLS).
class TlsProxy {
 public:
  TlsProxy(const std::string& cert_file, const std::string& key_file, unsigned short backend_port,
           const std::string& client_ca_file = "")
      : context_(boost::asio::ssl::context::tls_server), backend_port_(backend_port) {
    context_.use_certificate_chain_file(cert_file);
    context_.use_private_key_file(key_file, boost::asio::ssl::context::pem);
    if (!client_ca_file.empty()) {
      context_.load_verify_file(client_ca_file);
      context_.set_verify_mode(boost::asio::ssl::verify_peer |
                               boost::asio::ssl::verify_fail_if_no_peer_cert);
    }
    acceptor_.open(tcp::v4());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TlsProxy() {
    io_.stop();
    thread_.join();
  }
  TlsProxy(const TlsProxy&) = delete;
  TlsProxy& operator=(const TlsProxy&) = delete;

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

 private:
  using tcp = boost::asio::ip::tcp;
  using TlsSocket = boost::asio::ssl::stream<tcp::socket>;

  struct Session : std::enable_shared_from_this<Session> {
    Session(tcp::socket socket, boost::asio::ssl::context& context)
        : front(std::move(socket), context), back(front.get_executor()) {}
    TlsSocket front;
    tcp::socket back;
    std::array<char, 16384> to_back{};
    std::array<char, 16384> to_front{};

    void close() {
      boost::system::error_code ignored;
      front.lowest_layer().close(ignored);
      back.close(ignored);
    }
    void pump_to_back() {
      auto self = shared_from_this();
      front.async_read_some(boost::asio::buffer(to_back), [self](auto ec, std::size_t n) {
        if (ec) return self->close();
        boost::asio::async_write(self->back, boost::asio::buffer(self->to_back.data(), n),
                                 [self](auto write_ec, std::size_t) {
                                   if (write_ec) return self->close();
                                   self->pump_to_back();
                                 });
      });
    }
    void pump_to_front() {
      auto self = shared_from_this();
      back.async_read_some(boost::asio::buffer(to_front), [self](auto ec, std::size_t n) {
        if (ec) return self->close();
        boost::asio::async_write(self->front, boost::asio::buffer(self->to_front.data(), n),
                                 [self](auto write_ec, std::size_t) {
                                   if (write_ec) return self->close();
                                   self->pump_to_front();
                                 });
      });
    }
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto session = std::make_shared<Session>(std::move(socket), context_);
      session->front.async_handshake(
          boost::asio::ssl::stream_base::server, [this, session](boost::system::error_code e) {
            if (e) return session->close();
            boost::system::error_code connect_ec;
            session->back.connect({boost::asio::ip::make_address("127.0.0.1"), backend_port_},
                                  connect_ec);
            if (connect_ec) return session->close();
            session->pump_to_back();
            session->pump_to_front();
          });
      accept();
    });
  }

  boost::asio::io_context io_;
  boost::asio::ssl::context context_;
  tcp::acceptor acceptor_{io_};
  unsigned short backend_port_;
  std::thread thread_;
};

}  // namespace sg::client::testing
