// POST /api/v1/tallies: count a BLT ballot file (the body) and answer the stages, as
// `solidum tally` prints them. Nothing is stored: a returning officer checks a count, a
// researcher recounts a published ballot set.
#include <boost/json.hpp>

#include "common/limits.h"
#include "common/text.h"
#include "governance/tally/blt.h"
#include "governance/tally/count.h"
#include "governance/tally/tally_format.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"

namespace solidum::http::api {

using identity::Action;

namespace {

Response Count(Context& ctx) {
  tally::Options options;
  std::string format = "json";
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "method") {
      auto m = tally::ParseMethod(value);
      if (!m) {
        return Problem(Error::Invalid("?method", "unknown_term", "One of: scottish, meek, wigm, irv, plurality, block, approval."),
                       ctx.request.path);
      }
      options.method = *m;
    } else if (key == "seats" || key == "seed") {
      auto n = text::ParseInt64(value);
      const std::int64_t max = key == "seats" ? static_cast<std::int64_t>(tally::kCandidatesMax) : INT64_MAX;
      if (!n || *n < 1 || *n > max) {
        return Problem(Error::Invalid("?" + key, "invalid_value", key == "seats" ? "A whole number from 1 to 1000." : "A positive whole number."),
                       ctx.request.path);
      }
      if (key == "seats") options.seats = static_cast<int>(*n);
      else options.seed = static_cast<std::uint64_t>(*n);
    } else if (key == "format") {
      if (value != "json" && value != "csv" && value != "text") {
        return Problem(Error::Invalid("?format", "unknown_term", "One of: json, csv, text."), ctx.request.path);
      }
      format = value;
    } else {
      return Problem(Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known."), ctx.request.path);
    }
  }
  auto file = tally::ParseBlt(ctx.request.body);
  if (!file.ok()) return Problem(file.error(), ctx.request.path);
  auto result = tally::Count(file->election, options);
  if (!result.ok()) return Problem(result.error(), ctx.request.path);
  Response r;
  if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = tally::TallyCsv(file->election, *result);
    return r;
  }
  if (format == "text") {
    r.content_type = "text/plain; charset=utf-8";
    r.body = tally::TallyText(file->election, *result);
    return r;
  }
  boost::json::value v = boost::json::parse(tally::TallyJson(file->election, *result));
  boost::json::array warnings;
  for (const auto& w : file->warnings) {
    boost::json::object o{{"message", w.message}};
    if (w.line > 0) o["line"] = w.line;
    warnings.push_back(std::move(o));
  }
  v.as_object()["warnings"] = std::move(warnings);
  v.as_object()["title"] = file->election.title;
  return Json(200, v);
}

}  // namespace

void RegisterTallies(Router& router) {
  Route count{"POST", "/api/v1/tallies", Action::kSignedIn, "", Count,
              "Count a BLT ballot file (the body, up to 32 MiB) and answer every stage"};
  count.body_bytes_max = limits::kUploadBodyBytesMax;
  router.Add(std::move(count));
}

}  // namespace solidum::http::api
