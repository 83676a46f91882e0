// JSON Schema compatibility checks per second (issue 4), through the registry format:
//   jsonschema_compat_bench [google benchmark flags]
//
// - EventSchema: the three realistic event schemas of bench/jsonschema/schemas against a copy
//   whose every subschema gained a `description` (an annotation: compatible, and the diff still
//   walks and compares every node), nothing cached.
// - Generated: an object schema of N typed, bounded properties, a third of them nested objects
//   of 10 more, against the same change; shows how a check scales with schema size.
// - Transitive: FULL_TRANSITIVE against 100 earlier versions through the compat engine, with
//   its verdict cache cold (each pair checked) and warm (as a registry re-checks).
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "schemaguard/compat/engine.h"
#include "schemaguard/jsonschema/format/format.h"

namespace {

namespace json = boost::json;

const char* const kEventSchemas[] = {"order_event.json", "page_view.json", "user_profile.json"};

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// `schema` with a description added to every subschema that has a `type` or a `$ref`.
void describe_everything(json::value& schema) {
  if (json::object* object = schema.if_object()) {
    if (object->contains("type") || object->contains("$ref") || object->contains("enum")) {
      (*object)["description"] = "documented in version 2";
    }
    for (auto& member : *object) describe_everything(member.value());
  } else if (json::array* array = schema.if_array()) {
    for (auto& item : *array) describe_everything(item);
  }
}

std::string described(const std::string& text) {
  json::value schema = json::parse(text);
  describe_everything(schema);
  return json::serialize(schema);
}

// N properties cycling through strings with bounds, integers with ranges, enums, arrays, and
// (every third) a nested object of 10 properties.
std::string generated_schema(int properties) {
  json::object props;
  json::array required;
  for (int i = 0; i < properties; ++i) {
    const std::string name = "field_" + std::to_string(i);
    json::object property;
    switch (i % 6) {
      case 0: property = {{"type", "string"}, {"minLength", 1}, {"maxLength", 64}}; break;
      case 1: property = {{"type", "integer"}, {"minimum", 0}, {"maximum", 1000000}}; break;
      case 2: property = {{"enum", json::array{"A", "B", "C", "D"}}}; break;
      case 3:
        property = {{"type", "array"}, {"items", {{"type", "string"}}}, {"maxItems", 10}};
        break;
      default: {
        json::object nested;
        for (int k = 0; k < 10; ++k) {
          nested["n_" + std::to_string(k)] = json::object{{"type", k % 2 ? "number" : "string"}};
        }
        property = {
            {"type", "object"}, {"properties", std::move(nested)}, {"additionalProperties", false}};
      }
    }
    props[name] = std::move(property);
    if (i % 4 == 0) required.emplace_back(name);
  }
  json::object schema{{"$schema", "http://json-schema.org/draft-07/schema#"},
                      {"type", "object"},
                      {"properties", std::move(props)},
                      {"required", std::move(required)},
                      {"additionalProperties", false}};
  return json::serialize(schema);
}

sg::ParsedSchemaPtr parse(const std::string& text) {
  auto parsed = sg::jsonschema::format().parse(text, {});
  if (!parsed.ok()) {
    std::fprintf(stderr, "schema does not parse: %s\n", parsed.error().message().c_str());
    std::exit(2);
  }
  return *parsed;
}

void run_checks(benchmark::State& state, const std::string& old_text) {
  const sg::Format& format = sg::jsonschema::format();
  const sg::ParsedSchemaPtr old_schema = parse(old_text);
  const sg::ParsedSchemaPtr new_schema = parse(described(old_text));
  for (auto _ : state) {
    auto problems = format.check(*new_schema, *old_schema);  // BACKWARD: new reads old
    if (!problems.empty()) {
      state.SkipWithError(("the change should be compatible: " + problems[0].message).c_str());
      return;
    }
    benchmark::DoNotOptimize(problems);
  }
  state.counters["checks_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["schema_bytes"] = static_cast<double>(old_text.size());
}

void BM_EventSchema(benchmark::State& state) {
  const auto name = kEventSchemas[state.range(0)];
  state.SetLabel(name);
  run_checks(state, read(std::filesystem::path(SG_BENCH_SCHEMAS) / name));
}

void BM_Generated(benchmark::State& state) {
  run_checks(state, generated_schema(static_cast<int>(state.range(0))));
}

void BM_Transitive(benchmark::State& state) {
  const bool warm = state.range(0) == 1;
  // 101 versions of a 50-property schema that differ in their top-level description only:
  // every pair is compatible, and every check still compares every node.
  const std::string base = generated_schema(50);
  std::vector<std::string> texts;
  for (int v = 0; v <= 100; ++v) {
    json::value schema = json::parse(base);
    schema.as_object()["description"] = "version " + std::to_string(v);
    texts.push_back(json::serialize(schema));
  }
  sg::compat::Engine engine;
  std::vector<sg::ParsedSchemaPtr> previous;
  for (int v = 0; v < 100; ++v) {
    previous.push_back(*engine.parse(sg::SchemaType::kJson, texts[static_cast<std::size_t>(v)]));
  }
  const sg::ParsedSchemaPtr candidate = *engine.parse(sg::SchemaType::kJson, texts.back());
  for (auto _ : state) {
    if (!warm) {
      state.PauseTiming();
      engine.clear_caches();
      for (int v = 0; v < 100; ++v) {
        (void)engine.parse(sg::SchemaType::kJson, texts[static_cast<std::size_t>(v)]);
      }
      (void)engine.parse(sg::SchemaType::kJson, texts.back());
      state.ResumeTiming();
    }
    auto result = engine.check(sg::CompatibilityLevel::kFullTransitive, *candidate, previous);
    if (!result.compatible) {
      state.SkipWithError("the history should be compatible");
      return;
    }
    benchmark::DoNotOptimize(result);
  }
  state.SetLabel(warm ? "verdicts cached" : "cold");
  state.counters["pair_checks_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * 200.0, benchmark::Counter::kIsRate);
}

BENCHMARK(BM_EventSchema)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Generated)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Transitive)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
