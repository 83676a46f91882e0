// Restart time of a large registry: LogStore::open on a SQLite log of 100,000 registered schemas
// (10,000 subjects x 10 versions of ~10-field Avro records, plus subject configs), written in
// Confluent's record format. The requirement is "serving again in under a second".
//
//   registry_restart_bench [--keep-db=PATH] [--first-from-snapshot] [google benchmark flags]
//
// The log and a snapshot of it (PATH.snapshot) are generated once into a temporary directory (or
// at PATH, reused if there). The files were just written, so this measures a warm page cache; a
// cold start adds the disk read. The line "first open in this process" is the number closest to
// a real restart (a fresh process faults in every page of the projection), by replaying the log
// or, with --first-from-snapshot, from the snapshot; BM_Restart repeats both in one process; the
// others split a replay into reading, decoding and applying, which replay runs on two threads
// (reading and decoding on one, applying on the other).
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/registry/log_store.h"
#include "schemaguard/registry/projection.h"
#include "schemaguard/registry/records.h"
#include "schemaguard/registry/snapshot.h"
#include "schemaguard/storage/sqlite_log.h"

namespace {

namespace fs = std::filesystem;
using sg::registry::Record;

constexpr int kSubjects = 10'000;
constexpr int kVersions = 10;
constexpr int kSchemas = kSubjects * kVersions;
constexpr int kConfigs = 500;  // every 20th subject has its own compatibility level

fs::path g_db;
bool g_remove_db = false;

void fail(const std::string& what) {
  std::fprintf(stderr, "registry_restart_bench: %s\n", what.c_str());
  std::exit(1);
}

// Version `version` of subject `subject`: an event record whose fields grow with the version
// (each version adds an optional field), with names, docs and defaults like real event schemas.
std::string event_schema(int subject, int version) {
  static const char* const kTypes[] = {
      "\"string\"", "\"long\"",    "\"int\"",
      "\"double\"", "\"boolean\"", R"({"type":"long","logicalType":"timestamp-millis"})"};
  std::string text = "{\"type\":\"record\",\"name\":\"Event" + std::to_string(subject) +
                     "\",\"namespace\":\"com.example.domain" + std::to_string(subject % 97) +
                     "\",\"doc\":\"Events of stream " + std::to_string(subject) +
                     "\",\"fields\":[{\"name\":\"event_id\",\"type\":\"string\"}";
  const int fields = 8 + version;
  for (int f = 1; f < fields; ++f) {
    const char* type = kTypes[(subject + f) % 6];
    text += ",{\"name\":\"field_" + std::to_string(f) + "_s" + std::to_string(subject % 13) +
            "\",\"type\":";
    if (f >= 8) {
      // Fields added by later versions are optional, as compatible evolution requires.
      text += std::string("[\"null\",") + type + "],\"default\":null";
    } else {
      text += type;
    }
    if (f % 3 == 0) text += ",\"doc\":\"The " + std::to_string(f) + "th attribute\"";
    text += "}";
  }
  text += "]}";
  return text;
}

std::string subject_name(int subject) {
  return "com.example.domain" + std::to_string(subject % 97) + ".Event" + std::to_string(subject) +
         "-value";
}

// Registrations interleaved as a live registry writes them: each round adds one version to
// every subject, with ids allocated in log order.
std::vector<Record> registry_records() {
  std::vector<Record> records;
  records.reserve(kSchemas + kConfigs + 1);
  sg::registry::ConfigRecord global;
  global.compatibility_level = "BACKWARD";
  records.push_back(global);
  int id = 0;
  for (int version = 1; version <= kVersions; ++version) {
    for (int subject = 0; subject < kSubjects; ++subject) {
      sg::registry::SchemaRecord schema;
      schema.subject = subject_name(subject);
      schema.version = version;
      schema.id = ++id;
      schema.schema = event_schema(subject, version);
      records.push_back(std::move(schema));
      if (version == 1 && subject % (kSubjects / kConfigs) == 0) {
        sg::registry::ConfigRecord config;
        config.subject = subject_name(subject);
        config.compatibility_level = "FULL_TRANSITIVE";
        records.push_back(std::move(config));
      }
    }
  }
  return records;
}

void create_db() {
  auto log = sg::storage::SqliteLog::open(g_db);
  if (!log.ok()) fail(log.error().to_string());
  auto end = (*log)->end();
  if (!end.ok()) fail(end.error().to_string());
  if (*end != 0) return;  // reused from an earlier run
  const std::vector<Record> records = registry_records();
  std::vector<sg::storage::LogRecord> batch;
  std::uint64_t offset = 0;
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    batch.push_back(sg::registry::encode(records[i]));
    bytes += batch.back().key.size() + batch.back().value.value_or("").size();
    if (batch.size() == 5000 || i + 1 == records.size()) {
      auto appended = (*log)->append(offset, batch);
      if (!appended.ok()) fail(appended.error().to_string());
      offset = *appended;
      batch.clear();
    }
  }
  std::fprintf(stderr, "created %s: %llu records, %.1f MB of keys and values\n", g_db.c_str(),
               static_cast<unsigned long long>(offset), static_cast<double>(bytes) / 1e6);
}

// The process's resident set size in KiB (Linux), 0 if unknown.
long resident_kb() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return 0;
  char line[256];
  long kb = 0;
  while (std::fgets(line, sizeof line, status) != nullptr) {
    if (std::strncmp(line, "VmRSS:", 6) == 0) kb = std::strtol(line + 6, nullptr, 10);
  }
  std::fclose(status);
  return kb;
}

// CPU time of the whole process (every thread) so far, in milliseconds: on a shared machine the
// wall time also measures the neighbours.
double cpu_ms() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto ms = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
  };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

std::unique_ptr<sg::storage::SqliteLog> open_log() {
  auto log = sg::storage::SqliteLog::open(g_db);
  if (!log.ok()) fail(log.error().to_string());
  return std::move(log).value();
}

fs::path snapshot_file() {
  fs::path file = g_db;
  file += ".snapshot";
  return file;
}

// Opens the store, from the snapshot (and the log after it) or from the log alone.
std::unique_ptr<sg::registry::LogStore> open_store(bool from_snapshot) {
  sg::registry::LogStore::Options options;
  if (from_snapshot) options.snapshot_file = snapshot_file();
  auto store = sg::registry::LogStore::open(open_log(), options);
  if (!store.ok()) fail(store.error().to_string());
  if (from_snapshot && (*store)->snapshot_end() == 0) fail("the snapshot was not used");
  return std::move(store).value();
}

// Writes the snapshot, unless one of this log is there already.
void create_snapshot() {
  sg::registry::LogStore::Options options;
  options.snapshot_file = snapshot_file();
  options.note = [](std::string_view) {};
  auto store = sg::registry::LogStore::open(open_log(), options);
  if (!store.ok()) fail(store.error().to_string());
  if ((*store)->snapshot_end() != 0) return;
  const auto start = std::chrono::steady_clock::now();
  auto written = (*store)->write_snapshot();
  if (!written.ok()) fail(written.error().to_string());
  std::fprintf(
      stderr, "wrote %s (%ju MB) in %.0f ms\n", snapshot_file().c_str(),
      static_cast<std::uintmax_t>(fs::file_size(snapshot_file()) >> 20),
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
}

// The requirement: from nothing in memory to a projection that answers. Arg 0: replaying the
// whole log; arg 1: loading the snapshot (the log has no tail after it here).
void BM_Restart(benchmark::State& state) {
  for (auto _ : state) {
    auto store = open_store(state.range(0) == 1);
    const auto& projection = store->projection();
    const auto first = projection.subject(subject_name(0));
    if (projection.max_id(".") != kSchemas ||
        projection.schema_count() != static_cast<std::size_t>(kSchemas) ||
        projection.subject_count() != static_cast<std::size_t>(kSubjects) || first == nullptr ||
        first->max_version() != kVersions) {
      state.SkipWithError("the projection is not what was written");
    }
    benchmark::DoNotOptimize(projection.applied_end());
    state.PauseTiming();  // freeing 100,000 schemas is not part of starting
    store.reset();
    state.ResumeTiming();
  }
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * (kSchemas + kConfigs + 1),
                         benchmark::Counter::kIsRate);
}
// One open per repetition: averaging many in one process would hide the first one's cost.
BENCHMARK(BM_Restart)
    ->ArgName("snapshot")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(5)
    ->UseRealTime();

// Serialising the projection for a snapshot: how long a snapshot holds writes back.
void BM_EncodeSnapshot(benchmark::State& state) {
  auto store = open_store(/*from_snapshot=*/true);
  sg::registry::SnapshotMark mark;
  mark.end = store->projection().applied_end();
  for (auto _ : state) {
    std::string bytes = sg::registry::encode_snapshot(store->projection(), mark);
    benchmark::DoNotOptimize(bytes.data());
  }
}
BENCHMARK(BM_EncodeSnapshot)->Unit(benchmark::kMillisecond)->UseRealTime();

// Reading the log alone: SQLite and copying the bytes out.
void BM_ReadLog(benchmark::State& state) {
  auto log = open_log();
  for (auto _ : state) {
    std::size_t bytes = 0;
    auto read = log->read(0, [&](const sg::storage::LogEntry& entry) -> sg::Status {
      bytes += entry.record.key.size();
      return sg::ok_status();
    });
    if (!read.ok()) fail(read.error().to_string());
    benchmark::DoNotOptimize(bytes);
  }
}
BENCHMARK(BM_ReadLog)->Unit(benchmark::kMillisecond)->UseRealTime();

std::vector<sg::storage::LogRecord> all_log_records() {
  std::vector<sg::storage::LogRecord> out;
  auto read = open_log()->read(0, [&](const sg::storage::LogEntry& entry) -> sg::Status {
    out.push_back(entry.record);
    return sg::ok_status();
  });
  if (!read.ok()) fail(read.error().to_string());
  return out;
}

// Decoding alone: JSON to typed records.
void BM_Decode(benchmark::State& state) {
  const std::vector<sg::storage::LogRecord> bytes = all_log_records();
  for (auto _ : state) {
    for (const auto& record : bytes) {
      auto decoded = sg::registry::decode(record);
      benchmark::DoNotOptimize(decoded);
    }
  }
}
BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond)->UseRealTime();

// Applying alone: typed records to a fresh projection, as replay does.
void BM_Apply(benchmark::State& state) {
  const std::vector<Record> records = registry_records();
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Record> copy = records;
    auto projection = std::make_unique<sg::registry::Projection>();
    state.ResumeTiming();
    for (std::size_t i = 0; i < copy.size(); ++i) {
      projection->apply_unshared(i, std::move(copy[i]));
    }
    benchmark::DoNotOptimize(projection->applied_end());
    state.PauseTiming();
    projection.reset();
    copy.clear();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_Apply)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  const char* kKeep = "--keep-db=";
  bool first_from_snapshot = false;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], kKeep, std::strlen(kKeep)) == 0) {
      g_db = argv[i] + std::strlen(kKeep);
    } else if (std::strcmp(argv[i], "--first-from-snapshot") == 0) {
      first_from_snapshot = true;
    } else {
      args.push_back(argv[i]);
    }
  }
  if (g_db.empty()) {
    std::string pattern = (fs::temp_directory_path() / "sg-restart-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) fail("cannot create a temporary directory");
    g_db = fs::path(pattern) / "log.db";
    g_remove_db = true;
  }
  // In a child process, so that this one starts the measured open with nothing allocated, as a
  // restarting server does.
  const pid_t child = ::fork();
  if (child < 0) fail("cannot fork");
  if (child == 0) {
    create_db();
    create_snapshot();
    std::fflush(stderr);
    ::_exit(0);
  }
  int child_status = 0;
  if (::waitpid(child, &child_status, 0) != child || !WIFEXITED(child_status) ||
      WEXITSTATUS(child_status) != 0) {
    fail("creating the log failed");
  }
  {
    // The first open in a fresh process is what a restart costs: later iterations reuse memory
    // the allocator already has, a restarting server has to fault every page in.
    const long rss_before = resident_kb();
    const double cpu_before = cpu_ms();
    const auto start = std::chrono::steady_clock::now();
    auto store = open_store(first_from_snapshot);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    std::fprintf(stderr,
                 "first open in this process (%s): %.0f ms (%.0f ms CPU), projection of %llu "
                 "records: %ld MB\n",
                 first_from_snapshot ? "snapshot" : "replay",
                 std::chrono::duration<double, std::milli>(elapsed).count(), cpu_ms() - cpu_before,
                 static_cast<unsigned long long>(store->projection().applied_end()),
                 (resident_kb() - rss_before) / 1024);
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_remove_db) {
    std::error_code ec;
    fs::remove_all(g_db.parent_path(), ec);
  }
  return 0;
}
