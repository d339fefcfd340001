#include "ledger/ledger.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "common/json_write.h"
#include "common/text.h"

namespace solidum::ledger {

using store::Conn;
using store::Null;
using store::Opt;
using store::TxKind;
using store::Value;

namespace {

constexpr std::uint32_t kExpiry = 16;  // stored flag of the system's expiry rows
constexpr std::size_t kLookupChunk = 500;

constexpr std::string_view kTransferColumns =
    "id, debit_account_id, credit_account_id, amount, flags, pending_id, timeout_seconds, memo, "
    "requested_debit_account_id, requested_credit_account_id, requested_amount, at_us, expires_at_us";

// The same, for a query that names the table `t`.
// "a, b" of table alias "t": "t.a, t.b".
std::string OfTable(std::string_view columns, std::string_view alias) {
  const std::string prefix = std::string(alias) + ".";
  std::string out = prefix + std::string(columns);
  for (std::size_t p = 0; (p = out.find(", ", p)) != std::string::npos; p += 2 + prefix.size()) out.insert(p + 2, prefix);
  return out;
}

const std::string kTransferColumnsOfT = OfTable(kTransferColumns, "t");

Transfer TransferOf(const store::Row& r) {
  Transfer t;
  t.request.id = r.Text(0);
  t.debit_account = r.Int(1);
  t.credit_account = r.Int(2);
  t.amount = r.Int(3);
  t.request.flags = static_cast<std::uint32_t>(r.Int(4));
  t.request.pending_id = r.IsNull(5) ? "" : r.Text(5);
  t.request.timeout_seconds = r.Int(6);
  t.request.memo = r.Text(7);
  t.request.debit_account = r.Int(8);
  t.request.credit_account = r.Int(9);
  t.request.amount = r.Int(10);
  t.at_us = r.Int(11);
  t.expires_at_us = r.Int(12);
  if (t.request.flags & kPending) t.state = PendingState::kPending;
  return t;
}

// Appends a transfer's row (kTransferColumns) to `out`.
void AppendRow(const Transfer& t, std::vector<Value>& out) {
  out.emplace_back(t.request.id);
  out.emplace_back(t.debit_account);
  out.emplace_back(t.credit_account);
  out.emplace_back(t.amount);
  out.emplace_back(static_cast<std::int64_t>(t.request.flags));
  out.push_back(t.request.pending_id.empty() ? Value(Null{}) : Value(t.request.pending_id));
  out.emplace_back(t.request.timeout_seconds);
  out.emplace_back(t.request.memo);
  out.emplace_back(t.request.debit_account);
  out.emplace_back(t.request.credit_account);
  out.emplace_back(t.request.amount);
  out.emplace_back(t.at_us);
  out.emplace_back(t.expires_at_us);
}

// A stored transfer: its columns, then its number and its chain (see 0012_ledger_checkpoints.sql).
const std::string kInsertTransferHead = "INSERT INTO transfers (" + std::string(kTransferColumns) +
                                        ", seq, debit_prev_seq, credit_prev_seq, debit_balance, credit_balance)";
constexpr std::size_t kInsertTransferColumns = 18;

// Does this stored transfer move balances (a plain transfer or a post), or only reserve
// or release (pending, void, expiry)?
bool MovesBalances(std::uint32_t flags) {
  return (flags & (kPending | kVoidPending | kExpiry)) == 0;
}

// The row that records a pending transfer's expiry (the system's, not a client's).
Transfer ExpiryOf(const Transfer& pending, std::int64_t now_us) {
  Transfer t;
  t.request.id = std::string(1, kSystemIdPrefix) + "expired:" + pending.request.id;
  t.request.flags = kExpiry;
  t.request.pending_id = pending.request.id;
  t.debit_account = pending.debit_account;
  t.credit_account = pending.credit_account;
  t.amount = pending.amount;
  t.at_us = now_us;
  t.debit_balance = pending.debit_balance;  // as the book left them when it expired
  t.credit_balance = pending.credit_balance;
  return t;
}

constexpr std::int64_t kDayMicros = 86'400'000'000;

// "YYYY-MM-DD" of a UTC day number (days since 1970-01-01).
std::string DayName(std::int64_t day) {
  return FormatTimestamp(day * kDayMicros).substr(0, 10);
}

PendingState SettledBy(std::int64_t flags) {
  if (flags & kPostPending) return PendingState::kPosted;
  if (flags & kVoidPending) return PendingState::kVoided;
  return PendingState::kExpired;
}

std::string TextsJson(const std::vector<std::string>& texts, std::size_t from, std::size_t to) {
  std::string out = "[";
  for (std::size_t i = from; i < to; ++i) {
    if (i > from) out += ',';
    json_write::WriteString(out, texts[i]);
  }
  return out + "]";
}

Result<void> CheckName(const std::string& field, const std::string& value, std::size_t max_chars) {
  if (text::Trim(value).empty() || !text::IsValidUtf8(value) || text::HasControlChars(value) || text::CodePointCount(value) > max_chars) {
    return Error::Invalid(field, "invalid", "Give a name of 1 to " + std::to_string(max_chars) + " characters.");
  }
  return Ok();
}

Result<void> CheckLimit(const std::string& field, std::optional<std::int64_t> v) {
  if (v && (*v < 0 || *v > kLimitMax)) return Error::Invalid(field, "out_of_range", "A limit is between 0 and 10^15 minor units.");
  return Ok();
}

// The currency in kCurrencyColumns, from column `at` of the row on.
Currency CurrencyOf(const store::Row& r, int at = 0) {
  Currency c;
  c.id = r.Int(at);
  c.organisation_id = r.Int(at + 1);
  c.def.code = r.Text(at + 2);
  c.def.name = r.Text(at + 3);
  c.def.unit = r.Text(at + 4);
  c.def.decimals = r.Int(at + 5);
  c.def.default_credit_limit = r.Int(at + 6);
  c.def.default_upper_limit = r.OptInt(at + 7);
  c.created_at = r.Text(at + 8);
  return c;
}

constexpr std::string_view kCurrencyColumns = "id, organisation_id, code, name, unit, decimals, default_credit_limit, default_upper_limit, created_at";
const std::string kCurrencyColumnsOfC = OfTable(kCurrencyColumns, "c");

constexpr std::string_view kAccountColumns = "id, currency_id, credit_limit, upper_limit, status, balance, debits_pending, credits_pending";

Account AccountOf(const store::Row& r) {
  return Account{r.Int(0), r.Int(1), r.Int(2), r.OptInt(3), ParseAccountStatus(r.Text(4)).value_or(AccountStatus::kOpen), r.Int(5), r.Int(6), r.Int(7)};
}


}  // namespace

Ledger::Ledger(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

Ledger::~Ledger() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

Result<void> Ledger::Load(Conn& conn) {
  Book fresh;
  SOLIDUM_ASSIGN_OR_RETURN(auto state, conn.QueryOne("SELECT version, balances_seq FROM ledger_state WHERE id = 1", {}));
  if (!state) return Error::Internal("the ledger's state row is missing");
  SOLIDUM_ASSIGN_OR_RETURN(auto accounts, conn.Query("SELECT " + std::string(kAccountColumns) + ", last_seq FROM ledger_accounts"));
  std::unordered_map<std::int64_t, Account> loaded;
  loaded.reserve(accounts.size());
  for (const auto& r : accounts) {
    Account a = AccountOf(r);
    loaded.emplace(a.id, a);
  }
  // What moved since the checkpoint: posted amounts move balances; reservations are
  // recomputed from the pending transfers still open.
  std::unordered_map<std::int64_t, Account> now = loaded;
  for (auto& [id, a] : now) a.debits_pending = a.credits_pending = 0;
  std::unordered_map<std::int64_t, std::int64_t> last_seq;
  for (const auto& r : accounts) {
    if (r.Int(8) != 0) last_seq[r.Int(0)] = r.Int(8);
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto since, conn.Query("SELECT seq, debit_account_id, credit_account_id, amount, flags, at_us FROM transfers WHERE seq > ? ORDER BY seq",
                                                  {state->Int(1)}));
  day_stats_.clear();
  active_.clear();
  for (const auto& r : since) {
    auto debit = now.find(r.Int(1)), credit = now.find(r.Int(2));
    if (debit == now.end() || credit == now.end()) return Error::Internal("a transfer names an account that is not stored");
    if (MovesBalances(static_cast<std::uint32_t>(r.Int(4)))) {
      debit->second.balance -= r.Int(3);
      credit->second.balance += r.Int(3);
      ledger::Transfer t;
      t.debit_account = r.Int(1);
      t.credit_account = r.Int(2);
      t.amount = r.Int(3);
      t.at_us = r.Int(5);
      Count(t, debit->second.currency);
    }
    last_seq[r.Int(1)] = last_seq[r.Int(2)] = r.Int(0);
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto max_seq, conn.QueryOne("SELECT COALESCE(MAX(seq), 0) FROM transfers", {}));
  SOLIDUM_ASSIGN_OR_RETURN(auto pending, conn.Query("SELECT " + std::string(kTransferColumns) + " FROM transfers t WHERE (t.flags & 2) <> 0 "
                                                    "AND NOT EXISTS (SELECT 1 FROM transfers s WHERE s.pending_id = t.id)"));
  for (const auto& r : pending) {
    auto t = TransferOf(r);
    auto debit = now.find(t.debit_account), credit = now.find(t.credit_account);
    if (debit == now.end() || credit == now.end()) return Error::Internal("a transfer names an account that is not stored");
    debit->second.debits_pending += t.amount;
    credit->second.credits_pending += t.amount;
    fresh.PutPending(t);
  }
  std::unordered_set<std::int64_t> dirty;
  for (const auto& [id, a] : now) {
    const Account& stored = loaded.at(id);
    if (a.balance != stored.balance || a.debits_pending != stored.debits_pending || a.credits_pending != stored.credits_pending) dirty.insert(id);
    fresh.Put(a);
  }
  for (const auto& r : since) dirty.insert({r.Int(1), r.Int(2)});
  supply_.clear();
  for (const auto& [id, a] : now) supply_[a.currency] += std::max<std::int64_t>(a.balance, 0);
  book_ = std::move(fresh);
  dirty_ = std::move(dirty);
  last_seq_ = std::move(last_seq);
  next_seq_ = max_seq->Int(0) + 1;
  version_ = state->Int(0);
  return Ok();
}

void Ledger::Count(const ledger::Transfer& t, std::int64_t currency) {
  const std::int64_t day = t.at_us / kDayMicros;
  auto& d = day_stats_[{currency, day}];
  ++d.trades;
  d.volume += t.amount;
  active_.insert({currency, day, t.debit_account});
  active_.insert({currency, day, t.credit_account});
}

Result<void> Ledger::LoadInReadTransaction(Conn& conn) {
  SOLIDUM_TRY(conn.Begin(TxKind::kRead));
  auto loaded = Load(conn);
  if (!loaded.ok()) {
    (void)conn.Rollback();
    return loaded;
  }
  return conn.Commit();
}

Result<void> Ledger::Checkpoint(Conn& conn) {
  std::vector<std::vector<Value>> balances;
  balances.reserve(dirty_.size());
  for (std::int64_t id : dirty_) {
    const Account* a = book_.Find(id);
    auto last = last_seq_.find(id);
    balances.push_back({a->balance, a->debits_pending, a->credits_pending, last == last_seq_.end() ? 0 : last->second, id});
  }
  SOLIDUM_TRY(conn.ExecMany("UPDATE ledger_accounts SET balance = ?, debits_pending = ?, credits_pending = ?, last_seq = ? WHERE id = ?", balances));
  SOLIDUM_TRY(conn.Exec("UPDATE ledger_state SET balances_seq = ? WHERE id = 1", {next_seq_ - 1}));
  std::vector<std::vector<Value>> days;
  for (const auto& [key, d] : day_stats_) {
    days.push_back({key.first, DayName(key.second), d.trades, d.volume, supply_[key.first]});
  }
  SOLIDUM_TRY(conn.ExecMany("INSERT INTO ledger_daily (currency_id, day, trades, volume, supply) VALUES (?, ?, ?, ?, ?) "
                            "ON CONFLICT (currency_id, day) DO UPDATE SET trades = ledger_daily.trades + excluded.trades, "
                            "volume = ledger_daily.volume + excluded.volume, supply = excluded.supply",
                            days));
  std::set<std::tuple<std::int64_t, std::string, std::int64_t>> months;
  for (const auto& [currency, day, account] : active_) months.emplace(currency, DayName(day).substr(0, 7), account);
  std::vector<std::vector<Value>> active;
  for (const auto& [currency, month, account] : months) active.push_back({currency, month, account});
  SOLIDUM_TRY(conn.ExecMany("INSERT INTO ledger_active (currency_id, month, account_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", active));
  day_stats_.clear();
  active_.clear();
  dirty_.clear();  // a failed commit reloads, which finds them again
  return Ok();
}

Result<void> Ledger::Start() {
  {
    std::lock_guard lock(mu_);
    if (started_) return Error::Internal("the ledger is already started");
  }
  {
    auto conn = store_.Acquire();
    std::lock_guard lock(book_mu_);
    SOLIDUM_TRY(LoadInReadTransaction(*conn));
    last_checkpoint_us_ = clock_.NowMicros();
  }
  std::lock_guard lock(mu_);
  started_ = true;
  writer_ = std::thread([this] { Loop(); });
  return Ok();
}

void Ledger::Enqueue(std::unique_ptr<Job> job) {
  {
    std::lock_guard lock(mu_);
    if (started_ && !stopping_) {
      queue_.push_back(std::move(job));
      job = nullptr;
    }
  }
  if (job) {
    job->done(*job, Error::Make(ErrorKind::kUnavailable, "ledger_stopped", "The ledger is not running."));
    return;
  }
  cv_.notify_one();
}

Result<void> Ledger::RunJob(std::unique_ptr<Job> job) {
  std::promise<Result<void>> promise;
  auto result = promise.get_future();
  job->done = [&promise](Job&, Result<void> r) { promise.set_value(std::move(r)); };
  Enqueue(std::move(job));
  return result.get();
}

Result<std::vector<Outcome>> Ledger::Transfer(std::vector<TransferRequest> batch) {
  std::promise<Result<std::vector<Outcome>>> promise;
  auto result = promise.get_future();
  TransferAsync(std::move(batch), [&promise](Result<std::vector<Outcome>> r) { promise.set_value(std::move(r)); });
  return result.get();
}

void Ledger::TransferAsync(std::vector<TransferRequest> batch, TransferDone done) {
  if (batch.size() > kTransfersPerBatchMax) {
    done(Error::Invalid("", "too_many_transfers", "At most " + std::to_string(kTransfersPerBatchMax) + " transfers at once."));
    return;
  }
  if (batch.empty()) {
    done(std::vector<Outcome>{});
    return;
  }
  auto job = std::make_unique<Job>();
  job->transfers = std::move(batch);
  job->done = [done = std::move(done)](Job& j, Result<void> r) {
    if (r.ok()) done(std::move(j.outcomes));
    else done(r.error());
  };
  Enqueue(std::move(job));
}

void Ledger::Loop() {
  for (;;) {
    Round round;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_ || !queue_.empty(); });
      const bool last = queue_.empty() && stopping_;
      if (queue_.empty()) {
        // Woken by the clock (or stopping): a round only if a pending transfer has lapsed
        // or balances wait for their checkpoint.
        lock.unlock();
        std::lock_guard book_lock(book_mu_);
        const std::int64_t now = clock_.NowMicros();
        const bool due = !dirty_.empty() && (last || now - last_checkpoint_us_ >= kCheckpointMicros);
        if (!due && !book_.AnyExpired(now)) {
          if (last) return;
          continue;
        }
        if (last) last_checkpoint_us_ = 0;  // the final round checkpoints whatever its time
        lock.lock();
      }
      std::size_t transfers = 0;
      while (!queue_.empty() && (round.empty() || transfers + queue_.front()->transfers.size() <= kTransfersPerRoundMax)) {
        transfers += queue_.front()->transfers.size();
        round.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    auto conn = store_.Acquire();
    std::lock_guard book_lock(book_mu_);
    Result<void> result = Ok();
    // Optimistic first (unless a retry was seen lately); once more, carefully, on a conflict.
    for (bool careful = clock_.NowMicros() < careful_until_us_;; careful = true) {
      for (auto& job : round) job->failed.reset();
      result = conn->Begin(TxKind::kWrite);
      if (result.ok()) {
        result = RunRound(*conn, round, careful);
        if (result.ok()) result = conn->Commit();
        if (!result.ok()) (void)conn->Rollback();
      }
      if (result.ok()) break;
      // Memory ran ahead of a transaction that did not commit: start again from the store.
      auto reloaded = LoadInReadTransaction(*conn);
      if (!reloaded.ok()) {
        result = reloaded.error();
        break;
      }
      if (careful || result.error().kind != ErrorKind::kConflict) break;
      careful_until_us_ = clock_.NowMicros() + kCarefulMicros;
    }
    if (result.ok()) {
      std::lock_guard lock(mu_);
      ++rounds_;
    }
    for (auto& job : round) job->done(*job, result.ok() && job->failed ? Result<void>(*job->failed) : result);
  }
}

Result<void> Ledger::RunRound(Conn& conn, Round& round, bool careful) {
  // Another server's writer ran since our last round: start from what it left.
  SOLIDUM_ASSIGN_OR_RETURN(auto version, conn.QueryOne("SELECT version FROM ledger_state WHERE id = 1", {}));
  if (!version) return Error::Internal("the ledger's state row is missing");
  if (version->Int(0) != version_) {
    SOLIDUM_TRY(Load(conn));
  }
  const std::int64_t now = clock_.NowMicros();
  std::vector<Value> inserts;  // rows of kInsertTransferColumns
  // The book's last batch as rows: numbered, each chained to its accounts' previous
  // transfers, with their balances right after it (as the book recorded them).
  auto collect = [&](const Book& book) {
    auto row = [&](const ledger::Transfer& t) {
      AppendRow(t, inserts);
      const std::int64_t seq = next_seq_++;
      auto& debit_last = last_seq_[t.debit_account];
      auto& credit_last = last_seq_[t.credit_account];
      inserts.insert(inserts.end(), {seq, debit_last, credit_last, t.debit_balance, t.credit_balance});
      debit_last = credit_last = seq;
      if (MovesBalances(t.request.flags)) {
        const std::int64_t currency = book.Find(t.debit_account)->currency;
        Count(t, currency);
        auto& supply = supply_[currency];
        supply += std::max<std::int64_t>(t.debit_balance, 0) - std::max<std::int64_t>(t.debit_balance + t.amount, 0);
        supply += std::max<std::int64_t>(t.credit_balance, 0) - std::max<std::int64_t>(t.credit_balance - t.amount, 0);
      }
    };
    inserts.reserve(inserts.size() + (book.accepted().size() + book.settled().size()) * kInsertTransferColumns);
    for (const auto& t : book.accepted()) row(t);
    for (const auto& t : book.settled()) {
      if (t.state == PendingState::kExpired) row(ExpiryOf(t, now));
    }
    // Every account a row names is among them (the book touches both sides of each).
    dirty_.insert(book.changed().begin(), book.changed().end());
  };
  // Pending transfers past their time (the book keeps their deadlines in order).
  if (book_.AnyExpired(now)) {
    book_.Expire(now);
    collect(book_);
  }

  // What the store knows of the ids the round's transfers name, looked up at once. A
  // careful round looks up every id; an optimistic one only the pending transfers that posts
  // and voids name, and takes the others for new: a transfer id stored before then makes
  // the insert conflict, or (if the book refused the transfer) shows up in the check after
  // applying, and the round is run again carefully (Loop). Retries are rare, and a lookup
  // of every id was a fifth of a round (bench/RESULTS.md).
  std::vector<std::string> ids;
  for (auto& job : round) {
    for (const auto& t : job->transfers) {
      if (careful) ids.push_back(t.id);
      if (!t.pending_id.empty()) ids.push_back(t.pending_id);
    }
  }
  std::unordered_map<std::string, ledger::Transfer, text::TransparentHash, std::equal_to<>> known;
  const std::string by_id = "SELECT " + std::string(kTransferColumns) + " FROM transfers WHERE id IN (" + std::string(store::JsonTexts(conn.backend())) + ")";
  const std::string settling = "SELECT pending_id, flags FROM transfers WHERE pending_id IN (" + std::string(store::JsonTexts(conn.backend())) + ")";
  for (std::size_t from = 0; from < ids.size(); from += kLookupChunk) {
    const std::size_t to = std::min(ids.size(), from + kLookupChunk);
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(by_id, {TextsJson(ids, from, to)}));
    std::vector<std::string> pendings;
    for (const auto& r : rows) {
      auto t = TransferOf(r);
      if (t.state == PendingState::kPending) pendings.push_back(t.request.id);
      known[t.request.id] = std::move(t);
    }
    if (pendings.empty()) continue;
    SOLIDUM_ASSIGN_OR_RETURN(auto settled, conn.Query(settling, {TextsJson(pendings, 0, pendings.size())}));
    for (const auto& r : settled) known[r.Text(0)].state = SettledBy(r.Int(1));
  }
  const Known lookup = [&](std::string_view id) -> std::optional<ledger::Transfer> {
    auto it = known.find(id);
    if (it == known.end()) return std::nullopt;
    return it->second;
  };

  std::vector<std::string> unsure;  // optimistic: ids of transfers refused after the id check
  for (auto& job : round) {
    if (job->fn) {
      // In a savepoint: a refused opening (the member has an account) fails alone. The
      // job changes the book only once its writes are done.
      SOLIDUM_TRY(conn.ExecScript("SAVEPOINT job"));
      auto r = job->fn(conn, book_);
      if (!r.ok()) {
        job->failed = r.error();
        SOLIDUM_TRY(conn.ExecScript("ROLLBACK TO SAVEPOINT job"));
      }
      SOLIDUM_TRY(conn.ExecScript("RELEASE SAVEPOINT job"));
      continue;
    }
    job->outcomes = book_.Apply(job->transfers, lookup, now);
    collect(book_);
    if (!careful) {
      // A refusal checked after the id's (a limit, an account...; Refusal lists them in the
      // order they are checked) may hide a replay.
      for (std::size_t i = 0; i < job->outcomes.size(); ++i) {
        const Refusal r = job->outcomes[i].refusal;
        if (r == Refusal::kLinkedEventFailed || r > Refusal::kIdReusedWithDifferentContent) unsure.push_back(job->transfers[i].id);
      }
    }
    // Later batches in this round see this one's transfers as applied before.
    if (&job != &round.back()) {
      for (const auto& t : book_.accepted()) known[t.request.id] = t;
      for (const auto& t : book_.settled()) known[t.request.id] = t;
    }
  }

  for (std::size_t from = 0; from < unsure.size(); from += kLookupChunk) {
    const std::size_t to = std::min(unsure.size(), from + kLookupChunk);
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(by_id, {TextsJson(unsure, from, to)}));
    if (!rows.empty()) return Error::Make(ErrorKind::kConflict, "id_seen_before", "A refused transfer's id was stored before: the round runs again carefully.");
  }
  // An optimistic round's conflict here is an id stored before (Loop runs it again carefully).
  SOLIDUM_TRY(conn.InsertRows(kInsertTransferHead, kInsertTransferColumns, inserts));
  if (now - last_checkpoint_us_ >= kCheckpointMicros) {
    SOLIDUM_TRY(Checkpoint(conn));
    last_checkpoint_us_ = now;
  }
  SOLIDUM_TRY(conn.Exec("UPDATE ledger_state SET version = ? WHERE id = 1", {version_ + 1}));
  ++version_;  // undone by the reload if the commit fails
  return Ok();
}

namespace {

Result<void> CheckCurrencyInput(const CurrencyInput& in) {
  if (in.code.empty() || in.code.size() > kCurrencyCodeBytesMax ||
      in.code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != std::string::npos) {
    return Error::Invalid("/code", "invalid", "A code is 1 to 16 capital letters, digits or dashes.");
  }
  SOLIDUM_TRY(CheckName("/name", in.name, kLedgerNameCharsMax));
  SOLIDUM_TRY(CheckName("/unit", in.unit, 50));
  if (in.decimals < 0 || in.decimals > kDecimalsMax) return Error::Invalid("/decimals", "out_of_range", "Decimals are 0 to 6 (0 for hours).");
  SOLIDUM_TRY(CheckLimit("/default_credit_limit", in.default_credit_limit));
  SOLIDUM_TRY(CheckLimit("/default_upper_limit", in.default_upper_limit));
  return Ok();
}

Result<Currency> InsertCurrency(Conn& conn, std::int64_t organisation, const CurrencyInput& in, const std::string& now) {
  SOLIDUM_ASSIGN_OR_RETURN(auto taken, conn.QueryOne("SELECT 1 FROM currencies WHERE code = ?", {in.code}));
  if (taken) return Error::Make(ErrorKind::kConflict, "code_taken", "The currency code " + in.code + " is taken.");
  SOLIDUM_ASSIGN_OR_RETURN(
      auto row, conn.QueryOne("INSERT INTO currencies (organisation_id, code, name, unit, decimals, default_credit_limit, default_upper_limit, "
                              "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + std::string(kCurrencyColumns),
                              {organisation, in.code, std::string(text::Trim(in.name)), std::string(text::Trim(in.unit)), in.decimals,
                               in.default_credit_limit, Opt(in.default_upper_limit), now}));
  return CurrencyOf(*row);
}

}  // namespace

Result<Currency> Ledger::CreateCurrency(std::int64_t organisation, const CurrencyInput& in) {
  SOLIDUM_TRY(CheckCurrencyInput(in));
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Currency>(store_, TxKind::kWrite,
                                        [&](Conn& conn) -> Result<Currency> { return InsertCurrency(conn, organisation, in, now); });
}

Result<CreatedBook> Ledger::CreateBook(std::int64_t organisation, const BookInput& in) {
  SOLIDUM_TRY(CheckCurrencyInput(in.currency));
  for (std::size_t i = 0; i < in.accounts.size(); ++i) {
    const std::string at = "/accounts/" + std::to_string(i);
    const AccountInput& a = in.accounts[i];
    if (a.member_id) return Error::Invalid(at + "/member_id", "not_a_system_account", "A book's accounts belong to no member.");
    SOLIDUM_TRY(CheckName(at + "/name", a.name, kLedgerNameCharsMax));
    SOLIDUM_TRY(CheckLimit(at + "/credit_limit", a.credit_limit));
    SOLIDUM_TRY(CheckLimit(at + "/upper_limit", a.upper_limit));
  }
  const std::string now = FormatTimestamp(clock_.NowMicros());
  CreatedBook out;
  auto job = std::make_unique<Job>();
  // Through the writer: the accounts are in the book from the same transaction on.
  job->fn = [&](Conn& conn, Book& book) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(out.currency, InsertCurrency(conn, organisation, in.currency, now));
    std::vector<Account> opened;  // into the book once every write is done (an error rolls them back)
    for (const AccountInput& a : in.accounts) {
      Account account;
      account.currency = out.currency.id;
      account.credit_limit = a.credit_limit.value_or(in.currency.default_credit_limit);
      account.upper_limit = a.no_upper_limit ? std::nullopt : (a.upper_limit ? a.upper_limit : in.currency.default_upper_limit);
      SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO ledger_accounts (currency_id, member_id, name, credit_limit, upper_limit, status, "
                                                       "created_at) VALUES (?, NULL, ?, ?, ?, 'open', ?) RETURNING id",
                                                       {out.currency.id, std::string(text::Trim(a.name)), account.credit_limit,
                                                        Opt(account.upper_limit), now}));
      account.id = row->Int(0);
      opened.push_back(account);
      out.accounts.push_back(account.id);
    }
    if (in.also) SOLIDUM_TRY(in.also(conn, out.currency, out.accounts));
    for (const auto& account : opened) book.Put(account);
    return Ok();
  };
  SOLIDUM_TRY(RunJob(std::move(job)));
  return out;
}

Result<Currency> Ledger::GetCurrency(std::int64_t id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT " + std::string(kCurrencyColumns) + " FROM currencies WHERE id = ?", {id}));
  if (!row) return Error::NotFound("No currency " + std::to_string(id) + ".");
  return CurrencyOf(*row);
}

Result<Currency> Ledger::CurrencyByCode(std::string_view code) {
  if (code.empty() || code.size() > kCurrencyCodeBytesMax) return Error::NotFound("No currency has this code.");
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT " + std::string(kCurrencyColumns) + " FROM currencies WHERE code = ?", {std::string(code)}));
  if (!row) return Error::NotFound("No currency has the code " + std::string(code) + ".");
  return CurrencyOf(*row);
}

Result<AccountInfo> Ledger::OpenAccount(std::int64_t currency_id, const AccountInput& in) {
  SOLIDUM_TRY(CheckName("/name", in.name, kLedgerNameCharsMax));
  SOLIDUM_TRY(CheckLimit("/credit_limit", in.credit_limit));
  SOLIDUM_TRY(CheckLimit("/upper_limit", in.upper_limit));
  SOLIDUM_ASSIGN_OR_RETURN(auto currency, GetCurrency(currency_id));
  AccountInfo info;
  info.member_id = in.member_id;
  info.name = std::string(text::Trim(in.name));
  info.state.currency = currency.id;
  info.state.credit_limit = in.credit_limit.value_or(currency.def.default_credit_limit);
  info.state.upper_limit = in.no_upper_limit ? std::nullopt : (in.upper_limit ? in.upper_limit : currency.def.default_upper_limit);
  const std::string now = FormatTimestamp(clock_.NowMicros());
  // Through the writer, so that the book knows the account from the same transaction on.
  auto job = std::make_unique<Job>();
  job->fn = [&](Conn& conn, Book& book) -> Result<void> {
    if (in.member_id) {
      SOLIDUM_ASSIGN_OR_RETURN(auto member, conn.QueryOne("SELECT 1 FROM members WHERE id = ? AND organisation_id = ?",
                                                          {*in.member_id, currency.organisation_id}));
      if (!member) return Error::Invalid("/member_id", "unknown_member", "No such member in the currency's organisation.");
      SOLIDUM_ASSIGN_OR_RETURN(auto has, conn.QueryOne("SELECT id FROM ledger_accounts WHERE currency_id = ? AND member_id = ?",
                                                       {currency.id, *in.member_id}));
      if (has) return Error::Make(ErrorKind::kConflict, "account_exists", "This member already has an account in " + currency.def.code + ".");
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO ledger_accounts (currency_id, member_id, name, credit_limit, upper_limit, status, "
                                                     "created_at) VALUES (?, ?, ?, ?, ?, 'open', ?) RETURNING id",
                                                     {currency.id, Opt(in.member_id), info.name, info.state.credit_limit,
                                                      Opt(info.state.upper_limit), now}));
    info.state.id = row->Int(0);
    book.Put(info.state);
    return Ok();
  };
  SOLIDUM_TRY(RunJob(std::move(job)));
  return info;
}

Result<std::optional<ledger::Transfer>> Ledger::FindTransfer(std::string_view id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT " + std::string(kTransferColumns) + " FROM transfers WHERE id = ?", {std::string(id)}));
  if (!row) return std::optional<ledger::Transfer>();
  return std::optional<ledger::Transfer>(TransferOf(*row));
}

Result<TransferRequest> ReversalOf(const Transfer& original, std::string id, std::string_view reason) {
  if (!MovesBalances(original.request.flags) || original.amount <= 0) {
    return Error::Make(ErrorKind::kConflict, "not_reversible", "Transfer " + original.request.id + " moved nothing (it was " +
                                                                   std::string(EntryKind(original.request.flags)) + "): there is nothing to reverse.");
  }
  TransferRequest r;
  r.id = std::move(id);
  r.debit_account = original.credit_account;
  r.credit_account = original.debit_account;
  r.amount = original.amount;
  static_assert(12 + kTransferIdBytesMax + 2 + kReversalReasonBytesMax <= kMemoBytesMax, "a reversal's memo fits");
  r.memo = "Reversal of " + original.request.id + (reason.empty() ? "" : ": " + std::string(reason));
  return r;
}

Result<Rate> CheckLinkInput(const LinkInput& in) {
  auto rate = ParseRate(in.rate);
  if (!rate) {
    return Error::Invalid("/rate", "invalid_rate", "Write how many units of the second currency one unit of the first is worth, e.g. 12.5 (at most " +
                                                       std::to_string(kRateDecimalsMax) + " decimals).");
  }
  SOLIDUM_TRY(CheckLimit("/clearing_credit_limit_a", in.clearing_credit_limit_a));
  SOLIDUM_TRY(CheckLimit("/clearing_credit_limit_b", in.clearing_credit_limit_b));
  if (in.currency_a == in.currency_b) return Error::Invalid("/currency_b", "same_currency", "Link two different currencies.");
  return *rate;
}

Result<void> CheckNotLinked(Conn& conn, const Currency& a, const Currency& b) {
  SOLIDUM_ASSIGN_OR_RETURN(auto has, conn.QueryOne("SELECT id FROM currency_links WHERE (currency_a = ? AND currency_b = ?) OR (currency_a = ? AND currency_b = ?)",
                                                   {a.id, b.id, b.id, a.id}));
  if (has) return Error::Make(ErrorKind::kConflict, "link_exists", a.def.code + " and " + b.def.code + " are linked already.");
  return Ok();
}

Result<Link> Ledger::CreateLink(const LinkInput& in) {
  SOLIDUM_ASSIGN_OR_RETURN(auto rate, CheckLinkInput(in));
  SOLIDUM_ASSIGN_OR_RETURN(auto a, GetCurrency(in.currency_a));
  SOLIDUM_ASSIGN_OR_RETURN(auto b, GetCurrency(in.currency_b));
  Link link{0, a, b, 0, 0, rate, FormatTimestamp(clock_.NowMicros())};
  auto job = std::make_unique<Job>();
  // Through the writer: the clearing accounts are in the book from the same transaction on.
  job->fn = [&](Conn& conn, Book& book) -> Result<void> {
    SOLIDUM_TRY(CheckNotLinked(conn, a, b));
    std::vector<Account> opened;  // into the book once every write is done (an error rolls them back)
    auto open = [&](const Currency& in_currency, const Currency& other, std::int64_t credit_limit) -> Result<std::int64_t> {
      Account account;
      account.currency = in_currency.id;
      account.credit_limit = credit_limit;
      SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO ledger_accounts (currency_id, member_id, name, credit_limit, upper_limit, status, "
                                                       "created_at) VALUES (?, NULL, ?, ?, NULL, 'open', ?) RETURNING id",
                                                       {in_currency.id, "Clearing: " + other.def.name + " (" + other.def.code + ")", credit_limit,
                                                        link.created_at}));
      account.id = row->Int(0);
      opened.push_back(account);
      return account.id;
    };
    SOLIDUM_ASSIGN_OR_RETURN(link.account_a, open(a, b, in.clearing_credit_limit_a));
    SOLIDUM_ASSIGN_OR_RETURN(link.account_b, open(b, a, in.clearing_credit_limit_b));
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO currency_links (currency_a, currency_b, account_a, account_b, rate_num, rate_den, "
                                                     "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                     {a.id, b.id, link.account_a, link.account_b, link.rate.num, link.rate.den, Opt(in.created_by),
                                                      link.created_at}));
    link.id = row->Int(0);
    if (in.also) SOLIDUM_TRY(in.also(conn, link.id));
    for (const auto& account : opened) book.Put(account);
    return Ok();
  };
  SOLIDUM_TRY(RunJob(std::move(job)));
  return link;
}

namespace {
constexpr std::string_view kLinkColumns = "id, currency_a, currency_b, account_a, account_b, rate_num, rate_den, created_at";
}  // namespace

Result<std::vector<Link>> Ledger::LinksOf(std::int64_t currency) {
  store::Rows rows;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(rows, conn->Query("SELECT id FROM currency_links WHERE currency_a = ? OR currency_b = ? ORDER BY id", {currency, currency}));
  }
  std::vector<Link> out;
  for (const auto& r : rows) {
    SOLIDUM_ASSIGN_OR_RETURN(auto link, GetLink(r.Int(0)));
    out.push_back(std::move(link));
  }
  return out;
}

Result<Link> Ledger::GetLink(std::int64_t id) {
  std::optional<store::Row> row;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(row, conn->QueryOne("SELECT " + std::string(kLinkColumns) + " FROM currency_links WHERE id = ?", {id}));
  }
  if (!row) return Error::NotFound("No link " + std::to_string(id) + ".");
  Link l;
  l.id = row->Int(0);
  SOLIDUM_ASSIGN_OR_RETURN(l.a, GetCurrency(row->Int(1)));
  SOLIDUM_ASSIGN_OR_RETURN(l.b, GetCurrency(row->Int(2)));
  l.account_a = row->Int(3);
  l.account_b = row->Int(4);
  l.rate = Rate{row->Int(5), row->Int(6)};
  l.created_at = row->Text(7);
  return l;
}

Result<AccountInfo> Ledger::ChangeAccount(std::int64_t currency, std::int64_t account, const AccountChange& change) {
  SOLIDUM_TRY(CheckLimit("/credit_limit", change.credit_limit));
  SOLIDUM_TRY(CheckLimit("/upper_limit", change.upper_limit));
  AccountInfo info;
  auto job = std::make_unique<Job>();
  // Through the writer: the book must see the change in the same round as the store.
  job->fn = [&](Conn& conn, Book& book) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kAccountColumns) + ", member_id, name FROM ledger_accounts "
                                                     "WHERE id = ? AND currency_id = ?",
                                                     {account, currency}));
    if (!row) return Error::NotFound("No account " + std::to_string(account) + " in this currency.");
    // The balances as of now are in memory (the stored ones are as of the checkpoint).
    const Account* current = book.Find(account);
    if (!current) return Error::Internal("account " + std::to_string(account) + " is stored but not in memory");
    Account a = *current;
    if (a.status == AccountStatus::kClosed) return Error::Make(ErrorKind::kConflict, "account_closed", "A closed account stays closed.");
    if (change.status == AccountStatus::kClosed && (a.balance != 0 || a.debits_pending != 0 || a.credits_pending != 0)) {
      return Error::Make(ErrorKind::kConflict, "balance_not_zero", "Only an account at zero, with nothing pending, can be closed.");
    }
    if (change.status) a.status = *change.status;
    if (change.credit_limit) a.credit_limit = *change.credit_limit;
    if (change.set_upper_limit) a.upper_limit = change.upper_limit;
    SOLIDUM_TRY(conn.Exec("UPDATE ledger_accounts SET status = ?, credit_limit = ?, upper_limit = ? WHERE id = ?",
                          {std::string(AccountStatusName(a.status)), a.credit_limit, Opt(a.upper_limit), a.id}));
    book.Put(a);
    info = AccountInfo{a, row->OptInt(8), row->Text(9)};
    return Ok();
  };
  SOLIDUM_TRY(RunJob(std::move(job)));
  return info;
}

Result<std::vector<Currency>> Ledger::ListCurrencies(std::int64_t organisation) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kCurrencyColumns) + " FROM currencies WHERE organisation_id = ? ORDER BY code",
                                                  {organisation}));
  std::vector<Currency> out;
  for (const auto& r : rows) out.push_back(CurrencyOf(r));
  return out;
}

Result<std::pair<std::vector<AccountInfo>, std::int64_t>> Ledger::ListAccounts(std::int64_t currency, std::int64_t offset, int limit) {
  limit = std::clamp(limit, 1, static_cast<int>(kAccountsPageMax));
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto total, conn->QueryOne("SELECT COUNT(*) FROM ledger_accounts WHERE currency_id = ?", {currency}));
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kAccountColumns) + ", member_id, name FROM ledger_accounts "
                                                  "WHERE currency_id = ? ORDER BY id LIMIT ? OFFSET ?",
                                                  {currency, static_cast<std::int64_t>(limit), offset}));
  std::vector<AccountInfo> out;
  for (const auto& r : rows) out.push_back(AccountInfo{AccountOf(r), r.OptInt(8), r.Text(9)});
  // The stored balances are as of the last checkpoint; memory has them as committed.
  std::lock_guard lock(book_mu_);
  SOLIDUM_TRY(CatchUp(*conn));
  for (auto& info : out) {
    if (const Account* a = book_.Find(info.state.id)) info.state = *a;
  }
  return std::make_pair(std::move(out), total->Int(0));
}

Result<void> Ledger::CatchUp(Conn& conn) {
  SOLIDUM_ASSIGN_OR_RETURN(auto state, conn.QueryOne("SELECT version FROM ledger_state WHERE id = 1", {}));
  if (!state) return Error::Internal("the ledger's state row is missing");
  if (state->Int(0) == version_) return Ok();
  return LoadInReadTransaction(conn);
}

Result<std::vector<Ledger::HeldAccount>> Ledger::AccountsOfUser(std::int64_t user_id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(
      auto rows, conn->Query("SELECT a.id, a.currency_id, a.credit_limit, a.upper_limit, a.status, a.balance, a.debits_pending, a.credits_pending, "
                             "a.member_id, a.name, " + kCurrencyColumnsOfC + ", o.name FROM ledger_accounts a JOIN members m ON m.id = a.member_id "
                             "JOIN currencies c ON c.id = a.currency_id JOIN organisations o ON o.id = c.organisation_id "
                             "WHERE m.user_id = ? ORDER BY c.code, a.id LIMIT " + std::to_string(kAccountsPageMax),
                             {user_id}));
  std::vector<HeldAccount> out;
  for (const auto& r : rows) {
    HeldAccount h;
    h.account = AccountInfo{AccountOf(r), r.OptInt(8), r.Text(9)};
    h.currency = CurrencyOf(r, 10);
    h.organisation_name = r.Text(19);
    out.push_back(std::move(h));
  }
  // The stored balances are as of the last checkpoint; memory has them as committed.
  std::lock_guard lock(book_mu_);
  SOLIDUM_TRY(CatchUp(*conn));
  for (auto& h : out) {
    if (const Account* a = book_.Find(h.account.state.id)) h.account.state = *a;
  }
  return out;
}

namespace {
// A current, active membership of the user, as of `today` (YYYY-MM-DD), in the organisation
// `o`: SQL conditions on members `m`.
constexpr std::string_view kCurrentMember =
    "m.user_id = ? AND m.status = 'active' AND m.joined_on <= ? AND (m.left_on IS NULL OR m.left_on > ?)";
}  // namespace

Result<std::vector<std::pair<Currency, std::string>>> Ledger::JoinableCurrencies(std::int64_t user_id) {
  const std::string today = FormatTimestamp(clock_.NowMicros()).substr(0, 10);
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(
      auto rows, conn->Query("SELECT " + kCurrencyColumnsOfC + ", o.name FROM members m JOIN currencies c ON c.organisation_id = m.organisation_id "
                             "JOIN organisations o ON o.id = c.organisation_id WHERE " + std::string(kCurrentMember) +
                             " AND NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.currency_id = c.id AND a.member_id = m.id) "
                             "ORDER BY c.code LIMIT " + std::to_string(kAccountsPageMax),
                             {user_id, today, today}));
  std::vector<std::pair<Currency, std::string>> out;
  for (const auto& r : rows) out.emplace_back(CurrencyOf(r), r.Text(9));
  return out;
}

Result<AccountInfo> Ledger::Join(std::int64_t currency_id, std::int64_t user_id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto currency, GetCurrency(currency_id));
  const std::string today = FormatTimestamp(clock_.NowMicros()).substr(0, 10);
  std::optional<store::Row> member;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(member, conn->QueryOne("SELECT m.id, m.name FROM members m WHERE m.organisation_id = ? AND " + std::string(kCurrentMember),
                                                    {currency.organisation_id, user_id, today, today}));
  }
  if (!member) {
    return Error::Make(ErrorKind::kForbidden, "not_a_member", "Only the current members of the organisation that runs " + currency.def.code +
                                                                  " may open an account in it.");
  }
  // A register's names fit an account's (both at most 200 characters).
  return OpenAccount(currency.id, AccountInput{member->Int(0), member->Text(1), std::nullopt, std::nullopt, false});
}

Result<std::vector<std::pair<std::int64_t, std::string>>> Ledger::Directory(std::int64_t currency, std::string_view query, int limit) {
  limit = std::clamp(limit, 1, static_cast<int>(kAccountsPageMax));
  const std::string pattern = text::LikeContains(text::AsciiLower(query));
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT id, name FROM ledger_accounts WHERE currency_id = ? AND status = 'open' "
                                                  "AND LOWER(name) LIKE ? ESCAPE '\\' ORDER BY name, id LIMIT ?",
                                                  {currency, pattern, static_cast<std::int64_t>(limit)}));
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& r : rows) out.emplace_back(r.Int(0), r.Text(1));
  return out;
}

Result<std::unordered_map<std::string, std::vector<std::int64_t>>> Ledger::OpenAccountsNamed(std::int64_t currency,
                                                                                               const std::vector<std::string>& names) {
  std::unordered_map<std::string, std::vector<std::int64_t>> out;
  auto conn = store_.Acquire();
  const std::string sql = "SELECT id, name FROM ledger_accounts WHERE currency_id = ? AND status = 'open' AND name IN (" +
                          std::string(store::JsonTexts(conn->backend())) + ") ORDER BY id";
  for (std::size_t from = 0; from < names.size(); from += kLookupChunk) {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query(sql, {currency, TextsJson(names, from, std::min(names.size(), from + kLookupChunk))}));
    for (const auto& r : rows) out[r.Text(1)].push_back(r.Int(0));
  }
  return out;
}

Result<std::int64_t> Ledger::SystemAccount(std::int64_t currency, const std::string& name) {
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT id FROM ledger_accounts WHERE currency_id = ? AND member_id IS NULL AND name = ? "
                                                      "AND status = 'open' ORDER BY id LIMIT 1",
                                                      {currency, name}));
    if (row) return row->Int(0);
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto opened, OpenAccount(currency, AccountInput{std::nullopt, name, kLimitMax, std::nullopt, true}));
  return opened.state.id;
}

Result<std::unordered_map<std::int64_t, Ledger::Holder>> Ledger::HoldersOf(std::span<const std::int64_t> ids) {
  std::unordered_map<std::int64_t, Holder> out;
  std::vector<std::int64_t> unknown;
  {
    std::lock_guard lock(holders_mu_);
    for (std::int64_t id : ids) {
      if (auto it = holders_.find(id); it != holders_.end()) {
        out.emplace(id, it->second);
      } else {
        unknown.push_back(id);
      }
    }
  }
  if (unknown.empty()) return out;
  std::sort(unknown.begin(), unknown.end());
  unknown.erase(std::unique(unknown.begin(), unknown.end()), unknown.end());
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT a.id, c.organisation_id, a.member_id FROM ledger_accounts a "
                                                  "JOIN currencies c ON c.id = a.currency_id WHERE a.id IN (" +
                                                      std::string(store::JsonIntegers(conn->backend())) + ")",
                                                  {store::JsonArray(unknown)}));
  std::lock_guard lock(holders_mu_);
  if (holders_.size() + rows.size() > kHoldersRememberedMax) holders_.clear();
  for (const auto& r : rows) {
    Holder h{r.Int(1), r.OptInt(2)};
    holders_.insert_or_assign(r.Int(0), h);
    out.emplace(r.Int(0), h);
  }
  return out;
}

Result<std::optional<Account>> Ledger::ReadAccount(std::int64_t id) {
  auto conn = store_.Acquire();
  std::lock_guard lock(book_mu_);  // the writer holds it through each round: memory is as committed
  SOLIDUM_TRY(CatchUp(*conn));
  const Account* a = book_.Find(id);
  if (!a) return std::optional<Account>();
  return std::optional<Account>(*a);
}

std::vector<BalanceStats::Bucket> Histogram(const std::vector<std::int64_t>& sorted, int buckets) {
  __extension__ typedef __int128 Wide;  // spans of int64 values overflow int64
  std::vector<BalanceStats::Bucket> out;
  if (sorted.empty()) return out;
  const std::int64_t lo = sorted.front(), hi = sorted.back();
  // The smallest round width (1, 2 or 5 x 10^k) that covers [lo, hi] in `buckets` bins.
  const Wide span = static_cast<Wide>(hi) - lo + 1;
  Wide width = 1;
  for (Wide scale = 1;; scale *= 10) {
    if (scale * 1 * buckets >= span) { width = scale; break; }
    if (scale * 2 * buckets >= span) { width = scale * 2; break; }
    if (scale * 5 * buckets >= span) { width = scale * 5; break; }
  }
  // Bins aligned on multiples of the width (so zero is an edge), floor division.
  auto floor_to = [&](Wide v) { return (v >= 0 ? v / width : -((-v + width - 1) / width)) * width; };
  Wide from = floor_to(lo);
  std::size_t i = 0;
  while (from <= hi) {
    const Wide to = from + width;
    BalanceStats::Bucket b{static_cast<std::int64_t>(from), static_cast<std::int64_t>(std::min<Wide>(to, INT64_MAX)), 0};
    while (i < sorted.size() && sorted[i] < to) {
      ++b.count;
      ++i;
    }
    out.push_back(b);
    from = to;
  }
  return out;
}

Result<CurrencyStats> Ledger::Statistics(std::int64_t currency, int months) {
  months = std::clamp(months, 1, kStatisticsMonthsMax);
  // The months asked for, oldest first: from the current one back.
  using namespace std::chrono;
  const year_month_day today{floor<days>(sys_time<microseconds>(microseconds(clock_.NowMicros())))};
  year_month ym{today.year(), today.month()};
  std::vector<std::string> names(static_cast<std::size_t>(months));
  for (int i = months - 1; i >= 0; --i, ym -= std::chrono::months(1)) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()));
    names[static_cast<std::size_t>(i)] = buf;
  }
  CurrencyStats out;
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Begin(TxKind::kRead));  // one view of the last checkpoint
  auto read = [&]() -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto accounts, conn->Query("SELECT balance, status FROM ledger_accounts WHERE currency_id = ? ORDER BY balance", {currency}));
    std::vector<std::int64_t> balances;
    balances.reserve(accounts.size());
    BalanceStats& b = out.balances;
    for (const auto& r : accounts) {
      const std::int64_t v = r.Int(0);
      balances.push_back(v);
      (v < 0 ? b.negative : v == 0 ? b.zero : b.positive)++;
      if (v > 0) b.supply += v;
      const auto status = ParseAccountStatus(r.Text(1)).value_or(AccountStatus::kOpen);
      (status == AccountStatus::kOpen ? b.open : status == AccountStatus::kFrozen ? b.frozen : b.closed)++;
    }
    b.accounts = static_cast<std::int64_t>(balances.size());
    if (!balances.empty()) {
      auto at = [&](double q) { return balances[static_cast<std::size_t>(q * static_cast<double>(balances.size() - 1) + 0.5)]; };
      b.min = balances.front();
      b.max = balances.back();
      b.p10 = at(0.1);
      b.median = at(0.5);
      b.p90 = at(0.9);
    }
    b.histogram = Histogram(balances, 20);
    // Supply carried into the first month: the last day before it.
    SOLIDUM_ASSIGN_OR_RETURN(auto before, conn->QueryOne("SELECT supply FROM ledger_daily WHERE currency_id = ? AND day < ? ORDER BY day DESC LIMIT 1",
                                                        {currency, names.front() + "-01"}));
    std::optional<std::int64_t> supply;
    if (before) supply = before->Int(0);
    SOLIDUM_ASSIGN_OR_RETURN(auto days, conn->Query("SELECT day, trades, volume, supply FROM ledger_daily WHERE currency_id = ? AND day >= ? ORDER BY day",
                                                    {currency, names.front() + "-01"}));
    SOLIDUM_ASSIGN_OR_RETURN(auto active, conn->Query("SELECT month, COUNT(*) FROM ledger_active WHERE currency_id = ? AND month >= ? GROUP BY month",
                                                      {currency, names.front()}));
    std::map<std::string, std::int64_t> active_in;
    for (const auto& r : active) active_in[r.Text(0)] = r.Int(1);
    std::size_t d = 0;
    for (const auto& name : names) {
      MonthStats m;
      m.month = name;
      for (; d < days.size() && days[d].Text(0).compare(0, 7, name) == 0; ++d) {
        m.trades += days[d].Int(1);
        m.volume += days[d].Int(2);
        supply = days[d].Int(3);
      }
      m.supply = supply;
      m.active_accounts = active_in.count(name) ? active_in[name] : 0;
      out.months.push_back(std::move(m));
    }
    return Ok();
  };
  auto r = read();
  (void)conn->Rollback();
  SOLIDUM_TRY(r);
  return out;
}

std::string FormatAmount(std::int64_t minor, std::int64_t decimals) {
  const bool negative = minor < 0;
  std::string digits = std::to_string(negative ? -static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor));
  if (decimals > 0) {
    const auto d = static_cast<std::size_t>(decimals);
    if (digits.size() <= d) digits.insert(0, d + 1 - digits.size(), '0');
    digits.insert(digits.size() - d, 1, '.');
  }
  return negative ? "-" + digits : digits;
}

std::string_view EntryKind(std::uint32_t flags) {
  if (flags & kPending) return "pending";
  if (flags & kPostPending) return "posted";
  if (flags & kVoidPending) return "voided";
  if (flags & kExpiry) return "expired";
  return "transfer";
}

Result<std::vector<Entry>> Ledger::Statement(std::int64_t account, std::int64_t before_seq, int limit) {
  limit = std::clamp(limit, 1, kEntriesPageMax);
  auto conn = store_.Acquire();
  std::int64_t start = 0;
  {
    std::lock_guard lock(book_mu_);  // between rounds: last_seq_ is committed
    SOLIDUM_TRY(CatchUp(*conn));
    if (!book_.Find(account)) return Error::NotFound("No account " + std::to_string(account) + ".");
    auto last = last_seq_.find(account);
    start = last == last_seq_.end() ? 0 : last->second;
  }
  if (before_seq > 0) {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT debit_account_id, credit_account_id, debit_prev_seq, credit_prev_seq FROM transfers WHERE seq = ?",
                                                      {before_seq}));
    if (!row || (row->Int(0) != account && row->Int(1) != account) || before_seq > start) {
      return Error::Make(ErrorKind::kNotFound, "unknown_position", "Transfer " + std::to_string(before_seq) + " is not on this account's statement.");
    }
    start = row->Int(0) == account ? row->Int(2) : row->Int(3);
  }
  std::vector<Entry> out;
  if (start == 0) return out;
  // The chain, walked in the database: one query per page.
  SOLIDUM_ASSIGN_OR_RETURN(
      auto rows,
      conn->Query("WITH RECURSIVE chain(seq, n) AS (SELECT CAST(? AS BIGINT), 1 UNION ALL "
                  "SELECT CASE WHEN t.debit_account_id = ? THEN t.debit_prev_seq ELSE t.credit_prev_seq END, chain.n + 1 "
                  "FROM chain JOIN transfers t ON t.seq = chain.seq WHERE chain.n < ?) "
                  "SELECT " + std::string(kTransferColumnsOfT) + ", t.seq, t.debit_balance, t.credit_balance, d.name, c.name "
                  "FROM chain JOIN transfers t ON t.seq = chain.seq JOIN ledger_accounts d ON d.id = t.debit_account_id "
                  "JOIN ledger_accounts c ON c.id = t.credit_account_id ORDER BY chain.n",
                  {start, account, static_cast<std::int64_t>(limit)}));
  for (const auto& r : rows) {
    Entry e;
    e.transfer = TransferOf(r);
    e.seq = r.Int(13);
    const bool paid = e.transfer.debit_account == account;
    if (!paid && e.transfer.credit_account != account) return Error::Internal("transfer " + std::to_string(e.seq) + " is chained to an account it does not name");
    e.balance = paid ? r.Int(14) : r.Int(15);
    if (MovesBalances(e.transfer.request.flags)) e.change = paid ? -e.transfer.amount : e.transfer.amount;
    e.debit_name = r.Text(16);
    e.credit_name = r.Text(17);
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<Account> Ledger::AccountState(std::int64_t id) const {
  std::lock_guard lock(book_mu_);
  const Account* a = book_.Find(id);
  if (!a) return std::nullopt;
  return *a;
}

Result<void> Ledger::Verify() {
  std::lock_guard lock(book_mu_);  // no round in between: memory and store are the same
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto state, conn->QueryOne("SELECT balances_seq FROM ledger_state WHERE id = 1", {}));
  if (!state) return Error::Internal("the ledger's state row is missing");
  // Each account's balance and reservations from its transfers: as of the checkpoint (to
  // compare with the stored ones) and as of now (with memory).
  const std::string moved = "COALESCE((SELECT SUM(amount) FROM transfers t WHERE t.credit_account_id = a.id AND (t.flags & 30) IN (0, 4) AND t.seq <= {SEQ}), 0) - "
                            "COALESCE((SELECT SUM(amount) FROM transfers t WHERE t.debit_account_id = a.id AND (t.flags & 30) IN (0, 4) AND t.seq <= {SEQ}), 0)";
  const std::string reserved = "COALESCE((SELECT SUM(amount) FROM transfers t WHERE t.{SIDE}_account_id = a.id AND (t.flags & 2) <> 0 AND t.seq <= {SEQ} "
                               "  AND NOT EXISTS (SELECT 1 FROM transfers s WHERE s.pending_id = t.id AND s.seq <= {SEQ})), 0)";
  auto at = [](std::string sql, const std::string& seq, const std::string& side = "") {
    for (std::size_t p; (p = sql.find("{SEQ}")) != std::string::npos;) sql.replace(p, 5, seq);
    for (std::size_t p; (p = sql.find("{SIDE}")) != std::string::npos;) sql.replace(p, 6, side);
    return sql;
  };
  const std::string checkpoint = std::to_string(state->Int(0)), all = std::to_string(INT64_MAX);
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT a.id, a.balance, a.debits_pending, a.credits_pending, " + at(moved, checkpoint) + ", " +
                                                  at(reserved, checkpoint, "debit") + ", " + at(reserved, checkpoint, "credit") + ", " + at(moved, all) +
                                                  ", " + at(reserved, all, "debit") + ", " + at(reserved, all, "credit") + " FROM ledger_accounts a ORDER BY a.id"));
  for (const auto& r : rows) {
    const std::int64_t id = r.Int(0);
    const std::string which = "account " + std::to_string(id);
    if (r.Int(1) != r.Int(4) || r.Int(2) != r.Int(5) || r.Int(3) != r.Int(6)) {
      return Error::Internal(which + ": the stored balances differ from what its transfers add up to at the checkpoint");
    }
    const Account* a = book_.Find(id);
    if (!a || a->balance != r.Int(7) || a->debits_pending != r.Int(8) || a->credits_pending != r.Int(9)) {
      return Error::Internal(which + ": memory differs from what its transfers add up to");
    }
  }
  if (rows.size() != book_.accounts()) return Error::Internal("memory holds accounts the store does not");
  return Ok();
}

std::size_t Ledger::rounds() const {
  std::lock_guard lock(mu_);
  return rounds_;
}

}  // namespace solidum::ledger
