// Reproduces, stage by stage, the official counts in ../shared/conformance/stv/official:
// seven Dundee 2022 wards and Glasgow Linn 2007 by the Scottish rule (every candidate's
// total and the non-transferable votes to 5 decimals, who was elected, excluded, whose
// surplus moved), and the ERS97 model election against a reference Meek count.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "governance/tally/blt.h"
#include "governance/tally/count.h"
#include "governance/tally/tally_format.h"

namespace solidum::tally {
namespace {

const std::string kDir = std::string(SOLIDUM_SOURCE_DIR) + "/../shared/conformance/stv/official/";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "1118" or "1118.00000" -> units of 10^-5.
std::int64_t Fixed5(std::string_view s) {
  std::int64_t whole = 0, frac = 0;
  int digits = 0;
  bool after = false;
  for (char c : s) {
    if (c == '.') { after = true; continue; }
    if (after) { frac = frac * 10 + (c - '0'); ++digits; }
    else whole = whole * 10 + (c - '0');
  }
  while (digits < 5) { frac *= 10; ++digits; }
  return whole * 100000 + frac;
}

std::set<std::string> Names(const Election& e, const std::vector<CandidateIndex>& list) {
  std::set<std::string> out;
  for (CandidateIndex c : list) out.insert(e.candidates[c].name);
  return out;
}

std::set<std::string> JsonNames(const boost::json::value& v) {
  std::set<std::string> out;
  for (const auto& n : v.as_array()) out.insert(std::string(n.as_string()));
  return out;
}

class ScottishConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(ScottishConformance, EveryStageMatchesTheOfficialReport) {
  const std::string name = GetParam();
  auto file = ReadBltFile(kDir + name + ".blt");
  ASSERT_TRUE(file.ok()) << file.error().message;
  const Election& e = file->election;
  const boost::json::value expected = boost::json::parse(ReadAll(kDir + name + "_stages.json"));
  const auto& exp = expected.as_object();

  auto tally = Count(e, Options{Method::kScottish, 0, 1, {}});
  ASSERT_TRUE(tally.ok()) << tally.error().message;
  const Tally& t = *tally;
  EXPECT_EQ(t.seats, exp.at("seats").as_int64());
  EXPECT_EQ(t.valid_papers, exp.at("valid_votes").as_int64());
  EXPECT_EQ(FormatFixed(t.quota, 5), FormatFixed(Fixed5(exp.at("quota").as_string()), 5));
  const auto& stages = exp.at("stages").as_array();
  ASSERT_EQ(t.stages.size(), stages.size()) << TallyText(e, t);

  std::set<std::string> winners;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    SCOPED_TRACE(name + " stage " + std::to_string(i + 1));
    const auto& want = stages[i].as_object();
    const Stage& got = t.stages[i];
    for (const auto& [cand, value] : want.at("votes").as_object()) {
      if (value.is_null()) continue;  // excluded earlier; the report prints no figure
      const auto it = std::find_if(e.candidates.begin(), e.candidates.end(), [&](const Candidate& c) { return c.name == cand; });
      ASSERT_NE(it, e.candidates.end()) << cand;
      EXPECT_EQ(FormatFixed(got.votes[static_cast<std::size_t>(it - e.candidates.begin())], 5), std::string(value.as_string())) << cand;
    }
    EXPECT_EQ(FormatFixed(got.non_transferable, 5), std::string(want.at("non_transferable").as_string()));
    EXPECT_EQ(Names(e, got.elected), JsonNames(want.at("elected")));
    EXPECT_EQ(Names(e, got.excluded), JsonNames(want.at("excluded")));
    if (want.at("surplus").is_null()) {
      EXPECT_FALSE(got.surplus.has_value());
    } else {
      ASSERT_TRUE(got.surplus.has_value());
      EXPECT_EQ(e.candidates[*got.surplus].name, std::string(want.at("surplus").as_string()));
    }
    for (const auto& n : want.at("elected").as_array()) winners.insert(std::string(n.as_string()));
    // Votes are conserved: candidates + non-transferable = valid votes, exactly.
    std::int64_t sum = got.non_transferable;
    for (std::int64_t v : got.votes) sum += v;
    EXPECT_EQ(sum, t.valid_papers * 100000);
  }
  EXPECT_EQ(Names(e, t.elected), winners);
  EXPECT_EQ(t.elected.size(), static_cast<std::size_t>(t.seats));
}

INSTANTIATE_TEST_SUITE_P(Official, ScottishConformance,
                         ::testing::Values("dundee22_strathmartine", "dundee22_west_end", "dundee22_coldside",
                                           "dundee22_maryfield", "dundee22_north_east", "dundee22_east_end",
                                           "dundee22_the_ferry", "linn07"));

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::stringstream ss(line);
  while (std::getline(ss, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

// "107.26" -> hundredths.
std::int64_t Hundredths(const std::string& s) {
  const auto dot = s.find('.');
  std::int64_t whole = std::stoll(s.substr(0, dot));
  std::int64_t frac = 0;
  if (dot != std::string::npos) {
    std::string f = s.substr(dot + 1);
    f.resize(2, '0');
    frac = std::stoll(f);
  }
  return whole * 100 + frac;
}

// 9-decimal fixed -> hundredths, rounded half up.
std::int64_t RoundHundredths(std::int64_t v) { return (v + 5'000'000) / 10'000'000; }

TEST(MeekConformance, Ers97MatchesTheReferenceCountAtEveryReportedStage) {
  auto file = ReadBltFile(kDir + "ers97.blt");
  ASSERT_TRUE(file.ok()) << file.error().message;
  const Election& e = file->election;
  auto tally = Count(e, Options{Method::kMeek, 0, 1, {}});
  ASSERT_TRUE(tally.ok()) << tally.error().message;
  const Tally& t = *tally;

  std::ifstream in(kDir + "ers97_meek_reference.csv");
  std::string line;
  std::map<std::string, std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto cells = SplitCsv(line);
    if (!cells.empty()) rows[cells[0]] = cells;
  }
  // The reference's stages 1, 2, 4, 6, 9 and 11 (surpluses distributed) are this count's
  // stages 1, 2, 4, 5, 7 and 9: the reference shows an exclusion and the redistribution
  // after it as two stages, this count as one.
  const std::vector<std::pair<int, std::size_t>> pairs = {{1, 1}, {2, 2}, {4, 4}, {6, 5}, {9, 7}, {11, 9}};
  ASSERT_GE(t.stages.size(), 9u) << TallyText(e, t);
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const auto [ref_stage, our_stage] = pairs[k];
    SCOPED_TRACE("reference stage " + std::to_string(ref_stage));
    const std::size_t col = 1 + 2 * k;
    ASSERT_EQ(rows["Stage:"][col], std::to_string(ref_stage));
    const Stage& s = t.stages[our_stage - 1];
    for (std::size_t c = 0; c < e.candidates.size(); ++c) {
      const auto& row = rows.at(e.candidates[c].name);
      if (row[col + 1] == "EX") continue;
      EXPECT_EQ(RoundHundredths(s.votes[c]), Hundredths(row[col])) << e.candidates[c].name << "\n" << TallyText(e, t);
    }
    EXPECT_EQ(RoundHundredths(s.quota), Hundredths(rows.at("Quota")[col]));
    EXPECT_LE(std::abs(RoundHundredths(s.non_transferable) - Hundredths(rows.at("Exhausted")[col])), 2);
    std::int64_t sum = s.non_transferable;
    for (std::int64_t v : s.votes) sum += v;
    EXPECT_EQ(sum, t.valid_papers * 1'000'000'000);
  }
  EXPECT_EQ(Names(e, t.elected), (std::set<std::string>{"Smith", "Carpenter", "Duke", "Prince", "Vicar", "Freeman"}));
}

}  // namespace
}  // namespace solidum::tally
