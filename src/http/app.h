// App: everything between a parsed Request and its Response, without sockets: route
// lookup, authentication (bearer token or session cookie), CSRF, the authorization policy,
// the handler, problem+json for every error, metrics and the access log.
// The server (server.h) only moves bytes. Thread-safe after construction.
#pragma once

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"
#include "governance/assemblies.h"
#include "governance/ballots.h"
#include "governance/members.h"
#include "identity/identity.h"
#include "ledger/ledger.h"
#include "ledger/link_proposals.h"
#include "clearing/runs.h"
#include "attachments/attachments.h"
#include "library/library.h"
#include "communities/communities.h"
#include "events/events.h"
#include "finance/funds.h"
#include "finance/loans.h"
#include "finance/shares.h"
#include "finance/allocations.h"
#include "finance/group_loans.h"
#include "finance/savings_groups.h"
#include "finance/tontines.h"
#include "listings/listings.h"
#include "registry/networks.h"
#include "registry/organisations.h"
#include "store/store.h"

namespace solidum::http {

struct HttpConfig {
  bool secure_cookies = false;  // always mark cookies Secure (set when TLS ends at a proxy)
  bool trust_proxy = false;     // believe X-Forwarded-For / X-Forwarded-Proto
  std::string web_root;         // the built web app; empty for none
  std::string tile_url;         // raster tiles under the app's base map (https, {z}/{x}/{y}); empty for none
  bool access_log = true;
  int access_log_fd = 1;        // where the access log goes (stdout)
};

class AccessLog;

// What handlers reach. Owned by the caller of App; outlives it.
struct Services {
  store::Store& store;
  identity::Identity& identity;
  registry::Organisations& organisations;
  registry::Networks& networks;
  governance::Members& members;
  governance::Ballots& ballots;
  governance::Assemblies& assemblies;
  ledger::Ledger& ledger;
  listings::Listings& listings;
  clearing::Runs& setoff_runs;
  ledger::LinkProposals& link_proposals;
  finance::Funds& funds;
  finance::Loans& loans;
  finance::Shares& shares;
  finance::Allocations& allocations;
  finance::SavingsGroups& savings_groups;
  finance::Tontines& tontines;
  finance::GroupLoans& group_loans;
  attachments::Attachments& attachments;
  library::Library& library;
  events::Events& events;
  communities::Communities& communities;
  const Clock& clock;
  Metrics* metrics = nullptr;  // set by App
};

struct Context {
  const Request& request;
  const Route& route;
  PathParams params;
  identity::Principal principal;
  Services& services;
  const HttpConfig& config;
  // The caller's role in the route's organisation (organisation-scoped routes; kNone
  // otherwise), for handlers whose rules differ by role within one route.
  identity::Role role;

  // Whether the caller is an admin of the route's organisation (or of the platform).
  bool IsOrganisationAdmin() const { return principal.is_platform_admin || role >= identity::Role::kAdmin; }
  std::string_view Param(std::string_view name) const;
  // The path parameter as a positive id; kNotFound when it is not one.
  Result<std::int64_t> IdParam(std::string_view name) const;
};

// The request body as JSON. Errors: 415 when not application/json, 400 "malformed_json"
// (with the byte offset) for anything Boost.JSON cannot parse, including invalid UTF-8 and
// nesting deeper than kJsonDepthMax. Of duplicate keys the last wins (as JSON.parse does).
Result<boost::json::value> ParseJsonBody(const Request& request);

Response Json(int status, const boost::json::value& body);

// In a handler whose Context is `ctx`: declares `lhs` from a Result, or answers its error
// as problem+json.   SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("id"));
#define SOLIDUM_HTTP_TRY(lhs, expr)                                                                  \
  auto SOLIDUM_CONCAT_(solidum_http_r_, __LINE__) = (expr);                                          \
  if (!SOLIDUM_CONCAT_(solidum_http_r_, __LINE__).ok())                                              \
    return Problem(SOLIDUM_CONCAT_(solidum_http_r_, __LINE__).error(), ctx.request.path);            \
  lhs = std::move(SOLIDUM_CONCAT_(solidum_http_r_, __LINE__)).value()
// The same for a Result<void>.
#define SOLIDUM_HTTP_CHECK(expr)                                                                     \
  if (auto SOLIDUM_CONCAT_(solidum_http_c_, __LINE__) = (expr); !SOLIDUM_CONCAT_(solidum_http_c_, __LINE__).ok()) \
    return Problem(SOLIDUM_CONCAT_(solidum_http_c_, __LINE__).error(), ctx.request.path)

// 204, no body.
Response NoContent();

// The version an unsafe request expects, from If-Match ("v3" ETags). Errors: 428
// if_match_required when absent, 412 version_mismatch when it names no version of ours.
Result<std::int64_t> IfMatchVersion(const Request& request);
// `r` with the ETag of `version` ("v3"), which IfMatchVersion reads back.
Response WithETag(Response r, std::int64_t version);

// Session cookie name; the cookie holds the secret session token.
inline constexpr std::string_view kSessionCookie = "solidum_session";

class App {
 public:
  App(Services services, HttpConfig config);
  ~App();

  // Answers one request. Never throws.
  Response Handle(const Request& request);

  const Router& router() const { return router_; }
  struct RouteTraits {
    std::size_t body_bytes_max = limits::kRequestBodyBytesMax;  // the largest body the route takes
    bool quick = false;  // its handler may run on the connection's thread (Route::quick, and the store is in-process)
  };
  // For (method, path), as soon as the request's header is read; defaults when no route matches.
  RouteTraits Traits(std::string_view method, std::string_view path) const;
  Metrics& metrics() { return metrics_; }
  const HttpConfig& config() const { return config_; }

 private:
  struct Done;  // what Record needs of a request once it is answered
  Response Dispatch(const Request& request, const std::shared_ptr<Done>& done);
  // Dispatch's second half, once the caller is known: CSRF, role, policy, handler.
  Response Authorized(const Request& request, const Route& route, PathParams params, identity::Principal principal);
  // Route::token_lookup_async: the token's holder, then Authorized, answered later.
  Response AuthorizedLater(const Request& request, const Route& route, PathParams params, std::string token,
                           std::shared_ptr<Done> done);
  void Record(const Done& done, const Response& response);
  Result<identity::Principal> Authenticate(const Request& request);
  // The bearer token of a request whose token's holder is not in memory and would be
  // waited for (PostgreSQL); nullopt otherwise (no token, malformed, or known).
  std::optional<std::string> UncachedBearerToken(const Request& request);
  Response Static(const Request& request);

  Services services_;
  HttpConfig config_;
  Router router_;
  Metrics metrics_;
  std::vector<std::size_t> route_slots_;
  std::unique_ptr<AccessLog> access_log_;
};

}  // namespace solidum::http
