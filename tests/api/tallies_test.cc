// POST /api/v1/tallies through the real server: an official count reproduced over HTTP,
// the other formats, and bad files refused with the line named.
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "fixture.h"

namespace solidum::testing {
namespace {

const std::string kDir = std::string(SOLIDUM_SOURCE_DIR) + "/../shared/conformance/stv/official/";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_F(ApiTest, TalliesReproduceAnOfficialCountOverHttp) {
  const auto token = NewUser("officer@example.org");
  const std::string blt = ReadAll(kDir + "dundee22_the_ferry.blt");
  auto r = http_->Send("POST", "/api/v1/tallies?method=scottish", blt, Bearer(token));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto got = r.Json();
  const auto want = boost::json::parse(ReadAll(kDir + "dundee22_the_ferry_stages.json"));
  EXPECT_EQ(got.at("title").as_string(), "Ward 8 - The Ferry");
  EXPECT_EQ(got.at("valid_votes"), want.at("valid_votes"));
  const auto& gs = got.at("stages").as_array();
  const auto& ws = want.at("stages").as_array();
  ASSERT_EQ(gs.size(), ws.size());
  for (std::size_t i = 0; i < ws.size(); ++i) {
    EXPECT_EQ(gs[i].at("votes"), ws[i].at("votes")) << "stage " << i + 1;
    EXPECT_EQ(gs[i].at("non_transferable"), ws[i].at("non_transferable")) << "stage " << i + 1;
  }

  auto meek = http_->Send("POST", "/api/v1/tallies?method=meek&format=json", ReadAll(kDir + "ers97.blt"), Bearer(token));
  ASSERT_EQ(meek.status, 200) << meek.body;
  EXPECT_EQ(meek.Json().at("warnings").as_array().at(0).at("line").as_int64(), 5);
  auto csv = http_->Send("POST", "/api/v1/tallies?format=csv&seats=2", blt, Bearer(token));
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.rfind("candidate,affiliation,stage 1", 0), 0u);
}

TEST_F(ApiTest, TalliesRefuseBadFilesAndParametersClearly) {
  const auto token = NewUser("officer@example.org");
  const std::string names = "\"A\"\n\"B\"\n\"C\"\n\"T\"\n";
  EXPECT_EQ(http_->Send("POST", "/api/v1/tallies", "3 1\n1 1 0\n0\n" + names).status, 401);

  auto repeated = http_->Send("POST", "/api/v1/tallies", "3 1\n1 1 2 0\n1 3 3 0\n0\n" + names, Bearer(token));
  EXPECT_EQ(repeated.status, 400);
  EXPECT_EQ(repeated.Code(), "invalid_blt");
  EXPECT_EQ(repeated.Fields(), std::vector<std::string>{"line 3 repeated_preference"});
  auto range = http_->Send("POST", "/api/v1/tallies", "3 1\n1 1 9 0\n0\n" + names, Bearer(token));
  EXPECT_EQ(range.Fields(), std::vector<std::string>{"line 2 candidate_out_of_range"});
  auto unended = http_->Send("POST", "/api/v1/tallies", "3 1\n1 1 0\n" + names, Bearer(token));
  EXPECT_EQ(unended.Fields(), std::vector<std::string>{"line 3 missing_end_of_ballots"});
  auto irv = http_->Send("POST", "/api/v1/tallies?method=irv&seats=2", "3 1\n1 1 0\n0\n" + names, Bearer(token));
  EXPECT_EQ(irv.status, 400);
  EXPECT_EQ(irv.Fields(), std::vector<std::string>{"seats irv_single_seat"});
  EXPECT_EQ(http_->Send("POST", "/api/v1/tallies?method=borda", "", Bearer(token)).Fields(),
            std::vector<std::string>{"?method unknown_term"});
  EXPECT_EQ(http_->Send("POST", "/api/v1/tallies?seats=0", "", Bearer(token)).Fields(),
            std::vector<std::string>{"?seats invalid_value"});
  EXPECT_EQ(http_->Send("POST", "/api/v1/tallies?count=1", "", Bearer(token)).Fields(),
            std::vector<std::string>{"?count unknown_parameter"});
  // Above the upload limit: 413 before anything is read into a count.
  auto huge = http_->Raw("POST /api/v1/tallies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                         "\r\nContent-Length: 2147483648\r\n\r\n3 1\n");
  EXPECT_EQ(huge.status, 413);
  EXPECT_NE(huge.body.find("33554432"), std::string::npos) << huge.body;
}

}  // namespace
}  // namespace solidum::testing
