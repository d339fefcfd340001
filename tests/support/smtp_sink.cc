#include "smtp_sink.h"

#include <sodium.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cctype>

namespace solidum::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

std::string Base64Decode(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), " \r\n", &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return "<bad base64>";
  out.resize(len);
  return out;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Address(const std::string& arg) {
  const auto a = arg.find('<'), b = arg.rfind('>');
  return a == std::string::npos || b == std::string::npos || b < a ? arg : arg.substr(a + 1, b - a - 1);
}

}  // namespace

std::string SunkMail::Header(const std::string& name) const {
  const auto end = data.find("\r\n\r\n");
  const std::string head = data.substr(0, end);
  const std::string want = Lower(name) + ":";
  std::size_t pos = 0;
  while (pos < head.size()) {
    auto eol = head.find("\r\n", pos);
    if (eol == std::string::npos) eol = head.size();
    std::string line = head.substr(pos, eol - pos);
    pos = eol + 2;
    if (Lower(line.substr(0, want.size())) != want) continue;
    std::string value = line.substr(want.size());
    while (pos < head.size() && (head[pos] == ' ' || head[pos] == '\t')) {  // folded
      auto e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      value += head.substr(pos, e - pos);
      pos = e + 2;
    }
    // Decode =?UTF-8?B?...?= words; the whitespace between two encoded words goes.
    std::string out;
    std::size_t i = 0;
    bool last_encoded = false;
    while (i < value.size()) {
      const auto w = value.find("=?UTF-8?B?", i);
      if (w == std::string::npos) {
        out += value.substr(i);
        break;
      }
      std::string between = value.substr(i, w - i);
      if (!(last_encoded && between.find_first_not_of(" \t") == std::string::npos)) out += between;
      const auto close = value.find("?=", w + 10);
      out += Base64Decode(value.substr(w + 10, close - (w + 10)));
      i = close + 2;
      last_encoded = true;
    }
    const auto first = out.find_first_not_of(' ');
    return first == std::string::npos ? "" : out.substr(first);
  }
  return "";
}

std::string SunkMail::Body() const {
  const auto end = data.find("\r\n\r\n");
  std::string body = end == std::string::npos ? "" : data.substr(end + 4);
  if (Lower(Header("Content-Transfer-Encoding")) == "base64") body = Base64Decode(body);
  std::string out;
  for (char c : body) {
    if (c != '\r') out.push_back(c);
  }
  return out;
}

SmtpSink::SmtpSink() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(
      io_,
      [this]() -> asio::awaitable<void> {
        for (;;) {
          tcp::socket socket = co_await acceptor_.async_accept(asio::use_awaitable);
          Serve(std::move(socket));
        }
      },
      asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

SmtpSink::~SmtpSink() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void SmtpSink::Serve(tcp::socket s) {
  asio::co_spawn(
      io_,
      [this, socket = std::move(s)]() mutable -> asio::awaitable<void> {
        asio::streambuf buf;
        auto say = [&](std::string text) -> asio::awaitable<void> {
          co_await asio::async_write(socket, asio::buffer(text), asio::use_awaitable);
        };
        auto line = [&]() -> asio::awaitable<std::string> {
          co_await asio::async_read_until(socket, buf, "\r\n", asio::use_awaitable);
          std::istream in(&buf);
          std::string l;
          std::getline(in, l);
          if (!l.empty() && l.back() == '\r') l.pop_back();
          co_return l;
        };
        SunkMail current;
        co_await say("220 sink ESMTP\r\n");
        for (;;) {
          const std::string l = co_await line();
          const std::string verb = Lower(l.substr(0, 4));
          if (verb == "ehlo") {
            co_await say("250-sink\r\n250-8BITMIME\r\n250 SIZE 20000000\r\n");
          } else if (verb == "helo" || verb == "noop") {
            co_await say("250 ok\r\n");
          } else if (verb == "rset") {
            current = {};
            co_await say("250 ok\r\n");
          } else if (verb == "mail") {
            current = {};
            current.from = Address(l);
            co_await say("250 ok\r\n");
          } else if (verb == "rcpt") {
            const std::string to = Address(l);
            bool refused;
            {
              std::lock_guard lock(mu_);
              refused = refused_.count(to) > 0;
            }
            if (refused) {
              co_await say("550 no such mailbox\r\n");
            } else {
              current.to.push_back(to);
              co_await say("250 ok\r\n");
            }
          } else if (verb == "data") {
            co_await say("354 go ahead\r\n");
            for (;;) {
              std::string d = co_await line();
              if (d == ".") break;
              if (!d.empty() && d[0] == '.') d.erase(0, 1);
              current.data += d + "\r\n";
            }
            bool fail;
            {
              std::lock_guard lock(mu_);
              fail = fail_next_ > 0;
              if (fail) --fail_next_;
              else mails_.push_back(current);
            }
            cv_.notify_all();
            co_await say(fail ? "451 try again later\r\n" : "250 queued\r\n");
          } else if (verb == "quit") {
            co_await say("221 bye\r\n");
            co_return;
          } else {
            co_await say("502 not implemented\r\n");
          }
        }
      },
      [](std::exception_ptr) {});  // a client that hangs up ends its session
}

std::vector<SunkMail> SmtpSink::Mails() const {
  std::lock_guard lock(mu_);
  return mails_;
}

std::vector<SunkMail> SmtpSink::WaitFor(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return mails_.size() >= n; });
  return mails_;
}

void SmtpSink::RefuseRecipient(const std::string& address) {
  std::lock_guard lock(mu_);
  refused_.insert(address);
}

void SmtpSink::FailNext(int messages) {
  std::lock_guard lock(mu_);
  fail_next_ += messages;
}

}  // namespace solidum::testing
