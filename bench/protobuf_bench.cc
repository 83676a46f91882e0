// Protobuf schemas at scale: parse time (libprotoc behind sg::protobuf::format()) and
// compatibility checks per second, on generated files of 20 to 500 messages of 30 fields each
// (every field type group, nested messages, enums, maps, oneofs). The check compares a file
// with a compatible evolution of itself (a field added to every message), so every message is
// walked; each iteration is one full check (the engine's verdict cache is not involved).
//
//   build/release/bench/protobuf_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <string>

#include "schemaguard/protobuf/format/format.h"

namespace {

constexpr const char* kTypes[] = {"int32", "int64", "uint32", "string",  "bytes",    "double",
                                  "float", "bool",  "sint64", "fixed32", "sfixed64", "Status"};

std::string large_file(int messages, bool evolved) {
  std::string out = "syntax = \"proto3\";\npackage bench.large;\n\n";
  out += "enum Status {\n  STATUS_UNSPECIFIED = 0;\n  ACTIVE = 1;\n  CLOSED = 2;\n}\n\n";
  for (int m = 0; m < messages; ++m) {
    out += fmt::format("message M{} {{\n", m);
    for (int f = 1; f <= 26; ++f) {
      out += fmt::format("  {}{} f{} = {};\n", f % 7 == 0 ? "repeated " : "", kTypes[f % 12], f, f);
    }
    out += "  map<string, int64> counters = 27;\n";
    out += "  oneof choice {\n    string text = 28;\n    int64 number = 29;\n  }\n";
    if (m > 0) out += fmt::format("  M{} parent = 30;\n", m - 1);
    out += fmt::format("  message Nested{} {{\n    string a = 1;\n    int32 b = 2;\n  }}\n", m);
    if (evolved) out += "  string added = 31;\n";
    out += "}\n\n";
  }
  return out;
}

void BM_Parse(benchmark::State& state) {
  const std::string text = large_file(static_cast<int>(state.range(0)), false);
  const sg::Format& format = sg::protobuf::format();
  for (auto _ : state) {
    auto parsed = format.parse(text, {});
    if (!parsed.ok()) state.SkipWithError(parsed.error().message().c_str());
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.counters["bytes"] = static_cast<double>(text.size());
}

void BM_CheckCompatible(benchmark::State& state) {
  const sg::Format& format = sg::protobuf::format();
  const int messages = static_cast<int>(state.range(0));
  auto old_schema = format.parse(large_file(messages, false), {});
  auto new_schema = format.parse(large_file(messages, true), {});
  if (!old_schema.ok() || !new_schema.ok()) {
    state.SkipWithError("generated schemas do not parse");
    return;
  }
  for (auto _ : state) {
    auto problems = format.check(**new_schema, **old_schema);  // BACKWARD: new reads old
    if (!problems.empty()) state.SkipWithError("the evolution should be compatible");
    benchmark::DoNotOptimize(problems);
  }
  state.counters["checks_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_Parse)->Arg(20)->Arg(100)->Arg(500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CheckCompatible)->Arg(20)->Arg(100)->Arg(500)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
