// Savings groups and tontines through the real server: a group created from the member
// register, meetings recorded by number (a retry answers the same meeting), bad lines
// named, nothing kept of a refused meeting; the share-out; a tontine's rounds; each
// member's own view; access for the register's keepers only.
#include <boost/json.hpp>

#include "fixture.h"

namespace solidum::testing {
namespace {

TEST_F(ApiTest, ASavingsGroupRecordsItsMeetingsAndSharesOut) {
  const auto admin = NewUser("secretaire@jigiya.example");
  const std::int64_t org = CreateOrg(admin, R"({"name":"Association Jigiya","country":"ML"})");
  const std::string base = "/api/v1/organisations/" + std::to_string(org);
  auto post = [&](const std::string& path, const std::string& json) { return http_->SendJson("POST", base + path, json, Bearer(admin)); };
  const auto awa_user = NewUser("awa@jigiya.example");
  std::vector<std::string> ids;
  for (const std::string name : {"Awa", "Binta", "Coumba"}) {
    const std::string email = name == "Awa" ? R"(,"user_email":"awa@jigiya.example")" : "";
    auto m = post("/members", R"({"name":")" + name + R"(","joined_on":"2020-01-01")" + email + "}");
    ASSERT_EQ(m.status, 201) << m.body;
    ids.push_back(std::to_string(m.Json().at("id").as_int64()));
  }
  const std::string rules = R"("rules":{"share_value":500,"shares_max_per_meeting":5,"social_contribution":100,"interest_bp":1000,"interest_every_meetings":4})";
  EXPECT_EQ(post("/savings-groups", R"({"name":"","unit":"XOF","decimals":0,"started_on":"2025-13-01","members":[1,"x"],)" + rules + "}").Fields(),
            (std::vector<std::string>{"/name required", "/started_on invalid_date", "/members/1 invalid"}));
  EXPECT_EQ(post("/savings-groups", R"({"name":"G","unit":"XOF","decimals":0,"started_on":"2025-01-06","members":[)" + ids[0] + R"(,999999],)" + rules + "}").Fields(),
            std::vector<std::string>{"/members/1 not_a_member"});
  auto g = post("/savings-groups", R"({"name":"Jigiya 1","unit":"XOF","decimals":0,"started_on":"2025-01-06","members":[)" + ids[0] + "," + ids[1] + "," + ids[2] + "]," + rules + "}");
  ASSERT_EQ(g.status, 201) << g.body;
  const std::string group = "/savings-groups/" + std::to_string(g.Json().at("id").as_int64());
  EXPECT_EQ(g.Json().at("next_meeting").as_int64(), 1);

  const std::string all = "[" + ids[0] + "," + ids[1] + "," + ids[2] + "]";
  const std::string m1 = R"({"number":1,"held_on":"2025-01-06","present":)" + all + R"(,"social":)" + all + R"(,"shares":[{"member":)" + ids[0] +
                         R"(,"shares":5},{"member":)" + ids[1] + R"(,"shares":3},{"member":)" + ids[2] + R"(,"shares":2}],"loans":[{"member":)" + ids[1] +
                         R"(,"amount":4000}]})";
  auto first = post(group + "/meetings", m1);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Json().at("state").at("loan_fund").as_int64(), 1'000);
  EXPECT_EQ(first.Json().at("state").at("social_fund").as_int64(), 300);
  auto again = post(group + "/meetings", m1);
  EXPECT_EQ(again.status, 200);
  EXPECT_TRUE(again.Json().at("replayed").as_bool());
  // Coumba, absent, cannot buy shares: money changes hands in the meeting.
  auto absent = post(group + "/meetings", R"({"number":2,"held_on":"2025-01-13","present":[)" + ids[0] + R"(],"shares":[{"member":)" + ids[2] + R"(,"shares":1}]})");
  EXPECT_EQ(absent.status, 400);
  EXPECT_EQ(absent.Fields(), std::vector<std::string>{"/shares/0/member absent"});
  EXPECT_EQ(post(group + "/meetings", R"({"number":2,"held_on":"2025-01-13","present":[)" + ids[0] + R"(],"shares":[{"member":)" + ids[0] + R"(,"shares":-1}],"colour":1})").Fields(),
            (std::vector<std::string>{"/colour unknown_field"}));
  EXPECT_EQ(post(group + "/meetings", R"({"number":2,"held_on":"2025-01-13","present":[)" + ids[0] + R"(],"shares":[{"member":)" + ids[0] + R"(,"shares":6}]})").Fields(),
            std::vector<std::string>{"/shares/0/amount out_of_range"});
  EXPECT_EQ(post(group + "/meetings", R"({"number":2,"held_on":"2025-01-13"})").Fields(), std::vector<std::string>{"/present required"});
  EXPECT_EQ(post("/savings-groups/999999/meetings", R"({"number":1,"held_on":"2025-01-13","present":[1]})").status, 404);
  EXPECT_EQ(post(group + "/share-out", R"({"on":"2025-01-13"})").status, 409);  // Binta owes
  auto m2 = post(group + "/meetings", R"({"number":2,"held_on":"2025-01-13","present":[)" + ids[0] + R"(],"repayments":[{"member":)" + ids[1] + R"(,"amount":4000}]})");
  ASSERT_EQ(m2.status, 201) << m2.body;
  auto out = post(group + "/share-out", R"({"on":"2025-01-13"})");
  ASSERT_EQ(out.status, 200) << out.body;
  const auto shared = out.Json();
  const auto& members = shared.at("state").at("members").as_array();
  EXPECT_EQ(members.at(0).at("share_out").as_int64(), 2'500);  // 5,000 saved, no charge yet: 500 a share
  EXPECT_EQ(members.at(2).at("share_out").as_int64(), 1'000);
  EXPECT_TRUE(out.Json().at("next_meeting").is_null());
  auto next = post(group + "/cycles", R"({"started_on":"2025-01-20"})");
  ASSERT_EQ(next.status, 201) << next.body;
  EXPECT_EQ(next.Json().at("cycle").at("number").as_int64(), 2);
  EXPECT_EQ(next.Json().at("state").at("social_fund").as_int64(), 300);

  auto mine = http_->Get("/api/v1/me/groups", Bearer(awa_user));
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json().at("savings_groups").at(0).at("name").as_string(), "Jigiya 1");
  EXPECT_EQ(http_->Get(base + group, Bearer(awa_user)).status, 403);
  EXPECT_EQ(http_->Get(base + "/savings-groups", Bearer(admin)).Json().at("items").as_array().size(), 1u);
}

TEST_F(ApiTest, ATontineTakesItsRoundsInTurn) {
  const auto admin = NewUser("tresoriere@marche.example");
  const std::int64_t org = CreateOrg(admin, R"({"name":"Femmes du marché","country":"SN"})");
  const std::string base = "/api/v1/organisations/" + std::to_string(org);
  auto post = [&](const std::string& path, const std::string& json) { return http_->SendJson("POST", base + path, json, Bearer(admin)); };
  std::vector<std::string> ids;
  for (const std::string name : {"Aminata", "Bineta", "Codou"}) {
    auto m = post("/members", R"({"name":")" + name + R"(","joined_on":"2020-01-01"})");
    ASSERT_EQ(m.status, 201) << m.body;
    ids.push_back(std::to_string(m.Json().at("id").as_int64()));
  }
  const std::string members = R"("members":[)" + ids[0] + "," + ids[1] + "," + ids[2] + "]";
  EXPECT_EQ(post("/tontines", R"({"name":"T","unit":"XOF","decimals":0,"contribution":0,"order":"raffle","period":"daily","started_on":"2025-01-31",)" + members + "}").Fields(),
            (std::vector<std::string>{"/order invalid", "/period invalid"}));
  auto t = post("/tontines", R"({"name":"Tontine du marché","unit":"XOF","decimals":0,"contribution":10000,"order":"fixed","period":"monthly","started_on":"2025-01-31",)" + members + "}");
  ASSERT_EQ(t.status, 201) << t.body;
  const std::string tontine = "/tontines/" + std::to_string(t.Json().at("id").as_int64());
  EXPECT_EQ(t.Json().at("next_round").at("recipient").as_int64(), std::stoll(ids[0]));
  EXPECT_EQ(t.Json().at("next_round").at("due_on").as_string(), "2025-01-31");
  const std::string r1 = R"({"number":1,"held_on":"2025-01-31","missed":[{"member":)" + ids[2] + R"(,"coverer":)" + ids[1] + "}]}";
  EXPECT_EQ(post(tontine + "/rounds", R"({"number":1,"held_on":"2025-01-31","missed":[{"member":)" + ids[2] + R"(,"coverer":)" + ids[2] + "}]}").Fields(),
            std::vector<std::string>{"/missed/0/coverer cannot_cover"});
  auto x = post(tontine + "/rounds", r1);
  ASSERT_EQ(x.status, 201) << x.body;
  EXPECT_EQ(x.Json().at("rounds").at(0).at("recipient").as_int64(), std::stoll(ids[0]));
  EXPECT_EQ(x.Json().at("positions").at(2).at("owes_for_missed").as_int64(), 10'000);
  EXPECT_EQ(post(tontine + "/rounds", r1).status, 200);
  EXPECT_EQ(post(tontine + "/rounds", R"({"number":3,"held_on":"2025-03-31"})").Fields(), std::vector<std::string>{"/number out_of_order"});
  EXPECT_EQ(post(tontine + "/rounds", R"({"number":2,"held_on":"2025-01-30"})").Fields(), std::vector<std::string>{"/held_on before_previous"});
  auto list = http_->Get(base + "/tontines", Bearer(admin));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json().at("items").at(0).at("rounds").as_int64(), 1);
}

}  // namespace
}  // namespace solidum::testing
