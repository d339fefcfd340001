// A small blocking HTTP/1.1 client for API tests, on Beast: keeps one connection alive
// across requests, and can send raw bytes to probe the server's parser.
#pragma once

#include <boost/json/value.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace solidum::testing {

struct HttpResponse {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string Header(const std::string& lower_name) const;
  boost::json::value Json() const;  // throws when the body is not JSON
  std::string Code() const;         // the problem's "code", or ""
  // "field code" of each problem error, in order.
  std::vector<std::string> Fields() const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(unsigned short port);
  ~HttpClient();

  HttpResponse Get(const std::string& target, const Headers& headers = {});
  HttpResponse Send(const std::string& method, const std::string& target, const std::string& body,
                    const Headers& headers = {});
  // JSON body with Content-Type application/json.
  HttpResponse SendJson(const std::string& method, const std::string& target, const std::string& body,
                        Headers headers = {});
  // Writes `bytes` on a new connection and reads one response (status 0 if none came).
  HttpResponse Raw(const std::string& bytes);
  // Requests answered on the current connection so far (keep-alive check).
  int requests_on_connection() const { return on_connection_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int on_connection_ = 0;
};

}  // namespace solidum::testing
