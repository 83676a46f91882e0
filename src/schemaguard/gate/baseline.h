// What a change is checked against: the earlier versions of each subject.
//
// A Baseline answers, per configured schema, the subject's versions oldest first (with the
// references each version was registered with) and, where it keeps one, the subject's
// compatibility level. Three kinds slot in behind it:
//   - GitBaseline: each file's committed history at a git ref (no registry needed);
//   - ExportBaseline: an export file (format in docs/ci-gate.md);
//   - RegistryBaseline: a live registry's non-deleted versions and effective levels.
// Baselines are used from one thread.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/gate/config.h"
#include "schemaguard/model/compatibility_level.h"
#include "schemaguard/model/schema_type.h"

namespace sg::client {
class RegistryClient;
}  // namespace sg::client

namespace sg::gate {

// A reference as a registry records it: the name the schema uses, and the subject and version
// that define it.
struct BaselineReference {
  std::string name;
  std::string subject;
  int version = 0;
};

struct BaselineVersion {
  int version = 0;  // the subject's version number (git: 1 for the oldest commit)
  SchemaType type = SchemaType::kAvro;
  std::string text;
  std::vector<BaselineReference> references;
  std::string origin;  // where it came from, for people: "commit 1a2b3c4", "export"
};

class Baseline {
 public:
  virtual ~Baseline() = default;

  // One line for reports: "git origin/main (merge base 1a2b3c4)", "export exports/prod.json".
  virtual std::string description() const = 0;

  // Every version of `schema`'s subject, oldest first; empty when the subject is new.
  virtual Result<std::vector<BaselineVersion>> versions(const SchemaConfig& schema) = 0;

  // Version `version` of `subject`, for resolving references. kVersionNotFound when absent.
  virtual Result<BaselineVersion> version(std::string_view subject, int version) = 0;

  // The subject's compatibility level as the baseline records it; nullopt when it records none
  // (git history has no levels). An error when the baseline cannot be read (a registry that
  // stopped answering).
  virtual Result<std::optional<CompatibilityLevel>> level(std::string_view subject) = 0;

  // The subject's compatibility policy (which only JSON Schema reads): a registry's, else
  // STRICT, the default.
  virtual Result<CompatibilityPolicy> policy(std::string_view /*subject*/) {
    return CompatibilityPolicy::kStrict;
  }
};

// Reads history with the `git` program, run in the config's directory.
class GitBaseline : public Baseline {
 public:
  // Resolves `ref` (a branch, tag or commit; empty: origin/main, else main) and, when the
  // current HEAD has diverged from it, their merge base. kInvalidArgument when the directory is
  // not in a git repository or the ref does not exist.
  static Result<std::unique_ptr<GitBaseline>> open(const Config& config, std::string ref);

  std::string description() const override;
  Result<std::vector<BaselineVersion>> versions(const SchemaConfig& schema) override;
  Result<BaselineVersion> version(std::string_view subject, int version) override;
  Result<std::optional<CompatibilityLevel>> level(std::string_view subject) override;

  const std::string& commit() const { return commit_; }

 private:
  struct FileVersion {
    std::string commit;
    std::string path;  // as named in that commit, relative to the repository root
  };
  GitBaseline(const Config& config, std::string label, std::string commit, std::string prefix);
  // The commits that changed `file` (relative to the config's directory), oldest first.
  Result<const std::vector<FileVersion>*> history(const std::string& file);
  // The same, uncached; touches no member, so several run at once (read_histories).
  Result<std::vector<FileVersion>> read_history(const std::string& file) const;
  // Fills the history cache for `files`, several `git log` processes at a time.
  Status read_histories(const std::vector<std::string>& files);
  // The texts of `requests` ("commit:path"), in order, from one `git cat-file --batch`.
  Result<std::vector<std::string>> read_blobs(const std::vector<std::string>& requests);
  // `schema`'s versions from its history and their texts (one per commit, oldest first).
  Result<std::vector<BaselineVersion>> load(const SchemaConfig& schema,
                                            std::vector<std::string> texts);
  // Every configured schema's versions at once.
  Status load_all();

  const Config& config_;
  std::string label_;   // "origin/main at 1a2b3c4", "origin/main (merge base 1a2b3c4)"
  std::string commit_;  // the baseline commit: what the ref names, or the merge base
  std::string prefix_;  // the config directory relative to the repository root, "" or "a/b/"
  std::map<std::string, std::vector<FileVersion>> histories_;
  std::map<std::string, std::vector<BaselineVersion>> versions_;  // by file
  bool loaded_all_ = false;
};

// Reads an export file (docs/ci-gate.md, "Export file"; export.h). Versions the export flags
// deleted are never checked against, but references to them still resolve.
class ExportBaseline : public Baseline {
 public:
  // kInvalidArgument naming the file and the JSON location for anything malformed.
  static Result<std::unique_ptr<ExportBaseline>> open(const std::filesystem::path& path);
  static Result<std::unique_ptr<ExportBaseline>> parse(std::string_view text,
                                                       std::string display_name);

  std::string description() const override;
  Result<std::vector<BaselineVersion>> versions(const SchemaConfig& schema) override;
  Result<BaselineVersion> version(std::string_view subject, int version) override;
  Result<std::optional<CompatibilityLevel>> level(std::string_view subject) override;

 private:
  struct Subject {
    std::optional<CompatibilityLevel> level;
    std::vector<BaselineVersion> versions;  // ascending, without the deleted ones
    std::vector<BaselineVersion> deleted;   // only for resolving references
  };
  std::string name_;
  std::optional<CompatibilityLevel> default_level_;
  std::map<std::string, Subject, std::less<>> subjects_;
};

// Reads a live registry through `client` (GET /subjects/{s}/versions, /config/{s}): the
// non-deleted versions oldest first, references as the registry records them, and the subject's
// effective level (its own, else the global one). A subject the registry does not know is new.
// Answers are cached, so each version is fetched once.
class RegistryBaseline : public Baseline {
 public:
  explicit RegistryBaseline(std::unique_ptr<client::RegistryClient> client);
  ~RegistryBaseline() override;

  std::string description() const override;
  Result<std::vector<BaselineVersion>> versions(const SchemaConfig& schema) override;
  Result<BaselineVersion> version(std::string_view subject, int version) override;
  Result<std::optional<CompatibilityLevel>> level(std::string_view subject) override;
  Result<CompatibilityPolicy> policy(std::string_view subject) override;

  client::RegistryClient& client() { return *client_; }

 private:
  std::unique_ptr<client::RegistryClient> client_;
  std::map<std::string, std::vector<BaselineVersion>, std::less<>> subjects_;
  std::map<std::pair<std::string, int>, BaselineVersion> versions_;
  std::map<std::string, std::optional<CompatibilityLevel>, std::less<>> levels_;
};

// The directory `directory` relative to the root of the git repository holding it ("" at the
// root, else "a/b/"); nullopt when it is not inside a repository or git is missing.
std::optional<std::string> git_prefix(const std::filesystem::path& directory);

}  // namespace sg::gate
