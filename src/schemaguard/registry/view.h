// View: the state a write is computed against, i.e. the projection plus the records that earlier
// writes of the same group commit have produced but that are not durable yet.
//
// LogStore commits concurrent writes in groups (one append, one fsync for many registrations).
// Each write of a group must see the effects of the writes before it in the group (the next id,
// the next version of a subject, a config just set), while readers of the projection must not see
// them until they are durable. A View gives the writes that layered picture with the same query
// methods as Projection; the projection itself only changes once the group is on disk.
//
// A View is used by one thread (the group committer) and lives only while it computes a group.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/registry/projection.h"
#include "schemaguard/registry/records.h"

namespace sg::registry {

class View {
 public:
  // `projection` must not change while the view exists; `pending` (records appended to the
  // group so far, in order) is read on every query, so the caller may keep appending to it
  // (records already there must not change; if it shrinks the view starts over).
  View(const Projection& projection, const std::vector<Record>& pending);
  ~View();
  View(const View&) = delete;
  View& operator=(const View&) = delete;

  const Projection& projection() const { return projection_; }

  // The same queries as Projection (see there), with the pending records applied on top.
  SubjectStatePtr subject(std::string_view name) const;
  std::vector<std::string> subjects(bool include_deleted = false) const;
  StoredSchemaPtr schema_by_id(std::string_view context, int id) const;
  std::vector<SubjectAndVersion> versions_of_id(std::string_view context, int id) const;
  std::optional<int> id_for_content(std::string_view context, const SchemaRecord& content) const;
  int max_id(std::string_view context) const;
  std::vector<int> referenced_by(std::string_view subject, int version) const;
  std::optional<ConfigRecord> config(const std::optional<std::string>& subject) const;
  std::optional<ModeRecord> mode(const std::optional<std::string>& subject) const;
  std::vector<std::string> subjects_with_mode() const;
  std::vector<std::string> contexts() const;

 private:
  // The pending records' changes to the projection's tables, built on the first query and
  // extended by later ones: applying each pending record once keeps a group of n writes linear.
  struct Overlay;

  // The overlay with every pending record applied, or nullptr when nothing is pending.
  const Overlay* overlay() const;
  template <typename Query>
  auto read(const Query& query) const;

  const Projection& projection_;
  const std::vector<Record>& pending_;
  mutable std::unique_ptr<Overlay> overlay_;
  mutable std::size_t overlay_records_ = 0;  // how many pending records overlay_ has applied
};

}  // namespace sg::registry
