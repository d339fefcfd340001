// Networks and relationships: an organisation's declared relationships, a network's
// members (recorded by the network) and its follow-up view of them.
#include <boost/json.hpp>

#include <algorithm>

#include "common/limits.h"
#include "common/text.h"
#include "http/api/paging.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"
#include "registry/networks.h"
#include "registry/open_data.h"
#include "registry/organisations.h"
#include "registry/terms.h"
#include "registry/organisation.h"

namespace solidum::http::api {

using identity::Action;
using registry::RelationshipSide;

namespace {

boost::json::value Nullable(const std::optional<std::string>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

boost::json::object ToJson(const registry::Relationship& r) {
  return {{"id", r.id},
          {"subject", {{"id", r.subject.id}, {"name", r.subject.name}}},
          {"kind", r.kind},
          {"object", {{"id", r.object.id}, {"name", r.object.name}}},
          {"role", Nullable(r.role)},
          {"start_date", Nullable(r.start_date)},
          {"end_date", Nullable(r.end_date)},
          {"note", r.note},
          {"current", r.current},
          {"version", r.version},
          {"created_at", r.created_at},
          {"updated_at", r.updated_at}};
}

Response One(int status, const registry::Relationship& r) {
  Response out = Json(status, ToJson(r));
  out.SetHeader("ETag", registry::ETagOf(r.version));
  return out;
}

Response Create(Context& ctx, RelationshipSide side) {
  auto id = ctx.IdParam("id");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  auto input = registry::ParseRelationship(*body, side, /*create=*/true);
  if (!input.ok()) return Problem(input.error(), ctx.request.path);
  auto& networks = ctx.services.networks;
  auto r = side == RelationshipSide::kMembership ? networks.AddMember(*id, *input, ctx.principal.user_id)
                                                 : networks.Relate(*id, *input, ctx.principal.user_id);
  if (!r.ok()) return Problem(r.error(), ctx.request.path);
  return One(201, *r);
}

Response Change(Context& ctx, RelationshipSide side) {
  auto id = ctx.IdParam("id");
  auto rid = ctx.IdParam("rid");
  if (!id.ok() || !rid.ok()) return Problem(Error::NotFound("No such relationship here."), ctx.request.path);
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  auto changes = registry::ParseRelationship(*body, side, /*create=*/false);
  if (!changes.ok()) return Problem(changes.error(), ctx.request.path);
  auto version = IfMatchVersion(ctx.request);
  if (!version.ok()) return Problem(version.error(), ctx.request.path);
  auto r = ctx.services.networks.Update(*id, side, *rid, *version, *changes);
  if (!r.ok()) return Problem(r.error(), ctx.request.path);
  return One(200, *r);
}

Response Remove(Context& ctx, RelationshipSide side) {
  auto id = ctx.IdParam("id");
  auto rid = ctx.IdParam("rid");
  if (!id.ok() || !rid.ok()) return Problem(Error::NotFound("No such relationship here."), ctx.request.path);
  auto version = IfMatchVersion(ctx.request);
  if (!version.ok()) return Problem(version.error(), ctx.request.path);
  if (auto r = ctx.services.networks.Delete(*id, side, *rid, *version); !r.ok()) return Problem(r.error(), ctx.request.path);
  return NoContent();
}

Response ListRelationships(Context& ctx) {
  auto id = ctx.IdParam("id");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto list = ctx.services.networks.ListFor(*id);
  if (!list.ok()) return Problem(list.error(), ctx.request.path);
  boost::json::array items;
  for (const auto& r : *list) items.push_back(ToJson(r));
  return Json(200, {{"items", std::move(items)}});
}

// status, sort, limit and an offset cursor, as the members and follow-up lists take them.
struct MemberQuery {
  registry::MemberStatus status = registry::MemberStatus::kCurrent;
  registry::MemberSort sort = registry::MemberSort::kName;
  int limit = limits::kPageSizeDefault;
  std::int64_t offset = 0;
};

Result<MemberQuery> ParseMemberQuery(const Request& req, registry::MemberSort default_sort) {
  MemberQuery q;
  q.sort = default_sort;
  for (const auto& [key, value] : req.query) {
    if (key == "status") {
      if (value == "current") q.status = registry::MemberStatus::kCurrent;
      else if (value == "past") q.status = registry::MemberStatus::kPast;
      else if (value == "all") q.status = registry::MemberStatus::kAll;
      else return Error::Invalid("?status", "unknown_term", "One of: current, past, all.");
    } else if (key == "sort") {
      if (value == "name") q.sort = registry::MemberSort::kName;
      else if (value == "updated") q.sort = registry::MemberSort::kLeastRecentlyUpdated;
      else return Error::Invalid("?sort", "unknown_term", "One of: name, updated.");
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

Response MemberList(Context& ctx, bool follow_up) {
  auto id = ctx.IdParam("id");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto q = ParseMemberQuery(ctx.request,
                            follow_up ? registry::MemberSort::kLeastRecentlyUpdated : registry::MemberSort::kName);
  if (!q.ok()) return Problem(q.error(), ctx.request.path);
  auto page = ctx.services.networks.Members(*id, q->status, q->sort, q->limit, q->offset);
  if (!page.ok()) return Problem(page.error(), ctx.request.path);
  boost::json::array items;
  for (const auto& m : page->items) {
    boost::json::object o = ToJson(m.membership);
    o["organisation"] = {{"id", m.membership.subject.id},
                         {"name", m.membership.subject.name},
                         {"country", Nullable(m.country)},
                         {"locality", Nullable(m.locality)},
                         {"legal_form", Nullable(m.legal_form)},
                         {"network_scope", Nullable(m.network_scope)}};
    if (follow_up) {
      boost::json::array missing;
      for (const auto& f : m.missing) missing.emplace_back(f);
      o["record_updated_at"] = m.updated_at;
      o["missing"] = std::move(missing);
      o["counts_stale"] = m.counts_stale;
    }
    items.push_back(std::move(o));
  }
  return Json(200, {{"items", std::move(items)}, {"total", page->total},
                    {"next_cursor", NextCursor(Paging{q->limit, q->offset}, page->items.size(), page->total)}});
}

// POST /networks/{id}/imports?format=...: a file of organisations into the register, as
// the network's members. The body is the file itself.
Response Import(Context& ctx) {
  auto id = ctx.IdParam("id");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  std::string format, source = "network-" + std::to_string(*id);
  std::vector<std::pair<std::string, std::string>> mapping;
  bool members = true;
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "format") {
      format = value;
    } else if (key == "source") {
      if (value.empty() || value.size() > 100) return Problem(Error::Invalid("?source", "invalid_value", "1 to 100 characters."), ctx.request.path);
      source = value;
    } else if (key == "map") {
      auto eq = value.find('=');
      if (eq == std::string::npos) {
        return Problem(Error::Invalid("?map", "invalid_value", "Write it Header=field (or Header= to leave a column out)."),
                       ctx.request.path);
      }
      mapping.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    } else if (key == "members") {
      if (value != "true" && value != "false") return Problem(Error::Invalid("?members", "invalid_value", "true or false."), ctx.request.path);
      members = value == "true";
    } else {
      return Problem(Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known."), ctx.request.path);
    }
  }
  const auto& formats = registry::ImportFormats();
  if (std::find(formats.begin(), formats.end(), format) == formats.end()) {
    return Problem(Error::Invalid("?format", format.empty() ? "required" : "unknown_term",
                                  "One of: essglobal-csv, csv, geojson, murmurations."),
                   ctx.request.path);
  }
  auto& orgs = ctx.services.organisations;
  auto terms = orgs.Terms();
  if (!terms.ok()) return Problem(terms.error(), ctx.request.path);
  auto parsed = registry::ReadOpenData(format, ctx.request.body, source, mapping, *terms);
  if (!parsed.ok()) {
    Error e = parsed.error();
    e.fields.push_back({"", e.code, e.message});  // the problem is the file itself
    return Problem(e, ctx.request.path);
  }
  auto summary = orgs.Import(parsed->rows, nullptr);
  if (!summary.ok()) return Problem(summary.error(), ctx.request.path);
  std::size_t added = 0;
  if (members) {
    auto r = ctx.services.networks.EnsureMembers(*id, summary->ids, ctx.principal.user_id);
    if (!r.ok()) return Problem(r.error(), ctx.request.path);
    added = *r;
  }
  auto lines = [](std::vector<registry::RowRejection> list) {
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
    boost::json::array out;
    for (const auto& r : list) out.push_back({{"line", r.line}, {"reason", r.reason}});
    return out;
  };
  auto rejected = parsed->rejected;
  rejected.insert(rejected.end(), summary->rejected.begin(), summary->rejected.end());
  auto warnings = parsed->warnings;
  warnings.insert(warnings.end(), summary->warnings.begin(), summary->warnings.end());
  // A network's admins record their own members; relationships between other organisations
  // (and memberships of other networks) are the operator's to import, with the CLI.
  std::size_t last_line = 0;
  for (const auto& r : parsed->relationships) {
    if (r.line == last_line) continue;
    last_line = r.line;
    warnings.push_back({r.line, "its relationships are not imported here (an operator imports them with solidum import)"});
  }
  boost::json::array ignored;
  for (const auto& c : parsed->ignored) ignored.emplace_back(c);
  return Json(200, {{"read", parsed->read},
                    {"created", summary->created},
                    {"updated", summary->updated},
                    {"unchanged", summary->unchanged},
                    {"rejected", lines(std::move(rejected))},
                    {"warnings", lines(std::move(warnings))},
                    {"ignored", std::move(ignored)},
                    {"members_added", added}});
}

}  // namespace

void RegisterNetworks(Router& router) {
  const std::string orgs = "/api/v1/organisations/{id}/relationships";
  router.Add({"GET", orgs, Action::kAnyone, "", ListRelationships,
              "An organisation's relationships, both ways, current and past"});
  router.Add({"POST", orgs, Action::kOrganisationRelate, "id",
              [](Context& c) { return Create(c, RelationshipSide::kDeclared); },
              "Declare a relationship (supplier of, partner of, ...); memberships are recorded by networks"});
  router.Add({"PATCH", orgs + "/{rid}", Action::kOrganisationRelate, "id",
              [](Context& c) { return Change(c, RelationshipSide::kDeclared); },
              "Change a declared relationship's dates or note (If-Match required)"});
  router.Add({"DELETE", orgs + "/{rid}", Action::kOrganisationRelate, "id",
              [](Context& c) { return Remove(c, RelationshipSide::kDeclared); },
              "Remove a relationship entered by mistake (If-Match required)"});
  const std::string members = "/api/v1/networks/{id}/members";
  router.Add({"GET", members, Action::kAnyone, "", [](Context& c) { return MemberList(c, false); },
              "A network's direct members (current, past or all)"});
  router.Add({"POST", members, Action::kNetworkManageMembers, "id",
              [](Context& c) { return Create(c, RelationshipSide::kMembership); },
              "Record an organisation as a member of the network"});
  router.Add({"PATCH", members + "/{rid}", Action::kNetworkManageMembers, "id",
              [](Context& c) { return Change(c, RelationshipSide::kMembership); },
              "Change a membership's role, dates or note; end it with end_date (If-Match required)"});
  router.Add({"DELETE", members + "/{rid}", Action::kNetworkManageMembers, "id",
              [](Context& c) { return Remove(c, RelationshipSide::kMembership); },
              "Remove a membership entered by mistake (If-Match required)"});
  Route import{"POST", "/api/v1/networks/{id}/imports", Action::kNetworkImport, "id", Import,
               "Import a file of organisations (essglobal-csv, csv, geojson, murmurations) as the network's members"};
  import.body_bytes_max = limits::kUploadBodyBytesMax;
  router.Add(std::move(import));
  router.Add({"GET", "/api/v1/networks/{id}/follow-up", Action::kNetworkFollowUp, "id",
              [](Context& c) { return MemberList(c, true); },
              "The network's members with their records' last update and missing data, least recently updated first"});
}

}  // namespace solidum::http::api
