#include "finance/servicing.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <string>

#include "common/assert.h"
#include "finance/rounding.h"

namespace solidum::finance {

namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

Result<void> Check(std::span<const Due> instalments, std::span<const Repayment> repayments) {
  if (repayments.size() > kRepaymentsMax) {
    return Error::Invalid("/repayments", "too_many", "At most " + std::to_string(kRepaymentsMax) + " repayments per loan.");
  }
  for (std::size_t i = 0; i < instalments.size(); ++i) {
    const Due& d = instalments[i];
    auto at = [i](const char* rest) { return "/instalments/" + std::to_string(i) + rest; };  // only on error
    if (d.principal < 0 || d.interest < 0 || d.fees < 0) return Error::Invalid(at(""), "negative", "An instalment's parts are not negative.");
    if (!d.due.ok()) return Error::Invalid(at("/due"), "invalid_date", "Not a date.");
    if (i > 0 && sys_days(d.due) < sys_days(instalments[i - 1].due)) {
      return Error::Invalid(at("/due"), "out_of_order", "Instalments come in date order.");
    }
  }
  for (std::size_t i = 0; i < repayments.size(); ++i) {
    auto at = [i](const char* rest) { return "/repayments/" + std::to_string(i) + rest; };  // only on error
    if (repayments[i].amount <= 0) return Error::Invalid(at("/amount"), "not_positive", "A repayment is a positive amount.");
    if (!repayments[i].on.ok()) return Error::Invalid(at("/on"), "invalid_date", "Not a date.");
  }
  return Ok();
}

}  // namespace

Result<LoanPosition> Position(std::span<const Due> instalments, std::span<const Repayment> repayments,
                              std::optional<year_month_day> written_off_on, year_month_day as_of) {
  SOLIDUM_TRY(Check(instalments, repayments));
  LoanPosition p;
  p.lines.resize(instalments.size());
  // Pays `amount` on `on` into the instalments, in the documented order; answers what is
  // left. What is due by `on` comes first, then instalments in advance; as instalments
  // are in date order, that is one pass from the oldest instalment not yet paid in full.
  std::size_t first_unpaid = 0;
  auto apply = [&](std::int64_t amount, year_month_day on) {
    for (std::size_t i = first_unpaid; i < instalments.size() && amount > 0; ++i) {
      const Due& d = instalments[i];
      LoanPosition::Line& line = p.lines[i];
      const std::array<std::pair<std::int64_t*, std::int64_t>, 3> parts{
          {{&line.fees_paid, d.fees}, {&line.interest_paid, d.interest}, {&line.principal_paid, d.principal}}};
      for (auto [paid, owed] : parts) {
        const std::int64_t take = std::min(amount, owed - *paid);
        *paid += take;
        amount -= take;
      }
      if (!line.paid_on && line.fees_paid == d.fees && line.interest_paid == d.interest && line.principal_paid == d.principal) {
        line.paid_on = on;
      }
    }
    while (first_unpaid < instalments.size() && p.lines[first_unpaid].paid_on) ++first_unpaid;
    return amount;
  };
  // In date order; repayments on one day in the order given (usually they come so).
  std::vector<std::size_t> order(repayments.size());
  std::iota(order.begin(), order.end(), 0);
  const auto earlier = [&](std::size_t a, std::size_t b) { return sys_days(repayments[a].on) < sys_days(repayments[b].on); };
  if (!std::is_sorted(order.begin(), order.end(), earlier)) std::stable_sort(order.begin(), order.end(), earlier);
  const bool written = written_off_on && sys_days(*written_off_on) <= sys_days(as_of);
  for (std::size_t k : order) {
    const Repayment& r = repayments[k];
    if (sys_days(r.on) > sys_days(as_of)) break;
    if (written && sys_days(r.on) > sys_days(*written_off_on)) {
      p.recovered += r.amount;
      continue;
    }
    const std::int64_t left = apply(r.amount, r.on);
    p.paid += r.amount - left;
    p.overpaid += left;
  }

  std::optional<year_month_day> oldest_unpaid;
  for (std::size_t i = 0; i < instalments.size(); ++i) {
    const Due& d = instalments[i];
    const LoanPosition::Line& line = p.lines[i];
    p.principal_repaid += line.principal_paid;
    p.interest_repaid += line.interest_paid;
    p.fees_repaid += line.fees_paid;
    const std::int64_t principal = d.principal - line.principal_paid;
    const std::int64_t unpaid = d.fees - line.fees_paid + d.interest - line.interest_paid + principal;
    p.principal_outstanding += principal;
    p.interest_outstanding += d.interest - line.interest_paid;
    p.fees_outstanding += d.fees - line.fees_paid;
    if (unpaid > 0 && sys_days(d.due) <= sys_days(as_of)) {
      p.arrears += unpaid;
      p.principal_in_arrears += principal;
      if (!oldest_unpaid) oldest_unpaid = d.due;
    }
  }
  SOLIDUM_ASSERT(p.paid == p.principal_repaid + p.interest_repaid + p.fees_repaid);
  if (written) {
    p.is_written_off = true;
    p.written_off = p.principal_outstanding;
    p.principal_outstanding = p.interest_outstanding = p.fees_outstanding = 0;
    p.arrears = p.principal_in_arrears = 0;
    return p;
  }
  if (oldest_unpaid) p.days_in_arrears = static_cast<int>((sys_days(as_of) - sys_days(*oldest_unpaid)).count());
  p.repaid = p.principal_outstanding == 0 && p.interest_outstanding == 0 && p.fees_outstanding == 0;
  return p;
}

Result<Rescheduled> Reschedule(std::span<const Due> instalments, std::span<const Repayment> repayments, year_month_day on, Terms terms) {
  for (const auto& r : repayments) {
    if (sys_days(r.on) > sys_days(on)) return Error::Invalid("/on", "before_repayment", "A repayment was made after this day: reschedule on or after it.");
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto p, Position(instalments, repayments, std::nullopt, on));
  Rescheduled out;
  for (std::size_t i = 0; i < instalments.size(); ++i) {
    const Due& d = instalments[i];
    const LoanPosition::Line& line = p.lines[i];
    if (sys_days(d.due) <= sys_days(on)) {
      out.capitalised_interest += d.interest - line.interest_paid;
      out.capitalised_fees += d.fees - line.fees_paid;
    }
    if (line.principal_paid + line.interest_paid + line.fees_paid == 0) continue;
    // What was paid stays, due on `on` at the latest so that the dates stay in order.
    out.schedule.push_back(Due{sys_days(d.due) <= sys_days(on) ? d.due : on, line.principal_paid, line.interest_paid, line.fees_paid});
  }
  out.principal = p.principal_outstanding + out.capitalised_interest + out.capitalised_fees;
  if (out.principal == 0) return Error::Invalid("/on", "nothing_owed", "Nothing is owed on this loan: there is nothing to reschedule.");
  terms.principal = out.principal;
  terms.first_due = DueDate(on, terms.period, 1);
  SOLIDUM_ASSIGN_OR_RETURN(auto next, ComputeSchedule(terms));
  for (std::size_t i = 0; i < next.instalments.size(); ++i) {
    const Instalment& in = next.instalments[i];
    out.schedule.push_back(Due{DueDate(on, terms.period, static_cast<int>(i) + 1), in.principal, in.interest, 0});
  }
  return out;
}

void Portfolio::Add(std::int64_t loan_disbursed, const LoanPosition& p) {
  ++loans;
  if (!p.repaid && !p.is_written_off) ++active;
  disbursed += loan_disbursed;
  outstanding += p.principal_outstanding;
  repaid += p.principal_repaid;
  arrears += p.arrears;
  written_off += p.written_off;
  recovered += p.recovered;
  if (p.days_in_arrears > 30) at_risk_30 += p.principal_outstanding;
  if (p.days_in_arrears > 90) at_risk_90 += p.principal_outstanding;
}

void Portfolio::Add(const Portfolio& part) {
  loans += part.loans;
  active += part.active;
  disbursed += part.disbursed;
  outstanding += part.outstanding;
  repaid += part.repaid;
  arrears += part.arrears;
  written_off += part.written_off;
  recovered += part.recovered;
  at_risk_30 += part.at_risk_30;
  at_risk_90 += part.at_risk_90;
}

void Portfolio::Finish() {
  auto bp = [&](std::int64_t part) {
    if (outstanding == 0) return std::int64_t{0};
    return static_cast<std::int64_t>(RoundHalfUp(Int128(part) * kBasisPoints, outstanding));
  };
  par30_bp = bp(at_risk_30);
  par90_bp = bp(at_risk_90);
}

Portfolio Summarise(std::span<const PortfolioLoan> loans) {
  Portfolio f;
  for (const auto& l : loans) f.Add(l.disbursed, l.position);
  f.Finish();
  return f;
}

}  // namespace solidum::finance
