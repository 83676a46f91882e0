#include "schemaguard/gate/init.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "schemaguard/gate/config.h"

namespace sg::gate {
namespace {

namespace fs = std::filesystem;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
// Bigger files are not schemas a person maintains (and would only slow the scan down).
constexpr std::uintmax_t kMaxSchemaBytes = 4 * 1024 * 1024;

struct Found {
  std::string path;  // relative to the configuration's directory, '/'-separated
  std::string type;  // avro, json, protobuf
};

bool skipped_directory(const fs::path& path) {
  static const std::set<std::string> kSkipped = {".git",   "node_modules", "build",  ".cache",
                                                 "target", "dist",         "vendor", "__pycache__"};
  return kSkipped.contains(path.filename().string());
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A .json file is taken for a JSON Schema when its top level is an object with a keyword only a
// schema has at the top (data files and package.json have none of these).
bool looks_like_json_schema(const fs::path& path) {
  boost::json::error_code ec;
  const boost::json::value document = boost::json::parse(read_text(path), ec);
  if (ec || !document.is_object()) return false;
  const auto& object = document.get_object();
  if (object.contains("$schema")) return true;
  for (std::string_view keyword :
       {"properties", "$ref", "allOf", "anyOf", "oneOf", "$defs", "definitions"}) {
    if (object.contains(keyword)) return true;
  }
  const auto* type = object.if_contains("type");
  return type != nullptr && type->is_string() &&
         (type->get_string() == "object" || type->get_string() == "array");
}

// The schema files under `root`, named relative to `config_directory` (where schemaguard.yaml
// goes: the paths in it are relative to it).
std::vector<Found> find_schemas(const fs::path& root, const fs::path& config_directory) {
  std::vector<Found> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    if (entry.is_directory(ec)) {
      if (skipped_directory(entry.path())) it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(ec) || entry.file_size(ec) > kMaxSchemaBytes) continue;
    const std::string extension = entry.path().extension().string();
    std::string type;
    if (extension == ".avsc") type = "avro";
    if (extension == ".proto") type = "protobuf";
    if (extension == ".json" && looks_like_json_schema(entry.path())) type = "json";
    if (type.empty()) continue;
    found.push_back(Found{
        fs::relative(fs::absolute(entry.path(), ec), config_directory, ec).generic_string(), type});
  }
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.path < b.path; });
  return found;
}

// "schemas/order-event.avsc" -> "order-event-value"; made unique with a counter.
std::string subject_for(const Found& file, std::set<std::string>& taken) {
  const std::string stem = fs::path(file.path).stem().string();
  std::string subject = stem + "-value";
  for (int n = 2; taken.contains(subject); ++n) subject = fmt::format("{}-{}-value", stem, n);
  taken.insert(subject);
  return subject;
}

// YAML double-quoted scalar.
std::string yaml_quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string starter(const std::vector<Found>& files) {
  std::string out =
      "# schemaguard.yaml: which schema files are which subjects, for `schemaguard check`\n"
      "# (docs/ci-gate.md). Written by `schemaguard init`; edit it to taste.\n"
      "#\n"
      "# BACKWARD: consumers upgrade first, so a new schema must read the events written with\n"
      "# the previous one. Other levels: FORWARD, FULL, NONE, their *_TRANSITIVE forms (checked\n"
      "# against every committed version), or `registry` to use each subject's level there.\n"
      "compatibility: BACKWARD\n"
      "\n"
      "# A registry for `check --against registry`, `plan` and `apply`; credentials come from\n"
      "# the environment variables named here, never from this file.\n"
      "# registry:\n"
      "#   url: https://schema-registry.example.com\n"
      "#   username_env: SCHEMA_REGISTRY_USER\n"
      "#   password_env: SCHEMA_REGISTRY_PASSWORD\n"
      "#   # https: the system's CAs are trusted; a company CA and a client certificate\n"
      "#   # (mutual TLS) are PEM files, relative to this file.\n"
      "#   # ca_file: certs/company-ca.pem\n"
      "#   # cert_file: certs/ci.pem\n"
      "#   # key_file: certs/ci-key.pem\n"
      "\n"
      "schemas:\n";
  std::set<std::string> taken;
  for (const Found& file : files) {
    out += fmt::format("  - file: {}\n", yaml_quoted(file.path));
    out += fmt::format("    subject: {}\n", yaml_quoted(subject_for(file, taken)));
    out += "    # or: strategy: topic-value (with topic: NAME), topic-key, record-name\n";
    out += fmt::format("    type: {}\n", file.type);
  }
  return out;
}

}  // namespace

int run_init_command(const InitCommand& command, std::ostream& out, std::ostream& err) {
  const fs::path root = command.directory.empty() ? fs::path(".") : fs::path(command.directory);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    err << fmt::format("error: {} is not a directory\n", root.string());
    return kExitUsage;
  }
  const fs::path output =
      command.output.empty() ? root / "schemaguard.yaml" : fs::path(command.output);
  if (fs::exists(output, ec) && !command.force) {
    err << fmt::format("error: {} exists; --force replaces it\n", output.string());
    return kExitUsage;
  }
  const fs::path config_directory = fs::absolute(output, ec).parent_path();
  const std::vector<Found> files = find_schemas(root, config_directory);
  if (files.empty()) {
    err << fmt::format(
        "error: no schema files under {} (.avsc, .proto, or .json files that are JSON Schemas)\n",
        root.string());
    return kExitUsage;
  }
  const std::string text = starter(files);
  // What init writes must be what check reads: load it back before writing it.
  auto config = parse_config(text, config_directory, output.string());
  if (!config.ok()) {
    err << fmt::format("error: the generated configuration does not load: {}\n",
                       config.error().message());
    return kExitUsage;
  }
  std::ofstream file(output, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    err << fmt::format("error: cannot write {}\n", output.string());
    return kExitUsage;
  }
  out << fmt::format("wrote {} with {} schema file(s); run `schemaguard check` next\n",
                     output.string(), files.size());
  return kExitOk;
}

}  // namespace sg::gate
