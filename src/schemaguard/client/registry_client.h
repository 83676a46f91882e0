// A small blocking client for the Confluent Schema Registry REST API (rest-api.md §4), for the
// CI gate's registry commands (check --against URL, export, import, plan, apply).
//
//   client::ClientOptions options;
//   options.url = "http://localhost:8081";
//   SG_ASSIGN_OR_RETURN(auto registry, client::RegistryClient::open(options));
//   SG_ASSIGN_OR_RETURN(std::vector<int> versions, registry->versions("orders-value"));
//
// HTTP/1.1 with one keep-alive connection, reopened when the server has closed it; for https,
// TLS 1.2 or later with the server's certificate and host name verified (see ClientOptions).
// Every call has a deadline (ClientOptions::timeout) for each step of the exchange.
//
// Errors: a registry error body `{"error_code", "message"}` becomes an Error carrying that code
// (ErrorCode's values are Confluent's) and the registry's message; a network failure, a timeout
// or an answer that is not the registry's JSON is kIoError naming the URL. A client is used from
// one thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/model/compatibility_level.h"

namespace sg::client {

// How to log in: basic auth (username and password) or a bearer token; neither when empty.
struct Credentials {
  std::string username;
  std::string password;
  std::string token;
};

// Reads credentials from environment variables named by the caller (a config names the
// variables, never the secrets). Empty names are skipped; a named variable that is unset is
// kInvalidArgument naming it, because a silently anonymous request fails later and less clearly.
Result<Credentials> credentials_from_env(std::string_view username_env,
                                         std::string_view password_env, std::string_view token_env);

// The Authorization header value for `credentials` ("Basic ...", "Bearer ..."), or "" for none.
std::string authorization_header(const Credentials& credentials);

struct ClientOptions {
  std::string url;  // http[s]://host[:port][/path prefix]
  Credentials credentials;
  std::chrono::milliseconds timeout{10'000};  // per request: connect, write and read
  // https only. A PEM file of the CA certificates to trust instead of the system's store (the
  // system's honours SSL_CERT_FILE and SSL_CERT_DIR); empty: the system's store.
  std::string ca_file;
  // https only: a client certificate chain and its private key (PEM files), for registries that
  // require mutual TLS. Both or neither.
  std::string cert_file;
  std::string key_file;
};

struct Reference {
  std::string name;
  std::string subject;
  int version = 0;

  friend bool operator==(const Reference&, const Reference&) = default;
};

// A subject's version as the registry returns it (GET /subjects/{s}/versions/{v}, lookup).
struct SchemaVersion {
  std::string subject;
  int version = 0;
  int id = 0;
  std::string schema_type = "AVRO";  // as Confluent spells it: AVRO, JSON, PROTOBUF
  std::string schema;
  std::vector<Reference> references;
  bool deleted = false;
};

// The body of register and lookup (rest-api.md §2.3).
struct SchemaRequest {
  std::string schema;
  std::string schema_type = "AVRO";
  std::vector<Reference> references;
  std::optional<int> id;       // IMPORT mode only
  std::optional<int> version;  // IMPORT mode: the version to create
};

struct RegisterOptions {
  bool normalize = false;
};

class RegistryClient {
 public:
  // Checks the URL and, for https, loads the TLS files; connects lazily, on the first request.
  // kInvalidArgument for a URL that is not http[s]://host[:port][/path], or a CA, certificate
  // or key file that cannot be loaded.
  static Result<std::unique_ptr<RegistryClient>> open(ClientOptions options);
  ~RegistryClient();
  RegistryClient(const RegistryClient&) = delete;
  RegistryClient& operator=(const RegistryClient&) = delete;

  // The URL it was opened with, without a trailing '/'.
  const std::string& url() const;

  // GET /subjects: every subject, sorted; with `deleted`, also those whose every version is
  // soft-deleted.
  Result<std::vector<std::string>> subjects(bool deleted = false);

  // GET /subjects/{s}/versions: ascending; with `deleted`, soft-deleted ones too. 40401 when
  // the subject has no (visible) versions.
  Result<std::vector<int>> versions(std::string_view subject, bool deleted = false);

  // GET /subjects/{s}/versions/{v}; with `deleted`, a soft-deleted version too.
  Result<SchemaVersion> version(std::string_view subject, int version, bool deleted = false);

  // GET /config/{s}: the subject's own level, or with `default_to_global` the effective one.
  // nullopt when the subject has no level of its own and `default_to_global` is false (40408).
  Result<std::optional<CompatibilityLevel>> config(std::string_view subject,
                                                   bool default_to_global);
  // GET /config: the global level (the server's default when none is stored).
  Result<CompatibilityLevel> global_config();
  // GET /config/{s}?defaultToGlobal=true: the subject's effective compatibilityPolicy (STRICT
  // when none is set).
  Result<CompatibilityPolicy> compatibility_policy(std::string_view subject);

  // GET /mode/{s}: READWRITE, READONLY, READONLY_OVERRIDE, IMPORT; nullopt when the subject has
  // no mode of its own and `default_to_global` is false (40409).
  Result<std::optional<std::string>> mode(std::string_view subject, bool default_to_global);
  // GET /mode.
  Result<std::string> global_mode();

  // POST /subjects/{s}/versions: the schema's id.
  Result<int> register_schema(std::string_view subject, const SchemaRequest& request,
                              RegisterOptions options = {});

  // POST /subjects/{s}: the version holding this content, or nullopt when the subject does not
  // hold it (40401, 40403). With `deleted`, soft-deleted versions count too.
  Result<std::optional<SchemaVersion>> lookup(std::string_view subject,
                                              const SchemaRequest& request, bool normalize = false,
                                              bool deleted = false);

  // PUT /config/{s}, or PUT /config for an empty subject.
  Status set_config(std::string_view subject, CompatibilityLevel level);
  // PUT /mode/{s}, or PUT /mode for an empty subject; `force` lets IMPORT into a non-empty
  // registry.
  Status set_mode(std::string_view subject, std::string_view mode, bool force = false);

  // DELETE /subjects/{s}[?permanent=true]: the versions deleted.
  Result<std::vector<int>> delete_subject(std::string_view subject, bool permanent = false);
  // DELETE /subjects/{s}/versions/{v}[?permanent=true].
  Status delete_version(std::string_view subject, int version, bool permanent = false);

 private:
  class Impl;
  explicit RegistryClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Percent-encodes `text` as one URL path segment (RFC 3986 unreserved characters stay).
std::string encode_path_segment(std::string_view text);

}  // namespace sg::client
