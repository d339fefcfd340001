#include "governance/tally/count.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace solidum::tally {
namespace {

// Builds an election from lines like {weight, "A B C"} over single-letter candidates.
Election Make(int seats, const std::string& names, const std::vector<std::pair<std::int64_t, std::string>>& ballots) {
  Election e;
  e.seats = seats;
  for (char n : names) e.candidates.push_back(Candidate{std::string(1, n), "", "", false});
  for (const auto& [w, ranking] : ballots) {
    std::vector<CandidateIndex> r;
    for (char c : ranking) {
      if (c != ' ') r.push_back(static_cast<CandidateIndex>(names.find(c)));
    }
    e.AddBallot(r, w);
  }
  return e;
}

std::string Winners(const Election& e, const Tally& t) {
  std::string s;
  for (CandidateIndex c : t.elected) s += e.candidates[c].name;
  return s;
}

Tally MustCount(const Election& e, Method m, std::uint64_t seed = 1, std::vector<BalanceRule> balance = {}) {
  auto t = Count(e, Options{m, 0, seed, std::move(balance)});
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return t.ok() ? *t : Tally{};
}

bool HasNote(const Tally& t, const std::string& part) {
  for (const auto& s : t.stages) {
    for (const auto& n : s.notes) {
      if (n.find(part) != std::string::npos) return true;
    }
  }
  return false;
}

TEST(Count, InstantRunoffTransfersUntilAMajorityWhilePluralityTakesTheMostFirstPreferences) {
  const Election e = Make(1, "ABC", {{8, "A"}, {5, "B C"}, {4, "C B"}});
  const Tally irv = MustCount(e, Method::kIrv);
  EXPECT_EQ(Winners(e, irv), "B");
  ASSERT_EQ(irv.stages.size(), 2u);
  EXPECT_EQ(irv.stages[1].excluded, std::vector<CandidateIndex>{2});
  EXPECT_EQ(irv.stages[1].votes[1], 9);
  EXPECT_EQ(irv.stages[1].quota, 9);  // a majority of 17
  EXPECT_EQ(Winners(e, MustCount(e, Method::kPlurality)), "A");
}

TEST(Count, BlockAndApprovalGiveOneVotePerSupportedCandidate) {
  const Election e = Make(2, "ABCD", {{4, "A B C"}, {3, "C D"}, {2, "C B D"}});
  const Tally block = MustCount(e, Method::kBlock);  // the first two preferences
  EXPECT_EQ(block.stages[0].votes, (std::vector<std::int64_t>{4, 6, 5, 3}));
  EXPECT_EQ(Winners(e, block), "BC");
  const Tally approval = MustCount(e, Method::kApproval);  // every ranked candidate
  EXPECT_EQ(approval.stages[0].votes, (std::vector<std::int64_t>{4, 6, 9, 5}));
  EXPECT_EQ(Winners(e, approval), "CB");
}

TEST(Count, ScottishTransfersASurplusAtAValueCutAtFiveDecimals) {
  const Election e = Make(2, "ABC", {{60, "A C"}, {25, "B"}, {15, "C"}});
  const Tally t = MustCount(e, Method::kScottish);
  EXPECT_EQ(t.quota, 34'00000);  // floor(100 / 3) + 1
  ASSERT_EQ(t.stages.size(), 2u);
  EXPECT_EQ(t.stages[0].elected, std::vector<CandidateIndex>{0});
  // 26 / 60 = 0.433333... cut to 0.43333; 60 papers give C 25.99980.
  EXPECT_EQ(t.stages[1].surplus, CandidateIndex{0});
  EXPECT_EQ(t.stages[1].votes, (std::vector<std::int64_t>{34'00000, 25'00000, 40'99980}));
  EXPECT_EQ(t.stages[1].non_transferable, 20);  // the cut-off fractions
  EXPECT_EQ(Winners(e, t), "AC");
  // Counted to 9 places, the fraction lost is smaller.
  const Tally w = MustCount(e, Method::kWigm);
  EXPECT_EQ(w.stages[1].votes[2], 40'999999980);
}

TEST(Count, TheLastCandidatesStandingAreDeemedElected) {
  const Election e = Make(2, "ABC", {{30, "A"}, {20, "B"}, {10, "C"}});
  const Tally t = MustCount(e, Method::kScottish);
  ASSERT_EQ(t.stages.size(), 3u);
  EXPECT_EQ(t.stages[1].non_transferable, 9'00000);  // A's surplus had nowhere to go
  EXPECT_EQ(t.stages[2].excluded, std::vector<CandidateIndex>{2});
  EXPECT_EQ(t.stages[2].elected, std::vector<CandidateIndex>{1});  // 20 < quota 21
  EXPECT_TRUE(HasNote(t, "B deemed elected"));
}

TEST(Count, ScottishBreaksATieByTheEarliestStageWhereTheCandidatesDiffered) {
  // Stage 2: B and C both hold 9; at stage 1 B had 8 and C 9, so B is excluded.
  const Election e = Make(1, "ABCD", {{10, "A"}, {8, "B"}, {9, "C"}, {1, "D B"}, {1, "D"}});
  const Tally t = MustCount(e, Method::kScottish);
  ASSERT_GE(t.stages.size(), 3u);
  EXPECT_EQ(t.stages[1].excluded, std::vector<CandidateIndex>{3});
  EXPECT_EQ(t.stages[1].votes[1], t.stages[1].votes[2]);
  EXPECT_EQ(t.stages[2].excluded, std::vector<CandidateIndex>{1});
  EXPECT_TRUE(HasNote(t, "broken by the votes at stage 1: B"));
}

TEST(Count, ATieNothingElseBreaksIsDrawnByLotFromTheSeed) {
  const Election e = Make(1, "AB", {{5, "A"}, {5, "B"}});
  std::set<std::string> outcomes;
  for (std::uint64_t seed = 1; seed <= 16; ++seed) {
    const Tally t = MustCount(e, Method::kPlurality, seed);
    EXPECT_EQ(Winners(e, t), Winners(e, MustCount(e, Method::kPlurality, seed)));  // same seed, same draw
    EXPECT_TRUE(HasNote(t, "broken by lot"));
    outcomes.insert(Winners(e, t));
  }
  EXPECT_EQ(outcomes, (std::set<std::string>{"A", "B"}));
}

Election Gendered(Election e, const std::string& groups) {
  for (std::size_t i = 0; i < groups.size(); ++i) e.candidates[i].group = std::string(1, groups[i]);
  return e;
}

TEST(Count, ABalanceRulePassesOverCandidatesWhoseElectionWouldBreakIt) {
  const Election block = Gendered(Make(3, "ABCD", {{10, "A"}, {9, "B"}, {8, "C"}, {2, "D"}}), "mmmw");
  const Tally t = MustCount(block, Method::kBlock, 1, {{"w", 1}});
  EXPECT_EQ(Winners(block, t), "ABD");
  EXPECT_TRUE(HasNote(t, "C passed over"));

  // STV: B reaches the quota but is doomed (the last seat must go to a woman), excluded.
  const Election stv = Gendered(Make(2, "ABW", {{40, "A B"}, {35, "B"}, {25, "W"}}), "mmw");
  for (Method m : {Method::kScottish, Method::kMeek}) {
    const Tally s = MustCount(stv, m, 1, {{"w", 1}});
    EXPECT_EQ(Winners(stv, s), "AW") << MethodName(m);
    EXPECT_TRUE(HasNote(s, "B excluded: electing them would break a balance rule")) << MethodName(m);
    EXPECT_EQ(Winners(stv, MustCount(stv, m)), "AB") << MethodName(m);  // without the rule
  }
}

TEST(Count, RefusesWhatCannotBeCounted) {
  const Election e = Gendered(Make(2, "ABC", {{1, "A"}}), "mmw");
  EXPECT_EQ(Count(e, Options{Method::kIrv, 0, 1, {}}).error().fields[0].code, "irv_single_seat");
  EXPECT_EQ(Count(e, Options{Method::kScottish, 4, 1, {}}).error().fields[0].code, "out_of_range");
  EXPECT_EQ(Count(e, Options{Method::kScottish, 0, 1, {{"w", 2}}}).error().fields[0].code, "unreachable");
  EXPECT_EQ(Count(e, Options{Method::kScottish, 1, 1, {{"w", 1}, {"m", 1}}}).error().fields[0].code, "unreachable");
  Election bad = e;
  bad.prefs.push_back(0);
  bad.offsets.back() = static_cast<std::uint32_t>(bad.prefs.size());
  bad.prefs.back() = 0;  // "A A"
  EXPECT_EQ(Count(bad, Options{Method::kMeek, 0, 1, {}}).error().fields[0].code, "repeated_preference");
}

// Random elections: every method fills exactly its seats with distinct standing
// candidates; every STV stage conserves the votes exactly; Meek for one seat elects the
// instant-runoff winner.
TEST(Count, RandomElectionsKeepTheInvariants) {
  std::mt19937_64 rng(42);
  int compared = 0;
  for (int round = 0; round < 400; ++round) {
    Election e;
    const int n = 2 + static_cast<int>(rng() % 10);
    e.seats = 1 + static_cast<int>(rng() % std::min(n, 5));
    for (int i = 0; i < n; ++i) e.candidates.push_back(Candidate{"c" + std::to_string(i), "", "", rng() % 12 == 0});
    const int ballots = 1 + static_cast<int>(rng() % 300);
    for (int b = 0; b < ballots; ++b) {
      std::vector<CandidateIndex> r(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) r[static_cast<std::size_t>(i)] = static_cast<CandidateIndex>(i);
      std::shuffle(r.begin(), r.end(), rng);
      r.resize(1 + rng() % static_cast<std::size_t>(n));
      std::erase_if(r, [&](CandidateIndex c) { return e.candidates[c].withdrawn; });
      e.AddBallot(r, 1 + static_cast<std::int64_t>(rng() % 3));
    }
    int standing = 0;
    for (const auto& c : e.candidates) standing += c.withdrawn ? 0 : 1;
    if (standing < e.seats) continue;
    for (Method m : {Method::kScottish, Method::kWigm, Method::kMeek, Method::kPlurality, Method::kBlock, Method::kApproval}) {
      const Tally t = MustCount(e, m, static_cast<std::uint64_t>(round));
      ASSERT_EQ(static_cast<int>(t.elected.size()), e.seats) << MethodName(m);
      std::set<CandidateIndex> distinct(t.elected.begin(), t.elected.end());
      ASSERT_EQ(distinct.size(), t.elected.size());
      for (CandidateIndex c : t.elected) ASSERT_FALSE(e.candidates[c].withdrawn);
      if (!IsStv(m)) continue;
      std::int64_t scale = m == Method::kScottish ? 100000 : 1000000000;
      for (const Stage& s : t.stages) {
        std::int64_t sum = s.non_transferable;
        for (std::int64_t v : s.votes) {
          ASSERT_GE(v, 0);
          sum += v;
        }
        ASSERT_EQ(sum, t.valid_papers * scale) << MethodName(m);
      }
    }
    Election single = e;
    single.seats = 1;
    const Tally irv = MustCount(single, Method::kIrv);
    const Tally meek = MustCount(single, Method::kMeek);
    if (!HasNote(irv, "by lot") && !HasNote(meek, "by lot")) {
      EXPECT_EQ(Winners(single, irv), Winners(single, meek)) << "round " << round;
      ++compared;
    }
  }
  EXPECT_GT(compared, 200);
}

TEST(Count, FormatsFixedPointVotes) {
  EXPECT_EQ(FormatFixed(111800000, 5), "1118.00000");
  EXPECT_EQ(FormatFixed(7, 5), "0.00007");
  EXPECT_EQ(FormatFixed(0, 9), "0.000000000");
  EXPECT_EQ(FormatFixed(-150, 2), "-1.50");
  EXPECT_EQ(FormatFixed(42, 0), "42");
}

}  // namespace
}  // namespace solidum::tally
