// Loan schedules: each method against figures worked by hand or by an independent exact
// computation (Python's fractions), grace periods of each kind, due dates at month ends,
// bad terms refused by field, and invariants over many random terms.
#include "finance/schedule.h"

#include <gtest/gtest.h>

#include <random>

namespace solidum::finance {
namespace {

using std::chrono::year_month_day;

year_month_day Date(const char* s) { return *ParseDate(s); }

Terms Base(Method m, std::int64_t principal, std::int64_t rate_ppm, int n) {
  Terms t;
  t.principal = principal;
  t.annual_rate_ppm = rate_ppm;
  t.method = m;
  t.period = Period::kMonthly;
  t.instalments = n;
  t.first_due = Date("2027-01-31");
  return t;
}

// The invariants every schedule keeps.
void ExpectWhole(const Terms& t, const Schedule& s) {
  ASSERT_EQ(s.instalments.size(), static_cast<std::size_t>(t.instalments));
  std::int64_t principal = 0, interest = 0, capitalised = 0, balance = t.principal;
  for (const auto& in : s.instalments) {
    EXPECT_GE(in.principal, 0);
    EXPECT_GE(in.interest, 0);
    EXPECT_EQ(in.total, in.principal + in.interest);
    balance += in.capitalised - in.principal;
    EXPECT_EQ(in.balance, balance) << in.number;
    principal += in.principal;
    interest += in.interest;
    capitalised += in.capitalised;
  }
  EXPECT_EQ(balance, 0);
  EXPECT_EQ(principal, t.principal + capitalised);
  EXPECT_EQ(s.total_principal, principal);
  EXPECT_EQ(s.total_interest, interest);
  EXPECT_EQ(s.total_capitalised, capitalised);
  EXPECT_EQ(s.total, principal + interest);
}

TEST(Schedule, EqualInstalmentsRepayTheAnnuityAndTheLastSettlesTheRounding) {
  // 10,000.00 at 12 % a year (1 % a month) over 12 months: 888.49 a month (the textbook
  // figure), the last 888.47; interest 661.86 in all.
  const Terms t = Base(Method::kEqualInstalments, 1'000'000, 120'000, 12);
  auto s = ComputeSchedule(t);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ExpectWhole(t, *s);
  for (int i = 0; i < 11; ++i) EXPECT_EQ(s->instalments[static_cast<std::size_t>(i)].total, 88'849) << i;
  EXPECT_EQ(s->instalments[0].interest, 10'000);
  EXPECT_EQ(s->instalments[0].principal, 78'849);
  EXPECT_EQ(s->instalments[11].total, 88'847);
  EXPECT_EQ(s->instalments[11].interest, 880);
  EXPECT_EQ(s->total_interest, 66'186);
}

TEST(Schedule, EqualPrincipalFlatAndInterestFree) {
  auto ep = ComputeSchedule(Base(Method::kEqualPrincipal, 1'200'000, 120'000, 12));
  ASSERT_TRUE(ep.ok());
  ExpectWhole(Base(Method::kEqualPrincipal, 1'200'000, 120'000, 12), *ep);
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(ep->instalments[static_cast<std::size_t>(i)].principal, 100'000);
    EXPECT_EQ(ep->instalments[static_cast<std::size_t>(i)].interest, 12'000 - 1'000 * i);  // 1 % of what is left
  }
  EXPECT_EQ(ep->total_interest, 78'000);

  // Flat: 1 % of the original principal every month; the principal's remainder last.
  auto flat = ComputeSchedule(Base(Method::kFlat, 1'000'000, 120'000, 12));
  ASSERT_TRUE(flat.ok());
  ExpectWhole(Base(Method::kFlat, 1'000'000, 120'000, 12), *flat);
  for (const auto& in : flat->instalments) EXPECT_EQ(in.interest, 10'000);
  EXPECT_EQ(flat->instalments[0].principal, 83'333);
  EXPECT_EQ(flat->instalments[11].principal, 83'337);
  EXPECT_EQ(flat->total_interest, 120'000);

  // Interest-free, in hours or in any unit: the remainder on the last instalment.
  auto free = ComputeSchedule(Base(Method::kInterestFree, 1'000, 0, 3));
  ASSERT_TRUE(free.ok());
  EXPECT_EQ(free->instalments[0].total, 333);
  EXPECT_EQ(free->instalments[1].total, 333);
  EXPECT_EQ(free->instalments[2].total, 334);
  EXPECT_EQ(free->total_interest, 0);
  // A rate of zero on a declining-balance method: the same schedule.
  auto zero = ComputeSchedule(Base(Method::kEqualInstalments, 1'000, 0, 3));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->instalments[2].total, 334);
}

TEST(Schedule, GraceOnPrincipalThenOnInterestWaivedDeferredOrCapitalised) {
  // Three months of interest only, then the annuity over the nine left.
  Terms t = Base(Method::kEqualInstalments, 1'000'000, 120'000, 12);
  t.grace_principal = 3;
  auto s = ComputeSchedule(t);
  ASSERT_TRUE(s.ok());
  ExpectWhole(t, *s);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(s->instalments[static_cast<std::size_t>(i)].principal, 0);
    EXPECT_EQ(s->instalments[static_cast<std::size_t>(i)].interest, 10'000);
  }
  for (int i = 3; i < 11; ++i) EXPECT_EQ(s->instalments[static_cast<std::size_t>(i)].total, s->instalments[3].total);

  // Two months with nothing due; their interest waived, deferred or capitalised.
  t.grace_interest = 2;
  t.grace_interest_rule = GraceInterest::kWaived;
  auto waived = ComputeSchedule(t);
  ASSERT_TRUE(waived.ok());
  ExpectWhole(t, *waived);
  EXPECT_EQ(waived->instalments[0].total, 0);
  EXPECT_EQ(waived->instalments[1].total, 0);
  EXPECT_EQ(waived->instalments[2].total, 10'000);
  EXPECT_EQ(waived->total_interest, s->total_interest - 20'000);

  t.grace_interest_rule = GraceInterest::kDeferred;
  auto deferred = ComputeSchedule(t);
  ASSERT_TRUE(deferred.ok());
  ExpectWhole(t, *deferred);
  EXPECT_EQ(deferred->instalments[1].total, 0);
  EXPECT_EQ(deferred->instalments[2].interest, 30'000);  // its own and the two deferred
  EXPECT_EQ(deferred->total_interest, s->total_interest);

  // Capitalised (patient capital): 1 % added twice, 1,020,100, then amortised over the
  // ten months left: 107,704 a month (exact computation).
  t.grace_principal = 2;
  t.grace_interest_rule = GraceInterest::kCapitalised;
  auto cap = ComputeSchedule(t);
  ASSERT_TRUE(cap.ok());
  ExpectWhole(t, *cap);
  EXPECT_EQ(cap->instalments[0].capitalised, 10'000);
  EXPECT_EQ(cap->instalments[1].capitalised, 10'100);
  EXPECT_EQ(cap->instalments[1].balance, 1'020'100);
  EXPECT_EQ(cap->total_capitalised, 20'100);
  EXPECT_EQ(cap->instalments[2].total, 107'704);
  EXPECT_EQ(cap->total_principal, 1'020'100);
}

TEST(Schedule, DueDatesKeepTheDayOrTheMonthsLastDay) {
  const auto first = Date("2027-01-31");
  EXPECT_EQ(FormatDate(DueDate(first, Period::kMonthly, 1)), "2027-02-28");
  EXPECT_EQ(FormatDate(DueDate(first, Period::kMonthly, 2)), "2027-03-31");
  EXPECT_EQ(FormatDate(DueDate(first, Period::kMonthly, 3)), "2027-04-30");
  EXPECT_EQ(FormatDate(DueDate(Date("2027-11-30"), Period::kQuarterly, 1)), "2028-02-29");  // leap year
  EXPECT_EQ(FormatDate(DueDate(Date("2027-11-30"), Period::kQuarterly, 2)), "2028-05-30");
  EXPECT_EQ(FormatDate(DueDate(Date("2027-12-27"), Period::kWeekly, 1)), "2028-01-03");
  EXPECT_FALSE(ParseDate("2027-02-29"));
  EXPECT_FALSE(ParseDate("27-02-01"));
}

TEST(Schedule, BadTermsAreRefusedByField) {
  auto field = [](Terms t) {
    auto r = ComputeSchedule(t);
    return r.ok() ? std::string("ok") : r.error().fields.at(0).field + " " + r.error().fields.at(0).code;
  };
  const Terms ok = Base(Method::kEqualInstalments, 1'000'000, 120'000, 12);
  EXPECT_EQ(field(ok), "ok");
  Terms t = ok;
  t.principal = 0;
  EXPECT_EQ(field(t), "/principal out_of_range");
  t = ok;
  t.principal = kPrincipalMax + 1;
  EXPECT_EQ(field(t), "/principal out_of_range");
  t = ok;
  t.annual_rate_ppm = -1;
  EXPECT_EQ(field(t), "/annual_rate_ppm out_of_range");
  t = ok;
  t.method = Method::kInterestFree;
  EXPECT_EQ(field(t), "/annual_rate_ppm not_for_interest_free");
  t = ok;
  t.instalments = 0;
  EXPECT_EQ(field(t), "/instalments out_of_range");
  t = ok;
  t.instalments = kInstalmentsMax + 1;
  EXPECT_EQ(field(t), "/instalments out_of_range");
  t = ok;
  t.grace_principal = 12;
  EXPECT_EQ(field(t), "/grace_principal out_of_range");
  t = ok;
  t.grace_interest = 1;
  EXPECT_EQ(field(t), "/grace_interest out_of_range");
  t = ok;
  t.first_due = year_month_day{std::chrono::year(2027), std::chrono::month(2), std::chrono::day(30)};
  EXPECT_EQ(field(t), "/first_due invalid_date");
  // Decades of capitalised interest at 100 % outgrow 64 bits: refused, not wrapped.
  t = Base(Method::kEqualInstalments, kPrincipalMax, kAnnualRatePpmMax, kInstalmentsMax);
  t.period = Period::kWeekly;
  t.grace_principal = t.grace_interest = kInstalmentsMax - 1;
  t.grace_interest_rule = GraceInterest::kCapitalised;
  EXPECT_EQ(field(t), "/grace_interest amounts_too_large");
}

TEST(Schedule, RandomTermsKeepEveryInvariant) {
  std::mt19937_64 rng(20261201);
  auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  for (int round = 0; round < 2'000; ++round) {
    Terms t;
    t.method = static_cast<Method>(pick(0, 3));
    t.period = static_cast<Period>(pick(0, 2));
    t.principal = pick(1, round % 10 == 0 ? kPrincipalMax : 10'000'000);
    t.annual_rate_ppm = t.method == Method::kInterestFree ? 0 : pick(0, round % 7 == 0 ? kAnnualRatePpmMax : 300'000);
    t.instalments = static_cast<int>(pick(1, round % 13 == 0 ? kInstalmentsMax : 120));
    t.grace_principal = static_cast<int>(pick(0, t.instalments - 1) / 4);
    t.grace_interest = static_cast<int>(pick(0, t.grace_principal));
    t.grace_interest_rule = static_cast<GraceInterest>(pick(0, 2));
    t.first_due = DueDate(*ParseDate("2027-01-01"), Period::kWeekly, static_cast<int>(pick(0, 500)));
    auto s = ComputeSchedule(t);
    if (!s.ok()) {
      EXPECT_EQ(s.error().fields.at(0).code, "amounts_too_large") << round;
      continue;
    }
    ExpectWhole(t, *s);
    if (HasFailure()) FAIL() << "round " << round;
    // Equal instalments: every total after the grace is the same, but the last (and the
    // first, which may carry deferred interest).
    if (t.method == Method::kEqualInstalments && t.annual_rate_ppm > 0) {
      const std::size_t first = static_cast<std::size_t>(t.grace_principal) + 1;
      for (std::size_t i = first + 1; i + 1 < s->instalments.size(); ++i) {
        if (s->instalments[i].balance == 0 || s->instalments[i - 1].balance == 0) break;
        ASSERT_EQ(s->instalments[i].total, s->instalments[first].total) << round << " " << i;
      }
    }
  }
}

}  // namespace
}  // namespace solidum::finance
