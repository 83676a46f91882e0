// Confluent's JSON Schema diff vectors (../shared/vectors/confluent/json-schema), read at run
// time: they are under the Confluent Community Licence and are not copied into the project.
//
// Each case: the diff of (original_schema, update_schema) must produce exactly the `changes`
// ("TYPE #/path", compared as multisets: Confluent's order is hash-set order), `compatible` is
// the STRICT verdict and `compatible_lenient` (default: `compatible`) the LENIENT one. Every
// schema must also diff against itself with no difference. A case that cannot pass goes in
// kSkips with the reason.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "schemaguard/jsonschema/compat/diff.h"

namespace sg::jsonschema {
namespace {

namespace json = boost::json;

const std::string kDir = SG_SHARED_DIR "/vectors/confluent/json-schema/";

// "file:index" -> why the case is not expected to pass.
const std::map<std::string, std::string> kSkips = {};

json::value read_json(const std::string& path) {
  std::ifstream file(path);
  EXPECT_TRUE(file) << "cannot open " << path;
  std::stringstream text;
  text << file.rdbuf();
  // diff-schema-examples-2020-12.json has trailing commas (Confluent reads it leniently).
  json::parse_options lenient;
  lenient.allow_comments = true;
  lenient.allow_trailing_commas = true;
  std::error_code ec;
  json::value value = json::parse(text.str(), ec, {}, lenient);
  EXPECT_FALSE(ec) << path << ": " << ec.message();
  return value;
}

std::vector<std::string> summarize(const std::vector<Difference>& differences) {
  std::vector<std::string> out;
  for (const Difference& d : differences) out.push_back(d.type + " " + d.path);
  std::sort(out.begin(), out.end());
  return out;
}

struct Tally {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
};

Tally run_file(const std::string& file) {
  Tally tally;
  const json::value cases = read_json(kDir + file);
  if (!cases.is_array()) return tally;
  for (std::size_t index = 0; index < cases.get_array().size(); ++index) {
    const json::object& c = cases.get_array()[index].as_object();
    const std::string id = fmt::format("{}:{}", file, index);
    if (kSkips.contains(id)) {
      ++tally.skipped;
      continue;
    }
    SCOPED_TRACE(fmt::format("{} \"{}\"\n  original: {}\n  update:   {}", id,
                             std::string(c.at("description").as_string()),
                             json::serialize(c.at("original_schema")),
                             json::serialize(c.at("update_schema"))));
    const json::value& original = c.at("original_schema");
    const json::value& update = c.at("update_schema");
    std::vector<std::string> expected;
    for (const json::value& change : c.at("changes").as_array()) {
      expected.emplace_back(change.as_string());
    }
    std::sort(expected.begin(), expected.end());
    const bool compatible = c.at("compatible").as_bool();
    const json::value* lenient_value = c.if_contains("compatible_lenient");
    const bool compatible_lenient =
        lenient_value != nullptr ? lenient_value->as_bool() : compatible;

    bool ok = true;
    auto strict = diff(original, update);
    if (!strict.ok()) {
      ADD_FAILURE() << strict.error().to_string();
      ++tally.failed;
      continue;
    }
    EXPECT_EQ(summarize(*strict), expected);
    ok = ok && summarize(*strict) == expected;
    EXPECT_EQ(is_compatible(*strict, CompatPolicy::kStrict), compatible);
    ok = ok && is_compatible(*strict, CompatPolicy::kStrict) == compatible;

    DiffOptions lenient_options;
    lenient_options.policy = CompatPolicy::kLenient;
    auto lenient = diff(original, update, lenient_options);
    if (!lenient.ok()) {
      ADD_FAILURE() << lenient.error().to_string();
      ++tally.failed;
      continue;
    }
    EXPECT_EQ(is_compatible(*lenient, CompatPolicy::kLenient), compatible_lenient);
    ok = ok && is_compatible(*lenient, CompatPolicy::kLenient) == compatible_lenient;

    for (const json::value* schema : {&original, &update}) {
      auto self = diff(*schema, *schema);
      if (!self.ok()) {
        ADD_FAILURE() << self.error().to_string();
        ok = false;
        continue;
      }
      EXPECT_EQ(summarize(*self), std::vector<std::string>{})
          << "self-diff of " << json::serialize(*schema);
      ok = ok && self->empty();
    }
    ++(ok ? tally.passed : tally.failed);
  }
  return tally;
}

class ConfluentVectors : public testing::TestWithParam<std::string> {};

TEST_P(ConfluentVectors, MatchChangesAndVerdicts) {
  const Tally tally = run_file(GetParam());
  std::cout << fmt::format("[ vectors  ] {}: {} passed, {} failed, {} skipped\n", GetParam(),
                           tally.passed, tally.failed, tally.skipped);
  EXPECT_GT(tally.passed, 0);
}

INSTANTIATE_TEST_SUITE_P(Files, ConfluentVectors,
                         testing::Values("diff-schema-examples.json",
                                         "diff-schema-examples-2020-12.json",
                                         "diff-combined-schema-examples.json",
                                         "diff-combined-schema-examples-2020-12.json"),
                         [](const testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param.substr(0, param.param.find(".json"));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// A schema recursive through "#/definitions/Category" diffs against itself, terminates, and
// finds nothing.
TEST(ConfluentVectors, RecursiveSchemaAgainstItself) {
  const json::value schema = read_json(kDir + "recursive-schema.json");
  auto result = diff(schema, schema);
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_EQ(summarize(*result), std::vector<std::string>{});
}

}  // namespace
}  // namespace sg::jsonschema
