#include "http/message.h"

#include <gtest/gtest.h>

namespace solidum::http {
namespace {

TEST(ParseTarget, DecodesPathAndQuery) {
  Request r;
  ASSERT_TRUE(ParseTarget("/api/v1/organisations?q=caf%C3%A9&limit=5&flag", r));
  EXPECT_EQ(r.path, "/api/v1/organisations");
  EXPECT_EQ(r.Query("q"), "café");
  EXPECT_EQ(r.Query("limit"), "5");
  EXPECT_EQ(r.Query("flag"), "");
  EXPECT_FALSE(r.Query("missing"));
}

TEST(ParseTarget, EmptyQueryPartsAreNothing) {
  Request r;
  ASSERT_TRUE(ParseTarget("/api/v1/organisations/map?", r));
  EXPECT_TRUE(r.query.empty());
  ASSERT_TRUE(ParseTarget("/x?a=1&&b=2", r));
  ASSERT_EQ(r.query.size(), 2u);
  EXPECT_EQ(r.query[1].first, "b");
}

TEST(ParseTarget, TakesPlainPathsAsTheyAre) {
  Request r;
  ASSERT_TRUE(ParseTarget("/api/v1/organisations/42", r));
  EXPECT_EQ(r.path, "/api/v1/organisations/42");
  EXPECT_TRUE(r.query.empty());
  ASSERT_TRUE(ParseTarget("/caf%C3%A9", r));
  EXPECT_EQ(r.path, "/café");
}

TEST(ParseTarget, RefusesInvalidTargets) {
  Request r0;
  EXPECT_FALSE(ParseTarget("/a b", r0));
  EXPECT_FALSE(ParseTarget("/a<b>", r0));
  Request r;
  EXPECT_FALSE(ParseTarget("http://absolute.example/", r));
  EXPECT_FALSE(ParseTarget("/a?q=%FF", r));
  EXPECT_FALSE(ParseTarget("/a%00b", r));
  EXPECT_FALSE(ParseTarget("no-slash", r));
}

TEST(Request, ReadsCookies) {
  Request r;
  r.headers = {{"cookie", "a=1; solidum_session=sess_abc ; b=2"}};
  EXPECT_EQ(r.Cookie("solidum_session"), "sess_abc");
  EXPECT_EQ(r.Cookie("b"), "2");
  EXPECT_FALSE(r.Cookie("c"));
}

}  // namespace
}  // namespace solidum::http
