#include "schemaguard/gate/baseline.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fstream>
#include <sstream>

#include "schemaguard/gate/process.h"

namespace sg::gate {
namespace {

namespace fs = std::filesystem;

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// Runs git in `directory`.
Result<ProcessOutput> git(const fs::path& directory, std::vector<std::string> args,
                          std::string_view input = {}) {
  args.insert(args.begin(), {"git", "-C", directory.string()});
  return run_process(args, input);
}

// Git's own complaint, for messages: its first line is the useful part.
std::string git_complaint(const ProcessOutput& output) {
  std::string text = trim(output.err);
  if (const auto newline = text.find('\n'); newline != std::string::npos) text.resize(newline);
  return text.empty() ? fmt::format("exit status {}", output.exit_status) : text;
}

// The commit `ref` names, or nullopt when it names none.
Result<std::optional<std::string>> resolve(const fs::path& directory, const std::string& ref) {
  SG_ASSIGN_OR_RETURN(
      ProcessOutput output,
      git(directory, {"rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"}));
  if (output.exit_status != 0) return std::optional<std::string>();
  return std::optional<std::string>(trim(output.out));
}

std::string short_hash(const std::string& commit) {
  return commit.substr(0, 7);
}

}  // namespace

std::optional<std::string> git_prefix(const fs::path& directory) {
  auto output = git(directory, {"rev-parse", "--show-prefix"});
  if (!output.ok() || output->exit_status != 0) return std::nullopt;
  return trim(output->out);
}

// --- GitBaseline -----------------------------------------------------------------------------

GitBaseline::GitBaseline(const Config& config, std::string label, std::string commit,
                         std::string prefix)
    : config_(config),
      label_(std::move(label)),
      commit_(std::move(commit)),
      prefix_(std::move(prefix)) {}

Result<std::unique_ptr<GitBaseline>> GitBaseline::open(const Config& config, std::string ref) {
  const fs::path& directory = config.directory;
  SG_ASSIGN_OR_RETURN(ProcessOutput prefix, git(directory, {"rev-parse", "--show-prefix"}));
  if (prefix.exit_status != 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{} is not in a git repository, so there is no history to check "
                             "against (git: {}); use --against FILE for an export",
                             directory.string(), git_complaint(prefix)));
  }
  std::optional<std::string> commit;
  if (ref.empty()) {
    // origin/main is what a pull request merges into; a clone without a remote has main.
    for (const char* candidate : {"origin/main", "main"}) {
      SG_ASSIGN_OR_RETURN(commit, resolve(directory, candidate));
      if (commit) {
        ref = candidate;
        break;
      }
    }
    if (!commit) {
      return Error(ErrorCode::kInvalidArgument,
                   "neither origin/main nor main exists in this repository; name the baseline "
                   "with --against git:REF (in a shallow CI checkout, fetch the base branch "
                   "first)");
    }
  } else {
    SG_ASSIGN_OR_RETURN(commit, resolve(directory, ref));
    if (!commit) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("git ref '{}' does not exist in this repository (in a shallow CI "
                               "checkout, fetch it first)",
                               ref));
    }
  }
  std::string description = ref;
  // A branch that has diverged is checked against where it left the baseline: what main gained
  // since is not this change's doing.
  SG_ASSIGN_OR_RETURN(auto head, resolve(directory, "HEAD"));
  if (head) {
    SG_ASSIGN_OR_RETURN(ProcessOutput base, git(directory, {"merge-base", *head, *commit}));
    if (base.exit_status == 0 && trim(base.out) != *commit) {
      commit = trim(base.out);
      description = fmt::format("{} (merge base {})", ref, short_hash(*commit));
    } else {
      description = fmt::format("{} at {}", ref, short_hash(*commit));
    }
  } else {
    description = fmt::format("{} at {}", ref, short_hash(*commit));
  }
  return std::unique_ptr<GitBaseline>(
      new GitBaseline(config, std::move(description), *commit, trim(prefix.out)));
}

std::string GitBaseline::description() const {
  return fmt::format("git {}", label_);
}

Result<const std::vector<GitBaseline::FileVersion>*> GitBaseline::history(const std::string& file) {
  if (auto it = histories_.find(file); it != histories_.end()) return &it->second;
  // --follow keeps the versions from before a rename; --name-only gives the path in each
  // commit, which `git show` needs; deletions have no content to check against.
  SG_ASSIGN_OR_RETURN(ProcessOutput output,
                      git(config_.directory, {"log", "--format=commit %H", "--name-only",
                                              "--follow", "--diff-filter=d", commit_, "--", file}));
  if (output.exit_status != 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("git log of {} failed: {}", file, git_complaint(output)));
  }
  std::vector<FileVersion> newest_first;
  std::istringstream lines(output.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("commit ", 0) == 0) {
      newest_first.push_back({line.substr(7), ""});
    } else if (!line.empty() && !newest_first.empty() && newest_first.back().path.empty()) {
      newest_first.back().path = line;
    }
  }
  // A merge commit lists no names: the file kept the name it has in the next newer commit.
  std::string name = prefix_ + file;
  for (FileVersion& version : newest_first) {
    if (version.path.empty()) {
      version.path = name;
    } else {
      name = version.path;
    }
  }
  std::reverse(newest_first.begin(), newest_first.end());
  return &histories_.emplace(file, std::move(newest_first)).first->second;
}

Result<std::vector<BaselineVersion>> GitBaseline::load(const SchemaConfig& schema) {
  SG_ASSIGN_OR_RETURN(const std::vector<FileVersion>* commits, history(schema.file));
  if (commits->empty()) return std::vector<BaselineVersion>();
  // Every version's text through one `git cat-file --batch` rather than a `git show` each:
  // a file with many versions costs one process.
  std::string requests;
  for (const FileVersion& commit : *commits) requests += commit.commit + ":" + commit.path + "\n";
  SG_ASSIGN_OR_RETURN(ProcessOutput blobs,
                      git(config_.directory, {"cat-file", "--batch"}, requests));
  if (blobs.exit_status != 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("git cat-file for {} failed: {}", schema.file, git_complaint(blobs)));
  }
  std::string_view rest = blobs.out;
  std::vector<BaselineVersion> versions;
  versions.reserve(commits->size());
  for (const FileVersion& commit : *commits) {
    // "<oid> blob <size>\n<content>\n", or "<name> missing\n".
    const std::size_t header_end = rest.find('\n');
    const std::string_view header = rest.substr(0, header_end);
    const std::size_t size_at = header.rfind(' ');
    std::size_t size = 0;
    bool parsed = header_end != std::string_view::npos && size_at != std::string_view::npos &&
                  header.find(" blob ") != std::string_view::npos;
    for (std::size_t i = size_at + 1; parsed && i < header.size(); ++i) {
      parsed = header[i] >= '0' && header[i] <= '9';
      size = size * 10 + static_cast<std::size_t>(header[i] - '0');
    }
    if (!parsed || rest.size() < header_end + 1 + size) {
      return Error(
          ErrorCode::kInvalidArgument,
          fmt::format("git cannot read {}:{}: {}", short_hash(commit.commit), commit.path, header));
    }
    std::string text(rest.substr(header_end + 1, size));
    rest.remove_prefix(std::min(rest.size(), header_end + 1 + size + 1));
    BaselineVersion version;
    version.version = static_cast<int>(versions.size()) + 1;
    version.type = schema.type;
    version.text = std::move(text);
    version.origin = fmt::format("commit {}", short_hash(commit.commit));
    // A reference is the referenced file as it was when this version was committed: the newest
    // commit of that file this one descends from.
    for (const ReferenceConfig& reference : schema.references) {
      const SchemaConfig* target = config_.find_file(reference.file);
      if (target == nullptr) continue;
      SG_ASSIGN_OR_RETURN(const std::vector<FileVersion>* target_history, history(reference.file));
      SG_ASSIGN_OR_RETURN(ProcessOutput last,
                          git(config_.directory,
                              {"log", "-1", "--format=%H", commit.commit, "--", reference.file}));
      const std::string hash = trim(last.out);
      const auto found = std::find_if(target_history->begin(), target_history->end(),
                                      [&](const FileVersion& v) { return v.commit == hash; });
      // Not there: the file did not exist yet, so this version cannot have used it.
      if (last.exit_status != 0 || found == target_history->end()) continue;
      version.references.push_back(
          {reference.name, target->subject, static_cast<int>(found - target_history->begin()) + 1});
    }
    versions.push_back(std::move(version));
  }
  return versions;
}

Result<std::vector<BaselineVersion>> GitBaseline::versions(const SchemaConfig& schema) {
  if (auto it = versions_.find(schema.file); it != versions_.end()) return it->second;
  SG_ASSIGN_OR_RETURN(std::vector<BaselineVersion> loaded, load(schema));
  return versions_.emplace(schema.file, std::move(loaded)).first->second;
}

Result<BaselineVersion> GitBaseline::version(std::string_view subject, int version) {
  for (const SchemaConfig& schema : config_.schemas) {
    if (schema.subject != subject) continue;
    SG_ASSIGN_OR_RETURN(const std::vector<BaselineVersion> all, versions(schema));
    if (version >= 1 && static_cast<std::size_t>(version) <= all.size()) {
      return all[static_cast<std::size_t>(version - 1)];
    }
  }
  return Error(ErrorCode::kVersionNotFound,
               fmt::format("subject '{}' has no version {} in git {}", subject, version, label_));
}

std::optional<CompatibilityLevel> GitBaseline::level(std::string_view) {
  return std::nullopt;
}

// --- ExportBaseline --------------------------------------------------------------------------

namespace {

// Validation of the export document, with JSON-pointer-like locations in messages.
class ExportReader {
 public:
  explicit ExportReader(std::string name) : name_(std::move(name)) {}

  Error error(std::string_view where, std::string_view message) const {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}: at {}: {}", name_, where.empty() ? "/" : where, message));
  }

  Result<std::optional<CompatibilityLevel>> level(const boost::json::object& object,
                                                  const std::string& where) const {
    const boost::json::value* value = object.if_contains("compatibility");
    if (value == nullptr) return std::optional<CompatibilityLevel>();
    const auto* text = value->if_string();
    const auto parsed = text ? compatibility_level_from_string(std::string_view(*text))
                             : std::optional<CompatibilityLevel>();
    if (!parsed) {
      return error(where + "/compatibility", "must be a compatibility level such as BACKWARD");
    }
    return parsed;
  }

  Result<BaselineVersion> version(const boost::json::value& value, const std::string& where) const {
    const auto* object = value.if_object();
    if (object == nullptr) return error(where, "a version must be an object");
    BaselineVersion version;
    const auto* number = object->if_contains("version");
    if (number == nullptr || !number->is_int64() || number->as_int64() < 1 ||
        number->as_int64() > 1'000'000'000) {
      return error(where + "/version", "must be a positive integer");
    }
    version.version = static_cast<int>(number->as_int64());
    const auto* schema = object->if_contains("schema");
    if (schema == nullptr || !schema->is_string()) {
      return error(where + "/schema", "must be the schema text, a string");
    }
    version.text = std::string(schema->as_string());
    if (const auto* type = object->if_contains("schemaType")) {
      const auto* text = type->if_string();
      const auto parsed =
          text ? schema_type_from_string(std::string_view(*text)) : std::optional<SchemaType>();
      if (!parsed) return error(where + "/schemaType", "must be AVRO, JSON or PROTOBUF");
      version.type = *parsed;
    }
    if (const auto* references = object->if_contains("references")) {
      const auto* list = references->if_array();
      if (list == nullptr) return error(where + "/references", "must be an array");
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string at = fmt::format("{}/references/{}", where, i);
        const auto* ref = (*list)[i].if_object();
        const boost::json::value* name = ref ? ref->if_contains("name") : nullptr;
        const boost::json::value* subject = ref ? ref->if_contains("subject") : nullptr;
        const boost::json::value* number_of = ref ? ref->if_contains("version") : nullptr;
        if (name == nullptr || !name->is_string() || subject == nullptr || !subject->is_string() ||
            number_of == nullptr || !number_of->is_int64() || number_of->as_int64() < 1 ||
            number_of->as_int64() > 1'000'000'000) {
          return error(at,
                       "a reference is {\"name\": string, \"subject\": string, \"version\": "
                       "positive integer}");
        }
        version.references.push_back({std::string(name->as_string()),
                                      std::string(subject->as_string()),
                                      static_cast<int>(number_of->as_int64())});
      }
    }
    version.origin = "export";
    return version;
  }

 private:
  std::string name_;
};

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

}  // namespace

Result<std::unique_ptr<ExportBaseline>> ExportBaseline::parse(std::string_view text,
                                                              std::string display_name) {
  ExportReader reader(display_name);
  boost::system::error_code ec;
  const boost::json::value document = boost::json::parse(text, ec);
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
  auto baseline = std::unique_ptr<ExportBaseline>(new ExportBaseline());
  baseline->name_ = std::move(display_name);
  SG_ASSIGN_OR_RETURN(baseline->default_level_, reader.level(*root, ""));
  const auto* subjects_value = root->if_contains("subjects");
  const auto* subjects = subjects_value ? subjects_value->if_object() : nullptr;
  if (subjects == nullptr) {
    return reader.error("/subjects", "must be an object from subject name to its versions");
  }
  for (const auto& [name, value] : *subjects) {
    const std::string where = "/subjects/" + pointer_token(name);
    const auto* object = value.if_object();
    if (object == nullptr) return reader.error(where, "a subject must be an object");
    Subject subject;
    SG_ASSIGN_OR_RETURN(subject.level, reader.level(*object, where));
    const auto* versions_value = object->if_contains("versions");
    const auto* versions = versions_value ? versions_value->if_array() : nullptr;
    if (versions == nullptr) return reader.error(where + "/versions", "must be an array");
    for (std::size_t i = 0; i < versions->size(); ++i) {
      SG_ASSIGN_OR_RETURN(BaselineVersion version,
                          reader.version((*versions)[i], fmt::format("{}/versions/{}", where, i)));
      subject.versions.push_back(std::move(version));
    }
    std::sort(
        subject.versions.begin(), subject.versions.end(),
        [](const BaselineVersion& a, const BaselineVersion& b) { return a.version < b.version; });
    for (std::size_t i = 1; i < subject.versions.size(); ++i) {
      if (subject.versions[i].version == subject.versions[i - 1].version) {
        return reader.error(where + "/versions",
                            fmt::format("version {} appears twice", subject.versions[i].version));
      }
    }
    for (BaselineVersion& version : subject.versions) {
      version.origin = fmt::format("export version {}", version.version);
    }
    baseline->subjects_.emplace(std::string(name), std::move(subject));
  }
  return baseline;
}

Result<std::unique_ptr<ExportBaseline>> ExportBaseline::open(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Error(ErrorCode::kIoError,
                 fmt::format("{}: export file not found (--against takes git:REF or an export "
                             "file)",
                             path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string());
}

std::string ExportBaseline::description() const {
  return fmt::format("export {}", name_);
}

Result<std::vector<BaselineVersion>> ExportBaseline::versions(const SchemaConfig& schema) {
  const auto it = subjects_.find(schema.subject);
  if (it == subjects_.end()) return std::vector<BaselineVersion>();
  return it->second.versions;
}

Result<BaselineVersion> ExportBaseline::version(std::string_view subject, int version) {
  if (const auto it = subjects_.find(subject); it != subjects_.end()) {
    for (const BaselineVersion& candidate : it->second.versions) {
      if (candidate.version == version) return candidate;
    }
  }
  return Error(ErrorCode::kVersionNotFound,
               fmt::format("{}: subject '{}' has no version {}", name_, subject, version));
}

std::optional<CompatibilityLevel> ExportBaseline::level(std::string_view subject) {
  if (const auto it = subjects_.find(subject); it != subjects_.end() && it->second.level) {
    return it->second.level;
  }
  return default_level_;
}

}  // namespace sg::gate
