// Server: HTTP/1.1 on Boost.Beast and Asio with C++20 coroutines, in front of an App.
// Keep-alive; header and body limits (431/413); a read timeout per request and an idle
// timeout between requests (coarse: checked once a second); safe methods answered on the
// I/O threads, unsafe ones (which write and fsync, or hash passwords) on a worker pool so
// reads never wait behind them.
// Graceful stop on SIGINT/SIGTERM or Stop(): no new connections, idle ones close, in-flight
// requests finish (up to kShutdownGraceSeconds), then Run() returns.
#pragma once

#include <memory>
#include <string>

#include "common/limits.h"
#include "common/result.h"
#include "http/app.h"

namespace solidum::http {

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one
  int io_threads = 0;                      // 0: one per core
  int worker_threads = 64;                 // writes wait here for their group commit; password hashing is capped at one per core
  bool trust_proxy = false;                // take the client address and scheme from X-Forwarded-*
  // A connection that sends no request for this long is closed (keep-alive between requests).
  int idle_timeout_seconds = limits::kIdleTimeoutSeconds;
  // The time to send one whole request (uploads get kUploadTimeoutSeconds at least), and to
  // take one whole answer. Timeouts are checked once a second, so they fire up to 1 s late.
  int read_timeout_seconds = limits::kReadTimeoutSeconds;
};

class Server {
 public:
  Server(App& app, ServerConfig config);
  ~Server();
  // Binds and listens. Errors: kInvalidInput for a bad address, kUnavailable when the port is taken.
  Result<void> Listen();
  unsigned short port() const;
  // Serves until SIGINT/SIGTERM or Stop(). Call once, after Listen().
  void Run();
  // Starts a graceful stop. Thread-safe; safe to call more than once.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses "HOST:PORT" or "[V6]:PORT".
Result<std::pair<std::string, unsigned short>> ParseListen(std::string_view listen);

}  // namespace solidum::http
