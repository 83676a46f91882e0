// The compatibility property: whenever diff() (strict policy, fail closed) calls a generated
// (older, newer) pair BACKWARD compatible, no document valid under the older schema is rejected
// by the newer one. Documents come from InstanceGenerator (with the newer schema's property
// names as extra members, to probe open content models) and from find_counterexample, which
// aims edits at every difference; our validator judges them. A failure prints both schemas and
// the document: it is a reproducible bug report.
//
// Known differences (kept on purpose for Confluent parity, see README.md) are counted and
// printed, never skipped silently; anything else fails the test.
//
// Environment (tests/differential/README.md):
//   SG_JSONSCHEMA_PROPERTY_SEED   first seed (default 1)
//   SG_JSONSCHEMA_PROPERTY_PAIRS  number of pairs (default 400)
//   SG_JSONSCHEMA_PROPERTY_DOCS   generated documents per pair (default 40)
//   SG_JSONSCHEMA_PROPERTY_VERBOSE=1  also print the incompatible pairs no counterexample shows
//   SG_JSONSCHEMA_SAMPLE_OUT      a file to write (schema, document, our verdict) samples to, one
//                                 JSON object per line, for tests/differential's ajv cross-check
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "schemaguard/jsonschema/compat/counterexample.h"
#include "schemaguard/jsonschema/compat/diff.h"
#include "schemaguard/jsonschema/compat/schema_pairs.h"
#include "schemaguard/jsonschema/generate/generate.h"
#include "schemaguard/jsonschema/validator.h"

namespace sg::jsonschema {
namespace {

namespace json = boost::json;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  return std::strtoull(text, nullptr, 10);
}

void property_names(const json::value& schema, std::set<std::string>& out) {
  if (schema.is_object()) {
    for (const auto& [key, value] : schema.get_object()) {
      if (key == "properties" && value.is_object()) {
        for (const auto& [name, sub] : value.get_object()) out.emplace(name);
      }
      if (key != "enum" && key != "const" && key != "default") property_names(value, out);
    }
  } else if (schema.is_array()) {
    for (const auto& item : schema.get_array()) property_names(item, out);
  }
}

bool has_mutation(const SchemaPair& pair, std::string_view prefix) {
  for (const std::string& m : pair.mutations) {
    if (m.starts_with(prefix)) return true;
  }
  return false;
}

bool all_errors_at(const std::vector<ValidationError>& errors, std::string_view keyword) {
  if (errors.empty()) return false;
  for (const ValidationError& e : errors) {
    if (!e.schema_path.ends_with(keyword)) return false;
  }
  return true;
}

// Why a failure is a known, deliberate difference; empty when it is not one (a bug).
std::string known_difference(const SchemaPair& pair, const std::vector<Difference>& differences,
                             const std::vector<ValidationError>& errors) {
  // Confluent calls a new required property with a default compatible (a reader fills the
  // default in); a validator rejects old events that lack it.
  if (all_errors_at(errors, "/required") &&
      has_mutation(pair, "known: add required property with default")) {
    return "required property with a default added (REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED and "
           "friends are compatible in Confluent's sets)";
  }
  // Confluent's vectors expect a name added to `required` without a declaration in
  // `properties` to be compatible; the diff reports nothing.
  if (all_errors_at(errors, "/required") && has_mutation(pair, "known: require undeclared")) {
    return "undeclared name added to required (not reported, Confluent parity)";
  }
  // oneOf members are paired and compared one by one, as Confluent does: widening a member
  // until it overlaps another, or adding a member that overlaps one (even a duplicate, which
  // the diff does not report at all since it compares distinct members), is compatible member
  // by member, yet a value that now matches two members fails oneOf. Deciding overlap needs
  // schema intersection, which neither engine does.
  const bool overlap =
      !errors.empty() && std::all_of(errors.begin(), errors.end(), [](const auto& e) {
        return e.schema_path.ends_with("/oneOf") &&
               e.message.find("more than one") != std::string::npos;
      });
  if (overlap) {
    return differences.empty()
               ? "oneOf member duplicated (no difference reported: members are compared "
                 "distinct; Confluent calls it SUM_TYPE_EXTENDED, compatible)"
               : "oneOf members made to overlap (compatible member by member; Confluent's "
                 "rules ignore oneOf exclusivity)";
  }
  return {};
}

std::set<std::string> incompatible_types(const std::vector<Difference>& differences) {
  std::set<std::string> out;
  for (const Difference& d : differences) {
    if (!is_compatible_type(d.type, CompatPolicy::kStrict)) out.insert(d.type);
  }
  return out;
}

double percent(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

struct Failure {
  std::string reason;  // empty: a bug
  std::string report;
};

std::string report_of(const SchemaPair& pair, const json::value& document,
                      const std::vector<ValidationError>& errors, const std::string& source) {
  std::string out = "older: " + json::serialize(pair.older) +
                    "\nnewer: " + json::serialize(pair.newer) + "\ndocument (" + source +
                    "): " + json::serialize(document) + "\nmutations:";
  for (const std::string& m : pair.mutations) out += "\n  - " + m;
  out += "\nnewer rejects it:";
  for (const ValidationError& e : errors) {
    out += "\n  " + (e.instance_path.empty() ? std::string("(root)") : e.instance_path) + " " +
           e.schema_path + ": " + e.message;
  }
  return out;
}

TEST(JsonSchemaCompatProperty, CompatibleMeansEveryOldDocumentStillValidates) {
  const auto start = std::chrono::steady_clock::now();
  const std::uint64_t seed = env_number("SG_JSONSCHEMA_PROPERTY_SEED", 1);
  const std::uint64_t pairs = env_number("SG_JSONSCHEMA_PROPERTY_PAIRS", 400);
  const std::uint64_t docs = env_number("SG_JSONSCHEMA_PROPERTY_DOCS", 40);
  const char* sample_path = std::getenv("SG_JSONSCHEMA_SAMPLE_OUT");
  const bool verbose = env_number("SG_JSONSCHEMA_PROPERTY_VERBOSE", 0) != 0;
  std::ofstream sample;
  if (sample_path != nullptr && *sample_path != '\0') {
    sample.open(sample_path);
    ASSERT_TRUE(sample) << "cannot write " << sample_path;
  }

  SchemaPairGenerator generator(seed);
  std::uint64_t compatible = 0, incompatible = 0, generated = 0, valid_under_old = 0, checked = 0,
                counterexamples = 0, incompatible_explained = 0, samples = 0;
  std::vector<Failure> failures;
  std::map<std::string, int> known;

  for (std::uint64_t n = 0; n < pairs; ++n) {
    const SchemaPair pair = generator.next();
    auto differences = diff(pair.older, pair.newer);
    ASSERT_TRUE(differences.ok()) << differences.error().to_string() << "\n"
                                  << json::serialize(pair.older) << "\n"
                                  << json::serialize(pair.newer);
    auto older = compile(pair.older);
    auto newer = compile(pair.newer);
    ASSERT_TRUE(older.ok()) << older.error().to_string() << "\n" << json::serialize(pair.older);
    ASSERT_TRUE(newer.ok()) << newer.error().to_string() << "\n" << json::serialize(pair.newer);
    const bool is_compatible_pair = is_compatible(*differences, CompatPolicy::kStrict);
    (is_compatible_pair ? compatible : incompatible) += 1;

    bool failed = false;
    auto fail = [&](const json::value& document, const std::string& source) {
      if (failed) return;  // one report per pair
      failed = true;
      const std::vector<ValidationError> errors = (*newer)->validate(document);
      Failure f;
      f.reason = known_difference(pair, *differences, errors);
      f.report = "pair " + std::to_string(n) +
                 " of SG_JSONSCHEMA_PROPERTY_SEED=" + std::to_string(seed) + "\n" +
                 report_of(pair, document, errors, source);
      if (!f.reason.empty()) ++known[f.reason];
      failures.push_back(std::move(f));
    };

    GenerateOptions options;
    options.seed = seed * 1000003 + n;
    std::set<std::string> names;
    property_names(pair.newer, names);
    options.extra_property_names.assign(names.begin(), names.end());
    InstanceGenerator documents(pair.older, options);
    json::array sampled_old, sampled_new;
    for (std::uint64_t i = 0; i < docs; ++i) {
      const json::value document = documents.next();
      ++generated;
      const bool old_ok = (*older)->is_valid(document);
      const bool new_ok = (*newer)->is_valid(document);
      if (sample && i < 4) {
        sampled_old.push_back(json::object{{"document", document}, {"valid", old_ok}});
        sampled_new.push_back(json::object{{"document", document}, {"valid", new_ok}});
      }
      if (!old_ok) continue;
      ++valid_under_old;
      if (!is_compatible_pair) continue;
      ++checked;
      if (!new_ok) fail(document, "generated");
    }

    // The targeted search: for a compatible pair any hit is a bug; for an incompatible one it
    // shows how often the engine's objection can be demonstrated.
    CounterexampleOptions search;
    search.differences = &*differences;
    search.seed = n + 1;
    search.time_budget = std::chrono::milliseconds(0);
    const auto found = find_counterexample(**older, pair.older, **newer, pair.newer, search);
    if (found) {
      EXPECT_TRUE((*older)->is_valid(found->document));
      EXPECT_FALSE((*newer)->is_valid(found->document));
      if (sample) {
        sampled_old.push_back(json::object{{"document", found->document}, {"valid", true}});
        sampled_new.push_back(json::object{{"document", found->document}, {"valid", false}});
      }
    }
    if (is_compatible_pair) {
      ++checked;
      if (found) fail(found->document, "find_counterexample, " + found->found_by);
    } else if (found) {
      ++incompatible_explained;
    } else if (verbose) {
      // Which objections no document demonstrates: where the engine is conservative (fail
      // closed on `format`, which the validator treats as an annotation) or the search weak.
      std::string types;
      for (const std::string& type : incompatible_types(*differences)) types += " " + type;
      std::printf("no counterexample:%s\n  older: %s\n  newer: %s\n", types.c_str(),
                  json::serialize(pair.older).c_str(), json::serialize(pair.newer).c_str());
    }

    if (sample) {
      const std::string draft(draft_name(pair.draft));
      sample << json::serialize(json::object{
                    {"draft", draft}, {"schema", pair.older}, {"documents", sampled_old}})
             << "\n"
             << json::serialize(json::object{
                    {"draft", draft}, {"schema", pair.newer}, {"documents", sampled_new}})
             << "\n";
      samples += sampled_old.size() + sampled_new.size();
    }
  }
  counterexamples = incompatible_explained;

  int bugs = 0;
  std::set<std::string> shown;
  for (const Failure& f : failures) {
    if (f.reason.empty()) {
      ++bugs;
      if (bugs <= 5) ADD_FAILURE() << "compatible pair rejects an old document:\n" << f.report;
    } else if (shown.insert(f.reason).second) {
      std::printf("known difference: %s; first example:\n%s\n\n", f.reason.c_str(),
                  f.report.c_str());
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "seed %llu: %llu pairs, %llu compatible (%.0f%%), %llu incompatible (a verified "
      "counterexample for %llu of them, %.0f%%); %llu documents generated, %llu valid under the "
      "older schema, %llu checked against the newer schema of a compatible pair; %d pairs "
      "failing (bugs), %zu failing for a known difference",
      static_cast<unsigned long long>(seed), static_cast<unsigned long long>(pairs),
      static_cast<unsigned long long>(compatible), percent(compatible, pairs),
      static_cast<unsigned long long>(incompatible),
      static_cast<unsigned long long>(counterexamples), percent(counterexamples, incompatible),
      static_cast<unsigned long long>(generated), static_cast<unsigned long long>(valid_under_old),
      static_cast<unsigned long long>(checked), bugs,
      failures.size() - static_cast<std::size_t>(bugs));
  for (const auto& [reason, count] : known) std::printf("\n  %d x %s", count, reason.c_str());
  if (sample)
    std::printf("\n%llu sampled verdicts written", static_cast<unsigned long long>(samples));
  std::printf("\n%.2f s\n", seconds);

  EXPECT_EQ(bugs, 0);
  // Not vacuous: enough compatible pairs and enough documents really checked.
  EXPECT_GE(compatible, pairs / 5);
  EXPECT_GE(incompatible, pairs / 5);
  EXPECT_GE(checked, pairs * 4);
}

}  // namespace
}  // namespace sg::jsonschema
