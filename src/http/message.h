// Request and Response as handlers see them: plain structs, no Beast, so handlers and
// their tests stay light. http/server.cc converts to and from the wire.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace solidum::http {

struct Request {
  std::string method;   // upper case: GET, POST, ...
  std::string target;   // as received: path and query
  std::string path;     // decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;   // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers; // names lower-cased
  std::string body;
  std::string remote_address;  // the peer, or X-Forwarded-For's first hop behind a trusted proxy
  bool secure = false;         // arrived over TLS (directly or at a trusted proxy)

  // First header with this lower-case name, or nullopt.
  std::optional<std::string_view> Header(std::string_view lower_name) const;
  // First query parameter with this name, or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const;
  // A cookie's value from the Cookie header, or nullopt.
  std::optional<std::string_view> Cookie(std::string_view name) const;
  bool IsSafeMethod() const { return method == "GET" || method == "HEAD" || method == "OPTIONS"; }
};

struct Response;
// For a response that is not ready when its handler returns (the handler handed its work
// to another thread, such as the ledger's writer, instead of waiting for it):
using Finish = std::function<Response()>;    // builds the response; run on the connection's thread
using Resume = std::function<void(Finish)>;  // called exactly once, from any thread, when the work is done

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // Set by a handler that answers later: the server calls it once with a Resume and sends
  // what the Finish given to that Resume returns; the fields above are then ignored.
  std::function<void(Resume)> later;

  void SetHeader(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

// Splits and percent-decodes a request target. False when it is not a valid origin-form
// target (the caller answers 400).
bool ParseTarget(std::string_view target, Request& out);

}  // namespace solidum::http
