// Savings groups (VSLA) and tontines (ROSCAs) over HTTP (finance::SavingsGroups,
// finance::Tontines), under /organisations/{id}/savings-groups and /tontines: the
// organisation's member-register keepers create them and record meetings and rounds
// (often a secretary on a phone after the meeting); members with access to the register
// read them. A signed-in member reads their own place at /me/groups.
#include <boost/json.hpp>

#include "common/json_fields.h"
#include "finance/savings_groups.h"
#include "finance/schedule.h"
#include "finance/tontines.h"
#include "http/api/fields.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"

namespace solidum::http::api {

using identity::Action;

namespace {

constexpr std::size_t kLinesMax = finance::kGroupMembersMax;

boost::json::value DateOr(const std::optional<std::chrono::year_month_day>& d) {
  return d ? boost::json::value(finance::FormatDate(*d)) : boost::json::value(nullptr);
}
boost::json::value IntOr(const std::optional<std::int64_t>& n) { return n ? boost::json::value(*n) : boost::json::value(nullptr); }

boost::json::array MembersJson(const std::vector<finance::GroupMember>& members) {
  boost::json::array out;
  for (const auto& m : members) out.push_back({{"member_id", m.member_id}, {"name", m.name}, {"number", m.number}});
  return out;
}

// {member, amount} lines of a meeting or a round.
std::vector<finance::MemberAmount> AmountLines(json_fields::ObjectReader& r, std::string_view key, const char* amount_key) {
  std::vector<finance::MemberAmount> out;
  const auto* list = r.Raw(key);
  if (!list || list->is_null()) return out;
  if (!list->is_array() || list->as_array().size() > kLinesMax) {
    r.Fail(key, "invalid", "A list of at most 100 lines: [{member, " + std::string(amount_key) + "}].");
    return out;
  }
  const auto& items = list->as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    json_fields::ObjectReader line(items[i], r.PathOf(key) + "/" + std::to_string(i));
    finance::MemberAmount a;
    a.member = line.Integer("member", 1, INT64_MAX, true).value;
    a.amount = line.Integer(amount_key, INT64_MIN, INT64_MAX, true).value;
    if (!line.is_object()) line.FailAt(line.path(), "not_an_object", "A line is {member, " + std::string(amount_key) + "}.");
    r.Merge(line);
    out.push_back(a);
  }
  return out;
}

// Member ids; repeats are the engine's to name, so they are read as they come.
std::vector<std::int64_t> IdLines(json_fields::ObjectReader& r, std::string_view key, bool required) {
  std::vector<std::int64_t> out;
  const auto* list = r.Raw(key);
  if (!list || list->is_null()) {
    if (required) r.Fail(key, "required", "A list of member ids.");
    return out;
  }
  if (!list->is_array() || list->as_array().size() > finance::kTontineMembersMax) {
    r.Fail(key, "invalid", "A list of at most 500 member ids.");
    return out;
  }
  const auto& items = list->as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_int64() || items[i].as_int64() < 1) {
      r.FailAt(r.PathOf(key) + "/" + std::to_string(i), "invalid", "A member's id.");
      continue;
    }
    out.push_back(items[i].as_int64());
  }
  return out;
}

// The cycle's rules, {share_value, shares_max_per_meeting, social_contribution, interest_bp,
// interest_every_meetings}.
finance::SavingsGroupRules RulesField(json_fields::ObjectReader& r) {
  finance::SavingsGroupRules rules;
  const auto* raw = r.Raw("rules");
  if (!raw) {
    r.Fail("rules", "required", "The group's rules: share_value, shares_max_per_meeting, social_contribution, interest_bp, interest_every_meetings.");
    return rules;
  }
  json_fields::ObjectReader x(*raw, r.PathOf("rules"));
  rules.share_value = x.Integer("share_value", INT64_MIN, INT64_MAX, true).value;
  rules.shares_max_per_meeting = static_cast<int>(x.Integer("shares_max_per_meeting", 1, 100, true).value);
  rules.social_contribution = x.Integer("social_contribution", INT64_MIN, INT64_MAX, true).value;
  rules.interest_bp = x.Integer("interest_bp", INT64_MIN, INT64_MAX, true).value;
  rules.interest_every_meetings = static_cast<int>(x.Integer("interest_every_meetings", 1, 52, true).value);
  if (!x.is_object()) x.FailAt(x.path(), "not_an_object", "The rules are an object.");
  r.Merge(x);
  return rules;
}

boost::json::object RulesJson(const finance::SavingsGroupRules& r) {
  return {{"share_value", r.share_value}, {"shares_max_per_meeting", r.shares_max_per_meeting}, {"social_contribution", r.social_contribution},
          {"interest_bp", r.interest_bp}, {"interest_every_meetings", r.interest_every_meetings}, {"opening_social_fund", r.opening_social_fund}};
}

boost::json::array AmountsJson(const std::vector<finance::MemberAmount>& lines, const char* key) {
  boost::json::array out;
  for (const auto& l : lines) out.push_back({{"member", l.member}, {key, l.amount}});
  return out;
}
boost::json::array IdsJson(const std::vector<std::int64_t>& ids) {
  boost::json::array out;
  for (auto id : ids) out.push_back(id);
  return out;
}

boost::json::object GroupSummaryJson(const finance::SavingsGroupSummary& s) {
  return {{"id", s.id}, {"organisation_id", s.organisation_id}, {"name", s.name}, {"unit", s.unit}, {"decimals", s.decimals},
          {"cycle", s.cycle}, {"members", s.members}, {"meetings", s.meetings}, {"last_meeting", DateOr(s.last_meeting)}};
}

boost::json::object PositionJson(const finance::GroupMemberPosition& p) {
  return {{"member_id", p.member}, {"shares", p.shares}, {"savings", p.savings}, {"loan_balance", p.loan_balance},
          {"borrowed", p.borrowed}, {"repaid", p.repaid}, {"interest_charged", p.interest_charged}, {"fines", p.fines},
          {"social_paid", p.social_paid}, {"grants", p.grants}, {"share_out", p.share_out}};
}

boost::json::object GroupJson(const finance::SavingsGroupView& v) {
  boost::json::object o = GroupSummaryJson(v.group);
  o["cycle"] = {{"number", v.cycle.number}, {"started_on", finance::FormatDate(v.cycle.started_on)}, {"rules", RulesJson(v.cycle.rules)},
                {"shared_out_on", DateOr(v.cycle.shared_out_on)}};
  o["members"] = MembersJson(v.cycle.members);
  // The group's ledger book (its statement is the ledger's: /accounts/{aid}/statement).
  o["ledger"] = {{"currency_id", v.group.currency_id}, {"members_account", v.group.members_account},
                 {"loan_fund_account", v.group.loan_fund_account}, {"social_fund_account", v.group.social_fund_account}};
  boost::json::array meetings;
  for (const auto& m : v.meetings) {
    meetings.push_back({{"number", m.number}, {"held_on", finance::FormatDate(m.held_on)}, {"present", IdsJson(m.record.present)},
                        {"shares", AmountsJson(m.record.shares, "shares")}, {"social", IdsJson(m.record.social)},
                        {"fines", AmountsJson(m.record.fines, "amount")}, {"repayments", AmountsJson(m.record.repayments, "amount")},
                        {"grants", AmountsJson(m.record.grants, "amount")}, {"loans", AmountsJson(m.record.loans, "amount")}});
  }
  o["meetings"] = std::move(meetings);
  boost::json::array positions;
  for (const auto& p : v.state.members) positions.push_back(PositionJson(p));
  o["state"] = {{"loan_fund", v.state.loan_fund}, {"social_fund", v.state.social_fund}, {"loans_outstanding", v.state.loans_outstanding},
                {"total_shares", v.state.total_shares}, {"shared_out", v.state.shared_out}, {"return_per_share_bp", v.state.return_per_share_bp},
                {"members", std::move(positions)}};
  o["next_meeting"] = v.cycle.shared_out_on ? boost::json::value(nullptr) : boost::json::value(v.group.meetings + 1);
  return o;
}

Response CreateGroup(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::SavingsGroupInput in;
  in.name = r.Text("name", {.required = true, .max_chars = 200}).value;
  in.unit = r.Text("unit", {.required = true, .max_chars = 20}).value;
  in.decimals = r.Integer("decimals", 0, 4, true).value;
  in.started_on = DateField(r, "started_on");
  in.rules = RulesField(r);
  in.members = IdLines(r, "members", true);
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto v, ctx.services.savings_groups.Create(org, in));
  return Json(201, GroupJson(v));
}

Response ListGroups(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.savings_groups.List(org));
  boost::json::array items;
  for (const auto& s : list) items.push_back(GroupSummaryJson(s));
  return Json(200, {{"items", std::move(items)}});
}

Response GetGroup(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto gid, ctx.IdParam("gid"));
  SOLIDUM_HTTP_TRY(auto v, ctx.services.savings_groups.Get(org, gid));
  return Json(200, GroupJson(v));
}

Response RecordMeeting(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto gid, ctx.IdParam("gid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::MeetingInput in;
  in.number = r.Integer("number", 1, INT64_MAX, true).value;
  in.held_on = DateField(r, "held_on");
  in.record.present = IdLines(r, "present", true);
  in.record.shares = AmountLines(r, "shares", "shares");
  in.record.social = IdLines(r, "social", false);
  in.record.fines = AmountLines(r, "fines", "amount");
  in.record.repayments = AmountLines(r, "repayments", "amount");
  in.record.grants = AmountLines(r, "grants", "amount");
  in.record.loans = AmountLines(r, "loans", "amount");
  in.entered_by = ctx.principal.user_id;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto done, ctx.services.savings_groups.RecordMeeting(org, gid, in));
  auto o = GroupJson(done.first);
  o["replayed"] = done.second;
  return Json(done.second ? 200 : 201, o);
}

Response ShareOut(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto gid, ctx.IdParam("gid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  auto on = DateField(r, "on");
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto v, ctx.services.savings_groups.ShareOut(org, gid, on));
  return Json(200, GroupJson(v));
}

Response NextCycle(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto gid, ctx.IdParam("gid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  auto started_on = DateField(r, "started_on");
  std::optional<finance::SavingsGroupRules> rules;
  if (const auto* raw = body.is_object() ? body.as_object().if_contains("rules") : nullptr; raw && !raw->is_null()) rules = RulesField(r);
  std::optional<std::vector<std::int64_t>> members;
  if (const auto* raw = body.is_object() ? body.as_object().if_contains("members") : nullptr; raw && !raw->is_null()) members = IdLines(r, "members", true);
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto v, ctx.services.savings_groups.NextCycle(org, gid, started_on, rules, members));
  return Json(201, GroupJson(v));
}

boost::json::object TontineSummaryJson(const finance::TontineSummary& s) {
  return {{"id", s.id}, {"organisation_id", s.organisation_id}, {"name", s.name}, {"unit", s.unit}, {"decimals", s.decimals},
          {"contribution", s.contribution}, {"members", s.members}, {"rounds", s.rounds}, {"order", finance::Name(s.order)},
          {"period", finance::Name(s.period)}, {"started_on", finance::FormatDate(s.started_on)}};
}

boost::json::object TontinePositionJson(const finance::MemberPosition& p) {
  return {{"member_id", p.member}, {"paid_in", p.paid_in}, {"received", p.received}, {"covered_for_others", p.covered_for_others},
          {"owes_for_missed", p.owes_for_missed}, {"pot_round", p.pot_round ? boost::json::value(*p.pot_round) : boost::json::value(nullptr)},
          {"net", p.net}};
}

boost::json::object TontineJson(const finance::TontineView& v) {
  boost::json::object o = TontineSummaryJson(v.tontine);
  o["seed"] = v.seed;
  o["as_of"] = DateOr(v.as_of);
  o["members"] = MembersJson(v.members);
  boost::json::array rounds;
  for (std::size_t i = 0; i < v.rounds.size(); ++i) {
    const auto& r = v.rounds[i];
    const auto& res = v.state.rounds.at(i);
    boost::json::array bids, missed, discount;
    for (const auto& b : r.facts.bids) bids.push_back({{"member", b.member}, {"amount", b.amount}});
    for (const auto& m : r.facts.missed) missed.push_back({{"member", m.member}, {"coverer", IntOr(m.coverer)}});
    for (const auto& [member, share] : res.discount_shares) discount.push_back({{"member", member}, {"amount", share}});
    rounds.push_back({{"number", r.number}, {"held_on", finance::FormatDate(r.held_on)}, {"due_on", finance::FormatDate(finance::RoundDue(v.tontine.started_on, v.tontine.period, r.number))},
                      {"recipient", res.recipient}, {"pot", res.pot}, {"received", res.received}, {"discount", res.discount},
                      {"bids", std::move(bids)}, {"missed", std::move(missed)}, {"discount_shares", std::move(discount)}});
  }
  o["rounds"] = std::move(rounds);
  boost::json::array positions;
  for (const auto& p : v.state.members) positions.push_back(TontinePositionJson(p));
  o["positions"] = std::move(positions);
  o["fund_covered"] = v.state.fund_covered;
  o["lottery_order"] = IdsJson(v.state.lottery_order);
  o["next_round"] = {{"number", IntOr(v.next_round)}, {"due_on", DateOr(v.next_due)}, {"recipient", IntOr(v.next_recipient)}};
  return o;
}

Response CreateTontine(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::TontineInput in;
  in.name = r.Text("name", {.required = true, .max_chars = 200}).value;
  in.unit = r.Text("unit", {.required = true, .max_chars = 20}).value;
  in.decimals = r.Integer("decimals", 0, 4, true).value;
  in.contribution = r.Integer("contribution", INT64_MIN, INT64_MAX, true).value;
  if (auto order = r.Text("order", {.required = true, .max_chars = 20}); order.has_value()) {
    if (auto o = finance::ParsePotOrder(order.value)) in.order = *o;
    else r.Fail("order", "invalid", "fixed, lottery or bidding.");
  }
  in.seed = r.Text("seed", {.max_chars = 200}).value;
  if (auto period = r.Text("period", {.required = true, .max_chars = 20}); period.has_value()) {
    if (auto p = finance::ParseRoundPeriod(period.value)) in.period = *p;
    else r.Fail("period", "invalid", "weekly or monthly.");
  }
  in.started_on = DateField(r, "started_on");
  in.members = IdLines(r, "members", true);
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto v, ctx.services.tontines.Create(org, in));
  return Json(201, TontineJson(v));
}

Response ListTontines(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.tontines.List(org));
  boost::json::array items;
  for (const auto& s : list) items.push_back(TontineSummaryJson(s));
  return Json(200, {{"items", std::move(items)}});
}

Response GetTontine(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto tid, ctx.IdParam("tid"));
  SOLIDUM_HTTP_TRY(auto as_of, DateQuery(ctx.request.query, "as_of"));
  SOLIDUM_HTTP_TRY(auto v, ctx.services.tontines.Get(org, tid, as_of));
  return Json(200, TontineJson(v));
}

Response RecordRound(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto tid, ctx.IdParam("tid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  finance::RoundInput in;
  in.number = r.Integer("number", 1, INT64_MAX, true).value;
  in.held_on = DateField(r, "held_on");
  for (const auto& b : AmountLines(r, "bids", "amount")) in.facts.bids.push_back(finance::Bid{b.member, b.amount});
  if (const auto* list = r.Raw("missed"); list && !list->is_null()) {
    if (!list->is_array() || list->as_array().size() > finance::kTontineMembersMax) {
      r.Fail("missed", "invalid", "A list of at most 500 lines: [{member, coverer}].");
    } else {
      const auto& items = list->as_array();
      for (std::size_t i = 0; i < items.size(); ++i) {
        json_fields::ObjectReader line(items[i], r.PathOf("missed") + "/" + std::to_string(i));
        finance::Missed m;
        m.member = line.Integer("member", 1, INT64_MAX, true).value;
        if (auto c = line.Integer("coverer", 1, INT64_MAX); c.has_value()) m.coverer = c.value;
        if (!line.is_object()) line.FailAt(line.path(), "not_an_object", "A line is {member, coverer}.");
        r.Merge(line);
        in.facts.missed.push_back(m);
      }
    }
  }
  in.entered_by = ctx.principal.user_id;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto done, ctx.services.tontines.RecordRound(org, tid, in));
  auto o = TontineJson(done.first);
  o["replayed"] = done.second;
  return Json(done.second ? 200 : 201, o);
}

Response MyGroups(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto groups, ctx.services.savings_groups.OfUser(*ctx.principal.user_id));
  SOLIDUM_HTTP_TRY(auto tontines, ctx.services.tontines.OfUser(*ctx.principal.user_id));
  boost::json::array g, t;
  for (const auto& o : groups) {
    auto item = GroupSummaryJson(o.group);
    item["share_value"] = o.share_value;
    item["position"] = PositionJson(o.position);
    g.push_back(std::move(item));
  }
  for (const auto& o : tontines) {
    auto item = TontineSummaryJson(o.tontine);
    item["position"] = TontinePositionJson(o.position);
    t.push_back(std::move(item));
  }
  SOLIDUM_HTTP_TRY(auto loans, ctx.services.group_loans.OfUser(*ctx.principal.user_id, ctx.services.funds));
  boost::json::array l;
  for (const auto& o : loans) {
    const auto& s = o.standing;
    l.push_back({{"loan_id", o.loan_id}, {"member_id", o.member_id}, {"fund", o.fund_name}, {"group", o.group_name}, {"unit", o.unit},
                 {"decimals", o.decimals}, {"status", o.loan_status}, {"part", s.part}, {"due_now", s.due_now}, {"paid", s.paid},
                 {"arrears", s.position.arrears}, {"principal_outstanding", s.position.principal_outstanding},
                 {"paid_for_others", s.paid_for_others}, {"covered_by_others", s.covered_by_others}});
  }
  return Json(200, {{"savings_groups", std::move(g)}, {"tontines", std::move(t)}, {"group_loans", std::move(l)}});
}

}  // namespace

void RegisterGroups(Router& router) {
  const std::string groups = "/api/v1/organisations/{id}/savings-groups";
  router.Add({"POST", groups, Action::kMembersManage, "id", CreateGroup, "Create a savings group (VSLA) of the organisation's members, with its first cycle"});
  router.Add({"GET", groups, Action::kMembersRead, "id", ListGroups, "The organisation's savings groups"});
  router.Add({"GET", groups + "/{gid}", Action::kMembersRead, "id", GetGroup, "A savings group's current cycle: members, meetings, funds and positions"});
  router.Add({"POST", groups + "/{gid}/meetings", Action::kMembersManage, "id", RecordMeeting,
              "Record the next meeting (idempotent by its number): attendance, shares, social fund, fines, repayments, grants, loans"});
  router.Add({"POST", groups + "/{gid}/share-out", Action::kMembersManage, "id", ShareOut, "End the cycle: share the loan fund out in proportion to shares"});
  router.Add({"POST", groups + "/{gid}/cycles", Action::kMembersManage, "id", NextCycle, "Start the next cycle, the social fund carried over"});
  const std::string tontines = "/api/v1/organisations/{id}/tontines";
  router.Add({"POST", tontines, Action::kMembersManage, "id", CreateTontine, "Create a tontine (ROSCA) of the organisation's members"});
  router.Add({"GET", tontines, Action::kMembersRead, "id", ListTontines, "The organisation's tontines"});
  router.Add({"GET", tontines + "/{tid}", Action::kMembersRead, "id", GetTontine, "A tontine: its draw, rounds, positions and the next round"});
  router.Add({"POST", tontines + "/{tid}/rounds", Action::kMembersManage, "id", RecordRound,
              "Record the next round (idempotent by its number): bids, missed contributions and who covered them"});
  router.Add({"GET", "/api/v1/me/groups", Action::kSignedIn, "", MyGroups, "The signed-in user's place in their savings groups, tontines and group loans"});
}

}  // namespace solidum::http::api
