#include "schemaguard/gate/export.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "schemaguard/base/file.h"
#include "schemaguard/client/registry_client.h"

namespace sg::gate {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::array<std::string_view, 4> kModes = {"READWRITE", "READONLY", "READONLY_OVERRIDE",
                                                    "IMPORT"};

// RFC 6901 escaping, so subjects with '/' still make readable locations.
std::string pointer_token(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

bool positive_int(const json::value* value) {
  return value != nullptr && value->is_int64() && value->as_int64() >= 1 &&
         value->as_int64() <= 1'000'000'000;
}

// Validation of the export document, with JSON-pointer locations in messages.
class ExportReader {
 public:
  explicit ExportReader(std::string name) : name_(std::move(name)) {}

  Error error(std::string_view where, std::string_view message) const {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}: at {}: {}", name_, where.empty() ? "/" : where, message));
  }

  Result<std::optional<CompatibilityLevel>> level(const json::object& object,
                                                  const std::string& where) const {
    const json::value* value = object.if_contains("compatibility");
    if (value == nullptr) return std::optional<CompatibilityLevel>();
    const auto* text = value->if_string();
    const auto parsed = text ? compatibility_level_from_string(std::string_view(*text))
                             : std::optional<CompatibilityLevel>();
    if (!parsed) {
      return error(where + "/compatibility", "must be a compatibility level such as BACKWARD");
    }
    return parsed;
  }

  Result<std::optional<std::string>> mode(const json::object& object,
                                          const std::string& where) const {
    const json::value* value = object.if_contains("mode");
    if (value == nullptr) return std::optional<std::string>();
    const auto* text = value->if_string();
    if (text == nullptr ||
        std::find(kModes.begin(), kModes.end(), std::string_view(*text)) == kModes.end()) {
      return error(where + "/mode", "must be READWRITE, READONLY, READONLY_OVERRIDE or IMPORT");
    }
    return std::optional<std::string>(std::string(*text));
  }

  Result<ExportedVersion> version(const json::value& value, const std::string& where) const {
    const auto* object = value.if_object();
    if (object == nullptr) return error(where, "a version must be an object");
    ExportedVersion version;
    const auto* number = object->if_contains("version");
    if (!positive_int(number)) return error(where + "/version", "must be a positive integer");
    version.version = static_cast<int>(number->as_int64());
    const auto* schema = object->if_contains("schema");
    if (schema == nullptr || !schema->is_string()) {
      return error(where + "/schema", "must be the schema text, a string");
    }
    version.schema = std::string(schema->as_string());
    if (const auto* type = object->if_contains("schemaType")) {
      const auto* text = type->if_string();
      const auto parsed =
          text ? schema_type_from_string(std::string_view(*text)) : std::optional<SchemaType>();
      if (!parsed) return error(where + "/schemaType", "must be AVRO, JSON or PROTOBUF");
      version.type = *parsed;
    }
    if (const auto* id = object->if_contains("id")) {
      // Confluent ids start at 0 in some deployments; negative ones do not exist.
      if (!id->is_int64() || id->as_int64() < 0 || id->as_int64() > 2'147'483'647) {
        return error(where + "/id", "must be a non-negative integer");
      }
      version.id = static_cast<int>(id->as_int64());
    }
    if (const auto* deleted = object->if_contains("deleted")) {
      if (!deleted->is_bool()) return error(where + "/deleted", "must be true or false");
      version.deleted = deleted->as_bool();
    }
    if (const auto* references = object->if_contains("references")) {
      const auto* list = references->if_array();
      if (list == nullptr) return error(where + "/references", "must be an array");
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string at = fmt::format("{}/references/{}", where, i);
        const auto* ref = (*list)[i].if_object();
        const json::value* name = ref ? ref->if_contains("name") : nullptr;
        const json::value* subject = ref ? ref->if_contains("subject") : nullptr;
        const json::value* number_of = ref ? ref->if_contains("version") : nullptr;
        if (name == nullptr || !name->is_string() || subject == nullptr || !subject->is_string() ||
            !positive_int(number_of)) {
          return error(at,
                       "a reference is {\"name\": string, \"subject\": string, \"version\": "
                       "positive integer}");
        }
        version.references.push_back({std::string(name->as_string()),
                                      std::string(subject->as_string()),
                                      static_cast<int>(number_of->as_int64())});
      }
    }
    return version;
  }

 private:
  std::string name_;
};

// Two-space indented JSON; Boost.JSON only writes compact text, and an export is read by people
// in code review as often as by programs.
void pretty(const json::value& value, std::string& out, int depth) {
  const std::string indent(static_cast<std::size_t>(depth + 1) * 2, ' ');
  const std::string closing(static_cast<std::size_t>(depth) * 2, ' ');
  if (const auto* object = value.if_object(); object && !object->empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [key, member] : *object) {
      if (!first) out += ",\n";
      first = false;
      out += indent + json::serialize(json::string(key)) + ": ";
      pretty(member, out, depth + 1);
    }
    out += "\n" + closing + "}";
  } else if (const auto* array = value.if_array(); array && !array->empty()) {
    out += "[\n";
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (i > 0) out += ",\n";
      out += indent;
      pretty((*array)[i], out, depth + 1);
    }
    out += "\n" + closing + "]";
  } else {
    out += json::serialize(value);
  }
}

}  // namespace

Result<RegistryExport> parse_export(std::string_view text, const std::string& display_name) {
  ExportReader reader(display_name);
  boost::system::error_code ec;
  const json::value document = json::parse(text, ec);
  if (ec) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}: not valid JSON: {}", display_name, ec.message()));
  }
  const auto* root = document.if_object();
  if (root == nullptr) return reader.error("", "an export is a JSON object");
  if (const auto* version = root->if_contains("format_version")) {
    if (!version->is_int64() || version->as_int64() != 1) {
      return reader.error("/format_version", "this schemaguard reads format_version 1");
    }
  }
  RegistryExport result;
  SG_ASSIGN_OR_RETURN(result.level, reader.level(*root, ""));
  SG_ASSIGN_OR_RETURN(result.mode, reader.mode(*root, ""));
  const auto* subjects_value = root->if_contains("subjects");
  const auto* subjects = subjects_value ? subjects_value->if_object() : nullptr;
  if (subjects == nullptr) {
    return reader.error("/subjects", "must be an object from subject name to its versions");
  }
  for (const auto& [name, value] : *subjects) {
    const std::string where = "/subjects/" + pointer_token(name);
    const auto* object = value.if_object();
    if (object == nullptr) return reader.error(where, "a subject must be an object");
    ExportedSubject subject;
    SG_ASSIGN_OR_RETURN(subject.level, reader.level(*object, where));
    SG_ASSIGN_OR_RETURN(subject.mode, reader.mode(*object, where));
    const auto* versions_value = object->if_contains("versions");
    const auto* versions = versions_value ? versions_value->if_array() : nullptr;
    if (versions == nullptr) return reader.error(where + "/versions", "must be an array");
    for (std::size_t i = 0; i < versions->size(); ++i) {
      SG_ASSIGN_OR_RETURN(ExportedVersion version,
                          reader.version((*versions)[i], fmt::format("{}/versions/{}", where, i)));
      subject.versions.push_back(std::move(version));
    }
    std::sort(
        subject.versions.begin(), subject.versions.end(),
        [](const ExportedVersion& a, const ExportedVersion& b) { return a.version < b.version; });
    for (std::size_t i = 1; i < subject.versions.size(); ++i) {
      if (subject.versions[i].version == subject.versions[i - 1].version) {
        return reader.error(where + "/versions",
                            fmt::format("version {} appears twice", subject.versions[i].version));
      }
    }
    result.subjects.emplace(std::string(name), std::move(subject));
  }
  return result;
}

Result<RegistryExport> read_export(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Error(ErrorCode::kIoError, fmt::format("{}: export file not found", path.string()));
  }
  SG_ASSIGN_OR_RETURN(std::string text, read_file(path));
  return parse_export(text, path.string());
}

std::string format_export(const RegistryExport& document) {
  json::object root;
  root["format_version"] = 1;
  if (document.level) root["compatibility"] = to_string(*document.level);
  if (document.mode) root["mode"] = *document.mode;
  json::object subjects;
  for (const auto& [name, subject] : document.subjects) {
    json::object entry;
    if (subject.level) entry["compatibility"] = to_string(*subject.level);
    if (subject.mode) entry["mode"] = *subject.mode;
    json::array versions;
    for (const ExportedVersion& version : subject.versions) {
      json::object item;
      item["version"] = version.version;
      if (version.id) item["id"] = *version.id;
      item["schemaType"] = to_string(version.type);
      if (!version.references.empty()) {
        json::array references;
        for (const BaselineReference& reference : version.references) {
          references.push_back(json::object{{"name", reference.name},
                                            {"subject", reference.subject},
                                            {"version", reference.version}});
        }
        item["references"] = std::move(references);
      }
      if (version.deleted) item["deleted"] = true;
      item["schema"] = version.schema;
      versions.push_back(std::move(item));
    }
    entry["versions"] = std::move(versions);
    subjects[name] = std::move(entry);
  }
  root["subjects"] = std::move(subjects);
  std::string out;
  pretty(root, out, 0);
  out += "\n";
  return out;
}

// --- export ----------------------------------------------------------------------------------

Result<RegistryExport> export_registry(client::RegistryClient& registry) {
  RegistryExport document;
  SG_ASSIGN_OR_RETURN(document.level, registry.global_config());
  SG_ASSIGN_OR_RETURN(document.mode, registry.global_mode());
  SG_ASSIGN_OR_RETURN(const std::vector<std::string> subjects, registry.subjects(true));
  for (const std::string& name : subjects) {
    ExportedSubject subject;
    SG_ASSIGN_OR_RETURN(subject.level, registry.config(name, false));
    SG_ASSIGN_OR_RETURN(subject.mode, registry.mode(name, false));
    SG_ASSIGN_OR_RETURN(const std::vector<int> versions, registry.versions(name, true));
    for (const int number : versions) {
      SG_ASSIGN_OR_RETURN(client::SchemaVersion read, registry.version(name, number, true));
      ExportedVersion version;
      version.version = read.version;
      version.id = read.id;
      const auto type = schema_type_from_string(read.schema_type);
      if (!type) {
        return Error(ErrorCode::kIoError,
                     fmt::format("{}: subject '{}' v{} has schema type '{}', which this "
                                 "schemaguard does not know",
                                 registry.url(), name, number, read.schema_type));
      }
      version.type = *type;
      version.schema = std::move(read.schema);
      for (client::Reference& reference : read.references) {
        version.references.push_back(
            {std::move(reference.name), std::move(reference.subject), reference.version});
      }
      version.deleted = read.deleted;
      subject.versions.push_back(std::move(version));
    }
    document.subjects.emplace(name, std::move(subject));
  }
  return document;
}

// --- import ----------------------------------------------------------------------------------

namespace {

using VersionKey = std::pair<std::string, int>;  // (subject, version)

class Importer {
 public:
  Importer(client::RegistryClient& registry, const RegistryExport& document, std::ostream& log)
      : registry_(registry), document_(document), log_(log) {}

  Status run();

 private:
  const ExportedVersion* find(const std::string& subject, int version) const {
    const auto it = document_.subjects.find(subject);
    if (it == document_.subjects.end()) return nullptr;
    for (const ExportedVersion& candidate : it->second.versions) {
      if (candidate.version == version) return &candidate;
    }
    return nullptr;
  }

  // Registers `version` of `subject` after everything it references (depth first).
  Status visit(const std::string& subject, const ExportedVersion& version,
               std::vector<VersionKey>& stack) {
    const VersionKey key(subject, version.version);
    if (done_.count(key) != 0) return ok_status();
    if (std::find(stack.begin(), stack.end(), key) != stack.end()) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("the export's references form a cycle at subject '{}' v{}", subject,
                               version.version));
    }
    stack.push_back(key);
    for (const BaselineReference& reference : version.references) {
      // A reference outside the export must already be in the target registry: the
      // registration then resolves it there, or fails saying so.
      if (const ExportedVersion* target = find(reference.subject, reference.version)) {
        SG_RETURN_IF_ERROR(visit(reference.subject, *target, stack));
      }
    }
    stack.pop_back();
    if (!version.id) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("subject '{}' v{} has no id in the export; import keeps ids, so "
                               "every version needs one",
                               subject, version.version));
    }
    client::SchemaRequest request;
    request.schema = version.schema;
    request.schema_type = std::string(to_string(version.type));
    for (const BaselineReference& reference : version.references) {
      request.references.push_back({reference.name, reference.subject, reference.version});
    }
    request.id = version.id;
    request.version = version.version;
    auto registered = registry_.register_schema(subject, request);
    if (!registered.ok()) {
      return registered.error().with_context(fmt::format("registering subject '{}' v{} (id {})",
                                                         subject, version.version, *version.id));
    }
    log_ << fmt::format("registered {} v{} (id {})\n", subject, version.version, *registered);
    done_.insert(key);
    order_.push_back(key);
    return ok_status();
  }

  client::RegistryClient& registry_;
  const RegistryExport& document_;
  std::ostream& log_;
  std::set<VersionKey> done_;
  std::vector<VersionKey> order_;  // as registered: referenced versions first
};

Status Importer::run() {
  for (const auto& [subject, entry] : document_.subjects) {
    for (const ExportedVersion& version : entry.versions) {
      std::vector<VersionKey> stack;
      SG_RETURN_IF_ERROR(visit(subject, version, stack));
    }
  }
  // Soft deletes last and referrers first: a version cannot be deleted while a live one still
  // references it.
  for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
    const ExportedVersion* version = find(it->first, it->second);
    if (version == nullptr || !version->deleted) continue;
    auto deleted = registry_.delete_version(it->first, it->second);
    // Already soft-deleted: an import repeated with --force.
    if (!deleted.ok() && deleted.error().code() == ErrorCode::kVersionSoftDeleted) continue;
    if (!deleted.ok()) {
      return deleted.error().with_context(
          fmt::format("soft-deleting subject '{}' v{}", it->first, it->second));
    }
    log_ << fmt::format("soft-deleted {} v{}\n", it->first, it->second);
  }
  // Levels and modes after the registrations: a READONLY subject would refuse them.
  for (const auto& [subject, entry] : document_.subjects) {
    if (entry.level) {
      SG_RETURN_IF_ERROR(registry_.set_config(subject, *entry.level));
      log_ << fmt::format("set {} compatibility {}\n", subject, to_string(*entry.level));
    }
    if (entry.mode) {
      SG_RETURN_IF_ERROR(registry_.set_mode(subject, *entry.mode, true));
      log_ << fmt::format("set {} mode {}\n", subject, *entry.mode);
    }
  }
  if (document_.level) {
    SG_RETURN_IF_ERROR(registry_.set_config("", *document_.level));
    log_ << fmt::format("set global compatibility {}\n", to_string(*document_.level));
  }
  return ok_status();
}

}  // namespace

Status import_registry(client::RegistryClient& registry, const RegistryExport& document,
                       const ImportOptions& options, std::ostream& log) {
  SG_ASSIGN_OR_RETURN(const std::vector<std::string> existing, registry.subjects(true));
  if (!existing.empty() && !options.force) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("the registry at {} already holds {} subject(s) (e.g. '{}'); import "
                             "into an empty registry, or pass --force to import alongside them",
                             registry.url(), existing.size(), existing.front()));
  }
  SG_ASSIGN_OR_RETURN(const std::string previous_mode, registry.global_mode());
  auto entered = registry.set_mode("", "IMPORT", options.force);
  if (!entered.ok()) return entered.error().with_context("entering IMPORT mode");
  log << fmt::format("global mode IMPORT (was {})\n", previous_mode);

  Status imported = Importer(registry, document, log).run();
  // The registry goes back to the mode it had whatever happened: left in IMPORT it would refuse
  // every ordinary registration.
  Status restored = registry.set_mode("", previous_mode, true);
  if (!imported.ok()) return imported;
  if (!restored.ok()) {
    return restored.error().with_context(
        fmt::format("restoring the global mode {}", previous_mode));
  }
  log << fmt::format("global mode {} restored\n", previous_mode);
  return ok_status();
}

}  // namespace sg::gate
