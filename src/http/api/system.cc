// Health, metrics, the OpenAPI document and the controlled vocabularies.
#include <boost/json.hpp>

#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"
#include "http_openapi_embedded.h"

namespace solidum::http::api {

using identity::Action;

namespace {

Response Healthz(Context& ctx) {
  auto conn = ctx.services.store.Acquire();
  auto r = conn->Query("SELECT 1", {});
  if (!r.ok()) {
    return Problem(Error::Make(ErrorKind::kUnavailable, "store_unavailable", "The database does not answer."),
                   ctx.request.path);
  }
  return Json(200, {{"status", "ok"}});
}

Response MetricsText(Context& ctx) {
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = ctx.services.metrics->Render();
  return r;
}

Response OpenApi(Context&) {
  Response r;
  r.body = std::string(solidum_openapi::kopenapi_json);
  return r;
}

// Labels in the asked language, falling back to English where a vocabulary has none.
Response Vocabulary(Context& ctx) {
  std::string_view name = ctx.Param("name");
  static const char* kVocabularies[] = {"legal_forms",    "countries",          "activities",      "membership_types",
                                         "sdgs",           "network_scopes",     "relationship_types",
                                         "membership_roles"};
  std::string table;
  for (const char* v : kVocabularies) {
    if (name == v) table = v;
  }
  if (table.empty()) return Problem(Error::NotFound("No such vocabulary."), ctx.request.path);
  std::string lang(ctx.request.Query("lang").value_or("en"));
  if (lang != "en" && lang != "fr" && lang != "es" && lang != "pt") {
    return Problem(Error::Invalid("?lang", "unknown_language", "One of: en, fr, es, pt."), ctx.request.path);
  }
  auto conn = ctx.services.store.Acquire();
  auto rows = conn->Query("SELECT code, COALESCE(label_" + lang + ", label_en) FROM " + table + " ORDER BY code", {});
  if (!rows.ok()) return Problem(rows.error(), ctx.request.path);
  boost::json::array items;
  for (const auto& row : *rows) {
    boost::json::value code = row.IsNull(0) ? boost::json::value(nullptr)
                               : table == "sdgs" ? boost::json::value(row.Int(0))
                                                 : boost::json::value(row.Text(0));
    items.push_back({{"code", code}, {"label", row.Text(1)}});
  }
  return Json(200, {{"vocabulary", name}, {"lang", lang}, {"items", std::move(items)}});
}

}  // namespace

void RegisterSystem(Router& router) {
  router.Add({"GET", "/healthz", Action::kAnyone, "", Healthz, "Liveness and database check"});
  router.Add({"GET", "/metrics", Action::kAnyone, "", MetricsText, "Prometheus metrics"});
  router.Add({"GET", "/api/v1/openapi.json", Action::kAnyone, "", OpenApi, "This API's OpenAPI 3.1 document"});
  router.Add({"GET", "/api/v1/vocabularies/{name}", Action::kAnyone, "", Vocabulary,
              "A controlled vocabulary with labels in one language"});
}

}  // namespace solidum::http::api
