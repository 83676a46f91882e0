// `schemaguard.yaml`: which schema files the CI gate checks, under which subjects and levels.
//
// The format is documented in docs/ci-gate.md. Loading is strict: an unknown key, a value of
// the wrong type, a file that does not exist or a glob that matches nothing is an error naming
// the YAML line, because a gate that silently skips a misspelt entry lets breaking changes
// through.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/model/compatibility_level.h"
#include "schemaguard/model/schema_type.h"

namespace sg::gate {

// Where a registry is and how to log in to it; the secrets themselves stay in the environment.
struct RegistryConfig {
  std::string url;
  std::string username_env;  // names of environment variables; empty when not given
  std::string password_env;
  std::string token_env;  // a bearer token, instead of username and password
  // https only (sg::client::ClientOptions): PEM files, as absolute paths (the file gives them
  // relative to its directory). Empty when not given.
  std::string ca_file;    // the CAs to trust instead of the system's store
  std::string cert_file;  // a client certificate and its key, for mutual TLS
  std::string key_file;
};

// A schema the file refers to by `name` (an Avro full name, a JSON Schema `$ref`, a Protobuf
// import path), defined in another configured file.
struct ReferenceConfig {
  std::string name;
  std::string file;  // relative to the config's directory, '/'-separated
};

// One schema file and the subject it is registered under (a glob entry gives one per file).
struct SchemaConfig {
  std::string file;  // relative to the config's directory, '/'-separated
  std::string subject;
  SchemaType type = SchemaType::kAvro;
  // The level to check with; nullopt with level_from_registry: the baseline's level.
  std::optional<CompatibilityLevel> level;
  bool level_from_registry = false;
  std::vector<ReferenceConfig> references;
  int line = 0;  // the YAML line of the entry, for messages
};

struct Config {
  std::filesystem::path path;       // the file it was loaded from
  std::filesystem::path directory;  // schema paths are relative to this
  std::optional<RegistryConfig> registry;
  std::vector<SchemaConfig> schemas;  // in the order of the file; each file and subject once

  // The entry for `file` (as in SchemaConfig::file), or nullptr.
  const SchemaConfig* find_file(std::string_view file) const;
};

// Reads and validates the config at `path`. kInvalidArgument with "PATH:LINE: what is wrong"
// for anything invalid, kIoError when it cannot be read.
Result<Config> load_config(const std::filesystem::path& path);

// The same from text already read; schema paths are resolved against `directory`, and messages
// name `display_name`.
Result<Config> parse_config(std::string_view text, const std::filesystem::path& directory,
                            std::string_view display_name);

// The type a schema file's extension implies: .avsc → AVRO, .json → JSON, .proto → PROTOBUF.
std::optional<SchemaType> type_from_extension(std::string_view file);

// Whether '/'-separated `path` matches `pattern`: `*` and `?` stay within one path segment,
// `**` spans any number of segments, `[...]` is a character class.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace sg::gate
