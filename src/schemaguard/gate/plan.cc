#include "schemaguard/gate/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "schemaguard/base/file.h"
#include "schemaguard/client/registry_client.h"

namespace sg::gate {
namespace {

namespace fs = std::filesystem;

// Depth first: every schema after the schemas it references. Cycles were refused by the
// config's consumers already (check); here they are refused again rather than looping.
Status order(const Config& config, const SchemaConfig& schema,
             std::vector<const SchemaConfig*>& stack, std::set<const SchemaConfig*>& visited,
             std::vector<const SchemaConfig*>& ordered) {
  if (std::find(stack.begin(), stack.end(), &schema) != stack.end()) {
    return Error(ErrorCode::kInvalidArgument, fmt::format("{}: the references of {} form a cycle",
                                                          config.path.string(), schema.file));
  }
  if (visited.count(&schema) != 0) return ok_status();
  stack.push_back(&schema);
  for (const ReferenceConfig& reference : schema.references) {
    if (const SchemaConfig* target = config.find_file(reference.file)) {
      SG_RETURN_IF_ERROR(order(config, *target, stack, visited, ordered));
    }
  }
  stack.pop_back();
  visited.insert(&schema);
  ordered.push_back(&schema);
  return ok_status();
}

client::SchemaRequest request_for(const SchemaConfig& schema, std::string text,
                                  const std::vector<BaselineReference>& references) {
  client::SchemaRequest request;
  request.schema = std::move(text);
  request.schema_type = std::string(to_string(schema.type));
  for (const BaselineReference& reference : references) {
    request.references.push_back({reference.name, reference.subject, reference.version});
  }
  return request;
}

}  // namespace

std::size_t Plan::registrations() const {
  return static_cast<std::size_t>(std::count_if(
      subjects.begin(), subjects.end(), [](const SubjectPlan& s) { return s.register_new; }));
}

std::size_t Plan::config_changes() const {
  return static_cast<std::size_t>(
      std::count_if(subjects.begin(), subjects.end(),
                    [](const SubjectPlan& s) { return s.level_wanted.has_value(); }));
}

Result<Plan> make_plan(const Config& config, client::RegistryClient& registry) {
  std::vector<const SchemaConfig*> ordered;
  std::set<const SchemaConfig*> visited;
  for (const SchemaConfig& schema : config.schemas) {
    std::vector<const SchemaConfig*> stack;
    SG_RETURN_IF_ERROR(order(config, schema, stack, visited, ordered));
  }
  Plan plan;
  plan.registry = registry.url();
  std::map<std::string, const SubjectPlan*> by_file;
  plan.subjects.reserve(ordered.size());
  for (const SchemaConfig* schema : ordered) {
    SubjectPlan entry;
    entry.subject = schema->subject;
    entry.file = schema->file;
    entry.type = schema->type;
    SG_ASSIGN_OR_RETURN(std::string text, read_file(config.directory / schema->file));

    auto versions = registry.versions(schema->subject);
    if (!versions.ok() && versions.error().code() != ErrorCode::kSubjectNotFound) {
      return versions.error().with_context(fmt::format("subject '{}'", schema->subject));
    }
    if (versions.ok() && !versions->empty()) entry.latest_version = versions->back();

    // A reference to a schema this plan registers points at the version it will become, and
    // then the referrer cannot be registered already either.
    bool reference_is_new = false;
    for (const ReferenceConfig& reference : schema->references) {
      const SubjectPlan* target = by_file.at(reference.file);
      const int version =
          target->register_new ? target->latest_version + 1 : target->registered_version.value();
      reference_is_new = reference_is_new || target->register_new;
      entry.references.push_back({reference.name, target->subject, version});
    }
    if (!reference_is_new && entry.latest_version > 0) {
      SG_ASSIGN_OR_RETURN(auto found,
                          registry.lookup(schema->subject,
                                          request_for(*schema, std::move(text), entry.references)));
      if (found) {
        entry.registered_version = found->version;
        entry.registered_id = found->id;
      }
    }
    entry.register_new = !entry.registered_version.has_value();

    if (schema->level && !schema->level_from_registry) {
      SG_ASSIGN_OR_RETURN(entry.level_now, registry.config(schema->subject, true));
      if (entry.level_now != schema->level) entry.level_wanted = schema->level;
    }
    plan.subjects.push_back(std::move(entry));
    by_file[schema->file] = &plan.subjects.back();
  }
  return plan;
}

Status apply_plan(const Config& config, const Plan& plan, client::RegistryClient& registry,
                  std::ostream& log) {
  // The version each file's content has in the registry once the steps so far are done.
  std::map<std::string, std::pair<std::string, int>> version_of;  // file -> (subject, version)
  for (const SubjectPlan& entry : plan.subjects) {
    if (entry.level_wanted) {
      auto set = registry.set_config(entry.subject, *entry.level_wanted);
      if (!set.ok()) {
        return set.error().with_context(fmt::format("setting the level of '{}'", entry.subject));
      }
      log << fmt::format("set {} compatibility {}\n", entry.subject,
                         to_string(*entry.level_wanted));
    }
    if (!entry.register_new) {
      version_of[entry.file] = {entry.subject, *entry.registered_version};
      continue;
    }
    const SchemaConfig* schema = config.find_file(entry.file);
    if (schema == nullptr) {
      return Error(ErrorCode::kInternal, fmt::format("{} is not in the config", entry.file));
    }
    std::vector<BaselineReference> references;
    for (const ReferenceConfig& reference : schema->references) {
      const auto& [subject, version] = version_of.at(reference.file);
      references.push_back({reference.name, subject, version});
    }
    SG_ASSIGN_OR_RETURN(std::string text, read_file(config.directory / entry.file));
    const client::SchemaRequest request = request_for(*schema, std::move(text), references);
    auto id = registry.register_schema(entry.subject, request);
    if (!id.ok()) {
      return id.error().with_context(
          fmt::format("registering {} under '{}'", entry.file, entry.subject));
    }
    // The version number is what a referrer needs; registration answers only the id everywhere.
    SG_ASSIGN_OR_RETURN(auto found, registry.lookup(entry.subject, request));
    if (!found) {
      return Error(ErrorCode::kIoError,
                   fmt::format("{} registered {} under '{}' as id {} but cannot find it again",
                               registry.url(), entry.file, entry.subject, *id));
    }
    version_of[entry.file] = {entry.subject, found->version};
    log << fmt::format("registered {} v{} (id {}) from {}\n", entry.subject, found->version,
                       found->id, entry.file);
  }
  return ok_status();
}

void write_plan(const Plan& plan, bool json, std::ostream& out) {
  auto level_name = [](const std::optional<CompatibilityLevel>& level) {
    return level ? std::string(to_string(*level)) : std::string("(none)");
  };
  if (json) {
    boost::json::array subjects;
    for (const SubjectPlan& entry : plan.subjects) {
      boost::json::object item;
      item["subject"] = entry.subject;
      item["file"] = entry.file;
      item["type"] = to_string(entry.type);
      item["action"] = entry.register_new ? "register" : "unchanged";
      if (entry.register_new) {
        item["new_version"] = entry.latest_version + 1;
      } else {
        item["version"] = *entry.registered_version;
        item["id"] = *entry.registered_id;
      }
      item["latest_version"] = entry.latest_version;
      boost::json::array references;
      for (const BaselineReference& reference : entry.references) {
        references.push_back(boost::json::object{{"name", reference.name},
                                                 {"subject", reference.subject},
                                                 {"version", reference.version}});
      }
      item["references"] = std::move(references);
      if (entry.level_wanted) {
        item["config"] = boost::json::object{{"from", level_name(entry.level_now)},
                                             {"to", level_name(entry.level_wanted)}};
      } else {
        item["config"] = nullptr;
      }
      subjects.push_back(std::move(item));
    }
    boost::json::object doc{{"registry", plan.registry},
                            {"registrations", plan.registrations()},
                            {"config_changes", plan.config_changes()},
                            {"subjects", std::move(subjects)}};
    out << boost::json::serialize(doc) << "\n";
    return;
  }
  out << fmt::format("plan for registry {}: {} registration(s), {} config change(s)\n",
                     plan.registry, plan.registrations(), plan.config_changes());
  for (const SubjectPlan& entry : plan.subjects) {
    if (entry.level_wanted) {
      out << fmt::format("  config     {}: {} -> {}\n", entry.subject, level_name(entry.level_now),
                         level_name(entry.level_wanted));
    }
    if (entry.register_new) {
      std::string references;
      for (const BaselineReference& reference : entry.references) {
        references += fmt::format("{}{} -> {} v{}", references.empty() ? ", references " : ", ",
                                  reference.name, reference.subject, reference.version);
      }
      out << fmt::format(
          "  register   {} as v{}{} ({}){}\n", entry.subject, entry.latest_version + 1,
          entry.latest_version == 0 ? ", a new subject" : "", entry.file, references);
    } else {
      out << fmt::format("  unchanged  {} is v{} (id {}) ({})\n", entry.subject,
                         *entry.registered_version, *entry.registered_id, entry.file);
    }
  }
  if (plan.empty()) out << "nothing to do\n";
}

}  // namespace sg::gate
