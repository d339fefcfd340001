// Organisations over HTTP: the authorization matrix, optimistic concurrency, pagination,
// soft delete and roles.
#include <boost/json.hpp>

#include <set>
#include <thread>

#include "fixture.h"

namespace solidum::testing {
namespace {

class OrganisationsApiTest : public ApiTest {
 protected:
  std::string Path(std::int64_t id) { return "/api/v1/organisations/" + std::to_string(id); }
  std::string ETag(std::int64_t id) { return http_->Get(Path(id)).Header("etag"); }
  HttpResponse Patch(const std::string& token, std::int64_t id, const std::string& body) {
    return http_->SendJson("PATCH", Path(id), body, {{"Authorization", "Bearer " + token}, {"If-Match", ETag(id)}});
  }
  HttpResponse Delete(const std::string& token, std::int64_t id) {
    return http_->Send("DELETE", Path(id), "", {{"Authorization", "Bearer " + token}, {"If-Match", ETag(id)}});
  }
  HttpResponse Grant(const std::string& token, std::int64_t id, const std::string& email, const std::string& role) {
    return http_->SendJson("POST", Path(id) + "/roles", R"({"email":")" + email + R"(","role":")" + role + R"("})",
                           Bearer(token));
  }
};

TEST_F(OrganisationsApiTest, AuthorizationMatrix) {
  std::string platform = NewUser("admin@network.example", true);
  std::string alice = NewUser("alice@a.example");
  std::string bob = NewUser("bob@b.example");
  std::string erin = NewUser("erin@a.example");
  std::string mo = NewUser("mo@a.example");
  auto a = CreateOrg(alice, R"({"name":"Org A"})");
  auto b = CreateOrg(bob, R"({"name":"Org B"})");
  ASSERT_EQ(Grant(alice, a, "erin@a.example", "editor").status, 200);
  ASSERT_EQ(Grant(alice, a, "mo@a.example", "member").status, 200);

  // Anonymous: reads yes, writes 401.
  EXPECT_EQ(http_->Get(Path(a)).status, 200);
  EXPECT_EQ(http_->SendJson("PATCH", Path(a), R"({"name":"X"})", {{"If-Match", ETag(a)}}).status, 401);
  EXPECT_EQ(http_->SendJson("POST", "/api/v1/organisations", R"({"name":"X"})").status, 401);
  EXPECT_EQ(http_->Send("DELETE", Path(a), "", {{"If-Match", ETag(a)}}).status, 401);

  // An admin of A gets 403 on B, and so do A's editor and member.
  EXPECT_EQ(Patch(alice, b, R"({"name":"Taken"})").status, 403);
  EXPECT_EQ(Delete(alice, b).status, 403);
  EXPECT_EQ(Grant(alice, b, "alice@a.example", "admin").status, 403);
  EXPECT_EQ(http_->Get(Path(b) + "/roles", Bearer(alice)).status, 403);
  EXPECT_EQ(Patch(erin, b, R"({"name":"Taken"})").status, 403);

  // Within A: editors edit but neither delete nor manage roles; members only read.
  EXPECT_EQ(Patch(erin, a, R"({"description":"By the editor"})").status, 200);
  EXPECT_EQ(Delete(erin, a).status, 403);
  EXPECT_EQ(Grant(erin, a, "bob@b.example", "admin").status, 403);
  EXPECT_EQ(Patch(mo, a, R"({"name":"By a member"})").status, 403);
  EXPECT_EQ(http_->Get(Path(a)).Json().at("name").as_string(), "Org A");

  // The platform admin may do anything.
  EXPECT_EQ(Patch(platform, b, R"({"status":"closed"})").status, 200);
  EXPECT_EQ(http_->Get(Path(a) + "/roles", Bearer(platform)).status, 200);
  EXPECT_EQ(Delete(platform, b).status, 204);

  // Roles are listed for admins and can be revoked.
  auto roles = http_->Get(Path(a) + "/roles", Bearer(alice));
  ASSERT_EQ(roles.status, 200);
  std::set<std::string> seen;
  auto roles_json = roles.Json();
  for (const auto& r : roles_json.at("items").as_array()) {
    seen.insert(std::string(r.at("email").as_string()) + "=" + std::string(r.at("role").as_string()));
  }
  EXPECT_EQ(seen, (std::set<std::string>{"alice@a.example=admin", "erin@a.example=editor", "mo@a.example=member"}));
  auto erin_id = http_->Get("/api/v1/auth/session", Bearer(erin)).Json().at("user").at("id").as_int64();
  EXPECT_EQ(http_->Send("DELETE", Path(a) + "/roles/" + std::to_string(erin_id), "", Bearer(alice)).status, 204);
  EXPECT_EQ(Patch(erin, a, R"({"description":"Again"})").status, 403);
}

TEST_F(OrganisationsApiTest, StaleWritesGet412AndMissingIfMatch428) {
  std::string t = NewUser("ana@coop.example");
  auto id = CreateOrg(t, R"({"name":"Coop"})");
  std::string v1 = ETag(id);
  auto first = http_->SendJson("PATCH", Path(id), R"({"name":"First"})", {{"Authorization", "Bearer " + t}, {"If-Match", v1}});
  EXPECT_EQ(first.status, 200);
  auto stale = http_->SendJson("PATCH", Path(id), R"({"name":"Second"})", {{"Authorization", "Bearer " + t}, {"If-Match", v1}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(stale.Code(), "version_mismatch");
  auto none = http_->SendJson("PATCH", Path(id), R"({"name":"Third"})", Bearer(t));
  EXPECT_EQ(none.status, 428);
  auto junk = http_->SendJson("PATCH", Path(id), R"({"name":"Fourth"})", {{"Authorization", "Bearer " + t}, {"If-Match", "*"}});
  EXPECT_EQ(junk.status, 412);
  EXPECT_EQ(http_->Get(Path(id)).Json().at("name").as_string(), "First");
}

TEST_F(OrganisationsApiTest, ConcurrentEditsOfOneVersionGiveOneSuccessAndOne412) {
  std::string t = NewUser("ana@coop.example");
  auto id = CreateOrg(t, R"({"name":"Coop"})");
  for (int round = 0; round < 10; ++round) {
    std::string etag = ETag(id);
    std::vector<int> statuses(2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        HttpClient client(server_->port());
        auto r = client.SendJson("PATCH", Path(id), R"({"description":"writer )" + std::to_string(i) + R"("})",
                                 {{"Authorization", "Bearer " + t}, {"If-Match", etag}});
        statuses[static_cast<std::size_t>(i)] = r.status;
      });
    }
    for (auto& th : threads) th.join();
    std::sort(statuses.begin(), statuses.end());
    EXPECT_EQ(statuses, (std::vector<int>{200, 412})) << "round " << round;
  }
  EXPECT_EQ(http_->Get(Path(id)).Json().at("version").as_int64(), 11);
}

// Several servers, one database (on PostgreSQL in the .postgres run; two processes on one
// SQLite file otherwise): a write through one is read, searched and mapped through the
// other at once, and concurrent edits of one version through both give one success and
// one 412, never a lost update.
TEST_F(OrganisationsApiTest, TwoServersOnOneDatabaseSeeEachOthersWritesAndNeverLoseOne) {
  ServerProcess second(server_->db_url(), {});
  HttpClient other(second.port());
  std::string t = NewUser("ana@coop.example");
  auto id = CreateOrg(t, R"({"name":"Tisserands Solidaires","country":"FR","latitude":45.76,"longitude":4.83})");
  auto read = other.Get(Path(id));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json().at("name").as_string(), "Tisserands Solidaires");
  EXPECT_EQ(other.Get("/api/v1/organisations?q=tisserands").Json().at("total").as_int64(), 1);
  EXPECT_EQ(other.Get("/api/v1/organisations/map?country=FR").Json().at("total").as_int64(), 1);
  for (int round = 0; round < 10; ++round) {
    std::string etag = ETag(id);
    std::vector<int> statuses(2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        HttpClient client(i == 0 ? server_->port() : second.port());
        auto r = client.SendJson("PATCH", Path(id), R"({"description":"server )" + std::to_string(i) + R"("})",
                                 {{"Authorization", "Bearer " + t}, {"If-Match", etag}});
        statuses[static_cast<std::size_t>(i)] = r.status;
      });
    }
    for (auto& th : threads) th.join();
    std::sort(statuses.begin(), statuses.end());
    EXPECT_EQ(statuses, (std::vector<int>{200, 412})) << "round " << round;
    // Both servers answer the winner's version and text.
    auto a = http_->Get(Path(id)).Json(), b = other.Get(Path(id)).Json();
    EXPECT_EQ(a.at("version"), b.at("version"));
    EXPECT_EQ(a.at("description"), b.at("description"));
  }
  EXPECT_EQ(other.Get(Path(id)).Json().at("version").as_int64(), 11);
  // A rename through the second server is found by the first one's search at once, even for
  // searches the first server answered (and cached) just before.
  EXPECT_EQ(http_->Get("/api/v1/organisations?q=unis").Json().at("total").as_int64(), 0);
  EXPECT_EQ(http_->Get("/api/v1/organisations?q=solidaires").Json().at("total").as_int64(), 1);
  EXPECT_EQ(http_->Get("/api/v1/organisations?country=FR").Json().at("items").as_array()[0].at("name").as_string(),
            "Tisserands Solidaires");
  auto renamed = other.SendJson("PATCH", Path(id), R"({"name":"Tisserands Unis"})",
                                {{"Authorization", "Bearer " + t}, {"If-Match", ETag(id)}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(http_->Get("/api/v1/organisations?q=unis").Json().at("total").as_int64(), 1);
  EXPECT_EQ(http_->Get("/api/v1/organisations?q=solidaires").Json().at("total").as_int64(), 0);
  EXPECT_EQ(http_->Get("/api/v1/organisations?country=FR").Json().at("items").as_array()[0].at("name").as_string(),
            "Tisserands Unis");
}

TEST_F(OrganisationsApiTest, PaginationVisitsEveryOrganisationOnceEvenWithInserts) {
  std::string t = NewUser("ana@coop.example");
  std::set<std::int64_t> created;
  for (int i = 0; i < 23; ++i) created.insert(CreateOrg(t, R"({"name":"Coop )" + std::to_string(i) + R"("})"));
  std::vector<std::int64_t> seen;
  std::string target = "/api/v1/organisations?limit=5";
  int pages = 0;
  for (;;) {
    auto r = http_->Get(target);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.Json().as_object();
    for (const auto& o : j.at("items").as_array()) seen.push_back(o.at("id").as_int64());
    if (++pages == 2) CreateOrg(t, R"({"name":"Late arrival"})");  // lands after the cursor
    if (j.at("next_cursor").is_null()) break;
    target = "/api/v1/organisations?limit=5&cursor=" + std::string(j.at("next_cursor").as_string());
  }
  EXPECT_EQ(seen.size(), 24u);
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), seen.size()) << "no duplicates";
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(http_->Get("/api/v1/organisations?limit=0").Fields(), std::vector<std::string>{"?limit out_of_range"});
  EXPECT_EQ(http_->Get("/api/v1/organisations?limit=501").status, 400);
  EXPECT_EQ(http_->Get("/api/v1/organisations?cursor=bm9wZQ").Fields(), std::vector<std::string>{"?cursor invalid_cursor"});
}

TEST_F(OrganisationsApiTest, DeleteIsSoft) {
  std::string t = NewUser("ana@coop.example");
  auto keep = CreateOrg(t, R"({"name":"Keep"})");
  auto gone = CreateOrg(t, R"({"name":"Gone"})");
  EXPECT_EQ(Delete(t, gone).status, 204);
  EXPECT_EQ(http_->Get(Path(gone)).status, 404);
  auto list = http_->Get("/api/v1/organisations").Json();
  ASSERT_EQ(list.at("items").as_array().size(), 1u);
  EXPECT_EQ(list.at("items").as_array()[0].at("id").as_int64(), keep);
  EXPECT_EQ(CountRows("organisations"), 2) << "the row stays, marked deleted";
}

TEST_F(OrganisationsApiTest, ReadsCarryTheSameETagAsWrites) {
  std::string t = NewUser("ana@coop.example");
  auto r = http_->SendJson("POST", "/api/v1/organisations", R"({"name":"Coop","latitude":45.5,"longitude":-73.6})", Bearer(t));
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.Header("etag"), "\"v1\"");
  EXPECT_EQ(r.Header("location"), Path(r.Json().at("id").as_int64()));
  auto g = http_->Get(r.Header("location"));
  EXPECT_EQ(g.Header("etag"), "\"v1\"");
  EXPECT_DOUBLE_EQ(g.Json().at("latitude").as_double(), 45.5);
}

TEST_F(OrganisationsApiTest, TheWholeRecordRoundTripsAndPatchesFieldByField) {
  std::string t = NewUser("ana@coop.example");
  const std::string full = R"({"name":"Cooperativa Tecelagem Recife","other_names":["Tecelagem"],
    "description":"Tecelagem cooperativa","mission":"Trabalho digno","language":"pt",
    "translations":{"en":{"description":"Weaving co-op","mission":"Decent work"}},
    "legal_form":"OS60","primary_activity":"ICA250","activities":["ICA250","ICA60"],"membership_type":"BMT30",
    "street":"Rua da Aurora 100","locality":"Recife","region":"Pernambuco","postcode":"50050-000","country":"BR",
    "latitude":-8.06,"longitude":-34.88,"website":"https://tecelagem.example","urls":["https://social.example/tecelagem"],
    "email":"contato@tecelagem.example","phone":"+55 81 0000-0000","languages":["pt"],"founded_year":2004,
    "status":"active","members":35,"workers":35,"volunteers":0,"counts_year":2025,"sdgs":[5,8],
    "principles":{"purpose":5,"autonomy":4,"democracy":5,"people_before_capital":5,"participation":4},
    "source":"api-test","source_id":"T-1"})";
  auto id = CreateOrg(t, full);
  ASSERT_GT(id, 0);
  auto got = http_->Get(Path(id)).Json();
  auto sent = boost::json::parse(full).as_object();
  for (const auto& kv : sent) {
    EXPECT_EQ(got.at(kv.key()), kv.value()) << kv.key();
  }
  // PATCH one field; the rest stays; null clears a list.
  auto p = Patch(t, id, R"({"workers":36,"urls":null,"translations":{"es":{"description":"Tejeduría"}}})");
  ASSERT_EQ(p.status, 200) << p.body;
  auto after = p.Json();
  EXPECT_EQ(after.at("workers").as_int64(), 36);
  EXPECT_EQ(after.at("members").as_int64(), 35);
  EXPECT_TRUE(after.at("urls").as_array().empty());
  EXPECT_EQ(after.at("translations").as_object().size(), 1u) << "translations are replaced whole";
  EXPECT_EQ(http_->Get(Path(id)).Json(), after) << "a read after a write shows the write";
  // The same provenance twice is refused, naming the field.
  auto dup = http_->SendJson("POST", "/api/v1/organisations", R"({"name":"Other","source":"api-test","source_id":"T-1"})", Bearer(t));
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.Code(), "source_taken");
}

TEST_F(OrganisationsApiTest, UnknownTermsAreNamed) {
  std::string t = NewUser("ana@coop.example");
  auto r = http_->SendJson("POST", "/api/v1/organisations",
                           R"({"name":"X","primary_activity":"ICA999","activities":["ICA10","ICA0"],"membership_type":"BMT1"})",
                           Bearer(t));
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(r.Fields(), (std::vector<std::string>{"/membership_type unknown_term", "/primary_activity unknown_term",
                                                   "/activities/2 unknown_term"}));
  EXPECT_EQ(CountRows("organisations"), 0);
}

TEST_F(OrganisationsApiTest, SearchesOverHttpWithTotalAndFacets) {
  std::string t = NewUser("ana@coop.example");
  CreateOrg(t, R"({"name":"Boulangerie Coopérative","country":"FR","legal_form":"OS60","latitude":45.76,"longitude":4.84})");
  CreateOrg(t, R"({"name":"Panadería Cooperativa","country":"ES","legal_form":"OS60","latitude":43.26,"longitude":-2.93})");
  CreateOrg(t, R"({"name":"Librairie","country":"FR","legal_form":"OS20"})");
  auto r = http_->Get("/api/v1/organisations?q=cooperativ&legal_form=OS60&bbox=-10,40,10,50&limit=1");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j.at("total").as_int64(), 2);
  EXPECT_EQ(j.at("items").as_array().size(), 1u);
  EXPECT_FALSE(j.at("next_cursor").is_null());
  EXPECT_EQ(j.at("facets").at("country").as_array().size(), 2u);
  auto next = http_->Get("/api/v1/organisations?q=cooperativ&legal_form=OS60&bbox=-10,40,10,50&limit=1&cursor=" +
                         std::string(j.at("next_cursor").as_string()));
  ASSERT_EQ(next.status, 200);
  EXPECT_NE(next.Json().at("items").as_array()[0].at("id"), j.at("items").as_array()[0].at("id"));
  EXPECT_EQ(http_->Get("/api/v1/organisations?bbox=1,2").Fields(), std::vector<std::string>{"?bbox invalid_bbox"});
  EXPECT_EQ(http_->Get("/api/v1/organisations?q=caf%C3%A9&sort=distance").Fields(),
            std::vector<std::string>{"?sort needs_near"});
}

TEST_F(OrganisationsApiTest, VocabulariesComeInFourLanguages) {
  auto pt = http_->Get("/api/v1/vocabularies/legal_forms?lang=pt");
  ASSERT_EQ(pt.status, 200);
  bool found = false;
  auto terms = pt.Json();
  for (const auto& t : terms.at("items").as_array()) {
    found |= t.at("code").as_string() == "OS60" && t.at("label").as_string() == "Cooperativa de trabalho";
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(http_->Get("/api/v1/vocabularies/countries?lang=fr").status, 200);
  auto sdgs = http_->Get("/api/v1/vocabularies/sdgs?lang=es").Json();
  ASSERT_EQ(sdgs.at("items").as_array().size(), 17u);
  EXPECT_EQ(sdgs.at("items").as_array()[1].at("code").as_int64(), 2);
  EXPECT_EQ(sdgs.at("items").as_array()[1].at("label").as_string(), "Hambre cero");
  auto activities = http_->Get("/api/v1/vocabularies/activities?lang=fr").Json();
  EXPECT_EQ(activities.at("items").as_array().size(), 29u);
  auto bmt = http_->Get("/api/v1/vocabularies/membership_types?lang=pt").Json();
  EXPECT_EQ(bmt.at("items").as_array().size(), 6u);
  EXPECT_EQ(http_->Get("/api/v1/vocabularies/countries?lang=de").status, 400);
  EXPECT_EQ(http_->Get("/api/v1/vocabularies/nope").status, 404);
}

}  // namespace
}  // namespace solidum::testing
