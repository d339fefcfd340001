// The server itself: health, metrics, keep-alive, HEAD, static files, graceful stop.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <signal.h>
#include <zlib.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "fixture.h"

namespace solidum::testing {
namespace {

TEST_F(ApiTest, HealthzAndOpenApiAnswer) {
  auto h = http_->Get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.Json().at("status").as_string(), "ok");
  auto doc = http_->Get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.Json().at("openapi").as_string(), "3.1.0");
}

TEST_F(ApiTest, KeepsConnectionsAlive) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(http_->Get("/healthz").status, 200);
  EXPECT_EQ(http_->requests_on_connection(), 5);
  auto closed = http_->Get("/healthz", {{"Connection", "close"}});
  EXPECT_EQ(closed.Header("connection"), "close");
}

// A client that asks before sending its body (`Expect: 100-continue`, as curl does for
// bodies over 1 MiB) is told to go on at once when the body may come, and gets its final
// answer without a first when it may not. Without this, curl waited a second per upload.
TEST_F(ApiTest, AsksForTheBodyOfAClientThatExpectsToContinue) {
  namespace asio = boost::asio;
  asio::io_context ioc;
  auto exchange = [&](const std::string& head, const std::string& body, std::string& interim) {
    asio::ip::tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
    timeval tv{5, 0};  // a server that never asks fails the test instead of hanging it
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    asio::write(socket, asio::buffer(head));
    asio::streambuf in;
    boost::system::error_code ec;
    asio::read_until(socket, in, "\r\n\r\n", ec);
    std::string first(asio::buffers_begin(in.data()), asio::buffers_end(in.data()));
    in.consume(in.size());
    if (ec || first.rfind("HTTP/1.1 100", 0) != 0) return first;  // the final answer, or nothing
    interim = first;
    asio::write(socket, asio::buffer(body));
    asio::read_until(socket, in, "\r\n\r\n", ec);
    return std::string(asio::buffers_begin(in.data()), asio::buffers_end(in.data()));
  };
  const std::string body = R"({"name":"Coop"})";
  std::string interim;
  const std::string final_answer = exchange("POST /api/v1/organisations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                            "Expect: 100-Continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n",
                                            body, interim);
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_EQ(final_answer.rfind("HTTP/1.1 401", 0), 0u) << final_answer;  // the body was read, then the request judged
  // Too large: the final answer straight away, and no body is asked for.
  interim.clear();
  const std::string refused = exchange("POST /api/v1/organisations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                       "Expect: 100-continue\r\nContent-Length: 900000000\r\n\r\n",
                                       "", interim);
  EXPECT_TRUE(interim.empty()) << interim;
  EXPECT_EQ(refused.rfind("HTTP/1.1 413", 0), 0u) << refused;
}

std::string Gunzip(const std::string& z) {
  z_stream s{};
  EXPECT_EQ(inflateInit2(&s, 15 + 16), Z_OK);
  std::string out(16 << 20, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
  s.avail_in = static_cast<uInt>(z.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&s, Z_FINISH), Z_STREAM_END);
  out.resize(s.total_out);
  inflateEnd(&s);
  return out;
}

// Clients that take gzip get it (the OpenAPI document is large JSON); the others do not.
TEST_F(ApiTest, CompressesForClientsThatAcceptGzip) {
  auto plain = http_->Get("/api/v1/openapi.json");
  auto zipped = http_->Get("/api/v1/openapi.json", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_EQ(zipped.status, 200);
  EXPECT_EQ(plain.Header("content-encoding"), "");
  EXPECT_EQ(zipped.Header("content-encoding"), "gzip");
  EXPECT_EQ(zipped.Header("vary"), "Accept-Encoding");
  EXPECT_EQ(std::stoul(zipped.Header("content-length")), zipped.body.size());
  EXPECT_LT(zipped.body.size(), plain.body.size() / 3);
  EXPECT_EQ(Gunzip(zipped.body), plain.body);
  // Refusing gzip gets the plain body.
  EXPECT_EQ(http_->Get("/api/v1/openapi.json", {{"Accept-Encoding", "gzip;q=0"}}).body, plain.body);
}

TEST_F(ApiTest, HeadAnswersHeadersOnly) {
  auto r = http_->Send("HEAD", "/api/v1/openapi.json", "");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_GT(std::stoi(r.Header("content-length")), 1000);
}

TEST_F(ApiTest, MetricsCountRequestsPerRoute) {
  http_->Get("/api/v1/organisations/1");
  http_->Get("/api/v1/organisations/2");
  auto m = http_->Get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.Header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(m.body.find("solidum_http_requests_total{route=\"GET /api/v1/organisations/{id}\",status=\"4xx\"} 2"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("solidum_http_request_duration_seconds_count{route=\"GET /api/v1/organisations/{id}\"} 2"),
            std::string::npos);
}

TEST_F(ApiTest, ServesTheWebAppWithSecurityHeaders) {
  TempDir web;
  std::filesystem::create_directories(web.path() / "assets");
  std::ofstream(web.path() / "index.html") << "<!doctype html><title>app</title>";
  server_ = std::make_unique<ServerProcess>(std::vector<std::string>{"--web-root", web.path().string()});
  http_ = std::make_unique<HttpClient>(server_->port());
  auto r = http_->Get("/organisations/3");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<!doctype html><title>app</title>");
  EXPECT_NE(r.Header("content-security-policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(http_->Get("/../../etc/passwd").status, 404);
  EXPECT_EQ(http_->Get("/api/v1/unknown").Header("content-type"), "application/problem+json");
}

TEST_F(ApiTest, StopsGracefullyFinishingInFlightRequests) {
  NewUser("ana@coop.example");
  // Sign-in takes a while (argon2id): stop the server while it is being answered.
  std::string body = std::string(R"({"email":"ana@coop.example","password":")") + kPassword + R"("})";
  HttpResponse r;
  std::thread client([&] {
    HttpClient c(server_->port());
    r = c.SendJson("POST", "/api/v1/auth/sign-in", body);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(15));
  auto start = std::chrono::steady_clock::now();
  int exit_code = server_->Stop();
  client.join();
  EXPECT_EQ(exit_code, 0) << server_->Output();
  EXPECT_EQ(r.status, 200) << "the in-flight sign-in finished";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_NE(server_->Output().find("stopped"), std::string::npos);
  // The database closed cleanly: it opens and passes an integrity check.
  EXPECT_EQ(CountRows("sessions"), 1);
}

TEST_F(ApiTest, IdleKeepAliveConnectionsDoNotHoldUpAStop) {
  ASSERT_EQ(http_->Get("/healthz").status, 200);  // leaves an idle keep-alive connection open
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server_->Stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// A client that opens a connection and sends nothing, or sends part of a request and then
// stalls, is cut off after its timeout (here 1 s, checked once a second), while a client
// that keeps sending requests keeps its connection however long it stays.
TEST_F(ApiTest, ClosesConnectionsThatStayIdleOrStall) {
  namespace asio = boost::asio;
  server_ = std::make_unique<ServerProcess>(std::vector<std::string>{"--idle-timeout", "1", "--read-timeout", "1"});
  asio::io_context ioc;
  auto open = [&](const std::string& first_bytes) {
    auto socket = std::make_unique<asio::ip::tcp::socket>(ioc);
    socket->connect({asio::ip::make_address("127.0.0.1"), server_->port()});
    if (!first_bytes.empty()) asio::write(*socket, asio::buffer(first_bytes));
    return socket;
  };
  // How long until the server closes `socket` (it answers nothing first).
  auto closed_after = [](asio::ip::tcp::socket& socket, std::chrono::steady_clock::time_point since) {
    pollfd ready{socket.native_handle(), POLLIN, 0};
    if (::poll(&ready, 1, 10'000) != 1) {  // a server that never closes fails the test, not hangs it
      ADD_FAILURE() << "the connection is still open after 10 s";
      return std::chrono::steady_clock::now() - since;
    }
    std::array<char, 256> buf;
    boost::system::error_code ec;
    std::size_t n = socket.read_some(asio::buffer(buf), ec);
    EXPECT_EQ(n, 0u) << std::string(buf.data(), n);
    EXPECT_EQ(ec, asio::error::eof) << ec.message();
    return std::chrono::steady_clock::now() - since;
  };
  auto start = std::chrono::steady_clock::now();
  auto idle = open("");
  auto half_header = open("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  // (An ordinary JSON route: routes that take files allow kUploadTimeoutSeconds at least.)
  auto half_body = open("POST /api/v1/organisations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Content-Length: 100\r\n\r\n{\"id\":");
  // Meanwhile a busy keep-alive client, a request every 300 ms for 2.4 s.
  HttpClient busy(server_->port());
  for (int i = 0; i < 8; ++i) {
    ASSERT_EQ(busy.Get("/healthz").status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    if (i == 1) {  // 0.6 s in: not yet timed out, so nothing to read (not even the end)
      for (auto* s : {idle.get(), half_header.get(), half_body.get()}) {
        pollfd ready{s->native_handle(), POLLIN, 0};
        EXPECT_EQ(::poll(&ready, 1, 0), 0) << "closed before its timeout";
      }
    }
  }
  EXPECT_EQ(busy.requests_on_connection(), 8) << "the busy client kept its connection";
  for (auto* s : {idle.get(), half_header.get(), half_body.get()}) {
    EXPECT_LT(closed_after(*s, start), std::chrono::seconds(6));
  }
  HttpClient after(server_->port());
  EXPECT_EQ(after.Get("/healthz").status, 200);
}

}  // namespace
}  // namespace solidum::testing
