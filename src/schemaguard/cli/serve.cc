#include "schemaguard/cli/serve.h"

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
#include <cctype>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <system_error>
#include <utility>

#include "schemaguard/api/routes.h"
#include "schemaguard/base/file.h"
#include "schemaguard/cli/commands.h"
#include "schemaguard/compat/engine.h"
#include "schemaguard/http/access_log.h"
#include "schemaguard/http/metrics.h"
#include "schemaguard/http/router.h"
#include "schemaguard/http/server.h"
#include "schemaguard/registry/log_store.h"
#include "schemaguard/service/registry.h"
#include "schemaguard/storage/sqlite_log.h"

namespace sg::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDatabaseFile = "registry.db";
// The projection at some log offset: restarts load it and replay only the records after it.
// Validated against the log before use (registry/snapshot.h), so a stale one is harmless.
constexpr std::string_view kSnapshotFile = "registry.snapshot";
constexpr int kExitStartFailed = 1;

Error invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

Result<std::uint64_t> parse_integer(std::string_view value, std::uint64_t min, std::uint64_t max) {
  std::uint64_t result = 0;
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, result);
  if (value.empty() || ec != std::errc() || ptr != end || result < min || result > max) {
    return invalid(fmt::format("expected an integer from {} to {}", min, max));
  }
  return result;
}

Result<bool> parse_bool(std::string_view value) {
  const std::string text = lower(value);
  if (text == "true") return true;
  if (text == "false") return false;
  return invalid("expected true or false");
}

// Generic setters for the table below; `Member` is the field they set.
template <auto Member, std::uint64_t kMin, std::uint64_t kMax>
Status set_integer(ServeSettings& settings, std::string_view value) {
  SG_ASSIGN_OR_RETURN(const std::uint64_t parsed, parse_integer(value, kMin, kMax));
  using Field = std::remove_reference_t<decltype(settings.*Member)>;
  settings.*Member = static_cast<Field>(parsed);
  return ok_status();
}

template <auto Member, std::uint64_t kMin>
Status set_millis(ServeSettings& settings, std::string_view value) {
  // A day: longer is surely a mistake (and stays far from overflowing the clocks).
  SG_ASSIGN_OR_RETURN(const std::uint64_t parsed, parse_integer(value, kMin, 86'400'000));
  settings.*Member = std::chrono::milliseconds(static_cast<std::int64_t>(parsed));
  return ok_status();
}

template <auto Member>
Status set_bool(ServeSettings& settings, std::string_view value) {
  SG_ASSIGN_OR_RETURN(settings.*Member, parse_bool(value));
  return ok_status();
}

Status set_listen(ServeSettings& settings, std::string_view value) {
  const auto colon = value.rfind(':');
  if (colon == std::string_view::npos) return invalid("expected HOST:PORT, e.g. 0.0.0.0:8081");
  std::string_view host = value.substr(0, colon);
  // [::1]:8081: an IPv6 literal is bracketed so that its colons are not the port's.
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) return invalid("expected HOST:PORT with a host, e.g. 0.0.0.0:8081");
  auto port = parse_integer(value.substr(colon + 1), 0, 65535);
  if (!port.ok()) return invalid("expected HOST:PORT with a port from 0 (any free port) to 65535");
  settings.host = std::string(host);
  settings.port = static_cast<std::uint16_t>(*port);
  return ok_status();
}

Status set_data_dir(ServeSettings& settings, std::string_view value) {
  if (value.empty()) return invalid("expected a directory");
  settings.data_dir = fs::path(std::string(value));
  return ok_status();
}

Status set_compatibility(ServeSettings& settings, std::string_view value) {
  const auto level = compatibility_level_from_string(value);
  if (!level) {
    return invalid(
        "expected none, backward, backward_transitive, forward, forward_transitive, full or "
        "full_transitive");
  }
  settings.compatibility_level = *level;
  return ok_status();
}

Status set_group_id(ServeSettings& settings, std::string_view value) {
  if (value.empty()) return invalid("expected a non-empty name");
  settings.group_id = std::string(value);
  return ok_status();
}

Status set_log_level(ServeSettings& settings, std::string_view value) {
  std::string level = lower(value);
  if (level == "warning") level = "warn";
  for (std::string_view name : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    if (level == name) {
      settings.log_level = level;
      return ok_status();
    }
  }
  return invalid("expected trace, debug, info, warn, error, critical or off");
}

// Defaults: rest-api.md §5.11 for the registry's own, ServerOptions' for the HTTP limits, except
// blocking.threads. A registration holds a blocking thread while it waits for its group's fsync,
// so the number of blocking threads caps how many registrations one fsync can serve; they sleep
// while they wait, so many cost little.
const SettingInfo kSettings[] = {
    {"listen", "0.0.0.0:8081", "HOST:PORT",
     "Address to listen on; port 0 picks a free one (logged, and written to --port-file)",
     &set_listen},
    {"data.dir", "./data", "DIR",
     "Directory of the registry's data (created if missing); the log is DIR/registry.db",
     &set_data_dir},
    {"io.threads", "0", "N",
     "Threads serving connections and fast requests; 0: one per CPU the process may use",
     &set_integer<&ServeSettings::io_threads, 0, 1024>},
    {"blocking.threads", "64", "N",
     "Threads running requests that wait for a durable write (registrations, deletes, config)",
     &set_integer<&ServeSettings::blocking_threads, 1, 4096>},
    {"max.body.bytes", "16777216", "BYTES", "Largest request body; larger: 413",
     &set_integer<&ServeSettings::max_body_bytes, 1, std::uint64_t{1} << 32>},
    {"max.header.bytes", "32768", "BYTES", "Largest request line and headers; larger: 431",
     &set_integer<&ServeSettings::max_header_bytes, 1024, std::uint64_t{1} << 30>},
    {"max.connections", "10000", "N", "Open connections; more are answered 503 and closed",
     &set_integer<&ServeSettings::max_connections, 1, 10'000'000>},
    {"header.timeout.ms", "10000", "MS", "Time a client has to send a request's headers (408)",
     &set_millis<&ServeSettings::header_timeout, 1>},
    {"body.timeout.ms", "30000", "MS", "Time a client has to send a request's body (408)",
     &set_millis<&ServeSettings::body_timeout, 1>},
    {"write.timeout.ms", "30000", "MS", "Time a client has to read a response",
     &set_millis<&ServeSettings::write_timeout, 1>},
    {"idle.timeout.ms", "60000", "MS", "How long an idle keep-alive connection stays open",
     &set_millis<&ServeSettings::idle_timeout, 1>},
    {"shutdown.timeout.ms", "10000", "MS",
     "On SIGTERM/SIGINT, how long requests in progress may take to finish",
     &set_millis<&ServeSettings::shutdown_timeout, 0>},
    {"snapshot.every.records", "50000", "N",
     "Write a snapshot of the registry state (DIR/registry.snapshot) after this many new log "
     "records, and at every graceful stop, so a restart replays only the tail; 0: only at stop",
     &set_integer<&ServeSettings::snapshot_every_records, 0, std::uint64_t{1} << 40>},
    {"schema.compatibility.level", "backward", "LEVEL",
     "Global compatibility level until PUT /config sets one: none, backward, forward, full or "
     "*_transitive",
     &set_compatibility},
    {"mode.mutability", "true", "BOOL", "Whether PUT and DELETE /mode are allowed",
     &set_bool<&ServeSettings::mode_mutability>},
    {"schema.validate.new.schemas", "true", "BOOL",
     "Accepted for compatibility with Confluent's setting, but not honoured yet: new Avro "
     "schemas always have their field defaults validated",
     &set_bool<&ServeSettings::validate_new_schemas>},
    {"schema.registry.group.id", "schema-registry", "NAME",
     "The cluster id GET /v1/metadata/id answers", &set_group_id},
    {"log.level", "info", "LEVEL",
     "trace, debug, info (one access line per request), warn, error, critical or off",
     &set_log_level},
};

const SettingInfo* find_setting(std::string_view key) {
  for (const SettingInfo& info : kSettings) {
    if (info.key == key) return &info;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Logging: JSON lines in the access log's envelope, from a logger named "schemaguard".

std::string json_string(std::string_view text) {
  return boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

// `,"name":value` for a log line.
std::string field(std::string_view name, std::uint64_t value) {
  return fmt::format(",{}:{}", json_string(name), value);
}
std::string field(std::string_view name, std::string_view value) {
  return fmt::format(",{}:{}", json_string(name), json_string(value));
}
std::string field_ms(std::string_view name, double millis) {
  return fmt::format(",{}:{:.3f}", json_string(name), millis);
}

void log_line(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
              const std::string& fields = {}) {
  if (!logger.should_log(level)) return;
  logger.log(level, fmt::format(R"("msg":{}{})", json_string(message), fields));
}

double millis_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// ---------------------------------------------------------------------------------------------
// Metrics.

// The registry's gauges and its compatibility-check counter, refreshed when /metrics is scraped
// (they are cheap to read then, and nothing else needs them in between).
class RegistryMetrics {
 public:
  RegistryMetrics(http::MetricsRegistry& metrics, const service::Registry& registry,
                  const registry::LogStore& store)
      : registry_(registry),
        store_(store),
        subjects_(metrics
                      .gauge("schemaguard_registry_subjects",
                             "Subjects with at least one version that is not soft-deleted.")
                      .with({})),
        schemas_(metrics
                     .gauge("schemaguard_registry_schemas",
                            "Distinct schema ids in use by some version (soft-deleted included), "
                            "across contexts.")
                     .with({})),
        queued_writes_(metrics
                           .gauge("schemaguard_registry_queued_writes",
                                  "Writes waiting for the next group commit.")
                           .with({})),
        log_records_(metrics
                         .gauge("schemaguard_registry_log_records",
                                "Records of the log applied to the registry's state.")
                         .with({})),
        checks_(metrics
                    .counter("schemaguard_compatibility_checks_total",
                             "Compatibility checks run (registrations and POST /compatibility).")
                    .with({})) {}

  void refresh() {
    // One refresh at a time: two concurrent scrapes must not both add the same counter delta.
    std::lock_guard lock(mutex_);
    subjects_.set(static_cast<double>(registry_.subject_count()));
    schemas_.set(static_cast<double>(registry_.schema_count()));
    queued_writes_.set(static_cast<double>(store_.queued_writes()));
    log_records_.set(static_cast<double>(store_.projection().applied_end()));
    const std::uint64_t checks = registry_.compatibility_checks();
    const std::uint64_t seen = checks_.value();
    if (checks > seen) checks_.inc(checks - seen);
  }

 private:
  const service::Registry& registry_;
  const registry::LogStore& store_;
  http::Gauge& subjects_;
  http::Gauge& schemas_;
  http::Gauge& queued_writes_;
  http::Gauge& log_records_;
  http::Counter& checks_;
  std::mutex mutex_;
};

// Buckets for requests that run compatibility checks: a re-registration answers in tens of
// microseconds, a check against many versions or a durable write in milliseconds.
std::vector<double> check_buckets() {
  return {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
          0.01,    0.025,    0.05,    0.1,    0.25,    0.5,    1,     2.5,    10};
}

bool runs_compatibility_check(std::string_view method, std::string_view route) {
  // Also under /contexts/{context}/...; registrations check against the subject's versions.
  return method == "POST" && (route.ends_with("/subjects/{subject}/versions") ||
                              route.find("/compatibility/subjects/") != std::string_view::npos);
}

// The HTTP metrics, plus a finer histogram of the requests that run compatibility checks. The
// service does not time the checks themselves, so this is the honest measure the server has.
class ServeObserver final : public http::RequestObserver {
 public:
  explicit ServeObserver(http::MetricsRegistry& metrics)
      : http_(metrics),
        checks_(metrics.histogram(
            "schemaguard_compatibility_request_duration_seconds",
            "Time to answer the requests that run compatibility checks (POST "
            "/subjects/{subject}/versions and POST /compatibility/...), from the request's first "
            "byte to its response, by route. Measured by the HTTP layer, not around the check "
            "alone: it includes JSON parsing and, for new registrations, the durable write; a "
            "re-registration of a known schema runs no check.",
            {"route"}, check_buckets())) {}

  void on_request(const http::RequestRecord& record) override {
    http_.on_request(record);
    if (runs_compatibility_check(record.method, record.route)) {
      checks_.with({record.route}).observe(std::chrono::duration<double>(record.duration).count());
    }
  }
  void on_connection_opened() override { http_.on_connection_opened(); }
  void on_connection_closed() override { http_.on_connection_closed(); }
  void on_connection_rejected() override { http_.on_connection_rejected(); }

 private:
  http::HttpMetrics http_;
  http::HistogramFamily& checks_;
};

// GET /metrics as http::add_metrics_route answers it, refreshing the registry metrics first.
Status add_refreshing_metrics_route(http::Router& router, const http::MetricsRegistry& metrics,
                                    RegistryMetrics& registry_metrics) {
  http::Router plain;
  SG_RETURN_IF_ERROR(http::add_metrics_route(plain, metrics));
  const http::Route& route = plain.routes().front();
  return router.add(
      http::Method::kGet, route.pattern,
      [render = route.handler, &registry_metrics](const http::Request& request) {
        registry_metrics.refresh();
        return render(request);
      },
      route.options);
}

// ---------------------------------------------------------------------------------------------
// Health.

enum class Phase { kStarting, kReady, kStopping };

Status add_health_routes(http::Router& router, const std::atomic<Phase>& phase) {
  // Live while the process answers at all: a supervisor restarts it otherwise.
  SG_RETURN_IF_ERROR(router.add(http::Method::kGet, "/health/live",
                                [](const http::Request&) { return http::Response::json("{}"); }));
  // Ready once the log is replayed and the server listens; not while stopping, so that a load
  // balancer takes the node out before its connections close.
  return router.add(http::Method::kGet, "/health/ready",
                    [&phase](const http::Request&) -> http::Response {
                      switch (phase.load(std::memory_order_acquire)) {
                        case Phase::kReady: return http::Response::json("{}");
                        case Phase::kStarting:
                          return http::error_response(503, 503, "The server is starting");
                        case Phase::kStopping: break;
                      }
                      return http::error_response(503, 503, "The server is stopping");
                    });
}

// ---------------------------------------------------------------------------------------------

// Written to a temporary file first and renamed, so a reader never sees a partial number.
Status write_port_file(const fs::path& file, std::uint16_t port) {
  fs::path temporary = file;
  temporary += fmt::format(".tmp{}", ::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << '\n';
    out.close();
    if (!out) {
      return Error(ErrorCode::kIoError, fmt::format("cannot write {}", temporary.string()));
    }
  }
  std::error_code ec;
  fs::rename(temporary, file, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return Error(ErrorCode::kIoError,
                 fmt::format("cannot rename {} to {}", temporary.string(), file.string()));
  }
  return ok_status();
}

std::string_view signal_name(int signal) {
  switch (signal) {
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    default: return "signal";
  }
}

// The arguments of `serve` that are not settings.
struct ServeArgs {
  std::optional<std::string> config_file;
  std::optional<std::string> port_file;
};

// Opens the store, serves until a termination signal, stops. Returns the exit status.
int serve(const ServeSettings& settings, const ServeArgs& args, http::TerminationSignals& signals,
          std::ostream& err) {
  // make_access_logger writes to stderr when given no sink.
  std::vector<spdlog::sink_ptr> sinks;
  if (&err != &std::cerr) {
    sinks.push_back(std::make_shared<spdlog::sinks::ostream_sink_mt>(err, true));
  }
  const auto level = spdlog::level::from_str(settings.log_level);
  const std::shared_ptr<spdlog::logger> access_logger = http::make_access_logger(level, sinks);
  const std::shared_ptr<spdlog::logger> logger = access_logger->clone("schemaguard");

  // A failure to start is logged, and also written plainly if the log level hides errors.
  auto fail = [&](std::string_view message, const Error& error) {
    log_line(*logger, spdlog::level::err, message, field("error", error.message()));
    if (!logger->should_log(spdlog::level::err)) {
      err << "error: " << message << ": " << error.message() << "\n";
    }
    return kExitStartFailed;
  };

  std::error_code ec;
  const fs::path data_dir = fs::absolute(settings.data_dir, ec).lexically_normal();
  const std::string listen = settings.host.find(':') == std::string::npos
                                 ? fmt::format("{}:{}", settings.host, settings.port)
                                 : fmt::format("[{}]:{}", settings.host, settings.port);
  log_line(*logger, spdlog::level::info, "starting",
           field("version", kVersion) + field("listen", listen) +
               field("data_dir", data_dir.string()) +
               field("config_file", args.config_file.value_or("")));

  const auto started = std::chrono::steady_clock::now();
  fs::create_directories(data_dir, ec);
  if (ec) {
    return fail("cannot create the data directory",
                Error(ErrorCode::kIoError, fmt::format("{}: {}", data_dir.string(), ec.message())));
  }
  auto log = storage::SqliteLog::open(data_dir / kDatabaseFile);
  if (!log.ok()) return fail("cannot open the registry log", log.error());
  registry::LogStore::Options store_options;
  store_options.snapshot_file = data_dir / kSnapshotFile;
  store_options.snapshot_every = settings.snapshot_every_records;
  store_options.note = [logger](std::string_view note) {
    log_line(*logger, spdlog::level::warn, note);
  };
  auto store = registry::LogStore::open(*std::move(log), std::move(store_options));
  if (!store.ok()) return fail("cannot replay the registry log", store.error());

  compat::Engine engine;
  service::RegistryOptions registry_options;
  registry_options.default_compatibility = settings.compatibility_level;
  registry_options.mode_mutability = settings.mode_mutability;
  registry_options.validate_new_schemas = settings.validate_new_schemas;
  service::Registry registry(**store, engine, registry_options);
  log_line(*logger, spdlog::level::info, "log replayed",
           field("records", (*store)->projection().applied_end()) +
               field("from_snapshot", (*store)->snapshot_end()) +
               field("skipped_records", (*store)->skipped_records()) +
               field("subjects", registry.subject_count()) +
               field("schemas", registry.schema_count()) +
               field_ms("duration_ms", millis_since(started)));

  http::MetricsRegistry metrics;
  ServeObserver observer(metrics);
  RegistryMetrics registry_metrics(metrics, registry, **store);
  std::atomic<Phase> phase{Phase::kStarting};

  http::Router router;
  api::ApiOptions api_options;
  api_options.version = std::string(kVersion);
  api_options.cluster_id = settings.group_id;
  Status routes = api::add_registry_routes(router, registry, api_options);
  if (routes.ok()) routes = add_refreshing_metrics_route(router, metrics, registry_metrics);
  if (routes.ok()) routes = add_health_routes(router, phase);
  if (!routes.ok()) return fail("cannot set up the routes", routes.error());

  http::ServerOptions options;
  options.host = settings.host;
  options.port = settings.port;
  options.io_threads = settings.io_threads;
  options.blocking_threads = settings.blocking_threads;
  options.max_body_bytes = settings.max_body_bytes;
  options.max_header_bytes = settings.max_header_bytes;
  options.max_connections = settings.max_connections;
  options.header_timeout = settings.header_timeout;
  options.body_timeout = settings.body_timeout;
  options.write_timeout = settings.write_timeout;
  options.idle_timeout = settings.idle_timeout;
  options.shutdown_timeout = settings.shutdown_timeout;
  options.observer = &observer;
  options.logger = access_logger;
  auto server = http::Server::start(options, router);
  if (!server.ok()) return fail("cannot listen", server.error());

  phase.store(Phase::kReady, std::memory_order_release);
  log_line(*logger, spdlog::level::info, "listening",
           field("address", (*server)->endpoint()) + field_ms("startup_ms", millis_since(started)));
  if (args.port_file) {
    if (Status written = write_port_file(*args.port_file, (*server)->port()); !written.ok()) {
      (*server)->stop();
      return fail("cannot write the port file", written.error());
    }
  }

  const int signal = signals.wait();
  phase.store(Phase::kStopping, std::memory_order_release);
  log_line(*logger, spdlog::level::info, "stopping",
           field("signal", signal_name(signal)) +
               field("open_connections", (*server)->open_connections()));
  const auto stopping = std::chrono::steady_clock::now();
  // Lets requests in progress finish (for up to shutdown.timeout.ms) and drains the blocking
  // pool, so no registration is still writing when the store closes below.
  (*server)->stop();
  server->reset();
  // No write is in flight any more: a snapshot now makes the next start replay nothing.
  if (Status snapshot = (*store)->write_snapshot(); !snapshot.ok()) {
    log_line(*logger, spdlog::level::warn, "snapshot not written",
             field("error", snapshot.error().message()));
  }
  store->reset();
  log_line(*logger, spdlog::level::info, "stopped",
           field_ms("duration_ms", millis_since(stopping)));
  return kExitOk;
}

}  // namespace

std::span<const SettingInfo> serve_settings() {
  return kSettings;
}

std::string setting_flag(std::string_view key) {
  std::string flag = "--";
  for (char c : key) flag += c == '.' ? '-' : c;
  return flag;
}

std::string setting_env(std::string_view key) {
  std::string name = "SCHEMAGUARD_";
  for (char c : key) {
    name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

Environment process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<std::map<std::string, std::string>> parse_config(std::string_view text,
                                                        std::string_view file_name) {
  std::map<std::string, std::string> config;
  std::size_t line_number = 0;
  std::string logical;  // a line and its continuations
  std::size_t logical_start = 0;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    line = trim(line);      // also drops a CR before the newline
    if (logical.empty()) {  // not a continuation: may be blank or a comment
      if (line.empty() || line.front() == '#' || line.front() == '!') continue;
      logical_start = line_number;
    }
    // An odd number of trailing backslashes continues the line on the next one.
    std::size_t backslashes = 0;
    while (backslashes < line.size() && line[line.size() - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 1) {
      logical.append(line.substr(0, line.size() - 1));
      if (!text.empty()) continue;
    } else {
      logical.append(line);
    }

    const std::string_view entry = logical;
    const auto separator = entry.find_first_of("=:");
    const auto space = entry.find_first_of(" \t");
    std::string_view key;
    std::string_view value;
    if (separator == std::string_view::npos && space == std::string_view::npos) {
      key = entry;  // a key alone has the empty value
    } else if (separator != std::string_view::npos &&
               (space == std::string_view::npos || separator < space)) {
      key = entry.substr(0, separator);
      value = entry.substr(separator + 1);
    } else {
      // "key value" or "key = value": whitespace ends the key, then one separator may follow.
      key = entry.substr(0, space);
      value = trim(entry.substr(space));
      if (!value.empty() && (value.front() == '=' || value.front() == ':')) value.remove_prefix(1);
    }
    key = trim(key);
    value = trim(value);
    if (find_setting(key) == nullptr) {
      return invalid(
          fmt::format("{}:{}: unknown setting '{}' (schemaguard serve --help lists them)",
                      file_name, logical_start, key));
    }
    config[std::string(key)] = std::string(value);
    logical.clear();
  }
  return config;
}

Result<ServeSettings> resolve_settings(const SettingSources& sources) {
  ServeSettings settings;
  for (const SettingInfo& info : kSettings) {
    const std::string key(info.key);
    std::string value;
    std::string origin;
    std::optional<std::string> env_value;
    if (sources.env) env_value = sources.env(setting_env(key));
    if (auto flag = sources.flags.find(key); flag != sources.flags.end()) {
      value = flag->second;
      origin = setting_flag(key);
    } else if (env_value && !env_value->empty()) {
      value = *env_value;
      origin = setting_env(key);
    } else if (auto entry = sources.config.find(key); entry != sources.config.end()) {
      value = entry->second;
      origin = fmt::format("{} in {}", key, sources.config_file);
    } else {
      value = std::string(info.default_value);
      origin = "the default";
    }
    if (Status applied = info.apply(settings, value); !applied.ok()) {
      return invalid(fmt::format("invalid {} '{}' (from {}): {}", key, value, origin,
                                 applied.error().message()));
    }
  }
  return settings;
}

std::string serve_help() {
  std::string help =
      "Usage: schemaguard serve [OPTIONS]\n"
      "\n"
      "Runs the schema registry: the Confluent Schema Registry REST API, /metrics (Prometheus),\n"
      "GET /health/live and GET /health/ready, with the data in an embedded SQLite log under\n"
      "the data directory. SIGTERM or SIGINT stops it gracefully (exit status 0); it exits with\n"
      "1 if it cannot start (port taken, data directory unusable) and 2 for a bad setting.\n"
      "\n"
      "Options:\n"
      "  -h, --help          Print this help and exit\n"
      "  --config FILE       Read settings from FILE, Java-properties syntax (key=value lines,\n"
      "                      # comments); unknown keys are an error. Env: SCHEMAGUARD_CONFIG\n"
      "  --port-file FILE    Once listening, write the bound port to FILE (for scripts that\n"
      "                      listen on port 0)\n"
      "\n"
      "Settings: each is a flag, an environment variable and a config-file key; a flag wins over\n"
      "the environment, the environment over the config file, the file over the default. An\n"
      "empty environment variable counts as unset.\n";
  for (const SettingInfo& info : kSettings) {
    help += fmt::format("\n  {} {}\n      {}\n      default {}   env {}   config {}\n",
                        setting_flag(info.key), info.value_name, info.help, info.default_value,
                        setting_env(info.key), info.key);
  }
  return help;
}

int run_serve(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
              const Environment& env) {
  // First: a SIGTERM that arrives while the log replays stops the server once it is up, rather
  // than killing the process half-way through startup.
  http::TerminationSignals signals;

  CLI::App app("schemaguard serve", "schemaguard serve");
  app.set_help_flag("-h,--help");
  std::map<std::string, std::optional<std::string>> flags;  // by setting key
  for (const SettingInfo& info : kSettings) {
    app.add_option(setting_flag(info.key), flags[std::string(info.key)]);
  }
  ServeArgs serve_args;
  app.add_option("--config", serve_args.config_file);
  app.add_option("--port-file", serve_args.port_file);

  std::vector<const char*> argv;
  argv.push_back("schemaguard serve");
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    out << serve_help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "error: " << e.what() << "\nRun schemaguard serve --help for usage.\n";
    return kExitUsage;
  }
  SettingSources sources;
  sources.env = env;
  for (const auto& [key, value] : flags) {
    if (value) sources.flags[key] = *value;
  }
  if (!serve_args.config_file) {
    if (auto from_env = env ? env("SCHEMAGUARD_CONFIG") : std::nullopt;
        from_env && !from_env->empty()) {
      serve_args.config_file = *from_env;
    }
  }

  if (serve_args.config_file) {
    auto text = read_file(*serve_args.config_file);
    if (!text.ok()) {
      err << fmt::format("error: cannot read config file {}\n", *serve_args.config_file);
      return kExitUsage;
    }
    auto config = parse_config(*text, *serve_args.config_file);
    if (!config.ok()) {
      err << "error: " << config.error().message() << "\n";
      return kExitUsage;
    }
    sources.config = *std::move(config);
    sources.config_file = *serve_args.config_file;
  }
  auto settings = resolve_settings(sources);
  if (!settings.ok()) {
    err << "error: " << settings.error().message() << "\n";
    return kExitUsage;
  }
  return serve(*settings, serve_args, signals, err);
}

}  // namespace sg::cli
