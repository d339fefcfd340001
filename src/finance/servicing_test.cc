// Loan servicing: repayments applied in the documented order (oldest due first; fees,
// interest, principal; then in advance), arrears and days late on any day, overpayment,
// write-off and recoveries, a portfolio's figures and PAR; bad input refused by field;
// random schedules and repayments keep every sum.
#include "finance/servicing.h"

#include <gtest/gtest.h>

#include <random>

#include "finance/schedule.h"

namespace solidum::finance {
namespace {

std::chrono::year_month_day Date(const char* s) { return *ParseDate(s); }

// Three monthly instalments of 100 principal and 10 interest.
std::vector<Due> Three() {
  return {{Date("2027-01-31"), 100, 10, 0}, {Date("2027-02-28"), 100, 10, 0}, {Date("2027-03-31"), 100, 10, 0}};
}

TEST(Servicing, ARepaymentPaysTheOldestDueFirstInterestBeforePrincipalAndArrearsCountFromIt) {
  const auto dues = Three();
  const std::vector<Repayment> paid{{Date("2027-02-10"), 50}};
  auto p = Position(dues, paid, std::nullopt, Date("2027-02-10"));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->lines[0].interest_paid, 10);
  EXPECT_EQ(p->lines[0].principal_paid, 40);
  EXPECT_FALSE(p->lines[0].paid_on);
  EXPECT_EQ(p->arrears, 60);
  EXPECT_EQ(p->principal_in_arrears, 60);
  EXPECT_EQ(p->days_in_arrears, 10);
  EXPECT_EQ(p->principal_outstanding, 260);
  EXPECT_EQ(p->interest_outstanding, 20);
  // A month later the second instalment is late too; still counted from the first.
  auto later = Position(dues, paid, std::nullopt, Date("2027-03-01"));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->arrears, 170);
  EXPECT_EQ(later->days_in_arrears, 29);
  // Before the first due date nothing is late.
  auto before = Position(dues, {}, std::nullopt, Date("2027-01-30"));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->arrears, 0);
  EXPECT_EQ(before->days_in_arrears, 0);
}

TEST(Servicing, FeesComeFirstThenInterestThenPrincipal) {
  const std::vector<Due> dues{{Date("2027-01-31"), 100, 10, 5}};
  auto p = Position(dues, std::vector<Repayment>{{Date("2027-02-01"), 12}}, std::nullopt, Date("2027-02-01"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->lines[0].fees_paid, 5);
  EXPECT_EQ(p->lines[0].interest_paid, 7);
  EXPECT_EQ(p->lines[0].principal_paid, 0);
  EXPECT_EQ(p->fees_repaid, 5);
  EXPECT_EQ(p->arrears, 103);
}

TEST(Servicing, MoneyBeyondWhatIsDuePaysAheadAndBeyondTheLoanIsOverpaid) {
  const auto dues = Three();
  auto ahead = Position(dues, std::vector<Repayment>{{Date("2027-01-15"), 300}}, std::nullopt, Date("2027-02-28"));
  ASSERT_TRUE(ahead.ok());
  EXPECT_EQ(ahead->lines[0].paid_on, Date("2027-01-15"));
  EXPECT_EQ(ahead->lines[1].paid_on, Date("2027-01-15"));
  EXPECT_EQ(ahead->lines[2].interest_paid, 10);
  EXPECT_EQ(ahead->lines[2].principal_paid, 70);
  EXPECT_EQ(ahead->arrears, 0);
  auto after = Position(dues, std::vector<Repayment>{{Date("2027-01-15"), 300}}, std::nullopt, Date("2027-04-01"));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->arrears, 30);
  EXPECT_EQ(after->days_in_arrears, 1);

  // Given in any order, counted in date order; those after the day are not counted.
  const std::vector<Repayment> many{{Date("2027-03-31"), 200}, {Date("2027-01-31"), 200}, {Date("2027-05-01"), 1}};
  auto all = Position(dues, many, std::nullopt, Date("2027-04-30"));
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->repaid);
  EXPECT_EQ(all->paid, 330);
  EXPECT_EQ(all->overpaid, 70);
  EXPECT_EQ(all->lines[1].paid_on, Date("2027-03-31"));  // 200 on 31 Jan paid the first and 90 of the second
  EXPECT_EQ(all->principal_outstanding, 0);
}

TEST(Servicing, AWriteOffEndsTheClaimAndLaterMoneyIsARecovery) {
  const auto dues = Three();
  const std::vector<Repayment> paid{{Date("2027-02-10"), 50}, {Date("2027-03-15"), 20}, {Date("2027-04-02"), 30}};
  auto p = Position(dues, paid, Date("2027-03-15"), Date("2027-04-30"));
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->is_written_off);
  EXPECT_EQ(p->paid, 70);  // the repayment on the day of the write-off came first
  EXPECT_EQ(p->written_off, 300 - 40 - 20);  // 10 of the 70 paid interest
  EXPECT_EQ(p->recovered, 30);
  EXPECT_EQ(p->principal_outstanding, 0);
  EXPECT_EQ(p->arrears, 0);
  EXPECT_FALSE(p->repaid);
  // Before the write-off day it is an ordinary late loan.
  auto before = Position(dues, paid, Date("2027-03-15"), Date("2027-03-14"));
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->is_written_off);
  EXPECT_EQ(before->days_in_arrears, 42);
}

TEST(Servicing, APortfolioSumsItsLoansAndMeasuresItsRisk) {
  const auto dues = Three();
  const auto day = Date("2027-05-15");
  auto on_time = Position(dues, std::vector<Repayment>{{Date("2027-01-31"), 110}, {Date("2027-02-28"), 110}, {Date("2027-03-31"), 110}},
                          std::nullopt, day);
  auto late_45 = Position(dues, std::vector<Repayment>{{Date("2027-01-31"), 110}, {Date("2027-02-28"), 110}}, std::nullopt, day);
  auto late_104 = Position(dues, {}, std::nullopt, day);
  auto written = Position(dues, {}, Date("2027-04-01"), day);
  ASSERT_TRUE(on_time.ok() && late_45.ok() && late_104.ok() && written.ok());
  const std::vector<PortfolioLoan> loans{{300, *on_time}, {300, *late_45}, {300, *late_104}, {300, *written}};
  const Portfolio f = Summarise(loans);
  EXPECT_EQ(f.loans, 4);
  EXPECT_EQ(f.active, 2);
  EXPECT_EQ(f.disbursed, 1200);
  EXPECT_EQ(f.outstanding, 100 + 300);
  EXPECT_EQ(f.repaid, 300 + 200);
  EXPECT_EQ(f.written_off, 300);
  EXPECT_EQ(f.at_risk_30, 400);
  EXPECT_EQ(f.at_risk_90, 300);
  EXPECT_EQ(f.par30_bp, 10'000);
  EXPECT_EQ(f.par90_bp, 7'500);
  EXPECT_EQ(Summarise({}).par30_bp, 0);
}

TEST(Servicing, ReschedulingKeepsWhatWasPaidAndCapitalisesWhatIsInArrears) {
  // 50 paid on 10 February: the first instalment's interest and 40 of its principal. On 1
  // March: 60 principal and 10 interest of January's and February's instalments in arrears.
  const auto dues = Three();
  const std::vector<Repayment> paid{{Date("2027-02-10"), 50}};
  Terms terms;
  terms.annual_rate_ppm = 120'000;
  terms.instalments = 4;
  auto r = Reschedule(dues, paid, Date("2027-03-01"), terms);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->capitalised_interest, 10);  // February's interest (January's was paid)
  EXPECT_EQ(r->capitalised_fees, 0);
  EXPECT_EQ(r->principal, 260 + 10);
  ASSERT_EQ(r->schedule.size(), 1u + 4u);  // the paid parts of January, then four new instalments
  EXPECT_EQ(r->schedule[0].principal, 40);
  EXPECT_EQ(r->schedule[0].interest, 10);
  EXPECT_EQ(r->schedule[1].due, Date("2027-04-01"));
  std::int64_t principal = 0;
  for (const auto& d : r->schedule) principal += d.principal;
  EXPECT_EQ(principal, 300 + 10);  // the loan plus what was capitalised
  // The same repayments on the new schedule: the same split, nothing in arrears, the new principal owed.
  auto after = Position(r->schedule, paid, std::nullopt, Date("2027-03-01"));
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->arrears, 0);
  EXPECT_EQ(after->principal_repaid, 40);
  EXPECT_EQ(after->interest_repaid, 10);
  EXPECT_EQ(after->principal_outstanding, 270);
  // Paid ahead: the part of an instalment not yet due is kept, due on the day.
  const std::vector<Repayment> ahead{{Date("2027-01-31"), 160}};
  auto early = Reschedule(dues, ahead, Date("2027-02-01"), terms);
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->schedule[1].due, Date("2027-02-01"));
  EXPECT_EQ(early->schedule[1].principal, 40);
  EXPECT_EQ(early->principal, 160);
  EXPECT_EQ(Position(early->schedule, ahead, std::nullopt, Date("2027-02-01"))->principal_outstanding, 160);
  // Not before a repayment already made; not a repaid loan; the new terms checked.
  EXPECT_EQ(Reschedule(dues, paid, Date("2027-02-01"), terms).error().fields.at(0).code, "before_repayment");
  EXPECT_EQ(Reschedule(dues, {{{Date("2027-01-01"), 330}}}, Date("2027-01-02"), terms).error().fields.at(0).code, "nothing_owed");
  terms.grace_principal = 4;
  EXPECT_EQ(Reschedule(dues, paid, Date("2027-03-01"), terms).error().fields.at(0).field, "/grace_principal");

  // Random loans and repayments: the repayments give the same split on the new schedule.
  std::mt19937_64 rng(5);
  for (int round = 0; round < 500; ++round) {
    Terms t;
    t.principal = 1'000 + static_cast<std::int64_t>(rng() % 10'000'000);
    t.annual_rate_ppm = static_cast<std::int64_t>(rng() % 300'000);
    t.instalments = 2 + static_cast<int>(rng() % 36);
    t.first_due = Date("2027-01-31");
    const auto s = *ComputeSchedule(t);
    std::vector<Due> d;
    for (const auto& in : s.instalments) d.push_back(Due{in.due, in.principal, in.interest, static_cast<std::int64_t>(rng() % 3)});
    std::vector<Repayment> rs;
    auto day = std::chrono::sys_days(Date("2027-01-15"));
    for (int k = static_cast<int>(rng() % 6); k > 0; --k) {
      day += std::chrono::days(1 + rng() % 60);
      rs.push_back(Repayment{std::chrono::year_month_day(day), 1 + static_cast<std::int64_t>(rng() % (t.principal / 2 + 1))});
    }
    const auto on = std::chrono::year_month_day(day + std::chrono::days(rng() % 90));
    const auto before = *Position(d, rs, std::nullopt, on);
    Terms next;
    next.annual_rate_ppm = static_cast<std::int64_t>(rng() % 200'000);
    next.instalments = 1 + static_cast<int>(rng() % 24);
    auto r = Reschedule(d, rs, on, next);
    if (before.repaid) {
      EXPECT_FALSE(r.ok()) << round;
      continue;
    }
    ASSERT_TRUE(r.ok()) << round << " " << r.error().message;
    const auto after = *Position(r->schedule, rs, std::nullopt, on);
    ASSERT_EQ(after.principal_repaid, before.principal_repaid) << round;
    ASSERT_EQ(after.interest_repaid, before.interest_repaid) << round;
    ASSERT_EQ(after.fees_repaid, before.fees_repaid) << round;
    ASSERT_EQ(after.arrears, 0) << round;
    ASSERT_EQ(after.principal_outstanding, r->principal) << round;
    ASSERT_EQ(r->principal, before.principal_outstanding + r->capitalised_interest + r->capitalised_fees) << round;
  }
}

TEST(Servicing, BadInputIsRefusedByField) {
  auto field = [](std::vector<Due> d, std::vector<Repayment> r) {
    auto p = Position(d, r, std::nullopt, Date("2027-12-31"));
    return p.ok() ? std::string("ok") : p.error().fields.at(0).field + " " + p.error().fields.at(0).code;
  };
  EXPECT_EQ(field(Three(), {{Date("2027-01-01"), 0}}), "/repayments/0/amount not_positive");
  EXPECT_EQ(field(Three(), {{Date("2027-01-01"), 5}, {Date("2027-01-01"), -5}}), "/repayments/1/amount not_positive");
  auto swapped = Three();
  std::swap(swapped[0], swapped[2]);
  EXPECT_EQ(field(swapped, {}), "/instalments/1/due out_of_order");
  auto negative = Three();
  negative[1].interest = -1;
  EXPECT_EQ(field(negative, {}), "/instalments/1 negative");
  EXPECT_EQ(field(Three(), std::vector<Repayment>(kRepaymentsMax + 1, {Date("2027-01-01"), 1})), "/repayments too_many");
}

TEST(Servicing, RandomLoansAndRepaymentsKeepEverySum) {
  std::mt19937_64 rng(7);
  auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  for (int round = 0; round < 500; ++round) {
    Terms t;
    t.method = static_cast<Method>(pick(0, 3));
    t.principal = pick(1, 5'000'000);
    t.annual_rate_ppm = t.method == Method::kInterestFree ? 0 : pick(0, 250'000);
    t.instalments = static_cast<int>(pick(1, 36));
    t.first_due = Date("2027-01-31");
    auto s = ComputeSchedule(t);
    ASSERT_TRUE(s.ok());
    std::vector<Due> dues;
    for (const auto& in : s->instalments) dues.push_back({in.due, in.principal, in.interest, pick(0, 3) == 0 ? pick(0, 500) : 0});
    std::vector<Repayment> paid;
    std::int64_t counted = 0;
    const auto as_of = DueDate(t.first_due, Period::kMonthly, static_cast<int>(pick(0, 40)));
    for (int k = pick(0, 40); k > 0; --k) {
      Repayment r{DueDate(Date("2027-01-01"), Period::kWeekly, static_cast<int>(pick(0, 180))), pick(1, s->total / 10 + 1)};
      if (std::chrono::sys_days(r.on) <= std::chrono::sys_days(as_of)) counted += r.amount;
      paid.push_back(r);
    }
    std::optional<std::chrono::year_month_day> off;
    if (pick(0, 4) == 0) off = DueDate(t.first_due, Period::kMonthly, static_cast<int>(pick(0, 40)));
    auto p = Position(dues, paid, off, as_of);
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p->paid + p->overpaid + p->recovered, counted) << round;
    EXPECT_EQ(p->principal_repaid + p->principal_outstanding + p->written_off, s->total_principal) << round;
    std::int64_t owed = 0;
    for (const auto& d : dues) owed += d.principal + d.interest + d.fees;
    EXPECT_LE(p->arrears, owed - p->paid) << round;
    if (p->overpaid > 0) {
      EXPECT_EQ(p->paid, owed) << round;
    }
    if (HasFailure()) FAIL() << "round " << round;
  }
}

}  // namespace
}  // namespace solidum::finance
