// GET /api/v1/loan-schedule: a loan's schedule from its terms (finance::ComputeSchedule),
// for anyone: borrowers and fund committees try terms before a contract. Nothing stored.
#include <boost/json.hpp>

#include "common/text.h"
#include "finance/schedule.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"

namespace solidum::http::api {

using identity::Action;

namespace {

// The terms from the query; every bad parameter named ("?principal", ...).
Result<finance::Terms> TermsFrom(const Request& request) {
  finance::Terms t;
  bool principal = false, first_due = false;
  std::vector<FieldError> bad;
  auto integer = [&](const std::string& key, const std::string& value, std::int64_t lo, std::int64_t hi) -> std::int64_t {
    auto n = text::ParseInt64(value);
    if (!n || *n < lo || *n > hi) {
      bad.push_back({"?" + key, "invalid_value", "A whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + "."});
      return lo;
    }
    return *n;
  };
  for (const auto& [key, value] : request.query) {
    if (key == "principal") {
      t.principal = integer(key, value, 1, finance::kPrincipalMax);
      principal = true;
    } else if (key == "annual_rate_ppm") {
      t.annual_rate_ppm = integer(key, value, 0, finance::kAnnualRatePpmMax);
    } else if (key == "instalments") {
      t.instalments = static_cast<int>(integer(key, value, 1, finance::kInstalmentsMax));
    } else if (key == "grace_principal" || key == "grace_interest") {
      (key == "grace_principal" ? t.grace_principal : t.grace_interest) = static_cast<int>(integer(key, value, 0, finance::kInstalmentsMax));
    } else if (key == "method") {
      if (auto m = finance::ParseMethod(value)) t.method = *m;
      else bad.push_back({"?method", "unknown_term", "One of: equal_instalments, equal_principal, flat, interest_free."});
    } else if (key == "period") {
      if (auto p = finance::ParsePeriod(value)) t.period = *p;
      else bad.push_back({"?period", "unknown_term", "One of: weekly, monthly, quarterly."});
    } else if (key == "grace_interest_rule") {
      if (auto g = finance::ParseGraceInterest(value)) t.grace_interest_rule = *g;
      else bad.push_back({"?grace_interest_rule", "unknown_term", "One of: waived, deferred, capitalised."});
    } else if (key == "first_due") {
      if (auto d = finance::ParseDate(value)) t.first_due = *d;
      else bad.push_back({"?first_due", "invalid_date", "A date, YYYY-MM-DD."});
      first_due = true;
    } else {
      bad.push_back({"?" + key, "unknown_parameter", "This parameter is not known."});
    }
  }
  if (!principal) bad.push_back({"?principal", "required", "The amount lent, in minor units."});
  if (!first_due) bad.push_back({"?first_due", "required", "The first instalment's date, YYYY-MM-DD."});
  if (!bad.empty()) return Error::Invalid(std::move(bad));
  return t;
}

Response LoanSchedule(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto terms, TermsFrom(ctx.request));
  auto s = finance::ComputeSchedule(terms);
  if (!s.ok()) {
    Error e = s.error();
    for (auto& f : e.fields) f.field = "?" + f.field.substr(1);  // the engine's "/principal" is our "?principal"
    return Problem(e, ctx.request.path);
  }
  boost::json::array rows;
  for (const auto& in : s->instalments) {
    rows.push_back({{"number", in.number}, {"due", finance::FormatDate(in.due)}, {"principal", in.principal}, {"interest", in.interest},
                    {"total", in.total}, {"balance", in.balance}, {"capitalised", in.capitalised}});
  }
  return Json(200, {{"principal", terms.principal},
                    {"annual_rate_ppm", terms.annual_rate_ppm},
                    {"method", finance::Name(terms.method)},
                    {"period", finance::Name(terms.period)},
                    {"total_principal", s->total_principal},
                    {"total_interest", s->total_interest},
                    {"total_capitalised", s->total_capitalised},
                    {"total", s->total},
                    {"instalments", std::move(rows)}});
}

}  // namespace

void RegisterFinance(Router& router) {
  router.Add({"GET", "/api/v1/loan-schedule", Action::kAnyone, "", LoanSchedule,
              "A loan's schedule of instalments from its terms (a calculator: nothing is stored)"});
}

}  // namespace solidum::http::api
