// `solidum surplus RULES.json ACTIVITY.csv`, the real binary: the worked SCOP example of
// the engine's tests (100,000.00; 15 % reserve, 5 % fund, 3 % on capital, half the rest
// by hours) in each format, the surplus given on the command line, and bad rules or rows
// named by file, field and line with exit code 1.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <fstream>

#include "../support/cli_run.h"

namespace {

using solidum::testing::CliRun;
using solidum::testing::RunSolidum;

std::string Write(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/surplus-" + std::to_string(getpid()) + "-" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

const char* kRules = R"({"surplus":10000000,"reserve_bp":1500,"reserve_min_bp":1500,"fund_bp":500,
  "share_interest_bp":300,"share_interest_cap_bp":400,"refunds_bp":5000,"basis":"hours"})";
const char* kActivity = "member,name,capital,patronage\nW-11,Ada,1000000,1000\nW-12,\"Ben, jr\",3000000,1500\nW-13,=cmd,0,500\n";

TEST(SurplusCli, TheWorkedExampleInEachFormat) {
  const std::string rules = Write("rules.json", kRules), activity = Write("activity.csv", kActivity);
  CliRun json = RunSolidum("surplus " + rules + " " + activity + " --format json");
  ASSERT_EQ(json.code, 0) << json.err;
  const auto v = boost::json::parse(json.out);
  EXPECT_EQ(v.at("surplus").as_int64(), 10'000'000);
  EXPECT_EQ(v.at("reserve").as_int64(), 1'500'000);
  EXPECT_EQ(v.at("fund").as_int64(), 500'000);
  EXPECT_EQ(v.at("interest").as_int64(), 120'000);
  EXPECT_EQ(v.at("refunds").as_int64(), 3'940'000);
  EXPECT_EQ(v.at("retained").as_int64(), 3'940'000);
  const auto& members = v.at("members").as_array();
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0], boost::json::parse(R"({"member":"W-11","interest":30000,"refund":1313333})"));
  EXPECT_EQ(members[2], boost::json::parse(R"({"member":"W-13","interest":0,"refund":656667})"));

  CliRun csv = RunSolidum("surplus " + rules + " " + activity + " --format csv");
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out, "member,name,interest,refund,total\nW-11,Ada,30000,1313333,1343333\nW-12,\"Ben, jr\",90000,1970000,2060000\n"
                     "W-13,'=cmd,0,656667,656667\n");  // a name that looks like a formula is defused

  CliRun text = RunSolidum("surplus " + rules + " " + activity);
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("100000.00"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("refunds by hours"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("13133.33"), std::string::npos) << text.out;

  // The year's result from the command line, rules without it.
  const std::string no_surplus = Write("rules2.json", R"({"reserve_bp":1500,"refunds_bp":10000})");
  CliRun given = RunSolidum("surplus " + no_surplus + " " + activity + " --surplus 1000 --format json");
  ASSERT_EQ(given.code, 0) << given.err;
  EXPECT_EQ(boost::json::parse(given.out).at("reserve").as_int64(), 150);
  EXPECT_EQ(boost::json::parse(given.out).at("refunds").as_int64(), 850);
}

TEST(SurplusCli, BadRulesAndRowsAreNamed) {
  const std::string activity = Write("good.csv", kActivity);
  auto fails = [&](const std::string& rules, const std::string& csv, const std::string& says) {
    CliRun r = RunSolidum("surplus " + Write("r.json", rules) + " " + Write("a.csv", csv) + " --format json");
    EXPECT_EQ(r.code, 1) << rules << csv;
    EXPECT_EQ(r.out, "") << rules << csv;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
  };
  fails(R"({"surplus":1000,"reserve_bp":6000,"fund_bp":5000})", kActivity, "/rules/fund_bp");  // 110 %
  fails(R"({"surplus":1000,"reserve_bp":12000})", kActivity, "/reserve_bp");                    // over 100 %
  fails(R"({"surplus":1000,"reserve_bp":1000,"reserve_min_bp":1500})", kActivity, "/rules/reserve_bp");
  fails(R"({"surplus":100000,"share_interest_bp":500,"share_interest_cap_bp":500})", kActivity, "/rules/interest_at_most_refunds");
  fails(R"({"reserve_bp":1000})", kActivity, "/surplus");
  fails("{not json", kActivity, "not JSON");
  fails(kRules, "member,capital,patronage\nA,1,1\nB,x,1\n", "a.csv:3:");
  fails(kRules, "member,capital,patronage\nA,1,1\nA,1,1\n", "a.csv:3: The member A is already on line 2");
  CliRun missing = RunSolidum("surplus /nonexistent/rules.json " + activity);
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("Cannot open /nonexistent/rules.json"), std::string::npos) << missing.err;
}

}  // namespace
