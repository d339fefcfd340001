// The route table: method + path pattern ("/api/v1/organisations/{id}") -> handler, with
// the Action each route performs so the dispatcher (app.h) can authorize before the
// handler runs. Routes are added at start-up only; lookups are then lock-free.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"
#include "common/limits.h"
#include "identity/policy.h"

namespace solidum::http {

struct Context;
using Handler = std::function<Response(Context&)>;

struct Route {
  std::string method;            // GET, POST, PATCH, DELETE, PUT
  std::string pattern;           // segments in braces are parameters
  identity::Action action;       // checked by the policy before `handler` runs
  std::string org_param;         // for organisation-scoped actions: the parameter naming it
  Handler handler;
  std::string summary;           // one line, for people reading the route table
  std::size_t body_bytes_max = limits::kRequestBodyBytesMax;  // larger for file uploads
  // The handler neither waits nor computes for long: it reads from an in-process store and
  // hands its work on (answering later). The server may then run it on the connection's
  // own thread even for an unsafe method, sparing two thread switches per request.
  bool quick = false;
  // The handler waits on nothing on PostgreSQL either (its lookups and writes are
  // asynchronous): a caller by API token whose token is not in memory is then looked up
  // without holding a thread, and the handler runs on the thread that looked it up.
  bool token_lookup_async = false;
};

using PathParams = std::vector<std::pair<std::string, std::string>>;

class Router {
 public:
  // Asserts on a duplicate method + pattern, or an org-scoped action with no org_param.
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;
    std::size_t index = 0;  // the route's position in routes()
    PathParams params;
  };
  // nullopt when nothing matches; `path_known` tells a 405 from a 404.
  std::optional<Match> Find(std::string_view method, std::string_view path, bool* path_known) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // per route, its pattern split at '/'
};

}  // namespace solidum::http
