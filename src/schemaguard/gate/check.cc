#include "schemaguard/gate/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "schemaguard/base/file.h"
#include "schemaguard/compat/engine.h"
#include "schemaguard/gate/locate.h"

namespace sg::gate {
namespace {

namespace fs = std::filesystem;

// Registry references nest; a chain deeper than this is a cycle in the baseline's data.
constexpr int kMaxReferenceDepth = 32;

struct Parsed {
  int version = 0;
  std::string origin;
  ParsedSchemaPtr schema;
};

class Checker {
 public:
  Checker(const Config& config, Baseline& baseline, compat::Engine& engine)
      : config_(config), baseline_(baseline), engine_(engine) {}

  Result<CheckReport> run();

 private:
  Status order(const SchemaConfig& schema, std::vector<const SchemaConfig*>& stack);
  Result<ParsedSchemaPtr> candidate(const SchemaConfig& schema);
  Result<ParsedSchemaPtr> baseline_schema(const BaselineVersion& version, int depth);
  Result<ParsedSchemaPtr> baseline_reference(const BaselineReference& reference, int depth);
  Result<SubjectResult> check(const SchemaConfig& schema, bool references_changed,
                              const std::string& reason);

  const Config& config_;
  Baseline& baseline_;
  compat::Engine& engine_;
  std::string prefix_;  // the config's directory relative to the repository root
  std::vector<const SchemaConfig*> ordered_;  // referenced schemas before their referrers
  std::set<const SchemaConfig*> visited_;
  std::map<std::string, ParsedSchemaPtr> candidates_;  // by file
  std::map<std::string, std::string> candidate_texts_;
  std::map<std::pair<std::string, int>, ParsedSchemaPtr> references_;  // (subject, version)
  std::vector<std::string> warnings_;
};

// Depth-first, so a schema comes after everything it references; a schema met again while
// still on the stack closes a cycle, which no registry could hold.
Status Checker::order(const SchemaConfig& schema, std::vector<const SchemaConfig*>& stack) {
  if (std::find(stack.begin(), stack.end(), &schema) != stack.end()) {
    std::string cycle;
    for (auto it = std::find(stack.begin(), stack.end(), &schema); it != stack.end(); ++it) {
      cycle += (*it)->file + " -> ";
    }
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}: the references form a cycle: {}{}", config_.path.string(), cycle,
                             schema.file));
  }
  if (visited_.count(&schema) != 0) return ok_status();
  stack.push_back(&schema);
  for (const ReferenceConfig& reference : schema.references) {
    const SchemaConfig* target = config_.find_file(reference.file);
    if (target != nullptr) SG_RETURN_IF_ERROR(order(*target, stack));
  }
  stack.pop_back();
  visited_.insert(&schema);
  ordered_.push_back(&schema);
  return ok_status();
}

Result<ParsedSchemaPtr> Checker::candidate(const SchemaConfig& schema) {
  SG_ASSIGN_OR_RETURN(std::string text, read_file(config_.directory / schema.file));
  NamedReferences references;
  for (const ReferenceConfig& reference : schema.references) {
    // ordered_ puts every referenced file first, so its candidate is already parsed.
    references.push_back({reference.name, candidates_.at(reference.file)});
  }
  auto parsed = engine_.parse(schema.type, text, references);
  if (!parsed.ok()) {
    return Error(ErrorCode::kInvalidSchema,
                 fmt::format("{}: the schema does not parse: {}", prefix_ + schema.file,
                             parsed.error().message()));
  }
  candidate_texts_[schema.file] = std::move(text);
  return parsed;
}

Result<ParsedSchemaPtr> Checker::baseline_reference(const BaselineReference& reference, int depth) {
  const auto key = std::make_pair(reference.subject, reference.version);
  if (auto it = references_.find(key); it != references_.end()) return it->second;
  if (depth > kMaxReferenceDepth) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("references in {} nest deeper than {} (a cycle?) at subject '{}'",
                             baseline_.description(), kMaxReferenceDepth, reference.subject));
  }
  SG_ASSIGN_OR_RETURN(const BaselineVersion version,
                      baseline_.version(reference.subject, reference.version));
  SG_ASSIGN_OR_RETURN(ParsedSchemaPtr parsed, baseline_schema(version, depth + 1));
  references_.emplace(key, parsed);
  return parsed;
}

Result<ParsedSchemaPtr> Checker::baseline_schema(const BaselineVersion& version, int depth) {
  NamedReferences references;
  for (const BaselineReference& reference : version.references) {
    SG_ASSIGN_OR_RETURN(ParsedSchemaPtr parsed, baseline_reference(reference, depth));
    references.push_back({reference.name, std::move(parsed)});
  }
  return engine_.parse(version.type, version.text, references);
}

std::string consequence(const Incompatibility& problem, int old_version, int new_version) {
  if (problem.direction == Direction::kForward) {
    return fmt::format(
        "consumers still using v{} cannot read events written by producers on "
        "v{} (this change)",
        old_version, new_version);
  }
  return fmt::format(
      "consumers using v{} (this change) cannot read events written by producers "
      "on v{}",
      new_version, old_version);
}

Result<SubjectResult> Checker::check(const SchemaConfig& schema, bool references_changed,
                                     const std::string& reason) {
  SubjectResult result;
  result.subject = schema.subject;
  result.file = prefix_ + schema.file;
  result.type = schema.type;
  const ParsedSchemaPtr& next = candidates_.at(schema.file);

  SG_ASSIGN_OR_RETURN(const std::vector<BaselineVersion> versions, baseline_.versions(schema));
  std::vector<Parsed> previous;
  for (const BaselineVersion& version : versions) {
    auto parsed = baseline_schema(version, 0);
    // A reference the baseline cannot resolve is broken baseline data: stop.
    if (!parsed.ok() && parsed.error().code() != ErrorCode::kInvalidSchema) {
      return parsed.error().with_context(
          fmt::format("{} v{} ({})", schema.subject, version.version, version.origin));
    }
    if (!parsed.ok()) {
      // A registry never accepted it, so nothing was produced with it: leave it out, say so.
      warnings_.push_back(fmt::format("{}: v{} ({}) does not parse and is left out: {}",
                                      schema.subject, version.version, version.origin,
                                      parsed.error().message()));
      continue;
    }
    previous.push_back({version.version, version.origin, *std::move(parsed)});
  }
  result.baseline_versions = static_cast<int>(versions.size());
  result.new_version = versions.empty() ? 1 : versions.back().version + 1;
  if (previous.empty()) {
    result.status = SubjectStatus::kNew;
    result.reason = "new subject";
    return result;
  }
  // Compared as the registry would store them, so a layout-only edit is no change (and an
  // export's compact text equals the pretty file it came from).
  const bool changed =
      engine_.render(*previous.back().schema, false) != engine_.render(*next, false);
  if (!changed && !references_changed) {
    result.status = SubjectStatus::kUnchanged;
    return result;
  }
  result.reason = changed ? "changed" : reason;

  if (schema.level_from_registry) {
    SG_ASSIGN_OR_RETURN(result.level, baseline_.level(schema.subject));
    if (!result.level) {
      return Error(
          ErrorCode::kInvalidArgument,
          fmt::format("{}:{}: subject '{}' takes its compatibility level from the "
                      "registry, but {} records no levels; give the level in the "
                      "configuration or check against an export",
                      config_.path.string(), schema.line, schema.subject, baseline_.description()));
    }
  } else {
    result.level = schema.level;
  }

  std::vector<ParsedSchemaPtr> schemas;
  schemas.reserve(previous.size());
  for (const Parsed& p : previous) schemas.push_back(p.schema);
  compat::CheckOptions options;
  if (schema.type == SchemaType::kJson) {
    SG_ASSIGN_OR_RETURN(options.policy, baseline_.policy(schema.subject));
  }
  compat::CheckResult verdict = engine_.check(*result.level, *next, schemas, options);
  if (*result.level != CompatibilityLevel::kNone) {
    const std::size_t first = is_transitive(*result.level) ? 0 : previous.size() - 1;
    for (std::size_t i = first; i < previous.size(); ++i) {
      result.checked_versions.push_back(previous[i].version);
    }
  }
  const std::string& text = candidate_texts_.at(schema.file);
  for (Incompatibility& problem : verdict.incompatibilities) {
    Finding finding;
    const auto index = static_cast<std::size_t>(problem.version.value_or(1) - 1);
    finding.old_version = previous[index].version;
    finding.old_origin = previous[index].origin;
    // The new schema is the reader when checking backward, the writer when checking forward.
    const bool backward = problem.direction != Direction::kForward;
    finding.position = backward ? problem.reader_position : problem.writer_position;
    if (finding.position.line == 0 && schema.type != SchemaType::kProtobuf) {
      finding.position =
          locate_json_pointer(text, backward ? problem.reader_path : problem.writer_path);
    }
    finding.consequence = consequence(problem, finding.old_version, result.new_version);
    finding.problem = std::move(problem);
    result.findings.push_back(std::move(finding));
  }
  result.status =
      result.findings.empty() ? SubjectStatus::kCompatible : SubjectStatus::kIncompatible;
  return result;
}

Result<CheckReport> Checker::run() {
  prefix_ = git_prefix(config_.directory).value_or("");
  for (const SchemaConfig& schema : config_.schemas) {
    std::vector<const SchemaConfig*> stack;
    SG_RETURN_IF_ERROR(order(schema, stack));
  }
  for (const SchemaConfig* schema : ordered_) {
    SG_ASSIGN_OR_RETURN(candidates_[schema->file], candidate(*schema));
  }

  // In dependency order, so a referrer knows whether anything it references changed.
  std::map<const SchemaConfig*, SubjectResult> results;
  std::map<const SchemaConfig*, std::string> changed_below;  // a changed file it depends on
  for (const SchemaConfig* schema : ordered_) {
    std::string changed_reference;
    for (const ReferenceConfig& reference : schema->references) {
      const SchemaConfig* target = config_.find_file(reference.file);
      if (target == nullptr) continue;
      const SubjectResult& below = results.at(target);
      if (below.status != SubjectStatus::kUnchanged) {
        changed_reference = below.file;
        break;
      }
      if (auto it = changed_below.find(target); it != changed_below.end()) {
        changed_reference = it->second;
        break;
      }
    }
    if (!changed_reference.empty()) changed_below[schema] = changed_reference;
    const std::string reason = fmt::format("references {}, which changed", changed_reference);
    SG_ASSIGN_OR_RETURN(results[schema], check(*schema, !changed_reference.empty(), reason));
  }

  CheckReport report;
  report.baseline = baseline_.description();
  for (const SchemaConfig& schema : config_.schemas) {
    report.subjects.push_back(std::move(results.at(&schema)));
  }
  report.warnings = std::move(warnings_);
  return report;
}

}  // namespace

std::string_view to_string(SubjectStatus status) {
  switch (status) {
    case SubjectStatus::kCompatible: return "compatible";
    case SubjectStatus::kIncompatible: return "incompatible";
    case SubjectStatus::kNew: return "new";
    case SubjectStatus::kUnchanged: return "unchanged";
  }
  return "unknown";
}

bool CheckReport::compatible() const {
  return count(SubjectStatus::kIncompatible) == 0;
}

int CheckReport::exit_status() const {
  return compatible() ? 0 : 1;
}

std::size_t CheckReport::count(SubjectStatus status) const {
  return static_cast<std::size_t>(
      std::count_if(subjects.begin(), subjects.end(),
                    [&](const SubjectResult& s) { return s.status == status; }));
}

Result<CheckReport> run_check(const Config& config, Baseline& baseline, compat::Engine& engine) {
  return Checker(config, baseline, engine).run();
}

}  // namespace sg::gate
