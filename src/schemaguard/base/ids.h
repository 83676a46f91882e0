// Strong types for the registry's identifiers, so a schema id can't be passed where a version
// is expected. All are cheap value types, ordered and hashable.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

namespace sg {

// A value of type `Rep` that only converts explicitly; `Tag` makes each instantiation distinct.
template <typename Rep, typename Tag>
class StrongValue {
 public:
  constexpr StrongValue() = default;
  constexpr explicit StrongValue(Rep value) : value_(std::move(value)) {}

  constexpr const Rep& value() const { return value_; }

  friend constexpr auto operator<=>(const StrongValue&, const StrongValue&) = default;

 private:
  Rep value_{};
};

// A globally unique schema id (Confluent's `id`): positive, assigned once per distinct schema
// content (per context).
using SchemaId = StrongValue<std::int32_t, struct SchemaIdTag>;

// A version number within a subject: 1, 2, ... ; never reused after a delete.
using Version = StrongValue<std::int32_t, struct VersionTag>;

// A subject name ("orders-value"), possibly qualified with a context (":.ctx:orders-value").
using Subject = StrongValue<std::string, struct SubjectTag>;

}  // namespace sg

template <typename Rep, typename Tag>
struct std::hash<sg::StrongValue<Rep, Tag>> {
  std::size_t operator()(const sg::StrongValue<Rep, Tag>& v) const noexcept {
    return std::hash<Rep>{}(v.value());
  }
};
