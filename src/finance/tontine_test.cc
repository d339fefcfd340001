// Tontines: fixed order, a lottery anyone can check (the expected order computed apart
// with Python's hashlib.blake2b), bidding with shared discounts worked by hand, missed
// contributions covered by a member or the fund, bad rounds refused by field, and random
// bidding cycles that balance to zero.
#include "finance/tontine.h"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

namespace solidum::finance {
namespace {

std::string Field(const Result<TontineState>& r) {
  return r.ok() ? "ok" : r.error().fields.at(0).field + " " + r.error().fields.at(0).code;
}

TEST(Tontine, FixedOrderGivesEachMemberThePotOnceAndEveryoneEndsEven) {
  const std::vector<std::int64_t> members{7, 8, 9, 10};
  TontineRules rules{1'000, PotOrder::kFixed, ""};
  std::vector<RoundFacts> rounds(4);
  rounds[0].missed = {{8, 9}};             // 9 covers for 8
  rounds[1].missed = {{10, std::nullopt}};  // the fund covers for 10
  auto s = ReplayTontine(members, rules, rounds);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->rounds.size(), 4u);
  for (std::size_t r = 0; r < 4; ++r) {
    EXPECT_EQ(s->rounds[r].recipient, members[r]);
    EXPECT_EQ(s->rounds[r].pot, 4'000);
    EXPECT_EQ(s->rounds[r].received, 4'000);
  }
  EXPECT_EQ(s->members[1].paid_in, 3'000);
  EXPECT_EQ(s->members[1].owes_for_missed, 1'000);
  EXPECT_EQ(s->members[2].covered_for_others, 1'000);
  EXPECT_EQ(s->fund_covered, 1'000);
  for (const auto& p : s->members) EXPECT_EQ(p.net, 0) << p.member;
  // Half-way: the first two are ahead, the others behind.
  auto half = ReplayTontine(members, rules, std::span(rounds).first(2));
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half->members[0].net, 4'000 - 2'000);
  EXPECT_EQ(half->members[3].net, -2'000);
  EXPECT_FALSE(half->members[3].pot_round);
}

TEST(Tontine, TheLotteryIsADrawAnyoneCanRecompute) {
  // hashlib.blake2b(f"minutes-2027-01:{m}".encode(), digest_size=32), lowest first.
  const std::vector<std::int64_t> members{1, 2, 3, 4, 5};
  EXPECT_EQ(LotteryOrder(members, "minutes-2027-01"), (std::vector<std::int64_t>{3, 2, 1, 5, 4}));
  auto s = ReplayTontine(members, {500, PotOrder::kLottery, "minutes-2027-01"}, std::vector<RoundFacts>(5));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->lottery_order, (std::vector<std::int64_t>{3, 2, 1, 5, 4}));
  EXPECT_EQ(s->rounds[0].recipient, 3);
  EXPECT_EQ(s->rounds[4].recipient, 4);
  EXPECT_NE(LotteryOrder(members, "minutes-2027-02"), LotteryOrder(members, "minutes-2027-01"));
}

TEST(Tontine, TheLowestBidTakesThePotAndTheDiscountIsSharedExactly) {
  // Lottery ranking for ties with seed "seed-b": 11, 13, 14, 12.
  const std::vector<std::int64_t> members{11, 12, 13, 14};
  std::vector<RoundFacts> rounds(4);
  rounds[0].bids = {{12, 3'600}, {13, 3'500}, {14, 3'500}};  // 13 and 14 tie: 13 ranks first
  rounds[1].bids = {{11, 3'900}, {12, 3'800}};
  rounds[2].bids = {{11, 4'000}, {14, 3'950}};
  // Round 4: no bid, the one member left takes the whole pot.
  auto s = ReplayTontine(members, {1'000, PotOrder::kBidding, "seed-b"}, rounds);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->rounds[0].recipient, 13);
  EXPECT_EQ(s->rounds[0].received, 3'500);
  EXPECT_EQ(s->rounds[0].discount, 500);
  // 500 among 11, 12 and 14: 166.67 each, the two spare units to the earlier members.
  EXPECT_EQ(s->rounds[0].discount_shares, (std::vector<std::pair<std::int64_t, std::int64_t>>{{11, 167}, {12, 167}, {14, 166}}));
  EXPECT_EQ(s->rounds[1].recipient, 12);
  EXPECT_EQ(s->rounds[2].recipient, 14);
  EXPECT_EQ(s->rounds[3].recipient, 11);
  EXPECT_EQ(s->rounds[3].received, 4'000);
  EXPECT_EQ(s->members[0].net, 251);   // 167 + 67 + 17 + 4,000 - 4,000
  EXPECT_EQ(s->members[1].net, -16);   // 167 + 3,800 + 17 - 4,000
  EXPECT_EQ(s->members[2].net, -417);  // 3,500 + 67 + 16 - 4,000
  EXPECT_EQ(s->members[3].net, 182);   // 166 + 66 + 3,950 - 4,000
}

TEST(Tontine, BadRoundsAreRefusedByField) {
  const std::vector<std::int64_t> members{1, 2, 3};
  const TontineRules bidding{100, PotOrder::kBidding, "s"};
  auto with = [&](std::vector<RoundFacts> rounds, TontineRules rules) { return Field(ReplayTontine(members, rules, rounds)); };
  std::vector<RoundFacts> r(2);
  r[0].bids = {{1, 250}};
  r[1].bids = {{1, 250}};
  EXPECT_EQ(with(r, bidding), "/rounds/1/bids/0/member already_received");
  r[1].bids = {{2, 0}};
  EXPECT_EQ(with(r, bidding), "/rounds/1/bids/0/amount out_of_range");
  r[1].bids = {{2, 301}};
  EXPECT_EQ(with(r, bidding), "/rounds/1/bids/0/amount out_of_range");
  r[1].bids = {{9, 200}};
  EXPECT_EQ(with(r, bidding), "/rounds/1/bids/0/member unknown_member");
  r[1].bids = {{2, 200}, {2, 210}};
  EXPECT_EQ(with(r, bidding), "/rounds/1/bids/1/member repeated");
  r[1].bids = {};
  EXPECT_EQ(with(r, bidding), "/rounds/1/bids required");
  std::vector<RoundFacts> last(3);
  last[0].bids = {{1, 250}};
  last[1].bids = {{2, 250}};
  last[2].bids = {{3, 250}};
  EXPECT_EQ(with(last, bidding), "/rounds/2/bids last_pot");
  std::vector<RoundFacts> m(1);
  m[0].missed = {{1, 2}, {2, 3}};
  EXPECT_EQ(with(m, {100, PotOrder::kFixed, ""}), "/rounds/0/missed/0/coverer cannot_cover");
  m[0].missed = {{1, 1}};
  EXPECT_EQ(with(m, {100, PotOrder::kFixed, ""}), "/rounds/0/missed/0/coverer cannot_cover");
  m[0].missed = {{1, 7}};
  EXPECT_EQ(with(m, {100, PotOrder::kFixed, ""}), "/rounds/0/missed/0/coverer unknown_member");
  m[0].missed = {{1, std::nullopt}, {1, std::nullopt}};
  EXPECT_EQ(with(m, {100, PotOrder::kFixed, ""}), "/rounds/0/missed/1/member repeated");
  EXPECT_EQ(with(std::vector<RoundFacts>(4), {100, PotOrder::kFixed, ""}), "/rounds too_many");
  EXPECT_EQ(with({}, {0, PotOrder::kFixed, ""}), "/rules/contribution out_of_range");
  EXPECT_EQ(with({}, {100, PotOrder::kLottery, ""}), "/rules/seed required");
  const std::vector<std::int64_t> twice{1, 1};
  EXPECT_EQ(Field(ReplayTontine(twice, {100, PotOrder::kFixed, ""}, {})), "/members/1 repeated");
  EXPECT_EQ(Field(ReplayTontine({}, {100, PotOrder::kFixed, ""}, {})), "/members out_of_range");
}

TEST(Tontine, RandomBiddingCyclesBalanceToZero) {
  std::mt19937_64 rng(5);
  auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  for (int round = 0; round < 300; ++round) {
    const int n = static_cast<int>(pick(1, 30));
    std::vector<std::int64_t> members(static_cast<std::size_t>(n));
    std::iota(members.begin(), members.end(), 100);
    const std::int64_t c = pick(1, 100'000);
    std::vector<RoundFacts> rounds(static_cast<std::size_t>(n));
    std::vector<bool> had(static_cast<std::size_t>(n), false);
    // Bids only from members who cannot have had a pot yet: everyone bids each round, and
    // the engine's winner is found by replaying round by round.
    for (int r = 0; r < n; ++r) {
      for (int i = 0; i < n; ++i) {
        if (r + 1 < n && !had[static_cast<std::size_t>(i)] && pick(0, 2) > 0) rounds[static_cast<std::size_t>(r)].bids.push_back({100 + i, pick(c * n / 2, c * n)});
        if (pick(0, 9) == 0) rounds[static_cast<std::size_t>(r)].missed.push_back({100 + i, std::nullopt});
      }
      auto so_far = ReplayTontine(members, {c, PotOrder::kBidding, "r" + std::to_string(round)}, std::span(rounds).first(static_cast<std::size_t>(r) + 1));
      if (!so_far.ok() && r + 1 < n) {
        // No bid with more than one member left: add one and replay.
        for (int i = 0; i < n; ++i) {
          if (!had[static_cast<std::size_t>(i)]) {
            rounds[static_cast<std::size_t>(r)].bids.push_back({100 + i, c * n});
            break;
          }
        }
        so_far = ReplayTontine(members, {c, PotOrder::kBidding, "r" + std::to_string(round)}, std::span(rounds).first(static_cast<std::size_t>(r) + 1));
      }
      ASSERT_TRUE(so_far.ok()) << so_far.error().message;
      had[static_cast<std::size_t>(so_far->rounds.back().recipient - 100)] = true;
    }
    auto s = ReplayTontine(members, {c, PotOrder::kBidding, "r" + std::to_string(round)}, rounds);
    ASSERT_TRUE(s.ok());
    std::int64_t net = 0, received = 0;
    for (const auto& p : s->members) {
      ASSERT_TRUE(p.pot_round.has_value());
      net += p.net;
      received += p.received;
    }
    EXPECT_EQ(net, 0) << round;
    EXPECT_EQ(received, c * n * n) << round;
  }
}

}  // namespace
}  // namespace solidum::finance
