#include "schemaguard/http/access_log.h"

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>

namespace sg::http {
namespace {

// The logger's pattern owns the envelope (time, level, name); each message is the rest of the
// object's fields, so a line is one JSON object.
constexpr const char* kPattern = R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n",%v})";

std::string json_string(std::string_view text) {
  return boost::json::serialize(boost::json::string_view(text.data(), text.size()));
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
  logger.log(spdlog::level::info,
             fmt::format(R"("msg":"request","method":{},"target":{},"route":{},"status":{},)"
                         R"("bytes_in":{},"bytes_out":{},"duration_ms":{:.3f},"request_id":{},)"
                         R"("remote":{})",
                         json_string(entry.method), json_string(entry.target),
                         json_string(entry.route), entry.status, entry.bytes_in, entry.bytes_out,
                         duration_ms, json_string(entry.request_id), json_string(entry.remote)));
}

void log_event(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
               std::string_view request_id) {
  if (!logger.should_log(level)) return;
  logger.log(level, fmt::format(R"("msg":{},"request_id":{})", json_string(message),
                                json_string(request_id)));
}

}  // namespace sg::http
