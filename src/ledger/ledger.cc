#include "ledger/ledger.h"

#include <algorithm>
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
constexpr std::int64_t kLimitMax = 1'000'000'000'000'000;  // 10^15 minor units
constexpr std::size_t kLookupChunk = 500;

constexpr std::string_view kTransferColumns =
    "id, debit_account_id, credit_account_id, amount, flags, pending_id, timeout_seconds, memo, "
    "requested_debit_account_id, requested_credit_account_id, requested_amount, at_us, expires_at_us";

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

std::vector<Value> RowOf(const Transfer& t) {
  return {t.request.id,
          t.debit_account,
          t.credit_account,
          t.amount,
          static_cast<std::int64_t>(t.request.flags),
          t.request.pending_id.empty() ? Value(Null{}) : Value(t.request.pending_id),
          t.request.timeout_seconds,
          t.request.memo,
          t.request.debit_account,
          t.request.credit_account,
          t.request.amount,
          t.at_us,
          t.expires_at_us};
}

const std::string kInsertTransfer = "INSERT INTO transfers (" + std::string(kTransferColumns) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

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
  return t;
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

Currency CurrencyOf(const store::Row& r) {
  Currency c;
  c.id = r.Int(0);
  c.organisation_id = r.Int(1);
  c.def.code = r.Text(2);
  c.def.name = r.Text(3);
  c.def.unit = r.Text(4);
  c.def.decimals = r.Int(5);
  c.def.default_credit_limit = r.Int(6);
  c.def.default_upper_limit = r.OptInt(7);
  c.created_at = r.Text(8);
  return c;
}

constexpr std::string_view kCurrencyColumns = "id, organisation_id, code, name, unit, decimals, default_credit_limit, default_upper_limit, created_at";

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
  SOLIDUM_ASSIGN_OR_RETURN(auto accounts, conn.Query("SELECT " + std::string(kAccountColumns) + " FROM ledger_accounts"));
  for (const auto& r : accounts) fresh.Put(AccountOf(r));
  SOLIDUM_ASSIGN_OR_RETURN(auto pending, conn.Query("SELECT " + std::string(kTransferColumns) + " FROM transfers t WHERE (t.flags & 2) <> 0 "
                                                    "AND NOT EXISTS (SELECT 1 FROM transfers s WHERE s.pending_id = t.id)"));
  for (const auto& r : pending) fresh.PutPending(TransferOf(r));
  SOLIDUM_ASSIGN_OR_RETURN(auto version, conn.QueryOne("SELECT version FROM ledger_state WHERE id = 1", {}));
  if (!version) return Error::Internal("the ledger's state row is missing");
  book_ = std::move(fresh);
  version_ = version->Int(0);
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
    SOLIDUM_TRY(Load(*conn));
  }
  std::lock_guard lock(mu_);
  started_ = true;
  writer_ = std::thread([this] { Loop(); });
  return Ok();
}

std::future<Result<void>> Ledger::Enqueue(Job& job) {
  auto done = job.done.get_future();
  {
    std::lock_guard lock(mu_);
    if (!started_ || stopping_) {
      job.done.set_value(Error::Make(ErrorKind::kUnavailable, "ledger_stopped", "The ledger is not running."));
      return done;
    }
    queue_.push_back(&job);
  }
  cv_.notify_one();
  return done;
}

Result<std::vector<Outcome>> Ledger::Transfer(std::vector<TransferRequest> batch) {
  if (batch.size() > kTransfersPerBatchMax) {
    return Error::Invalid("", "too_many_transfers", "At most " + std::to_string(kTransfersPerBatchMax) + " transfers at once.");
  }
  Job job;
  job.transfers = std::move(batch);
  if (job.transfers.empty()) return std::vector<Outcome>{};
  SOLIDUM_TRY(Enqueue(job).get());
  return std::move(job.outcomes);
}

void Ledger::Loop() {
  for (;;) {
    std::vector<Job*> round;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      if (queue_.empty()) {
        // Woken by the clock: a round only if a pending transfer has lapsed.
        lock.unlock();
        std::lock_guard book_lock(book_mu_);
        if (!book_.AnyExpired(clock_.NowMicros())) continue;
        lock.lock();
      }
      std::size_t transfers = 0;
      while (!queue_.empty() && (round.empty() || transfers + queue_.front()->transfers.size() <= kTransfersPerRoundMax)) {
        transfers += queue_.front()->transfers.size();
        round.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    auto conn = store_.Acquire();
    std::lock_guard book_lock(book_mu_);
    Result<void> result = conn->Begin(TxKind::kWrite);
    if (result.ok()) {
      result = RunRound(*conn, round);
      if (result.ok()) result = conn->Commit();
      if (!result.ok()) (void)conn->Rollback();
    }
    if (!result.ok()) {
      // Memory ran ahead of a transaction that did not commit: start again from the store.
      auto reloaded = Load(*conn);
      if (!reloaded.ok()) result = reloaded.error();
    } else {
      std::lock_guard lock(mu_);
      ++rounds_;
    }
    for (Job* job : round) job->done.set_value(result.ok() && job->failed ? Result<void>(*job->failed) : result);
  }
}

Result<void> Ledger::RunRound(Conn& conn, std::vector<Job*>& round) {
  // Another server's writer ran since our last round: start from what it left.
  SOLIDUM_ASSIGN_OR_RETURN(auto version, conn.QueryOne("SELECT version FROM ledger_state WHERE id = 1", {}));
  if (!version) return Error::Internal("the ledger's state row is missing");
  if (version->Int(0) != version_) {
    SOLIDUM_TRY(Load(conn));
  }
  const std::int64_t now = clock_.NowMicros();
  std::vector<std::vector<Value>> inserts;
  std::unordered_set<std::int64_t> changed;
  auto collect = [&](const Book& book) {
    for (const auto& t : book.accepted()) inserts.push_back(RowOf(t));
    for (const auto& t : book.settled()) {
      if (t.state == PendingState::kExpired) inserts.push_back(RowOf(ExpiryOf(t, now)));
    }
    for (std::int64_t id : book.changed()) changed.insert(id);
  };
  // Pending transfers past their time, at most once a second (a scan of the open ones).
  if (now - last_expiry_us_ >= 1'000'000) {
    last_expiry_us_ = now;
    book_.Expire(now);
    collect(book_);
  }

  // Every id the round's transfers name, looked up in the store at once.
  std::vector<std::string> ids;
  for (Job* job : round) {
    for (const auto& t : job->transfers) {
      ids.push_back(t.id);
      if (!t.pending_id.empty()) ids.push_back(t.pending_id);
    }
  }
  std::unordered_map<std::string, ledger::Transfer> known;
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
    auto it = known.find(std::string(id));
    if (it == known.end()) return std::nullopt;
    return it->second;
  };

  for (Job* job : round) {
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
    // Later batches in this round see this one's transfers as applied before.
    for (const auto& t : book_.accepted()) known[t.request.id] = t;
    for (const auto& t : book_.settled()) known[t.request.id] = t;
  }

  SOLIDUM_TRY(conn.ExecMany(kInsertTransfer, inserts));
  std::vector<std::vector<Value>> balances;
  balances.reserve(changed.size());
  for (std::int64_t id : changed) {
    const Account* a = book_.Find(id);
    balances.push_back({a->balance, a->debits_pending, a->credits_pending, id});
  }
  SOLIDUM_TRY(conn.ExecMany("UPDATE ledger_accounts SET balance = ?, debits_pending = ?, credits_pending = ? WHERE id = ?", balances));
  SOLIDUM_TRY(conn.Exec("UPDATE ledger_state SET version = ? WHERE id = 1", {version_ + 1}));
  ++version_;  // undone by the reload if the commit fails
  return Ok();
}

Result<Currency> Ledger::CreateCurrency(std::int64_t organisation, const CurrencyInput& in) {
  if (in.code.empty() || in.code.size() > kCurrencyCodeBytesMax ||
      in.code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != std::string::npos) {
    return Error::Invalid("/code", "invalid", "A code is 1 to 16 capital letters, digits or dashes.");
  }
  SOLIDUM_TRY(CheckName("/name", in.name, kLedgerNameCharsMax));
  SOLIDUM_TRY(CheckName("/unit", in.unit, 50));
  if (in.decimals < 0 || in.decimals > kDecimalsMax) return Error::Invalid("/decimals", "out_of_range", "Decimals are 0 to 6 (0 for hours).");
  SOLIDUM_TRY(CheckLimit("/default_credit_limit", in.default_credit_limit));
  SOLIDUM_TRY(CheckLimit("/default_upper_limit", in.default_upper_limit));
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Currency>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Currency> {
    SOLIDUM_ASSIGN_OR_RETURN(auto taken, conn.QueryOne("SELECT 1 FROM currencies WHERE code = ?", {in.code}));
    if (taken) return Error::Make(ErrorKind::kConflict, "code_taken", "The currency code " + in.code + " is taken.");
    SOLIDUM_ASSIGN_OR_RETURN(
        auto row, conn.QueryOne("INSERT INTO currencies (organisation_id, code, name, unit, decimals, default_credit_limit, default_upper_limit, "
                                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + std::string(kCurrencyColumns),
                                {organisation, in.code, std::string(text::Trim(in.name)), std::string(text::Trim(in.unit)), in.decimals,
                                 in.default_credit_limit, Opt(in.default_upper_limit), now}));
    return CurrencyOf(*row);
  });
}

Result<Currency> Ledger::GetCurrency(std::int64_t id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT " + std::string(kCurrencyColumns) + " FROM currencies WHERE id = ?", {id}));
  if (!row) return Error::NotFound("No currency " + std::to_string(id) + ".");
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
  Job job;
  job.fn = [&](Conn& conn, Book& book) -> Result<void> {
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
  auto done = Enqueue(job).get();
  if (!done.ok()) return done.error();
  return info;
}

Result<AccountInfo> Ledger::ChangeAccount(std::int64_t currency, std::int64_t account, const AccountChange& change) {
  SOLIDUM_TRY(CheckLimit("/credit_limit", change.credit_limit));
  SOLIDUM_TRY(CheckLimit("/upper_limit", change.upper_limit));
  AccountInfo info;
  Job job;
  // Through the writer: the book must see the change in the same round as the store.
  job.fn = [&](Conn& conn, Book& book) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kAccountColumns) + ", member_id, name FROM ledger_accounts "
                                                     "WHERE id = ? AND currency_id = ?",
                                                     {account, currency}));
    if (!row) return Error::NotFound("No account " + std::to_string(account) + " in this currency.");
    Account a = AccountOf(*row);
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
  SOLIDUM_TRY(Enqueue(job).get());
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
  return std::make_pair(std::move(out), total->Int(0));
}

Result<std::optional<Account>> Ledger::ReadAccount(std::int64_t id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto r, conn->QueryOne("SELECT " + std::string(kAccountColumns) + " FROM ledger_accounts WHERE id = ?", {id}));
  if (!r) return std::optional<Account>();
  return std::optional<Account>(AccountOf(*r));
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
  SOLIDUM_ASSIGN_OR_RETURN(
      auto rows,
      conn->Query("SELECT a.id, a.balance, a.debits_pending, a.credits_pending, "
                  "COALESCE((SELECT SUM(amount) FROM transfers t WHERE t.credit_account_id = a.id AND (t.flags & 30) IN (0, 4)), 0) - "
                  "COALESCE((SELECT SUM(amount) FROM transfers t WHERE t.debit_account_id = a.id AND (t.flags & 30) IN (0, 4)), 0), "
                  "COALESCE((SELECT SUM(amount) FROM transfers t WHERE t.debit_account_id = a.id AND (t.flags & 2) <> 0 "
                  "  AND NOT EXISTS (SELECT 1 FROM transfers s WHERE s.pending_id = t.id)), 0), "
                  "COALESCE((SELECT SUM(amount) FROM transfers t WHERE t.credit_account_id = a.id AND (t.flags & 2) <> 0 "
                  "  AND NOT EXISTS (SELECT 1 FROM transfers s WHERE s.pending_id = t.id)), 0) "
                  "FROM ledger_accounts a ORDER BY a.id"));
  for (const auto& r : rows) {
    const std::int64_t id = r.Int(0);
    const std::string which = "account " + std::to_string(id);
    if (r.Int(1) != r.Int(4) || r.Int(2) != r.Int(5) || r.Int(3) != r.Int(6)) {
      return Error::Internal(which + ": the stored balances differ from what its transfers add up to");
    }
    const Account* a = book_.Find(id);
    if (!a || a->balance != r.Int(1) || a->debits_pending != r.Int(2) || a->credits_pending != r.Int(3)) {
      return Error::Internal(which + ": memory differs from the store");
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
