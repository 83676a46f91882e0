// Avro compatibility benchmarks. Schemas come from bench/avro/gen_bench_schemas.py:
//   avro_compat_bench --schemas-dir=DIR [google benchmark flags]
// bench/avro/compare.sh runs this side by side with python3-avro and Avro Java.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "schemaguard/avro/compat.h"
#include "schemaguard/avro/format.h"
#include "schemaguard/compat/engine.h"

namespace {

std::filesystem::path g_schemas_dir;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

sg::ParsedSchemaPtr parse_file(sg::compat::Engine& engine, const std::filesystem::path& path) {
  auto parsed = engine.parse(sg::SchemaType::kAvro, read(path));
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), parsed.error().message().c_str());
    std::exit(2);
  }
  return *parsed;
}

struct History {
  std::vector<sg::ParsedSchemaPtr> versions;
  sg::ParsedSchemaPtr candidate;
};

const History& history() {
  static const History h = [] {
    sg::compat::Engine engine;
    History out;
    for (int i = 1; i <= 1000; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "v%04d.avsc", i);
      out.versions.push_back(parse_file(engine, g_schemas_dir / "versions" / name));
    }
    out.candidate = parse_file(engine, g_schemas_dir / "candidate.avsc");
    return out;
  }();
  return h;
}

// One pairwise check of a 500+ field nested schema pair, parsed once, nothing cached.
void BM_LargeSchemaCheck(benchmark::State& state) {
  sg::compat::Engine engine;
  const auto reader = parse_file(engine, g_schemas_dir / "large_new.avsc");
  const auto writer = parse_file(engine, g_schemas_dir / "large_old.avsc");
  const auto& r = sg::avro::avro_schema(*reader);
  const auto& w = sg::avro::avro_schema(*writer);
  if (!sg::avro::check_compatibility(r, w).empty()) state.SkipWithError("expected compatible");
  for (auto _ : state) benchmark::DoNotOptimize(sg::avro::check_compatibility(r, w));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LargeSchemaCheck);

// A new version against 1,000 parsed versions under FULL_TRANSITIVE (2,000 pairwise checks),
// with an empty verdict cache: the cost of checking a version never seen before.
void BM_FullTransitive1000(benchmark::State& state) {
  const History& h = history();
  for (auto _ : state) {
    sg::compat::Engine engine;
    auto result = engine.check(sg::CompatibilityLevel::kFullTransitive, *h.candidate, h.versions);
    if (!result.compatible) state.SkipWithError("expected compatible");
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_FullTransitive1000)->Unit(benchmark::kMillisecond);

// The same with the verdicts cached: a registry re-checking a candidate it has seen.
void BM_FullTransitive1000Cached(benchmark::State& state) {
  const History& h = history();
  sg::compat::Engine engine;
  (void)engine.check(sg::CompatibilityLevel::kFullTransitive, *h.candidate, h.versions);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        engine.check(sg::CompatibilityLevel::kFullTransitive, *h.candidate, h.versions));
  }
}
BENCHMARK(BM_FullTransitive1000Cached)->Unit(benchmark::kMillisecond);

// Parsing the large schema (text to model, canonical form and fingerprints).
void BM_ParseLargeSchema(benchmark::State& state) {
  const std::string text = read(g_schemas_dir / "large_old.avsc");
  for (auto _ : state) benchmark::DoNotOptimize(sg::avro::format().parse(text, {}));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_ParseLargeSchema);

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    constexpr std::string_view kFlag = "--schemas-dir=";
    if (std::string_view(argv[i]).starts_with(kFlag)) {
      g_schemas_dir = argv[i] + kFlag.size();
    } else {
      args.push_back(argv[i]);
    }
  }
  if (g_schemas_dir.empty() || !std::filesystem::exists(g_schemas_dir / "large_old.avsc")) {
    std::fprintf(stderr,
                 "usage: %s --schemas-dir=DIR [benchmark flags]\n"
                 "  DIR from: /usr/bin/python3 bench/avro/gen_bench_schemas.py DIR\n",
                 argv[0]);
    return 2;
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
