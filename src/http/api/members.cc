// An organisation's member register: classes (colleges), members, their history, CSV in
// and out; and a signed-in user's own memberships. The register holds personal data: only
// the organisation's editors and admins read it; classes are set by its admins.
#include <boost/json.hpp>

#include "common/limits.h"
#include "common/text.h"
#include "governance/members.h"
#include "http/api/paging.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"
#include "registry/organisation.h"

namespace solidum::http::api {

using identity::Action;

namespace {

boost::json::value OptJson(const std::optional<std::string>& v) { return v ? boost::json::value(*v) : nullptr; }
boost::json::value OptJson(const std::optional<std::int64_t>& v) { return v ? boost::json::value(*v) : nullptr; }

boost::json::object ClassJson(const governance::MemberClass& c) {
  return {{"id", c.id},
          {"code", c.code},
          {"name", c.name},
          {"college_weight_percent", OptJson(c.college_weight_percent)},
          {"note", c.note},
          {"current_members", c.current_members},
          {"version", c.version},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at}};
}

boost::json::object MemberJson(const governance::Member& m, const std::string& today) {
  return {{"id", m.id},
          {"organisation_id", m.organisation_id},
          {"number", OptJson(m.number)},
          {"kind", m.kind},
          {"name", m.name},
          {"email", OptJson(m.email)},
          {"phone", OptJson(m.phone)},
          {"language", m.language},
          {"user_id", OptJson(m.user_id)},
          {"member_organisation_id", OptJson(m.member_organisation_id)},
          {"class", OptJson(m.class_code)},
          {"status", m.status},
          {"current", m.IsMemberOn(today)},
          {"joined_on", m.joined_on},
          {"left_on", OptJson(m.left_on)},
          {"note", m.note},
          {"version", m.version},
          {"created_at", m.created_at},
          {"updated_at", m.updated_at}};
}

governance::Members& MembersOf(Context& ctx) { return ctx.services.members; }

Response ListClasses(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto list = MembersOf(ctx).Classes(*org);
  if (!list.ok()) return Problem(list.error(), ctx.request.path);
  boost::json::array items;
  for (const auto& c : *list) items.push_back(ClassJson(c));
  return Json(200, {{"items", std::move(items)}});
}

Response CreateClass(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  auto in = governance::ParseMemberClass(*body, true);
  if (!in.ok()) return Problem(in.error(), ctx.request.path);
  auto c = MembersOf(ctx).CreateClass(*org, *in);
  if (!c.ok()) return Problem(c.error(), ctx.request.path);
  return WithETag(Json(201, ClassJson(*c)), c->version);
}

Response UpdateClass(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto id = ctx.IdParam("cid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto version = IfMatchVersion(ctx.request);
  if (!version.ok()) return Problem(version.error(), ctx.request.path);
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  auto in = governance::ParseMemberClass(*body, false);
  if (!in.ok()) return Problem(in.error(), ctx.request.path);
  auto c = MembersOf(ctx).UpdateClass(*org, *id, *version, *in);
  if (!c.ok()) return Problem(c.error(), ctx.request.path);
  return WithETag(Json(200, ClassJson(*c)), c->version);
}

Result<governance::MemberQuery> ParseQuery(const Request& req) {
  governance::MemberQuery q;
  q.limit = limits::kPageSizeDefault;
  for (const auto& [key, value] : req.query) {
    if (key == "filter") {
      if (value == "current") q.filter = governance::MemberFilter::kCurrent;
      else if (value == "left") q.filter = governance::MemberFilter::kLeft;
      else if (value == "all") q.filter = governance::MemberFilter::kAll;
      else return Error::Invalid("?filter", "unknown_term", "One of: current, left, all.");
    } else if (key == "status") {
      if (value != "active" && value != "suspended") return Error::Invalid("?status", "unknown_term", "One of: active, suspended.");
      q.status = value;
    } else if (key == "class") {
      if (value.empty() || value.size() > 32) return Error::Invalid("?class", "invalid_value", "A member class code.");
      q.class_code = value;
    } else if (key == "q") {
      if (value.size() > 200) return Error::Invalid("?q", "too_long", "At most 200 characters.");
      q.text = value;
    } else {
      Paging paging{q.limit, q.offset};
      SOLIDUM_ASSIGN_OR_RETURN(bool taken, TakePagingParam(key, value, paging));
      if (!taken) return Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known.");
      q.limit = paging.limit;
      q.offset = paging.offset;
    }
  }
  return q;
}

Response List(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto q = ParseQuery(ctx.request);
  if (!q.ok()) return Problem(q.error(), ctx.request.path);
  auto page = MembersOf(ctx).List(*org, *q);
  if (!page.ok()) return Problem(page.error(), ctx.request.path);
  const std::string today = MembersOf(ctx).Today();
  boost::json::array items;
  for (const auto& m : page->items) items.push_back(MemberJson(m, today));
  return Json(200, {{"items", std::move(items)}, {"total", page->total},
                    {"next_cursor", NextCursor(Paging{q->limit, q->offset}, page->items.size(), page->total)}});
}

Response Create(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  auto in = governance::ParseMember(*body, true);
  if (!in.ok()) return Problem(in.error(), ctx.request.path);
  auto m = MembersOf(ctx).Create(*org, *in, ctx.principal.user_id);
  if (!m.ok()) return Problem(m.error(), ctx.request.path);
  return WithETag(Json(201, MemberJson(*m, MembersOf(ctx).Today())), m->version);
}

Response Get(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto id = ctx.IdParam("mid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto m = MembersOf(ctx).Get(*org, *id);
  if (!m.ok()) return Problem(m.error(), ctx.request.path);
  return WithETag(Json(200, MemberJson(*m, MembersOf(ctx).Today())), m->version);
}

Response Update(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto id = ctx.IdParam("mid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto version = IfMatchVersion(ctx.request);
  if (!version.ok()) return Problem(version.error(), ctx.request.path);
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  auto in = governance::ParseMember(*body, false);
  if (!in.ok()) return Problem(in.error(), ctx.request.path);
  auto m = MembersOf(ctx).Update(*org, *id, *version, *in, ctx.principal.user_id);
  if (!m.ok()) return Problem(m.error(), ctx.request.path);
  return WithETag(Json(200, MemberJson(*m, MembersOf(ctx).Today())), m->version);
}

Response History(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto id = ctx.IdParam("mid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto events = MembersOf(ctx).History(*org, *id);
  if (!events.ok()) return Problem(events.error(), ctx.request.path);
  boost::json::array items;
  for (const auto& e : *events) {
    items.push_back({{"id", e.id},
                     {"at", e.at},
                     {"by_user", OptJson(e.by_user)},
                     {"kind", e.kind},
                     {"changes", boost::json::parse(e.changes)}});
  }
  return Json(200, {{"items", std::move(items)}});
}

Response Import(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  if (!ctx.request.query.empty()) {
    return Problem(Error::Invalid("?" + ctx.request.query.front().first, "unknown_parameter", "This parameter is not known."),
                   ctx.request.path);
  }
  auto s = MembersOf(ctx).Import(*org, ctx.request.body, ctx.principal.user_id);
  if (!s.ok()) return Problem(s.error(), ctx.request.path);
  if (!s->errors.empty()) {
    Error e{ErrorKind::kInvalidInput, "import_refused",
            "Nothing was imported: " + std::to_string(s->errors.size()) + " problem(s) in the file, each named by line and column.",
            s->errors};
    return Problem(e, ctx.request.path);
  }
  return Json(200, {{"read", s->read}, {"created", s->created}, {"updated", s->updated}, {"unchanged", s->unchanged}});
}

Response Export(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto csv = MembersOf(ctx).ExportCsv(*org);
  if (!csv.ok()) return Problem(csv.error(), ctx.request.path);
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.SetHeader("Content-Disposition", "attachment; filename=\"members-" + std::to_string(*org) + ".csv\"");
  r.body = std::move(*csv);
  return r;
}

Response MyMemberships(Context& ctx) {
  auto list = MembersOf(ctx).OfUser(*ctx.principal.user_id);
  if (!list.ok()) return Problem(list.error(), ctx.request.path);
  const std::string today = MembersOf(ctx).Today();
  boost::json::array items;
  for (const auto& m : *list) {
    auto o = MemberJson(m.member, today);
    o["organisation_name"] = m.organisation_name;
    o.erase("note");  // the register's notes are the organisation's, not the member's
    items.push_back(std::move(o));
  }
  return Json(200, {{"items", std::move(items)}});
}

}  // namespace

void RegisterMembers(Router& router) {
  const std::string classes = "/api/v1/organisations/{id}/member-classes";
  router.Add({"GET", classes, Action::kMembersRead, "id", ListClasses, "The organisation's member classes (colleges), with current counts"});
  router.Add({"POST", classes, Action::kGovernanceAdmin, "id", CreateClass, "Define a member class (college) and its vote weight"});
  router.Add({"PATCH", classes + "/{cid}", Action::kGovernanceAdmin, "id", UpdateClass, "Change a member class (If-Match required)"});
  const std::string members = "/api/v1/organisations/{id}/members";
  router.Add({"GET", members, Action::kMembersRead, "id", List, "The member register: current, left or all, by class, status or text"});
  router.Add({"POST", members, Action::kMembersManage, "id", Create, "Register a member"});
  router.Add({"GET", members + "/export", Action::kMembersRead, "id", Export, "The member register as CSV"});
  Route import{"POST", members + "/imports", Action::kMembersManage, "id", Import,
               "Import a CSV register (all or nothing; rows matched by member number)"};
  import.body_bytes_max = limits::kUploadBodyBytesMax;
  router.Add(std::move(import));
  router.Add({"GET", members + "/{mid}", Action::kMembersRead, "id", Get, "One member"});
  router.Add({"PATCH", members + "/{mid}", Action::kMembersManage, "id", Update,
              "Change a member: class, status, leaving date, contact... (If-Match required)"});
  router.Add({"GET", members + "/{mid}/history", Action::kMembersRead, "id", History, "Every change to a member, oldest first"});
  router.Add({"GET", "/api/v1/me/memberships", Action::kSignedIn, "", MyMemberships, "The signed-in user's memberships"});
}

}  // namespace solidum::http::api
