#include "cli/schedule.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <cstdio>
#include <string_view>

#include "finance/schedule.h"
#include "ledger/ledger.h"

namespace solidum::cli {
namespace {

// "12.5" with `decimals` decimals -> 1250; nullopt when not a plain non-negative decimal
// with at most that many decimals, or too large.
std::optional<std::int64_t> ParseDecimal(std::string_view s, int decimals) {
  if (s.empty() || s.size() > 24) return std::nullopt;
  std::int64_t whole = 0, frac = 0;
  int frac_digits = 0;
  bool dot = false, digits = false;
  for (char c : s) {
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    digits = true;
    if (dot) {
      if (++frac_digits > decimals) return std::nullopt;
      frac = frac * 10 + (c - '0');
    } else {
      if (whole > 100'000'000'000'000'000LL / 10) return std::nullopt;
      whole = whole * 10 + (c - '0');
    }
  }
  if (!digits) return std::nullopt;
  for (int i = frac_digits; i < decimals; ++i) frac *= 10;
  std::int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  if (whole > (INT64_MAX - frac) / scale) return std::nullopt;
  return whole * scale + frac;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "solidum schedule: %s\n", message.c_str());
  return 1;
}

// The issue's method names.
std::optional<finance::Method> MethodOf(std::string_view s) {
  if (s == "declining-equal-instalment") return finance::Method::kEqualInstalments;
  if (s == "declining-equal-principal") return finance::Method::kEqualPrincipal;
  if (s == "flat") return finance::Method::kFlat;
  if (s == "zero") return finance::Method::kInterestFree;
  return std::nullopt;
}

std::chrono::year_month_day Today() {
  return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}

}  // namespace

int RunSchedule(const ScheduleArgs& a) {
  if (a.decimals < 0 || a.decimals > 6) return Fail("--decimals: 0 to 6.");
  auto principal = ParseDecimal(a.principal, 0);
  if (!principal) return Fail("--principal: a whole number of minor units, such as 1000000.");
  auto rate = ParseDecimal(a.rate, 6);
  if (!rate) return Fail("--rate: a fraction a year with at most 6 decimals, such as 0.06 for 6 %.");
  auto start = a.start.empty() ? std::optional(Today()) : finance::ParseDate(a.start);
  if (!start) return Fail("--start: a date, YYYY-MM-DD.");
  auto method = MethodOf(a.method);
  if (!method) return Fail("--method: declining-equal-instalment, declining-equal-principal, flat or zero.");
  finance::Terms t;
  t.principal = *principal;
  t.annual_rate_ppm = *rate;  // a fraction with 6 decimals: millionths, parts per million
  t.method = *method;
  t.period = *finance::ParsePeriod(a.period);
  t.instalments = a.periods;
  t.grace_principal = a.grace_principal;
  t.grace_interest = a.grace_interest;
  t.grace_interest_rule = *finance::ParseGraceInterest(a.grace_interest_rule);
  // Due dates count from the start, so that a start on the 31st keeps month ends.
  t.first_due = finance::DueDate(*start, t.period, 1);
  auto s = finance::ComputeSchedule(t);
  if (!s.ok()) {
    const auto& f = s.error().fields.at(0);
    if (f.field == "/annual_rate_ppm") {
      return Fail(f.code == "out_of_range" ? "--rate: 0 to 1 (100 %) a year." : "--rate: " + f.message);
    }
    if (f.field == "/instalments") return Fail("--periods: " + f.message);
    std::string option = "--" + f.field.substr(1);
    for (char& c : option) c = c == '_' ? '-' : c;
    if (option == "--first-due") option = "--start";
    return Fail(option + ": " + f.message);
  }
  for (std::size_t i = 0; i < s->instalments.size(); ++i) s->instalments[i].due = finance::DueDate(*start, t.period, static_cast<int>(i) + 1);
  const auto amount = [d = a.decimals](std::int64_t v) { return ledger::FormatAmount(v, d); };
  std::string out;
  if (a.format == "json") {
    out = "{\"instalments\":[";
    for (std::size_t i = 0; i < s->instalments.size(); ++i) {
      const auto& in = s->instalments[i];
      out += (i ? "," : "") + std::string("{\"n\":") + std::to_string(in.number) + ",\"due\":\"" + finance::FormatDate(in.due) +
             "\",\"principal\":" + std::to_string(in.principal) + ",\"interest\":" + std::to_string(in.interest) +
             ",\"payment\":" + std::to_string(in.total) + ",\"balance\":" + std::to_string(in.balance) + "}";
    }
    out += "],\"total_interest\":" + std::to_string(s->total_interest) + "}\n";
  } else if (a.format == "csv") {
    out = "n,due,principal,interest,payment,balance,capitalised\n";
    for (const auto& in : s->instalments) {
      out += std::to_string(in.number) + "," + finance::FormatDate(in.due) + "," + amount(in.principal) + "," + amount(in.interest) + "," +
             amount(in.total) + "," + amount(in.balance) + "," + amount(in.capitalised) + "\n";
    }
  } else {
    char line[160];
    std::snprintf(line, sizeof line, "%4s  %-10s  %16s  %14s  %16s  %16s\n", "#", "due", "principal", "interest", "instalment", "balance");
    out += line;
    for (const auto& in : s->instalments) {
      std::snprintf(line, sizeof line, "%4d  %-10s  %16s  %14s  %16s  %16s%s\n", in.number, finance::FormatDate(in.due).c_str(),
                    amount(in.principal).c_str(), amount(in.interest).c_str(), amount(in.total).c_str(),
                    amount(in.balance).c_str(), in.capitalised ? (" (+" + amount(in.capitalised) + " capitalised)").c_str() : "");
      out += line;
    }
    std::snprintf(line, sizeof line, "%4s  %-10s  %16s  %14s  %16s\n", "", "total", amount(s->total_principal).c_str(),
                  amount(s->total_interest).c_str(), amount(s->total).c_str());
    out += line;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace solidum::cli
