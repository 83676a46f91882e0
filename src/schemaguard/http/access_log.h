// The access log: one JSON object per line per answered request, through spdlog.
//
//   {"ts":"2026-01-02T03:04:05.678901Z","level":"info","logger":"schemaguard.http",
//    "msg":"request","method":"GET","target":"/subjects","route":"/subjects","status":200,
//    "bytes_in":0,"bytes_out":17,"duration_ms":0.412,"request_id":"...","remote":"127.0.0.1:51234"}
//
// Requests log at info; failures inside the server (a handler that threw) at error, in the same
// format with "msg" saying what happened. The logger's level decides what is written: tests pass
// `make_quiet_logger()`, a server may raise the level to warn to keep only the errors.
#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <string_view>
#include <vector>

namespace sg::http {

inline constexpr std::string_view kHttpLoggerName = "schemaguard.http";

// A logger named kHttpLoggerName that writes JSON lines (UTC timestamps) to `sinks` (stderr if
// none) at `level` and above. It is not registered with spdlog's global registry.
std::shared_ptr<spdlog::logger> make_access_logger(
    spdlog::level::level_enum level = spdlog::level::info,
    std::vector<spdlog::sink_ptr> sinks = {});

// A logger that writes nothing.
std::shared_ptr<spdlog::logger> make_quiet_logger();

struct AccessEntry {
  std::string_view method;
  std::string_view target;
  std::string_view route;  // empty if no route matched
  int status = 0;
  std::size_t bytes_in = 0;   // request body
  std::size_t bytes_out = 0;  // response body
  std::chrono::nanoseconds duration{0};
  std::string_view request_id;
  std::string_view remote;  // "address:port"
};

// Writes `entry` at info level (nothing if the logger's level is above info).
void log_access(spdlog::logger& logger, const AccessEntry& entry);

// Writes `{"msg":<message>,"request_id":...}` at `level`, for events outside the access line.
void log_event(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
               std::string_view request_id = {});

}  // namespace sg::http
