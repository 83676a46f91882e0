// The registry's hot paths without HTTP: re-registering a schema that already exists (the
// lookup shortcut every producer with auto-register hits on start-up) and reading by id, for
// subjects with few and with many versions. The target for re-registration is < 50 us whatever
// the version count (issue 3); bench/server/compare.sh measures the same over HTTP.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "schemaguard/compat/engine.h"
#include "schemaguard/service/registry.h"
#include "schemaguard/storage/memory_log.h"

namespace {

using sg::service::Registry;
using sg::service::SchemaInput;

// An order event with `fields` fields; `variant` changes one field name so each version differs.
std::string order_schema(int variant, int fields = 12) {
  std::string text = R"({"type":"record","name":"OrderEvent","namespace":"com.example.orders",)"
                     R"("fields":[{"name":"order_id","type":"string"})";
  for (int i = 0; i < fields; ++i) {
    text +=
        R"(,{"name":"field_)" + std::to_string(i) + R"(","type":["null","string"],"default":null})";
  }
  text += R"(,{"name":"extra_)" + std::to_string(variant) +
          R"(","type":["null","long"],"default":null}]})";
  return text;
}

struct Fixture {
  sg::compat::Engine engine;
  std::unique_ptr<sg::registry::LogStore> store;
  std::unique_ptr<Registry> registry;

  explicit Fixture(int versions) {
    auto opened = sg::registry::LogStore::open(std::make_unique<sg::storage::MemoryLog>());
    if (!opened.ok()) std::abort();
    store = std::move(*opened);
    registry = std::make_unique<Registry>(*store, engine);
    sg::service::ConfigUpdate none;
    none.compatibility_level = std::optional<std::string>("NONE");
    if (!registry->put_config(std::string("orders-value"), none).ok()) std::abort();
    for (int v = 0; v < versions; ++v) {
      SchemaInput input;
      input.schema = order_schema(v);
      if (!registry->register_schema("orders-value", input).ok()) std::abort();
    }
  }
};

void BM_ReRegisterExisting(benchmark::State& state) {
  const int versions = static_cast<int>(state.range(0));
  Fixture fixture(versions);
  SchemaInput input;
  input.schema = order_schema(0);  // the oldest version: the worst case for a scan
  for (auto _ : state) {
    auto registered = fixture.registry->register_schema("orders-value", input);
    benchmark::DoNotOptimize(registered);
    if (!registered.ok() || registered->version != 1) state.SkipWithError("not found");
  }
}
BENCHMARK(BM_ReRegisterExisting)->Arg(1)->Arg(1000)->Unit(benchmark::kMicrosecond);

void BM_SchemaById(benchmark::State& state) {
  Fixture fixture(100);
  int id = 1;
  for (auto _ : state) {
    auto found = fixture.registry->schema_by_id(id, std::nullopt);
    benchmark::DoNotOptimize(found);
    id = id % 100 + 1;
  }
}
BENCHMARK(BM_SchemaById)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
