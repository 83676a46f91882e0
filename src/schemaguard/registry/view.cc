#include "schemaguard/registry/view.h"

#include <functional>
#include <optional>
#include <unordered_map>
#include <utility>

#include "schemaguard/registry/projection_state.h"

namespace sg::registry {
namespace {

// One of the projection's tables seen through the changes the pending records make to it: a
// changed key reads its new value (nullopt when erased), any other key the projection's. Only
// keys the pending records touch are copied, never the table.
template <typename Value, typename Key = std::string>
class Layer {
 public:
  explicit Layer(const internal::Sharded<Key, Value>& base) : base_(base) {}

  std::optional<Value> get(const Key& key) const {
    auto it = changes_.find(key);
    if (it != changes_.end()) return it->second;
    return base_.get(key);
  }

  void put(const Key& key, Value value) {
    changes_.insert_or_assign(key, std::optional<Value>(std::move(value)));
  }

  void erase(const Key& key) { changes_.insert_or_assign(key, std::nullopt); }

  void for_each(const std::function<void(const Key&, const Value&)>& visit) const {
    base_.for_each([&](const Key& key, const Value& value) {
      if (!changes_.contains(key)) visit(key, value);
    });
    for (const auto& [key, value] : changes_) {
      if (value) visit(key, *value);
    }
  }

 private:
  const internal::Sharded<Key, Value>& base_;
  std::unordered_map<Key, std::optional<Value>> changes_;
};

}  // namespace

struct View::Overlay {
  explicit Overlay(const internal::ShardedTables& base)
      : subjects(base.subjects),
        ids(base.ids),
        content_index(base.content_index),
        referenced_by(base.referenced_by),
        configs(base.configs),
        modes(base.modes),
        max_ids(base.max_ids),
        contexts(base.contexts) {}

  Layer<SubjectStatePtr> subjects;
  Layer<internal::IdEntryPtr> ids;
  Layer<internal::ContentBucketPtr, std::size_t> content_index;
  Layer<internal::IdListPtr> referenced_by;
  Layer<ConfigRecord> configs;
  Layer<ModeRecord> modes;
  Layer<int> max_ids;
  Layer<bool> contexts;
};

View::View(const Projection& projection, const std::vector<Record>& pending)
    : projection_(projection), pending_(pending) {}

View::~View() = default;

const View::Overlay* View::overlay() const {
  if (pending_.size() < overlay_records_) {
    overlay_.reset();
    overlay_records_ = 0;
  }
  if (pending_.empty()) return nullptr;
  if (!overlay_) overlay_ = std::make_unique<Overlay>(projection_.impl_->tables);
  // The group is appended at the projection's end, so pending record i will sit there + i.
  const std::uint64_t first_offset = projection_.applied_end();
  internal::Applier<Overlay> applier(*overlay_);
  for (; overlay_records_ < pending_.size(); ++overlay_records_) {
    applier.apply(first_offset + overlay_records_, pending_[overlay_records_]);
  }
  return overlay_.get();
}

template <typename Query>
auto View::read(const Query& query) const {
  if (const Overlay* layered = overlay()) return query(internal::Reader<Overlay>(*layered));
  return query(projection_.impl_->reader());
}

SubjectStatePtr View::subject(std::string_view name) const {
  return read([&](const auto& r) { return r.subject(name); });
}

std::vector<std::string> View::subjects(bool include_deleted) const {
  return read([&](const auto& r) { return r.subjects(include_deleted); });
}

StoredSchemaPtr View::schema_by_id(std::string_view context, int id) const {
  return read([&](const auto& r) { return r.schema_by_id(context, id); });
}

std::vector<SubjectAndVersion> View::versions_of_id(std::string_view context, int id) const {
  return read([&](const auto& r) { return r.versions_of_id(context, id); });
}

std::optional<int> View::id_for_content(std::string_view context,
                                        const SchemaRecord& content) const {
  return read([&](const auto& r) { return r.id_for_content(context, content); });
}

int View::max_id(std::string_view context) const {
  return read([&](const auto& r) { return r.max_id(context); });
}

std::vector<int> View::referenced_by(std::string_view subject, int version) const {
  return read([&](const auto& r) { return r.referenced_by(subject, version); });
}

std::optional<ConfigRecord> View::config(const std::optional<std::string>& subject) const {
  return read([&](const auto& r) { return r.config(subject); });
}

std::optional<ModeRecord> View::mode(const std::optional<std::string>& subject) const {
  return read([&](const auto& r) { return r.mode(subject); });
}

std::vector<std::string> View::subjects_with_mode() const {
  return read([&](const auto& r) { return r.subjects_with_mode(); });
}

std::vector<std::string> View::contexts() const {
  return read([&](const auto& r) { return r.contexts(); });
}

}  // namespace sg::registry
