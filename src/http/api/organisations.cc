// The organisation register's slice: create, read, change (If-Match), soft delete, list,
// and the roles people hold in an organisation.
#include <boost/json.hpp>

#include <charconv>

#include "common/assert.h"
#include "common/json_fields.h"
#include "common/json_write.h"
#include "common/limits.h"
#include "common/text.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"
#include "registry/organisation.h"
#include "registry/catalogue.h"
#include "registry/search.h"

namespace solidum::http::api {

using identity::Action;

namespace {

// One organisation, with its ETag.
Response OrganisationResponse(int status, const registry::Organisation& org) {
  Response r;
  r.status = status;
  json_write::Writer w(r.body);
  registry::WriteJson(w, org);
  r.SetHeader("ETag", registry::ETagOf(org.version));
  return r;
}

// GET /organisations: the register, searched (q, bbox, near, filters, sort), a page at a time,
// with the total and facet counts.
Response List(Context& ctx) {
  auto query = registry::ParseSearchQuery(ctx.request.query);
  if (!query.ok()) return Problem(query.error(), ctx.request.path);
  auto found = ctx.services.organisations.Search(*query);
  if (!found.ok()) return Problem(found.error(), ctx.request.path);
  Response r;
  r.body.reserve(256 + found->items.size() * 1100);
  json_write::Writer w(r.body);
  w.BeginObject().Key("items").BeginArray();
  for (const auto& doc : found->items) w.Raw(doc.json);
  w.EndArray();
  w.Key("total").Int(found->total);
  w.Key("next_cursor").Optional(found->next_cursor);
  w.Key("facets").BeginObject();
  for (const auto& [name, values] : found->facets) {
    w.Key(name).BeginArray();
    for (const auto& v : values) w.BeginObject().Key("value").String(v.value).Key("count").Int(v.count).EndObject();
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return r;
}

// Appends a coordinate with 5 decimals (about a metre), without trailing zeros.
void AppendCoordinate(std::string& out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 5);
  SOLIDUM_ASSERT(ec == std::errc());
  char* last = end;
  while (last > buf && last[-1] == '0') --last;
  if (last > buf && last[-1] == '.') --last;
  std::string_view s(buf, static_cast<std::size_t>(last - buf));
  out += s == "-0" ? std::string_view("0") : s;
}

// GET /organisations/map: every match with a place, in parallel arrays (ids, latitudes,
// longitudes, legal forms as indexes into legal_forms): 100,000 points in about 3 MB.
Response Map(Context& ctx) {
  auto query = registry::ParseSearchQuery(ctx.request.query);
  if (!query.ok()) return Problem(query.error(), ctx.request.path);
  auto points = ctx.services.organisations.Map(*query);
  if (!points.ok()) return Problem(points.error(), ctx.request.path);
  Response r;
  std::string& b = r.body;
  std::size_t n = points->ids.size();
  b.reserve(128 + n * 36);
  b += "{\"total\":" + std::to_string(n) + ",\"legal_forms\":[";
  for (std::size_t i = 0; i < points->legal_forms.size(); ++i) {
    if (i) b += ',';
    json_write::Writer(b).String(points->legal_forms[i]);
  }
  b += "],\"ids\":[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) b += ',';
    b += std::to_string(points->ids[i]);
  }
  b += "],\"lat\":[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) b += ',';
    AppendCoordinate(b, points->latitudes[i]);
  }
  b += "],\"lon\":[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) b += ',';
    AppendCoordinate(b, points->longitudes[i]);
  }
  b += "],\"legal_form\":[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) b += ',';
    b += std::to_string(points->legal_form_index[i]);
  }
  b += "]}";
  return r;
}

// GET /portraits?group_by=...: the search's matches counted by group, with headcounts.
Response Portrait(Context& ctx) {
  std::vector<std::pair<std::string, std::string>> params;
  std::optional<std::string> group_by;
  for (const auto& kv : ctx.request.query) {
    if (kv.first == "group_by") group_by = kv.second;
    else params.push_back(kv);
  }
  static const std::pair<const char*, registry::PortraitGroup> kGroups[] = {
      {"country", registry::PortraitGroup::kCountry},       {"region", registry::PortraitGroup::kRegion},
      {"legal_form", registry::PortraitGroup::kLegalForm}, {"activity", registry::PortraitGroup::kActivity},
      {"network", registry::PortraitGroup::kNetwork},       {"year", registry::PortraitGroup::kYear}};
  std::optional<registry::PortraitGroup> group;
  for (const auto& [name, g] : kGroups) {
    if (group_by == name) group = g;
  }
  if (!group) {
    return Problem(Error::Invalid("?group_by", group_by ? "unknown_term" : "required",
                                  "One of: country, region, legal_form, activity, network, year."),
                   ctx.request.path);
  }
  auto query = registry::ParseSearchQuery(params);
  if (!query.ok()) return Problem(query.error(), ctx.request.path);
  auto rows = ctx.services.organisations.Portrait(*query, *group);
  if (!rows.ok()) return Problem(rows.error(), ctx.request.path);
  boost::json::array groups;
  for (const auto& row : *rows) {
    groups.push_back({{"group", row.group.empty() ? boost::json::value(nullptr) : boost::json::value(row.group)},
                      {"organisations", row.organisations},
                      {"members", row.members},
                      {"members_reported", row.members_reported},
                      {"workers", row.workers},
                      {"workers_reported", row.workers_reported},
                      {"volunteers", row.volunteers},
                      {"volunteers_reported", row.volunteers_reported}});
  }
  return Json(200, {{"group_by", *group_by}, {"groups", std::move(groups)}});
}

Response Create(Context& ctx) {
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  auto input = registry::ParseOrganisation(*body, registry::Mode::kCreate);
  if (!input.ok()) return Problem(input.error(), ctx.request.path);
  auto org = ctx.services.organisations.Create(*input, ctx.principal.user_id);
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  Response r = OrganisationResponse(201, *org);
  r.SetHeader("Location", "/api/v1/organisations/" + std::to_string(org->id));
  return r;
}

Response Get(Context& ctx) {
  auto id = ctx.IdParam("id");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto doc = ctx.services.organisations.GetDocument(*id);
  if (!doc.ok()) return Problem(doc.error(), ctx.request.path);
  Response r;
  r.body = std::move(doc->json);
  r.SetHeader("ETag", registry::ETagOf(doc->version));
  return r;
}

Response Patch(Context& ctx) {
  auto id = ctx.IdParam("id");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  auto changes = registry::ParseOrganisation(*body, registry::Mode::kPatch);
  if (!changes.ok()) return Problem(changes.error(), ctx.request.path);
  auto version = IfMatchVersion(ctx.request);
  if (!version.ok()) return Problem(version.error(), ctx.request.path);
  auto org = ctx.services.organisations.Update(*id, *version, *changes);
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  return OrganisationResponse(200, *org);
}

Response Delete(Context& ctx) {
  auto id = ctx.IdParam("id");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto version = IfMatchVersion(ctx.request);
  if (!version.ok()) return Problem(version.error(), ctx.request.path);
  if (auto r = ctx.services.organisations.Delete(*id, *version); !r.ok()) return Problem(r.error(), ctx.request.path);
  return NoContent();
}

Response ListRoles(Context& ctx) {
  auto id = ctx.IdParam("id");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  if (auto org = ctx.services.organisations.Get(*id); !org.ok()) return Problem(org.error(), ctx.request.path);
  auto holders = ctx.services.identity.ListRoles(*id);
  if (!holders.ok()) return Problem(holders.error(), ctx.request.path);
  boost::json::array items;
  for (const auto& h : *holders) {
    items.push_back({{"user_id", h.user.id}, {"email", h.user.email}, {"role", identity::RoleName(h.role)}});
  }
  return Json(200, {{"items", std::move(items)}});
}

Response GrantRole(Context& ctx) {
  auto id = ctx.IdParam("id");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  json_fields::ObjectReader r(*body);
  auto email = r.Text("email", {.required = true, .max_chars = limits::kEmailBytesMax});
  auto role_name = r.Text("role", {.required = true, .max_chars = 16});
  auto role = identity::ParseRole(role_name.value);
  if (role_name.has_value() && !role) r.Fail("role", "unknown_term", "One of: admin, editor, member.");
  if (auto f = r.Finish(); !f.ok()) return Problem(f.error(), ctx.request.path);
  if (auto org = ctx.services.organisations.Get(*id); !org.ok()) return Problem(org.error(), ctx.request.path);
  auto user = ctx.services.identity.FindUserByEmail(email.value);
  if (!user.ok()) return Problem(user.error(), ctx.request.path);
  if (!*user) return Problem(Error::Invalid("/email", "unknown_user", "No user has this email."), ctx.request.path);
  auto conn = ctx.services.store.Acquire();
  if (auto g = ctx.services.identity.Grant(*conn, (*user)->id, *id, *role); !g.ok()) {
    return Problem(g.error(), ctx.request.path);
  }
  return Json(200, {{"user_id", (*user)->id}, {"email", (*user)->email}, {"role", identity::RoleName(*role)}});
}

Response RevokeRole(Context& ctx) {
  auto id = ctx.IdParam("id");
  auto user_id = ctx.IdParam("user_id");
  if (!id.ok() || !user_id.ok()) return Problem(Error::NotFound("No such role."), ctx.request.path);
  if (auto r = ctx.services.identity.Revoke(*user_id, *id); !r.ok()) return Problem(r.error(), ctx.request.path);
  return NoContent();
}

}  // namespace

void RegisterOrganisations(Router& router) {
  const std::string base = "/api/v1/organisations";
  router.Add({"GET", base, Action::kAnyone, "", List, "List organisations, a page at a time"});
  router.Add({"POST", base, Action::kOrganisationCreate, "", Create, "Create an organisation; you become its admin"});
  router.Add({"GET", base + "/map", Action::kAnyone, "", Map,
              "Every matching organisation with a place, as compact parallel arrays for the map"});
  router.Add({"GET", "/api/v1/portraits", Action::kAnyone, "", Portrait,
              "Organisations, members, workers and volunteers by country, region, legal form, activity, network or year"});
  router.Add({"GET", base + "/{id}", Action::kAnyone, "", Get, "Read an organisation"});
  router.Add({"PATCH", base + "/{id}", Action::kOrganisationUpdate, "id", Patch,
              "Change an organisation (JSON merge patch, If-Match required)"});
  router.Add({"DELETE", base + "/{id}", Action::kOrganisationDelete, "id", Delete,
              "Delete an organisation (soft; If-Match required)"});
  router.Add({"GET", base + "/{id}/roles", Action::kOrganisationManageRoles, "id", ListRoles,
              "Who holds which role in the organisation"});
  router.Add({"POST", base + "/{id}/roles", Action::kOrganisationManageRoles, "id", GrantRole,
              "Give a user a role in the organisation"});
  router.Add({"DELETE", base + "/{id}/roles/{user_id}", Action::kOrganisationManageRoles, "id", RevokeRole,
              "Take a user's role away"});
}

}  // namespace solidum::http::api
