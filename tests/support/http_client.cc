#include "http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

namespace solidum::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

boost::json::value HttpResponse::Json() const { return boost::json::parse(body); }

std::string HttpResponse::Code() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("code")) return "";
  return std::string(v.at("code").as_string());
}

std::vector<std::string> HttpResponse::Fields() const {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("errors")) return out;
  for (const auto& e : v.at("errors").as_array()) {
    out.push_back(std::string(e.at("field").as_string()) + " " + std::string(e.at("code").as_string()));
  }
  return out;
}

struct HttpClient::Impl {
  unsigned short port;
  asio::io_context ioc;
  std::unique_ptr<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  void Connect() {
    stream = std::make_unique<beast::tcp_stream>(ioc);
    stream->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    buffer.clear();
  }

  static HttpResponse Convert(bhttp::response<bhttp::string_body>& res) {
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers.emplace(name, std::string(f.value()));
    }
    out.body = res.body();
    return out;
  }
};

HttpClient::HttpClient(unsigned short port) : impl_(std::make_unique<Impl>()) { impl_->port = port; }
HttpClient::~HttpClient() = default;

HttpResponse HttpClient::Send(const std::string& method, const std::string& target, const std::string& body,
                              const Headers& headers) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!impl_->stream) {
      impl_->Connect();
      on_connection_ = 0;
    }
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    if (req.method() == bhttp::verb::unknown) req.method_string(method);
    req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(impl_->port));
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") req.prepare_payload();
    beast::error_code ec;
    bhttp::write(*impl_->stream, req, ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(method == "HEAD");  // a HEAD response announces a body it does not carry
    if (!ec) bhttp::read(*impl_->stream, impl_->buffer, parser, ec);
    if (ec) {
      // The server closed an idle keep-alive connection: reconnect once.
      impl_->stream.reset();
      if (attempt == 0 && on_connection_ > 0) continue;
      return HttpResponse{};
    }
    auto res = parser.release();
    ++on_connection_;
    HttpResponse out = Impl::Convert(res);
    if (!res.keep_alive()) impl_->stream.reset();
    return out;
  }
  return HttpResponse{};
}

HttpResponse HttpClient::Get(const std::string& target, const Headers& headers) {
  return Send("GET", target, "", headers);
}

HttpResponse HttpClient::SendJson(const std::string& method, const std::string& target, const std::string& body,
                                  Headers headers) {
  headers.emplace_back("Content-Type", "application/json");
  return Send(method, target, body, headers);
}

HttpResponse HttpClient::Raw(const std::string& bytes) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), impl_->port));
  beast::error_code ec;
  asio::write(stream, asio::buffer(bytes), ec);
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(stream, buffer, res, ec);
  if (ec) return HttpResponse{};
  return Impl::Convert(res);
}

}  // namespace solidum::testing
