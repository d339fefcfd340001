// General assemblies: set up, convened (notices emailed), opened, closed (the record
// emailed) by the organisation's admins; attendance and proxies by its editors (the
// secretary at the door); decisions by its admins (the chair). Members see theirs under
// /me and may give their own proxy.
#include <boost/json.hpp>

#include "common/json_fields.h"
#include "governance/assemblies.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"
#include "registry/organisation.h"

namespace solidum::http::api {

using identity::Action;

namespace {

boost::json::value OptJson(const std::optional<std::string>& v) { return v ? boost::json::value(*v) : nullptr; }
boost::json::value OptJson(const std::optional<std::int64_t>& v) { return v ? boost::json::value(*v) : nullptr; }
boost::json::value JsonText(const std::optional<std::string>& v) { return v ? boost::json::parse(*v) : boost::json::value(nullptr); }

boost::json::object AssemblyJson(const governance::Assembly& a) {
  boost::json::array items;
  for (const auto& i : a.items) {
    items.push_back({{"id", i.id},
                     {"position", i.position},
                     {"title", i.title},
                     {"description", i.description},
                     {"ballot_id", OptJson(i.ballot_id)},
                     {"decision", JsonText(i.decision)},
                     {"decided_at", OptJson(i.decided_at)}});
  }
  return {{"id", a.id},
          {"organisation_id", a.organisation_id},
          {"kind", a.kind},
          {"title", a.title},
          {"description", a.description},
          {"starts_at", a.starts_at},
          {"timezone", a.timezone},
          {"place", a.place},
          {"online_url", a.online_url},
          {"notice_days", a.notice_days},
          {"quorum_percent", a.quorum.percent},
          {"quorum_scope", a.quorum.per_class ? "per_class" : "overall"},
          {"proxy_limit", a.proxies.limit},
          {"proxy_same_class", a.proxies.same_class},
          {"state", a.state},
          {"convened_at", OptJson(a.convened_at)},
          {"notice_given_days", OptJson(a.notice_given_days)},
          {"opened_at", OptJson(a.opened_at)},
          {"closed_at", OptJson(a.closed_at)},
          {"quorum_at_opening", JsonText(a.quorum_at_opening)},
          {"minutes", a.minutes},
          {"items", std::move(items)},
          {"version", a.version},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at}};
}

governance::Assemblies& Of(Context& ctx) { return ctx.services.assemblies; }

Response List(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto list, Of(ctx).List(org));
  boost::json::array items;
  for (const auto& a : list) items.push_back(AssemblyJson(a));
  return Json(200, {{"items", std::move(items)}});
}

Response Create(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto in, governance::ParseAssembly(body));
  SOLIDUM_HTTP_TRY(auto a, Of(ctx).Create(org, in, ctx.principal.user_id));
  return WithETag(Json(201, AssemblyJson(a)), a.version);
}

Response Get(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto a, Of(ctx).Get(org, id));
  SOLIDUM_HTTP_TRY(auto q, Of(ctx).QuorumOf(org, id));
  auto o = AssemblyJson(a);
  o["quorum"] = governance::QuorumJson(q);
  return WithETag(Json(200, o), a.version);
}

Response Update(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto in, governance::ParseAssembly(body));
  SOLIDUM_HTTP_TRY(auto a, Of(ctx).UpdateDraft(org, id, version, in));
  return WithETag(Json(200, AssemblyJson(a)), a.version);
}

Response Delete(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_CHECK(Of(ctx).DeleteDraft(org, id, version));
  return NoContent();
}

Response Convene(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto done, Of(ctx).Convene(org, id, version));
  auto& [a, c] = done;
  boost::json::array warnings;
  for (const auto& w : c.warnings) warnings.push_back({{"code", w.code}, {"message", w.message}});
  auto o = AssemblyJson(a);
  o["warnings"] = std::move(warnings);
  o["notices_queued"] = c.notices_queued;
  o["members_without_email"] = c.without_email;
  return WithETag(Json(200, o), a.version);
}

// The optional body of a step: {"minutes": "..."} when closing.
Result<std::string> Minutes(const Request& request) {
  if (request.body.empty()) return std::string();
  SOLIDUM_ASSIGN_OR_RETURN(auto body, ParseJsonBody(request));
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Error::Invalid("", "not_an_object", "A JSON object is expected.");
  auto minutes = r.Text("minutes", {.max_chars = 100'000, .multiline = true});
  SOLIDUM_TRY(r.Finish());
  return minutes.has_value() ? minutes.value : std::string();
}

Response Open(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto a, Of(ctx).Open(org, id, version));
  return WithETag(Json(200, AssemblyJson(a)), a.version);
}

Response Close(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto minutes, Minutes(ctx.request));
  SOLIDUM_HTTP_TRY(auto a, Of(ctx).Close(org, id, version, minutes));
  return WithETag(Json(200, AssemblyJson(a)), a.version);
}

Response AttendanceAndQuorum(Context& ctx, std::int64_t org, std::int64_t id) {
  SOLIDUM_HTTP_TRY(auto rows, Of(ctx).Attendance(org, id));
  SOLIDUM_HTTP_TRY(auto q, Of(ctx).QuorumOf(org, id));
  boost::json::array items;
  for (const auto& r : rows) {
    items.push_back({{"member_id", r.member_id},
                     {"name", r.name},
                     {"number", OptJson(r.number)},
                     {"class", OptJson(r.class_code)},
                     {"status", r.status},
                     {"channel", OptJson(r.channel)},
                     {"proxy_holder_id", OptJson(r.holder_id)},
                     {"proxy_holder_name", OptJson(r.holder_name)},
                     {"proxies_held", r.proxies_held}});
  }
  return Json(200, {{"items", std::move(items)}, {"quorum", governance::QuorumJson(q)}});
}

Response Attendance(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  return AttendanceAndQuorum(ctx, org, id);
}

Response SignIn(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Problem(Error::Invalid("", "not_an_object", "A JSON object is expected."), ctx.request.path);
  auto member = r.Integer("member_id", 1, std::int64_t{1} << 53, /*required=*/true);
  auto channel = r.Text("channel", {.nullable = false, .max_chars = 20});
  const std::string ch = channel.has_value() ? channel.value : "in_person";
  if (ch != "in_person" && ch != "online") r.Fail("channel", "unknown_term", "in_person or online.");
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_CHECK(Of(ctx).SignIn(org, id, member.value, ch));
  return AttendanceAndQuorum(ctx, org, id);
}

Response SignOut(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto member, ctx.IdParam("mid"));
  SOLIDUM_HTTP_CHECK(Of(ctx).SignOut(org, id, member));
  return AttendanceAndQuorum(ctx, org, id);
}

Response GiveProxy(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Problem(Error::Invalid("", "not_an_object", "A JSON object is expected."), ctx.request.path);
  auto grantor = r.Integer("grantor_member_id", 1, std::int64_t{1} << 53, /*required=*/true);
  auto holder = r.Integer("holder_member_id", 1, std::int64_t{1} << 53, /*required=*/true);
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_CHECK(Of(ctx).GiveProxy(org, id, grantor.value, holder.value));
  return AttendanceAndQuorum(ctx, org, id);
}

Response RevokeProxy(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto member, ctx.IdParam("mid"));
  SOLIDUM_HTTP_CHECK(Of(ctx).RevokeProxy(org, id, member));
  return AttendanceAndQuorum(ctx, org, id);
}

Response Decide(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto item, ctx.IdParam("iid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto decision, governance::ParseDecision(body));
  SOLIDUM_HTTP_TRY(auto a, Of(ctx).Decide(org, id, item, decision));
  return WithETag(Json(200, AssemblyJson(a)), a.version);
}

Response Mail(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto d, Of(ctx).Delivery(org, id));
  boost::json::array failures;
  for (const auto& f : d.failures) failures.push_back({{"member_id", OptJson(f.member_id)}, {"recipient", f.recipient}, {"error", f.error}});
  return Json(200, {{"queued", d.queued}, {"sent", d.sent}, {"failed", d.failed}, {"failures", std::move(failures)}});
}

boost::json::object MineJson(const governance::MemberAssembly& m) {
  auto o = AssemblyJson(m.assembly);
  o.erase("minutes");  // the secretary's draft until closed; the record is in the decisions
  if (m.assembly.state == "closed") o["minutes"] = m.assembly.minutes;
  o["organisation_name"] = m.organisation_name;
  o["your_status"] = m.status;
  o["your_proxy_holder"] = OptJson(m.holder_name);
  return o;
}

Response MyAssemblies(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto list, Of(ctx).OfUser(*ctx.principal.user_id));
  boost::json::array items;
  for (const auto& m : list) items.push_back(MineJson(m));
  return Json(200, {{"items", std::move(items)}});
}

Response MyAssembly(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto m, Of(ctx).ForUser(*ctx.principal.user_id, id));
  return Json(200, MineJson(m));
}

Response MyProxy(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Problem(Error::Invalid("", "not_an_object", "A JSON object is expected."), ctx.request.path);
  auto number = r.Text("holder_number", {.required = true, .nullable = false, .max_chars = 40});
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_CHECK(Of(ctx).GiveOwnProxy(*ctx.principal.user_id, id, number.value));
  return MyAssembly(ctx);
}

}  // namespace

void RegisterAssemblies(Router& router) {
  const std::string org = "/api/v1/organisations/{id}/assemblies";
  const std::string one = org + "/{aid}";
  router.Add({"GET", org, Action::kMembersRead, "id", List, "The organisation's general assemblies, drafts included"});
  router.Add({"POST", org, Action::kGovernanceAdmin, "id", Create, "Set up a general assembly (a draft): date, place, agenda, notice, quorum and proxy rules"});
  router.Add({"GET", one, Action::kMembersRead, "id", Get, "One assembly, with its quorum as it stands"});
  router.Add({"PUT", one, Action::kGovernanceAdmin, "id", Update, "Change a draft as a whole: fields and agenda (If-Match required)"});
  router.Add({"DELETE", one, Action::kGovernanceAdmin, "id", Delete, "Delete a draft (If-Match required)"});
  router.Add({"POST", one + "/convene", Action::kGovernanceAdmin, "id", Convene,
              "Convene: the notice is emailed to every member in their language; warns when the notice is shorter than the statutes ask (If-Match required)"});
  router.Add({"POST", one + "/open", Action::kGovernanceAdmin, "id", Open, "Open the session; the quorum at that moment is recorded (If-Match required)"});
  router.Add({"POST", one + "/close", Action::kGovernanceAdmin, "id", Close,
              "Close with the minutes; the record of decisions is emailed to the members (If-Match required)"});
  router.Add({"GET", one + "/attendance", Action::kMembersRead, "id", Attendance, "The attendance register: present, represented, absent; and the quorum"});
  router.Add({"POST", one + "/attendance", Action::kMembersManage, "id", SignIn, "Sign a member in (in person or online)"});
  router.Add({"DELETE", one + "/attendance/{mid}", Action::kMembersManage, "id", SignOut, "Sign a member out"});
  router.Add({"POST", one + "/proxies", Action::kMembersManage, "id", GiveProxy, "Record a proxy, within the statutes' limit per holder"});
  router.Add({"DELETE", one + "/proxies/{mid}", Action::kMembersManage, "id", RevokeProxy, "Withdraw a member's proxy"});
  router.Add({"POST", one + "/items/{iid}/decision", Action::kGovernanceAdmin, "id", Decide,
              "Record an agenda item's decision: a vote by show of hands counted by the statutes' rule, a ballot's result, or a note"});
  router.Add({"GET", one + "/mail", Action::kMembersRead, "id", Mail, "The emails about the assembly: queued, sent, failed with the server's answer"});
  router.Add({"GET", "/api/v1/me/assemblies", Action::kSignedIn, "", MyAssemblies, "The assemblies of the signed-in user's organisations"});
  router.Add({"GET", "/api/v1/me/assemblies/{aid}", Action::kSignedIn, "", MyAssembly, "One of them, with the user's attendance and proxy"});
  router.Add({"POST", "/api/v1/me/assemblies/{aid}/proxy", Action::kSignedIn, "", MyProxy,
              "Give one's own proxy to another member, by their membership number"});
}

}  // namespace solidum::http::api
