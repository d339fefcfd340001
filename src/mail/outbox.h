// The outbox: emails are queued in the store, in the transaction of the event they
// announce, and a courier thread sends them to the SMTP server. Delivery is at least once:
// a message is claimed (its next attempt pushed back) before it is sent, so a server that
// dies mid-send sends it again later, and several servers on one database never send the
// same message at the same time. A passing failure is tried again with growing delays
// (1 min, 4, 16, 64, ... at most 6 h); a permanent refusal (5xx) or kMaxAttempts failures
// mark the message failed, with the server's answer, for the organisation to see.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "mail/message.h"
#include "mail/smtp.h"
#include "store/store.h"

namespace solidum::mail {

inline constexpr int kMaxAttempts = 8;
// Messages hold personal data (address, name, text): kept only as long as the
// organisation needs to see what became of them.
inline constexpr int kSentKeptDays = 30;
inline constexpr int kFailedKeptDays = 90;

struct Outgoing {
  Message message;
  std::string language;  // en, fr, es, pt
  std::string kind;      // assembly_notice, assembly_record, ballot_invitation, ballot_results
  std::string ref;       // "assembly:12"
  std::optional<std::int64_t> member_id;
};

// Inside the caller's write transaction. Messages to an invalid address are not queued;
// answers how many were.
Result<std::int64_t> Enqueue(store::Conn& conn, std::span<const Outgoing> messages, const std::string& now);

struct Failure {
  std::optional<std::int64_t> member_id;
  std::string recipient, error;
};
struct Delivery {
  std::int64_t queued = 0, sent = 0, failed = 0;
  std::vector<Failure> failures;  // the first 100
};
// What became of the messages about `ref`, per state.
Result<Delivery> DeliveryOf(store::Conn& conn, const std::string& ref);

class Courier {
 public:
  struct Options {
    int poll_ms = 1000;  // how often to look for due messages
    int batch = 50;      // messages claimed at once
  };
  Courier(store::Store& store, const Clock& clock, SmtpConfig smtp, Options options);
  ~Courier();
  Courier(const Courier&) = delete;
  Courier& operator=(const Courier&) = delete;

  // The thread that calls DeliverDue every poll_ms until Stop.
  void Start();
  void Stop();

  // One pass: claims up to `batch` due messages, sends them, records each outcome;
  // answers how many were sent.
  Result<int> DeliverDue();
  // Deletes messages sent more than kSentKeptDays ago and failed ones older than
  // kFailedKeptDays; answers how many. The thread runs it every hour.
  Result<std::int64_t> Purge();

 private:
  store::Store& store_;
  const Clock& clock_;
  SmtpClient smtp_;
  Options options_;
  std::string domain_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace solidum::mail
