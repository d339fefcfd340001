#include "common/result.h"

#include <gtest/gtest.h>

namespace solidum {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Error::Invalid("/x", "odd", "x must be even");
  return x / 2;
}

Result<int> Quarter(int x) {
  SOLIDUM_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(Result, CarriesValueOrError) {
  auto r = Quarter(8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 2);
  auto bad = Quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidInput);
  ASSERT_EQ(bad.error().fields.size(), 1u);
  EXPECT_EQ(bad.error().fields[0].field, "/x");
}

}  // namespace
}  // namespace solidum
