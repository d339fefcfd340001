// Sign-in and sign-out (browser sessions), the current session, API tokens, and user
// creation by platform admins.
#include <boost/json.hpp>

#include "common/json_fields.h"
#include "common/limits.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"

namespace solidum::http::api {

using identity::Action;

namespace {

boost::json::object UserJson(const identity::User& u) {
  return {{"id", u.id}, {"email", u.email}, {"display_name", u.display_name},
          {"is_platform_admin", u.is_platform_admin}};
}

std::string SessionCookie(const Context& ctx, std::string_view value, int max_age) {
  std::string c = std::string(kSessionCookie) + "=" + std::string(value) +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (ctx.config.secure_cookies || ctx.request.secure) c += "; Secure";
  return c;
}

Response SignIn(Context& ctx) {
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  json_fields::ObjectReader r(*body);
  auto email = r.Text("email", {.required = true, .max_chars = limits::kEmailBytesMax});
  auto password = r.Text("password", {.required = true, .max_chars = limits::kPasswordBytesMax, .trim = false});
  if (auto f = r.Finish(); !f.ok()) return Problem(f.error(), ctx.request.path);
  int retry_after = 0;
  auto grant = ctx.services.identity.SignIn(email.value, password.value, ctx.request.remote_address, &retry_after);
  if (!grant.ok()) {
    Response resp = Problem(grant.error(), ctx.request.path);
    if (retry_after > 0) resp.SetHeader("Retry-After", std::to_string(retry_after));
    return resp;
  }
  Response resp = Json(200, {{"user", UserJson(grant->user)},
                             {"csrf_token", grant->csrf_token},
                             {"expires_at", grant->expires_at}});
  resp.SetHeader("Set-Cookie", SessionCookie(ctx, grant->session_token, limits::kSessionLifetimeHours * 3600));
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

Response SignOut(Context& ctx) {
  if (auto cookie = ctx.request.Cookie(kSessionCookie)) {
    if (auto r = ctx.services.identity.SignOut(*cookie); !r.ok()) return Problem(r.error(), ctx.request.path);
  }
  Response resp = NoContent();
  resp.SetHeader("Set-Cookie", SessionCookie(ctx, "", 0));
  return resp;
}

Response CurrentSession(Context& ctx) {
  const auto& p = ctx.principal;
  boost::json::object user{{"id", *p.user_id}, {"email", p.email}, {"is_platform_admin", p.is_platform_admin}};
  boost::json::object out{{"user", std::move(user)},
                          {"via", p.via == identity::Principal::Via::kSession ? "session" : "token"}};
  if (p.via == identity::Principal::Via::kSession) out["csrf_token"] = p.csrf_token;
  // What the app needs to offer the right buttons (the server still checks every request).
  auto roles = ctx.services.identity.RolesOf(*p.user_id);
  if (!roles.ok()) return Problem(roles.error(), ctx.request.path);
  boost::json::array list;
  for (const auto& [org, role] : *roles) list.push_back({{"organisation_id", org}, {"role", identity::RoleName(role)}});
  out["roles"] = std::move(list);
  Response resp = Json(200, out);
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

Response CreateToken(Context& ctx) {
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  json_fields::ObjectReader r(*body);
  auto label = r.Text("label", {.max_chars = limits::kNameCharsMax});
  if (auto f = r.Finish(); !f.ok()) return Problem(f.error(), ctx.request.path);
  auto token = ctx.services.identity.CreateApiToken(*ctx.principal.user_id, label.value);
  if (!token.ok()) return Problem(token.error(), ctx.request.path);
  Response resp = Json(201, {{"token", *token}, {"label", label.value}});
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

Response ListTokens(Context& ctx) {
  auto tokens = ctx.services.identity.ListApiTokens(*ctx.principal.user_id);
  if (!tokens.ok()) return Problem(tokens.error(), ctx.request.path);
  boost::json::array items;
  for (const auto& t : *tokens) items.push_back({{"id", t.id}, {"label", t.label}, {"created_at", t.created_at}});
  return Json(200, {{"items", std::move(items)}});
}

Response RevokeToken(Context& ctx) {
  auto id = ctx.IdParam("id");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  if (auto r = ctx.services.identity.RevokeApiToken(*ctx.principal.user_id, *id); !r.ok()) {
    return Problem(r.error(), ctx.request.path);
  }
  return NoContent();
}

Response CreateUser(Context& ctx) {
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  json_fields::ObjectReader r(*body);
  auto email = r.Text("email", {.required = true, .max_chars = limits::kEmailBytesMax});
  auto password = r.Text("password", {.required = true, .max_chars = limits::kPasswordBytesMax, .trim = false});
  auto name = r.Text("display_name", {.max_chars = limits::kNameCharsMax});
  auto admin = r.Bool("is_platform_admin");
  if (auto f = r.Finish(); !f.ok()) return Problem(f.error(), ctx.request.path);
  auto user = ctx.services.identity.CreateUser(email.value, password.value, admin.has_value() && admin.value, name.value);
  if (!user.ok()) return Problem(user.error(), ctx.request.path);
  return Json(201, UserJson(*user));
}

}  // namespace

void RegisterAuth(Router& router) {
  router.Add({"POST", "/api/v1/auth/sign-in", Action::kAnyone, "", SignIn,
              "Exchange email and password for a session cookie and a CSRF token"});
  router.Add({"POST", "/api/v1/auth/sign-out", Action::kSignedIn, "", SignOut, "End the current session"});
  router.Add({"GET", "/api/v1/auth/session", Action::kSignedIn, "", CurrentSession, "Who am I"});
  router.Add({"POST", "/api/v1/auth/tokens", Action::kSignedIn, "", CreateToken,
              "Create a bearer API token for the signed-in user (shown once)"});
  router.Add({"GET", "/api/v1/auth/tokens", Action::kSignedIn, "", ListTokens, "Your live API tokens (not the secrets)"});
  router.Add({"DELETE", "/api/v1/auth/tokens/{id}", Action::kSignedIn, "", RevokeToken, "Revoke one of your API tokens"});
  router.Add({"POST", "/api/v1/users", Action::kPlatformAdmin, "", CreateUser, "Create a user (platform admins)"});
}

}  // namespace solidum::http::api
