// Savings groups: a cycle worked by hand (shares, the social fund, a loan with its monthly
// service charge, a fine, a grant, the share-out by shares), meetings recorded wrongly
// refused by line, and random cycles in which no money appears or vanishes.
#include "finance/savings_group.h"

#include <gtest/gtest.h>

#include <random>

namespace solidum::finance {
namespace {

const std::vector<std::int64_t> kMembers{1, 2, 3};

SavingsGroupRules Rules() {
  SavingsGroupRules r;
  r.share_value = 1'000;
  r.shares_max_per_meeting = 5;
  r.social_contribution = 100;
  r.interest_bp = 1'000;  // 10 % a month
  r.interest_every_meetings = 4;  // weekly meetings
  return r;
}

MeetingRecord Buying() { return MeetingRecord{{{1, 5}, {2, 3}, {3, 2}}, {}, {}, {}, {}, {}, kMembers}; }

std::string Field(const Result<SavingsGroupState>& r) {
  return r.ok() ? "ok" : r.error().fields.at(0).field + " " + r.error().fields.at(0).code;
}

TEST(SavingsGroup, ACycleWorkedByHandSharesOutByShares) {
  std::vector<MeetingRecord> m(5, Buying());
  m[0].social = {1, 2, 3};
  m[0].loans = {{2, 6'000}};  // 10,000 in the box after the shares
  m[4].repayments = {{2, 6'600}};  // the loan and one month's charge (at the fourth meeting after it)
  m[4].fines = {{3, 50}};
  m[4].grants = {{3, 200}};
  auto before = ReplaySavingsGroup(kMembers, Rules(), std::span(m).first(4), false);
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(before->loans_outstanding, 6'000);  // no charge yet
  EXPECT_EQ(before->loan_fund, 34'000);
  auto s = ReplaySavingsGroup(kMembers, Rules(), m, true);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->members[1].interest_charged, 600);
  EXPECT_EQ(s->members[1].loan_balance, 0);
  EXPECT_EQ(s->total_shares, 50);
  // 50,650 for 50 shares: 1,013 a share.
  EXPECT_EQ(s->members[0].share_out, 25'325);
  EXPECT_EQ(s->members[1].share_out, 15'195);
  EXPECT_EQ(s->members[2].share_out, 10'130);
  EXPECT_EQ(s->return_per_share_bp, 10'130);
  EXPECT_EQ(s->social_fund, 100);  // 300 paid in, 200 granted: carried over
  EXPECT_TRUE(s->shared_out);
  EXPECT_EQ(s->loan_fund, 0);
  // The next cycle opens with the social fund carried over.
  SavingsGroupRules next = Rules();
  next.opening_social_fund = s->social_fund;
  auto n = ReplaySavingsGroup(kMembers, next, std::span(m).first(1), false);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->social_fund, 400);
}

TEST(SavingsGroup, WronglyRecordedMeetingsAreRefusedByLine) {
  auto with = [&](MeetingRecord rec, bool share_out = false) {
    if (rec.present.empty()) rec.present = kMembers;
    std::vector<MeetingRecord> m{Buying(), std::move(rec)};
    return Field(ReplaySavingsGroup(kMembers, Rules(), m, share_out));
  };
  EXPECT_EQ(with({{{1, 6}}, {}, {}, {}, {}, {}, {}}), "/meetings/1/shares/0/amount out_of_range");
  EXPECT_EQ(with({{{9, 1}}, {}, {}, {}, {}, {}, {}}), "/meetings/1/shares/0/member unknown_member");
  EXPECT_EQ(with({{{1, 1}, {1, 1}}, {}, {}, {}, {}, {}, {}}), "/meetings/1/shares/1/member repeated");
  EXPECT_EQ(with({{}, {}, {}, {}, {}, {{1, 10'001}}, {}}), "/meetings/1/loans/0/amount exceeds_fund");
  EXPECT_EQ(with({{}, {}, {}, {{1, 1}}, {}, {}, {}}), "/meetings/1/repayments/0/amount exceeds_balance");
  EXPECT_EQ(with({{}, {}, {}, {}, {{1, 1}}, {}, {}}), "/meetings/1/grants/0/amount exceeds_fund");
  EXPECT_EQ(with({{}, {4}, {}, {}, {}, {}, {}}), "/meetings/1/social/0 unknown_member");
  EXPECT_EQ(with({{}, {}, {}, {}, {}, {{1, 100}}, {}}, true), "/share_out loans_outstanding");
  // Money changes hands at a meeting, in front of the members there.
  EXPECT_EQ(with({{{1, 1}, {3, 1}}, {}, {}, {}, {}, {}, {1, 2}}), "/meetings/1/shares/1/member absent");
  EXPECT_EQ(with({{}, {}, {}, {}, {}, {{3, 100}}, {1, 2}}), "/meetings/1/loans/0/member absent");
  EXPECT_EQ(with({{}, {}, {}, {{2, 1}}, {}, {}, {1}}), "/meetings/1/repayments/0/amount exceeds_balance");  // brought by another
  EXPECT_EQ(with({{}, {}, {}, {}, {}, {}, {1, 1}}), "/meetings/1/present/1 repeated");
  EXPECT_EQ(with({{}, {}, {}, {}, {}, {}, {7}}), "/meetings/1/present/0 unknown_member");
  EXPECT_EQ(Field(ReplaySavingsGroup(kMembers, Rules(), std::vector<MeetingRecord>{MeetingRecord{}}, false)), "/meetings/0/present required");
  std::vector<MeetingRecord> twice(2, Buying());
  twice[0].loans = {{1, 100}};
  twice[1].loans = {{1, 100}};
  EXPECT_EQ(Field(ReplaySavingsGroup(kMembers, Rules(), twice, false)), "/meetings/1/loans/0/member loan_outstanding");
  SavingsGroupRules bad = Rules();
  bad.share_value = 0;
  EXPECT_EQ(Field(ReplaySavingsGroup(kMembers, bad, {}, false)), "/rules/share_value out_of_range");
}

TEST(SavingsGroup, RandomCyclesNeitherMakeNorLoseMoney) {
  std::mt19937_64 rng(9);
  auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  for (int round = 0; round < 300; ++round) {
    SavingsGroupRules r = Rules();
    r.interest_bp = pick(0, 2'000);
    r.interest_every_meetings = static_cast<int>(pick(1, 4));
    const int n = static_cast<int>(pick(1, 25));
    std::vector<std::int64_t> members;
    for (int i = 0; i < n; ++i) members.push_back(1'000 + i);
    std::vector<MeetingRecord> meetings;
    std::vector<std::int64_t> owed(static_cast<std::size_t>(n), 0);
    for (int k = static_cast<int>(pick(1, 52)); k > 0; --k) {
      MeetingRecord rec;
      rec.present = members;
      for (int i = 0; i < n; ++i) {
        if (pick(0, 3) > 0) rec.shares.push_back({members[static_cast<std::size_t>(i)], pick(1, 5)});
        if (pick(0, 1) == 0) rec.social.push_back(members[static_cast<std::size_t>(i)]);
        if (pick(0, 20) == 0) rec.fines.push_back({members[static_cast<std::size_t>(i)], pick(1, 500)});
      }
      // Loans and repayments that the engine accepts: replay to learn the balances.
      meetings.push_back(rec);
      auto now = ReplaySavingsGroup(members, r, meetings, false);
      ASSERT_TRUE(now.ok()) << now.error().message;
      std::int64_t fund = now->loan_fund;
      for (int i = 0; i < n; ++i) {
        const auto& p = now->members[static_cast<std::size_t>(i)];
        if (p.loan_balance > 0 && pick(0, 1) == 0) meetings.back().repayments.push_back({p.member, pick(1, p.loan_balance)});
      }
      now = ReplaySavingsGroup(members, r, meetings, false);
      ASSERT_TRUE(now.ok()) << now.error().message;
      fund = now->loan_fund;
      for (int i = 0; i < n && fund > 0; ++i) {
        const auto& p = now->members[static_cast<std::size_t>(i)];
        if (p.loan_balance == 0 && pick(0, 3) == 0) {
          const std::int64_t a = pick(1, fund);
          meetings.back().loans.push_back({p.member, a});
          fund -= a;
        }
      }
    }
    // A last meeting repays everything (interest is charged before repayments in a
    // meeting: learn the balances by replaying it empty), then the share-out.
    meetings.emplace_back();
    meetings.back().present = members;
    auto charged = ReplaySavingsGroup(members, r, meetings, false);
    ASSERT_TRUE(charged.ok()) << charged.error().message;
    for (const auto& p : charged->members) {
      if (p.loan_balance > 0) meetings.back().repayments.push_back({p.member, p.loan_balance});
    }
    auto s = ReplaySavingsGroup(members, r, meetings, true);
    ASSERT_TRUE(s.ok()) << round << " " << s.error().message;
    std::int64_t in = 0, out = 0, social = 0;
    for (const auto& p : s->members) {
      in += p.savings + p.fines + p.interest_charged;
      out += p.share_out;
      social += p.social_paid - p.grants;
      EXPECT_EQ(p.borrowed + p.interest_charged, p.repaid) << round;
    }
    EXPECT_EQ(in, out) << round;
    EXPECT_EQ(social, s->social_fund) << round;
  }
}

}  // namespace
}  // namespace solidum::finance
