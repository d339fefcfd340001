// `solidum clear`, the real binary, on the obligation networks in
// ../shared/datasets/obligations: its cleared amounts equal the optimal set-offs listed in
// that folder's SOURCES.md (computed elsewhere, with networkx), every firm keeps its net
// position, and what it leaves cannot be set off any further.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../support/cli_run.h"

namespace {

using solidum::testing::ReadWhole;
using solidum::testing::RunSolidum;

const std::string kDir = std::string(SOLIDUM_SOURCE_DIR) + "/../shared/datasets/obligations/";

struct Expected {
  std::string file;
  std::int64_t obligations, firms, total, cleared;
};

std::int64_t Number(std::string s) {
  std::string digits;
  for (char c : s) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return std::stoll(digits);
}

// The table in SOURCES.md: | file | obligations | firms | total debt | optimal set-off |
std::vector<Expected> ExpectedFromSources() {
  std::vector<Expected> out;
  std::istringstream in(ReadWhole(kDir + "SOURCES.md"));
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("| synthetic_network_")) continue;
    std::vector<std::string> cells;
    std::istringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) cells.push_back(cell);
    if (cells.size() < 5) continue;
    out.push_back({cells[0].substr(1, cells[0].find(' ', 1) - 1), Number(cells[1]), Number(cells[2]), Number(cells[3]), Number(cells[4])});
  }
  return out;
}

// Net position (owed minus owes) per firm, from a CSV of debtor,creditor,amount.
std::map<std::string, std::int64_t> NetPositions(const std::string& csv, std::int64_t* total) {
  std::map<std::string, std::int64_t> net;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  *total = 0;
  while (std::getline(in, line)) {
    auto a = line.find(','), b = line.find(',', a + 1);
    const std::int64_t amount = std::stoll(line.substr(b + 1));
    net[line.substr(0, a)] -= amount;
    net[line.substr(a + 1, b - a - 1)] += amount;
    *total += amount;
  }
  return net;
}

TEST(SetOffConformance, ClearsTheOptimalSetOffOfEveryDatasetAndKeepsEveryNetPosition) {
  const auto expected = ExpectedFromSources();
  ASSERT_EQ(expected.size(), 3u) << "the table in SOURCES.md";
  for (const auto& e : expected) {
    SCOPED_TRACE(e.file);
    const std::string remaining = ::testing::TempDir() + "/remaining-" + e.file, firms = ::testing::TempDir() + "/firms-" + e.file;
    const auto r = RunSolidum("clear " + kDir + e.file + " --format json --remaining " + remaining + " --firms " + firms);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto got = boost::json::parse(r.out).as_object();
    ASSERT_EQ(got.size(), 6u) << r.out;  // exactly the documented shape
    EXPECT_EQ(got.at("obligations").as_int64(), e.obligations);
    EXPECT_EQ(got.at("firms").as_int64(), e.firms);
    EXPECT_EQ(got.at("total").as_int64(), e.total);
    EXPECT_EQ(got.at("cleared").as_int64(), e.cleared);
    EXPECT_EQ(got.at("cleared").as_int64() + got.at("remaining").as_int64(), e.total);

    // The obligations left keep every firm's net position and add up to what is left.
    std::int64_t total_before = 0, total_after = 0;
    const auto before = NetPositions(ReadWhole(kDir + e.file), &total_before);
    const auto after = NetPositions(ReadWhole(remaining), &total_after);
    EXPECT_EQ(total_before, e.total);
    EXPECT_EQ(total_after, got.at("remaining").as_int64());
    std::size_t changed = 0;
    for (const auto& [firm, net] : before) {
      auto it = after.find(firm);
      if ((it == after.end() ? 0 : it->second) != net) ++changed;
    }
    EXPECT_EQ(changed, 0u);
    // The net internal debt is the sum of net debtors' positions.
    std::int64_t nid = 0;
    for (const auto& [firm, net] : before) nid += net < 0 ? -net : 0;
    EXPECT_EQ(got.at("nid").as_int64(), nid);

    // Each firm's set-off, summed over firms, is what was cleared.
    std::istringstream f(ReadWhole(firms));
    std::string line;
    std::getline(f, line);
    EXPECT_EQ(line, "firm,owes,owed,set_off,owes_after,owed_after,net_position");
    std::int64_t set_off = 0, rows = 0;
    while (std::getline(f, line)) {
      std::vector<std::string> cells;
      std::istringstream row(line);
      for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
      ASSERT_EQ(cells.size(), 7u) << line;
      set_off += std::stoll(cells[3]);
      EXPECT_EQ(std::stoll(cells[6]), before.at(cells[0])) << line;
      ++rows;
    }
    EXPECT_EQ(rows, e.firms);
    EXPECT_EQ(set_off, e.cleared);

    // Optimal: nothing is left to set off in what remains.
    const auto again = RunSolidum("clear " + remaining + " --format json");
    ASSERT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(boost::json::parse(again.out).at("cleared").as_int64(), 0);
    std::remove(remaining.c_str());
    std::remove(firms.c_str());
  }
}

TEST(ClearCli, ABadFileIsRefusedWithItsLineAndNothingIsWritten) {
  const std::string bad = ::testing::TempDir() + "/bad-obligations.csv", out = ::testing::TempDir() + "/bad-remaining.csv";
  std::remove(out.c_str());
  {
    std::FILE* f = std::fopen(bad.c_str(), "w");
    std::fputs("debtor,creditor,amount\nA,B,10\nB,C,12.5\n", f);
    std::fclose(f);
  }
  const auto r = RunSolidum("clear " + bad + " --remaining " + out);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(bad + ":3: The amount \"12.5\" is not a positive whole number"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(std::fopen(out.c_str(), "r"), nullptr);
  const auto missing = RunSolidum("clear " + bad + ".missing");
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("Cannot open"), std::string::npos) << missing.err;
  std::remove(bad.c_str());
}

TEST(ClearCli, TextSummaryForPeople) {
  const std::string file = ::testing::TempDir() + "/cycle.csv";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    std::fputs("debtor,creditor,amount,id\nA,B,1000000,x1\nB,C,500000,x2\nC,A,700000,x3\n", f);
    std::fclose(f);
  }
  const auto r = RunSolidum("clear " + file);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Total debt         2,200,000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Cleared            1,500,000  (68.18 %)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Remaining          700,000"), std::string::npos) << r.out;
  // Standard input, and the ids kept in the obligations left.
  const std::string left = ::testing::TempDir() + "/cycle-left.csv";
  const auto piped = RunSolidum("clear - --format json --remaining " + left + " < " + file);
  ASSERT_EQ(piped.code, 0) << piped.err;
  EXPECT_EQ(ReadWhole(left), "debtor,creditor,amount,id\nA,B,500000,x1\nC,A,200000,x3\n");
  std::remove(file.c_str());
  std::remove(left.c_str());
}

}  // namespace
