// The library over HTTP. The publisher's side (/organisations/{id}/library/...) is for its
// editors and admins: drafts, review, history, files; an admin is the reviewer. The
// public side (/library/...) shows published resources only, their published
// translations, and their files.
#include <boost/json.hpp>

#include <charconv>

#include "common/json_fields.h"
#include "http/api/attachments.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"
#include "library/library.h"
#include "library/markdown.h"

namespace solidum::http::api {

using identity::Action;

namespace {

using library::Resource;
using library::Stage;

constexpr std::string_view kResourceFiles = "library_resource";

attachments::Owner FilesOf(const Resource& r) { return {std::string(kResourceFiles), r.id}; }

boost::json::object ResourceJson(const Resource& r, bool full) {
  boost::json::array orgs, translations;
  for (const auto& o : r.organisations) orgs.push_back({{"id", o.id}, {"name", o.name}});
  for (const auto& t : r.translations) {
    translations.push_back({{"id", t.id}, {"language", t.language}, {"title", t.title}, {"stage", library::StageName(t.stage)}});
  }
  boost::json::object j{{"id", r.id},
                        {"publisher", {{"id", r.publisher.id}, {"name", r.publisher.name}}},
                        {"type", r.type},
                        {"title", r.title},
                        {"summary", r.summary},
                        {"language", r.language},
                        {"themes", boost::json::value_from(r.themes)},
                        {"sdgs", boost::json::value_from(r.sdgs)},
                        {"countries", boost::json::value_from(r.countries)},
                        {"stage", library::StageName(r.stage)},
                        {"version", r.version},
                        {"created_at", r.created_at},
                        {"updated_at", r.updated_at},
                        {"published_at", r.published_at ? boost::json::value(*r.published_at) : nullptr}};
  if (full) {
    j["body"] = r.body;
    j["body_html"] = library::RenderMarkdown(r.body);
    j["organisations"] = std::move(orgs);
    j["translations"] = std::move(translations);
  }
  return j;
}

// The resource in full with its files.
Response Full(Context& ctx, const Resource& r, int status = 200) {
  SOLIDUM_HTTP_TRY(auto files, ctx.services.attachments.List(FilesOf(r)));
  auto j = ResourceJson(r, true);
  j["attachments"] = AttachmentsJson(files);
  return WithETag(Json(status, j), r.version);
}

Result<Resource> OwnResource(Context& ctx) {
  SOLIDUM_ASSIGN_OR_RETURN(auto org, ctx.IdParam("id"));
  SOLIDUM_ASSIGN_OR_RETURN(auto id, ctx.IdParam("rid"));
  return ctx.services.library.Get(org, id);
}

Result<Resource> PublishedResource(Context& ctx) {
  SOLIDUM_ASSIGN_OR_RETURN(auto id, ctx.IdParam("rid"));
  return ctx.services.library.GetPublished(id);
}

Response CreateResource(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto fields, library::ReadResource(body, true));
  SOLIDUM_HTTP_TRY(auto r, ctx.services.library.Create(org, fields, *ctx.principal.user_id));
  return Full(ctx, r, 201);
}

Response ListResources(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  std::optional<Stage> stage;
  std::optional<std::int64_t> before;
  int limit = 50;
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "stage") {
      stage = library::ParseStage(value);
      if (!stage) return Problem(Error::Invalid("?stage", "unknown_stage", "draft, in_review, published or archived."), ctx.request.path);
    } else if (key == "limit" || key == "before") {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      const bool ok = ec == std::errc() && end == value.data() + value.size() && n >= 1 && (key == "before" || n <= library::kPageMax);
      if (!ok) return Problem(Error::Invalid("?" + key, "out_of_range", "A whole number within the limits."), ctx.request.path);
      if (key == "limit") limit = static_cast<int>(n);
      else before = n;
    } else {
      return Problem(Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known."), ctx.request.path);
    }
  }
  SOLIDUM_HTTP_TRY(auto page, ctx.services.library.OfPublisher(org, stage, limit, before));
  boost::json::array items;
  for (const auto& r : page.items) items.push_back(ResourceJson(r, false));
  return Json(200, {{"items", std::move(items)}, {"next_before", page.next_after ? boost::json::value(*page.next_after) : nullptr}});
}

Response GetResource(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto r, OwnResource(ctx));
  return Full(ctx, r);
}

Response ChangeResource(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("rid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto changes, library::ReadResource(body, false));
  SOLIDUM_HTTP_TRY(auto r, ctx.services.library.Change(org, id, version, changes, *ctx.principal.user_id, ctx.IsOrganisationAdmin()));
  return Full(ctx, r);
}

Response MoveResource(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("rid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  auto stage_name = r.Text("stage", {.required = true, .max_chars = 20});
  auto note = r.Text("note", {.max_chars = library::kNoteCharsMax, .multiline = true});
  std::optional<Stage> stage;
  if (stage_name.has_value()) {
    stage = library::ParseStage(stage_name.value);
    if (!stage) r.Fail("stage", "unknown_stage", "draft, in_review, published or archived.");
  }
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto moved, ctx.services.library.Move(org, id, version, *stage, note.value, *ctx.principal.user_id, ctx.IsOrganisationAdmin()));
  return Full(ctx, moved);
}

Response ResourceHistory(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("rid"));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.library.History(org, id));
  boost::json::array items;
  for (const auto& h : list) {
    items.push_back({{"n", h.n}, {"at", h.at}, {"user", h.user}, {"action", h.action}, {"stage", library::StageName(h.stage)},
                     {"note", h.note}, {"changes", boost::json::parse(h.changes)}});
  }
  return Json(200, {{"items", std::move(items)}});
}

// Files change with the content: editors while it is a draft or in review, admins while
// it is published too.
Response UploadResourceFile(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto r, OwnResource(ctx));
  SOLIDUM_HTTP_CHECK(library::CheckEditable(r.stage, ctx.IsOrganisationAdmin()));
  return UploadAttachment(ctx, FilesOf(r));
}
Response DownloadResourceFile(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto r, OwnResource(ctx));
  return DownloadAttachment(ctx, FilesOf(r));
}
Response RemoveResourceFile(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto r, OwnResource(ctx));
  SOLIDUM_HTTP_CHECK(library::CheckEditable(r.stage, ctx.IsOrganisationAdmin()));
  return RemoveAttachment(ctx, FilesOf(r));
}

Response PublicResource(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto r, PublishedResource(ctx));
  return Full(ctx, r);
}
Response PublicResourceFile(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto r, PublishedResource(ctx));
  return DownloadAttachment(ctx, FilesOf(r));
}

Response ResourcesAbout(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.library.About(org));
  boost::json::array items;
  for (const auto& r : list) items.push_back(ResourceJson(r, false));
  return Json(200, {{"items", std::move(items)}});
}

Response SearchResources(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto query, library::ParseSearchQuery(ctx.request.query));
  SOLIDUM_HTTP_TRY(auto found, ctx.services.library.Search(query));
  boost::json::array items;
  for (const auto& r : found.items) {
    auto j = ResourceJson(r, false);
    boost::json::array also;  // "also available in"
    for (const auto& t : r.translations) also.push_back({{"id", t.id}, {"language", t.language}, {"title", t.title}});
    j["translations"] = std::move(also);
    items.push_back(std::move(j));
  }
  boost::json::object facets;
  for (const auto& [name, values] : found.page->facets) {
    boost::json::array list;
    for (const auto& v : values) list.push_back({{"value", v.value}, {"count", v.count}});
    facets[name] = std::move(list);
  }
  const std::int64_t next = query.offset + query.limit;
  boost::json::object out{{"items", std::move(items)}, {"total", found.total},
                          {"next_offset", next < found.total && next <= library::kSearchOffsetMax ? boost::json::value(next) : nullptr}};
  if (query.facets) out["facets"] = std::move(facets);
  return Json(200, out);
}

boost::json::object ThemeJson(const library::Theme& t) {
  boost::json::object labels;
  for (const auto& [k, v] : t.labels) labels[k] = v;
  return {{"code", t.code}, {"standard", t.standard}, {"labels", std::move(labels)}};
}

Response ListThemes(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto list, ctx.services.library.Themes());
  boost::json::array items;
  for (const auto& t : list) items.push_back(ThemeJson(t));
  return Json(200, {{"items", std::move(items)}});
}

Response AddTheme(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  library::Theme theme;
  theme.code = r.Text("code", {.required = true, .max_chars = library::kThemeCodeCharsMax}).value;
  if (const auto* labels = r.Raw("labels")) {
    if (!labels->is_object()) {
      r.Fail("labels", "wrong_type", "An object of names by language is expected: {\"en\": \"...\"}.");
    } else {
      for (const auto& [k, v] : labels->as_object()) {
        if (!v.is_string()) r.FailAt("/labels/" + json_fields::EscapePointerToken(k), "wrong_type", "A string is expected.");
        else theme.labels[std::string(k)] = std::string(v.as_string());
      }
    }
  }
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto t, ctx.services.library.AddTheme(theme, *ctx.principal.user_id));
  return Json(201, ThemeJson(t));
}

}  // namespace

void RegisterLibrary(Router& router) {
  const std::string own = "/api/v1/organisations/{id}/library/resources";
  const std::string one = own + "/{rid}";
  router.Add({"POST", own, Action::kOrganisationUpdate, "id", CreateResource, "Write a new resource of the library (a draft) as this organisation"});
  router.Add({"GET", own, Action::kOrganisationUpdate, "id", ListResources, "This organisation's resources in every stage, newest first (?stage=, ?limit=, ?before=)"});
  router.Add({"GET", one, Action::kOrganisationUpdate, "id", GetResource, "A resource of this organisation in any stage, with its files and translations"});
  router.Add({"PATCH", one, Action::kOrganisationUpdate, "id", ChangeResource,
              "Change a resource (If-Match): editors while a draft or in review, admins also once published"});
  router.Add({"POST", one + "/stage", Action::kOrganisationUpdate, "id", MoveResource,
              "Move a resource through the workflow (If-Match): to review, back to draft; admins publish, archive, restore"});
  router.Add({"GET", one + "/history", Action::kOrganisationUpdate, "id", ResourceHistory, "Who changed what in a resource, and when"});
  Route upload{"POST", one + "/attachments", Action::kOrganisationUpdate, "id", UploadResourceFile,
               "Attach a file to a resource (PDF, images, slides...): the body is the file, Content-Type its type, ?file_name="};
  upload.body_bytes_max = limits::kUploadBodyBytesMax;
  router.Add(upload);
  router.Add({"GET", one + "/attachments/{att}", Action::kOrganisationUpdate, "id", DownloadResourceFile, "Download a file of a resource"});
  router.Add({"DELETE", one + "/attachments/{att}", Action::kOrganisationUpdate, "id", RemoveResourceFile, "Remove a file from a resource"});

  router.Add({"GET", "/api/v1/organisations/{id}/library/about", Action::kAnyone, "", ResourcesAbout,
              "The published resources about this organisation"});
  router.Add({"GET", "/api/v1/library/resources", Action::kAnyone, "", SearchResources,
              "Search the published resources: text (case and accents folded), filters, facets, pages"});
  router.Add({"GET", "/api/v1/library/resources/{rid}", Action::kAnyone, "", PublicResource,
              "A published resource, with its files and its published translations"});
  router.Add({"GET", "/api/v1/library/resources/{rid}/attachments/{att}", Action::kAnyone, "", PublicResourceFile,
              "Download a file of a published resource"});
  router.Add({"GET", "/api/v1/library/themes", Action::kAnyone, "", ListThemes, "The library's themes: the five standard ones and the network's own"});
  router.Add({"POST", "/api/v1/library/themes", Action::kPlatformAdmin, "", AddTheme, "Add a theme of the network's own, named in its languages"});
}

}  // namespace solidum::http::api
