// Internal to the registry module: the projection's tables and the one definition of how a record
// changes them and how queries read them, shared by Projection (tables in shared memory, read
// concurrently) and View (a private overlay of changes on top of the projection's tables).
//
// The logic is written once, against any `Tables` type with these members, each a table offering
// get(key) -> std::optional<V>, put(key, V), erase(key) and for_each(visit(key, value)), keyed by
// std::string except content_index (keyed by content_hash):
//
//   subjects (SubjectStatePtr)  ids (IdEntryPtr)  content_index (ContentBucketPtr)
//   referenced_by (IdListPtr)   configs (ConfigRecord)  modes (ModeRecord)
//   max_ids (int)               contexts (bool)
//
// Sharing it is what makes a View answer exactly as the projection will once the pending records
// are applied: two copies of these rules would drift.
//
// A Tables type may also have a `live_subjects` counter (std::atomic<std::size_t>): the applier
// then keeps it equal to the number of subjects with a version that is not soft-deleted.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "schemaguard/registry/projection.h"
#include "schemaguard/registry/records.h"

namespace sg::registry {
namespace internal {

// A map split into shards, each behind its own reader-writer lock held only long enough to copy
// a value out (values are shared pointers or small), so readers never queue behind a global lock.
template <typename Key, typename Value, typename Hash = std::hash<Key>>
class Sharded {
 public:
  std::optional<Value> get(const Key& key) const {
    const Shard& shard = shard_for(key);
    std::shared_lock lock(shard.mutex);
    auto it = shard.map.find(key);
    if (it == shard.map.end()) return std::nullopt;
    return it->second;
  }

  void put(const Key& key, Value value) {
    Shard& shard = shard_for(key);
    std::unique_lock lock(shard.mutex);
    shard.map.insert_or_assign(key, std::move(value));
  }

  void erase(const Key& key) {
    Shard& shard = shard_for(key);
    std::unique_lock lock(shard.mutex);
    shard.map.erase(key);
  }

  // The number of entries, summed shard by shard (exact when no one writes meanwhile).
  std::size_t size() const {
    std::size_t total = 0;
    for (const Shard& shard : shards_) {
      std::shared_lock lock(shard.mutex);
      total += shard.map.size();
    }
    return total;
  }

  // Visits every entry, one shard at a time (a consistent view per shard, not across shards).
  void for_each(const std::function<void(const Key&, const Value&)>& visit) const {
    for (const Shard& shard : shards_) {
      std::shared_lock lock(shard.mutex);
      for (const auto& [key, value] : shard.map) visit(key, value);
    }
  }

 private:
  static constexpr std::size_t kShards = 32;
  struct Shard {
    mutable std::shared_mutex mutex;
    std::unordered_map<Key, Value, Hash> map;
  };
  Shard& shard_for(const Key& key) { return shards_[Hash{}(key) % kShards]; }
  const Shard& shard_for(const Key& key) const { return shards_[Hash{}(key) % kShards]; }

  std::array<Shard, kShards> shards_;
};

// Everything known about one id: its content and the versions that use it.
struct IdEntry {
  StoredSchemaPtr schema;
  std::vector<SubjectAndVersion> uses;  // sorted
};
using IdEntryPtr = std::shared_ptr<const IdEntry>;
using IdListPtr = std::shared_ptr<const std::vector<int>>;
// The content index maps a content's hash to the schemas registered with content of that hash
// (almost always one), each standing for its content and id. Keyed by hash, and compared in full,
// because a key made of the content itself would hold every schema text twice.
using ContentBucketPtr = std::shared_ptr<const std::vector<StoredSchemaPtr>>;

std::string id_key(std::string_view context, int id);
std::string version_key(std::string_view subject, int version);
// A hash of everything that makes two registrations the same content in a context.
std::size_t content_hash(std::string_view context, const SchemaRecord& content);
std::size_t content_hash(const StoredSchema& schema);
bool same_content(const StoredSchema& a, const StoredSchema& b);
// A reference names its subject relative to the referring subject's context.
std::string qualified_reference(std::string_view context, const std::string& subject);
std::string scope_key(const std::optional<std::string>& subject);

// The projection's own tables.
struct ShardedTables {
  Sharded<std::string, SubjectStatePtr> subjects;
  Sharded<std::string, IdEntryPtr> ids;
  Sharded<std::size_t, ContentBucketPtr> content_index;
  Sharded<std::string, IdListPtr> referenced_by;
  Sharded<std::string, ConfigRecord> configs;
  Sharded<std::string, ModeRecord> modes;
  Sharded<std::string, int> max_ids;
  Sharded<std::string, bool> contexts;
  // Subjects with a version that is not soft-deleted, kept by the applier (and by a snapshot
  // load) so that counting them does not walk the subjects.
  std::atomic<std::size_t> live_subjects{0};
};

// Applies records to `Tables`. The order of the updates inside each apply matters for concurrent
// readers of the projection (see the SCHEMA case); a View has none, but follows the same order.
template <typename Tables>
class Applier {
 public:
  // `unshared`: no other thread can read the tables, so a subject's state may be changed in place
  // rather than copied and replaced, which is what keeps replaying a subject of n versions O(n).
  explicit Applier(Tables& tables, bool unshared = false) : t_(tables), unshared_(unshared) {}

  void apply(std::uint64_t offset, const Record& record) {
    std::visit([&](const auto& r) { apply_one(offset, r); }, record);
  }

  // The same, taking the schema text out of a SCHEMA record instead of copying it.
  void apply(std::uint64_t offset, Record&& record) {
    if (auto* schema = std::get_if<SchemaRecord>(&record)) {
      apply_schema(offset, *schema, &schema->schema);
    } else {
      apply(offset, std::as_const(record));
    }
  }

 private:
  // Indexes `schema` under its content, replacing the schema indexed for the same content (so an
  // import that registers known content under a new id points the index at the new id).
  void put_content(const StoredSchemaPtr& schema) {
    const std::size_t hash = content_hash(*schema);
    auto bucket = std::make_shared<std::vector<StoredSchemaPtr>>();
    if (auto existing = t_.content_index.get(hash)) *bucket = **existing;
    auto same = std::find_if(bucket->begin(), bucket->end(), [&](const StoredSchemaPtr& indexed) {
      return same_content(*indexed, *schema);
    });
    if (same != bucket->end()) {
      *same = schema;
    } else {
      bucket->push_back(schema);
    }
    t_.content_index.put(hash, std::move(bucket));
  }

  // Forgets the content of `schema`, whichever id the index gives it.
  void erase_content(const StoredSchema& schema) {
    const std::size_t hash = content_hash(schema);
    auto existing = t_.content_index.get(hash);
    if (!existing) return;
    auto bucket = std::make_shared<std::vector<StoredSchemaPtr>>(**existing);
    std::erase_if(*bucket,
                  [&](const StoredSchemaPtr& indexed) { return same_content(*indexed, schema); });
    if (bucket->empty()) {
      t_.content_index.erase(hash);
    } else {
      t_.content_index.put(hash, std::move(bucket));
    }
  }

  void add_use(const StoredSchemaPtr& schema, const SubjectAndVersion& use) {
    const std::string key = id_key(schema->context, schema->id);
    add_use(key, t_.ids.get(key), schema, use);
  }

  // `existing` is what the table holds for `key` (the caller just looked it up).
  void add_use(const std::string& key, const std::optional<IdEntryPtr>& existing,
               const StoredSchemaPtr& schema, const SubjectAndVersion& use) {
    auto entry = std::make_shared<IdEntry>();
    if (existing) *entry = **existing;
    entry->schema = schema;
    auto it =
        std::lower_bound(entry->uses.begin(), entry->uses.end(), use,
                         [](const SubjectAndVersion& a, const SubjectAndVersion& b) {
                           return std::tie(a.subject, a.version) < std::tie(b.subject, b.version);
                         });
    if (it != entry->uses.end() && it->subject == use.subject && it->version == use.version) {
      *it = use;
    } else {
      entry->uses.insert(it, use);
    }
    t_.ids.put(key, std::move(entry));
  }

  // Removes one use of the id; when none is left the id and everything derived from its
  // content go, as a permanent delete of its last version takes it out of the registry.
  void remove_use(const StoredSchemaPtr& schema, std::string_view subject, int version) {
    const std::string key = id_key(schema->context, schema->id);
    auto existing = t_.ids.get(key);
    if (!existing) return;
    auto entry = std::make_shared<IdEntry>(**existing);
    std::erase_if(entry->uses, [&](const SubjectAndVersion& use) {
      return use.subject == subject && use.version == version;
    });
    if (!entry->uses.empty()) {
      t_.ids.put(key, std::move(entry));
      return;
    }
    t_.ids.erase(key);
    erase_content(*schema);
    for (const SchemaReference& ref : schema->references) {
      const std::string target =
          version_key(qualified_reference(schema->context, ref.subject), ref.version);
      if (auto ids_using = t_.referenced_by.get(target)) {
        auto remaining = std::make_shared<std::vector<int>>(**ids_using);
        std::erase(*remaining, schema->id);
        if (remaining->empty()) {
          t_.referenced_by.erase(target);
        } else {
          t_.referenced_by.put(target, std::move(remaining));
        }
      }
    }
  }

  // A subject's state to change and put back: a copy, or with `unshared_` the state itself when
  // nothing but the table holds it; and whether it had a live version before the change.
  struct SubjectEdit {
    std::shared_ptr<SubjectState> state;
    bool was_live = false;
  };

  SubjectEdit edit_subject(const std::string& name) const {
    auto existing = t_.subjects.get(name);
    const bool was_live = existing && (*existing)->has_live_versions();
    // Two owners: the table and `existing`. The table made it, non-const (make_shared below).
    if (unshared_ && existing && existing->use_count() == 2) {
      return {std::const_pointer_cast<SubjectState>(*existing), was_live};
    }
    auto state = std::make_shared<SubjectState>();
    if (existing) {
      *state = **existing;
    } else {
      state->name = name;
    }
    return {std::move(state), was_live};
  }

  void put_subject(const std::string& name, SubjectEdit edit) {
    if constexpr (requires { t_.live_subjects; }) {
      const bool live = edit.state->has_live_versions();
      if (live && !edit.was_live) t_.live_subjects.fetch_add(1, std::memory_order_relaxed);
      if (!live && edit.was_live) t_.live_subjects.fetch_sub(1, std::memory_order_relaxed);
    }
    if (edit.state->versions.empty()) {
      t_.subjects.erase(name);
    } else {
      t_.subjects.put(name, std::move(edit.state));
    }
  }

  void apply_one(std::uint64_t offset, const SchemaRecord& record) {
    apply_schema(offset, record, nullptr);
  }

  // `take_text`, if not null, is record.schema, which may be moved from.
  void apply_schema(std::uint64_t offset, const SchemaRecord& record, std::string* take_text) {
    const std::string context = context_of(record.subject);
    const std::string key = id_key(context, record.id);
    StoredSchemaPtr schema;
    const std::optional<IdEntryPtr> entry = t_.ids.get(key);
    if (entry) {
      // An id never changes meaning: Confluent's readers drop a record that tries.
      if (!(*entry)->schema->same_content(record)) return;
      schema = (*entry)->schema;
    } else {
      auto fresh = std::make_shared<StoredSchema>();
      fresh->context = context;
      fresh->id = record.id;
      fresh->type = record.type;
      fresh->schema = take_text != nullptr ? std::move(*take_text) : record.schema;
      fresh->references = record.references;
      fresh->metadata = record.metadata;
      fresh->rule_set = record.rule_set;
      schema = std::move(fresh);
      put_content(schema);
      for (const SchemaReference& ref : record.references) {
        const std::string target =
            version_key(qualified_reference(context, ref.subject), ref.version);
        auto ids_using = std::make_shared<std::vector<int>>();
        if (auto existing = t_.referenced_by.get(target)) *ids_using = **existing;
        auto at = std::lower_bound(ids_using->begin(), ids_using->end(), record.id);
        if (at == ids_using->end() || *at != record.id) ids_using->insert(at, record.id);
        t_.referenced_by.put(target, std::move(ids_using));
      }
    }

    // Publish in dependency order: the id before the subject version that points at it, and
    // the version before a replaced id goes, so a concurrent reader never follows a dangling id.
    add_use(key, entry, schema, {record.subject, record.version, record.deleted});
    SubjectEdit edit = edit_subject(record.subject);
    std::vector<SubjectVersion>& versions = edit.state->versions;
    auto at = std::lower_bound(versions.begin(), versions.end(), record.version,
                               [](const SubjectVersion& v, int n) { return v.version < n; });
    StoredSchemaPtr replaced;
    if (at != versions.end() && at->version == record.version) {
      // One StoredSchema per live id, so pointer identity is id identity.
      if (at->schema != schema) replaced = at->schema;
      *at = SubjectVersion{record.version, schema, record.deleted, offset};
    } else {
      versions.insert(at, SubjectVersion{record.version, schema, record.deleted, offset});
    }
    put_subject(record.subject, std::move(edit));
    if (replaced) remove_use(replaced, record.subject, record.version);

    if (record.id > t_.max_ids.get(context).value_or(0)) t_.max_ids.put(context, record.id);
    t_.contexts.put(context, true);
  }

  void apply_one(std::uint64_t, const SchemaTombstone& tombstone) {
    SubjectEdit edit = edit_subject(tombstone.subject);
    std::vector<SubjectVersion>& versions = edit.state->versions;
    auto it = std::find_if(versions.begin(), versions.end(),
                           [&](const SubjectVersion& v) { return v.version == tombstone.version; });
    if (it == versions.end()) return;
    const StoredSchemaPtr schema = it->schema;
    versions.erase(it);
    put_subject(tombstone.subject, std::move(edit));
    remove_use(schema, tombstone.subject, tombstone.version);
  }

  void apply_one(std::uint64_t offset, const DeleteSubjectRecord& record) {
    SubjectEdit edit = edit_subject(record.subject);
    for (SubjectVersion& v : edit.state->versions) {
      if (v.version <= record.version && !v.deleted) {
        v.deleted = true;
        v.offset = offset;
        add_use(v.schema, {record.subject, v.version, true});
      }
    }
    put_subject(record.subject, std::move(edit));
  }

  void apply_one(std::uint64_t, const ClearSubjectRecord& record) {
    std::vector<std::string> matching;
    t_.subjects.for_each([&](const std::string& name, const SubjectStatePtr&) {
      if (!record.subject || name.starts_with(*record.subject)) matching.push_back(name);
    });
    for (const std::string& name : matching) {
      SubjectEdit edit = edit_subject(name);
      std::vector<SubjectVersion> dropped;
      std::erase_if(edit.state->versions, [&](const SubjectVersion& v) {
        if (v.deleted) dropped.push_back(v);
        return v.deleted;
      });
      put_subject(name, std::move(edit));
      for (const SubjectVersion& v : dropped) remove_use(v.schema, name, v.version);
    }
  }

  void apply_one(std::uint64_t, const ConfigRecord& record) {
    if (record.tombstone) {
      t_.configs.erase(scope_key(record.subject));
    } else {
      t_.configs.put(scope_key(record.subject), record);
    }
  }

  void apply_one(std::uint64_t, const ModeRecord& record) {
    if (record.tombstone) {
      t_.modes.erase(scope_key(record.subject));
    } else {
      t_.modes.put(scope_key(record.subject), record);
    }
  }

  void apply_one(std::uint64_t, const ContextRecord& record) {
    t_.contexts.put(record.context, true);
  }

  void apply_one(std::uint64_t, const NoopRecord&) {}

  Tables& t_;
  const bool unshared_;
};

// The queries of Projection and View, over `Tables`.
template <typename Tables>
class Reader {
 public:
  explicit Reader(const Tables& tables) : t_(tables) {}

  SubjectStatePtr subject(std::string_view name) const {
    return t_.subjects.get(std::string(name)).value_or(nullptr);
  }

  std::vector<std::string> subjects(bool include_deleted) const {
    std::vector<std::string> out;
    t_.subjects.for_each([&](const std::string& name, const SubjectStatePtr& state) {
      if (include_deleted || state->has_live_versions()) out.push_back(name);
    });
    std::sort(out.begin(), out.end());
    return out;
  }

  StoredSchemaPtr schema_by_id(std::string_view context, int id) const {
    auto entry = t_.ids.get(id_key(context, id));
    return entry ? (*entry)->schema : nullptr;
  }

  std::vector<SubjectAndVersion> versions_of_id(std::string_view context, int id) const {
    auto entry = t_.ids.get(id_key(context, id));
    return entry ? (*entry)->uses : std::vector<SubjectAndVersion>{};
  }

  std::optional<int> id_for_content(std::string_view context, const SchemaRecord& content) const {
    auto bucket = t_.content_index.get(content_hash(context, content));
    if (!bucket) return std::nullopt;
    for (const StoredSchemaPtr& indexed : **bucket) {
      if (indexed->context == context && indexed->same_content(content)) return indexed->id;
    }
    return std::nullopt;
  }

  int max_id(std::string_view context) const {
    return t_.max_ids.get(std::string(context)).value_or(0);
  }

  std::vector<int> referenced_by(std::string_view subject, int version) const {
    auto ids = t_.referenced_by.get(version_key(subject, version));
    return ids ? **ids : std::vector<int>{};
  }

  std::optional<ConfigRecord> config(const std::optional<std::string>& subject) const {
    return t_.configs.get(scope_key(subject));
  }

  std::optional<ModeRecord> mode(const std::optional<std::string>& subject) const {
    return t_.modes.get(scope_key(subject));
  }

  std::vector<std::string> subjects_with_mode() const {
    std::vector<std::string> out;
    t_.modes.for_each([&](const std::string& key, const ModeRecord&) {
      if (key.starts_with('S')) out.push_back(key.substr(1));
    });
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<std::string> contexts() const {
    std::vector<std::string> out;
    t_.contexts.for_each([&](const std::string& name, const bool&) { out.push_back(name); });
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  const Tables& t_;
};

}  // namespace internal

struct Projection::Impl {
  std::atomic<std::uint64_t> applied_end{0};
  internal::ShardedTables tables;

  internal::Reader<internal::ShardedTables> reader() const { return internal::Reader(tables); }
};

}  // namespace sg::registry
