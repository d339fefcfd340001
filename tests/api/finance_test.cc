// GET /api/v1/loan-schedule through the real server: the textbook annuity for anyone,
// grace capitalised, and bad parameters named, several at once.
#include <boost/json.hpp>

#include "fixture.h"

namespace solidum::testing {
namespace {

TEST_F(ApiTest, ALoanScheduleIsComputedForAnyone) {
  auto r = http_->Get("/api/v1/loan-schedule?principal=1000000&annual_rate_ppm=120000&instalments=12&first_due=2027-01-31");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto j = r.Json();
  EXPECT_EQ(j.at("method").as_string(), "equal_instalments");
  EXPECT_EQ(j.at("total_interest").as_int64(), 66'186);
  const auto& rows = j.at("instalments").as_array();
  ASSERT_EQ(rows.size(), 12u);
  EXPECT_EQ(rows[0].at("total").as_int64(), 88'849);
  EXPECT_EQ(rows[1].at("due").as_string(), "2027-02-28");
  EXPECT_EQ(rows[11].at("total").as_int64(), 88'847);
  EXPECT_EQ(rows[11].at("balance").as_int64(), 0);

  auto cap = http_->Get("/api/v1/loan-schedule?principal=1000000&annual_rate_ppm=120000&instalments=4&grace_principal=2&grace_interest=2"
                        "&grace_interest_rule=capitalised&period=monthly&first_due=2027-01-31");
  ASSERT_EQ(cap.status, 200) << cap.body;
  EXPECT_EQ(cap.Json().at("total_capitalised").as_int64(), 20'100);
  EXPECT_EQ(cap.Json().at("total_principal").as_int64(), 1'020'100);
}

TEST_F(ApiTest, ALoanScheduleNamesEveryBadParameter) {
  auto r = http_->Get("/api/v1/loan-schedule?principal=-5&method=balloon&first_due=2027-02-30&colour=red");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Fields(), (std::vector<std::string>{"?principal invalid_value", "?method unknown_term", "?first_due invalid_date",
                                                  "?colour unknown_parameter"}));
  EXPECT_EQ(http_->Get("/api/v1/loan-schedule").Fields(), (std::vector<std::string>{"?principal required", "?first_due required"}));
  // The engine's own checks, named the same way.
  auto grace = http_->Get("/api/v1/loan-schedule?principal=100&instalments=3&grace_principal=3&first_due=2027-01-31");
  EXPECT_EQ(grace.Fields(), std::vector<std::string>{"?grace_principal out_of_range"});
  auto free = http_->Get("/api/v1/loan-schedule?principal=100&annual_rate_ppm=5&method=interest_free&first_due=2027-01-31");
  EXPECT_EQ(free.Fields(), std::vector<std::string>{"?annual_rate_ppm not_for_interest_free"});
}

}  // namespace
}  // namespace solidum::testing

namespace solidum::testing {
namespace {

// A fund through the real server: made by the organisation's admin, backers contribute
// once per id, the figures follow; strangers may neither read nor write; bad input named.
TEST_F(ApiTest, AFundTakesItsBackersCapitalOncePerId) {
  const auto admin = NewUser("treasurer@fund.example");
  const std::int64_t fund_org = CreateOrg(admin, R"({"name":"Fonds Solidaire Île-de-France","country":"FR"})");
  const std::int64_t backer = CreateOrg(admin, R"({"name":"Fondation du Crédit Coopératif","country":"FR"})");
  const std::string base = "/api/v1/organisations/" + std::to_string(fund_org) + "/funds";
  auto created = http_->SendJson("POST", base, R"({"name":"Fonds d'amorçage","code":"FONDS-IDF","unit":"EUR","decimals":2})", Bearer(admin));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t fid = created.Json().at("id").as_int64();
  EXPECT_EQ(created.Json().at("figures").at("pool").as_int64(), 0);
  const std::string contributions = base + "/" + std::to_string(fid) + "/contributions";
  const std::string body = R"({"id":"2027-dotation","backer":)" + std::to_string(backer) + R"(,"amount":5000000,"memo":"Dotation 2027"})";
  auto first = http_->SendJson("POST", contributions, body, Bearer(admin));
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(first.Json().at("replayed").as_bool());
  auto again = http_->SendJson("POST", contributions, body, Bearer(admin));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(again.Json().at("replayed").as_bool());
  auto other = http_->SendJson("POST", contributions, R"({"id":"2027-dotation","backer":)" + std::to_string(backer) + R"(,"amount":1})", Bearer(admin));
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(other.Json().at("code").as_string(), "id_reused_with_different_content");

  auto fund = http_->Get(base + "/" + std::to_string(fid), Bearer(admin));
  ASSERT_EQ(fund.status, 200) << fund.body;
  const auto got = fund.Json();  // kept: what .at() answers points into it
  EXPECT_EQ(got.at("figures").at("pool").as_int64(), 5'000'000);
  EXPECT_EQ(got.at("figures").at("capital").as_int64(), 5'000'000);
  const auto& backers = got.at("backers").as_array();
  ASSERT_EQ(backers.size(), 1u);
  EXPECT_EQ(backers[0].at("name").as_string(), "Fondation du Crédit Coopératif");
  EXPECT_EQ(http_->Get(base, Bearer(admin)).Json().at("items").as_array().size(), 1u);

  // Strangers: no reading, no writing; nothing moved.
  const auto stranger = NewUser("someone@else.example");
  EXPECT_EQ(http_->Get(base + "/" + std::to_string(fid), Bearer(stranger)).status, 403);
  EXPECT_EQ(http_->SendJson("POST", contributions, R"({"id":"x","backer":1,"amount":1})", Bearer(stranger)).status, 403);
  EXPECT_EQ(http_->Get(base + "/" + std::to_string(fid)).status, 401);

  // Bad input, named.
  EXPECT_EQ(http_->SendJson("POST", contributions, R"({"id":"x","backer":999999,"amount":1})", Bearer(admin)).Fields(),
            std::vector<std::string>{"/backer unknown_organisation"});
  EXPECT_EQ(http_->SendJson("POST", contributions, R"({"id":"x","backer":1,"amount":0})", Bearer(admin)).Fields(),
            std::vector<std::string>{"/amount out_of_range"});
  EXPECT_EQ(http_->SendJson("POST", base, R"({"name":"F","code":"FONDS-IDF","unit":"EUR","decimals":2})", Bearer(admin)).status, 409);
  EXPECT_EQ(http_->SendJson("POST", base, R"({"name":"F","code":"bad code","unit":"EUR","decimals":2})", Bearer(admin)).Fields(),
            std::vector<std::string>{"/code invalid"});
  EXPECT_EQ(http_->Get(base + "/" + std::to_string(fid), Bearer(admin)).Json().at("figures").at("pool").as_int64(), 5'000'000);
}

}  // namespace
}  // namespace solidum::testing
