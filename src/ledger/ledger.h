// The ledger service: currencies, accounts and transfers, kept in the Store and applied
// by a single writer.
//
// Every change goes through one writer thread. It takes all the work waiting (transfer
// batches from any number of callers, account openings), applies the transfers to the
// balances it holds in memory (ledger::Book), writes everything in one database
// transaction, commits (an fsync), and only then answers each caller. Nothing is
// acknowledged before it is durable; if the commit fails, every caller in that round gets
// the error and the writer reloads its balances from the store, so memory never runs
// ahead of the disk.
//
// Several servers on one store: each round runs under the store's write lock and starts by
// reading the ledger's version (bumped by every round); a writer that finds another's
// round since its own reloads its balances first. Correct, but each switch costs a
// reload: send a currency's traffic to one server.
//
// Thread-safe. The destructor finishes the work already submitted.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "ledger/book.h"
#include "store/store.h"

namespace solidum::ledger {

inline constexpr std::int64_t kDecimalsMax = 6;
inline constexpr std::size_t kCurrencyCodeBytesMax = 16;
inline constexpr std::size_t kLedgerNameCharsMax = 200;
inline constexpr std::size_t kTransfersPerRoundMax = 2 * kTransfersPerBatchMax;  // one database transaction
// System transfers (expiries) have ids that start with this; clients' may not.
inline constexpr char kSystemIdPrefix = '~';

struct CurrencyInput {
  std::string code;  // A-Z, 0-9 and '-', 1 to kCurrencyCodeBytesMax
  std::string name;
  std::string unit;
  std::int64_t decimals = 0;
  std::int64_t default_credit_limit = 0;
  std::optional<std::int64_t> default_upper_limit;
};

struct Currency {
  std::int64_t id = 0;
  std::int64_t organisation_id = 0;
  CurrencyInput def;
  std::string created_at;
};

struct AccountInput {
  std::optional<std::int64_t> member_id;  // nullopt: a system account
  std::string name;
  std::optional<std::int64_t> credit_limit;  // nullopt: the currency's default
  std::optional<std::int64_t> upper_limit;   // nullopt: the currency's default
  bool no_upper_limit = false;                // true: none, whatever the default
};

struct AccountInfo {
  Account state;
  std::optional<std::int64_t> member_id;
  std::string name;
};

// A change to an account by the currency's admins; what is absent stays.
struct AccountChange {
  std::optional<AccountStatus> status;      // open <-> frozen; closed is final
  std::optional<std::int64_t> credit_limit;  // may be set below the debt: the account then only receives
  bool set_upper_limit = false;              // with upper_limit: nullopt = none
  std::optional<std::int64_t> upper_limit;
};

inline constexpr std::size_t kAccountsPageMax = 500;

class Ledger {
 public:
  Ledger(store::Store& store, const Clock& clock);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Loads the accounts and the open pending transfers, then starts the writer. Once.
  Result<void> Start();

  // Errors: validation (code, name, unit, decimals, limits; the field named), kConflict
  // "code_taken".
  Result<Currency> CreateCurrency(std::int64_t organisation, const CurrencyInput& input);
  Result<Currency> GetCurrency(std::int64_t id);

  // Errors: kNotFound (currency), validation (name, limits; "/member_id" unknown_member
  // when the member is not on the currency's organisation's register), kConflict "account_exists"
  // (the member has one in this currency).
  Result<AccountInfo> OpenAccount(std::int64_t currency, const AccountInput& input);
  // The account as last committed (by this server's writer or another's). Null when there
  // is none.
  Result<std::optional<Account>> ReadAccount(std::int64_t id);
  // The account as this writer holds it (for tests: equal to ReadAccount between rounds
  // when this is the only server).
  std::optional<Account> AccountState(std::int64_t id) const;

  // Errors: kNotFound (no such account in the currency), validation (limits), kConflict
  // "account_closed" (closed is final), "balance_not_zero" (closing an account that holds
  // or owes anything, or has pending transfers).
  Result<AccountInfo> ChangeAccount(std::int64_t currency, std::int64_t account, const AccountChange& change);

  // An organisation's currencies, by code.
  Result<std::vector<Currency>> ListCurrencies(std::int64_t organisation);
  // A currency's accounts as last committed, by id, from `offset` (at most kAccountsPageMax); and how many there are.
  Result<std::pair<std::vector<AccountInfo>, std::int64_t>> ListAccounts(std::int64_t currency, std::int64_t offset, int limit);

  // Applies up to kTransfersPerBatchMax transfers (one Book batch: linked chains within
  // it) and answers one outcome per transfer once they are durable. Errors: the store's,
  // when the round's transaction failed (then nothing in it happened).
  Result<std::vector<Outcome>> Transfer(std::vector<TransferRequest> batch);

  // Recomputes every balance from the transfers and compares it with the stored balances
  // and with memory; an error names the first account that differs. For tests and checks.
  Result<void> Verify();

  std::size_t rounds() const;  // transactions committed by the writer, for tests and metrics

 private:
  struct Job {
    std::vector<TransferRequest> transfers;           // a transfer batch, or
    std::function<Result<void>(store::Conn&, Book&)> fn;  // other work in the round's transaction
    std::vector<Outcome> outcomes;
    std::optional<Error> failed;  // fn's own error (its writes rolled back alone)
    std::promise<Result<void>> done;
  };
  std::future<Result<void>> Enqueue(Job& job);
  Result<void> RunRound(store::Conn& conn, std::vector<Job*>& round);
  Result<void> Load(store::Conn& conn);
  void Loop();

  store::Store& store_;
  const Clock& clock_;
  mutable std::mutex book_mu_;  // the writer holds it while it changes the book
  Book book_;
  std::int64_t version_ = 0;  // ledger_state.version as of the book's last load or round
  std::int64_t last_expiry_us_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job*> queue_;
  bool started_ = false, stopping_ = false;
  std::size_t rounds_ = 0;
  std::thread writer_;
};

}  // namespace solidum::ledger
