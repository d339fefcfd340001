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
// Balances are checkpointed, not written every round: ledger_accounts holds them as of
// the transfer numbered ledger_state.balances_seq, rewritten for the accounts that changed
// at most once every kCheckpointMicros (and when the writer stops). Loading adds the
// transfers after it. A round then writes only its transfers: one page per account per
// round was most of a small round's cost.
//
// Idempotency without a lookup per transfer: a round takes the ids it is sent for new and
// relies on the transfers' unique id index. A transfer id stored before (a client's retry)
// makes the insert conflict, or, if the book refused that transfer for a reason checked
// after the id (a limit, an account), shows up in a lookup of the refused ids; either way
// the round is rolled back, the book reloaded and the round run again "carefully", every
// id looked up first, as are all rounds for kCarefulMicros after. The answers are the same
// either way; only the cost of a retry moves.
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
#include <map>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "ledger/book.h"
#include "ledger/exchange.h"
#include "store/store.h"

namespace solidum::ledger {

inline constexpr std::int64_t kDecimalsMax = 6;
inline constexpr std::int64_t kLimitMax = 1'000'000'000'000'000;  // credit and upper limits: 10^15 minor units
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

// A link for trade between two communities (ledger/exchange.h): a clearing account in each
// currency, opened with the link, and the rate.
// A currency with its system accounts, made in one transaction: all or nothing (a
// solidarity fund's book: its pool, income and loss accounts).
struct BookInput {
  CurrencyInput currency;
  std::vector<AccountInput> accounts;  // system accounts: no member_id
  // Other writes that belong to the book, in its transaction (the fund's own row), with the
  // new currency and its accounts' ids in the order given; an error from it undoes all.
  std::function<Result<void>(store::Conn&, const Currency&, const std::vector<std::int64_t>& accounts)> also;
};
struct CreatedBook {
  Currency currency;
  std::vector<std::int64_t> accounts;  // in the order given
};

struct LinkInput {
  std::int64_t currency_a = 0, currency_b = 0;
  std::string rate;                         // one unit of a in units of b ("12.5")
  std::int64_t clearing_credit_limit_a = 0; // how far b's community may owe in a (its members buying from a's, net)
  std::int64_t clearing_credit_limit_b = 0; // and a's community in b
  std::optional<std::int64_t> created_by;   // user id
  // Other writes that belong to the link, in its transaction (accepting a proposal); an
  // error from it undoes the link.
  std::function<Result<void>(store::Conn&, std::int64_t link_id)> also;
};
// The rate of a link as given, after checking what needs no store: the rate, the limits,
// two different currencies. Errors name the field.
Result<Rate> CheckLinkInput(const LinkInput& input);
// kConflict "link_exists" when the two currencies are linked, either way round.
Result<void> CheckNotLinked(store::Conn& conn, const Currency& a, const Currency& b);

struct Link {
  std::int64_t id = 0;
  Currency a, b;
  std::int64_t account_a = 0, account_b = 0;  // clearing accounts: b's community in a, a's in b
  Rate rate;
  std::string created_at;
};

inline constexpr std::size_t kAccountsPageMax = 500;
inline constexpr std::int64_t kCheckpointMicros = 1'000'000;
// After an optimistic round met a transfer id stored before (a client's retry), rounds
// look every id up first for this long: retries come in bursts.
inline constexpr std::int64_t kCarefulMicros = 10'000'000;
inline constexpr int kEntriesPageMax = 1000;

// One line of an account's statement: a transfer to or from it, and what it did.
struct Entry {
  std::int64_t seq = 0;           // the transfer's number: the order of application
  Transfer transfer;              // as stored; its flags say its kind
  std::string debit_name, credit_name;  // the accounts' names
  std::int64_t change = 0;        // on this account's balance: + received, - paid, 0 reserved or released
  std::int64_t balance = 0;       // this account's balance right after it
};

inline constexpr int kStatisticsMonthsMax = 120;

// A currency's activity in one calendar month (UTC).
struct MonthStats {
  std::string month;                    // YYYY-MM
  std::int64_t trades = 0;              // transfers that moved balances (plain and posted)
  std::int64_t volume = 0;              // their total, minor units
  std::int64_t active_accounts = 0;     // accounts that paid or received
  std::optional<std::int64_t> supply;   // the sum of positive balances at the month's last activity (or before)
};

// How a currency's balances are spread, as of the last checkpoint.
struct BalanceStats {
  std::int64_t accounts = 0, open = 0, frozen = 0, closed = 0;
  std::int64_t negative = 0, zero = 0, positive = 0;  // accounts below, at and above zero
  std::int64_t min = 0, p10 = 0, median = 0, p90 = 0, max = 0;
  std::int64_t supply = 0;              // the sum of positive balances (= the sum of debts in mutual credit)
  struct Bucket {
    std::int64_t from = 0, to = 0;      // [from, to)
    std::int64_t count = 0;
  };
  std::vector<Bucket> histogram;        // equal widths of 1, 2 or 5 x 10^k minor units, at most about 20
};

struct CurrencyStats {
  BalanceStats balances;
  std::vector<MonthStats> months;       // oldest first, the current month last
};

// The histogram of `values` (sorted) in at most about `buckets` equal, round-width bins.
std::vector<BalanceStats::Bucket> Histogram(const std::vector<std::int64_t>& sorted, int buckets);

// An amount in minor units as people write it: FormatAmount(-1250, 2) == "-12.50".
std::string FormatAmount(std::int64_t minor, std::int64_t decimals);

// The transfer that undoes `original` (one that moved balances: a plain transfer or a
// post): the same amount back, from its credit account to its debit account, under `id`,
// its memo naming the original and the reason. Errors: kConflict "not_reversible" (a
// pending transfer, a void or an expiry moved nothing to undo).
inline constexpr std::size_t kReversalReasonBytesMax = 300;
Result<TransferRequest> ReversalOf(const Transfer& original, std::string id, std::string_view reason);

// How a stored transfer's flags read on a statement: "transfer", "pending", "posted",
// "voided", "expired".
std::string_view EntryKind(std::uint32_t flags);

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
  // The same with system accounts and other writes, in one transaction through the writer
  // (the accounts are in the book from then on). Errors: CreateCurrency's, the accounts'
  // ("/accounts/<i>/..."), and `also`'s.
  Result<CreatedBook> CreateBook(std::int64_t organisation, const BookInput& input);
  Result<Currency> GetCurrency(std::int64_t id);
  // By its code (codes are unique and public: how another community's admins find it).
  // kNotFound when there is none.
  Result<Currency> CurrencyByCode(std::string_view code);

  // Errors: kNotFound (currency), validation (name, limits; "/member_id" unknown_member
  // when the member is not on the currency's organisation's register), kConflict "account_exists"
  // (the member has one in this currency).
  Result<AccountInfo> OpenAccount(std::int64_t currency, const AccountInput& input);
  // The account as last committed (by this server's writer or another's: then this server
  // catches up first). Null when there is none.
  Result<std::optional<Account>> ReadAccount(std::int64_t id);
  // An account's transfers, newest first: from its latest (before_seq 0), or from the one
  // before `before_seq` (one of the account's: the previous page's last), at most `limit`
  // (1 to kEntriesPageMax). Only committed transfers. Errors: kNotFound (no such account;
  // before_seq not one of its transfers).
  Result<std::vector<Entry>> Statement(std::int64_t account, std::int64_t before_seq, int limit);

  // A currency's statistics: its balances' spread and its last `months` months (1 to
  // kStatisticsMonthsMax, up to the month of `now_us`), as of the last checkpoint (at most
  // about a second old). Reads the writer's daily figures, never the transfers.
  Result<CurrencyStats> Statistics(std::int64_t currency, int months);

  // A committed transfer by its id, as applied (a post: the amount posted and the pending
  // transfer's accounts); nullopt when there is none.
  Result<std::optional<ledger::Transfer>> FindTransfer(std::string_view id);

  // The account as this writer holds it (for tests: equal to ReadAccount between rounds
  // when this is the only server).
  std::optional<Account> AccountState(std::int64_t id) const;

  // Errors: kNotFound (no such account in the currency), validation (limits), kConflict
  // "account_closed" (closed is final), "balance_not_zero" (closing an account that holds
  // or owes anything, or has pending transfers).
  Result<AccountInfo> ChangeAccount(std::int64_t currency, std::int64_t account, const AccountChange& change);

  // Links two currencies for trade and opens their clearing accounts, all at once. Errors:
  // kNotFound (a currency), validation ("/rate", "/currency_b" same_currency, limits),
  // kConflict "link_exists" (the two are linked already, either way round).
  Result<Link> CreateLink(const LinkInput& input);
  Result<Link> GetLink(std::int64_t id);  // kNotFound when there is none
  // The links of a currency (as a or as b), oldest first.
  Result<std::vector<Link>> LinksOf(std::int64_t currency);

  // An organisation's currencies, by code.
  Result<std::vector<Currency>> ListCurrencies(std::int64_t organisation);
  // A currency's accounts as last committed, by id, from `offset` (at most kAccountsPageMax); and how many there are.
  Result<std::pair<std::vector<AccountInfo>, std::int64_t>> ListAccounts(std::int64_t currency, std::int64_t offset, int limit);

  // Applies up to kTransfersPerBatchMax transfers (one Book batch: linked chains within
  // it) and answers one outcome per transfer once they are durable. Errors: the store's,
  // when the round's transaction failed (then nothing in it happened).
  Result<std::vector<Outcome>> Transfer(std::vector<TransferRequest> batch);
  using TransferDone = std::function<void(Result<std::vector<Outcome>>)>;
  // The same without waiting: returns at once and calls `done` exactly once, on the
  // writer's thread, when the outcomes are durable (or with the error). `done` runs inside
  // the writer's loop: it must only hand the result on (post it to another thread).
  void TransferAsync(std::vector<TransferRequest> batch, TransferDone done);

  // Whom an account belongs to: its currency's organisation and its member (none for a
  // system account). Facts that never change once the account is open, so they are
  // remembered (up to kHoldersRememberedMax accounts; then forgotten all at once).
  struct Holder {
    std::int64_t organisation = 0;
    std::optional<std::int64_t> member;
  };
  // The holders of those of `ids` that exist (read on every transfer request).
  Result<std::unordered_map<std::int64_t, Holder>> HoldersOf(std::span<const std::int64_t> ids);
  static constexpr std::size_t kHoldersRememberedMax = 1'000'000;

  // The accounts a user holds (as a member of the currencies' organisations), with their
  // currencies and those organisations' names, balances as committed; at most
  // kAccountsPageMax.
  struct HeldAccount {
    AccountInfo account;
    Currency currency;
    std::string organisation_name;
  };
  Result<std::vector<HeldAccount>> AccountsOfUser(std::int64_t user_id);
  // The currencies a user may join: those of the organisations where they are a current,
  // active member, in which they hold no account yet (with the organisations' names).
  Result<std::vector<std::pair<Currency, std::string>>> JoinableCurrencies(std::int64_t user_id);
  // Opens the user's own account in a currency, as the member they are of its organisation
  // (named as on the register, with the currency's default limits): the register is the
  // community's approval, so no admin need act again. Errors: kNotFound (currency),
  // kForbidden "not_a_member" (no current, active membership), kConflict "account_exists".
  Result<AccountInfo> Join(std::int64_t currency, std::int64_t user_id);

  // The currency's open accounts named exactly as in `names`: name -> their ids.
  Result<std::unordered_map<std::string, std::vector<std::int64_t>>> OpenAccountsNamed(std::int64_t currency, const std::vector<std::string>& names);
  // The currency's open system account named `name` (the oldest), opened if there is none,
  // with a credit limit of kLimitMax and no upper limit: a clearing account.
  Result<std::int64_t> SystemAccount(std::int64_t currency, const std::string& name);

  // A currency's open accounts whose names contain `query` (case folded; all when empty),
  // by name, at most `limit` (1 to kAccountsPageMax): whom a member can pay.
  Result<std::vector<std::pair<std::int64_t, std::string>>> Directory(std::int64_t currency, std::string_view query, int limit);

  // Recomputes every balance from the transfers and compares it with the stored balances
  // (as of their checkpoint) and with memory; an error names the first account that
  // differs. For tests and checks.
  Result<void> Verify();

  std::size_t rounds() const;  // transactions committed by the writer, for tests and metrics

 private:
  struct Job {
    std::vector<TransferRequest> transfers;           // a transfer batch, or
    std::function<Result<void>(store::Conn&, Book&)> fn;  // other work in the round's transaction
    std::vector<Outcome> outcomes;
    std::optional<Error> failed;  // fn's own error (its writes rolled back alone)
    std::function<void(Job&, Result<void>)> done;  // called once, by the writer after its round (or at once when stopped)
  };
  using Round = std::vector<std::unique_ptr<Job>>;
  void Enqueue(std::unique_ptr<Job> job);
  // Enqueues a job and waits for its round.
  Result<void> RunJob(std::unique_ptr<Job> job);
  // One round in the open transaction. careful: look up every transfer id in the store
  // first; otherwise take them for new and answer a conflict if one was not (see RunRound).
  Result<void> RunRound(store::Conn& conn, Round& round, bool careful);
  // The book from the store: the checkpointed accounts, the transfers after them, the open
  // pending transfers. Call inside a transaction (a consistent view).
  Result<void> Load(store::Conn& conn);
  Result<void> LoadInReadTransaction(store::Conn& conn);
  // With book_mu_ held: reloads if another server's writer ran since this one's last round.
  Result<void> CatchUp(store::Conn& conn);
  // Writes the balances that changed since the last checkpoint and moves it to the last transfer.
  Result<void> Checkpoint(store::Conn& conn);
  void Loop();

  store::Store& store_;
  const Clock& clock_;
  mutable std::mutex book_mu_;  // the writer holds it while it changes the book
  Book book_;
  std::int64_t version_ = 0;  // ledger_state.version as of the book's last load or round
  std::int64_t last_checkpoint_us_ = 0;
  std::int64_t careful_until_us_ = 0;  // rounds are careful until then, after an id was seen again
  std::unordered_set<std::int64_t> dirty_;  // accounts whose stored balances are behind memory
  std::unordered_map<std::int64_t, std::int64_t> last_seq_;  // each account's latest transfer (absent: none)
  std::int64_t next_seq_ = 1;        // the number the next stored transfer takes
  // Statistics since the checkpoint (written with it; recomputed by Load from the
  // transfers after it, so a reload never counts anything twice or loses it).
  struct DayStats {
    std::int64_t trades = 0, volume = 0;
  };
  std::map<std::pair<std::int64_t, std::int64_t>, DayStats> day_stats_;        // (currency, UTC day number)
  struct Active {  // an account that moved in a currency on a UTC day (its number)
    std::int64_t currency, day, account;
    bool operator==(const Active&) const = default;
  };
  struct ActiveHash {
    std::size_t operator()(const Active& a) const noexcept {
      return std::hash<std::int64_t>{}(a.account) ^ (std::hash<std::int64_t>{}(a.day) * 31 + std::hash<std::int64_t>{}(a.currency)) * 1'000'003;
    }
  };
  std::unordered_set<Active, ActiveHash> active_;
  std::unordered_map<std::int64_t, std::int64_t> supply_;  // per currency: the sum of positive balances now
  void Count(const ledger::Transfer& t, std::int64_t currency);  // a transfer that moved balances, into the statistics
  std::mutex holders_mu_;
  std::unordered_map<std::int64_t, Holder> holders_;  // HoldersOf's memory
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Job>> queue_;
  bool started_ = false, stopping_ = false;
  std::size_t rounds_ = 0;
  std::thread writer_;
};

}  // namespace solidum::ledger
