// `solidum schedule`, the real binary: the textbook annuity (10,000.00 at 12 % over 12
// months: 888.49 a month) in each format, hours with no decimals, and bad options named
// in the message with exit code 1.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../support/cli_run.h"

namespace {

using solidum::testing::CliRun;
using solidum::testing::RunSolidum;

CliRun Schedule(const std::string& args) { return RunSolidum("schedule " + args); }

TEST(ScheduleCli, TheTextbookAnnuityInEachFormat) {
  auto text = Schedule("--principal 10000 --rate 12 --instalments 12 --first-due 2027-01-31");
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("2027-02-28"), std::string::npos);
  EXPECT_NE(text.out.find("888.49"), std::string::npos);
  EXPECT_NE(text.out.find("888.47"), std::string::npos);
  EXPECT_NE(text.out.find("661.86"), std::string::npos);

  auto csv = Schedule("--principal 10000 --rate 12 --instalments 12 --first-due 2027-01-31 --format csv");
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')), "number,due,principal,interest,total,balance,capitalised");
  EXPECT_NE(csv.out.find("\n1,2027-01-31,788.49,100.00,888.49,9211.51,0.00\n"), std::string::npos);
  EXPECT_NE(csv.out.find("\n12,2027-12-31,879.67,8.80,888.47,0.00,0.00\n"), std::string::npos);

  auto json = Schedule("--principal 10000 --rate 12 --instalments 12 --first-due 2027-01-31 --format json");
  ASSERT_EQ(json.code, 0) << json.err;
  auto v = boost::json::parse(json.out);
  EXPECT_EQ(v.at("total_interest").as_int64(), 66'186);
  EXPECT_EQ(v.at("instalments").as_array().size(), 12u);
  EXPECT_EQ(v.at("instalments").as_array()[0].at("total").as_int64(), 88'849);
}

TEST(ScheduleCli, HoursAndGraceAndBadOptions) {
  auto hours = Schedule("--principal 10 --decimals 0 --method interest_free --instalments 3 --period weekly --first-due 2027-01-04 --format csv");
  ASSERT_EQ(hours.code, 0) << hours.err;
  EXPECT_NE(hours.out.find("\n3,2027-01-18,4,0,4,0,0\n"), std::string::npos) << hours.out;

  auto grace = Schedule("--principal 10000 --rate 12 --instalments 4 --grace-principal 2 --grace-interest 2 "
                        "--grace-interest-rule capitalised --first-due 2027-01-31 --format csv");
  ASSERT_EQ(grace.code, 0) << grace.err;
  EXPECT_NE(grace.out.find("\n2,2027-02-28,0.00,0.00,0.00,10201.00,101.00\n"), std::string::npos) << grace.out;

  auto bad = [](const std::string& args) {
    auto r = Schedule(args);
    EXPECT_EQ(r.code, 1) << args;
    return r.err;
  };
  EXPECT_NE(bad("--principal 10.001 --first-due 2027-01-31").find("--principal"), std::string::npos);
  EXPECT_NE(bad("--principal 0 --first-due 2027-01-31").find("--principal"), std::string::npos);
  EXPECT_NE(bad("--principal 100 --rate 101 --first-due 2027-01-31").find("--rate: 0 to 100 percent"), std::string::npos);
  EXPECT_NE(bad("--principal 100 --rate 5 --method interest_free --first-due 2027-01-31").find("--rate"), std::string::npos);
  EXPECT_NE(bad("--principal 100 --first-due 2027-02-30").find("--first-due"), std::string::npos);
  EXPECT_NE(bad("--principal 100 --instalments 3 --grace-principal 3 --first-due 2027-01-31").find("--grace-principal"), std::string::npos);
  EXPECT_NE(bad("--principal 100 --instalments 0 --first-due 2027-01-31").find("--instalments"), std::string::npos);
}

}  // namespace
