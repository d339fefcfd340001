// A local SMTP server for tests: it speaks enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET,
// NOOP, QUIT) for libcurl to deliver to it over a real socket, and keeps what it receives.
// It can refuse recipients (550, for good) or fail the next messages (451, for now).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace solidum::testing {

struct SunkMail {
  std::string from;
  std::vector<std::string> to;
  std::string data;  // as received, dot-unstuffed, CRLF line ends

  // A header's value, unfolded, with RFC 2047 B-encoded words decoded; "" when absent.
  std::string Header(const std::string& name) const;
  // The body, base64-decoded when so encoded, with \n line ends.
  std::string Body() const;
};

class SmtpSink {
 public:
  SmtpSink();
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  unsigned short port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // Everything received so far.
  std::vector<SunkMail> Mails() const;
  // Waits until `n` messages arrived (or the timeout passed); answers what arrived.
  std::vector<SunkMail> WaitFor(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

  void RefuseRecipient(const std::string& address);  // 550 at RCPT
  void FailNext(int messages);                       // 451 at DATA's end

 private:
  void Serve(boost::asio::ip::tcp::socket socket);
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<SunkMail> mails_;
  std::set<std::string> refused_;
  int fail_next_ = 0;
};

}  // namespace solidum::testing
