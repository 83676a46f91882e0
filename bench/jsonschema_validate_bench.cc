// SchemaGuard's side of the JSON Schema validation benchmark (bench/jsonschema/compare.sh), the
// counterpart of ajv_bench.js, measured the same way:
//
//   jsonschema_validate_bench SCHEMA.json DOCS.jsonl [--seconds S]
//
// Every document is parsed (into a jsonschema::Document, the validator's own compact form, as
// a consumer would parse an event) before any timing; `format` is an annotation. Then:
//   compile_us: compiling the schema, the median of 50 compilations;
//   validations: CompiledSchema::is_valid over the documents, round after round, for at least
//   S seconds (default 3) after a one-second warm-up, each round timed on its own.
// Prints one JSON object: docs, valid, docs_per_s (all rounds), best_docs_per_s (the fastest
// round), mb_per_s (document bytes as in the file), compile_us. Not a Google Benchmark
// program: its output must line up with ajv's.
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "schemaguard/jsonschema/validator.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string read(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: jsonschema_validate_bench SCHEMA.json DOCS.jsonl [--seconds S]\n";
    return 2;
  }
  double seconds = 3;
  if (argc >= 5 && std::string(argv[3]) == "--seconds") seconds = std::stod(argv[4]);

  const std::string schema_text = read(argv[1]);
  std::vector<sg::jsonschema::Document> docs;
  std::size_t bytes = 0;
  {
    std::istringstream lines(read(argv[2]));
    for (std::string line; std::getline(lines, line);) {
      if (line.empty()) continue;
      bytes += line.size();
      auto doc = sg::jsonschema::Document::parse(line);
      if (!doc.ok()) {
        std::cerr << "error: " << doc.error().message() << "\n";
        return 1;
      }
      docs.push_back(std::move(*doc));
    }
  }
  const boost::json::value schema = boost::json::parse(schema_text);

  std::vector<double> compile_us;
  for (int i = 0; i < 50; ++i) {
    const auto start = Clock::now();
    auto compiled = sg::jsonschema::compile(schema);
    compile_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    if (!compiled.ok()) {
      std::cerr << "error: " << compiled.error().message() << "\n";
      return 1;
    }
  }
  std::sort(compile_us.begin(), compile_us.end());

  const auto compiled = *sg::jsonschema::compile(schema);
  std::size_t valid = 0;
  for (const auto& doc : docs) valid += compiled->is_valid(doc) ? 1u : 0u;

  std::size_t sink = 0;  // keeps the calls from being optimised away
  struct Timing {
    std::size_t rounds = 0;
    double seconds = 0;
    double best_round = 1e300;  // seconds
  };
  auto run = [&](double limit) {
    Timing timing;
    const auto start = Clock::now();
    do {
      const auto round_start = Clock::now();
      for (const auto& doc : docs) sink += compiled->is_valid(doc) ? 1u : 0u;
      const auto now = Clock::now();
      timing.best_round =
          std::min(timing.best_round, std::chrono::duration<double>(now - round_start).count());
      ++timing.rounds;
      timing.seconds = std::chrono::duration<double>(now - start).count();
    } while (timing.seconds < limit);
    return timing;
  };
  run(std::min(1.0, seconds));  // warm-up
  const Timing timing = run(seconds);
  const std::size_t rounds = timing.rounds;
  const double took = timing.seconds;
  const double docs_per_s = static_cast<double>(rounds * docs.size()) / took;
  const double best_docs_per_s = static_cast<double>(docs.size()) / timing.best_round;
  const double mb_per_s = static_cast<double>(rounds * bytes) / took / 1e6;
  std::printf(
      "{\"validator\":\"schemaguard\",\"docs\":%zu,\"valid\":%zu,\"docs_per_s\":%.0f,"
      "\"best_docs_per_s\":%.0f,\"mb_per_s\":%.1f,\"compile_us\":%.1f,\"checksum\":%zu}\n",
      docs.size(), valid, docs_per_s, best_docs_per_s, mb_per_s, compile_us[25], sink % 10);
  return 0;
}
