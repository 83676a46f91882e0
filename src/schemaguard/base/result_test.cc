#include "schemaguard/base/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace sg {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return Error(ErrorCode::kInvalidArgument, "not positive");
  return v;
}

Result<int> doubled(int v) {
  SG_ASSIGN_OR_RETURN(int x, parse_positive(v));
  return 2 * x;
}

Status check(int v) {
  SG_RETURN_IF_ERROR(parse_positive(v));
  return ok_status();
}

TEST(Result, HoldsValueOrError) {
  Result<int> good = parse_positive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  Result<int> bad = parse_positive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(Result, MacrosPropagate) {
  EXPECT_EQ(*doubled(4), 8);
  EXPECT_EQ(doubled(0).error().message(), "not positive");
  EXPECT_TRUE(check(1).ok());
  EXPECT_EQ(check(-5).error().code(), ErrorCode::kInvalidArgument);
}

TEST(Result, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(Error, HttpStatusDerivesFromCode) {
  EXPECT_EQ(http_status(ErrorCode::kSubjectNotFound), 404);
  EXPECT_EQ(http_status(ErrorCode::kIncompatibleSchema), 409);
  EXPECT_EQ(http_status(ErrorCode::kInvalidSchema), 422);
  EXPECT_EQ(http_status(ErrorCode::kStoreError), 500);
  EXPECT_EQ(error_code_value(ErrorCode::kReferenceExists), 42206);
}

TEST(Error, Describes) {
  Error e(ErrorCode::kInvalidSchema, "bad");
  EXPECT_EQ(e.to_string(), "INVALID_SCHEMA (42201): bad");
  EXPECT_EQ(e.with_context("file a.avsc").message(), "file a.avsc: bad");
  EXPECT_EQ(e.with_context("x").code(), ErrorCode::kInvalidSchema);
}

}  // namespace
}  // namespace sg
