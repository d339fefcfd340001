#include "http/app.h"

#include "registry/organisation.h"

#include "common/json_write.h"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "common/limits.h"
#include "common/text.h"
#include "http/access_log.h"
#include "http/api/routes.h"
#include "http/problem.h"
#include "http/static_files.h"
#include "identity/secrets.h"

namespace solidum::http {

std::string_view Context::Param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return {};
}

Result<std::int64_t> Context::IdParam(std::string_view name) const {
  auto id = text::ParseInt64(Param(name));
  if (!id || *id <= 0) return Error::NotFound("No such resource.");
  return *id;
}

Result<boost::json::value> ParseJsonBody(const Request& request) {
  auto ct = request.Header("content-type");
  std::string type = ct ? text::AsciiLower(text::Trim(ct->substr(0, ct->find(';')))) : "";
  if (type != "application/json" && type != "application/merge-patch+json") {
    return Error::Make(ErrorKind::kUnsupportedMediaType, "unsupported_media_type",
                       "Send the body as application/json.");
  }
  boost::json::parse_options opt;
  opt.max_depth = limits::kJsonDepthMax;
  boost::json::stream_parser p({}, opt);
  boost::system::error_code ec;
  std::size_t n = p.write_some(request.body.data(), request.body.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) {
    return Error::Make(ErrorKind::kMalformed, "malformed_json",
                       "The body is not valid JSON (" + ec.message() + " at byte " + std::to_string(n) + ").");
  }
  // Duplicate keys: the last one wins, as in JavaScript's JSON.parse (RFC 8259 leaves it open).
  return p.release();
}

Response Json(int status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = json_write::Serialize(body);
  return r;
}

Result<std::int64_t> IfMatchVersion(const Request& req) {
  auto h = req.Header("if-match");
  if (!h) {
    return Error::Make(ErrorKind::kPreconditionRequired, "if_match_required",
                       "Send If-Match with the ETag you read, so that no one's change is lost.");
  }
  auto v = registry::VersionFromIfMatch(*h);
  if (!v) return Error::Make(ErrorKind::kPreconditionFailed, "version_mismatch", "If-Match names no current version.");
  return *v;
}

Response WithETag(Response r, std::int64_t version) {
  r.SetHeader("ETag", registry::ETagOf(version));
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

App::App(Services services, HttpConfig config) : services_(services), config_(std::move(config)) {
  services_.metrics = &metrics_;
  if (config_.access_log) access_log_ = std::make_unique<AccessLog>(config_.access_log_fd);
  api::RegisterAll(router_);
  for (const Route& r : router_.routes()) route_slots_.push_back(metrics_.Register(r.method + " " + r.pattern));
}

App::~App() = default;

namespace {

// The token in "Authorization: Bearer <token>"; nullopt when the header is not of that form.
std::optional<std::string_view> BearerToken(std::string_view header) {
  std::string_view v = text::Trim(header);
  constexpr std::string_view kBearer = "bearer ";
  if (v.size() <= kBearer.size() || text::AsciiLower(v.substr(0, kBearer.size())) != kBearer) return std::nullopt;
  return text::Trim(v.substr(kBearer.size()));
}

}  // namespace

std::optional<std::string> App::UncachedBearerToken(const Request& request) {
  auto auth = request.Header("authorization");
  if (!auth) return std::nullopt;
  auto token = BearerToken(*auth);
  if (!token || !services_.identity.ApiTokenLookupWouldWait(*token)) return std::nullopt;
  return std::string(*token);
}

Result<identity::Principal> App::Authenticate(const Request& request) {
  if (auto auth = request.Header("authorization")) {
    auto token = BearerToken(*auth);
    if (!token) return Error::Make(ErrorKind::kUnauthenticated, "invalid_token", "Use Authorization: Bearer <token>.");
    SOLIDUM_ASSIGN_OR_RETURN(auto p, services_.identity.FromApiToken(*token));
    if (!p) return Error::Make(ErrorKind::kUnauthenticated, "invalid_token", "This token is unknown or revoked.");
    return std::move(*p);
  }
  if (auto cookie = request.Cookie(kSessionCookie)) {
    SOLIDUM_ASSIGN_OR_RETURN(auto p, services_.identity.FromSession(*cookie));
    if (p) return std::move(*p);
  }
  return identity::Principal{};
}

namespace {

Error CsrfError(std::string message) {
  return Error::Make(ErrorKind::kForbidden, "csrf_failed", std::move(message));
}

// A cross-site request carries an Origin other than our own: refuse it for unsafe methods.
bool OriginMatchesHost(const Request& req) {
  auto origin = req.Header("origin");
  if (!origin) return true;  // not sent by a browser, or a same-origin GET
  auto host = req.Header("host");
  if (!host) return false;
  std::string_view o = *origin;
  auto scheme_end = o.find("://");
  if (scheme_end == std::string_view::npos) return false;
  return text::AsciiLower(o.substr(scheme_end + 3)) == text::AsciiLower(*host);
}

// Appends `s` (valid UTF-8) as the inside of a JSON string.
void AppendJsonEscaped(fmt::memory_buffer& out, std::string_view s) {
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out.push_back(c);
    }
  }
}

// Runs `f`, turning an exception into a 500.
template <typename F>
Response Guarded(std::string_view method, std::string_view path, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception in {} {}: {}", method, path, e.what());
    return Problem(Error::Internal(e.what()), std::string(path));
  } catch (...) {
    spdlog::error("unhandled non-standard exception in {} {}", method, path);
    return Problem(Error::Internal("unknown exception"), std::string(path));
  }
}


bool IsApiPath(std::string_view path) {
  return path.starts_with("/api/") || path == "/api" || path == "/healthz" || path == "/metrics";
}

}  // namespace

struct App::Done {
  std::string method, path, remote_address;
  std::chrono::steady_clock::time_point start;
  std::size_t slot = 0;
  std::optional<std::int64_t> user;
};

Response App::Dispatch(const Request& req, const std::shared_ptr<Done>& done) {
  if (!IsApiPath(req.path)) return Static(req);
  bool path_known = false;
  auto match = router_.Find(req.method, req.path, &path_known);
  if (!match) {
    if (path_known) {
      Response r = Problem(Error::Make(ErrorKind::kMethodNotAllowed, "method_not_allowed",
                                       "This resource does not accept " + req.method + "."),
                           req.path);
      std::string allow;
      for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
        if (router_.Find(method, req.path, nullptr)) allow += allow.empty() ? method : std::string(", ") + method;
      }
      r.SetHeader("Allow", allow);
      return r;
    }
    return Problem(Error::NotFound("No such resource."), req.path);
  }
  const Route& route = *match->route;
  done->slot = route_slots_[match->index];

  if (route.token_lookup_async) {
    if (auto token = UncachedBearerToken(req)) return AuthorizedLater(req, route, std::move(match->params), std::move(*token), done);
  }
  auto principal = Authenticate(req);
  if (!principal.ok()) return Problem(principal.error(), req.path);
  if (principal->authenticated()) done->user = principal->user_id;
  return Authorized(req, route, std::move(match->params), std::move(*principal));
}

Response App::AuthorizedLater(const Request& req, const Route& route, PathParams params, std::string token, std::shared_ptr<Done> done) {
  Response later;
  later.later = [this, &req, &route, params = std::move(params), token = std::move(token), done = std::move(done)](Resume resume) mutable {
    services_.identity.FromApiTokenAsync(token, [this, &req, &route, params = std::move(params), done = std::move(done),
                                                  resume = std::move(resume)](Result<std::optional<identity::Principal>> p) mutable {
      Response r = Guarded(req.method, req.path, [&]() -> Response {
        if (!p.ok()) return Problem(p.error(), req.path);
        if (!*p) return Problem(Error::Make(ErrorKind::kUnauthenticated, "invalid_token", "This token is unknown or revoked."), req.path);
        done->user = (*p)->user_id;
        return Authorized(req, route, std::move(params), std::move(**p));
      });
      if (r.later) r.later(std::move(resume));
      else resume([r = std::move(r)]() mutable { return std::move(r); });
    });
  };
  return later;
}

Response App::Authorized(const Request& req, const Route& route, PathParams params, identity::Principal principal) {
  if (!req.IsSafeMethod()) {
    if (!OriginMatchesHost(req)) return Problem(CsrfError("Cross-site requests are refused."), req.path);
    if (principal.via == identity::Principal::Via::kSession) {
      auto sent = req.Header("x-csrf-token");
      if (!sent || !identity::SecretEquals(*sent, principal.csrf_token)) {
        return Problem(CsrfError("Send the X-CSRF-Token given at sign-in with every change."), req.path);
      }
    }
  }

  Context ctx{req, route, std::move(params), std::move(principal), services_, config_, identity::Role::kNone};
  identity::Role& role = ctx.role;
  if (identity::IsOrganisationScoped(route.action) && ctx.principal.authenticated()) {
    auto id = ctx.IdParam(route.org_param);
    if (!id.ok()) return Problem(id.error(), req.path);
    auto r = services_.identity.RoleIn(*ctx.principal.user_id, *id);
    if (!r.ok()) return Problem(r.error(), req.path);
    role = *r;
  }
  switch (identity::Authorize(ctx.principal, route.action, role)) {
    case identity::Decision::kAllow:
      break;
    case identity::Decision::kUnauthenticated:
      return Problem(Error::Make(ErrorKind::kUnauthenticated, "unauthenticated", "Sign in first."), req.path);
    case identity::Decision::kForbidden:
      return Problem(Error::Make(ErrorKind::kForbidden, "forbidden", "You may not do this."), req.path);
  }
  return route.handler(ctx);
}

App::RouteTraits App::Traits(std::string_view method, std::string_view path) const {
  auto match = router_.Find(method, path, nullptr);
  if (!match) return {};
  return {match->route->body_bytes_max, match->route->quick && services_.store.backend() == store::Backend::kSqlite};
}


Response App::Handle(const Request& req) {
  auto done = std::make_shared<Done>(Done{req.method, req.path, req.remote_address, std::chrono::steady_clock::now(), metrics_.unmatched(), std::nullopt});
  Response resp = Guarded(req.method, req.path, [&] { return Dispatch(req, done); });
  if (resp.later) {
    // Answered later: record it then, with its real status and time.
    resp.later = [this, start = std::move(resp.later), done = std::move(done)](Resume resume) {
      start([this, resume = std::move(resume), done](Finish finish) {
        resume([this, finish = std::move(finish), done] {
          Response r = Guarded(done->method, done->path, finish);
          Record(*done, r);
          return r;
        });
      });
    };
    return resp;
  }
  Record(*done, resp);
  return resp;
}

void App::Record(const Done& done, const Response& resp) {
  if (resp.status >= 500) spdlog::error("{} {} answered {}", done.method, done.path, resp.status);
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - done.start).count();
  metrics_.Observe(done.slot, resp.status, micros);
  if (config_.access_log) {
    // Structured, one JSON object per line; never the query string, headers or body,
    // which may hold secrets.
    fmt::memory_buffer line;
    fmt::format_to(std::back_inserter(line), R"({{"method":"{}","path":")", done.method);
    AppendJsonEscaped(line, done.path);
    fmt::format_to(std::back_inserter(line), R"(","status":{},"micros":{},"bytes":{},"addr":"{}")", resp.status, micros,
                   resp.body.size(), done.remote_address);
    if (done.user) fmt::format_to(std::back_inserter(line), R"(,"user":{})", *done.user);
    line.push_back('}');
    access_log_->Append(std::string_view(line.data(), line.size()));
  }
}

Response App::Static(const Request& req) {
  if (req.method != "GET" && req.method != "HEAD") {
    return Problem(Error::Make(ErrorKind::kMethodNotAllowed, "method_not_allowed", "Only GET here."), req.path);
  }
  return ServeStatic({config_.web_root, config_.tile_url}, req.path);
}

}  // namespace solidum::http
