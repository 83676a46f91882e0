#include "schemaguard/gate/baseline.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "schemaguard/base/file.h"
#include "schemaguard/client/registry_client.h"
#include "schemaguard/gate/export.h"
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
  SG_ASSIGN_OR_RETURN(std::vector<FileVersion> read, read_history(file));
  return &histories_.emplace(file, std::move(read)).first->second;
}

Result<std::vector<GitBaseline::FileVersion>> GitBaseline::read_history(
    const std::string& file) const {
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
  return newest_first;
}

Status GitBaseline::read_histories(const std::vector<std::string>& files) {
  std::vector<std::string> missing;
  for (const std::string& file : files) {
    if (histories_.count(file) == 0 &&
        std::find(missing.begin(), missing.end(), file) == missing.end()) {
      missing.push_back(file);
    }
  }
  // `git log --follow` takes one file, and git's start-up dominates each run: several at once
  // bring the wall time of a large repository down to a fraction of git's serial time.
  const std::size_t workers = std::min<std::size_t>(
      missing.size(), std::clamp<std::size_t>(std::thread::hardware_concurrency(), 2, 8));
  std::vector<std::optional<Result<std::vector<FileVersion>>>> results(missing.size());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (std::size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      for (std::size_t i = next++; i < missing.size(); i = next++) {
        results[i].emplace(read_history(missing[i]));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (std::size_t i = 0; i < missing.size(); ++i) {
    if (!results[i]->ok()) return results[i]->error();
    histories_.emplace(missing[i], std::move(*results[i]).value());
  }
  return ok_status();
}

Result<std::vector<std::string>> GitBaseline::read_blobs(const std::vector<std::string>& requests) {
  std::vector<std::string> texts;
  if (requests.empty()) return texts;
  std::string input;
  for (const std::string& request : requests) input += request + "\n";
  SG_ASSIGN_OR_RETURN(ProcessOutput blobs, git(config_.directory, {"cat-file", "--batch"}, input));
  if (blobs.exit_status != 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("git cat-file failed: {}", git_complaint(blobs)));
  }
  std::string_view rest = blobs.out;
  texts.reserve(requests.size());
  for (const std::string& request : requests) {
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
      const std::size_t colon = request.find(':');
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("git cannot read {}:{}: {}", short_hash(request.substr(0, colon)),
                               request.substr(colon + 1), header));
    }
    texts.emplace_back(rest.substr(header_end + 1, size));
    rest.remove_prefix(std::min(rest.size(), header_end + 1 + size + 1));
  }
  return texts;
}

Result<std::vector<BaselineVersion>> GitBaseline::load(const SchemaConfig& schema,
                                                       std::vector<std::string> texts) {
  SG_ASSIGN_OR_RETURN(const std::vector<FileVersion>* commits, history(schema.file));
  std::vector<BaselineVersion> versions;
  versions.reserve(commits->size());
  for (std::size_t index = 0; index < commits->size(); ++index) {
    const FileVersion& commit = (*commits)[index];
    BaselineVersion version;
    version.version = static_cast<int>(index) + 1;
    version.type = schema.type;
    version.text = std::move(texts.at(index));
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

Status GitBaseline::load_all() {
  // Every version of every configured file through one `git cat-file --batch`: a process per
  // file would cost as much as the `git log` that finds the versions.
  std::vector<std::string> files;
  for (const SchemaConfig& schema : config_.schemas) {
    files.push_back(schema.file);
    for (const ReferenceConfig& reference : schema.references) files.push_back(reference.file);
  }
  SG_RETURN_IF_ERROR(read_histories(files));
  std::vector<std::string> requests;
  for (const SchemaConfig& schema : config_.schemas) {
    SG_ASSIGN_OR_RETURN(const std::vector<FileVersion>* commits, history(schema.file));
    for (const FileVersion& commit : *commits)
      requests.push_back(commit.commit + ":" + commit.path);
  }
  SG_ASSIGN_OR_RETURN(std::vector<std::string> texts, read_blobs(requests));
  std::size_t next = 0;
  for (const SchemaConfig& schema : config_.schemas) {
    const std::size_t count = histories_.at(schema.file).size();
    std::vector<std::string> own(
        std::make_move_iterator(texts.begin() + static_cast<std::ptrdiff_t>(next)),
        std::make_move_iterator(texts.begin() + static_cast<std::ptrdiff_t>(next + count)));
    next += count;
    SG_ASSIGN_OR_RETURN(std::vector<BaselineVersion> loaded, load(schema, std::move(own)));
    versions_.emplace(schema.file, std::move(loaded));
  }
  return ok_status();
}

Result<std::vector<BaselineVersion>> GitBaseline::versions(const SchemaConfig& schema) {
  if (!loaded_all_) {
    loaded_all_ = true;
    SG_RETURN_IF_ERROR(load_all());
  }
  if (auto it = versions_.find(schema.file); it != versions_.end()) return it->second;
  // A schema outside the config (not reached by the check): on its own.
  SG_ASSIGN_OR_RETURN(const std::vector<FileVersion>* commits, history(schema.file));
  std::vector<std::string> requests;
  for (const FileVersion& commit : *commits) requests.push_back(commit.commit + ":" + commit.path);
  SG_ASSIGN_OR_RETURN(std::vector<std::string> texts, read_blobs(requests));
  SG_ASSIGN_OR_RETURN(std::vector<BaselineVersion> loaded, load(schema, std::move(texts)));
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

Result<std::optional<CompatibilityLevel>> GitBaseline::level(std::string_view) {
  return std::optional<CompatibilityLevel>();
}

// --- ExportBaseline --------------------------------------------------------------------------

Result<std::unique_ptr<ExportBaseline>> ExportBaseline::parse(std::string_view text,
                                                              std::string display_name) {
  SG_ASSIGN_OR_RETURN(RegistryExport document, parse_export(text, display_name));
  auto baseline = std::unique_ptr<ExportBaseline>(new ExportBaseline());
  baseline->name_ = std::move(display_name);
  baseline->default_level_ = document.level;
  for (auto& [name, exported] : document.subjects) {
    Subject subject;
    subject.level = exported.level;
    for (ExportedVersion& from : exported.versions) {
      BaselineVersion version;
      version.version = from.version;
      version.type = from.type;
      version.text = std::move(from.schema);
      version.references = std::move(from.references);
      version.origin = fmt::format("export version {}", from.version);
      (from.deleted ? subject.deleted : subject.versions).push_back(std::move(version));
    }
    baseline->subjects_.emplace(name, std::move(subject));
  }
  return baseline;
}

Result<std::unique_ptr<ExportBaseline>> ExportBaseline::open(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Error(ErrorCode::kIoError,
                 fmt::format("{}: export file not found (--against takes git:REF, a registry URL "
                             "or an export file)",
                             path.string()));
  }
  SG_ASSIGN_OR_RETURN(std::string text, read_file(path));
  return parse(text, path.string());
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
    for (const auto* list : {&it->second.versions, &it->second.deleted}) {
      for (const BaselineVersion& candidate : *list) {
        if (candidate.version == version) return candidate;
      }
    }
  }
  return Error(ErrorCode::kVersionNotFound,
               fmt::format("{}: subject '{}' has no version {}", name_, subject, version));
}

Result<std::optional<CompatibilityLevel>> ExportBaseline::level(std::string_view subject) {
  if (const auto it = subjects_.find(subject); it != subjects_.end() && it->second.level) {
    return it->second.level;
  }
  return default_level_;
}

// --- RegistryBaseline ------------------------------------------------------------------------

namespace {

BaselineVersion from_registry(client::SchemaVersion read) {
  BaselineVersion version;
  version.version = read.version;
  // An unknown type parses as nothing the engine accepts; the check then leaves it out with a
  // warning, as it does for any version that does not parse.
  version.type = schema_type_from_string(read.schema_type).value_or(SchemaType::kAvro);
  version.text = std::move(read.schema);
  for (client::Reference& reference : read.references) {
    version.references.push_back(
        {std::move(reference.name), std::move(reference.subject), reference.version});
  }
  version.origin = fmt::format("registry id {}", read.id);
  return version;
}

}  // namespace

RegistryBaseline::RegistryBaseline(std::unique_ptr<client::RegistryClient> client)
    : client_(std::move(client)) {}

RegistryBaseline::~RegistryBaseline() = default;

std::string RegistryBaseline::description() const {
  return fmt::format("registry {}", client_->url());
}

Result<std::vector<BaselineVersion>> RegistryBaseline::versions(const SchemaConfig& schema) {
  if (auto it = subjects_.find(schema.subject); it != subjects_.end()) return it->second;
  auto numbers = client_->versions(schema.subject);
  // Unknown (or wholly soft-deleted): nothing to be compatible with, the subject is new.
  if (!numbers.ok() && numbers.error().code() == ErrorCode::kSubjectNotFound) {
    return subjects_.emplace(schema.subject, std::vector<BaselineVersion>()).first->second;
  }
  if (!numbers.ok())
    return numbers.error().with_context(fmt::format("subject '{}'", schema.subject));
  std::vector<BaselineVersion> loaded;
  for (const int number : *numbers) {
    SG_ASSIGN_OR_RETURN(BaselineVersion version, this->version(schema.subject, number));
    loaded.push_back(std::move(version));
  }
  return subjects_.emplace(schema.subject, std::move(loaded)).first->second;
}

Result<BaselineVersion> RegistryBaseline::version(std::string_view subject, int version) {
  const auto key = std::make_pair(std::string(subject), version);
  if (auto it = versions_.find(key); it != versions_.end()) return it->second;
  // deleted=true: a live version may reference one that was soft-deleted since.
  auto read = client_->version(subject, version, true);
  if (!read.ok()) {
    return read.error().with_context(fmt::format("subject '{}' v{}", subject, version));
  }
  return versions_.emplace(key, from_registry(*std::move(read))).first->second;
}

Result<std::optional<CompatibilityLevel>> RegistryBaseline::level(std::string_view subject) {
  if (auto it = levels_.find(subject); it != levels_.end()) return it->second;
  SG_ASSIGN_OR_RETURN(std::optional<CompatibilityLevel> level, client_->config(subject, true));
  return levels_.emplace(std::string(subject), level).first->second;
}

Result<CompatibilityPolicy> RegistryBaseline::policy(std::string_view subject) {
  auto read = client_->compatibility_policy(subject);
  if (!read.ok()) return read.error().with_context(fmt::format("subject '{}'", subject));
  return *read;
}

}  // namespace sg::gate
