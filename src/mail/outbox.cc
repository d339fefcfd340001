#include "mail/outbox.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace solidum::mail {

using store::Conn;
using store::TxKind;
using store::Value;

namespace {

std::string Later(const Clock& clock, std::int64_t seconds) {
  return FormatTimestamp(clock.NowMicros() + seconds * 1'000'000);
}

// 1 min, 4 min, 16 min, 64 min, 4 h 16 min, then 6 h.
std::int64_t BackoffSeconds(std::int64_t attempts) {
  std::int64_t s = 60;
  for (std::int64_t i = 1; i < attempts && s < 6 * 3600; ++i) s *= 4;
  return std::min<std::int64_t>(s, 6 * 3600);
}

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> b(bytes);
  randombytes_buf(b.data(), b.size());
  std::string out(bytes * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), b.data(), b.size());
  out.pop_back();
  return out;
}

}  // namespace

Result<std::int64_t> Enqueue(Conn& conn, std::span<const Outgoing> messages, const std::string& now) {
  std::vector<std::vector<Value>> rows;
  for (const auto& m : messages) {
    if (!IsValidAddress(m.message.to)) continue;
    std::string body = m.message.body.substr(0, kBodyBytesMax);
    rows.push_back({m.message.to, m.message.to_name, store::Opt(m.member_id), m.language, m.message.subject, std::move(body), m.kind,
                    m.ref, std::string("queued"), now, now});
  }
  if (rows.empty()) return std::int64_t{0};
  SOLIDUM_ASSIGN_OR_RETURN(
      auto n, conn.ExecMany("INSERT INTO mail_outbox (recipient, recipient_name, member_id, language, subject, body, kind, ref, state, "
                            "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            rows));
  return n;
}

Result<Delivery> DeliveryOf(Conn& conn, const std::string& ref) {
  Delivery d;
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT state, COUNT(*) FROM mail_outbox WHERE ref = ? GROUP BY state", {ref}));
  for (const auto& r : rows) {
    if (r.Text(0) == "queued") d.queued = r.Int(1);
    else if (r.Text(0) == "sent") d.sent = r.Int(1);
    else d.failed = r.Int(1);
  }
  if (d.failed > 0) {
    SOLIDUM_ASSIGN_OR_RETURN(auto failed, conn.Query("SELECT member_id, recipient, COALESCE(last_error, '') FROM mail_outbox "
                                                     "WHERE ref = ? AND state = 'failed' ORDER BY id LIMIT 100",
                                                     {ref}));
    for (const auto& r : failed) d.failures.push_back({r.OptInt(0), r.Text(1), r.Text(2)});
  }
  return d;
}

Courier::Courier(store::Store& store, const Clock& clock, SmtpConfig smtp, Options options)
    : store_(store), clock_(clock), smtp_(std::move(smtp)), options_(options) {
  const auto at = smtp_.config().from.rfind('@');
  domain_ = at == std::string::npos ? "solidum.invalid" : smtp_.config().from.substr(at + 1);
}

Courier::~Courier() { Stop(); }

void Courier::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    std::int64_t purged_at = 0;
    while (!stop_) {
      lock.unlock();
      if (clock_.NowMicros() - purged_at > 3600LL * 1'000'000) {
        purged_at = clock_.NowMicros();
        if (auto p = Purge(); !p.ok()) spdlog::warn("mail: {}", p.error().message);
      }
      auto sent = DeliverDue();
      if (!sent.ok()) spdlog::warn("mail: {}", sent.error().message);
      lock.lock();
      // Straight on while a full batch went out: there may be more.
      if (sent.ok() && *sent >= options_.batch) continue;
      cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [this] { return stop_; });
    }
  });
}

void Courier::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<std::int64_t> Courier::Purge() {
  const std::int64_t day = 86'400LL * 1'000'000;
  const std::string sent_before = FormatTimestamp(clock_.NowMicros() - kSentKeptDays * day);
  const std::string failed_before = FormatTimestamp(clock_.NowMicros() - kFailedKeptDays * day);
  return store::InTransaction<std::int64_t>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<std::int64_t> {
    SOLIDUM_ASSIGN_OR_RETURN(auto sent, conn.Exec("DELETE FROM mail_outbox WHERE state = 'sent' AND sent_at < ?", {sent_before}));
    SOLIDUM_ASSIGN_OR_RETURN(auto failed, conn.Exec("DELETE FROM mail_outbox WHERE state = 'failed' AND created_at < ?", {failed_before}));
    return sent + failed;
  });
}

Result<int> Courier::DeliverDue() {
  struct Due {
    std::int64_t id, attempts;
    Message message;
  };
  const std::string now = FormatTimestamp(clock_.NowMicros());
  // Claim: push the next attempt back far enough that no other courier takes it meanwhile.
  auto claimed = store::InTransaction<std::vector<Due>>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<std::vector<Due>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT id, attempts, recipient, recipient_name, subject, body FROM mail_outbox "
                                                   "WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
                                                   {now, std::int64_t{options_.batch}}));
    std::vector<Due> due;
    std::vector<std::vector<Value>> claims;
    const std::string until = Later(clock_, 15 * 60);
    for (const auto& r : rows) {
      due.push_back({r.Int(0), r.Int(1) + 1, {r.Text(2), r.Text(3), r.Text(4), r.Text(5)}});
      claims.push_back({until, r.Int(0)});
    }
    if (!claims.empty()) {
      SOLIDUM_TRY(conn.ExecMany("UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?", claims));
    }
    return due;
  });
  if (!claimed.ok()) return claimed.error();
  int sent = 0;
  for (const auto& d : *claimed) {
    Envelope env{smtp_.config().from, smtp_.config().from_name, Rfc5322Date(clock_.NowMicros()),
                 std::to_string(d.id) + "." + RandomHex(8) + "@" + domain_};
    const auto failure = smtp_.Send(d.message.to, Render(d.message, env));
    const std::string at = FormatTimestamp(clock_.NowMicros());
    auto recorded = store::InTransaction<void>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<void> {
      if (!failure) {
        SOLIDUM_TRY(conn.Exec("UPDATE mail_outbox SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ?", {at, d.id}));
        return {};
      }
      const bool give_up = failure->permanent || d.attempts >= kMaxAttempts;
      SOLIDUM_TRY(conn.Exec("UPDATE mail_outbox SET state = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                            {std::string(give_up ? "failed" : "queued"), Later(clock_, BackoffSeconds(d.attempts)), failure->error.message, d.id}));
      return {};
    });
    if (!recorded.ok()) return recorded.error();
    if (failure) {
      // The address is personal data: the log says which message, not to whom.
      spdlog::warn("mail: message {} not sent (attempt {}): {}", d.id, d.attempts, failure->error.message);
    } else {
      ++sent;
    }
  }
  return sent;
}

}  // namespace solidum::mail
