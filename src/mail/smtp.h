// Sends rendered messages to the configured SMTP server with libcurl (Debian's
// libcurl4-openssl-dev): smtp:// (STARTTLS when the server offers it; required when a
// user and password are set, so a password never crosses the network in clear) or
// smtps:// (TLS from the start). One connection is kept open between messages.
//
// Not thread-safe: one SmtpClient per sending thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/result.h"

namespace solidum::mail {

struct SmtpConfig {
  std::string url;       // smtp://host:port or smtps://host:port; empty: mail is not sent
  std::string user;      // optional
  std::string password;  // optional; from the environment only, never logged
  std::string from;      // the sender's address
  std::string from_name = "Solidum";
  long timeout_seconds = 30;
  bool configured() const { return !url.empty(); }
};

// The server's last reply code, so that the caller can tell a permanent refusal (5xx: do
// not try again) from a passing one.
struct SendError {
  Error error;
  bool permanent = false;
};

class SmtpClient {
 public:
  explicit SmtpClient(SmtpConfig config);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // One message to one recipient. On failure the error says what the server answered.
  std::optional<SendError> Send(const std::string& to, const std::string& rendered);

  const SmtpConfig& config() const { return config_; }

 private:
  SmtpConfig config_;
  void* curl_ = nullptr;  // CURL*
};

}  // namespace solidum::mail
