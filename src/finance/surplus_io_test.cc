// Reading a surplus allocation's rules (JSON) and activity (CSV): the fields and columns
// the CLI and the API take, and every kind of bad input named by its field or line.
#include "finance/surplus_io.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace solidum::finance {
namespace {

std::string Where(const Error& e) { return e.fields.empty() ? e.message : e.fields.at(0).field + " " + e.fields.at(0).code; }

TEST(SurplusRulesJson, EveryRuleIsReadAndBadOnesAreNamed) {
  auto in = ParseSurplusRules(boost::json::parse(R"({"surplus":12000000,"reserve_bp":3000,"reserve_min_bp":1500,"fund_bp":500,
      "share_interest_bp":200,"share_interest_cap_bp":400,"refunds_bp":8000,"interest_at_most_refunds":false,"basis":"wages"})"));
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_EQ(in->surplus, 12'000'000);
  EXPECT_EQ(in->rules.reserve_bp, 3'000);
  EXPECT_EQ(in->rules.reserve_min_bp, 1'500);
  EXPECT_EQ(in->rules.fund_bp, 500);
  EXPECT_EQ(in->rules.share_interest_bp, 200);
  EXPECT_EQ(in->rules.share_interest_cap_bp, 400);
  EXPECT_EQ(in->rules.refunds_bp, 8'000);
  EXPECT_FALSE(in->rules.interest_at_most_refunds);
  EXPECT_EQ(in->basis, "wages");

  auto defaults = ParseSurplusRules(boost::json::parse(R"({"surplus":0})"));
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->rules.refunds_bp, kBasisPoints);
  EXPECT_TRUE(defaults->rules.interest_at_most_refunds);
  EXPECT_TRUE(ParseSurplusRules(boost::json::parse("{}"), false).ok());

  const std::pair<const char*, const char*> bad[] = {
      {R"({})", "/surplus required"},
      {R"({"surplus":-1})", "/surplus out_of_range"},
      {R"({"surplus":1,"reserve_bp":10001})", "/reserve_bp out_of_range"},  // over 100 %
      {R"({"surplus":1,"fund_bp":2.5})", "/fund_bp"},
      {R"({"surplus":1,"basis":"shares"})", "/basis unknown_basis"},
      {R"({"surplus":1,"reserv_bp":3000})", "/reserv_bp unknown"},
      {R"([1])", " not_an_object"},
  };
  for (auto [json, where] : bad) {
    auto r = ParseSurplusRules(boost::json::parse(json));
    ASSERT_FALSE(r.ok()) << json;
    EXPECT_EQ(Where(r.error()).rfind(where, 0), 0u) << json << " -> " << Where(r.error());
  }
}

TEST(ActivityCsv, ColumnsByNameAndEveryBadRowNamedByItsLine) {
  auto a = ParseActivity("name,patronage,member,capital\r\n\"Ada, L.\",1200,M-1,50000\r\nBen,0,M-2,0\r\n");
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_EQ(a->members.size(), 2u);
  EXPECT_EQ(a->ids, (std::vector<std::string>{"M-1", "M-2"}));
  EXPECT_EQ(a->names[0], "Ada, L.");
  EXPECT_EQ(a->members[0].member, 0);
  EXPECT_EQ(a->members[0].capital, 50'000);
  EXPECT_EQ(a->members[0].patronage, 1'200);
  EXPECT_EQ(a->members[1].member, 1);

  auto bare = ParseActivity("member,capital,patronage\n7,1,2\n");
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare->names.empty());

  const std::pair<const char*, const char*> bad[] = {
      {"", "line 1"},
      {"member,capital\n", "line 1"},                                  // no patronage column
      {"member,capital,patronage,hours\n", "line 1"},                  // unknown column
      {"member,capital,patronage\n1,2,3\n1,4,5\n", "line 3"},          // the same member twice
      {"member,capital,patronage\n1,-2,3\n", "line 2"},                // negative
      {"member,capital,patronage\n1,2,3.5\n", "line 2"},               // not whole
      {"member,capital,patronage\n1,2,99999999999999999999\n", "line 2"},  // past 64 bits
      {"member,capital,patronage\n1,2,3\n2,3\n", "line 3"},            // a field short
      {"member,capital,patronage\n,2,3\n", "line 2"},                  // no id
      {"member,capital,patronage\n1,2,3\n\"2,3,4\n", "line 3"},        // a quote never closed
  };
  for (auto [csv, line] : bad) {
    auto r = ParseActivity(csv);
    ASSERT_FALSE(r.ok()) << csv;
    EXPECT_EQ(r.error().fields.at(0).field, line) << csv << " -> " << r.error().fields.at(0).message;
  }
  auto twice = ParseActivity("member,capital,patronage\nA,1,1\nB,1,1\nA,1,1\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().fields.at(0).message.find("already on line 2"), std::string::npos) << twice.error().fields.at(0).message;
  // Two repeated members: the first repeat met in reading order is named.
  auto crossed = ParseActivity("member,capital,patronage\nA,1,1\nB,1,1\nB,1,1\nA,1,1\n");
  ASSERT_FALSE(crossed.ok());
  EXPECT_EQ(crossed.error().fields.at(0).field, "line 4");
  EXPECT_NE(crossed.error().fields.at(0).message.find("member B is already on line 3"), std::string::npos) << crossed.error().fields.at(0).message;
}

}  // namespace
}  // namespace solidum::finance
