// The compatibility engine: compatibility levels and transitivity over any format's pairwise
// check, with parsed schemas and pairwise verdicts cached by content.
//
//   sg::compat::Engine engine;                       // knows Avro, JSON Schema, Protobuf
//   SG_ASSIGN_OR_RETURN(auto next, engine.parse(SchemaType::kAvro, text, {}));
//   auto result = engine.check(CompatibilityLevel::kFullTransitive, *next, previous_versions);
//
// Thread-safe: one engine is shared by every request of a server.
#pragma once

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "schemaguard/model/compatibility_level.h"
#include "schemaguard/model/format.h"

namespace sg::compat {

struct CheckResult {
  bool compatible = true;
  // Every problem found, each with its direction and the version it conflicts with.
  Incompatibilities incompatibilities;
};

struct CheckOptions {
  // Confluent stops a transitive walk at the first version (newest first) that fails; the
  // default here reports every failing version, which is what a CI gate wants to show.
  bool stop_at_first_failing_version = false;
  // The subject's compatibility policy (Format::check).
  CompatibilityPolicy policy = CompatibilityPolicy::kStrict;
};

struct EngineOptions {
  // Upper bounds on the caches; when one fills up it is emptied (schemas stay alive while
  // their callers hold them).
  std::size_t max_cached_schemas = 100'000;
  std::size_t max_cached_verdicts = 1'000'000;
};

struct CacheStats {
  std::size_t schema_hits = 0;
  std::size_t schema_misses = 0;
  std::size_t verdict_hits = 0;
  std::size_t verdict_misses = 0;
};

class Engine {
 public:
  // An engine that knows every built-in format (Avro, JSON Schema and Protobuf).
  explicit Engine(EngineOptions options = {});
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Makes `format` available for its schema type. `format` must outlive the engine.
  void add_format(const Format& format);

  // Parses `text` of `type`, or returns the schema parsed earlier from the same text and
  // references. kInvalidSchema when the type has no format or the text is invalid.
  Result<ParsedSchemaPtr> parse(SchemaType type, std::string_view text,
                                const NamedReferences& references = {});

  // The text a registry stores for `schema` (Format::render). REQUIRES: `schema` came from
  // parse() of this engine.
  std::string render(const ParsedSchema& schema, bool normalize) const;

  // Format::convert of `schema`'s format. REQUIRES: `schema` came from parse() of this engine.
  std::optional<std::string> convert(const ParsedSchema& schema, std::string_view form) const;

  // Why data written with `writer` can't be read with `reader` under `policy` (cached). Schemas
  // of different types give one "different schema type" incompatibility.
  Incompatibilities check_pair(const ParsedSchema& reader, const ParsedSchema& writer,
                               CompatibilityPolicy policy = CompatibilityPolicy::kStrict);

  // Checks `candidate` against the earlier versions `previous` (oldest first) under `level`.
  // Non-transitive levels look at the newest only. Incompatibility::version is the 1-based
  // position in `previous`. Under FULL, the forward problems (old reads new) come first for
  // each version, as Confluent orders them.
  CheckResult check(CompatibilityLevel level, const ParsedSchema& candidate,
                    std::span<const ParsedSchemaPtr> previous, CheckOptions options = {});

  CacheStats stats() const;
  void clear_caches();

 private:
  struct PairKey {
    ContentKey reader;
    ContentKey writer;
    CompatibilityPolicy policy;
    friend bool operator==(const PairKey&, const PairKey&) = default;
  };
  struct PairKeyHash {
    std::size_t operator()(const PairKey& k) const noexcept {
      return (ContentKeyHash{}(k.reader) * 31 + ContentKeyHash{}(k.writer)) * 3 +
             static_cast<std::size_t>(k.policy);
    }
  };

  const Format* format_for(SchemaType type) const;

  EngineOptions options_;
  std::vector<const Format*> formats_;

  mutable std::shared_mutex schemas_mutex_;
  std::unordered_map<ContentKey, ParsedSchemaPtr, ContentKeyHash> schemas_;
  mutable std::shared_mutex verdicts_mutex_;
  std::unordered_map<PairKey, Incompatibilities, PairKeyHash> verdicts_;

  std::atomic<std::size_t> schema_hits_{0};
  std::atomic<std::size_t> schema_misses_{0};
  std::atomic<std::size_t> verdict_hits_{0};
  std::atomic<std::size_t> verdict_misses_{0};
};

}  // namespace sg::compat
