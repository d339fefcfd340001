// Loan schedules: a pure engine (no store, no clock) that turns a loan's terms into its
// instalments, exactly, in the currency's minor units.
//
// Interest per period = outstanding balance x annual rate / periods per year (12 monthly,
// 4 quarterly, 52 weekly): equal periods, no day count, the convention of microfinance
// and solidarity funds' contracts. Amounts are rounded half away from zero to the minor
// unit, and whatever rounding leaves over goes on the last instalment, so that the
// principal parts sum exactly to the principal (plus any interest capitalised).
//
// Methods:
//  - equal instalments (declining balance, "annuity"): every instalment after the grace
//    periods has the same total, A = B r (1+r)^m / ((1+r)^m - 1), computed exactly on
//    rationals (Boost.Multiprecision) and rounded; the last one settles the balance;
//  - equal principal (declining balance): principal B / m each time (the remainder on the
//    last), interest on the balance, so instalments decrease;
//  - flat: interest on the original principal every period, principal as equal principal;
//  - interest-free: principal only.
//
// Grace (patient capital): `grace_principal` first periods due no principal;
// `grace_interest` first periods (at most as many) due no interest either, and the
// interest of those periods is waived, deferred to the first instalment after them, or
// capitalised (added to the balance, then amortised). The amortisation runs over the
// periods after the principal grace.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace solidum::finance {

enum class Method { kEqualInstalments, kEqualPrincipal, kFlat, kInterestFree };
enum class Period { kWeekly, kMonthly, kQuarterly };
enum class GraceInterest { kWaived, kDeferred, kCapitalised };

// Names as the API and the CSV say them: equal_instalments, equal_principal, flat,
// interest_free; weekly, monthly, quarterly; waived, deferred, capitalised.
std::string_view Name(Method m);
std::string_view Name(Period p);
std::string_view Name(GraceInterest g);
std::optional<Method> ParseMethod(std::string_view s);
std::optional<Period> ParsePeriod(std::string_view s);
std::optional<GraceInterest> ParseGraceInterest(std::string_view s);
int PeriodsPerYear(Period p);

// Limits on terms (checked by Validate).
inline constexpr std::int64_t kPrincipalMax = 1'000'000'000'000'000;  // 10^15 minor units
inline constexpr std::int64_t kAnnualRatePpmMax = 1'000'000;          // 100 % a year
inline constexpr int kInstalmentsMax = 1'560;                         // 30 years weekly, 130 years monthly

struct Terms {
  std::int64_t principal = 0;        // minor units, 1..kPrincipalMax
  std::int64_t annual_rate_ppm = 0;  // parts per million a year: 5.25 % is 52,500
  Method method = Method::kEqualInstalments;
  Period period = Period::kMonthly;
  int instalments = 12;              // 1..kInstalmentsMax, grace periods included
  int grace_principal = 0;           // 0..instalments - 1
  int grace_interest = 0;            // 0..grace_principal
  GraceInterest grace_interest_rule = GraceInterest::kDeferred;
  std::chrono::year_month_day first_due{};  // the first instalment's due date
};

// The first term that is out of range, as an invalid-field error ("/principal",
// "/annual_rate_ppm", "/instalments", "/grace_principal", "/grace_interest",
// "/first_due"); Ok when all are valid.
Result<void> Validate(const Terms& terms);

struct Instalment {
  int number = 0;  // 1-based
  std::chrono::year_month_day due{};
  std::int64_t principal = 0;
  std::int64_t interest = 0;
  std::int64_t total = 0;        // principal + interest
  std::int64_t balance = 0;      // principal outstanding after it is paid
  std::int64_t capitalised = 0;  // interest added to the balance in this period (not due)
};

struct Schedule {
  std::vector<Instalment> instalments;
  std::int64_t total_principal = 0;  // = principal + total_capitalised
  std::int64_t total_interest = 0;   // due, capitalised interest not included
  std::int64_t total_capitalised = 0;
  std::int64_t total = 0;            // total_principal + total_interest
};

// The schedule, or Validate's error. Deterministic: the same terms give the same schedule.
Result<Schedule> ComputeSchedule(const Terms& terms);

// The due date of period `index` (0-based) counted from `first`: months added to the
// first date (a day past the month's end falls on its last day: 31 Jan, 28 Feb, 31 Mar).
std::chrono::year_month_day DueDate(std::chrono::year_month_day first, Period period, int index);

// "YYYY-MM-DD".
std::string FormatDate(std::chrono::year_month_day d);
std::optional<std::chrono::year_month_day> ParseDate(std::string_view s);

}  // namespace solidum::finance
