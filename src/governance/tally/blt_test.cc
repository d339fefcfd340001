#include "governance/tally/blt.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "governance/tally/count.h"

namespace solidum::tally {
namespace {

const std::string kOfficial = std::string(SOLIDUM_SOURCE_DIR) + "/../shared/conformance/stv/official/";

std::string ErrorLine(const Result<BltFile>& r) { return r.ok() ? "ok" : r.error().fields.at(0).field; }
std::string ErrorCode(const Result<BltFile>& r) { return r.ok() ? "ok" : r.error().fields.at(0).code; }

TEST(Blt, ReadsCommentsWithdrawnIdsAffiliationsAndTitle) {
  const std::string text =
      "# Comment: a test\r\n"
      "# Source: nowhere\r\n"
      "4 2\r\n"
      "-4\r\n"
      "3 1 2 0\r\n"
      "(b7) 2 2 4 3 0\r\n"
      "1 4 0\r\n"
      "1 3 1 0\r\n"
      "0\r\n"
      "\"Ann\" \"Greens\"\r\n"
      "\"Bo\"\r\n"
      "\"Cy\" \"Co-op\"\r\n"
      "\"Di\"\r\n"
      "\"Board 2026\"\r\n";
  auto r = ParseBlt(text);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Election& e = r->election;
  EXPECT_EQ(e.seats, 2);
  ASSERT_EQ(e.candidates.size(), 4u);
  EXPECT_EQ(e.candidates[0].name, "Ann");
  EXPECT_EQ(e.candidates[0].affiliation, "Greens");
  EXPECT_EQ(e.candidates[1].affiliation, "");
  EXPECT_TRUE(e.candidates[3].withdrawn);
  EXPECT_EQ(e.title, "Board 2026");
  // The withdrawn candidate is taken out of the ballots; a ballot left empty is not counted.
  ASSERT_EQ(e.ballot_count(), 3u);
  EXPECT_EQ(std::vector<CandidateIndex>(e.ballot(1).begin(), e.ballot(1).end()), (std::vector<CandidateIndex>{1, 2}));
  EXPECT_EQ(e.weights, (std::vector<std::int64_t>{3, 2, 1}));
  EXPECT_EQ(r->empty_papers, 1);
  EXPECT_EQ(e.PaperCount(), 6);
}

TEST(Blt, WriteThenReadGivesTheSameElection) {
  for (const char* name : {"dundee22_coldside.blt", "linn07.blt", "ers97.blt"}) {
    auto first = ReadBltFile(kOfficial + name);
    ASSERT_TRUE(first.ok()) << name;
    auto again = ParseBlt(WriteBlt(first->election));
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE(again->warnings.empty());
    const Election& a = first->election;
    const Election& b = again->election;
    EXPECT_EQ(a.seats, b.seats);
    EXPECT_EQ(a.title, b.title);
    ASSERT_EQ(a.candidates.size(), b.candidates.size());
    for (std::size_t i = 0; i < a.candidates.size(); ++i) {
      EXPECT_EQ(a.candidates[i].name, b.candidates[i].name);
      EXPECT_EQ(a.candidates[i].affiliation, b.candidates[i].affiliation);
    }
    EXPECT_EQ(a.prefs, b.prefs);
    EXPECT_EQ(a.offsets, b.offsets);
    EXPECT_EQ(a.weights, b.weights);
  }
}

TEST(Blt, KeepsTheOfficialFilesPartiesAsAffiliations) {
  auto r = ReadBltFile(kOfficial + "dundee22_coldside.blt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->election.candidates[2].name, "Heather ANDERSON");
  EXPECT_EQ(r->election.candidates[2].affiliation, "Scottish National Party (SNP)");
  EXPECT_EQ(r->election.title, "Ward 4 - Coldside");
  EXPECT_EQ(r->election.PaperCount(), 5589);
}

TEST(Blt, BallotLinesWithoutTheirClosingZeroAreReadWithAWarning) {
  auto r = ReadBltFile(kOfficial + "ers97.blt");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0].line, 5u);
  EXPECT_NE(r->warnings[0].message.find("31 ballot line"), std::string::npos);
  EXPECT_EQ(r->election.PaperCount(), 753);
}

struct BadCase {
  std::string name, text, line, code;
};

TEST(Blt, MalformedFilesAreRefusedNamingTheLine) {
  const std::string names = "\"A\"\n\"B\"\n\"C\"\n\"T\"\n";
  const std::vector<BadCase> cases = {
      {"empty file", "", "line 1", "missing_header"},
      {"header not numbers", "three 1\n", "line 1", "bad_header"},
      {"header with one number", "# c\n3\n", "line 2", "bad_header"},
      {"more seats than candidates", "3 4\n0\n" + names, "line 1", "bad_seat_count"},
      {"no candidates", "0 0\n", "line 1", "bad_candidate_count"},
      {"too many candidates", "1001 1\n", "line 1", "bad_candidate_count"},
      {"candidate out of range", "3 1\n1 1 2 0\n2 3 4 0\n0\n" + names, "line 3", "candidate_out_of_range"},
      {"negative preference", "3 1\n1 1 -2 0\n0\n" + names, "line 2", "candidate_out_of_range"},
      {"repeated preference", "3 1\n1 1 2 0\n1 2 3 2 0\n0\n" + names, "line 3", "repeated_preference"},
      {"equal preferences", "3 1\n1 1=2 3 0\n0\n" + names, "line 2", "equal_preferences"},
      {"text after closing zero", "3 1\n1 1 0 2\n0\n" + names, "line 2", "text_after_ballot"},
      {"fractional weight", "3 1\n1.5 1 0\n0\n" + names, "line 2", "bad_weight"},
      {"negative weight", "3 1\n1 1 0\n-2 1 0\n0\n" + names, "line 3", "bad_weight"},
      {"zero weight with preferences", "3 1\n0 1 2 0\n0\n" + names, "line 2", "bad_weight"},
      {"weight that overflows", "3 1\n99999999999999999999 1 0\n0\n" + names, "line 2", "bad_weight"},
      {"papers over the limit", "3 1\n999999999 1 0\n2 2 0\n0\n" + names, "line 3", "too_many_papers"},
      {"no end of ballots before names", "3 1\n1 1 0\n" + names, "line 3", "missing_end_of_ballots"},
      {"file ends in the ballots", "3 1\n1 1 0\n2 2 3 0\n", "line 4", "missing_end_of_ballots"},
      {"missing names", "3 1\n1 1 0\n0\n\"A\"\n\"B\"\n", "line 6", "missing_names"},
      {"too many names", "3 1\n1 1 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"D\"\n\"T\"\n", "line 8", "text_after_title"},
      {"unquoted name", "3 1\n1 1 0\n0\n\"A\"\nB\n\"C\"\n\"T\"\n", "line 5", "bad_name"},
      {"unclosed quote", "3 1\n1 1 0\n0\n\"A\"\n\"B\n\"C\"\n\"T\"\n", "line 5", "bad_name"},
      {"duplicate name", "3 1\n1 1 0\n0\n\"A\"\n\"A\"\n\"C\"\n\"T\"\n", "line 5", "duplicate_name"},
      {"empty name", "3 1\n1 1 0\n0\n\"A\"\n\" \"\n\"C\"\n\"T\"\n", "line 5", "bad_name"},
      {"not UTF-8", "3 1\n1 1 0\n0\n\"A\"\n\"\xff\"\n\"C\"\n\"T\"\n", "line 5", "bad_name"},
      {"comment in the ballots", "3 1\n1 1 0\n# no\n0\n" + names, "line 3", "comment_in_body"},
      {"bad withdrawn", "3 1\n-4\n1 1 0\n0\n" + names, "line 2", "bad_withdrawn"},
      {"unclosed ballot id", "3 1\n(id 1 1 0\n0\n" + names, "line 2", "bad_ballot_id"},
  };
  for (const auto& c : cases) {
    auto r = ParseBlt(c.text);
    EXPECT_FALSE(r.ok()) << c.name;
    if (r.ok()) continue;
    EXPECT_EQ(r.error().code, "invalid_blt") << c.name;
    EXPECT_EQ(ErrorLine(r), c.line) << c.name << ": " << r.error().message;
    EXPECT_EQ(ErrorCode(r), c.code) << c.name << ": " << r.error().message;
    EXPECT_EQ(r.error().message.rfind(c.line + ": ", 0), 0u) << c.name << ": " << r.error().message;
  }
}

TEST(Blt, ATwoGigabyteFileIsRefusedWithoutReadingIt) {
  const std::string path = ::testing::TempDir() + "/huge-" + std::to_string(::getpid()) + ".blt";
  {
    std::ofstream f(path);
    f << "3 1\n";
  }
  std::filesystem::resize_file(path, 2ull << 30);  // sparse: no disk is used
  auto r = ReadBltFile(path);
  std::filesystem::remove(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at(0).code, "too_large");
  EXPECT_NE(r.error().fields.at(0).message.find("2048 MiB"), std::string::npos) << r.error().fields.at(0).message;
}

TEST(Blt, AMissingFileIsAClearError) {
  auto r = ReadBltFile("/nonexistent/x.blt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at(0).code, "unreadable");
}

// Thousands of random corruptions of a real file: each is read or refused with a line
// inside the file, never a crash; whatever is read can be counted.
TEST(Blt, RandomCorruptionsAreReadOrRefusedCleanly) {
  std::ifstream in(kOfficial + "dundee22_east_end.blt", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string original = ss.str();
  const auto lines = static_cast<std::size_t>(std::count(original.begin(), original.end(), '\n')) + 1;
  std::mt19937_64 rng(20261130);
  const std::string alphabet = "0123456789 -=\"()#\n\r\tx\xc3";
  int refused = 0, read = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string s = original;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      const std::size_t at = rng() % s.size();
      switch (rng() % 4) {
        case 0: s.erase(at, 1 + rng() % 8); break;
        case 1: s.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        case 2: s[at] = alphabet[rng() % alphabet.size()]; break;
        default: s.resize(at); break;
      }
      if (s.empty()) s = "x";
    }
    auto r = ParseBlt(s);
    if (!r.ok()) {
      ++refused;
      const std::string field = r.error().fields.at(0).field;
      ASSERT_EQ(field.rfind("line ", 0), 0u) << field;
      const auto line = std::stoull(field.substr(5));
      ASSERT_GE(line, 1u);
      ASSERT_LE(line, lines + 8 * 4 + 1) << r.error().message;
      continue;
    }
    ++read;
    for (Method m : {Method::kScottish, Method::kMeek, Method::kPlurality}) {
      auto t = Count(r->election, Options{m, 0, 1, {}});
      ASSERT_TRUE(t.ok()) << t.error().message;
      EXPECT_EQ(static_cast<int>(t->elected.size()), std::min<int>(t->seats, [&] {
        int standing = 0;
        for (const auto& c : r->election.candidates) standing += c.withdrawn ? 0 : 1;
        return standing;
      }()));
    }
  }
  EXPECT_GT(refused, 100);
  EXPECT_GT(read, 100);
}

}  // namespace
}  // namespace solidum::tally
