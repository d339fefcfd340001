// Solidarity finance over HTTP: the loan calculator (GET /api/v1/loan-schedule, for
// anyone: borrowers and fund committees try terms before a contract; nothing stored) and
// an organisation's solidarity funds with their backers' contributions (finance::Funds).
#include <boost/json.hpp>

#include "common/json_fields.h"
#include "common/text.h"
#include "finance/funds.h"
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

boost::json::object FundJson(Context& ctx, const finance::Fund& f) {
  boost::json::object o{{"id", f.id},     {"organisation_id", f.organisation_id}, {"name", f.name},     {"code", f.code},
                        {"unit", f.unit}, {"decimals", f.decimals},               {"currency_id", f.currency_id}, {"created_at", f.created_at}};
  auto figures = ctx.services.funds.Figures(f);
  if (!figures.ok()) return o;  // the fund itself still shows; its figures come back with the ledger
  o["figures"] = {{"pool", figures->pool},   {"capital", figures->capital}, {"interest", figures->interest},
                  {"fees", figures->fees},   {"losses", figures->losses},   {"deposits", figures->deposits}};
  boost::json::array backers;
  for (const auto& b : figures->backers) backers.push_back({{"organisation_id", b.organisation}, {"name", b.name}, {"capital", b.capital}});
  o["backers"] = std::move(backers);
  return o;
}

Response CreateFund(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::FundInput in;
  in.name = r.Text("name", {.required = true, .max_chars = finance::kFundNameCharsMax}).value;
  in.code = r.Text("code", {.required = true, .max_chars = ledger::kCurrencyCodeBytesMax}).value;
  in.unit = r.Text("unit", {.required = true, .max_chars = 50}).value;
  in.decimals = r.Integer("decimals", 0, ledger::kDecimalsMax, true).value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto fund, ctx.services.funds.Create(org, in));
  return Json(201, FundJson(ctx, fund));
}

Response ListFunds(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.funds.List(org));
  boost::json::array items;
  for (const auto& f : list) items.push_back(FundJson(ctx, f));
  return Json(200, {{"items", std::move(items)}});
}

Response GetFund(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("fid"));
  SOLIDUM_HTTP_TRY(auto fund, ctx.services.funds.Get(org, id));
  return Json(200, FundJson(ctx, fund));
}

Response Contribute(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("fid"));
  SOLIDUM_HTTP_TRY(auto fund, ctx.services.funds.Get(org, id));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::ContributionInput in;
  in.id = r.Text("id", {.required = true, .max_chars = finance::kContributionIdBytesMax, .trim = false}).value;
  in.backer = r.Integer("backer", 1, INT64_MAX, true).value;
  in.amount = r.Integer("amount", 1, ledger::kLimitMax, true).value;
  in.memo = r.Text("memo", {.max_chars = 200}).value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto outcome, ctx.services.funds.Contribute(fund, in));
  return Json(outcome.replayed ? 200 : 201, {{"id", in.id},
                                             {"transfer_id", outcome.transfer.request.id},
                                             {"amount", outcome.transfer.amount},
                                             {"replayed", outcome.replayed}});
}

}  // namespace

void RegisterFinance(Router& router) {
  router.Add({"GET", "/api/v1/loan-schedule", Action::kAnyone, "", LoanSchedule,
              "A loan's schedule of instalments from its terms (a calculator: nothing is stored)"});
  const std::string funds = "/api/v1/organisations/{id}/funds";
  router.Add({"POST", funds, Action::kLedgerAdmin, "id", CreateFund, "Create a solidarity fund: its books are a ledger currency of its own"});
  router.Add({"GET", funds, Action::kMembersRead, "id", ListFunds, "The organisation's funds with their figures"});
  router.Add({"GET", funds + "/{fid}", Action::kMembersRead, "id", GetFund, "A fund: pool, capital by backer, income, losses"});
  router.Add({"POST", funds + "/{fid}/contributions", Action::kLedgerAdmin, "id", Contribute,
              "Record a backer's capital contribution (idempotent by the caller's id)"});
}

}  // namespace solidum::http::api
