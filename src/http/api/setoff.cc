// A network's set-off runs over HTTP (clearing/runs.h), for its admins: upload a file of
// obligations between firms (the body is the CSV itself, as `solidum clear` reads it), get
// the run's summary, its firms (largest set-off first, searchable) and its report files:
// the obligations left (to clear again or to send back) and each firm's set-off.
#include <boost/json.hpp>

#include "clearing/posting.h"
#include "clearing/report.h"
#include "common/json_fields.h"
#include "common/limits.h"
#include "common/text.h"
#include "http/api/ledger_access.h"
#include "http/api/paging.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"

namespace solidum::http::api {

using identity::Action;

namespace {

boost::json::object RunJson(const clearing::RunSummary& s) {
  return {{"id", s.id},
          {"organisation_id", s.organisation_id},
          {"title", s.title},
          {"created_at", s.created_at},
          {"obligations", s.obligations},
          {"firms", s.firms},
          {"total", s.total},
          {"nid", s.nid},
          {"cleared", s.cleared},
          {"remaining", s.remaining},
          {"firms_with_setoff", s.firms_with_setoff},
          {"has_ids", s.has_ids},
          {"has_due", s.has_due}};
}

Response UnknownParameter(Context& ctx, const std::string& key) {
  return Problem(Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known."), ctx.request.path);
}

// POST /organisations/{id}/setoff-runs?title=: the body is the obligations file.
Response CreateRun(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  std::string title;
  for (const auto& [key, value] : ctx.request.query) {
    if (key != "title") return UnknownParameter(ctx, key);
    title = value;
  }
  if (ctx.request.body.empty()) {
    return Problem(Error::Invalid("", "empty", "Send the obligations file (debtor,creditor,amount) as the request's body."), ctx.request.path);
  }
  // A bad file's problem names its line as the field ("line 12"), as the CLI does.
  SOLIDUM_HTTP_TRY(auto run, ctx.services.setoff_runs.Create(org, ctx.principal.user_id, title, ctx.request.body));
  Response r = Json(201, RunJson(run));
  r.SetHeader("Location", "/api/v1/organisations/" + std::to_string(org) + "/setoff-runs/" + std::to_string(run.id));
  return r;
}

Response ListRuns(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  Paging paging{20};
  for (const auto& [key, value] : ctx.request.query) {
    SOLIDUM_HTTP_TRY(bool taken, TakePagingParam(key, value, paging));
    if (!taken) return UnknownParameter(ctx, key);
  }
  SOLIDUM_HTTP_TRY(auto page, ctx.services.setoff_runs.List(org, paging.offset, std::min(paging.limit, clearing::kRunsPageMax)));
  boost::json::array items;
  for (const auto& s : page.first) items.push_back(RunJson(s));
  const std::size_t shown = items.size();
  return Json(200, boost::json::object{{"items", std::move(items)}, {"total", page.second}, {"next_cursor", NextCursor(paging, shown, page.second)}});
}

Response GetRun(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto run, ctx.IdParam("rid"));
  SOLIDUM_HTTP_TRY(auto s, ctx.services.setoff_runs.Get(org, run));
  return Json(200, RunJson(s));
}

// GET .../firms?q=&with_setoff=true&limit=&cursor=
Response ListFirms(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto run, ctx.IdParam("rid"));
  Paging paging{50};
  clearing::FirmQuery q;
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "q") {
      if (value.size() > 200 || !text::IsValidUtf8(value)) return Problem(Error::Invalid("?q", "invalid_value", "At most 200 characters."), ctx.request.path);
      q.text = value;
    } else if (key == "with_setoff") {
      if (value != "true" && value != "false") return Problem(Error::Invalid("?with_setoff", "invalid_value", "true or false."), ctx.request.path);
      q.with_setoff_only = value == "true";
    } else {
      SOLIDUM_HTTP_TRY(bool taken, TakePagingParam(key, value, paging));
      if (!taken) return UnknownParameter(ctx, key);
    }
  }
  q.limit = std::min(paging.limit, clearing::kFirmsPageMax);
  q.offset = paging.offset;
  SOLIDUM_HTTP_TRY(auto page, ctx.services.setoff_runs.Firms(org, run, q));
  boost::json::array items;
  for (const auto& f : page.first) {
    items.push_back({{"index", f.index},
                     {"name", f.name},
                     {"owes", f.set_off.owes},
                     {"owed", f.set_off.owed},
                     {"set_off", f.set_off.set_off},
                     {"owes_after", f.set_off.owes - f.set_off.set_off},
                     {"owed_after", f.set_off.owed - f.set_off.set_off},
                     {"net_position", f.set_off.owed - f.set_off.owes}});
  }
  const std::size_t shown = items.size();
  return Json(200, boost::json::object{{"items", std::move(items)}, {"total", page.second}, {"next_cursor", NextCursor(paging, shown, page.second)}});
}

// The run's report files: "remaining" (the obligations left) or "firms".
Response RunCsv(Context& ctx, bool remaining) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto run, ctx.IdParam("rid"));
  if (!ctx.request.query.empty()) return UnknownParameter(ctx, ctx.request.query.front().first);
  SOLIDUM_HTTP_TRY(auto loaded, ctx.services.setoff_runs.Load(org, run));
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  const std::string name = std::string(remaining ? "setoff-remaining-" : "setoff-firms-") + std::to_string(run) + ".csv";
  r.SetHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
  r.body = remaining ? clearing::RemainingCsv(loaded.first, loaded.second) : clearing::FirmsCsv(loaded.first, loaded.second);
  return r;
}

// POST .../{rid}/postings {currency_id}: the run's set-off onto each firm's statement in
// one of the network's currencies (clearing/posting.h). The caller must administer the
// currency too.
Response PostRun(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto run, ctx.IdParam("rid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  const std::int64_t currency_id = r.Integer("currency_id", 1, INT64_MAX, true).value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto summary, ctx.services.setoff_runs.Get(org, run));
  SOLIDUM_HTTP_TRY(auto currency, ctx.services.ledger.GetCurrency(currency_id));
  SOLIDUM_HTTP_TRY(bool admin, AdministersCurrency(ctx, currency));
  if (!admin) {
    return Problem(Error::Make(ErrorKind::kForbidden, "not_permitted", "Only the admins of " + currency.def.code + " may post into it."), ctx.request.path);
  }
  SOLIDUM_HTTP_TRY(auto report, clearing::PostRun(ctx.services.setoff_runs, ctx.services.ledger, org, summary.id, currency.id));
  boost::json::array refused;
  for (const auto& f : report.refused) refused.push_back({{"firm", f.firm}, {"account", f.account}, {"code", f.code}});
  return Json(200, boost::json::object{{"currency", CurrencyJson(currency)},
                                       {"clearing_account", report.clearing_account},
                                       {"firms", report.firms},
                                       {"posted", report.posted},
                                       {"replayed", report.replayed},
                                       {"refused", std::move(refused)}});
}

}  // namespace

void RegisterSetOff(Router& router) {
  const std::string runs = "/api/v1/organisations/{id}/setoff-runs";
  Route create{"POST", runs, Action::kClearingAdmin, "id", CreateRun,
               "Run a multilateral set-off of obligations between firms: the body is the CSV file (debtor,creditor,amount[,id][,due])"};
  create.body_bytes_max = limits::kUploadBodyBytesMax;
  router.Add(std::move(create));
  router.Add({"GET", runs, Action::kClearingAdmin, "id", ListRuns, "A network's set-off runs, newest first"});
  router.Add({"GET", runs + "/{rid}", Action::kClearingAdmin, "id", GetRun,
              "A set-off run's summary: obligations, firms, total debt, net internal debt, cleared and remaining"});
  router.Add({"GET", runs + "/{rid}/firms", Action::kClearingAdmin, "id", ListFirms,
              "A set-off run's firms, the largest set-off first; search by name"});
  router.Add({"GET", runs + "/{rid}/remaining.csv", Action::kClearingAdmin, "id", [](Context& c) { return RunCsv(c, true); },
              "The obligations a set-off run left owing, as CSV in the input's format"});
  router.Add({"POST", runs + "/{rid}/postings", Action::kClearingAdmin, "id", PostRun,
              "Post a set-off run into a currency: each firm's statement records its claims and debts cancelled, balances unchanged"});
  router.Add({"GET", runs + "/{rid}/firms.csv", Action::kClearingAdmin, "id", [](Context& c) { return RunCsv(c, false); },
              "Each firm's set-off in a run, as CSV"});
}

}  // namespace solidum::http::api
