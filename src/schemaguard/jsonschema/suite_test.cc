// The JSON-Schema-Test-Suite (../shared/vectors/json-schema-test-suite): every required test
// case of drafts 4, 6, 7, 2019-09 and 2020-12, through both is_valid() and validate(). Remote
// references (http://localhost:1234/...) are served from the suite's remotes/ folder by the
// resolver, never from the network. Cases known to fail are listed, each with its reason, in
// suite_skips.txt; a listed case that passes fails the test, so the list cannot go stale.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "schemaguard/jsonschema/validator.h"

namespace sg::jsonschema {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kSuite = fs::path(SG_SHARED_DIR) / "vectors" / "json-schema-test-suite";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

json::value parse_file(const fs::path& path) {
  json::parse_options options;
  options.max_depth = 1000;
  return json::parse(read_file(path), {}, options);
}

// Serves http://localhost:1234/<path> from remotes/<path>.
std::optional<json::value> serve_remote(std::string_view uri) {
  constexpr std::string_view kPrefix = "http://localhost:1234/";
  if (!uri.starts_with(kPrefix)) return std::nullopt;
  const fs::path path = kSuite / "remotes" / std::string(uri.substr(kPrefix.size()));
  if (!fs::is_regular_file(path)) return std::nullopt;
  return parse_file(path);
}

// "<draft>/<file> :: <group description> :: <test description>", from suite_skips.txt, where
// <draft> may be "*" (every draft) and the descriptions "*" (every group or test).
std::set<std::string> load_skips() {
  std::set<std::string> skips;
  std::ifstream in(SG_SUITE_SKIPS);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') continue;
    // The reason follows " -- ".
    if (auto reason = line.find(" -- "); reason != std::string::npos) line.erase(reason);
    skips.insert(line);
  }
  return skips;
}

class SuiteTest : public testing::TestWithParam<Draft> {};

// Runs every case of the files in tests/<draft>/<subfolder>, reports failures not in the skip
// list, and returns "passed/total".
void run_folder(Draft draft, const std::string& subfolder, bool assert_formats) {
  const std::string name(draft_name(draft));
  const fs::path folder = kSuite / "tests" / name / subfolder;
  ASSERT_TRUE(fs::is_directory(folder)) << folder;
  const std::set<std::string> skips = load_skips();

  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());

  CompileOptions options;
  options.default_draft = draft;
  options.resolve = serve_remote;
  options.assert_formats = assert_formats;
  int total = 0;
  int passed = 0;
  int skipped = 0;
  for (const fs::path& file : files) {
    const json::value groups = parse_file(file);
    const std::string file_key =
        name + "/" + (subfolder.empty() ? "" : subfolder + "/") + file.filename().string();
    for (const json::value& group : groups.as_array()) {
      const std::string group_key =
          file_key + " :: " + std::string(group.at("description").as_string());
      auto compiled = compile(group.at("schema"), options);
      for (const json::value& test : group.at("tests").as_array()) {
        ++total;
        const std::string key =
            group_key + " :: " + std::string(test.at("description").as_string());
        const std::string any_draft_file = "*" + file_key.substr(name.size());
        const std::string any_draft_group =
            any_draft_file + " :: " + std::string(group.at("description").as_string());
        // An entry for one case must still fail; one for a group or file may cover some
        // that pass (e.g. "all string formats ignore integers" in an unasserted format).
        const bool exact_skip =
            skips.contains(key) || skips.contains("*" + key.substr(name.size()));
        const bool skip = exact_skip || skips.contains(group_key + " :: *") ||
                          skips.contains(file_key + " :: * :: *") ||
                          skips.contains(any_draft_file + " :: * :: *") ||
                          skips.contains(any_draft_group + " :: *");
        const bool expected = test.at("valid").as_bool();
        std::string problem;
        if (!compiled.ok()) {
          problem = "schema rejected: " + compiled.error().message();
        } else {
          const bool valid = (*compiled)->is_valid(test.at("data"));
          const auto errors = (*compiled)->validate(test.at("data"));
          if (valid != expected) {
            problem = expected ? "rejected a valid document" : "accepted an invalid document";
            if (!errors.empty()) {
              problem += " (" + errors.front().schema_path + ": " + errors.front().message + ")";
            }
          } else if (errors.empty() != expected) {
            problem = "validate() disagrees with is_valid()";
          }
        }
        if (skip) {
          ++skipped;
          if (exact_skip) {
            EXPECT_FALSE(problem.empty()) << "listed in suite_skips.txt but passes: " << key;
          }
          continue;
        }
        if (problem.empty()) {
          ++passed;
        } else {
          ADD_FAILURE() << key << ": " << problem
                        << "\n  schema: " << json::serialize(group.at("schema"))
                        << "\n  data: " << json::serialize(test.at("data"));
        }
      }
    }
  }
  std::printf("%s%s: %d/%d passed, %d skipped (suite_skips.txt)\n", name.c_str(),
              subfolder.empty() ? "" : ("/" + subfolder).c_str(), passed, total, skipped);
  EXPECT_GT(total, 0);
}

TEST_P(SuiteTest, RequiredTestsPass) {
  run_folder(GetParam(), "", false);
}

// The optional format tests, with `format` asserting (CompileOptions::assert_formats).
TEST_P(SuiteTest, OptionalFormatTestsPass) {
  run_folder(GetParam(), "optional/format", true);
}

// The other optional tests (bignum, ECMA-262 regex details, cross-draft references, ...).
TEST_P(SuiteTest, OptionalTestsPass) {
  run_folder(GetParam(), "optional", false);
}

INSTANTIATE_TEST_SUITE_P(Drafts, SuiteTest,
                         testing::Values(Draft::k4, Draft::k6, Draft::k7, Draft::k2019_09,
                                         Draft::k2020_12),
                         [](const testing::TestParamInfo<Draft>& param_info) {
                           std::string name(draft_name(param_info.param));
                           std::erase(name, '-');
                           return name;
                         });

}  // namespace
}  // namespace sg::jsonschema
