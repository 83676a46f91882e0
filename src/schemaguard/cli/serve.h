// `schemaguard serve`: the schema registry server.
//
//   schemaguard serve [--listen HOST:PORT] [--data-dir DIR] [--config FILE] [--port-file FILE] ...
//
// Wires the embedded SQLite log (DIR/registry.db) through registry::LogStore, compat::Engine and
// service::Registry to the REST API (api/routes.h), /metrics and the health endpoints, serves
// until SIGTERM or SIGINT, then stops gracefully: requests in progress finish and their durable
// writes complete before the store is closed.
//
// Every setting has a config-file key (Java properties: `data.dir=/var/lib/schemaguard`), an
// environment variable (SCHEMAGUARD_DATA_DIR) and a flag (--data-dir); the flag wins over the
// environment, the environment over the config file, the file over the default. The settings
// and their parsing are exposed here so tests can check them without starting a server.
//
// Exit status: 0 after a graceful stop, 1 if the server could not start (port taken, data
// directory unusable), 2 for a bad command line or setting.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/model/compatibility_level.h"

namespace sg::cli {

// What `serve` runs with, after defaults, config file, environment and flags.
struct ServeSettings {
  std::string host;
  std::uint16_t port = 0;
  std::filesystem::path data_dir;
  unsigned io_threads = 0;
  unsigned blocking_threads = 0;
  std::size_t max_body_bytes = 0;
  std::size_t max_header_bytes = 0;
  std::size_t max_connections = 0;
  std::uint64_t snapshot_every_records = 0;
  std::chrono::milliseconds header_timeout{0};
  std::chrono::milliseconds body_timeout{0};
  std::chrono::milliseconds write_timeout{0};
  std::chrono::milliseconds idle_timeout{0};
  std::chrono::milliseconds shutdown_timeout{0};
  CompatibilityLevel compatibility_level = CompatibilityLevel::kBackward;
  bool mode_mutability = true;
  bool validate_new_schemas = true;  // accepted but not honoured yet (see its --help text)
  std::string group_id;
  std::string log_level;  // an spdlog level name: trace, debug, info, warn, error, critical, off
};

// One setting. The flag and the environment variable derive from the key.
struct SettingInfo {
  std::string_view key;            // config-file key: "data.dir"
  std::string_view default_value;  // as it would be written in the config file
  std::string_view value_name;     // for --help: "DIR"
  std::string_view help;
  // Parses and stores `value`; the error message says what was expected.
  Status (*apply)(ServeSettings& settings, std::string_view value);
};

// Every setting, in --help order.
std::span<const SettingInfo> serve_settings();

// "data.dir" -> "--data-dir".
std::string setting_flag(std::string_view key);
// "data.dir" -> "SCHEMAGUARD_DATA_DIR".
std::string setting_env(std::string_view key);

// Looks up an environment variable; nullopt when unset.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
// The process environment (getenv).
Environment process_environment();

// Java-properties text (`key=value` or `key: value` lines, `#`/`!` comments, a trailing
// backslash continues a line) as key -> value; a repeated key keeps its last value. Keys must be
// settings: an unknown key is a kInvalidArgument error naming it, its file and line.
Result<std::map<std::string, std::string>> parse_config(std::string_view text,
                                                        std::string_view file_name);

// Where setting values come from, highest precedence first.
struct SettingSources {
  std::map<std::string, std::string> flags;   // by key: what the command line gave
  Environment env;                            // SCHEMAGUARD_*; unset or empty = not given
  std::map<std::string, std::string> config;  // parse_config() of the config file
  std::string config_file;                    // for messages
};

// Resolves every setting (flag > environment > config file > default) and parses it. A bad
// value is a kInvalidArgument error naming the setting, the value and where it came from.
Result<ServeSettings> resolve_settings(const SettingSources& sources);

// The text of `schemaguard serve --help`.
std::string serve_help();

// Runs `schemaguard serve`; `args` are the arguments after "serve". Blocks until SIGTERM or
// SIGINT, or returns at once for --help and for errors. Logs (JSON lines) go to `err`.
int run_serve(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
              const Environment& env = process_environment());

}  // namespace sg::cli
