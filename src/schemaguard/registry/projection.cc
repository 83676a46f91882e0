#include "schemaguard/registry/projection.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace sg::registry {

bool StoredSchema::same_content(const SchemaRecord& record) const {
  return type == record.type && schema == record.schema && references == record.references &&
         metadata == record.metadata && rule_set == record.rule_set;
}

const SubjectVersion* SubjectState::find(int version) const {
  auto it = std::lower_bound(versions.begin(), versions.end(), version,
                             [](const SubjectVersion& v, int n) { return v.version < n; });
  return it != versions.end() && it->version == version ? &*it : nullptr;
}

const SubjectVersion* SubjectState::latest(bool include_deleted) const {
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    if (include_deleted || !it->deleted) return &*it;
  }
  return nullptr;
}

int SubjectState::max_version() const {
  return versions.empty() ? 0 : versions.back().version;
}

std::string context_of(std::string_view subject) {
  // ":.ctx:name" names context ".ctx"; ":.:name" is the default context spelled out.
  if (subject.size() >= 3 && subject[0] == ':' && subject[1] == '.') {
    const std::size_t end = subject.find(':', 2);
    if (end != std::string_view::npos) return std::string(subject.substr(1, end - 1));
  }
  return ".";
}

namespace {

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

std::string id_key(std::string_view context, int id) {
  std::string key(context);
  key += '\x1f';
  key += std::to_string(id);
  return key;
}

std::string version_key(std::string_view subject, int version) {
  std::string key(subject);
  key += '\x1f';
  key += std::to_string(version);
  return key;
}

// Everything that makes two registrations the same content, in one string: an exact key for the
// content index (hashing it would save memory and cost a collision argument).
std::string content_key(std::string_view context, const SchemaRecord& r) {
  std::string key(context);
  key += '\x1f';
  key += std::string(to_string(r.type));
  key += '\x1f';
  key += r.schema;
  for (const SchemaReference& ref : r.references) {
    key += '\x1e';
    key += ref.name;
    key += '\x1f';
    key += ref.subject;
    key += '\x1f';
    key += std::to_string(ref.version);
  }
  key += '\x1d';
  key += r.metadata.value_or("");
  key += '\x1d';
  key += r.rule_set.value_or("");
  return key;
}

// A reference names its subject relative to the referring subject's context.
std::string qualified_reference(std::string_view context, const std::string& subject) {
  if (context == "." || (!subject.empty() && subject[0] == ':')) return subject;
  return ":" + std::string(context) + ":" + subject;
}

std::string scope_key(const std::optional<std::string>& subject) {
  return subject ? "S" + *subject : std::string("G");
}

}  // namespace

struct Projection::Impl {
  std::atomic<std::uint64_t> applied_end{0};
  Sharded<std::string, SubjectStatePtr> subjects;
  Sharded<std::string, IdEntryPtr> ids;
  Sharded<std::string, int> content_index;
  Sharded<std::string, std::shared_ptr<const std::vector<int>>> referenced_by;
  Sharded<std::string, ConfigRecord> configs;
  Sharded<std::string, ModeRecord> modes;
  Sharded<std::string, int> max_ids;
  Sharded<std::string, bool> contexts;

  void add_use(const StoredSchemaPtr& schema, const SubjectAndVersion& use) {
    const std::string key = id_key(schema->context, schema->id);
    auto entry = std::make_shared<IdEntry>();
    if (auto existing = ids.get(key)) *entry = **existing;
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
    ids.put(key, std::move(entry));
  }

  // Removes one use of the id; when none is left the id and everything derived from its
  // content go, as a permanent delete of its last version takes it out of the registry.
  void remove_use(const StoredSchemaPtr& schema, std::string_view subject, int version) {
    const std::string key = id_key(schema->context, schema->id);
    auto existing = ids.get(key);
    if (!existing) return;
    auto entry = std::make_shared<IdEntry>(**existing);
    std::erase_if(entry->uses, [&](const SubjectAndVersion& use) {
      return use.subject == subject && use.version == version;
    });
    if (!entry->uses.empty()) {
      ids.put(key, std::move(entry));
      return;
    }
    ids.erase(key);
    SchemaRecord content;
    content.type = schema->type;
    content.schema = schema->schema;
    content.references = schema->references;
    content.metadata = schema->metadata;
    content.rule_set = schema->rule_set;
    content_index.erase(content_key(schema->context, content));
    for (const SchemaReference& ref : schema->references) {
      const std::string target =
          version_key(qualified_reference(schema->context, ref.subject), ref.version);
      if (auto ids_using = referenced_by.get(target)) {
        auto remaining = std::make_shared<std::vector<int>>(**ids_using);
        std::erase(*remaining, schema->id);
        if (remaining->empty()) {
          referenced_by.erase(target);
        } else {
          referenced_by.put(target, std::move(remaining));
        }
      }
    }
  }

  void put_subject(const std::string& name, std::shared_ptr<SubjectState> state) {
    if (state->versions.empty()) {
      subjects.erase(name);
    } else {
      subjects.put(name, std::move(state));
    }
  }

  std::shared_ptr<SubjectState> copy_subject(const std::string& name) const {
    auto state = std::make_shared<SubjectState>();
    if (auto existing = subjects.get(name)) {
      *state = **existing;
    } else {
      state->name = name;
    }
    return state;
  }

  void apply(std::uint64_t offset, const SchemaRecord& record) {
    const std::string context = context_of(record.subject);
    const std::string key = id_key(context, record.id);
    StoredSchemaPtr schema;
    if (auto entry = ids.get(key)) {
      // An id never changes meaning: Confluent's readers drop a record that tries.
      if (!(*entry)->schema->same_content(record)) return;
      schema = (*entry)->schema;
    } else {
      auto fresh = std::make_shared<StoredSchema>();
      fresh->context = context;
      fresh->id = record.id;
      fresh->type = record.type;
      fresh->schema = record.schema;
      fresh->references = record.references;
      fresh->metadata = record.metadata;
      fresh->rule_set = record.rule_set;
      schema = std::move(fresh);
      content_index.put(content_key(context, record), record.id);
      for (const SchemaReference& ref : record.references) {
        const std::string target =
            version_key(qualified_reference(context, ref.subject), ref.version);
        auto ids_using = std::make_shared<std::vector<int>>();
        if (auto existing = referenced_by.get(target)) *ids_using = **existing;
        auto at = std::lower_bound(ids_using->begin(), ids_using->end(), record.id);
        if (at == ids_using->end() || *at != record.id) ids_using->insert(at, record.id);
        referenced_by.put(target, std::move(ids_using));
      }
    }

    // Publish in dependency order: the id before the subject version that points at it, and
    // the version before a replaced id goes, so a concurrent reader never follows a dangling id.
    add_use(schema, {record.subject, record.version, record.deleted});
    auto state = copy_subject(record.subject);
    auto at = std::lower_bound(state->versions.begin(), state->versions.end(), record.version,
                               [](const SubjectVersion& v, int n) { return v.version < n; });
    StoredSchemaPtr replaced;
    if (at != state->versions.end() && at->version == record.version) {
      if (at->schema != schema) replaced = at->schema;
      *at = SubjectVersion{record.version, schema, record.deleted, offset};
    } else {
      state->versions.insert(at, SubjectVersion{record.version, schema, record.deleted, offset});
    }
    put_subject(record.subject, std::move(state));
    if (replaced) remove_use(replaced, record.subject, record.version);

    if (record.id > max_ids.get(context).value_or(0)) max_ids.put(context, record.id);
    contexts.put(context, true);
  }

  void apply(std::uint64_t, const SchemaTombstone& tombstone) {
    auto state = copy_subject(tombstone.subject);
    auto it = std::find_if(state->versions.begin(), state->versions.end(),
                           [&](const SubjectVersion& v) { return v.version == tombstone.version; });
    if (it == state->versions.end()) return;
    const StoredSchemaPtr schema = it->schema;
    state->versions.erase(it);
    put_subject(tombstone.subject, std::move(state));
    remove_use(schema, tombstone.subject, tombstone.version);
  }

  void apply(std::uint64_t offset, const DeleteSubjectRecord& record) {
    auto state = copy_subject(record.subject);
    for (SubjectVersion& v : state->versions) {
      if (v.version <= record.version && !v.deleted) {
        v.deleted = true;
        v.offset = offset;
        add_use(v.schema, {record.subject, v.version, true});
      }
    }
    put_subject(record.subject, std::move(state));
  }

  void apply(std::uint64_t, const ClearSubjectRecord& record) {
    std::vector<std::string> matching;
    subjects.for_each([&](const std::string& name, const SubjectStatePtr&) {
      if (!record.subject || name.starts_with(*record.subject)) matching.push_back(name);
    });
    for (const std::string& name : matching) {
      auto state = copy_subject(name);
      std::vector<SubjectVersion> dropped;
      std::erase_if(state->versions, [&](const SubjectVersion& v) {
        if (v.deleted) dropped.push_back(v);
        return v.deleted;
      });
      put_subject(name, std::move(state));
      for (const SubjectVersion& v : dropped) remove_use(v.schema, name, v.version);
    }
  }

  void apply(std::uint64_t, const ConfigRecord& record) {
    if (record.tombstone) {
      configs.erase(scope_key(record.subject));
    } else {
      configs.put(scope_key(record.subject), record);
    }
  }

  void apply(std::uint64_t, const ModeRecord& record) {
    if (record.tombstone) {
      modes.erase(scope_key(record.subject));
    } else {
      modes.put(scope_key(record.subject), record);
    }
  }

  void apply(std::uint64_t, const ContextRecord& record) { contexts.put(record.context, true); }

  void apply(std::uint64_t, const NoopRecord&) {}
};

Projection::Projection() : impl_(std::make_unique<Impl>()) {
  impl_->contexts.put(".", true);
}
Projection::~Projection() = default;

void Projection::apply(std::uint64_t offset, const Record& record) {
  std::visit([&](const auto& r) { impl_->apply(offset, r); }, record);
  impl_->applied_end.store(offset + 1, std::memory_order_release);
}

std::uint64_t Projection::applied_end() const {
  return impl_->applied_end.load(std::memory_order_acquire);
}

SubjectStatePtr Projection::subject(std::string_view name) const {
  return impl_->subjects.get(std::string(name)).value_or(nullptr);
}

std::vector<std::string> Projection::subjects(bool include_deleted) const {
  std::vector<std::string> out;
  impl_->subjects.for_each([&](const std::string& name, const SubjectStatePtr& state) {
    if (include_deleted || state->has_live_versions()) out.push_back(name);
  });
  std::sort(out.begin(), out.end());
  return out;
}

StoredSchemaPtr Projection::schema_by_id(std::string_view context, int id) const {
  auto entry = impl_->ids.get(id_key(context, id));
  return entry ? (*entry)->schema : nullptr;
}

std::vector<SubjectAndVersion> Projection::versions_of_id(std::string_view context, int id) const {
  auto entry = impl_->ids.get(id_key(context, id));
  return entry ? (*entry)->uses : std::vector<SubjectAndVersion>{};
}

std::optional<int> Projection::id_for_content(std::string_view context,
                                              const SchemaRecord& content) const {
  return impl_->content_index.get(content_key(context, content));
}

int Projection::max_id(std::string_view context) const {
  return impl_->max_ids.get(std::string(context)).value_or(0);
}

std::vector<int> Projection::referenced_by(std::string_view subject, int version) const {
  auto ids = impl_->referenced_by.get(version_key(subject, version));
  return ids ? **ids : std::vector<int>{};
}

std::optional<ConfigRecord> Projection::config(const std::optional<std::string>& subject) const {
  return impl_->configs.get(scope_key(subject));
}

std::optional<ModeRecord> Projection::mode(const std::optional<std::string>& subject) const {
  return impl_->modes.get(scope_key(subject));
}

std::vector<std::string> Projection::contexts() const {
  std::vector<std::string> out;
  impl_->contexts.for_each([&](const std::string& name, const bool&) { out.push_back(name); });
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace sg::registry
