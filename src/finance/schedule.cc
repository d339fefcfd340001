#include "finance/schedule.h"

#include <boost/multiprecision/cpp_int.hpp>

#include <array>
#include <cstdio>
#include <utility>

#include "common/assert.h"
#include "common/text.h"
#include "finance/rounding.h"

namespace solidum::finance {

namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::months;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;
using std::chrono::year_month_day_last;

constexpr std::array<std::pair<Method, std::string_view>, 4> kMethods{{{Method::kEqualInstalments, "equal_instalments"},
                                                                       {Method::kEqualPrincipal, "equal_principal"},
                                                                       {Method::kFlat, "flat"},
                                                                       {Method::kInterestFree, "interest_free"}}};
constexpr std::array<std::pair<Period, std::string_view>, 3> kPeriods{
    {{Period::kWeekly, "weekly"}, {Period::kMonthly, "monthly"}, {Period::kQuarterly, "quarterly"}}};
constexpr std::array<std::pair<GraceInterest, std::string_view>, 3> kGraceRules{
    {{GraceInterest::kWaived, "waived"}, {GraceInterest::kDeferred, "deferred"}, {GraceInterest::kCapitalised, "capitalised"}}};

template <typename E, std::size_t N>
std::string_view NameIn(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "";
}
template <typename E, std::size_t N>
std::optional<E> ParseIn(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s) return value;
  }
  return std::nullopt;
}

// Balances and totals stay well inside 64 bits (sums of two of them too).
constexpr Int128 kBalanceMax = Int128(1) << 61;
Error TooLarge() {
  return Error::Invalid("/grace_interest", "amounts_too_large", "With this much interest capitalised, the amounts exceed what the ledger holds.");
}

// The equal instalment that repays `balance` over `periods` at a / d per period, rounded.
std::int64_t Annuity(std::int64_t balance, std::int64_t a, std::int64_t d, int periods) {
  using boost::multiprecision::cpp_int;
  const cpp_int grown = boost::multiprecision::pow(cpp_int(d + a), periods);
  const cpp_int base = boost::multiprecision::pow(cpp_int(d), periods);
  const cpp_int num = cpp_int(balance) * a * grown;
  const cpp_int den = cpp_int(d) * (grown - base);
  return static_cast<std::int64_t>((2 * num + den) / (2 * den));
}

}  // namespace

std::string_view Name(Method m) { return NameIn(kMethods, m); }
std::string_view Name(Period p) { return NameIn(kPeriods, p); }
std::string_view Name(GraceInterest g) { return NameIn(kGraceRules, g); }
std::optional<Method> ParseMethod(std::string_view s) { return ParseIn(kMethods, s); }
std::optional<Period> ParsePeriod(std::string_view s) { return ParseIn(kPeriods, s); }
std::optional<GraceInterest> ParseGraceInterest(std::string_view s) { return ParseIn(kGraceRules, s); }

int PeriodsPerYear(Period p) {
  switch (p) {
    case Period::kWeekly:
      return 52;
    case Period::kMonthly:
      return 12;
    case Period::kQuarterly:
      return 4;
  }
  return 12;
}

Result<void> Validate(const Terms& t) {
  if (t.principal < 1 || t.principal > kPrincipalMax) {
    return Error::Invalid("/principal", "out_of_range", "The principal is 1 to " + std::to_string(kPrincipalMax) + " minor units.");
  }
  if (t.annual_rate_ppm < 0 || t.annual_rate_ppm > kAnnualRatePpmMax) {
    return Error::Invalid("/annual_rate_ppm", "out_of_range", "The annual rate is 0 to 1,000,000 parts per million (0 to 100 %).");
  }
  if (t.method == Method::kInterestFree && t.annual_rate_ppm != 0) {
    return Error::Invalid("/annual_rate_ppm", "not_for_interest_free", "An interest-free loan has no rate.");
  }
  if (t.instalments < 1 || t.instalments > kInstalmentsMax) {
    return Error::Invalid("/instalments", "out_of_range", "1 to " + std::to_string(kInstalmentsMax) + " instalments.");
  }
  if (t.grace_principal < 0 || t.grace_principal >= t.instalments) {
    return Error::Invalid("/grace_principal", "out_of_range", "The grace on principal leaves at least one instalment to repay it.");
  }
  if (t.grace_interest < 0 || t.grace_interest > t.grace_principal) {
    return Error::Invalid("/grace_interest", "out_of_range", "The grace on interest is at most the grace on principal.");
  }
  if (!t.first_due.ok() || t.first_due.year() < year(1900) || t.first_due.year() > year(9000)) {
    return Error::Invalid("/first_due", "invalid_date", "The first due date is a real date, YYYY-MM-DD.");
  }
  return Ok();
}

year_month_day DueDate(year_month_day first, Period period, int index) {
  if (period == Period::kWeekly) return year_month_day(sys_days(first) + std::chrono::days(7 * index));
  const int step = period == Period::kQuarterly ? 3 : 1;
  const auto ym = std::chrono::year_month(first.year(), first.month()) + months(step * index);
  const day last = year_month_day_last(ym.year(), std::chrono::month_day_last(ym.month())).day();
  return year_month_day(ym.year(), ym.month(), first.day() > last ? last : first.day());
}

std::string FormatDate(year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<year_month_day> ParseDate(std::string_view s) {
  if (!text::IsIsoDate(s)) return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len) {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  year_month_day d{year(num(0, 4)), month(static_cast<unsigned>(num(5, 2))), day(static_cast<unsigned>(num(8, 2)))};
  if (!d.ok()) return std::nullopt;
  return d;
}

Result<Schedule> ComputeSchedule(const Terms& t) {
  SOLIDUM_TRY(Validate(t));
  const std::int64_t a = t.method == Method::kInterestFree ? 0 : t.annual_rate_ppm;
  const std::int64_t d = 1'000'000LL * PeriodsPerYear(t.period);
  const int amortised = t.instalments - t.grace_principal;
  auto interest_on = [&](Int128 balance) { return RoundHalfUp(balance * a, d); };

  Schedule s;
  s.instalments.reserve(static_cast<std::size_t>(t.instalments));
  Int128 balance = t.principal;
  Int128 deferred = 0;
  Int128 start = 0;         // the balance when amortisation starts
  std::int64_t level = 0;   // equal instalments: the instalment; otherwise the principal part
  Int128 flat_interest = 0;
  Int128 total_interest = 0;
  for (int i = 0; i < t.instalments; ++i) {
    Instalment in;
    in.number = i + 1;
    in.due = DueDate(t.first_due, t.period, i);
    if (i == t.grace_principal) {
      start = balance;
      flat_interest = interest_on(start);
      if (t.method == Method::kEqualInstalments && a > 0) level = Annuity(static_cast<std::int64_t>(start), a, d, amortised);
      else level = static_cast<std::int64_t>(start / amortised);
    }
    const Int128 accrued = t.method == Method::kFlat && i >= t.grace_principal ? flat_interest : interest_on(balance);
    Int128 principal = 0, interest = 0;
    if (i < t.grace_interest) {
      if (t.grace_interest_rule == GraceInterest::kDeferred) deferred += accrued;
      if (t.grace_interest_rule == GraceInterest::kCapitalised) {
        balance += accrued;
        in.capitalised = static_cast<std::int64_t>(accrued);
        if (balance > kBalanceMax) return TooLarge();
      }
    } else {
      interest = accrued + deferred;
      deferred = 0;
      if (i == t.instalments - 1) {
        principal = balance;  // the last settles what rounding left
      } else if (i >= t.grace_principal) {
        principal = t.method == Method::kEqualInstalments && a > 0 ? Int128(level) - accrued : Int128(level);
        if (principal < 0) principal = 0;
        if (principal > balance) principal = balance;
      }
    }
    balance -= principal;
    in.principal = static_cast<std::int64_t>(principal);
    in.interest = static_cast<std::int64_t>(interest);
    in.total = in.principal + in.interest;
    in.balance = static_cast<std::int64_t>(balance);
    total_interest += interest;
    if (total_interest > kBalanceMax) return TooLarge();
    s.total_principal += in.principal;
    s.total_capitalised += in.capitalised;
    s.instalments.push_back(in);
  }
  s.total_interest = static_cast<std::int64_t>(total_interest);
  s.total = s.total_principal + s.total_interest;
  SOLIDUM_ASSERT(balance == 0);
  SOLIDUM_ASSERT(s.total_principal == t.principal + s.total_capitalised);
  return s;
}

}  // namespace solidum::finance
