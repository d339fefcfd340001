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
