#include "schemaguard/registry/projection.h"

#include <algorithm>
#include <functional>
#include <tuple>
#include <utility>

#include "schemaguard/registry/identity.h"
#include "schemaguard/registry/projection_state.h"

namespace sg::registry {
namespace {

// What makes two registrations in one context the same content, for a StoredSchema or a
// SchemaRecord alike: what equality compares and content_hash hashes.
template <typename Content>
auto content_of(const Content& c) {
  return std::tie(c.type, c.schema, c.references, c.metadata, c.rule_set);
}

}  // namespace

bool StoredSchema::same_content(const SchemaRecord& record) const {
  return content_of(*this) == content_of(record);
}

SchemaRecord StoredSchema::content() const {
  SchemaRecord record;
  record.type = type;
  record.schema = schema;
  record.references = references;
  record.metadata = metadata;
  record.rule_set = rule_set;
  return record;
}

const std::optional<std::string>& StoredSchema::guid() const {
  std::call_once(guid_once_, [this] {
    auto guid = schema_guid(content());
    if (guid.ok()) guid_ = std::move(guid).value();
  });
  return guid_;
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

namespace internal {

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

namespace {

// Mixes `value` into `seed` (the boost::hash_combine step, with a 64-bit constant).
void combine(std::size_t& seed, std::size_t value) {
  seed ^= value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
}

std::size_t hash_of(std::string_view text) {
  return std::hash<std::string_view>{}(text);
}

template <typename Content>
std::size_t hash_content(std::string_view context, const Content& content) {
  const auto& [type, schema, references, metadata, rule_set] = content_of(content);
  std::size_t seed = hash_of(context);
  combine(seed, static_cast<std::size_t>(type));
  combine(seed, hash_of(schema));
  for (const SchemaReference& ref : references) {
    combine(seed, hash_of(ref.name));
    combine(seed, hash_of(ref.subject));
    combine(seed, static_cast<std::size_t>(ref.version));
  }
  // Absent and present-but-empty hash apart, as same_content tells them apart.
  combine(seed, metadata ? hash_of(*metadata) + 1 : 0);
  combine(seed, rule_set ? hash_of(*rule_set) + 1 : 0);
  return seed;
}

}  // namespace

std::size_t content_hash(std::string_view context, const SchemaRecord& content) {
  return hash_content(context, content);
}

std::size_t content_hash(const StoredSchema& schema) {
  return hash_content(schema.context, schema);
}

bool same_content(const StoredSchema& a, const StoredSchema& b) {
  return a.context == b.context && content_of(a) == content_of(b);
}

std::string qualified_reference(std::string_view context, const std::string& subject) {
  if (context == "." || (!subject.empty() && subject[0] == ':')) return subject;
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on ":" + std::string.
  std::string qualified;
  qualified.reserve(context.size() + subject.size() + 2);
  qualified += ':';
  qualified += context;
  qualified += ':';
  qualified += subject;
  return qualified;
}

std::string scope_key(const std::optional<std::string>& subject) {
  return subject ? "S" + *subject : std::string("G");
}

}  // namespace internal

Projection::Projection() : impl_(std::make_unique<Impl>()) {
  impl_->tables.contexts.put(".", true);
}
Projection::~Projection() = default;

void Projection::apply(std::uint64_t offset, const Record& record) {
  internal::Applier(impl_->tables).apply(offset, record);
  impl_->applied_end.store(offset + 1, std::memory_order_release);
}

void Projection::apply(std::uint64_t offset, Record&& record) {
  internal::Applier(impl_->tables).apply(offset, std::move(record));
  impl_->applied_end.store(offset + 1, std::memory_order_release);
}

void Projection::apply_unshared(std::uint64_t offset, Record&& record) {
  internal::Applier(impl_->tables, /*unshared=*/true).apply(offset, std::move(record));
  impl_->applied_end.store(offset + 1, std::memory_order_release);
}

std::uint64_t Projection::applied_end() const {
  return impl_->applied_end.load(std::memory_order_acquire);
}

SubjectStatePtr Projection::subject(std::string_view name) const {
  return impl_->reader().subject(name);
}

std::vector<std::string> Projection::subjects(bool include_deleted) const {
  return impl_->reader().subjects(include_deleted);
}

std::size_t Projection::subject_count(bool include_deleted) const {
  const internal::ShardedTables& t = impl_->tables;
  return include_deleted ? t.subjects.size() : t.live_subjects.load(std::memory_order_relaxed);
}

std::size_t Projection::schema_count() const {
  return impl_->tables.ids.size();
}

StoredSchemaPtr Projection::schema_by_id(std::string_view context, int id) const {
  return impl_->reader().schema_by_id(context, id);
}

std::vector<SubjectAndVersion> Projection::versions_of_id(std::string_view context, int id) const {
  return impl_->reader().versions_of_id(context, id);
}

std::optional<int> Projection::id_for_content(std::string_view context,
                                              const SchemaRecord& content) const {
  return impl_->reader().id_for_content(context, content);
}

int Projection::max_id(std::string_view context) const {
  return impl_->reader().max_id(context);
}

std::vector<int> Projection::referenced_by(std::string_view subject, int version) const {
  return impl_->reader().referenced_by(subject, version);
}

std::optional<ConfigRecord> Projection::config(const std::optional<std::string>& subject) const {
  return impl_->reader().config(subject);
}

std::vector<std::string> Projection::subjects_with_mode() const {
  return impl_->reader().subjects_with_mode();
}

std::optional<ModeRecord> Projection::mode(const std::optional<std::string>& subject) const {
  return impl_->reader().mode(subject);
}

std::vector<std::string> Projection::contexts() const {
  return impl_->reader().contexts();
}

}  // namespace sg::registry
