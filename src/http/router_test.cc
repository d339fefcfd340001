#include "http/router.h"

#include <gtest/gtest.h>

namespace solidum::http {
namespace {

Response Ok(Context&) { return Response{}; }

TEST(Router, MatchesPatternsAndExtractsParameters) {
  Router r;
  r.Add({"GET", "/api/v1/organisations", identity::Action::kAnyone, "", Ok, ""});
  r.Add({"GET", "/api/v1/organisations/{id}", identity::Action::kAnyone, "", Ok, ""});
  r.Add({"PATCH", "/api/v1/organisations/{id}", identity::Action::kOrganisationUpdate, "id", Ok, ""});
  bool known = false;
  auto m = r.Find("GET", "/api/v1/organisations/42", &known);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route->pattern, "/api/v1/organisations/{id}");
  EXPECT_EQ(m->index, 1u);
  ASSERT_EQ(m->params.size(), 1u);
  EXPECT_EQ(m->params[0].second, "42");
  EXPECT_TRUE(r.Find("HEAD", "/api/v1/organisations", &known));
}

TEST(Router, TellsUnknownPathsFromWrongMethods) {
  Router r;
  r.Add({"GET", "/a/{id}", identity::Action::kAnyone, "", Ok, ""});
  bool known = true;
  EXPECT_FALSE(r.Find("GET", "/b/1", &known));
  EXPECT_FALSE(known);
  EXPECT_FALSE(r.Find("DELETE", "/a/1", &known));
  EXPECT_TRUE(known);
  EXPECT_FALSE(r.Find("GET", "/a/1/", &known));
  EXPECT_FALSE(r.Find("GET", "/a", &known));
}

TEST(RouterDeathTest, RefusesScopedRoutesWithoutTheirParameter) {
  Router r;
  EXPECT_DEATH(r.Add({"PATCH", "/a/{id}", identity::Action::kOrganisationUpdate, "", Ok, ""}), "assertion");
}

}  // namespace
}  // namespace solidum::http
