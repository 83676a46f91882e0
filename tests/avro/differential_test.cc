// Differential test: our Avro compatibility verdicts against python3-avro 1.11.1 (Apache Avro's
// port of Java's SchemaCompatibility), over thousands of generated schema pairs and level checks
// recorded by tests/differential/gen_avro_pairs.py. Set SG_AVRO_DIFFERENTIAL_FILE to replay a
// freshly generated file (a longer campaign with another seed).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>

#include "schemaguard/compat/engine.h"

namespace sg {
namespace {

std::string schema_text(const boost::json::value& v) {
  // The generator stores schemas as JSON values (or a JSON string holding schema text).
  if (v.is_string()) {
    const std::string_view s = v.get_string();
    if (!s.empty() && (s.front() == '{' || s.front() == '[' || s.front() == '"')) {
      return std::string(s);
    }
  }
  return boost::json::serialize(v);
}

std::string data_file() {
  if (const char* path = std::getenv("SG_AVRO_DIFFERENTIAL_FILE")) return path;
  return SG_TESTDATA_DIR "/avro/differential_pairs.jsonl";
}

TEST(AvroDifferential, AgreesWithPythonAvro) {
  std::ifstream in(data_file());
  ASSERT_TRUE(in) << "missing " << data_file();
  compat::Engine engine;
  auto parse = [&](const boost::json::value& v) {
    auto parsed = engine.parse(SchemaType::kAvro, schema_text(v));
    EXPECT_TRUE(parsed.ok()) << schema_text(v) << "\n"
                             << (parsed.ok() ? "" : parsed.error().message());
    return parsed.ok() ? *parsed : nullptr;
  };

  int pairs = 0;
  int levels = 0;
  int disagreements = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto row = boost::json::parse(line).as_object();
    const auto id = row.at("id").to_number<std::int64_t>();
    const bool expected = row.at("compatible").as_bool();
    if (row.at("op").as_string() == "pair") {
      auto reader = parse(row.at("reader"));
      auto writer = parse(row.at("writer"));
      if (!reader || !writer) {
        ++disagreements;
        continue;
      }
      const Incompatibilities found = engine.check_pair(*reader, *writer);
      std::set<std::string> ours;
      for (const auto& problem : found) ours.insert(problem.type);
      std::set<std::string> theirs;
      for (const auto& type : row.at("incompatibilities").as_array()) {
        theirs.emplace(type.as_string());
      }
      if (found.empty() != expected || ours != theirs) {
        ++disagreements;
        ADD_FAILURE() << "case " << id << ": python3-avro says "
                      << (expected ? "compatible" : "incompatible") << " "
                      << boost::json::serialize(row.at("incompatibilities")) << " at "
                      << boost::json::serialize(row.at("locations")) << "; we found "
                      << found.size() << " problem(s)"
                      << (found.empty()
                              ? ""
                              : ": " + found.front().type + " at reader " +
                                    found.front().reader_path + ": " + found.front().message)
                      << "\n  mutations: " << boost::json::serialize(row.at("mutations"))
                      << "\n  reader: " << schema_text(row.at("reader"))
                      << "\n  writer: " << schema_text(row.at("writer"));
      }
      ++pairs;
    } else {
      const auto level = compatibility_level_from_string(row.at("level").as_string());
      ASSERT_TRUE(level) << line;
      auto candidate = parse(row.at("schema"));
      std::vector<ParsedSchemaPtr> previous;
      for (const auto& p : row.at("previous").as_array()) previous.push_back(parse(p));
      if (!candidate) continue;
      const auto result = engine.check(*level, *candidate, previous);
      if (result.compatible != expected) {
        ++disagreements;
        ADD_FAILURE() << "level case " << id << " (" << row.at("level").as_string()
                      << "): python3-avro says " << (expected ? "compatible" : "incompatible");
      }
      ++levels;
    }
  }
  EXPECT_GE(pairs, 1000) << "the differential corpus is unexpectedly small";
  EXPECT_EQ(disagreements, 0) << "of " << pairs << " pairs and " << levels << " level checks";
}

}  // namespace
}  // namespace sg
