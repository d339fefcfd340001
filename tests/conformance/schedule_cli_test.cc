// `solidum schedule`, the real binary, with issue 7's options: the textbook annuity
// (1,000,000 minor units at 0.12 a year over 12 months: 88,849 a month) in each format,
// due dates a period after the start and at month ends, hours with no decimals, and bad
// options named in the message with exit code 1.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../support/cli_run.h"

namespace {

using solidum::testing::CliRun;
using solidum::testing::RunSolidum;

CliRun Schedule(const std::string& args) { return RunSolidum("schedule " + args); }

TEST(ScheduleCli, TheTextbookAnnuityInEachFormat) {
  const std::string terms = "--principal 1000000 --rate 0.12 --periods 12 --start 2026-12-31";
  auto json = Schedule(terms + " --format json");
  ASSERT_EQ(json.code, 0) << json.err;
  const auto v = boost::json::parse(json.out);
  EXPECT_EQ(v.as_object().size(), 2u);  // instalments and total_interest, nothing else
  EXPECT_EQ(v.at("total_interest").as_int64(), 66'186);
  const auto& rows = v.at("instalments").as_array();
  ASSERT_EQ(rows.size(), 12u);
  EXPECT_EQ(rows[0], boost::json::parse(R"({"n":1,"due":"2027-01-31","principal":78849,"interest":10000,"payment":88849,"balance":921151})"));
  EXPECT_EQ(rows[1].at("due").as_string(), "2027-02-28");
  EXPECT_EQ(rows[2].at("due").as_string(), "2027-03-31");  // counted from the start, not from February
  EXPECT_EQ(rows[11].at("payment").as_int64(), 88'847);
  EXPECT_EQ(rows[11].at("balance").as_int64(), 0);

  auto text = Schedule(terms);
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("888.49"), std::string::npos);
  EXPECT_NE(text.out.find("661.86"), std::string::npos);

  auto csv = Schedule(terms + " --format csv");
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')), "n,due,principal,interest,payment,balance,capitalised");
  EXPECT_NE(csv.out.find("\n1,2027-01-31,788.49,100.00,888.49,9211.51,0.00\n"), std::string::npos) << csv.out;
}

TEST(ScheduleCli, OtherMethodsGraceHoursAndBadOptions) {
  auto hours = Schedule("--principal 10 --decimals 0 --method zero --periods 3 --period weekly --start 2026-12-28 --format csv");
  ASSERT_EQ(hours.code, 0) << hours.err;
  EXPECT_NE(hours.out.find("\n3,2027-01-18,4,0,4,0,0\n"), std::string::npos) << hours.out;

  auto flat = Schedule("--principal 1000000 --rate 0.12 --periods 12 --method flat --start 2026-12-31 --format json");
  ASSERT_EQ(flat.code, 0) << flat.err;
  EXPECT_EQ(boost::json::parse(flat.out).at("total_interest").as_int64(), 120'000);

  auto grace = Schedule("--principal 1000000 --rate 0.12 --periods 4 --grace-principal 2 --grace-interest 2 "
                        "--grace-interest-rule capitalised --start 2026-12-31 --format csv");
  ASSERT_EQ(grace.code, 0) << grace.err;
  EXPECT_NE(grace.out.find("\n2,2027-02-28,0.00,0.00,0.00,10201.00,101.00\n"), std::string::npos) << grace.out;

  auto bad = [](const std::string& args) {
    auto r = Schedule(args);
    EXPECT_EQ(r.code, 1) << args;
    return r.err;
  };
  EXPECT_NE(bad("--principal 10.5 --start 2027-01-31").find("--principal"), std::string::npos);
  EXPECT_NE(bad("--principal -5 --start 2027-01-31").find("--principal"), std::string::npos);
  EXPECT_NE(bad("--principal 0 --start 2027-01-31").find("--principal"), std::string::npos);
  EXPECT_NE(bad("--principal 100 --rate 1.01 --start 2027-01-31").find("--rate: 0 to 1"), std::string::npos);
  EXPECT_NE(bad("--principal 100 --rate 6% --start 2027-01-31").find("--rate"), std::string::npos);
  EXPECT_NE(bad("--principal 100 --rate 0.05 --method zero --start 2027-01-31").find("--rate"), std::string::npos);
  EXPECT_NE(bad("--principal 100 --start 2027-02-30").find("--start"), std::string::npos);
  EXPECT_NE(bad("--principal 100 --periods 3 --grace-principal 3 --start 2027-01-31").find("--grace-principal"), std::string::npos);
  EXPECT_NE(bad("--principal 100 --periods 0 --start 2027-01-31").find("--periods"), std::string::npos);
}

}  // namespace
