// Set-off: hand-checked networks, and random ones whose result is checked for the
// guarantees and for optimality by an independent criterion (no negative cycle left in
// the residual network, Bellman-Ford).
#include "clearing/setoff.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace solidum::clearing {
namespace {

ObligationSet Parse(const std::string& rows) {
  auto set = ParseObligations("debtor,creditor,amount\n" + rows);
  EXPECT_TRUE(set.ok()) << set.error().message;
  return std::move(set).value();
}

TEST(SetOff, AnEvenCycleClearsEntirely) {
  auto set = Parse("A,B,10\nB,C,10\nC,A,10\n");
  auto r = ComputeSetOff(set);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->total, 30);
  EXPECT_EQ(r->cleared, 30);
  EXPECT_EQ(r->remaining, 0);
  EXPECT_EQ(r->nid, 0);
  EXPECT_EQ(r->left, (std::vector<std::int64_t>{0, 0, 0}));
  for (const auto& f : r->firms) EXPECT_EQ(f.set_off, 10);
}

TEST(SetOff, AnUnevenCycleClearsItsSmallestDebtAllRound) {
  auto set = Parse("A,B,10\nB,C,5\nC,A,7\n");
  auto r = ComputeSetOff(set);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->cleared, 15);
  EXPECT_EQ(r->left, (std::vector<std::int64_t>{5, 0, 2}));
  EXPECT_EQ(r->nid, 5);  // A and C are net debtors, by 3 and 2
}

TEST(SetOff, AChainWithoutACycleClearsNothing) {
  auto set = Parse("A,B,10\nB,C,10\n");
  auto r = ComputeSetOff(set);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->cleared, 0);
  EXPECT_EQ(r->remaining, 20);
  EXPECT_EQ(r->nid, 10);  // only A is a net debtor; a new A->C debt would be needed to reach it
}

TEST(SetOff, OverlappingCyclesFindTheBestCombination) {
  // Two cycles share B->C. Clearing the short one first (B->C->B by 4, then the long one
  // by the 2 left on B->C) cancels 8 + 6 = 14; the long one alone by 6 cancels 18 and
  // leaves only C->B 4, which is the net internal debt: nothing more can go.
  auto set = Parse("A,B,6\nB,C,6\nC,A,6\nC,B,4\n");
  auto r = ComputeSetOff(set);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->cleared, 18);
  EXPECT_EQ(r->left, (std::vector<std::int64_t>{0, 0, 0, 4}));
  EXPECT_EQ(r->nid, 4);
}

TEST(SetOff, ParallelObligationsBetweenTheSameFirmsCount) {
  auto set = Parse("A,B,3\nA,B,4\nB,A,5\n");
  auto r = ComputeSetOff(set);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->cleared, 10);  // B->A 5 against 5 of A's 7
  EXPECT_EQ(r->remaining, 2);
}

TEST(SetOff, NoObligationsNothingToClear) {
  auto r = ComputeSetOff(Parse(""));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 0);
  EXPECT_EQ(r->cleared, 0);
}

// True when the flow `left` still has a negative-cost cycle in its residual network, that
// is when more could be cleared.
bool CouldClearMore(const ObligationSet& set, const std::vector<std::int64_t>& left) {
  struct Edge {
    std::uint32_t from, to;
    int cost;
  };
  std::vector<Edge> residual;
  for (std::size_t i = 0; i < set.obligations.size(); ++i) {
    const auto& o = set.obligations[i];
    if (left[i] < o.amount) residual.push_back({o.debtor, o.creditor, 1});
    if (left[i] > 0) residual.push_back({o.creditor, o.debtor, -1});
  }
  std::vector<long> dist(set.firms.size(), 0);  // from a virtual source to every firm
  for (std::size_t round = 0; round < set.firms.size(); ++round) {
    bool changed = false;
    for (const auto& e : residual) {
      if (dist[e.from] + e.cost < dist[e.to]) {
        dist[e.to] = dist[e.from] + e.cost;
        changed = true;
      }
    }
    if (!changed) return false;
  }
  return true;
}

TEST(SetOff, RandomNetworksKeepTheGuaranteesAndClearAllThatCanBe) {
  std::mt19937_64 rng(20261130);
  int cleared_some = 0;
  for (int round = 0; round < 300; ++round) {
    const int firms = 2 + static_cast<int>(rng() % 10), rows = 1 + static_cast<int>(rng() % 30);
    std::string csv;
    for (int i = 0; i < rows; ++i) {
      int a = static_cast<int>(rng() % static_cast<unsigned>(firms)), b = static_cast<int>(rng() % static_cast<unsigned>(firms - 1));
      if (b >= a) ++b;
      csv += "f" + std::to_string(a) + ",f" + std::to_string(b) + "," + std::to_string(1 + rng() % 1000) + "\n";
    }
    auto set = Parse(csv);
    auto r = ComputeSetOff(set);
    ASSERT_TRUE(r.ok()) << r.error().message << "\n" << csv;
    ASSERT_TRUE(CheckSetOff(set, *r).ok()) << csv;
    ASSERT_FALSE(CouldClearMore(set, r->left)) << csv;
    // And the check itself can fail: leaving everything owed is allowed but not optimal
    // whenever something was cleared.
    if (r->cleared > 0) {
      ++cleared_some;
      std::vector<std::int64_t> all;
      for (const auto& o : set.obligations) all.push_back(o.amount);
      EXPECT_TRUE(CouldClearMore(set, all)) << csv;
    }
  }
  EXPECT_GT(cleared_some, 100);  // the networks are dense enough to have cycles
}

TEST(SetOff, TheCheckCatchesABrokenResult) {
  auto set = Parse("A,B,10\nB,C,5\nC,A,7\n");
  auto r = ComputeSetOff(set);
  ASSERT_TRUE(r.ok());
  auto changed_net = *r;
  changed_net.left[0] -= 1;  // A would owe B less without anything else moving
  EXPECT_FALSE(CheckSetOff(set, changed_net).ok());
  auto increased = *r;
  increased.left = {11, 1, 3};  // every net position kept, but A->B above its amount
  EXPECT_FALSE(CheckSetOff(set, increased).ok());
}

}  // namespace
}  // namespace solidum::clearing
