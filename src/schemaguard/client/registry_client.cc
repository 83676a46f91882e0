#include "schemaguard/client/registry_client.h"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <optional>

namespace sg::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

constexpr std::string_view kMediaType = "application/vnd.schemaregistry.v1+json";

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto byte = [&](std::size_t i) -> unsigned {
    return i < in.size() ? static_cast<unsigned>(static_cast<unsigned char>(in[i])) : 0U;
  };
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const unsigned n = (byte(i) << 16U) | (byte(i + 1) << 8U) | byte(i + 2);
    const std::size_t rest = in.size() - i;  // 1, 2, or 3 and more
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += rest >= 2 ? kAlphabet[(n >> 6U) & 63U] : '=';
    out += rest >= 3 ? kAlphabet[n & 63U] : '=';
  }
  return out;
}

json::array references_json(const std::vector<Reference>& references) {
  json::array out;
  for (const Reference& reference : references) {
    out.push_back(json::object{
        {"name", reference.name}, {"subject", reference.subject}, {"version", reference.version}});
  }
  return out;
}

std::string request_body(const SchemaRequest& request) {
  json::object body;
  body["schema"] = request.schema;
  // AVRO is the default; leaving it out keeps requests readable by pre-5.5 registries.
  if (request.schema_type != "AVRO") body["schemaType"] = request.schema_type;
  if (!request.references.empty()) body["references"] = references_json(request.references);
  if (request.id) body["id"] = *request.id;
  if (request.version) body["version"] = *request.version;
  return json::serialize(body);
}

const char* flag(bool value) {
  return value ? "true" : "false";
}

}  // namespace

Result<Credentials> credentials_from_env(std::string_view username_env,
                                         std::string_view password_env,
                                         std::string_view token_env) {
  Credentials credentials;
  auto read = [](std::string_view name, std::string& into) -> Status {
    if (name.empty()) return ok_status();
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("environment variable {} (registry credentials) is not set", name));
    }
    into = value;
    return ok_status();
  };
  SG_RETURN_IF_ERROR(read(username_env, credentials.username));
  SG_RETURN_IF_ERROR(read(password_env, credentials.password));
  SG_RETURN_IF_ERROR(read(token_env, credentials.token));
  return credentials;
}

std::string authorization_header(const Credentials& credentials) {
  if (!credentials.token.empty()) return "Bearer " + credentials.token;
  if (!credentials.username.empty() || !credentials.password.empty()) {
    return "Basic " + base64(credentials.username + ":" + credentials.password);
  }
  return "";
}

std::string encode_path_segment(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

// --- The connection ---------------------------------------------------------------------------

class RegistryClient::Impl {
 public:
  struct Response {
    int status = 0;
    std::string body;
  };

  ClientOptions options;
  std::string url;  // without a trailing '/'
  std::string host;
  std::string port;
  std::string base_path;  // "" or "/prefix", prepended to every target
  std::string authorization;

  // One request and its JSON answer; registry errors become their Error.
  Result<json::value> call(bhttp::verb verb, const std::string& target, std::string body = {}) {
    SG_ASSIGN_OR_RETURN(Response response, exchange(verb, target, std::move(body)));
    boost::system::error_code ec;
    json::value parsed = json::parse(response.body, ec);
    if (response.status == 200) {
      if (ec) {
        return Error(ErrorCode::kIoError, fmt::format("{} {}{}: the answer is not JSON ({})",
                                                      verb_name(verb), url, target, ec.message()));
      }
      return parsed;
    }
    // The registry's error envelope carries the code clients branch on.
    const json::object* object = ec ? nullptr : parsed.if_object();
    const json::value* code = object ? object->if_contains("error_code") : nullptr;
    const json::value* message = object ? object->if_contains("message") : nullptr;
    if (code != nullptr && code->is_int64() && message != nullptr && message->is_string()) {
      return Error(static_cast<ErrorCode>(code->as_int64()), std::string(message->as_string()));
    }
    std::string excerpt = response.body.substr(0, 200);
    for (char& c : excerpt) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    return Error(ErrorCode::kIoError,
                 fmt::format("{} {}{}: HTTP {}{}{}", verb_name(verb), url, target, response.status,
                             excerpt.empty() ? "" : ": ", excerpt));
  }

 private:
  static std::string verb_name(bhttp::verb verb) {
    const auto name = bhttp::to_string(verb);
    return std::string(name.data(), name.size());
  }

  // Runs the queued asynchronous operation to completion (or to its deadline, when Beast
  // closes the socket): blocking calls with timeouts, which Beast's synchronous API lacks.
  void drive() {
    io_.restart();
    io_.run();
  }

  Error network_error(bhttp::verb verb, const std::string& target, std::string_view what,
                      const boost::system::error_code& ec) const {
    std::string reason = ec == beast::error::timeout
                             ? fmt::format("no answer within {} ms", options.timeout.count())
                             : ec.message();
    // Under TLS 1.3 a server that refuses the client's certificate, or its absence, says so
    // after the handshake: as an alert on the first read.
    if (ec.category() == asio::error::get_ssl_category() &&
        reason.find("alert") != std::string::npos) {
      reason = fmt::format(
          "the registry ended the TLS session: {} (does it require a client certificate it "
          "trusts? see cert_file and key_file)",
          reason);
    }
    return Error(ErrorCode::kIoError, fmt::format("cannot {} the registry at {} ({} {}): {}", what,
                                                  url, verb_name(verb), target, reason));
  }

  // The lowest layer of the connection in use: the TCP stream, under TLS for https.
  beast::tcp_stream& transport() { return secure_ ? beast::get_lowest_layer(*secure_) : stream_; }

  boost::system::error_code connect() {
    boost::system::error_code result;
    tcp::resolver resolver(io_);
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(host, port,
                           [&](boost::system::error_code ec, tcp::resolver::results_type found) {
                             result = ec;
                             endpoints = std::move(found);
                           });
    drive();
    if (result) return result;
    if (tls) secure_.emplace(io_, *tls);  // a TLS stream is not reused after a close
    transport().expires_after(options.timeout);
    transport().async_connect(
        endpoints, [&](boost::system::error_code ec, const tcp::endpoint&) { result = ec; });
    drive();
    if (!result && secure_) result = handshake();
    if (!result) connected_ = true;
    return result;
  }

  // TLS over the connected socket: the server's name sent (SNI, for names) and its certificate
  // checked against the trusted CAs and the name or address of the URL.
  boost::system::error_code handshake() {
    boost::system::error_code ec;
    SSL* ssl = secure_->native_handle();
    // OpenSSL checks the name during verification, so a mismatch is reported as one
    // ("hostname mismatch") rather than as an unspecified failure.
    const bool address = is_ip_address(host);
    const bool named =
        address ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1
                : SSL_set1_host(ssl, host.c_str()) == 1 &&
                      SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                               const_cast<char*>(host.c_str())) == 1;
    if (!named) return {static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()};
    secure_->set_verify_mode(asio::ssl::verify_peer, ec);
    if (ec) return ec;
    transport().expires_after(options.timeout);
    secure_->async_handshake(asio::ssl::stream_base::client,
                             [&](boost::system::error_code e) { ec = e; });
    drive();
    return ec;
  }

  static bool is_ip_address(const std::string& text) {
    boost::system::error_code ec;
    asio::ip::make_address(text, ec);
    return !ec;
  }

  // Why a connection failed, with the certificate problem OpenSSL recorded when there is one.
  std::string connect_failure(const boost::system::error_code& ec) {
    if (ec == beast::error::timeout) {
      return fmt::format("no answer within {} ms", options.timeout.count());
    }
    if (ec.category() != asio::error::get_ssl_category() || !secure_) return ec.message();
    std::string reason =
        fmt::format("TLS handshake with {}:{} failed: {}", host, port, ec.message());
    const long verify = SSL_get_verify_result(secure_->native_handle());
    if (verify != X509_V_OK) {
      reason += fmt::format(" ({})", X509_verify_cert_error_string(verify));
    }
    return reason;
  }

  void close() {
    boost::system::error_code ignored;
    // No TLS close_notify: the connection is dropped either way, and waiting for the peer's
    // answer could hang on a broken server.
    transport().socket().shutdown(tcp::socket::shutdown_both, ignored);
    transport().close();
    buffer_.clear();
    connected_ = false;
  }

  // Writes `request` and reads the answer into `parser` on `stream` (TCP or TLS), each step
  // under the deadline.
  template <typename Stream>
  boost::system::error_code write_and_read(Stream& stream,
                                           bhttp::request<bhttp::string_body>& request,
                                           bhttp::response_parser<bhttp::string_body>& parser) {
    boost::system::error_code result;
    transport().expires_after(options.timeout);
    bhttp::async_write(stream, request,
                       [&](boost::system::error_code ec, std::size_t) { result = ec; });
    drive();
    if (result) return result;
    transport().expires_after(options.timeout);
    bhttp::async_read(stream, buffer_, parser,
                      [&](boost::system::error_code ec, std::size_t) { result = ec; });
    drive();
    return result;
  }

  Result<Response> exchange(bhttp::verb verb, const std::string& target, std::string body) {
    bhttp::request<bhttp::string_body> request(verb, base_path + target, 11);
    request.set(bhttp::field::host, host);
    request.set(bhttp::field::accept, kMediaType);
    request.set(bhttp::field::user_agent, "schemaguard");
    if (!authorization.empty()) request.set(bhttp::field::authorization, authorization);
    if (!body.empty()) request.set(bhttp::field::content_type, kMediaType);
    request.body() = std::move(body);
    request.keep_alive(true);
    request.prepare_payload();

    // A kept-alive connection may have been closed by the server while idle: one fresh try.
    for (int attempt = 0;; ++attempt) {
      const bool reused = connected_;
      if (!connected_) {
        if (const auto ec = connect()) {
          const std::string reason = connect_failure(ec);
          close();
          return Error(ErrorCode::kIoError,
                       fmt::format("cannot connect to the registry at {} ({} {}): {}", url,
                                   verb_name(verb), target, reason));
        }
      }
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(256U << 20U);
      const boost::system::error_code result = secure_ ? write_and_read(*secure_, request, parser)
                                                       : write_and_read(stream_, request, parser);
      if (result) {
        close();
        const bool stale =
            reused && attempt == 0 && result != beast::error::timeout && !parser.got_some();
        if (stale) continue;
        return network_error(verb, target, "talk to", result);
      }
      auto message = parser.release();
      if (!message.keep_alive()) close();
      return Response{static_cast<int>(message.result_int()), std::move(message.body())};
    }
  }

  asio::io_context io_;
  beast::tcp_stream stream_{io_};                               // http
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure_;  // https, one per connection

 public:
  // https only: the TLS settings of every connection (set by open()).
  std::optional<asio::ssl::context> tls;

 private:
  beast::flat_buffer buffer_;
  bool connected_ = false;
};

// --- The API ----------------------------------------------------------------------------------

namespace {

Result<std::unique_ptr<RegistryClient>> bad_url(const std::string& url, std::string_view why) {
  return Error(ErrorCode::kInvalidArgument, fmt::format("registry URL '{}': {}", url, why));
}

Error unexpected(std::string_view what, const json::value& value) {
  return Error(ErrorCode::kIoError,
               fmt::format("the registry's answer to {} is not what the REST API defines: {}", what,
                           json::serialize(value).substr(0, 200)));
}

std::string subject_path(std::string_view prefix, std::string_view subject) {
  return fmt::format("{}/{}", prefix, encode_path_segment(subject));
}

Result<int> int_member(const json::object& object, std::string_view name, std::string_view what) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_int64()) return unexpected(what, object);
  return static_cast<int>(value->as_int64());
}

Result<SchemaVersion> parse_version(const json::value& value, std::string_view what) {
  const json::object* object = value.if_object();
  if (object == nullptr) return unexpected(what, value);
  SchemaVersion version;
  const json::value* subject = object->if_contains("subject");
  const json::value* schema = object->if_contains("schema");
  if (subject == nullptr || !subject->is_string() || schema == nullptr || !schema->is_string()) {
    return unexpected(what, value);
  }
  version.subject = std::string(subject->as_string());
  version.schema = std::string(schema->as_string());
  SG_ASSIGN_OR_RETURN(version.version, int_member(*object, "version", what));
  SG_ASSIGN_OR_RETURN(version.id, int_member(*object, "id", what));
  if (const json::value* type = object->if_contains("schemaType"); type && type->is_string()) {
    version.schema_type = std::string(type->as_string());
  }
  if (const json::value* deleted = object->if_contains("deleted"); deleted && deleted->is_bool()) {
    version.deleted = deleted->as_bool();
  }
  if (const json::value* references = object->if_contains("references")) {
    if (!references->is_array()) return unexpected(what, value);
    for (const json::value& item : references->as_array()) {
      const json::object* reference = item.if_object();
      const json::value* name = reference ? reference->if_contains("name") : nullptr;
      const json::value* ref_subject = reference ? reference->if_contains("subject") : nullptr;
      if (name == nullptr || !name->is_string() || ref_subject == nullptr ||
          !ref_subject->is_string()) {
        return unexpected(what, value);
      }
      SG_ASSIGN_OR_RETURN(const int number, int_member(*reference, "version", what));
      version.references.push_back(
          {std::string(name->as_string()), std::string(ref_subject->as_string()), number});
    }
  }
  return version;
}

Result<CompatibilityLevel> parse_level(const json::value& value, std::string_view what) {
  const json::object* object = value.if_object();
  const json::value* level = object ? object->if_contains("compatibilityLevel") : nullptr;
  if (level == nullptr && object) level = object->if_contains("compatibility");
  const auto parsed = level && level->is_string()
                          ? compatibility_level_from_string(std::string_view(level->as_string()))
                          : std::nullopt;
  if (!parsed) return unexpected(what, value);
  return *parsed;
}

Result<std::string> parse_mode(const json::value& value, std::string_view what) {
  const json::object* object = value.if_object();
  const json::value* mode = object ? object->if_contains("mode") : nullptr;
  if (mode == nullptr || !mode->is_string()) return unexpected(what, value);
  return std::string(mode->as_string());
}

Result<std::vector<int>> parse_ints(const json::value& value, std::string_view what) {
  if (!value.is_array()) return unexpected(what, value);
  std::vector<int> out;
  for (const json::value& item : value.as_array()) {
    if (!item.is_int64()) return unexpected(what, value);
    out.push_back(static_cast<int>(item.as_int64()));
  }
  return out;
}

// The TLS settings of an https client: TLS 1.2 or later, the server's certificate verified
// against `ca_file` or else the system's CA store (which honours SSL_CERT_FILE and
// SSL_CERT_DIR), and the client certificate for mutual TLS when one is given.
Result<asio::ssl::context> tls_context(const ClientOptions& options) {
  asio::ssl::context context(asio::ssl::context::tls_client);
  boost::system::error_code ec;
  auto failure = [&](std::string_view what, const std::string& file) {
    return Error(ErrorCode::kInvalidArgument,
                 file.empty() ? fmt::format("TLS: cannot {}: {}", what, ec.message())
                              : fmt::format("TLS: cannot {} '{}': {}", what, file, ec.message()));
  };
  if (SSL_CTX_ctrl(context.native_handle(), SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION,
                   nullptr) != 1) {
    return Error(ErrorCode::kInvalidArgument, "TLS: cannot require TLS 1.2 or later");
  }
  if (options.ca_file.empty()) {
    context.set_default_verify_paths(ec);
    if (ec) return failure("load the system's CA certificates", "");
  } else {
    context.load_verify_file(options.ca_file, ec);
    if (ec) return failure("load the CA file", options.ca_file);
  }
  if (options.cert_file.empty() != options.key_file.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "TLS: a client certificate needs both a certificate file and a key file");
  }
  if (!options.cert_file.empty()) {
    context.use_certificate_chain_file(options.cert_file, ec);
    if (ec) return failure("load the client certificate", options.cert_file);
    context.use_private_key_file(options.key_file, asio::ssl::context::pem, ec);
    if (ec) return failure("load the client key", options.key_file);
    if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("TLS: the client key '{}' does not belong to the certificate '{}'",
                               options.key_file, options.cert_file));
    }
  }
  return context;
}

}  // namespace

RegistryClient::RegistryClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RegistryClient::~RegistryClient() = default;

Result<std::unique_ptr<RegistryClient>> RegistryClient::open(ClientOptions options) {
  std::string url = options.url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  const bool https = url.rfind("https://", 0) == 0;
  if (!https && url.rfind("http://", 0) != 0) {
    return bad_url(options.url, "must start with http:// or https://");
  }
  if (!https && (!options.ca_file.empty() || !options.cert_file.empty())) {
    return bad_url(options.url, "TLS settings (a CA file, a client certificate) need https://");
  }
  auto impl = std::make_unique<Impl>();
  std::string rest = url.substr(https ? 8 : 7);
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    impl->base_path = rest.substr(slash);
    rest.resize(slash);
  }
  if (rest.find('@') != std::string::npos) {
    return bad_url(options.url,
                   "credentials do not belong in the URL; name environment variables for them");
  }
  // host, host:port, [v6], [v6]:port
  std::string host = rest;
  std::string port = https ? "443" : "80";
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string::npos) return bad_url(options.url, "unterminated IPv6 address");
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return bad_url(options.url, "junk after the IPv6 address");
      port = rest.substr(close + 2);
    }
  } else if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) return bad_url(options.url, "no host");
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    return bad_url(options.url, "the port must be a number up to 65535");
  }
  if (https) {
    SG_ASSIGN_OR_RETURN(impl->tls, tls_context(options));
  }
  impl->url = url;
  impl->host = host;
  impl->port = port;
  impl->authorization = authorization_header(options.credentials);
  impl->options = std::move(options);
  return std::unique_ptr<RegistryClient>(new RegistryClient(std::move(impl)));
}

const std::string& RegistryClient::url() const {
  return impl_->url;
}

Result<std::vector<std::string>> RegistryClient::subjects(bool deleted) {
  SG_ASSIGN_OR_RETURN(
      json::value value,
      impl_->call(bhttp::verb::get, fmt::format("/subjects?deleted={}", flag(deleted))));
  if (!value.is_array()) return unexpected("GET /subjects", value);
  std::vector<std::string> out;
  for (const json::value& item : value.as_array()) {
    if (!item.is_string()) return unexpected("GET /subjects", value);
    out.emplace_back(item.as_string());
  }
  return out;
}

Result<std::vector<int>> RegistryClient::versions(std::string_view subject, bool deleted) {
  const std::string target =
      fmt::format("{}/versions?deleted={}", subject_path("/subjects", subject), flag(deleted));
  SG_ASSIGN_OR_RETURN(json::value value, impl_->call(bhttp::verb::get, target));
  return parse_ints(value, "GET " + target);
}

Result<SchemaVersion> RegistryClient::version(std::string_view subject, int version, bool deleted) {
  const std::string target = fmt::format(
      "{}/versions/{}?deleted={}", subject_path("/subjects", subject), version, flag(deleted));
  SG_ASSIGN_OR_RETURN(json::value value, impl_->call(bhttp::verb::get, target));
  return parse_version(value, "GET " + target);
}

Result<std::optional<CompatibilityLevel>> RegistryClient::config(std::string_view subject,
                                                                 bool default_to_global) {
  const std::string target = fmt::format("{}?defaultToGlobal={}", subject_path("/config", subject),
                                         flag(default_to_global));
  auto value = impl_->call(bhttp::verb::get, target);
  if (!value.ok() && value.error().code() == ErrorCode::kSubjectCompatibilityNotConfigured) {
    return std::optional<CompatibilityLevel>();
  }
  if (!value.ok()) return value.error();
  SG_ASSIGN_OR_RETURN(CompatibilityLevel level, parse_level(*value, "GET " + target));
  return std::optional<CompatibilityLevel>(level);
}

Result<CompatibilityLevel> RegistryClient::global_config() {
  SG_ASSIGN_OR_RETURN(json::value value, impl_->call(bhttp::verb::get, "/config"));
  return parse_level(value, "GET /config");
}

Result<CompatibilityPolicy> RegistryClient::compatibility_policy(std::string_view subject) {
  const std::string target =
      fmt::format("{}?defaultToGlobal=true", subject_path("/config", subject));
  SG_ASSIGN_OR_RETURN(json::value value, impl_->call(bhttp::verb::get, target));
  const json::object* object = value.if_object();
  if (object == nullptr) return unexpected("GET " + target, value);
  const json::value* policy = object->if_contains("compatibilityPolicy");
  return compatibility_policy_from_config(policy && policy->is_string()
                                              ? std::optional<std::string>(policy->as_string())
                                              : std::nullopt);
}

Result<std::optional<std::string>> RegistryClient::mode(std::string_view subject,
                                                        bool default_to_global) {
  const std::string target =
      fmt::format("{}?defaultToGlobal={}", subject_path("/mode", subject), flag(default_to_global));
  auto value = impl_->call(bhttp::verb::get, target);
  if (!value.ok() && value.error().code() == ErrorCode::kSubjectModeNotConfigured) {
    return std::optional<std::string>();
  }
  if (!value.ok()) return value.error();
  SG_ASSIGN_OR_RETURN(std::string mode, parse_mode(*value, "GET " + target));
  return std::optional<std::string>(std::move(mode));
}

Result<std::string> RegistryClient::global_mode() {
  SG_ASSIGN_OR_RETURN(json::value value, impl_->call(bhttp::verb::get, "/mode"));
  return parse_mode(value, "GET /mode");
}

Result<int> RegistryClient::register_schema(std::string_view subject, const SchemaRequest& request,
                                            RegisterOptions options) {
  const std::string target = fmt::format(
      "{}/versions?normalize={}", subject_path("/subjects", subject), flag(options.normalize));
  SG_ASSIGN_OR_RETURN(json::value value,
                      impl_->call(bhttp::verb::post, target, request_body(request)));
  const json::object* object = value.if_object();
  if (object == nullptr) return unexpected("POST " + target, value);
  return int_member(*object, "id", "POST " + target);
}

Result<std::optional<SchemaVersion>> RegistryClient::lookup(std::string_view subject,
                                                            const SchemaRequest& request,
                                                            bool normalize, bool deleted) {
  const std::string target =
      fmt::format("{}?normalize={}&deleted={}", subject_path("/subjects", subject), flag(normalize),
                  flag(deleted));
  auto value = impl_->call(bhttp::verb::post, target, request_body(request));
  if (!value.ok() && (value.error().code() == ErrorCode::kSubjectNotFound ||
                      value.error().code() == ErrorCode::kSchemaNotFound)) {
    return std::optional<SchemaVersion>();
  }
  if (!value.ok()) return value.error();
  SG_ASSIGN_OR_RETURN(SchemaVersion version, parse_version(*value, "POST " + target));
  return std::optional<SchemaVersion>(std::move(version));
}

Status RegistryClient::set_config(std::string_view subject, CompatibilityLevel level) {
  const std::string target = subject.empty() ? "/config" : subject_path("/config", subject);
  json::object body;
  body["compatibility"] = to_string(level);
  SG_ASSIGN_OR_RETURN(json::value ignored,
                      impl_->call(bhttp::verb::put, target, json::serialize(body)));
  (void)ignored;
  return ok_status();
}

Status RegistryClient::set_mode(std::string_view subject, std::string_view mode, bool force) {
  const std::string target = fmt::format(
      "{}?force={}", subject.empty() ? "/mode" : subject_path("/mode", subject), flag(force));
  json::object body;
  body["mode"] = mode;
  SG_ASSIGN_OR_RETURN(json::value ignored,
                      impl_->call(bhttp::verb::put, target, json::serialize(body)));
  (void)ignored;
  return ok_status();
}

Result<std::vector<int>> RegistryClient::delete_subject(std::string_view subject, bool permanent) {
  const std::string target =
      fmt::format("{}?permanent={}", subject_path("/subjects", subject), flag(permanent));
  SG_ASSIGN_OR_RETURN(json::value value, impl_->call(bhttp::verb::delete_, target));
  return parse_ints(value, "DELETE " + target);
}

Status RegistryClient::delete_version(std::string_view subject, int version, bool permanent) {
  const std::string target = fmt::format(
      "{}/versions/{}?permanent={}", subject_path("/subjects", subject), version, flag(permanent));
  SG_ASSIGN_OR_RETURN(json::value ignored, impl_->call(bhttp::verb::delete_, target));
  (void)ignored;
  return ok_status();
}

}  // namespace sg::client
