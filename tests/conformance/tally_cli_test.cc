// `solidum tally`, the real binary: its JSON for every official Scottish count equals the
// official stages, and a bad file is refused with FILE:LINE: and exit code 1.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>

#include "../support/cli_run.h"

namespace {

const std::string kDir = std::string(SOLIDUM_SOURCE_DIR) + "/../shared/conformance/stv/official/";

using solidum::testing::CliRun;

CliRun Tally(const std::string& args) { return solidum::testing::RunSolidum("tally " + args); }

std::string ReadAll(const std::string& path) { return solidum::testing::ReadWhole(path); }

// "1118" and "1118.00000" are the same quota.
std::string Padded(std::string q) { return q.find('.') == std::string::npos ? q + ".00000" : q; }

TEST(TallyCli, JsonOfEveryOfficialScottishCountEqualsTheOfficialStages) {
  for (const char* ward : {"dundee22_strathmartine", "dundee22_west_end", "dundee22_coldside", "dundee22_maryfield",
                           "dundee22_north_east", "dundee22_east_end", "dundee22_the_ferry", "linn07"}) {
    SCOPED_TRACE(ward);
    const CliRun r = Tally(kDir + ward + ".blt --method scottish --format json");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto got = boost::json::parse(r.out).as_object();
    const auto want = boost::json::parse(ReadAll(kDir + ward + "_stages.json")).as_object();
    EXPECT_EQ(got.at("seats"), want.at("seats"));
    EXPECT_EQ(Padded(std::string(got.at("quota").as_string())), Padded(std::string(want.at("quota").as_string())));
    const auto& gs = got.at("stages").as_array();
    const auto& ws = want.at("stages").as_array();
    ASSERT_EQ(gs.size(), ws.size());
    std::size_t elected = 0;
    for (std::size_t i = 0; i < ws.size(); ++i) {
      for (const auto& [name, v] : ws[i].at("votes").as_object()) {
        if (!v.is_null()) {
          EXPECT_EQ(gs[i].at("votes").at(name), v) << "stage " << i + 1 << " " << std::string(name);
        }
      }
      EXPECT_EQ(gs[i].at("non_transferable"), ws[i].at("non_transferable")) << "stage " << i + 1;
      EXPECT_EQ(gs[i].at("surplus"), ws[i].at("surplus")) << "stage " << i + 1;
      EXPECT_EQ(gs[i].at("excluded"), ws[i].at("excluded")) << "stage " << i + 1;
      // Same people elected at each stage (the official lists are in ballot-paper order).
      auto names = [](const boost::json::value& v) {
        std::vector<std::string> out;
        for (const auto& n : v.as_array()) out.emplace_back(n.as_string());
        std::sort(out.begin(), out.end());
        return out;
      };
      EXPECT_EQ(names(gs[i].at("elected")), names(ws[i].at("elected"))) << "stage " << i + 1;
      elected += ws[i].at("elected").as_array().size();
    }
    EXPECT_EQ(got.at("elected").as_array().size(), elected);
  }
}

TEST(TallyCli, OtherMethodsAndFormats) {
  const CliRun meek = Tally(kDir + "ers97.blt --method meek --format json");
  ASSERT_EQ(meek.code, 0) << meek.err;
  EXPECT_NE(meek.err.find("warning: 31 ballot line(s) lack their closing 0"), std::string::npos) << meek.err;
  EXPECT_EQ(boost::json::parse(meek.out).at("elected").as_array().size(), 6u);
  const CliRun csv = Tally(kDir + "linn07.blt --format csv --seats 2");
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("candidate,affiliation,stage 1", 0), 0u);
  const CliRun irv = Tally(kDir + "linn07.blt --method irv --seats 1");
  ASSERT_EQ(irv.code, 0) << irv.err;
  EXPECT_NE(irv.out.find("Instant runoff, 1 seat, 9567 valid votes"), std::string::npos) << irv.out;
  const CliRun plurality = Tally(kDir + "linn07.blt --method plurality --format json");
  ASSERT_EQ(plurality.code, 0);
  EXPECT_TRUE(boost::json::parse(plurality.out).at("quota").is_null());
}

TEST(TallyCli, ABadFileIsRefusedWithItsNameAndLine) {
  const std::string path = ::testing::TempDir() + "/bad-" + std::to_string(getpid()) + ".blt";
  std::ofstream(path) << "3 1\n1 1 2 0\n1 2 2 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"T\"\n";
  const CliRun r = Tally(path);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "solidum tally: " + path + ":3: candidate 2 is ranked twice on one ballot\n");
  const CliRun seats = Tally(kDir + "linn07.blt --method irv");
  EXPECT_EQ(seats.code, 1);
  EXPECT_NE(seats.err.find("instant runoff fills one seat"), std::string::npos) << seats.err;
  const CliRun missing = Tally("/nonexistent.blt");
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("cannot read /nonexistent.blt"), std::string::npos) << missing.err;
}

}  // namespace
