// The only translation unit that includes Beast and Asio's networking: keep it that way,
// they are heavy to compile.
#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "common/limits.h"
#include "common/text.h"
#include "http/compression.h"
#include "http/problem.h"

namespace solidum::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

Result<std::pair<std::string, unsigned short>> ParseListen(std::string_view listen) {
  auto colon = listen.rfind(':');
  auto bad = [] { return Error::Invalid("--listen", "invalid_address", "Use HOST:PORT, e.g. 127.0.0.1:8080."); };
  if (colon == std::string_view::npos || colon == 0) return bad();
  std::string host(listen.substr(0, colon));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto port = text::ParseInt64(listen.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) return bad();
  return std::make_pair(host, static_cast<unsigned short>(*port));
}

namespace {

// A connection's deadline: the socket operation it is waiting for is cancelled once the
// steady clock passes it. One sweeper per server looks at every connection once a second
// (Impl::Sweep), so a timeout fires up to a second late: coarse on purpose. Beast's
// tcp_stream armed and cancelled a timer around every read and write (a lock, a heap
// operation and a handler each time), three times per request; a timeout of tens of
// seconds needs none of that precision.
constexpr std::int64_t kNoDeadline = std::numeric_limits<std::int64_t>::max();

std::int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Conn {
  explicit Conn(tcp::socket s) : socket(std::move(s)) {
    beast::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    peer = ec ? "" : ep.address().to_string();
  }
  // Before a socket operation: it is cancelled if still waiting `seconds` from now.
  void ExpiresAfter(int seconds) {
    deadline.store(SteadyNanos() + std::int64_t{seconds} * 1'000'000'000, std::memory_order_relaxed);
  }
  // After it: nothing to cancel while the request is handled.
  void ExpiresNever() { deadline.store(kNoDeadline, std::memory_order_relaxed); }
  bool Expired(std::int64_t now) const { return deadline.load(std::memory_order_relaxed) < now; }

  tcp::socket socket;
  std::string peer;   // the remote address, read once
  bool busy = false;  // touched only by the connection's own event loop thread
  // Written by the connection's thread, read by the sweeper's (which rechecks it on the
  // connection's thread before it cancels anything).
  std::atomic<std::int64_t> deadline{kNoDeadline};
};

int ThreadCount(int configured) {
  int n = configured > 0 ? configured : static_cast<int>(std::thread::hardware_concurrency());
  return n < 1 ? 1 : n;
}

}  // namespace

struct Server::Impl {
  Impl(App& a, ServerConfig c)
      : app(a),
        config(std::move(c)),
        loops(MakeLoops(ThreadCount(config.io_threads))),
        workers(static_cast<std::size_t>(config.worker_threads < 1 ? 1 : config.worker_threads)),
        acceptor(*loops[0]),
        signals(*loops[0], SIGINT, SIGTERM),
        sweeper(*loops[0]) {
    for (auto& l : loops) guards.push_back(asio::make_work_guard(*l));
  }

  // One event loop per I/O thread, each run by exactly one thread: a connection lives on
  // one loop for its whole life, so it needs no strand and loops never contend.
  static std::vector<std::unique_ptr<asio::io_context>> MakeLoops(int n) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (int i = 0; i < n; ++i) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }

  App& app;
  ServerConfig config;
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::size_t next_loop = 0;
  asio::thread_pool workers;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::unordered_set<std::shared_ptr<Conn>> conns;
  asio::steady_timer sweeper;  // on loops[0], as are Sweep() and Drain()
  bool drained = false;        // loops[0] only

  asio::awaitable<void> Accept();
  asio::awaitable<void> Sweep();
  asio::awaitable<void> Session(std::shared_ptr<Conn> conn);
  asio::awaitable<void> Drain();
  void BeginStop();
  Request ToRequest(bhttp::request<bhttp::string_body>& in, const Conn& conn) const;
};

namespace {

// Bodies this large are compressed on the worker pool rather than the connection's thread.
constexpr std::size_t kCompressOnWorkersBytes = 64 * 1024;
// A quick route's handler runs on the connection's thread unless its body is larger (a
// batch of thousands of transfers takes milliseconds to parse: the workers do that).
constexpr std::size_t kQuickBodyBytesMax = 16 * 1024;
// How long a refused request's rest may keep coming after its answer (a lingering close).
constexpr int kLingerSeconds = 2;

// Awaits a response that its handler answers later (Response::later): the coroutine
// resumes on its own executor when the work is done, whichever thread finished it, and
// runs the Finish there. The pending answer keeps the event loop running. `later` is the
// caller's, alive until this returns (taken by reference: g++ 12 destroys a coroutine's
// by-value std::function parameter twice).
asio::awaitable<Response> Later(const std::function<void(Resume)>& later) {
  auto finish = co_await asio::async_initiate<decltype(asio::use_awaitable), void(Finish)>(
      [&later](auto handler) {
        using Handler = decltype(handler);
        auto ex = asio::get_associated_executor(handler);
        struct Pending {
          Handler handler;
          asio::executor_work_guard<decltype(ex)> work;
        };
        auto pending = std::make_shared<Pending>(Pending{std::move(handler), asio::make_work_guard(ex)});
        later([pending](Finish f) {
          auto target = pending->work.get_executor();
          asio::post(target, [pending, f = std::move(f)]() mutable {
            pending->work.reset();
            std::move(pending->handler)(std::move(f));
          });
        });
      },
      asio::use_awaitable);
  co_return finish();
}

// The response as bytes, in one buffer: one write, one syscall. Header values come from
// our own code (never from a request), and are checked for CR/LF all the same.
std::string ToWire(const Response& r, unsigned version, bool keep_alive, bool head) {
  std::string out;
  out.reserve(320 + (head ? 0 : r.body.size()));
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(r.status));
  out.append(reason.data(), reason.size());
  out += "\r\nServer: solidum\r\nX-Content-Type-Options: nosniff\r\n";
  auto header = [&out](std::string_view name, std::string_view value) {
    SOLIDUM_ASSERT(value.find_first_of("\r\n") == std::string_view::npos);
    out.append(name);
    out += ": ";
    out.append(value);
    out += "\r\n";
  };
  if (!r.content_type.empty()) header("Content-Type", r.content_type);
  if (r.content_type.starts_with("text/html")) {
    header("Content-Security-Policy",
           "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
           "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    header("Referrer-Policy", "same-origin");
  }
  for (const auto& [k, v] : r.headers) header(k, v);
  if (!keep_alive) header("Connection", "close");
  else if (version == 10) header("Connection", "keep-alive");
  if (r.status != 204 && r.status != 304 && !(r.status >= 100 && r.status < 200)) {
    header("Content-Length", std::to_string(r.body.size()));
  }
  out += "\r\n";
  if (!head) out += r.body;
  return out;
}

Response TransportError(int status, std::string code, std::string message) {
  ErrorKind kind = status == 413 ? ErrorKind::kPayloadTooLarge : ErrorKind::kMalformed;
  Response r = Problem(Error::Make(kind, std::move(code), std::move(message)), "");
  r.status = status;  // 431 has no ErrorKind of its own
  return r;
}

}  // namespace

// Takes the body out of `in` (a transfer batch is megabytes: no copy).
Request Server::Impl::ToRequest(bhttp::request<bhttp::string_body>& in, const Conn& conn) const {
  Request req;
  req.method = std::string(in.method_string());
  req.target = std::string(in.target());
  req.headers.reserve(16);
  for (const auto& f : in) req.headers.emplace_back(text::AsciiLower(f.name_string()), std::string(f.value()));
  req.body = std::move(in.body());
  req.remote_address = conn.peer;
  if (config.trust_proxy) {
    if (auto xff = req.Header("x-forwarded-for")) {
      req.remote_address = std::string(text::Trim(xff->substr(0, xff->find(','))));
    }
    if (auto proto = req.Header("x-forwarded-proto")) req.secure = text::AsciiLower(text::Trim(*proto)) == "https";
  }
  return req;
}

namespace {

bool ExpectsContinue(beast::string_view expect) {
  return text::AsciiLower(text::Trim(std::string_view(expect.data(), expect.size()))) == "100-continue";
}

}  // namespace

asio::awaitable<void> Server::Impl::Session(std::shared_ptr<Conn> conn) {
  beast::flat_buffer buffer;
  auto& socket = conn->socket;
  for (;;) {
    // Checked here, not only in BeginStop(): a stop that came while this connection was
    // busy could not close it then.
    if (stopping.load()) break;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits::kRequestHeaderBytesMax));
    // The largest any route takes, while the header is read; then the route's own.
    parser.body_limit(std::max(limits::kRequestBodyBytesMax, limits::kUploadBodyBytesMax));
    conn->ExpiresAfter(config.idle_timeout_seconds);
    auto [ec, n] = co_await bhttp::async_read_header(socket, buffer, parser, kAsTuple);
    (void)n;
    std::optional<Response> transport_error;
    std::size_t body_max = limits::kRequestBodyBytesMax;
    bool quick = false;
    // (On a body_limit error the header is read but not marked done: the fields are there.)
    if (parser.is_header_done() || ec == bhttp::error::body_limit) {
      // Routes that take files (imports) allow larger bodies, and the time to send them.
      const auto& h = parser.get();
      std::string_view target(h.target().data(), h.target().size());
      auto traits = app.Traits(std::string_view(h.method_string().data(), h.method_string().size()),
                               target.substr(0, target.find('?')));
      body_max = traits.body_bytes_max;
      quick = traits.quick;
      if (!ec && parser.content_length() && *parser.content_length() > body_max) ec = bhttp::error::body_limit;
      if (!ec) parser.body_limit(body_max);  // chunked bodies count against it as they come
    }
    if (!ec) {
      conn->busy = true;
      conn->ExpiresAfter(body_max > limits::kRequestBodyBytesMax
                             ? std::max(limits::kUploadTimeoutSeconds, config.read_timeout_seconds)
                             : config.read_timeout_seconds);
      // A client that waits to be asked for the body (curl does, for bodies over 1 MiB,
      // and then waits a whole second when nobody asks) is asked now that its size fits.
      if (!parser.is_done() && parser.get().version() == 11 && ExpectsContinue(parser.get()[bhttp::field::expect])) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        std::tie(ec, n) = co_await asio::async_write(socket, asio::buffer(kContinue), kAsTuple);
      }
    }
    // A small body came with its header, and is parsed here: async_read would find it in
    // the buffer too, but then it posts its completion (one more trip through the loop).
    if (!ec && !parser.is_done() && buffer.size() > 0) {
      auto used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      if (ec == bhttp::error::need_more) ec = {};
    }
    if (!ec && !parser.is_done()) {
      std::tie(ec, n) = co_await bhttp::async_read(socket, buffer, parser, kAsTuple);
    }
    // operation_aborted: a timeout (Sweep) or a forced stop (Drain).
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::bad_descriptor) {
      break;
    }
    if (ec == bhttp::error::body_limit) {
      transport_error = TransportError(413, "payload_too_large",
                                       "The body is larger than " + std::to_string(body_max) + " bytes.");
    } else if (ec == bhttp::error::header_limit) {
      transport_error = TransportError(431, "headers_too_large", "The request headers are too large.");
    } else if (ec) {
      transport_error = TransportError(400, "bad_request", "The request is not valid HTTP/1.1: " + ec.message() + ".");
    }
    if (transport_error) {
      // Answer, then close without reading the rest: a lingering close so that the client
      // sees the answer instead of a reset.
      auto res = ToWire(*transport_error, 11, false, false);
      conn->ExpiresAfter(config.read_timeout_seconds);
      co_await asio::async_write(socket, asio::buffer(res), kAsTuple);
      beast::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_send, ignored);
      conn->ExpiresAfter(kLingerSeconds);
      std::array<char, 16384> sink;
      std::size_t drained = 0;
      while (drained < 4 * limits::kRequestBodyBytesMax) {
        auto [rec, got] = co_await socket.async_read_some(asio::buffer(sink), kAsTuple);
        if (rec) break;
        drained += got;
      }
      break;
    }

    conn->ExpiresNever();  // the handler takes what it takes: the client waits for it
    auto& msg = parser.get();
    Request req = ToRequest(msg, *conn);
    Response resp;
    if (!ParseTarget(req.target, req)) {
      resp = Problem(Error::Make(ErrorKind::kMalformed, "bad_target", "The request target is not a valid path."), "");
    } else if (req.IsSafeMethod() || (quick && req.body.size() <= kQuickBodyBytesMax)) {
      resp = app.Handle(req);
    } else {
      // Writes fsync and sign-ins hash: keep them off the I/O threads.
      resp = co_await asio::co_spawn(
          workers, [this, &req]() -> asio::awaitable<Response> { co_return app.Handle(req); }, asio::use_awaitable);
    }
    if (resp.later) resp = co_await Later(resp.later);
    if (req.method != "HEAD" && ShouldCompress(resp)) {
      auto accept = req.Header("accept-encoding");
      if (resp.body.size() < kCompressOnWorkersBytes) {
        CompressFor(accept, resp);
      } else {  // the map of a whole register: milliseconds of CPU, off the I/O thread
        co_await asio::co_spawn(
            workers, [&resp, accept]() -> asio::awaitable<void> { CompressFor(accept, resp); co_return; },
            asio::use_awaitable);
      }
    }
    bool keep_alive = msg.keep_alive() && !stopping.load();
    auto res = ToWire(resp, msg.version(), keep_alive, req.method == "HEAD");
    conn->ExpiresAfter(config.read_timeout_seconds);  // a client that does not read its answer
    // Straight into the socket's buffer, as a small answer always fits there; an async
    // write (which would post its completion) only for what did not.
    beast::error_code wec;
    std::size_t written = socket.write_some(asio::buffer(res), wec);
    if (wec == asio::error::would_block || wec == asio::error::try_again) wec = {};
    if (!wec && written < res.size()) {
      std::tie(wec, n) = co_await asio::async_write(socket, asio::buffer(res.data() + written, res.size() - written), kAsTuple);
    }
    conn->ExpiresNever();
    conn->busy = false;
    if (wec || !keep_alive) break;
  }
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  std::lock_guard lock(mu);
  conns.erase(conn);
}

asio::awaitable<void> Server::Impl::Accept() {
  for (;;) {
    auto& loop = *loops[next_loop++ % loops.size()];
    auto [ec, socket] = co_await acceptor.async_accept(loop, kAsTuple);
    if (ec) {
      if (stopping.load() || ec == asio::error::operation_aborted) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    socket.non_blocking(true, ec);  // Session's synchronous writes never wait
    auto conn = std::make_shared<Conn>(std::move(socket));
    {
      std::lock_guard lock(mu);
      conns.insert(conn);
    }
    asio::co_spawn(conn->socket.get_executor(), Session(conn), asio::detached);
  }
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  spdlog::info("stopping: finishing in-flight requests");
  asio::post(acceptor.get_executor(), [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
  });
  signals.cancel();
  {
    std::lock_guard lock(mu);
    for (const auto& c : conns) {
      asio::post(c->socket.get_executor(), [c] {
        if (!c->busy) {
          beast::error_code ignored;
          c->socket.shutdown(tcp::socket::shutdown_both, ignored);
          c->socket.close(ignored);
        }
      });
    }
  }
  // Not under `mu`: co_spawn may start Drain() right here, and Drain() takes `mu`.
  asio::co_spawn(*loops[0], Drain(), asio::detached);
}

asio::awaitable<void> Server::Impl::Drain() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits::kShutdownGraceSeconds);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    {
      std::lock_guard lock(mu);
      if (conns.empty()) break;
      if (std::chrono::steady_clock::now() > deadline) {
        spdlog::warn("stopping: {} connections did not finish in time; closing them", conns.size());
        for (const auto& c : conns) {
          asio::post(c->socket.get_executor(), [c] {
            beast::error_code ignored;
            c->socket.cancel(ignored);
          });
        }
        deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      }
    }
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(kAsTuple);
  }
  drained = true;
  sweeper.cancel();
  guards.clear();  // the loops may now run out of work and return
}

// Once a second: every connection whose socket operation has outlived its deadline has it
// cancelled, on the connection's own thread, where the deadline is checked again (the
// operation may have finished, and another begun, since).
asio::awaitable<void> Server::Impl::Sweep() {
  for (;;) {
    sweeper.expires_after(std::chrono::seconds(1));
    auto [ec] = co_await sweeper.async_wait(kAsTuple);
    if (ec || drained) co_return;
    const std::int64_t now = SteadyNanos();
    std::lock_guard lock(mu);
    for (const auto& c : conns) {
      if (!c->Expired(now)) continue;
      asio::post(c->socket.get_executor(), [c, now] {
        beast::error_code ignored;
        if (c->Expired(now)) c->socket.cancel(ignored);
      });
    }
  }
}

Server::Server(App& app, ServerConfig config) : impl_(std::make_unique<Impl>(app, std::move(config))) {}

Server::~Server() {
  impl_->workers.join();
}

Result<void> Server::Listen() {
  SOLIDUM_ASSIGN_OR_RETURN(auto hp, ParseListen(impl_->config.listen));
  beast::error_code ec;
  auto address = asio::ip::make_address(hp.first == "localhost" ? "127.0.0.1" : hp.first, ec);
  if (ec) return Error::Invalid("--listen", "invalid_address", "Not an IP address: " + hp.first);
  tcp::endpoint ep(address, hp.second);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::Make(ErrorKind::kUnavailable, "listen_failed",
                       "Cannot listen on " + impl_->config.listen + ": " + ec.message());
  }
  return Ok();
}

unsigned short Server::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void Server::Run() {
  auto& s = *impl_;
  s.signals.async_wait([this](const beast::error_code& ec, int) {
    if (!ec) Stop();
  });
  asio::co_spawn(s.acceptor.get_executor(), s.Accept(), asio::detached);
  asio::co_spawn(*s.loops[0], s.Sweep(), asio::detached);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < s.loops.size(); ++i) threads.emplace_back([&s, i] { s.loops[i]->run(); });
  s.loops[0]->run();
  for (auto& t : threads) t.join();
  s.workers.join();
  spdlog::info("stopped");
}

void Server::Stop() {
  impl_->BeginStop();
}

}  // namespace solidum::http
