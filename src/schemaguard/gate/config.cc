#include "schemaguard/gate/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

namespace sg::gate {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

bool is_glob(std::string_view file) {
  return file.find_first_of("*?[") != std::string_view::npos;
}

// Validation state: where messages point, and the schemas found so far.
class Loader {
 public:
  Loader(const fs::path& directory, std::string_view display_name)
      : directory_(directory), name_(display_name) {}

  Result<Config> load(std::string_view text);

 private:
  // "schemaguard.yaml:12:5: message": YAML marks are 0-based, editors count from 1.
  Error error_at(const YAML::Node& node, std::string_view message) const {
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0)
      return Error(ErrorCode::kInvalidArgument, fmt::format("{}: {}", name_, message));
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}:{}:{}: {}", name_, mark.line + 1, mark.column + 1, message));
  }

  Status expect_keys(const YAML::Node& map, std::string_view what,
                     std::initializer_list<std::string_view> allowed) const;
  Result<std::string> scalar(const YAML::Node& node, std::string_view key) const;
  Result<std::optional<CompatibilityLevel>> level(const YAML::Node& node,
                                                  bool& from_registry) const;
  Result<std::string> record_name(const SchemaConfig& schema, const YAML::Node& entry) const;
  Result<std::vector<std::string>> expand(const YAML::Node& file_node,
                                          const std::string& file) const;
  Status add_entry(const YAML::Node& entry, Config& config);

  fs::path directory_;
  std::string name_;
  std::optional<CompatibilityLevel> default_level_ = CompatibilityLevel::kBackward;
  bool default_from_registry_ = false;
  // Reference files, validated once every entry is known; with the node naming them.
  std::vector<std::pair<std::string, YAML::Node>> reference_nodes_;
};

Status Loader::expect_keys(const YAML::Node& map, std::string_view what,
                           std::initializer_list<std::string_view> allowed) const {
  if (!map.IsMap()) return error_at(map, fmt::format("{} must be a mapping", what));
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar())
      return error_at(it->first, fmt::format("{}: keys must be strings", what));
    const std::string key = it->first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string expected;
      for (std::string_view a : allowed)
        expected += fmt::format("{}{}", expected.empty() ? "" : ", ", a);
      return error_at(it->first, fmt::format("unknown key '{}' in {} (expected one of: {})", key,
                                             what, expected));
    }
  }
  return ok_status();
}

Result<std::string> Loader::scalar(const YAML::Node& node, std::string_view key) const {
  if (!node.IsScalar() || node.Scalar().empty()) {
    return error_at(node, fmt::format("'{}' must be a non-empty string", key));
  }
  return node.Scalar();
}

Result<std::optional<CompatibilityLevel>> Loader::level(const YAML::Node& node,
                                                        bool& from_registry) const {
  SG_ASSIGN_OR_RETURN(const std::string text, scalar(node, "compatibility"));
  from_registry = lower(text) == "registry";
  if (from_registry) return std::optional<CompatibilityLevel>();
  const auto parsed = compatibility_level_from_string(text);
  if (!parsed) {
    return error_at(node, fmt::format("unknown compatibility level '{}' (expected NONE, BACKWARD, "
                                      "BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, "
                                      "FULL_TRANSITIVE or registry)",
                                      text));
  }
  return std::optional<CompatibilityLevel>(*parsed);
}

// The record-name strategies name the subject after the schema's own top-level name, so the
// file has to be read here; a file that is not JSON is reported later, by the check, with the
// parser's message.
Result<std::string> Loader::record_name(const SchemaConfig& schema, const YAML::Node& entry) const {
  if (schema.type == SchemaType::kProtobuf) {
    return error_at(entry, fmt::format("{}: the record-name strategies are not supported for "
                                       "Protobuf yet; give the subject explicitly",
                                       schema.file));
  }
  std::ifstream in(directory_ / schema.file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  const boost::json::value json = boost::json::parse(text.str(), ec);
  const boost::json::object* object = ec ? nullptr : json.if_object();
  // Avro names a record with "name" (and "namespace"); Confluent's JSON Schema strategy uses
  // the schema's "title".
  const char* key = schema.type == SchemaType::kAvro ? "name" : "title";
  const boost::json::string* name = nullptr;
  if (object != nullptr) {
    if (const auto* found = object->if_contains(key)) name = found->if_string();
  }
  if (name == nullptr) {
    return error_at(entry, fmt::format("{}: the record-name strategy needs a top-level \"{}\" in "
                                       "the schema",
                                       schema.file, key));
  }
  std::string full(name->c_str());
  if (schema.type == SchemaType::kAvro && full.find('.') == std::string::npos) {
    if (const auto* ns = object->if_contains("namespace");
        ns && ns->is_string() && !ns->as_string().empty()) {
      full = fmt::format("{}.{}", ns->as_string().c_str(), full);
    }
  }
  return full;
}

Result<std::vector<std::string>> Loader::expand(const YAML::Node& file_node,
                                                const std::string& file) const {
  std::vector<std::string> files;
  std::error_code ec;
  if (!is_glob(file)) {
    if (!fs::is_regular_file(directory_ / file, ec)) {
      return error_at(file_node, fmt::format("schema file '{}' does not exist (paths are relative "
                                             "to {})",
                                             file, directory_.string()));
    }
    files.push_back(fs::path(file).lexically_normal().generic_string());
    return files;
  }
  const std::string pattern = fs::path(file).lexically_normal().generic_string();
  for (auto it = fs::recursive_directory_iterator(directory_, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string leaf = it->path().filename().string();
    // Hidden directories (.git above all) never hold the schemas a config means.
    if (it->is_directory(ec) && !leaf.empty() && leaf[0] == '.') {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    const std::string relative = it->path().lexically_relative(directory_).generic_string();
    if (glob_match(pattern, relative)) files.push_back(relative);
  }
  if (ec)
    return error_at(file_node,
                    fmt::format("cannot list {}: {}", directory_.string(), ec.message()));
  std::sort(files.begin(), files.end());
  if (files.empty()) return error_at(file_node, fmt::format("'{}' matches no files", file));
  return files;
}

Status Loader::add_entry(const YAML::Node& entry, Config& config) {
  SG_RETURN_IF_ERROR(
      expect_keys(entry, "a schema entry",
                  {"file", "subject", "strategy", "topic", "type", "compatibility", "references"}));
  const YAML::Node file_node = entry["file"];
  if (!file_node) return error_at(entry, "a schema entry needs 'file' (a path or a glob)");
  SG_ASSIGN_OR_RETURN(const std::string file, scalar(file_node, "file"));
  SG_ASSIGN_OR_RETURN(const std::vector<std::string> files, expand(file_node, file));

  std::optional<SchemaType> type;
  if (const YAML::Node node = entry["type"]) {
    SG_ASSIGN_OR_RETURN(const std::string text, scalar(node, "type"));
    const std::string name = lower(text);
    if (name == "avro") type = SchemaType::kAvro;
    if (name == "json" || name == "jsonschema" || name == "json_schema") type = SchemaType::kJson;
    if (name == "protobuf" || name == "proto") type = SchemaType::kProtobuf;
    if (!type) {
      return error_at(node, fmt::format("unknown schema type '{}' (expected avro, json or "
                                        "protobuf)",
                                        text));
    }
  }

  std::optional<CompatibilityLevel> entry_level = default_level_;
  bool from_registry = default_from_registry_;
  if (const YAML::Node node = entry["compatibility"]) {
    SG_ASSIGN_OR_RETURN(entry_level, level(node, from_registry));
  }

  const YAML::Node subject_node = entry["subject"];
  const YAML::Node strategy_node = entry["strategy"];
  const YAML::Node topic_node = entry["topic"];
  if (subject_node && strategy_node) {
    return error_at(strategy_node, "give either 'subject' or 'strategy', not both");
  }
  if (!subject_node && !strategy_node) {
    return error_at(entry,
                    "a schema entry needs 'subject' or 'strategy' (topic-value, topic-key, "
                    "record-name, topic-record-name)");
  }
  std::string subject;
  std::string strategy;
  std::string topic;
  if (subject_node) {
    SG_ASSIGN_OR_RETURN(subject, scalar(subject_node, "subject"));
    if (files.size() > 1) {
      return error_at(subject_node, fmt::format("'{}' matches {} files, which cannot share one "
                                                "subject; use a strategy",
                                                file, files.size()));
    }
    if (topic_node) return error_at(topic_node, "'topic' is only used with a strategy");
  } else {
    SG_ASSIGN_OR_RETURN(strategy, scalar(strategy_node, "strategy"));
    const bool needs_topic =
        strategy == "topic-value" || strategy == "topic-key" || strategy == "topic-record-name";
    if (!needs_topic && strategy != "record-name") {
      return error_at(strategy_node, fmt::format("unknown strategy '{}' (expected topic-value, "
                                                 "topic-key, record-name or topic-record-name)",
                                                 strategy));
    }
    if (needs_topic && !topic_node) {
      return error_at(strategy_node, fmt::format("strategy {} needs 'topic'", strategy));
    }
    if (!needs_topic && topic_node) {
      return error_at(topic_node, "strategy record-name does not use 'topic'");
    }
    if (topic_node) {
      SG_ASSIGN_OR_RETURN(topic, scalar(topic_node, "topic"));
    }
    if (files.size() > 1 && (strategy == "topic-value" || strategy == "topic-key")) {
      return error_at(strategy_node, fmt::format("'{}' matches {} files, which cannot share the "
                                                 "subject of strategy {}",
                                                 file, files.size(), strategy));
    }
  }

  std::vector<ReferenceConfig> references;
  if (const YAML::Node node = entry["references"]) {
    if (!node.IsMap()) {
      return error_at(node,
                      "'references' must be a mapping from the name the schema uses to "
                      "the file that defines it");
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      SG_ASSIGN_OR_RETURN(std::string name, scalar(it->first, "references"));
      SG_ASSIGN_OR_RETURN(const std::string target, scalar(it->second, name));
      if (is_glob(target)) return error_at(it->second, "a reference names one file, not a glob");
      references.push_back({std::move(name), fs::path(target).lexically_normal().generic_string()});
      reference_nodes_.emplace_back(references.back().file, it->second);
    }
  }

  for (const std::string& matched : files) {
    SchemaConfig schema;
    schema.file = matched;
    schema.line = entry.Mark().line + 1;
    if (type) {
      schema.type = *type;
    } else if (const auto inferred = type_from_extension(matched)) {
      schema.type = *inferred;
    } else {
      return error_at(file_node, fmt::format("cannot tell the schema type of '{}' from its "
                                             "extension (.avsc, .json, .proto); give 'type'",
                                             matched));
    }
    schema.level = entry_level;
    schema.level_from_registry = from_registry;
    schema.references = references;
    if (!subject.empty()) {
      schema.subject = subject;
    } else if (strategy == "topic-value") {
      schema.subject = topic + "-value";
    } else if (strategy == "topic-key") {
      schema.subject = topic + "-key";
    } else {
      SG_ASSIGN_OR_RETURN(const std::string record, record_name(schema, entry));
      schema.subject = strategy == "record-name" ? record : fmt::format("{}-{}", topic, record);
    }
    for (const SchemaConfig& other : config.schemas) {
      if (other.file == schema.file) {
        return error_at(entry, fmt::format("'{}' is already mapped by the entry on line {}",
                                           schema.file, other.line));
      }
      if (other.subject == schema.subject) {
        return error_at(entry, fmt::format("subject '{}' is already used by '{}' (line {})",
                                           schema.subject, other.file, other.line));
      }
    }
    config.schemas.push_back(std::move(schema));
  }
  return ok_status();
}

Result<Config> Loader::load(std::string_view text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}:{}:{}: invalid YAML: {}", name_, e.mark.line + 1,
                             e.mark.column + 1, e.msg));
  }
  Config config;
  config.directory = directory_;
  if (!root || root.IsNull()) {
    return Error(ErrorCode::kInvalidArgument, fmt::format("{}: the file is empty", name_));
  }
  try {
    SG_RETURN_IF_ERROR(expect_keys(root, "the configuration",
                                   {"version", "compatibility", "registry", "schemas"}));
    if (const YAML::Node node = root["version"]) {
      if (!node.IsScalar() || node.Scalar() != "1") {
        return error_at(node, "'version' must be 1 (the only version of this format)");
      }
    }
    if (const YAML::Node node = root["compatibility"]) {
      SG_ASSIGN_OR_RETURN(default_level_, level(node, default_from_registry_));
    }
    if (const YAML::Node node = root["registry"]) {
      SG_RETURN_IF_ERROR(expect_keys(node, "'registry'",
                                     {"url", "username_env", "password_env", "token_env", "ca_file",
                                      "cert_file", "key_file"}));
      RegistryConfig registry;
      if (!node["url"]) return error_at(node, "'registry' needs 'url'");
      SG_ASSIGN_OR_RETURN(registry.url, scalar(node["url"], "url"));
      if (registry.url.rfind("http://", 0) != 0 && registry.url.rfind("https://", 0) != 0) {
        return error_at(node["url"], "'url' must start with http:// or https://");
      }
      if (node["username_env"]) {
        SG_ASSIGN_OR_RETURN(registry.username_env, scalar(node["username_env"], "username_env"));
      }
      if (node["password_env"]) {
        SG_ASSIGN_OR_RETURN(registry.password_env, scalar(node["password_env"], "password_env"));
      }
      if (node["token_env"]) {
        SG_ASSIGN_OR_RETURN(registry.token_env, scalar(node["token_env"], "token_env"));
      }
      if (registry.username_env.empty() != registry.password_env.empty()) {
        return error_at(node, "give both 'username_env' and 'password_env', or neither");
      }
      for (auto [key, field] :
           {std::pair{"ca_file", &registry.ca_file}, std::pair{"cert_file", &registry.cert_file},
            std::pair{"key_file", &registry.key_file}}) {
        if (!node[key]) continue;
        SG_ASSIGN_OR_RETURN(const std::string file, scalar(node[key], key));
        const fs::path path = directory_ / file;
        std::error_code ec;
        if (!fs::is_regular_file(path, ec)) {
          return error_at(node[key], fmt::format("'{}': no such file: {}", key, path.string()));
        }
        *field = path.lexically_normal().string();
      }
      if (registry.cert_file.empty() != registry.key_file.empty()) {
        return error_at(node, "give both 'cert_file' and 'key_file', or neither");
      }
      const bool tls_settings = !registry.ca_file.empty() || !registry.cert_file.empty();
      if (tls_settings && registry.url.rfind("https://", 0) != 0) {
        return error_at(node, "'ca_file', 'cert_file' and 'key_file' need an https:// 'url'");
      }
      config.registry = std::move(registry);
    }
    const YAML::Node schemas = root["schemas"];
    if (!schemas) return error_at(root, "the configuration needs 'schemas' (a list of entries)");
    if (!schemas.IsSequence() || schemas.size() == 0) {
      return error_at(schemas, "'schemas' must be a non-empty list of entries");
    }
    for (const YAML::Node& entry : schemas) SG_RETURN_IF_ERROR(add_entry(entry, config));
    for (const auto& [file, node] : reference_nodes_) {
      if (config.find_file(file) == nullptr) {
        return error_at(node, fmt::format("referenced file '{}' is not mapped to a subject by any "
                                          "entry (a reference is resolved as that subject's "
                                          "version)",
                                          file));
      }
    }
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on conversions and malformed nodes; keep its position.
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}:{}:{}: {}", name_, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  config.path = fs::path(name_);
  return config;
}

// Matches pattern[p..] against path[s..]; recursion only at `**`, which real globs use once or
// twice, so the cost stays small.
bool match_from(std::string_view pattern, std::string_view path) {
  std::size_t p = 0;
  std::size_t s = 0;
  while (p < pattern.size()) {
    if (pattern.compare(p, 2, "**") == 0) {
      // "**/" matches zero or more whole directories; a trailing "**" matches the rest.
      std::size_t rest = p + 2;
      const bool whole_segments = rest < pattern.size() && pattern[rest] == '/';
      if (whole_segments) ++rest;
      for (std::size_t t = s; t <= path.size(); ++t) {
        if ((!whole_segments || t == s || path[t - 1] == '/') &&
            match_from(pattern.substr(rest), path.substr(t))) {
          return true;
        }
      }
      return false;
    }
    const char c = pattern[p];
    if (c == '*') {
      for (std::size_t t = s; t <= path.size(); ++t) {
        if (match_from(pattern.substr(p + 1), path.substr(t))) return true;
        if (t < path.size() && path[t] == '/') break;
      }
      return false;
    }
    if (s >= path.size()) return false;
    if (c == '?') {
      if (path[s] == '/') return false;
    } else if (c == '[') {
      const std::size_t close = pattern.find(']', p + 1);
      if (close == std::string_view::npos) {
        if (path[s] != '[') return false;
      } else {
        std::string_view set = pattern.substr(p + 1, close - p - 1);
        const bool negate = !set.empty() && (set[0] == '!' || set[0] == '^');
        if (negate) set.remove_prefix(1);
        bool found = false;
        for (std::size_t i = 0; i < set.size(); ++i) {
          if (i + 2 < set.size() && set[i + 1] == '-') {
            found = found || (path[s] >= set[i] && path[s] <= set[i + 2]);
            i += 2;
          } else {
            found = found || path[s] == set[i];
          }
        }
        if (found == negate || path[s] == '/') return false;
        p = close;
      }
    } else if (c != path[s]) {
      return false;
    }
    ++p;
    ++s;
  }
  return s == path.size();
}

}  // namespace

const SchemaConfig* Config::find_file(std::string_view file) const {
  for (const SchemaConfig& schema : schemas) {
    if (schema.file == file) return &schema;
  }
  return nullptr;
}

std::optional<SchemaType> type_from_extension(std::string_view file) {
  const std::string extension = lower(fs::path(file).extension().string());
  if (extension == ".avsc") return SchemaType::kAvro;
  if (extension == ".json") return SchemaType::kJson;
  if (extension == ".proto") return SchemaType::kProtobuf;
  return std::nullopt;
}

bool glob_match(std::string_view pattern, std::string_view path) {
  return match_from(pattern, path);
}

Result<Config> parse_config(std::string_view text, const fs::path& directory,
                            std::string_view display_name) {
  return Loader(directory, display_name).load(text);
}

Result<Config> load_config(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Error(ErrorCode::kIoError,
                 fmt::format("{}: configuration file not found (give --config PATH, or run from "
                             "the directory holding schemaguard.yaml)",
                             path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    return Error(ErrorCode::kIoError, fmt::format("{}: cannot read", path.string()));
  }
  fs::path directory = fs::absolute(path, ec).parent_path();
  return parse_config(text.str(), directory, path.string());
}

}  // namespace sg::gate
