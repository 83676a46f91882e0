// `Result<T>`: either a value of type T or an `Error`, in the style of absl::StatusOr and
// arrow::Result (C++20 has no std::expected yet; switch to it with C++23).
//
//   sg::Result<Schema> parse(std::string_view text);
//
//   SG_ASSIGN_OR_RETURN(auto schema, parse(text));   // propagates the error
//   SG_RETURN_IF_ERROR(validate(schema));             // for Result<void> / Status
//
// `Status` is `Result<void>`: success carries nothing.
#pragma once

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "schemaguard/base/error.h"

namespace sg {

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit
  // clang-format 14 mangles requires-clauses.
  // clang-format off
  template <typename U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, Result> &&
             !std::is_same_v<std::decay_t<U>, Error> && !std::is_same_v<std::decay_t<U>, T>)
  Result(U&& value) : state_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT
  // clang-format on

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok().
  const Error& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& {
    assert(!ok());
    return *error_;
  }
  Error&& error() && {
    assert(!ok());
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status ok_status() {
  return {};
}

namespace internal {
inline Error take_error(Error e) {
  return e;
}
template <typename R>
Error take_error(R&& r) {
  return std::forward<R>(r).error();
}
}  // namespace internal

}  // namespace sg

#define SG_INTERNAL_CONCAT_(a, b) a##b
#define SG_INTERNAL_CONCAT(a, b) SG_INTERNAL_CONCAT_(a, b)

// Evaluates `expr` (a Result<T> or Status); if it failed, returns its error from the caller.
#define SG_RETURN_IF_ERROR(expr)                                                    \
  do {                                                                              \
    auto&& sg_status_ = (expr);                                                     \
    if (!sg_status_.ok()) return ::sg::internal::take_error(std::move(sg_status_)); \
  } while (false)

// Evaluates `rexpr` (a Result<T>); on success moves its value into `lhs` (a declaration or an
// assignable expression), else returns the error from the caller.
#define SG_ASSIGN_OR_RETURN(lhs, rexpr) \
  SG_INTERNAL_ASSIGN_OR_RETURN(SG_INTERNAL_CONCAT(sg_result_, __LINE__), lhs, rexpr)
#define SG_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, rexpr)               \
  auto tmp = (rexpr);                                               \
  if (!tmp.ok()) return ::sg::internal::take_error(std::move(tmp)); \
  lhs = std::move(tmp).value()
