#include "http/problem.h"

#include "common/json_write.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace solidum::http {

int StatusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput: return 400;
    case ErrorKind::kMalformed: return 400;
    case ErrorKind::kUnauthenticated: return 401;
    case ErrorKind::kForbidden: return 403;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kMethodNotAllowed: return 405;
    case ErrorKind::kConflict: return 409;
    case ErrorKind::kGone: return 410;
    case ErrorKind::kPreconditionFailed: return 412;
    case ErrorKind::kPayloadTooLarge: return 413;
    case ErrorKind::kUnsupportedMediaType: return 415;
    case ErrorKind::kPreconditionRequired: return 428;
    case ErrorKind::kRateLimited: return 429;
    case ErrorKind::kInternal: return 500;
    case ErrorKind::kUnavailable: return 503;
  }
  return 500;
}

namespace {
const char* TitleOf(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}
}  // namespace

Response Problem(const Error& error, std::string_view instance) {
  int status = StatusOf(error.kind);
  bool internal = status >= 500 && error.kind != ErrorKind::kUnavailable;
  std::string code = error.code.empty() ? "error" : error.code;
  if (internal) code = "internal";
  boost::json::object j;
  j["type"] = "https://solidum.coop/problems/" + code;
  j["title"] = TitleOf(status);
  j["status"] = status;
  j["code"] = code;
  j["detail"] = internal ? "Something went wrong on our side. It has been logged." : error.message;
  j["instance"] = instance;
  if (!error.fields.empty()) {
    boost::json::array errs;
    for (const auto& f : error.fields) {
      errs.push_back(boost::json::object{{"field", f.field}, {"code", f.code}, {"message", f.message}});
    }
    j["errors"] = std::move(errs);
  }
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = json_write::Serialize(j);
  return r;
}

}  // namespace solidum::http
