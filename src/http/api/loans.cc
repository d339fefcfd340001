// Loans from solidarity funds over HTTP (finance::Loans). Two sides:
//  - the fund's, under /organisations/{id}/funds/{fid}: its admins set products, record
//    applications received on paper, move them, record the committee's decision, sign
//    contracts, disburse, record repayments and write-offs; its members (the committee)
//    read the pipeline, the loans and the portfolio and add review notes;
//  - the applicant's: GET /funds (anyone: which funds lend, on what terms), and an
//    organisation's admins and editors apply and follow their applications under
//    /organisations/{id}/loan-applications (without the committee's notes).
#include <boost/json.hpp>

#include <map>

#include "common/json_fields.h"
#include "finance/group_loans.h"
#include "finance/loans.h"
#include "http/api/attachments.h"
#include "http/api/fields.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"

namespace solidum::http::api {

using identity::Action;
using std::chrono::year_month_day;

namespace {

finance::Loans& LoansOf(Context& ctx) { return ctx.services.loans; }

year_month_day Today(Context& ctx) {
  return year_month_day(std::chrono::floor<std::chrono::days>(std::chrono::sys_time<std::chrono::microseconds>(std::chrono::microseconds(ctx.services.clock.NowMicros()))));
}

// ?as_of=YYYY-MM-DD, today by default.
Result<year_month_day> AsOf(Context& ctx) {
  SOLIDUM_ASSIGN_OR_RETURN(auto d, DateQuery(ctx.request.query, "as_of"));
  return d ? *d : Today(ctx);
}

attachments::Owner FilesOf(const finance::Application& a) { return {std::string(finance::kApplicationFiles), a.id}; }

Result<finance::Fund> FundOf(Context& ctx) {
  SOLIDUM_ASSIGN_OR_RETURN(auto org, ctx.IdParam("id"));
  SOLIDUM_ASSIGN_OR_RETURN(auto id, ctx.IdParam("fid"));
  return ctx.services.funds.Get(org, id);
}

boost::json::object ProductJson(const finance::Product& p) {
  return {{"id", p.id},
          {"fund_id", p.fund_id},
          {"name", p.name},
          {"method", finance::Name(p.method)},
          {"period", finance::Name(p.period)},
          {"annual_rate_ppm", p.annual_rate_ppm},
          {"principal_min", p.principal_min},
          {"principal_max", p.principal_max},
          {"instalments_max", p.instalments_max},
          {"grace_max", p.grace_max},
          {"grace_interest_rule", finance::Name(p.grace_interest_rule)},
          {"created_at", p.created_at}};
}

boost::json::object ApplicationJson(const finance::Application& a, bool with_notes) {
  boost::json::object o{{"id", a.id},
                        {"fund_id", a.fund_id},
                        {"product", {{"id", a.product_id}, {"name", a.product_name}}},
                        {"organisation", {{"id", a.organisation_id}, {"name", a.organisation_name}}},
                        {"amount", a.amount},
                        {"instalments", a.instalments},
                        {"grace_principal", a.grace_principal},
                        {"grace_interest", a.grace_interest},
                        {"purpose", a.purpose},
                        {"jobs_created", a.jobs_created},
                        {"jobs_kept", a.jobs_kept},
                        {"business_plan_url", a.business_plan_url.empty() ? boost::json::value(nullptr) : boost::json::value(a.business_plan_url)},
                        {"stage", a.stage},
                        {"decision", a.decision ? boost::json::parse(*a.decision) : boost::json::value(nullptr)},
                        {"loan_id", a.loan_id ? boost::json::value(*a.loan_id) : boost::json::value(nullptr)},
                        {"created_at", a.created_at},
                        {"updated_at", a.updated_at},
                        {"version", a.version}};
  if (with_notes) {
    boost::json::array notes;
    for (const auto& n : a.notes) notes.push_back({{"id", n.id}, {"author", n.author_name}, {"body", n.body}, {"created_at", n.created_at}});
    o["notes"] = std::move(notes);
  }
  return o;
}

boost::json::object PositionJson(const finance::LoanPosition& p) {
  return {{"paid", p.paid},
          {"principal_repaid", p.principal_repaid},
          {"interest_repaid", p.interest_repaid},
          {"fees_repaid", p.fees_repaid},
          {"principal_outstanding", p.principal_outstanding},
          {"interest_outstanding", p.interest_outstanding},
          {"fees_outstanding", p.fees_outstanding},
          {"arrears", p.arrears},
          {"principal_in_arrears", p.principal_in_arrears},
          {"days_in_arrears", p.days_in_arrears},
          {"overpaid", p.overpaid},
          {"written_off", p.written_off},
          {"recovered", p.recovered},
          {"repaid", p.repaid},
          {"is_written_off", p.is_written_off}};
}

boost::json::object RepaymentJson(const finance::RepaymentRecord& r) {
  return {{"id", r.request_id},         {"seq", r.seq},           {"paid_on", finance::FormatDate(r.paid_on)}, {"amount", r.amount},
          {"fees", r.fees},             {"interest", r.interest}, {"principal", r.principal},                  {"overpaid", r.overpaid},
          {"recovered", r.recovered},   {"created_at", r.created_at}};
}

boost::json::object LoanJson(const finance::Loan& l, year_month_day as_of, bool full) {
  const auto& t = l.terms;
  boost::json::object o{{"id", l.id},
                        {"fund_id", l.fund_id},
                        {"application_id", l.application_id},
                        {"organisation", {{"id", l.organisation_id}, {"name", l.organisation_name}}},
                        {"principal", t.principal},
                        {"method", finance::Name(t.method)},
                        {"period", finance::Name(t.period)},
                        {"annual_rate_ppm", t.annual_rate_ppm},
                        {"instalments", t.instalments},
                        {"grace_principal", t.grace_principal},
                        {"grace_interest", t.grace_interest},
                        {"grace_interest_rule", finance::Name(t.grace_interest_rule)},
                        {"start_on", finance::FormatDate(l.start_on)},
                        {"status", l.status},
                        {"written_off_on", l.written_off_on ? boost::json::value(finance::FormatDate(*l.written_off_on)) : boost::json::value(nullptr)},
                        {"disbursed", l.disbursed},
                        {"jobs_created", l.jobs_created},
                        {"jobs_kept", l.jobs_kept},
                        {"version", l.version},
                        {"created_at", l.created_at},
                        {"as_of", finance::FormatDate(as_of)},
                        {"position", PositionJson(l.position)}};
  if (!full) return o;
  boost::json::array schedule, tranches, repayments;
  for (std::size_t i = 0; i < l.schedule.size(); ++i) {
    const auto& d = l.schedule[i];
    boost::json::object row{{"n", i + 1}, {"due", finance::FormatDate(d.due)}, {"principal", d.principal}, {"interest", d.interest}, {"fees", d.fees}};
    if (i < l.position.lines.size()) {
      const auto& line = l.position.lines[i];
      row["paid"] = line.fees_paid + line.interest_paid + line.principal_paid;
      row["paid_on"] = line.paid_on ? boost::json::value(finance::FormatDate(*line.paid_on)) : boost::json::value(nullptr);
    }
    schedule.push_back(std::move(row));
  }
  for (const auto& tr : l.tranches) {
    tranches.push_back({{"n", tr.n},
                        {"amount", tr.amount},
                        {"planned_on", finance::FormatDate(tr.planned_on)},
                        {"disbursed_on", tr.disbursed_on ? boost::json::value(finance::FormatDate(*tr.disbursed_on)) : boost::json::value(nullptr)}});
  }
  for (const auto& r : l.repayments) repayments.push_back(RepaymentJson(r));
  boost::json::array reschedulings;
  for (const auto& r : l.reschedulings) {
    reschedulings.push_back({{"n", r.n}, {"on", finance::FormatDate(r.on)}, {"capitalised_interest", r.capitalised_interest},
                             {"capitalised_fees", r.capitalised_fees}, {"created_at", r.created_at}});
  }
  o["reschedulings"] = std::move(reschedulings);
  o["schedule"] = std::move(schedule);
  o["tranches"] = std::move(tranches);
  o["repayments"] = std::move(repayments);
  return o;
}

// ---- the fund's side

Response CreateProduct(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::ProductInput in;
  in.name = r.Text("name", {.required = true, .max_chars = finance::kProductNameCharsMax}).value;
  auto term = [&](std::string_view key, auto parse, auto& into, const char* choices) {
    auto f = r.Text(key, {.max_chars = 40});
    if (!f.has_value()) return;
    if (auto v = parse(f.value)) into = *v;
    else r.Fail(key, "unknown_term", std::string("One of: ") + choices + ".");
  };
  term("method", finance::ParseMethod, in.method, "equal_instalments, equal_principal, flat, interest_free");
  term("period", finance::ParsePeriod, in.period, "weekly, monthly, quarterly");
  term("grace_interest_rule", finance::ParseGraceInterest, in.grace_interest_rule, "waived, deferred, capitalised");
  // Ranges are the engine's to say, by field, after the types are right.
  in.annual_rate_ppm = r.Integer("annual_rate_ppm", INT64_MIN, INT64_MAX, true).value;
  in.principal_min = r.Integer("principal_min", INT64_MIN, INT64_MAX, true).value;
  in.principal_max = r.Integer("principal_max", INT64_MIN, INT64_MAX, true).value;
  in.instalments_max = static_cast<int>(r.Integer("instalments_max", INT32_MIN, INT32_MAX, true).value);
  in.grace_max = static_cast<int>(r.Integer("grace_max", INT32_MIN, INT32_MAX).value);
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto p, LoansOf(ctx).CreateProduct(fund, in));
  return Json(201, ProductJson(p));
}

Response ListProducts(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto list, LoansOf(ctx).Products(fund));
  boost::json::array items;
  for (const auto& p : list) items.push_back(ProductJson(p));
  return Json(200, {{"items", std::move(items)}});
}

// The application's fields (both sides send the same ones; the applicant names the fund).
finance::ApplicationInput ReadApplication(json_fields::ObjectReader& r) {
  finance::ApplicationInput in;
  in.product_id = r.Integer("product_id", 1, INT64_MAX, true).value;
  in.amount = r.Integer("amount", INT64_MIN, INT64_MAX, true).value;
  in.instalments = static_cast<int>(r.Integer("instalments", INT32_MIN, INT32_MAX, true).value);
  in.grace_principal = static_cast<int>(r.Integer("grace_principal", INT32_MIN, INT32_MAX).value);
  in.grace_interest = static_cast<int>(r.Integer("grace_interest", INT32_MIN, INT32_MAX).value);
  in.purpose = r.Text("purpose", {.required = true, .max_chars = finance::kPurposeCharsMax, .multiline = true}).value;
  in.jobs_created = r.Integer("jobs_created", INT64_MIN, INT64_MAX).value;
  in.jobs_kept = r.Integer("jobs_kept", INT64_MIN, INT64_MAX).value;
  in.business_plan_url = r.Text("business_plan_url", {.max_chars = finance::kUrlBytesMax}).value;
  return in;
}

Response RecordApplication(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::ApplicationInput in = ReadApplication(r);
  in.organisation_id = r.Integer("organisation_id", 1, INT64_MAX, true).value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto a, LoansOf(ctx).Apply(fund, in, ctx.principal.user_id));
  return WithETag(Json(201, ApplicationJson(a, true)), a.version);
}

Response ListApplications(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  std::string stage;
  for (const auto& [key, value] : ctx.request.query) {
    if (key != "stage") return Problem(Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known."), ctx.request.path);
    static constexpr std::string_view kStages[] = {"submitted", "in_review", "approved", "rejected", "withdrawn", "contracted"};
    if (std::find(std::begin(kStages), std::end(kStages), value) == std::end(kStages)) {
      return Problem(Error::Invalid("?stage", "unknown_stage", "submitted, in_review, approved, rejected, withdrawn or contracted."), ctx.request.path);
    }
    stage = value;
  }
  SOLIDUM_HTTP_TRY(auto list, LoansOf(ctx).Applications(fund, stage));
  boost::json::array items;
  for (const auto& a : list) items.push_back(ApplicationJson(a, false));
  return Json(200, {{"items", std::move(items)}});
}

Response GetApplication(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto a, LoansOf(ctx).GetApplication(fund, id));
  SOLIDUM_HTTP_TRY(auto files, ctx.services.attachments.List(FilesOf(a)));
  auto json = ApplicationJson(a, true);
  json["attachments"] = AttachmentsJson(files);
  json["accepts_files"] = finance::AcceptsFiles(a);
  return WithETag(Json(200, json), a.version);
}

// An application's files, on the fund's side: its staff add and remove them (a plan
// received on paper, scanned) until the decision; the committee reads them.
Result<finance::Application> FundApplication(Context& ctx) {
  SOLIDUM_ASSIGN_OR_RETURN(auto fund, FundOf(ctx));
  SOLIDUM_ASSIGN_OR_RETURN(auto id, ctx.IdParam("aid"));
  return LoansOf(ctx).GetApplication(fund, id);
}
// ... and on the applicant's: the organisation's own application.
Result<finance::Application> OwnApplication(Context& ctx) {
  SOLIDUM_ASSIGN_OR_RETURN(auto org, ctx.IdParam("id"));
  SOLIDUM_ASSIGN_OR_RETURN(auto id, ctx.IdParam("aid"));
  return LoansOf(ctx).OwnApplication(org, id);
}
Result<void> OpenForFiles(const finance::Application& a) {
  if (finance::AcceptsFiles(a)) return Ok();
  return Error::Make(ErrorKind::kConflict, "wrong_stage", "The application is " + a.stage + ": its files are kept as the committee saw them.");
}

template <Result<finance::Application> (*Find)(Context&)>
Response UploadFile(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto a, Find(ctx));
  SOLIDUM_HTTP_CHECK(OpenForFiles(a));
  return UploadAttachment(ctx, FilesOf(a));
}
template <Result<finance::Application> (*Find)(Context&)>
Response DownloadFile(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto a, Find(ctx));
  return DownloadAttachment(ctx, FilesOf(a));
}
template <Result<finance::Application> (*Find)(Context&)>
Response RemoveFile(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto a, Find(ctx));
  SOLIDUM_HTTP_CHECK(OpenForFiles(a));
  return RemoveAttachment(ctx, FilesOf(a));
}

// The three routes of an application's files under `base`: add and remove with `write`
// (until the decision), download with `read`.
template <Result<finance::Application> (*Find)(Context&)>
void AddFileRoutes(Router& router, const std::string& base, Action write, Action read, const std::string& what) {
  Route upload{"POST", base, write, "id", UploadFile<Find>, "Attach a file to " + what + ": the body is the file, Content-Type its type, ?file_name="};
  upload.body_bytes_max = limits::kUploadBodyBytesMax;
  router.Add(upload);
  router.Add({"GET", base + "/{att}", read, "id", DownloadFile<Find>, "Download a file of " + what});
  router.Add({"DELETE", base + "/{att}", write, "id", RemoveFile<Find>, "Remove a file from " + what + ", before the decision"});
}

Response AddNote(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  auto text = r.Text("body", {.required = true, .max_chars = finance::kNoteCharsMax, .multiline = true}).value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto a, LoansOf(ctx).AddNote(fund, id, ctx.principal.user_id, text));
  return WithETag(Json(201, ApplicationJson(a, true)), a.version);
}

Response MoveApplication(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  auto stage = r.Text("stage", {.required = true, .max_chars = 20}).value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto a, LoansOf(ctx).Move(fund, id, version, stage));
  return WithETag(Json(200, ApplicationJson(a, true)), a.version);
}

Response Decide(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  const VoteRef vote = VoteField(r);
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto a, LoansOf(ctx).Decide(fund, id, version, vote.assembly_id, vote.item_id));
  return WithETag(Json(200, ApplicationJson(a, true)), a.version);
}

Response CommitteeVotes(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto votes, LoansOf(ctx).Votes(fund));
  boost::json::array items;
  for (const auto& v : votes) {
    items.push_back({{"assembly_id", v.assembly_id}, {"assembly_title", v.assembly_title}, {"starts_at", v.starts_at},
                     {"item_id", v.item_id}, {"title", v.title}, {"adopted", v.adopted}});
  }
  return Json(200, {{"items", std::move(items)}});
}

Response SignContract(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::ContractInput in;
  in.start_on = DateField(r, "start_on");
  if (const auto* list = r.Raw("tranches"); list && !list->is_null()) {
    if (!list->is_array() || list->as_array().size() > finance::kTranchesMax) {
      r.Fail("tranches", "invalid", "A list of at most 24 tranches: [{amount, planned_on}].");
    } else {
      const auto& items = list->as_array();
      for (std::size_t i = 0; i < items.size(); ++i) {
        json_fields::ObjectReader t(items[i], r.PathOf("tranches") + "/" + std::to_string(i));
        finance::TrancheInput tranche;
        tranche.amount = t.Integer("amount", INT64_MIN, INT64_MAX, true).value;
        tranche.planned_on = DateField(t, "planned_on");
        if (!t.is_object()) t.FailAt(t.path(), "not_an_object", "A tranche is {amount, planned_on}.");
        r.Merge(t);
        in.tranches.push_back(tranche);
      }
    }
  }
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto loan, LoansOf(ctx).Contract(fund, id, in));
  return WithETag(Json(201, LoanJson(loan, in.start_on, true)), loan.version);
}

Response ListLoans(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto as_of, AsOf(ctx));
  SOLIDUM_HTTP_TRY(auto list, LoansOf(ctx).List(fund, as_of));
  boost::json::array items;
  for (const auto& l : list) items.push_back(LoanJson(l, as_of, false));
  return Json(200, {{"as_of", finance::FormatDate(as_of)}, {"items", std::move(items)}});
}

Response GetLoan(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("lid"));
  SOLIDUM_HTTP_TRY(auto as_of, AsOf(ctx));
  SOLIDUM_HTTP_TRY(auto loan, LoansOf(ctx).GetLoan(fund, id, as_of));
  return WithETag(Json(200, LoanJson(loan, as_of, true)), loan.version);
}

Response Disburse(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("lid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  auto tranche = static_cast<int>(r.Integer("tranche", 1, static_cast<std::int64_t>(finance::kTranchesMax), true).value);
  auto on = DateField(r, "on");
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto loan, LoansOf(ctx).Disburse(fund, id, tranche, on));
  return WithETag(Json(200, LoanJson(loan, on, true)), loan.version);
}

Response Repay(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("lid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::RepaymentInput in;
  in.request_id = r.Text("id", {.required = true, .max_chars = finance::kRepaymentIdBytesMax, .trim = false}).value;
  in.amount = r.Integer("amount", INT64_MIN, INT64_MAX, true).value;
  in.paid_on = DateField(r, "paid_on");
  if (in.request_id.starts_with(finance::kGroupMeetingRequestPrefix)) r.Fail("id", "reserved", "This prefix is for the repayments of group meetings.");
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto done, LoansOf(ctx).Repay(fund, id, in));
  auto o = RepaymentJson(done.record);
  o["replayed"] = done.replayed;
  return Json(done.replayed ? 200 : 201, o);
}

Response WriteOff(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("lid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  auto on = DateField(r, "on");
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto loan, LoansOf(ctx).WriteOff(fund, id, version, on));
  return WithETag(Json(200, LoanJson(loan, on, true)), loan.version);
}

Response Reschedule(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("lid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::RescheduleInput in;
  in.on = DateField(r, "on");
  in.instalments = static_cast<int>(r.Integer("instalments", INT32_MIN, INT32_MAX, true).value);
  in.grace_principal = static_cast<int>(r.Integer("grace_principal", INT32_MIN, INT32_MAX).value);
  in.grace_interest = static_cast<int>(r.Integer("grace_interest", INT32_MIN, INT32_MAX).value);
  if (auto rate = r.Integer("annual_rate_ppm", INT64_MIN, INT64_MAX); rate.has_value()) in.annual_rate_ppm = rate.value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto loan, LoansOf(ctx).Reschedule(fund, id, version, in));
  return WithETag(Json(200, LoanJson(loan, in.on, true)), loan.version);
}

boost::json::array JobsJson(const std::vector<finance::JobsRow>& rows) {
  boost::json::array out;
  for (const auto& j : rows) {
    out.push_back({{"key", j.key}, {"loans", j.loans}, {"disbursed", j.disbursed}, {"jobs_created", j.jobs_created}, {"jobs_kept", j.jobs_kept}});
  }
  return out;
}

Response Portfolio(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto as_of, AsOf(ctx));
  SOLIDUM_HTTP_TRY(auto report, LoansOf(ctx).Report(fund, as_of));
  const auto& f = report.figures;
  return Json(200, {{"as_of", finance::FormatDate(as_of)},
                    {"loans", f.loans},
                    {"active", f.active},
                    {"disbursed", f.disbursed},
                    {"outstanding", f.outstanding},
                    {"repaid", f.repaid},
                    {"arrears", f.arrears},
                    {"written_off", f.written_off},
                    {"recovered", f.recovered},
                    {"at_risk_30", f.at_risk_30},
                    {"at_risk_90", f.at_risk_90},
                    {"par30_bp", f.par30_bp},
                    {"par90_bp", f.par90_bp},
                    {"jobs_created", report.jobs_created},
                    {"jobs_kept", report.jobs_kept},
                    {"by_sector", JobsJson(report.by_sector)},
                    {"by_territory", JobsJson(report.by_territory)}});
}

// ---- the applicant's side

Response PublicFunds(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto funds, ctx.services.funds.All());
  SOLIDUM_HTTP_TRY(auto products, LoansOf(ctx).AllProducts());
  std::map<std::int64_t, boost::json::array> by_fund;
  for (const auto& p : products) by_fund[p.fund_id].push_back(ProductJson(p));
  boost::json::array items;
  for (const auto& f : funds) {
    boost::json::array ps = std::move(by_fund[f.id]);
    items.push_back({{"id", f.id}, {"organisation_id", f.organisation_id}, {"name", f.name}, {"unit", f.unit}, {"decimals", f.decimals}, {"products", std::move(ps)}});
  }
  return Json(200, {{"items", std::move(items)}});
}

Response Apply(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  auto fund_id = r.Integer("fund_id", 1, INT64_MAX, true).value;
  finance::ApplicationInput in = ReadApplication(r);
  in.organisation_id = org;
  SOLIDUM_HTTP_CHECK(r.Finish());
  auto fund = ctx.services.funds.Find(fund_id);
  if (!fund.ok()) return Problem(Error::Invalid("/fund_id", "unknown_fund", "No fund " + std::to_string(fund_id) + "."), ctx.request.path);
  SOLIDUM_HTTP_TRY(auto a, LoansOf(ctx).Apply(*fund, in, ctx.principal.user_id));
  return Json(201, ApplicationJson(a, false));
}

Response MyApplications(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto list, LoansOf(ctx).OfApplicant(org));
  std::vector<std::int64_t> ids;
  for (const auto& a : list) ids.push_back(a.id);
  SOLIDUM_HTTP_TRY(auto files, ctx.services.attachments.ListOf(std::string(finance::kApplicationFiles), ids));
  boost::json::array items;
  for (const auto& a : list) {
    auto json = ApplicationJson(a, false);
    json["attachments"] = AttachmentsJson(files[a.id]);
    json["accepts_files"] = finance::AcceptsFiles(a);
    items.push_back(std::move(json));
  }
  return Json(200, {{"items", std::move(items)}});
}


boost::json::object GroupLoanJson(const finance::GroupLoanView& v, year_month_day as_of) {
  boost::json::array members, meetings;
  for (std::size_t i = 0; i < v.members.size(); ++i) {
    const auto& m = v.members[i];
    const auto& s = v.standing.members.at(i);
    members.push_back({{"member_id", m.member_id}, {"name", m.name}, {"number", m.number}, {"part", s.part}, {"due_now", s.due_now},
                       {"paid", s.paid}, {"arrears", s.position.arrears}, {"days_in_arrears", s.position.days_in_arrears},
                       {"principal_outstanding", s.position.principal_outstanding}, {"paid_for_others", s.paid_for_others},
                       {"covered_by_others", s.covered_by_others}});
  }
  for (const auto& m : v.meetings) {
    boost::json::array lines;
    std::int64_t total = 0;
    for (const auto& l : m.lines) {
      lines.push_back({{"member", l.member}, {"amount", l.amount}, {"paid_by", l.paid_by ? boost::json::value(*l.paid_by) : boost::json::value(nullptr)}});
      total += l.amount;
    }
    meetings.push_back({{"number", m.number}, {"held_on", finance::FormatDate(m.held_on)}, {"total", total}, {"lines", std::move(lines)}});
  }
  return {{"loan_id", v.loan.id}, {"as_of", finance::FormatDate(as_of)}, {"status", v.loan.status}, {"members", std::move(members)},
          {"collected", v.standing.collected}, {"arrears", v.standing.arrears}, {"members_in_arrears", v.standing.members_in_arrears},
          {"due_now", v.standing.due_now}, {"loan_arrears", v.loan.position.arrears}, {"loan_days_in_arrears", v.loan.position.days_in_arrears},
          {"principal_outstanding", v.loan.position.principal_outstanding}, {"meetings", std::move(meetings)}, {"next_meeting", v.next_meeting}};
}

Response SetGroup(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("lid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  std::vector<finance::MemberPart> parts;
  if (const auto* list = r.Raw("members"); !list || !list->is_array() || list->as_array().size() > finance::kGroupLoanMembersMax) {
    r.Fail("members", "required", "The group's members and their parts: [{member_id, amount}], at most 60.");
  } else {
    const auto& items = list->as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      json_fields::ObjectReader m(items[i], r.PathOf("members") + "/" + std::to_string(i));
      finance::MemberPart p;
      p.member = m.Integer("member_id", 1, INT64_MAX, true).value;
      p.amount = m.Integer("amount", INT64_MIN, INT64_MAX, true).value;
      if (!m.is_object()) m.FailAt(m.path(), "not_an_object", "A member is {member_id, amount}.");
      r.Merge(m);
      parts.push_back(p);
    }
  }
  SOLIDUM_HTTP_CHECK(r.Finish());
  auto set = ctx.services.group_loans.SetParts(fund, id, parts);
  if (!set.ok()) {
    Error e = set.error();
    for (auto& f : e.fields) {  // the engine names a part's member "member"; the API "member_id"
      if (f.field.ends_with("/member")) f.field += "_id";
    }
    return Problem(e, ctx.request.path);
  }
  return Json(201, GroupLoanJson(*set, Today(ctx)));
}

Response GetGroup(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("lid"));
  SOLIDUM_HTTP_TRY(auto as_of, AsOf(ctx));
  SOLIDUM_HTTP_TRY(auto v, ctx.services.group_loans.Get(fund, id, as_of));
  return Json(200, GroupLoanJson(v, as_of));
}

Response RecordGroupMeeting(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto fund, FundOf(ctx));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("lid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::GroupMeetingInput in;
  in.number = r.Integer("number", 1, INT64_MAX, true).value;
  in.held_on = DateField(r, "held_on");
  if (const auto* list = r.Raw("lines"); !list || !list->is_array() || list->as_array().size() > finance::kGroupLoanMembersMax) {
    r.Fail("lines", "required", "The collection sheet: [{member, amount, paid_by}], at most 60 lines.");
  } else {
    const auto& items = list->as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      json_fields::ObjectReader l(items[i], r.PathOf("lines") + "/" + std::to_string(i));
      finance::CollectionLine line;
      line.member = l.Integer("member", 1, INT64_MAX, true).value;
      line.amount = l.Integer("amount", INT64_MIN, INT64_MAX, true).value;
      if (auto by = l.Integer("paid_by", 1, INT64_MAX); by.has_value()) line.paid_by = by.value;
      if (!l.is_object()) l.FailAt(l.path(), "not_an_object", "A line is {member, amount, paid_by}.");
      r.Merge(l);
      in.lines.push_back(line);
    }
  }
  in.entered_by = ctx.principal.user_id;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto done, ctx.services.group_loans.RecordMeeting(fund, id, in));
  auto o = GroupLoanJson(done.first, in.held_on);
  o["replayed"] = done.second;
  return Json(done.second ? 200 : 201, o);
}
}  // namespace

void RegisterLoans(Router& router) {
  router.Add({"GET", "/api/v1/funds", Action::kAnyone, "", PublicFunds, "Solidarity funds that lend, with their loan products (public terms)"});
  const std::string own = "/api/v1/organisations/{id}/loan-applications";
  router.Add({"POST", own, Action::kOrganisationUpdate, "id", Apply, "Apply for a loan from a fund, for this organisation"});
  router.Add({"GET", own, Action::kOrganisationUpdate, "id", MyApplications, "This organisation's loan applications and where they stand"});
  AddFileRoutes<OwnApplication>(router, own + "/{aid}/attachments", Action::kOrganisationUpdate, Action::kOrganisationUpdate,
                                "this organisation's application (the business plan...)");

  const std::string fund = "/api/v1/organisations/{id}/funds/{fid}";
  router.Add({"POST", fund + "/products", Action::kLedgerAdmin, "id", CreateProduct, "Create a loan product: method, period, rate, amounts, term, grace"});
  router.Add({"GET", fund + "/products", Action::kMembersRead, "id", ListProducts, "The fund's loan products"});
  router.Add({"POST", fund + "/applications", Action::kLedgerAdmin, "id", RecordApplication, "Record an application received otherwise (on paper)"});
  router.Add({"GET", fund + "/applications", Action::kMembersRead, "id", ListApplications, "The fund's pipeline of applications (?stage=)"});
  router.Add({"GET", fund + "/applications/{aid}", Action::kMembersRead, "id", GetApplication, "An application with its review notes"});
  AddFileRoutes<FundApplication>(router, fund + "/applications/{aid}/attachments", Action::kLedgerAdmin, Action::kMembersRead,
                                 "an application (a plan received on paper, read by the committee)");
  router.Add({"POST", fund + "/applications/{aid}/notes", Action::kMembersRead, "id", AddNote, "Add a review note (the committee: the organisation's members)"});
  router.Add({"POST", fund + "/applications/{aid}/stage", Action::kLedgerAdmin, "id", MoveApplication, "Put an application in review, or withdraw it (If-Match)"});
  router.Add({"POST", fund + "/applications/{aid}/decision", Action::kLedgerAdmin, "id", Decide,
              "Record the committee's decision: a voted agenda item of the organisation's assembly (If-Match)"});
  router.Add({"GET", fund + "/committee-votes", Action::kMembersRead, "id", CommitteeVotes,
              "Agenda items of the organisation's assemblies decided by a vote: the decisions an application may take"});
  router.Add({"POST", fund + "/applications/{aid}/contract", Action::kLedgerAdmin, "id", SignContract,
              "Sign an approved application's contract: the loan, its schedule and tranches"});
  router.Add({"GET", fund + "/loans", Action::kMembersRead, "id", ListLoans, "The fund's loans with their position (?as_of=)"});
  router.Add({"GET", fund + "/loans/{lid}", Action::kMembersRead, "id", GetLoan, "A loan: schedule, tranches, repayments and position (?as_of=)"});
  router.Add({"POST", fund + "/loans/{lid}/disbursements", Action::kLedgerAdmin, "id", Disburse, "Disburse a tranche from the pool"});
  router.Add({"POST", fund + "/loans/{lid}/repayments", Action::kLedgerAdmin, "id", Repay, "Record a repayment (idempotent by the caller's id)"});
  router.Add({"POST", fund + "/loans/{lid}/reschedule", Action::kLedgerAdmin, "id", Reschedule,
              "Reschedule a loan from a day: arrears capitalised, a new schedule (If-Match)"});
  router.Add({"POST", fund + "/loans/{lid}/write-off", Action::kLedgerAdmin, "id", WriteOff, "Write a loan off (If-Match)"});
  router.Add({"POST", fund + "/loans/{lid}/group", Action::kLedgerAdmin, "id", SetGroup, "Share a solidarity group's loan among its members (joint liability)"});
  router.Add({"GET", fund + "/loans/{lid}/group", Action::kMembersRead, "id", GetGroup, "A group loan's collection sheet: each member's due, paid, arrears, who covered whom (?as_of=)"});
  router.Add({"POST", fund + "/loans/{lid}/group/meetings", Action::kLedgerAdmin, "id", RecordGroupMeeting,
              "Record a group meeting's collection sheet (idempotent by its number): one repayment of the loan, member by member"});
  router.Add({"GET", fund + "/portfolio", Action::kMembersRead, "id", Portfolio, "The portfolio: outstanding, arrears, PAR30/90, jobs by sector and territory"});
}

}  // namespace solidum::http::api
