// Year-end surplus allocations over HTTP (finance::Allocations), under
// /organisations/{id}/surplus-allocations: the member register's keepers compute a draft
// from the statutes' rules and the members' work or use, record the assembly's vote on it,
// and post it to the share-capital ledger; those who read the register read them.
#include <boost/json.hpp>

#include "common/json_fields.h"
#include "common/json_write.h"
#include "finance/allocations.h"
#include "finance/surplus_io.h"
#include "http/api/fields.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"

namespace solidum::http::api {

using identity::Action;

namespace {

finance::Allocations& Of(Context& ctx) { return ctx.services.allocations; }

boost::json::object AllocationJson(const finance::Allocation& a, bool lines) {
  boost::json::object o{{"id", a.id},           {"year", a.year},         {"status", a.status},     {"basis", a.basis},
                        {"surplus", a.surplus}, {"reserve", a.reserve},   {"fund", a.fund},         {"interest", a.interest},
                        {"refunds", a.refunds}, {"retained", a.retained}, {"rules", boost::json::parse(a.rules_json)},
                        {"decision", a.decision ? boost::json::parse(*a.decision) : boost::json::value(nullptr)},
                        {"created_at", a.created_at}, {"updated_at", a.updated_at}, {"version", a.version}};
  if (lines) {
    boost::json::array ls;
    for (const auto& l : a.lines) {
      ls.push_back({{"member_id", l.member_id}, {"member", l.member_name}, {"capital", l.capital}, {"patronage", l.patronage},
                    {"interest", l.interest}, {"refund", l.refund}});
    }
    o["lines"] = std::move(ls);
  }
  return o;
}

Response Create(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::AllocationInput in;
  in.year = r.Text("year", {.required = true, .max_chars = 20}).value;
  in.surplus = r.Integer("surplus", INT64_MIN, INT64_MAX, true).value;
  const boost::json::value* rules = r.Raw("rules");
  if (!rules) r.Fail("rules", "required", "The statutes' rules: reserve_bp, fund_bp, share_interest_bp, refunds_bp...");
  if (const auto* list = r.Raw("members"); !list || !list->is_array()) {
    r.Fail("members", "required", "The members: [{member_id, patronage, capital}].");
  } else if (list->as_array().size() > finance::kAllocationMembersMax) {
    r.Fail("members", "too_many", "At most 100,000 members.");
  } else {
    const auto& items = list->as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      json_fields::ObjectReader m(items[i], r.PathOf("members") + "/" + std::to_string(i));
      finance::AllocationMemberInput line;
      line.member_id = m.Integer("member_id", 1, INT64_MAX, true).value;
      line.patronage = m.Integer("patronage", INT64_MIN, INT64_MAX, true).value;
      if (auto c = m.Integer("capital", INT64_MIN, INT64_MAX); c.has_value()) line.capital = c.value;
      if (!m.is_object()) m.FailAt(m.path(), "not_an_object", "A member is {member_id, patronage, capital}.");
      r.Merge(m);
      in.members.push_back(line);
    }
  }
  SOLIDUM_HTTP_CHECK(r.Finish());
  auto parsed = finance::ParseSurplusRules(*rules, false);
  if (!parsed.ok()) {
    Error e = parsed.error();
    for (auto& f : e.fields) f.field = "/rules" + f.field;
    return Problem(e, ctx.request.path);
  }
  in.rules = parsed->rules;
  in.basis = parsed->basis;
  in.rules_json = json_write::Serialize(*rules);
  SOLIDUM_HTTP_TRY(auto a, Of(ctx).Create(org, in));
  return WithETag(Json(201, AllocationJson(a, true)), a.version);
}

Response List(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto list, Of(ctx).List(org));
  boost::json::array items;
  for (const auto& a : list) items.push_back(AllocationJson(a, false));
  return Json(200, {{"items", std::move(items)}});
}

Response Get(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto a, Of(ctx).Get(org, id));
  return WithETag(Json(200, AllocationJson(a, true)), a.version);
}

Response Decide(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  const VoteRef vote = VoteField(r);
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto a, Of(ctx).Decide(org, id, version, vote.assembly_id, vote.item_id));
  return WithETag(Json(200, AllocationJson(a, true)), a.version);
}

Response Votes(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto votes, Of(ctx).Votes(org));
  boost::json::array items;
  for (const auto& v : votes) {
    items.push_back({{"assembly_id", v.assembly_id}, {"assembly_title", v.assembly_title}, {"starts_at", v.starts_at},
                     {"item_id", v.item_id}, {"title", v.title}, {"adopted", v.adopted}});
  }
  return Json(200, {{"items", std::move(items)}});
}

Response Post(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto a, Of(ctx).Post(org, id, version));
  return WithETag(Json(200, AllocationJson(a, true)), a.version);
}

}  // namespace

void RegisterSurplus(Router& router) {
  const std::string base = "/api/v1/organisations/{id}/surplus-allocations";
  router.Add({"POST", base, Action::kMembersManage, "id", Create, "Compute a year's surplus allocation as a draft, from the statutes' rules and the members' activity"});
  router.Add({"GET", base, Action::kMembersRead, "id", List, "The organisation's surplus allocations, by year"});
  router.Add({"GET", base + "/votes", Action::kMembersRead, "id", Votes, "Agenda items of the organisation's assemblies decided by a vote: what a decision may take"});
  router.Add({"GET", base + "/{aid}", Action::kMembersRead, "id", Get, "An allocation with each member's interest and refund"});
  router.Add({"POST", base + "/{aid}/decision", Action::kMembersManage, "id", Decide, "Record the assembly's vote on the allocation (If-Match)"});
  router.Add({"POST", base + "/{aid}/post", Action::kMembersManage, "id", Post, "Post an approved allocation to the share-capital ledger (If-Match)"});
}

}  // namespace solidum::http::api
