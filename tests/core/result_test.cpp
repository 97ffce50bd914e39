#include "core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace mtr::core {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return fail(ErrorCode::kInvalidInput, "not positive", {"input.txt", 3, 7, ""});
  return v;
}

Result<int> doubled(int v) {
  int x = MTR_TRY(parse_positive(v));
  return 2 * x;
}

// Long enough to live on the heap, so a dangling value would show.
Result<std::string> long_text(bool ok) {
  if (!ok) return fail(ErrorCode::kNotFound, "no text");
  return std::string(200, 'x');
}

Result<std::size_t> text_length(bool ok) {
  std::string s = MTR_TRY(long_text(ok));
  return s.size();
}

Result<std::unique_ptr<int>> boxed(int v) {
  int x = MTR_TRY(parse_positive(v));
  return std::make_unique<int>(x);
}

Result<int> unboxed(int v) {
  std::unique_ptr<int> p = MTR_TRY(boxed(v));
  return *p + 1;
}

Status check(int v) {
  if (v < 0) return fail(ErrorCode::kLimitExceeded, "negative");
  return Ok{};
}

Status check_twice(int a, int b) {
  MTR_TRY_STATUS(check(a));
  MTR_TRY_STATUS(check(b));
  return {};
}

Result<int> status_then_value(int v) {
  MTR_TRY_STATUS(check(v));
  return v;
}

TEST(Result, HoldsAValue) {
  Result<int> r = 42;
  ASSERT_TRUE(r);
  EXPECT_TRUE(r.has_value());
  EXPECT_EQ(*r, 42);
  EXPECT_EQ(r.value_or(7), 42);
}

TEST(Result, HoldsAnError) {
  Result<int> r = fail(ErrorCode::kIo, "disk on fire");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kIo);
  EXPECT_EQ(r.error().message, "disk on fire");
  EXPECT_EQ(r.value_or(7), 7);
}

TEST(MtrTry, PassesValuesThrough) {
  auto r = doubled(21);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 42);
}

TEST(MtrTry, PropagatesTheErrorUnchanged) {
  auto r = doubled(-1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(r.error().message, "not positive");
  EXPECT_EQ(r.error().location.file, "input.txt");
  EXPECT_EQ(r.error().location.line, 3u);
  EXPECT_EQ(r.error().location.column, 7u);
}

TEST(MtrTry, MovesHeapValuesOutIntact) {
  auto r = text_length(true);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 200u);
  EXPECT_EQ(text_length(false).error().code, ErrorCode::kNotFound);
}

TEST(MtrTry, WorksWithMoveOnlyValues) {
  auto r = unboxed(4);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 5);
  EXPECT_FALSE(unboxed(0));
}

TEST(MtrTryStatus, StopsAtTheFirstError) {
  EXPECT_TRUE(check_twice(1, 2));
  auto r = check_twice(1, -2);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
  auto v = status_then_value(-1);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().message, "negative");
  EXPECT_EQ(*status_then_value(3), 3);
}

TEST(Error, ToStringWithAndWithoutLocation) {
  EXPECT_EQ(make_error(ErrorCode::kIo, "boom").to_string(), "boom");
  EXPECT_EQ(make_error(ErrorCode::kInvalidInput, "bad key", {"a.yaml", 4, 2, ""}).to_string(),
            "a.yaml:4:2: bad key");
  EXPECT_EQ(make_error(ErrorCode::kInvalidInput, "bad key", {"a.yaml", 4, 0, ""}).to_string(),
            "a.yaml:4: bad key");
  EXPECT_EQ(
      make_error(ErrorCode::kDigestMismatch, "mismatch", {"", 0, 0, "sha256:abc"}).to_string(),
      "sha256:abc: mismatch");
  EXPECT_EQ(make_error(ErrorCode::kIo, "short read", {"x.tar", 0, 0, "layer 2"}).to_string(),
            "x.tar (layer 2): short read");
}

TEST(Error, ContextGoesInFrontOfTheMessage) {
  auto e = make_error(ErrorCode::kIo, "short read", {"x.tar", 0, 0, ""});
  e.with_context("reading layer 3");
  EXPECT_EQ(e.to_string(), "x.tar: reading layer 3: short read");
  e.at({"y.tar", 1, 0, ""});
  EXPECT_EQ(e.to_string(), "y.tar:1: reading layer 3: short read");
}

TEST(ErrorCode, Names) {
  EXPECT_STREQ(to_string(ErrorCode::kInvalidInput), "invalid input");
  EXPECT_STREQ(to_string(ErrorCode::kDigestMismatch), "digest mismatch");
  EXPECT_STREQ(to_string(ErrorCode::kInternal), "internal");
}

}  // namespace
}  // namespace mtr::core
