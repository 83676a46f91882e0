#include "schemaguard/http/access_log.h"

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <iterator>

#include "schemaguard/base/jackson.h"

namespace sg::http {
namespace {

// The logger's pattern owns the envelope (time, level, name); each message is the rest of the
// object's fields, so a line is one JSON object.
constexpr const char* kPattern = R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n",%v})";

// `,"name":"value"`, the value escaped.
void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += ",\"";
  out += name;
  out += "\":";
  append_jackson_string(out, value);
}

}  // namespace

std::shared_ptr<spdlog::logger> make_access_logger(spdlog::level::level_enum level,
                                                   std::vector<spdlog::sink_ptr> sinks) {
  if (sinks.empty()) sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  auto logger =
      std::make_shared<spdlog::logger>(std::string(kHttpLoggerName), sinks.begin(), sinks.end());
  logger->set_pattern(kPattern, spdlog::pattern_time_type::utc);
  logger->set_level(level);
  return logger;
}

std::shared_ptr<spdlog::logger> make_quiet_logger() {
  auto logger = std::make_shared<spdlog::logger>(std::string(kHttpLoggerName),
                                                 std::make_shared<spdlog::sinks::null_sink_mt>());
  logger->set_level(spdlog::level::off);
  return logger;
}

void log_access(spdlog::logger& logger, const AccessEntry& entry) {
  if (!logger.should_log(spdlog::level::info)) return;
  const double duration_ms = std::chrono::duration<double, std::milli>(entry.duration).count();
  // Built in one string: this runs for every request.
  std::string line = R"("msg":"request")";
  append_field(line, "method", entry.method);
  append_field(line, "target", entry.target);
  append_field(line, "route", entry.route);
  fmt::format_to(std::back_inserter(line),
                 R"(,"status":{},"bytes_in":{},"bytes_out":{},"duration_ms":{:.3f})", entry.status,
                 entry.bytes_in, entry.bytes_out, duration_ms);
  append_field(line, "request_id", entry.request_id);
  append_field(line, "remote", entry.remote);
  logger.log(spdlog::level::info, line);
}

void log_event(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
               std::string_view request_id) {
  if (!logger.should_log(level)) return;
  std::string line = R"("msg":)";
  append_jackson_string(line, message);
  append_field(line, "request_id", request_id);
  logger.log(level, line);
}

}  // namespace sg::http
