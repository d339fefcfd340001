// Surplus allocation: a worked example checked by hand (reserve, fund, interest on
// capital, refunds by work, what is retained), the statutes' bounds, labour before
// capital, a surplus too small for the interest, and exact sums over random inputs.
#include "finance/surplus.h"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

namespace solidum::finance {
namespace {

SurplusRules Scop() {
  SurplusRules r;
  r.reserve_bp = 1'500;
  r.reserve_min_bp = 1'500;
  r.fund_bp = 500;
  r.share_interest_bp = 300;
  r.share_interest_cap_bp = 400;
  r.refunds_bp = 5'000;
  return r;
}

const std::vector<SurplusMember> kMembers{{11, 1'000'000, 1'000}, {12, 3'000'000, 1'500}, {13, 0, 500}};

std::string Field(const Result<SurplusAllocation>& r) {
  return r.ok() ? "ok" : r.error().fields.at(0).field + " " + r.error().fields.at(0).code;
}

TEST(Surplus, AWorkedExampleSumsToTheSurplusToTheCent) {
  // 100,000.00: 15 % reserve, 5 % fund, 3 % on capital, half the rest to members by hours.
  auto a = AllocateSurplus(10'000'000, Scop(), kMembers);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->reserve, 1'500'000);
  EXPECT_EQ(a->fund, 500'000);
  EXPECT_EQ(a->interest, 120'000);
  EXPECT_EQ(a->members[0].interest, 30'000);
  EXPECT_EQ(a->members[1].interest, 90'000);
  EXPECT_EQ(a->members[2].interest, 0);
  // 3,940,000 in 1,000 : 1,500 : 500 hours: 1,313,333.3, 1,970,000, 656,666.7; the
  // leftover cent to the largest remainder.
  EXPECT_EQ(a->refunds, 3'940'000);
  EXPECT_EQ(a->members[0].refund, 1'313'333);
  EXPECT_EQ(a->members[1].refund, 1'970'000);
  EXPECT_EQ(a->members[2].refund, 656'667);
  EXPECT_EQ(a->retained, 3'940'000);
  EXPECT_EQ(a->members[2].member, 13);
}

TEST(Surplus, TheStatutesBoundsAreChecked) {
  SurplusRules r = Scop();
  r.reserve_bp = 1'000;
  EXPECT_EQ(Field(AllocateSurplus(1'000, r, kMembers)), "/rules/reserve_bp below_statutes");
  r = Scop();
  r.share_interest_bp = 500;
  EXPECT_EQ(Field(AllocateSurplus(1'000, r, kMembers)), "/rules/share_interest_bp above_statutes");
  r = Scop();
  r.fund_bp = 9'000;
  EXPECT_EQ(Field(AllocateSurplus(1'000, r, kMembers)), "/rules/fund_bp out_of_range");
  r = Scop();
  r.refunds_bp = 10'001;
  EXPECT_EQ(Field(AllocateSurplus(1'000, r, kMembers)), "/rules/refunds_bp out_of_range");
  EXPECT_EQ(Field(AllocateSurplus(-1, Scop(), kMembers)), "/surplus out_of_range");
  auto twice = kMembers;
  twice[2].member = 11;
  EXPECT_EQ(Field(AllocateSurplus(1'000, Scop(), twice)), "/members/2/member repeated");
  auto negative = kMembers;
  negative[1].patronage = -1;
  EXPECT_EQ(Field(AllocateSurplus(1'000, Scop(), negative)), "/members/1/patronage out_of_range");
}

TEST(Surplus, CapitalIsNeverPaidBeforeLabour) {
  // Much capital, little surplus: 3 % on 40,000,000 is 1,200,000, more than the refunds.
  const std::vector<SurplusMember> investors{{1, 40'000'000, 10}, {2, 0, 90}};
  EXPECT_EQ(Field(AllocateSurplus(3'000'000, Scop(), investors)), "/rules/interest_at_most_refunds capital_before_labour");
  SurplusRules r = Scop();
  r.interest_at_most_refunds = false;  // statutes that allow it
  auto a = AllocateSurplus(3'000'000, r, investors);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->interest, 1'200'000);
}

TEST(Surplus, WhenLittleIsLeftEveryoneGetsTheSameFractionOfTheirInterest) {
  SurplusRules r = Scop();
  r.interest_at_most_refunds = false;
  r.refunds_bp = 10'000;
  // 1,000.00 left after 20 %: interest wanted 30,000 and 90,000, only 80,000 there.
  auto a = AllocateSurplus(100'000, r, kMembers);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->interest, 80'000);
  EXPECT_EQ(a->members[0].interest, 20'000);
  EXPECT_EQ(a->members[1].interest, 60'000);
  EXPECT_EQ(a->refunds, 0);
  EXPECT_EQ(a->retained, 0);
}

TEST(Surplus, ApportionIsExactAndBreaksTiesByOrder) {
  const std::vector<std::int64_t> equal{1, 1, 1};
  EXPECT_EQ(Apportion(100, equal), (std::vector<std::int64_t>{34, 33, 33}));
  const std::vector<std::int64_t> none{0, 0};
  EXPECT_EQ(Apportion(100, none), (std::vector<std::int64_t>{0, 0}));
  std::mt19937_64 rng(3);
  for (int round = 0; round < 1'000; ++round) {
    std::vector<std::int64_t> w(1 + rng() % 50);
    for (auto& x : w) x = static_cast<std::int64_t>(rng() % (round % 5 == 0 ? 1'000'000'000'000ULL : 100ULL));
    const std::int64_t total = static_cast<std::int64_t>(rng() % kSurplusMax);
    auto parts = Apportion(total, w);
    const std::int64_t sum = std::accumulate(parts.begin(), parts.end(), std::int64_t{0});
    if (std::accumulate(w.begin(), w.end(), std::int64_t{0}) == 0) {
      EXPECT_EQ(sum, 0);
      continue;
    }
    ASSERT_EQ(sum, total) << round;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w[i] == 0) {
        EXPECT_EQ(parts[i], 0);
      }
    }
  }
}

// Hamilton's method written the plain way (exact quotients, a stable sort of every
// remainder), against Apportion's selection and its 64-bit shortcuts, with many ties and
// weights that sum past 64 bits.
TEST(Surplus, ApportionGivesWhatAPlainSortWouldGive) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 2'000; ++round) {
    std::vector<std::int64_t> w(1 + rng() % 200);
    const int shape = round % 4;
    for (auto& x : w) {
      x = shape == 0   ? static_cast<std::int64_t>(rng() % 4)                            // ties everywhere
          : shape == 1 ? static_cast<std::int64_t>(rng() % 1'000'000)
          : shape == 2 ? static_cast<std::int64_t>(rng() % (std::uint64_t{1} << 62))  // sums past 2^63
                       : static_cast<std::int64_t>(rng() % kSurplusMax);                 // products past 2^63
    }
    const std::int64_t total = static_cast<std::int64_t>(rng() % (round % 3 == 0 ? 1'000ULL : static_cast<std::uint64_t>(kSurplusMax)));
    Int128 sum = 0;
    for (auto x : w) sum += x;
    std::vector<std::int64_t> want(w.size(), 0);
    if (sum > 0) {
      std::vector<Int128> rem(w.size());
      Int128 given = 0;
      for (std::size_t i = 0; i < w.size(); ++i) {
        want[i] = static_cast<std::int64_t>(Int128(total) * w[i] / sum);
        rem[i] = Int128(total) * w[i] % sum;
        given += want[i];
      }
      std::vector<std::size_t> order(w.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rem[a] > rem[b]; });
      for (std::size_t k = 0; given < total; ++k, ++given) ++want[order[k]];
    }
    ASSERT_EQ(Apportion(total, w), want) << "round " << round;
  }
}

TEST(Surplus, RandomAllocationsSumExactly) {
  std::mt19937_64 rng(11);
  auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  for (int round = 0; round < 1'000; ++round) {
    SurplusRules r;
    r.reserve_min_bp = pick(0, 5'000);
    r.reserve_bp = pick(r.reserve_min_bp, 6'000);
    r.fund_bp = pick(0, kBasisPoints - r.reserve_bp);
    r.share_interest_cap_bp = pick(0, 1'000);
    r.share_interest_bp = pick(0, r.share_interest_cap_bp);
    r.refunds_bp = pick(0, kBasisPoints);
    r.interest_at_most_refunds = pick(0, 1) == 1;
    std::vector<SurplusMember> m;
    for (int i = static_cast<int>(pick(0, 40)); i > 0; --i) m.push_back({i, pick(0, 100'000'000), pick(0, 5'000)});
    auto a = AllocateSurplus(pick(0, 1'000'000'000), r, m);
    if (!a.ok()) {
      EXPECT_EQ(a.error().fields.at(0).code, "capital_before_labour") << round;
      continue;
    }
    std::int64_t interest = 0, refunds = 0;
    for (const auto& s : a->members) {
      interest += s.interest;
      refunds += s.refund;
    }
    ASSERT_EQ(interest, a->interest);
    ASSERT_EQ(refunds, a->refunds);
    ASSERT_EQ(a->reserve + a->fund + a->interest + a->refunds + a->retained, a->surplus) << round;
    if (r.interest_at_most_refunds) {
      ASSERT_LE(a->interest, a->refunds) << round;
    }
  }
}

}  // namespace
}  // namespace solidum::finance
