// The book: the ledger's pure engine. It holds accounts' balances in memory and applies
// batches of transfers to them, deciding each one's fate by fixed rules in a fixed order;
// it reads no store and no clock (the single writer, ledger/writer.h, feeds it, persists
// what it decides, and acknowledges only once that is durable).
//
// Words. A transfer moves `amount` minor units from its debit account (the payer) to its
// credit account (the payee). An account's balance is what it has received minus what it
// has paid, so in a mutual-credit currency balances always sum to zero. An account may go
// down to -credit_limit and up to upper_limit (when it has one).
//
// Two-phase transfers: a `pending` transfer reserves its amount (the payer's available
// balance goes down, the payee's reserved credits go up) until a `post_pending` transfer
// (naming it in pending_id) moves all or part of it, a `void_pending` transfer releases it,
// or its timeout passes (Expire voids it). Linked transfers: a run of transfers each
// flagged `linked`, ended by one that is not, succeeds or fails as one.
//
// Idempotency: a transfer's id is chosen by the client. Applying an id already applied
// (in this batch or before: the caller says which via `Known`) with the same content
// answers that transfer again and moves nothing; with different content it is refused
// (kIdReusedWithDifferentContent). A refused transfer leaves no trace, so its id may be
// sent again (as TigerBeetle does): refusals move nothing, so retrying one is safe.
//
// Not thread-safe: one writer owns a Book.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/text.h"

namespace solidum::ledger {

inline constexpr std::size_t kTransfersPerBatchMax = 8190;
inline constexpr std::size_t kTransferIdBytesMax = 64;
inline constexpr std::size_t kMemoBytesMax = 500;
inline constexpr std::int64_t kTimeoutSecondsMax = 90LL * 24 * 3600;  // a pending transfer waits at most 90 days

enum class AccountStatus : std::uint8_t { kOpen, kFrozen, kClosed };
// "open", "frozen", "closed": in the store and the API.
std::string_view AccountStatusName(AccountStatus s);
std::optional<AccountStatus> ParseAccountStatus(std::string_view name);

struct Account {
  std::int64_t id = 0;
  std::int64_t currency = 0;
  std::int64_t credit_limit = 0;                // >= 0: how far below zero the balance may go
  std::optional<std::int64_t> upper_limit;      // the highest balance allowed, if any
  AccountStatus status = AccountStatus::kOpen;
  std::int64_t balance = 0;                     // posted: received - paid
  std::int64_t debits_pending = 0;              // reserved by pending transfers it pays
  std::int64_t credits_pending = 0;             // reserved by pending transfers it receives
};

// Transfer flags.
inline constexpr std::uint32_t kLinked = 1;
inline constexpr std::uint32_t kPending = 2;
inline constexpr std::uint32_t kPostPending = 4;
inline constexpr std::uint32_t kVoidPending = 8;

struct TransferRequest {
  std::string id;
  std::int64_t debit_account = 0;   // for post/void: 0, or the pending transfer's
  std::int64_t credit_account = 0;  // for post/void: 0, or the pending transfer's
  std::int64_t amount = 0;          // > 0; for post: 0 posts the whole pending amount
  std::uint32_t flags = 0;
  std::string pending_id;           // post/void: the pending transfer's id
  std::int64_t timeout_seconds = 0; // pending: 0 = no timeout
  std::string memo;

  bool SameContent(const TransferRequest& other) const;
};

enum class PendingState : std::uint8_t { kNone, kPending, kPosted, kVoided, kExpired };

// A transfer as the book applied it.
struct Transfer {
  TransferRequest request;           // as the client sent it (compared on a replay)
  std::int64_t debit_account = 0;    // resolved: post/void take the pending transfer's accounts
  std::int64_t credit_account = 0;
  std::int64_t amount = 0;           // what moved (post: 0 asks for the whole pending amount; void: what was released)
  std::int64_t at_us = 0;            // when applied (the batch's time)
  std::int64_t expires_at_us = 0;    // pending with a timeout: when it lapses
  PendingState state = PendingState::kNone;  // pending transfers: where they are now
  // The book's own (accepted() and expiries in settled()): the debit and the credit
  // account's balances right after this transfer, for the statements' running balance.
  std::int64_t debit_balance = 0;
  std::int64_t credit_balance = 0;
};

// Refusals, in the order they are checked: a transfer gets the first that applies.
enum class Refusal : std::uint8_t {
  kNone = 0,
  kLinkedEventFailed,            // another transfer in its linked chain was refused
  kLinkedEventChainOpen,         // the batch ends inside a linked chain
  kIdInvalid,                    // empty, longer than kTransferIdBytesMax, not printable text, or starting with '~' (the system's)
  kFlagsConflict,                // more than one of pending, post_pending, void_pending
  kMemoInvalid,                  // longer than kMemoBytesMax or not text
  kAmountNotPositive,            // <= 0 (post: < 0)
  kTimeoutInvalid,               // a timeout without pending, negative, or over kTimeoutSecondsMax
  kPendingIdInvalid,             // post/void without a pending_id, or a pending_id on another transfer
  kIdReusedWithDifferentContent, // the id was applied before with other content
  kPendingTransferNotFound,
  kPendingTransferNotPending,    // it was never a pending transfer
  kPendingTransferAlreadyPosted,
  kPendingTransferAlreadyVoided,
  kPendingTransferExpired,
  kPendingTransferHasDifferentAccounts,
  kExceedsPendingAmount,         // post more than was reserved
  kSameAccount,
  kDebitAccountNotFound,
  kCreditAccountNotFound,
  kCurrencyMismatch,
  kAccountFrozen,                // the debit or the credit account
  kAccountClosed,
  kExceedsCreditLimit,           // the payer would go below -credit_limit
  kExceedsUpperLimit,            // the payee would go above upper_limit
  kOverflow,                     // a balance would leave 64 bits
};
inline constexpr int kRefusalCount = static_cast<int>(Refusal::kOverflow) + 1;

// The stable code of a refusal ("exceeds_credit_limit"); "ok" for kNone.
std::string_view RefusalCode(Refusal r);

struct Outcome {
  Refusal refusal = Refusal::kNone;
  bool replayed = false;     // the id was applied before with this content: nothing moved
  Transfer transfer;         // accepted or replayed: the transfer as applied
};

// The transfer that made a linked chain fail: the index in `chain` of the first outcome
// refused for a reason of its own (not kLinkedEventFailed); nullopt when none was refused.
std::optional<std::size_t> FailedLink(std::span<const Outcome> chain);

// What the caller knows about ids applied in earlier batches (the store): the transfer,
// or nullopt when the id is new.
using Known = std::function<std::optional<Transfer>(std::string_view id)>;

class Book {
 public:
  // Adds or replaces an account (loaded from the store, or just opened).
  void Put(const Account& account);
  const Account* Find(std::int64_t id) const;
  std::size_t accounts() const { return accounts_.size(); }

  // Applies a batch (at most kTransfersPerBatchMax; more is a bug in the caller) at time
  // `now_us`. One outcome per transfer, in order. Until the next Apply or Expire, for the
  // writer to persist: the transfers accepted (`accepted()`), the pending transfers
  // posted or voided (`settled()`, in their new state), the accounts changed (`changed()`).
  std::vector<Outcome> Apply(std::span<const TransferRequest> batch, const Known& known, std::int64_t now_us);

  // Voids every pending transfer whose timeout has passed by `now_us`; `settled()` and
  // `changed()` then hold them (state kExpired) and their accounts. O(log n) per transfer
  // voided, whatever the number of open ones (the deadlines are kept in order).
  void Expire(std::int64_t now_us);
  bool AnyExpired(std::int64_t now_us) const;  // would Expire(now_us) void anything? O(1)

  // An open pending transfer (loaded from the store at start; its reservation must already
  // be in its accounts' pending totals).
  void PutPending(const Transfer& t);
  std::size_t pending() const { return pending_.size(); }

  const std::vector<Transfer>& accepted() const { return accepted_; }
  const std::vector<Transfer>& settled() const { return settled_; }
  const std::vector<std::int64_t>& changed() const { return changed_; }

  // For `currency`: the sum of balances (0 in mutual credit) and the sum of pending debits
  // minus pending credits (always 0). For checks and tests.
  std::pair<std::int64_t, std::int64_t> Sums(std::int64_t currency) const;

 private:
  struct UndoLog;
  Outcome ApplyOne(const TransferRequest& t, const Known& known, std::int64_t now_us, UndoLog* undo);
  std::optional<Transfer> Lookup(std::string_view id, const Known& known) const;
  void SaveAccount(std::int64_t id, UndoLog* undo);
  void SavePending(const std::string& id, UndoLog* undo);
  void SaveBatch(std::string_view id, UndoLog* undo);
  void Rollback(UndoLog& undo);
  void Touch(std::int64_t account);
  void Reset();
  // With PutPending, every change to pending_ goes through here: both keep deadlines_ in step.
  void DropPending(const std::string& id);

  std::unordered_map<std::int64_t, Account> accounts_;
  std::unordered_map<std::string, Transfer, text::TransparentHash, std::equal_to<>> pending_;  // open pending transfers by id
  std::set<std::pair<std::int64_t, std::string>> deadlines_;  // (expires_at_us, id) of those in pending_ with a timeout
  // Applied or settled in the running batch, by id (views into the batch's requests, so
  // valid during Apply only): where in accepted_ or settled_.
  struct Slot {
    bool settled = false;
    std::size_t index = 0;
  };
  std::unordered_map<std::string_view, Slot> batch_;
  std::vector<Transfer> accepted_;
  std::vector<Transfer> settled_;
  std::vector<std::int64_t> changed_;
  std::unordered_set<std::int64_t> touched_;
};

}  // namespace solidum::ledger
