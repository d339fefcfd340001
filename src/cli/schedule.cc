#include "cli/schedule.h"

#include <cstdint>
#include <cstdio>
#include <string_view>

#include "finance/schedule.h"

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

// 125050 with 2 decimals -> "1250.50".
std::string Amount(std::int64_t v, int decimals) {
  if (decimals == 0) return std::to_string(v);
  std::string digits = std::to_string(v);
  if (digits.size() <= static_cast<std::size_t>(decimals)) digits.insert(0, static_cast<std::size_t>(decimals) + 1 - digits.size(), '0');
  digits.insert(digits.size() - static_cast<std::size_t>(decimals), ".");
  return digits;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "solidum schedule: %s\n", message.c_str());
  return 1;
}

}  // namespace

int RunSchedule(const ScheduleArgs& a) {
  if (a.decimals < 0 || a.decimals > 6) return Fail("--decimals: 0 to 6.");
  auto principal = ParseDecimal(a.principal, a.decimals);
  if (!principal) return Fail("--principal: a positive amount with at most " + std::to_string(a.decimals) + " decimals, such as 12500.50.");
  auto rate = ParseDecimal(a.rate, 4);
  if (!rate) return Fail("--rate: percent a year with at most 4 decimals, such as 5.25.");
  auto first = finance::ParseDate(a.first_due);
  if (!first) return Fail("--first-due: a date, YYYY-MM-DD.");
  finance::Terms t;
  t.principal = *principal;
  t.annual_rate_ppm = *rate;  // a percent with 4 decimals: units of 0.0001 %, parts per million
  t.method = *finance::ParseMethod(a.method);
  t.period = *finance::ParsePeriod(a.period);
  t.instalments = a.instalments;
  t.grace_principal = a.grace_principal;
  t.grace_interest = a.grace_interest;
  t.grace_interest_rule = *finance::ParseGraceInterest(a.grace_interest_rule);
  t.first_due = *first;
  auto s = finance::ComputeSchedule(t);
  if (!s.ok()) {
    const auto& f = s.error().fields.at(0);
    std::string option = "--" + f.field.substr(1);
    for (char& c : option) c = c == '_' ? '-' : c;
    if (option == "--annual-rate-ppm") {
      return Fail(f.code == "out_of_range" ? "--rate: 0 to 100 percent a year." : "--rate: " + f.message);
    }
    return Fail(option + ": " + f.message);
  }
  const int d = a.decimals;
  std::string out;
  if (a.format == "json") {
    out = "{\"principal\":" + std::to_string(t.principal) + ",\"total_interest\":" + std::to_string(s->total_interest) +
          ",\"total_capitalised\":" + std::to_string(s->total_capitalised) + ",\"total\":" + std::to_string(s->total) + ",\"instalments\":[";
    for (std::size_t i = 0; i < s->instalments.size(); ++i) {
      const auto& in = s->instalments[i];
      out += (i ? "," : "") + std::string("{\"number\":") + std::to_string(in.number) + ",\"due\":\"" + finance::FormatDate(in.due) +
             "\",\"principal\":" + std::to_string(in.principal) + ",\"interest\":" + std::to_string(in.interest) +
             ",\"total\":" + std::to_string(in.total) + ",\"balance\":" + std::to_string(in.balance) +
             ",\"capitalised\":" + std::to_string(in.capitalised) + "}";
    }
    out += "]}\n";
  } else if (a.format == "csv") {
    out = "number,due,principal,interest,total,balance,capitalised\n";
    for (const auto& in : s->instalments) {
      out += std::to_string(in.number) + "," + finance::FormatDate(in.due) + "," + Amount(in.principal, d) + "," + Amount(in.interest, d) + "," +
             Amount(in.total, d) + "," + Amount(in.balance, d) + "," + Amount(in.capitalised, d) + "\n";
    }
  } else {
    char line[160];
    std::snprintf(line, sizeof line, "%4s  %-10s  %16s  %14s  %16s  %16s\n", "#", "due", "principal", "interest", "instalment", "balance");
    out += line;
    for (const auto& in : s->instalments) {
      std::snprintf(line, sizeof line, "%4d  %-10s  %16s  %14s  %16s  %16s%s\n", in.number, finance::FormatDate(in.due).c_str(),
                    Amount(in.principal, d).c_str(), Amount(in.interest, d).c_str(), Amount(in.total, d).c_str(),
                    Amount(in.balance, d).c_str(), in.capitalised ? (" (+" + Amount(in.capitalised, d) + " capitalised)").c_str() : "");
      out += line;
    }
    std::snprintf(line, sizeof line, "%4s  %-10s  %16s  %14s  %16s\n", "", "total", Amount(s->total_principal, d).c_str(),
                  Amount(s->total_interest, d).c_str(), Amount(s->total, d).c_str());
    out += line;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace solidum::cli
