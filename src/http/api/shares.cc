// Member shares over HTTP (finance::Shares), under /organisations/{id}/shares: the
// organisation's member-register keepers open the share-capital book, set share classes,
// record subscriptions, payments, transfers and redemptions; its members with access to
// the register read it. A signed-in member reads their own shares at /me/shares.
#include <boost/json.hpp>

#include "common/json_fields.h"
#include "common/text.h"
#include "finance/schedule.h"
#include "finance/shares.h"
#include "http/api/fields.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"

namespace solidum::http::api {

using identity::Action;
using std::chrono::year_month_day;

namespace {

finance::Shares& SharesOf(Context& ctx) { return ctx.services.shares; }

// ?member=ID, when given.
Result<std::optional<std::int64_t>> MemberQuery(const Request& request) {
  std::optional<std::int64_t> member;
  for (const auto& [key, value] : request.query) {
    if (key != "member") return Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known.");
    auto n = text::ParseInt64(value);
    if (!n || *n < 1) return Error::Invalid("?member", "invalid_value", "A member's id.");
    member = *n;
  }
  return member;
}

boost::json::object ClassJson(const finance::ShareClass& c) {
  return {{"id", c.id}, {"code", c.code}, {"name", c.name}, {"nominal", c.nominal},
          {"member_class", c.member_class.empty() ? boost::json::value(nullptr) : boost::json::value(c.member_class)},
          {"min_shares", c.min_shares}, {"max_shares", c.max_shares}, {"min_holding_years", c.min_holding_years}};
}

boost::json::object SubscriptionJson(const finance::Subscription& s) {
  return {{"id", s.id}, {"class_id", s.class_id}, {"class", s.class_code}, {"member_id", s.member_id}, {"member", s.member_name},
          {"shares", s.shares}, {"amount", s.amount}, {"paid", s.paid}, {"subscribed_on", finance::FormatDate(s.subscribed_on)},
          {"certificate", s.certificate_number ? boost::json::value(*s.certificate_number) : boost::json::value(nullptr)}, {"version", s.version}};
}

boost::json::object CertificateJson(const finance::Certificate& k) {
  return {{"number", k.number}, {"class", k.class_code}, {"member_id", k.member_id}, {"member", k.member_name}, {"shares", k.shares},
          {"issued_on", finance::FormatDate(k.issued_on)}, {"origin", k.origin},
          {"cancelled_on", k.cancelled_on ? boost::json::value(finance::FormatDate(*k.cancelled_on)) : boost::json::value(nullptr)}};
}

Response OpenBook(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  auto code = r.Text("code", {.required = true, .max_chars = ledger::kCurrencyCodeBytesMax}).value;
  auto unit = r.Text("unit", {.required = true, .max_chars = 50}).value;
  auto decimals = r.Integer("decimals", 0, ledger::kDecimalsMax, true).value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto book, SharesOf(ctx).Open(org, code, unit, decimals));
  return Json(201, {{"organisation_id", book.organisation_id}, {"code", book.code}, {"unit", book.unit}, {"decimals", book.decimals}});
}

Response GetRegister(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto book, SharesOf(ctx).Book(org));
  SOLIDUM_HTTP_TRY(auto reg, SharesOf(ctx).Register(org));
  SOLIDUM_HTTP_TRY(auto classes, SharesOf(ctx).Classes(org));
  boost::json::array holdings, cs;
  for (const auto& h : reg.holdings) {
    holdings.push_back({{"member_id", h.member_id}, {"member", h.member_name}, {"number", h.member_number}, {"class", h.class_code},
                        {"shares", h.shares}, {"capital", h.capital}, {"subscribed", h.subscribed}, {"unpaid", h.unpaid}});
  }
  for (const auto& c : classes) cs.push_back(ClassJson(c));
  return Json(200, {{"code", book.code}, {"unit", book.unit}, {"decimals", book.decimals}, {"shares", reg.shares}, {"capital", reg.capital},
                    {"unpaid", reg.unpaid}, {"members", reg.members}, {"cash", reg.cash}, {"classes", std::move(cs)}, {"holdings", std::move(holdings)}});
}

Response CreateClass(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::ShareClassInput in;
  in.code = r.Text("code", {.required = true, .max_chars = 32}).value;
  in.name = r.Text("name", {.required = true, .max_chars = 200}).value;
  in.nominal = r.Integer("nominal", INT64_MIN, INT64_MAX, true).value;
  in.member_class = r.Text("member_class", {.max_chars = 32}).value;
  if (auto f = r.Integer("min_shares", INT64_MIN, INT64_MAX); f.has_value()) in.min_shares = f.value;
  if (auto f = r.Integer("max_shares", INT64_MIN, INT64_MAX); f.has_value()) in.max_shares = f.value;
  if (auto f = r.Integer("min_holding_years", INT64_MIN, INT64_MAX); f.has_value()) in.min_holding_years = f.value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto c, SharesOf(ctx).CreateClass(org, in));
  return Json(201, ClassJson(c));
}

Response Subscribe(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::SubscribeInput in;
  in.class_id = r.Integer("class_id", 1, INT64_MAX, true).value;
  in.member_id = r.Integer("member_id", 1, INT64_MAX, true).value;
  in.shares = r.Integer("shares", INT64_MIN, INT64_MAX, true).value;
  in.subscribed_on = DateField(r, "subscribed_on");
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto s, SharesOf(ctx).Subscribe(org, in));
  return Json(201, SubscriptionJson(s));
}

Response ListSubscriptions(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto member, MemberQuery(ctx.request));
  SOLIDUM_HTTP_TRY(auto list, SharesOf(ctx).Subscriptions(org, member));
  boost::json::array items;
  for (const auto& s : list) items.push_back(SubscriptionJson(s));
  return Json(200, {{"items", std::move(items)}});
}

Response Pay(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto sid, ctx.IdParam("sid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::SharePaymentInput in;
  in.request_id = r.Text("id", {.required = true, .max_chars = finance::kShareRequestIdBytesMax, .trim = false}).value;
  in.amount = r.Integer("amount", INT64_MIN, INT64_MAX, true).value;
  in.paid_on = DateField(r, "paid_on");
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto done, SharesOf(ctx).Pay(org, sid, in));
  auto o = SubscriptionJson(done.first);
  o["replayed"] = done.second;
  return Json(done.second ? 200 : 201, o);
}

Response Move(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::ShareMovementInput in;
  in.request_id = r.Text("id", {.required = true, .max_chars = finance::kShareRequestIdBytesMax, .trim = false}).value;
  in.class_id = r.Integer("class_id", 1, INT64_MAX, true).value;
  in.from_member = r.Integer("from_member", 1, INT64_MAX, true).value;
  if (auto to = r.Integer("to_member", 1, INT64_MAX); to.has_value()) in.to_member = to.value;
  in.shares = r.Integer("shares", INT64_MIN, INT64_MAX, true).value;
  in.on = DateField(r, "on");
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto m, SharesOf(ctx).Move(org, in));
  return Json(m.replayed ? 200 : 201, {{"id", m.request_id}, {"kind", m.kind}, {"shares", m.shares}, {"amount", m.amount}, {"replayed", m.replayed}});
}

Response ListCertificates(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto member, MemberQuery(ctx.request));
  SOLIDUM_HTTP_TRY(auto list, SharesOf(ctx).Certificates(org, member));
  boost::json::array items;
  for (const auto& k : list) items.push_back(CertificateJson(k));
  return Json(200, {{"items", std::move(items)}});
}

Response MyShares(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto own, SharesOf(ctx).OfUser(*ctx.principal.user_id));
  SOLIDUM_HTTP_TRY(auto refunds, ctx.services.allocations.OfUser(*ctx.principal.user_id));
  boost::json::array items;
  for (const auto& o : own) {
    boost::json::array certificates, subscriptions;
    std::int64_t shares = 0;
    for (const auto& k : o.certificates) {
      certificates.push_back(CertificateJson(k));
      shares += k.shares;
    }
    for (const auto& s : o.subscriptions) subscriptions.push_back(SubscriptionJson(s));
    boost::json::array lines;
    for (const auto& r : refunds) {
      if (r.organisation_id != o.organisation_id) continue;
      lines.push_back({{"allocation_id", r.allocation_id}, {"year", r.year}, {"status", r.status}, {"interest", r.interest}, {"refund", r.refund}});
    }
    items.push_back({{"organisation_id", o.organisation_id}, {"organisation", o.organisation_name}, {"member_id", o.member_id}, {"unit", o.unit},
                     {"decimals", o.decimals}, {"shares", shares}, {"certificates", std::move(certificates)}, {"subscriptions", std::move(subscriptions)},
                     {"refunds", std::move(lines)}});
  }
  return Json(200, {{"items", std::move(items)}});
}

}  // namespace

void RegisterShares(Router& router) {
  const std::string base = "/api/v1/organisations/{id}/shares";
  router.Add({"POST", base, Action::kMembersManage, "id", OpenBook, "Keep the organisation's share capital: its ledger book"});
  router.Add({"GET", base, Action::kMembersRead, "id", GetRegister, "The register of share capital: holdings by member and class, totals, cash"});
  router.Add({"POST", base + "/classes", Action::kMembersManage, "id", CreateClass, "Create a share class"});
  router.Add({"POST", base + "/subscriptions", Action::kMembersManage, "id", Subscribe, "Record a member's subscription of shares"});
  router.Add({"GET", base + "/subscriptions", Action::kMembersRead, "id", ListSubscriptions, "Subscriptions, newest first (?member=)"});
  router.Add({"POST", base + "/subscriptions/{sid}/payments", Action::kMembersManage, "id", Pay, "Record a payment on a subscription (idempotent by the caller's id)"});
  router.Add({"POST", base + "/movements", Action::kMembersManage, "id", Move, "Transfer shares to another member, or redeem them (idempotent by the caller's id)"});
  router.Add({"GET", base + "/certificates", Action::kMembersRead, "id", ListCertificates, "Share certificates (?member=)"});
  router.Add({"GET", "/api/v1/me/shares", Action::kSignedIn, "", MyShares, "The signed-in user's own shares in every organisation, with their refunds and interest from the year-end allocations"});
}

}  // namespace solidum::http::api
