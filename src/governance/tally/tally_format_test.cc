#include "governance/tally/tally_format.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "governance/tally/blt.h"

namespace solidum::tally {
namespace {

const std::string kColdside = std::string(SOLIDUM_SOURCE_DIR) + "/../shared/conformance/stv/official/dundee22_coldside.blt";

TEST(TallyFormat, JsonHasThePromisedShape) {
  auto file = ReadBltFile(kColdside);
  ASSERT_TRUE(file.ok());
  auto t = Count(file->election, Options{});
  ASSERT_TRUE(t.ok());
  const auto v = boost::json::parse(TallyJson(file->election, *t)).as_object();
  EXPECT_EQ(v.at("seats").as_int64(), 4);
  EXPECT_EQ(v.at("quota").as_string(), "1118.00000");
  const auto& elected = v.at("elected").as_array();
  ASSERT_EQ(elected.size(), 4u);
  EXPECT_EQ(elected[0].as_string(), "Heather ANDERSON");
  EXPECT_EQ(elected[1].as_string(), "Mark FLYNN");
  const auto& stages = v.at("stages").as_array();
  ASSERT_EQ(stages.size(), 9u);
  const auto& first = stages[0].as_object();
  EXPECT_EQ(first.at("votes").as_object().size(), 9u);
  EXPECT_EQ(first.at("votes").at("Naveed ALI").as_string(), "444.00000");
  EXPECT_EQ(first.at("non_transferable").as_string(), "0.00000");
  EXPECT_TRUE(first.at("surplus").is_null());
  EXPECT_EQ(stages[1].at("surplus").as_string(), "Heather ANDERSON");
  EXPECT_EQ(stages[1].at("votes").at("Mark FLYNN").as_string(), "1275.20556");
  EXPECT_EQ(stages[3].at("excluded").as_array().at(0).as_string(), "Wayne SCOTT");
}

TEST(TallyFormat, CsvHasAColumnPerStageAndTextNamesTheElected) {
  auto file = ReadBltFile(kColdside);
  ASSERT_TRUE(file.ok());
  auto t = Count(file->election, Options{});
  ASSERT_TRUE(t.ok());
  const std::string csv = TallyCsv(file->election, *t);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")), "candidate,affiliation,stage 1,stage 2,stage 3,stage 4,stage 5,stage 6,stage 7,stage 8,stage 9");
  EXPECT_NE(csv.find("Heather ANDERSON,Scottish National Party (SNP),1737.00000,1118.00000"), std::string::npos);
  EXPECT_NE(csv.find("Action,,First preferences,Surplus of Heather ANDERSON"), std::string::npos);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 9 + 4);
  const std::string text = TallyText(file->election, *t);
  EXPECT_NE(text.find("Scottish STV, 4 seats, 5589 valid votes, quota 1118.00000"), std::string::npos);
  EXPECT_NE(text.find("4. Helen WRIGHT (Scottish Labour Party)"), std::string::npos);
}

}  // namespace
}  // namespace solidum::tally
