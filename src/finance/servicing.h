// Loan servicing: a pure engine that applies a loan's repayments to its instalments and
// tells where the loan stands on a day (arrears, days late, outstanding, written off),
// and a portfolio report over many loans (portfolio at risk). No store, no clock.
//
// Order of application (documented to borrowers and fund committees alike): each
// repayment, in date order, pays first what is due on or before its date, the oldest
// instalment first, and within an instalment its fees, then its interest, then its
// principal; what is left pays the next instalments in advance, in the same order;
// what is left after the whole loan is repaid is an overpayment to give back.
// Prepaying to save interest is a rescheduling (a new schedule on the balance left),
// not an allocation rule.
//
// A write-off on a day first applies the repayments made until then; the principal still
// outstanding is written off, and its interest and fees are no longer claimed. Money
// received after a write-off is a recovery.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"
#include "finance/schedule.h"

namespace solidum::finance {

inline constexpr std::size_t kRepaymentsMax = 100'000;  // per loan

struct Due {
  std::chrono::year_month_day due{};
  std::int64_t principal = 0;
  std::int64_t interest = 0;
  std::int64_t fees = 0;  // fees and penalties charged on this instalment
};

struct Repayment {
  std::chrono::year_month_day on{};
  std::int64_t amount = 0;  // > 0, minor units
};

struct LoanPosition {
  struct Line {
    std::int64_t fees_paid = 0, interest_paid = 0, principal_paid = 0;
    std::optional<std::chrono::year_month_day> paid_on;  // when it was paid in full
  };
  std::vector<Line> lines;  // one per instalment
  std::int64_t paid = 0;    // repayments applied (recoveries and overpayment not included)
  std::int64_t principal_repaid = 0, interest_repaid = 0, fees_repaid = 0;
  std::int64_t principal_outstanding = 0;  // not yet repaid nor written off
  std::int64_t interest_outstanding = 0, fees_outstanding = 0;
  std::int64_t arrears = 0;            // due on or before the day and unpaid
  std::int64_t principal_in_arrears = 0;
  int days_in_arrears = 0;             // since the oldest instalment not paid in full fell due
  std::int64_t overpaid = 0;           // beyond the whole loan: to give back
  std::int64_t written_off = 0;        // principal written off
  std::int64_t recovered = 0;          // received after the write-off
  bool repaid = false;                 // nothing left to pay
  bool is_written_off = false;         // written off on or before the day
};

// The loan's position at the end of `as_of`: repayments after it are not counted.
// Errors: "/repayments/<i>/amount" not positive, "/repayments" more than kRepaymentsMax,
// "/instalments/<i>" a negative part or instalments not in date order.
Result<LoanPosition> Position(std::span<const Due> instalments, std::span<const Repayment> repayments,
                              std::optional<std::chrono::year_month_day> written_off_on, std::chrono::year_month_day as_of);

// Rescheduling on a day (a borrower in difficulty, or one who prepaid and wants lower
// instalments): what was paid stays as it was paid; interest and fees in arrears on that
// day are capitalised (added to the principal still owed); the rest is a new schedule
// from `terms` (its method, period, rate, instalments and grace; its principal and first
// due date are set here: the first instalment falls a period after `on`). The schedule
// that results is the paid parts of the old instalments (none due after `on`) followed by
// the new instalments, so the same repayments applied to it give the same split as before.
// Errors: "/on" before a repayment already made, "/on" nothing_owed (the loan is repaid),
// and ComputeSchedule's for the new terms.
struct Rescheduled {
  std::vector<Due> schedule;
  std::int64_t principal = 0;  // the new schedule's: principal outstanding + what is capitalised
  std::int64_t capitalised_interest = 0, capitalised_fees = 0;
};
Result<Rescheduled> Reschedule(std::span<const Due> instalments, std::span<const Repayment> repayments, std::chrono::year_month_day on, Terms terms);

// A portfolio's figures on a day (loans in one currency).
struct PortfolioLoan {
  std::int64_t disbursed = 0;
  LoanPosition position;
};
struct Portfolio {
  std::int64_t loans = 0, active = 0;  // active: not repaid nor written off
  std::int64_t disbursed = 0, outstanding = 0, repaid = 0, arrears = 0, written_off = 0, recovered = 0;
  // Outstanding principal of loans more than 30 (90) days late, and its share of all
  // outstanding principal in basis points (1/100 of a percent), rounded half up.
  std::int64_t at_risk_30 = 0, at_risk_90 = 0;
  std::int64_t par30_bp = 0, par90_bp = 0;

  // Streaming, for a report over more loans than fit in memory as positions: Add each
  // loan (or a part's figures, computed on another thread), then Finish for the ratios.
  void Add(std::int64_t loan_disbursed, const LoanPosition& p);
  void Add(const Portfolio& part);
  void Finish();
};
Portfolio Summarise(std::span<const PortfolioLoan> loans);

}  // namespace solidum::finance
