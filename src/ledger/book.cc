#include "ledger/book.h"

#include "common/assert.h"
#include "common/text.h"

namespace solidum::ledger {

bool TransferRequest::SameContent(const TransferRequest& o) const {
  return id == o.id && debit_account == o.debit_account && credit_account == o.credit_account && amount == o.amount &&
         flags == o.flags && pending_id == o.pending_id && timeout_seconds == o.timeout_seconds && memo == o.memo;
}

std::string_view AccountStatusName(AccountStatus s) {
  switch (s) {
    case AccountStatus::kFrozen: return "frozen";
    case AccountStatus::kClosed: return "closed";
    default: return "open";
  }
}

std::optional<AccountStatus> ParseAccountStatus(std::string_view name) {
  for (auto s : {AccountStatus::kOpen, AccountStatus::kFrozen, AccountStatus::kClosed}) {
    if (AccountStatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<std::size_t> FailedLink(std::span<const Outcome> chain) {
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (chain[i].refusal != Refusal::kNone && chain[i].refusal != Refusal::kLinkedEventFailed) return i;
  }
  return std::nullopt;
}

std::string_view RefusalCode(Refusal r) {
  static constexpr std::string_view kCodes[kRefusalCount] = {
      "ok",
      "linked_event_failed",
      "linked_event_chain_open",
      "id_invalid",
      "flags_conflict",
      "memo_invalid",
      "amount_not_positive",
      "timeout_invalid",
      "pending_id_invalid",
      "id_reused_with_different_content",
      "pending_transfer_not_found",
      "pending_transfer_not_pending",
      "pending_transfer_already_posted",
      "pending_transfer_already_voided",
      "pending_transfer_expired",
      "pending_transfer_has_different_accounts",
      "exceeds_pending_amount",
      "same_account",
      "debit_account_not_found",
      "credit_account_not_found",
      "currency_mismatch",
      "account_frozen",
      "account_closed",
      "exceeds_credit_limit",
      "exceeds_upper_limit",
      "overflow",
  };
  return kCodes[static_cast<int>(r)];
}

// What a linked chain changed, to put back if one of its transfers is refused.
struct Book::UndoLog {
  std::vector<Account> accounts;  // as they were before the chain first touched them
  std::vector<std::pair<std::string, std::optional<Transfer>>> pending;
  std::vector<std::pair<std::string_view, std::optional<Slot>>> batch;
  std::size_t accepted = 0, settled = 0;
};

void Book::Put(const Account& account) { accounts_[account.id] = account; }

const Account* Book::Find(std::int64_t id) const {
  auto it = accounts_.find(id);
  return it == accounts_.end() ? nullptr : &it->second;
}

void Book::PutPending(const Transfer& t) {
  auto [it, added] = pending_.try_emplace(t.request.id, t);
  if (!added) {
    if (it->second.expires_at_us > 0) deadlines_.erase({it->second.expires_at_us, it->first});
    it->second = t;
  }
  if (t.expires_at_us > 0) deadlines_.emplace(t.expires_at_us, t.request.id);
}

void Book::DropPending(const std::string& id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  if (it->second.expires_at_us > 0) deadlines_.erase({it->second.expires_at_us, id});
  pending_.erase(it);
}

void Book::Touch(std::int64_t account) {
  if (touched_.insert(account).second) changed_.push_back(account);
}

void Book::Reset() {
  batch_.clear();
  accepted_.clear();
  settled_.clear();
  changed_.clear();
  touched_.clear();
}

std::optional<Transfer> Book::Lookup(std::string_view id, const Known& known) const {
  if (auto it = batch_.find(id); it != batch_.end()) {
    return it->second.settled ? settled_[it->second.index] : accepted_[it->second.index];
  }
  if (auto it = pending_.find(id); it != pending_.end()) return it->second;
  return known ? known(id) : std::nullopt;
}

void Book::SaveAccount(std::int64_t id, UndoLog* undo) {
  if (!undo) return;
  for (const auto& a : undo->accounts) {
    if (a.id == id) return;
  }
  undo->accounts.push_back(accounts_.at(id));
}

void Book::SavePending(const std::string& id, UndoLog* undo) {
  if (!undo) return;
  auto it = pending_.find(id);
  undo->pending.emplace_back(id, it == pending_.end() ? std::nullopt : std::optional<Transfer>(it->second));
}

void Book::SaveBatch(std::string_view id, UndoLog* undo) {
  if (!undo) return;
  auto it = batch_.find(id);
  undo->batch.emplace_back(id, it == batch_.end() ? std::nullopt : std::optional<Slot>(it->second));
}

void Book::Rollback(UndoLog& undo) {
  for (const auto& a : undo.accounts) accounts_[a.id] = a;
  for (auto it = undo.pending.rbegin(); it != undo.pending.rend(); ++it) {
    if (it->second) PutPending(*it->second);
    else DropPending(it->first);
  }
  for (auto it = undo.batch.rbegin(); it != undo.batch.rend(); ++it) {
    if (it->second) batch_[it->first] = *it->second;
    else batch_.erase(it->first);
  }
  accepted_.resize(undo.accepted);
  settled_.resize(undo.settled);
}

namespace {

bool ValidText(const std::string& s, std::size_t max_bytes) {
  return s.size() <= max_bytes && text::IsValidUtf8(s) && !text::HasControlChars(s);
}

// An id is one line of printable text: no control character at all (not even a tab).
bool ValidId(const std::string& s) {
  if (s.empty() || s[0] == '~' || !ValidText(s, kTransferIdBytesMax)) return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

int Kinds(std::uint32_t flags) {
  return ((flags & kPending) ? 1 : 0) + ((flags & kPostPending) ? 1 : 0) + ((flags & kVoidPending) ? 1 : 0);
}

}  // namespace

Outcome Book::ApplyOne(const TransferRequest& t, const Known& known, std::int64_t now_us, UndoLog* undo) {
  Outcome out;
  auto refuse = [&](Refusal r) {
    out.refusal = r;
    return out;
  };
  const bool post = (t.flags & kPostPending) != 0, void_ = (t.flags & kVoidPending) != 0, pending = (t.flags & kPending) != 0;
  // The request's own shape.
  if (!ValidId(t.id)) return refuse(Refusal::kIdInvalid);
  if (Kinds(t.flags) > 1 || (t.flags & ~(kLinked | kPending | kPostPending | kVoidPending)) != 0) return refuse(Refusal::kFlagsConflict);
  if (!ValidText(t.memo, kMemoBytesMax)) return refuse(Refusal::kMemoInvalid);
  if (post || void_ ? t.amount < 0 : t.amount <= 0) return refuse(Refusal::kAmountNotPositive);
  if (t.timeout_seconds < 0 || t.timeout_seconds > kTimeoutSecondsMax || (t.timeout_seconds > 0 && !pending)) {
    return refuse(Refusal::kTimeoutInvalid);
  }
  if ((post || void_) != !t.pending_id.empty()) return refuse(Refusal::kPendingIdInvalid);

  // Applied before?
  if (auto earlier = Lookup(t.id, known)) {
    if (!earlier->request.SameContent(t)) return refuse(Refusal::kIdReusedWithDifferentContent);
    out.replayed = true;
    out.transfer = std::move(*earlier);
    return out;
  }

  Transfer applied;
  applied.request = t;
  applied.at_us = now_us;
  applied.debit_account = t.debit_account;
  applied.credit_account = t.credit_account;
  applied.amount = t.amount;
  std::optional<Transfer> reserved;  // post/void: the pending transfer
  if (post || void_) {
    reserved = Lookup(t.pending_id, known);
    if (!reserved) return refuse(Refusal::kPendingTransferNotFound);
    if (!(reserved->request.flags & kPending)) return refuse(Refusal::kPendingTransferNotPending);
    switch (reserved->state) {
      case PendingState::kPosted: return refuse(Refusal::kPendingTransferAlreadyPosted);
      case PendingState::kVoided: return refuse(Refusal::kPendingTransferAlreadyVoided);
      case PendingState::kExpired: return refuse(Refusal::kPendingTransferExpired);
      default: break;
    }
    if (reserved->expires_at_us > 0 && reserved->expires_at_us <= now_us) return refuse(Refusal::kPendingTransferExpired);
    if ((t.debit_account != 0 && t.debit_account != reserved->debit_account) ||
        (t.credit_account != 0 && t.credit_account != reserved->credit_account)) {
      return refuse(Refusal::kPendingTransferHasDifferentAccounts);
    }
    if (t.amount > reserved->amount) return refuse(Refusal::kExceedsPendingAmount);
    applied.debit_account = reserved->debit_account;
    applied.credit_account = reserved->credit_account;
    applied.amount = void_ ? reserved->amount : (t.amount == 0 ? reserved->amount : t.amount);
  }
  if (applied.debit_account == applied.credit_account) return refuse(Refusal::kSameAccount);
  auto d = accounts_.find(applied.debit_account);
  if (d == accounts_.end()) return refuse(Refusal::kDebitAccountNotFound);
  auto c = accounts_.find(applied.credit_account);
  if (c == accounts_.end()) return refuse(Refusal::kCreditAccountNotFound);
  Account& payer = d->second;
  Account& payee = c->second;
  if (payer.currency != payee.currency) return refuse(Refusal::kCurrencyMismatch);
  // A void only releases a reservation: it goes through whatever the accounts' state.
  if (!void_) {
    if (payer.status == AccountStatus::kFrozen || payee.status == AccountStatus::kFrozen) return refuse(Refusal::kAccountFrozen);
    if (payer.status == AccountStatus::kClosed || payee.status == AccountStatus::kClosed) return refuse(Refusal::kAccountClosed);
  }

  // The accounts after the move, in 128 bits so that no check itself overflows.
  __extension__ typedef __int128 Wide;
  Wide payer_balance = payer.balance, payer_pending = payer.debits_pending;
  Wide payee_balance = payee.balance, payee_pending = payee.credits_pending;
  if (post || void_) {
    payer_pending -= reserved->amount;
    payee_pending -= reserved->amount;
    if (post) {
      payer_balance -= applied.amount;
      payee_balance += applied.amount;
    }
  } else if (pending) {
    payer_pending += applied.amount;
    payee_pending += applied.amount;
  } else {
    payer_balance -= applied.amount;
    payee_balance += applied.amount;
  }
  // Limits bind new reservations and plain transfers; posting and voiding only release.
  if (!post && !void_) {
    if (payer_balance - payer_pending < -Wide(payer.credit_limit)) return refuse(Refusal::kExceedsCreditLimit);
    if (payee.upper_limit && payee_balance + payee_pending > Wide(*payee.upper_limit)) return refuse(Refusal::kExceedsUpperLimit);
  }
  constexpr Wide kMax = INT64_MAX, kMin = INT64_MIN;
  for (Wide v : {payer_balance, payer_pending, payee_balance, payee_pending}) {
    if (v > kMax || v < kMin) return refuse(Refusal::kOverflow);
  }

  // Accepted: apply.
  SaveAccount(payer.id, undo);
  SaveAccount(payee.id, undo);
  payer.balance = static_cast<std::int64_t>(payer_balance);
  payer.debits_pending = static_cast<std::int64_t>(payer_pending);
  payee.balance = static_cast<std::int64_t>(payee_balance);
  payee.credits_pending = static_cast<std::int64_t>(payee_pending);
  Touch(payer.id);
  Touch(payee.id);
  applied.debit_balance = payer.balance;
  applied.credit_balance = payee.balance;
  if (pending) {
    applied.state = PendingState::kPending;
    if (t.timeout_seconds > 0) applied.expires_at_us = now_us + t.timeout_seconds * 1'000'000;
    SavePending(t.id, undo);
    PutPending(applied);
  }
  if (post || void_) {
    reserved->state = post ? PendingState::kPosted : PendingState::kVoided;
    SavePending(t.pending_id, undo);
    DropPending(t.pending_id);
    SaveBatch(t.pending_id, undo);
    batch_[t.pending_id] = Slot{true, settled_.size()};
    settled_.push_back(std::move(*reserved));
  }
  SaveBatch(t.id, undo);
  batch_[t.id] = Slot{false, accepted_.size()};
  accepted_.push_back(applied);
  out.transfer = std::move(applied);
  return out;
}

std::vector<Outcome> Book::Apply(std::span<const TransferRequest> batch, const Known& known, std::int64_t now_us) {
  SOLIDUM_ASSERT(batch.size() <= kTransfersPerBatchMax);
  Reset();
  std::vector<Outcome> out(batch.size());
  std::size_t i = 0;
  while (i < batch.size()) {
    // The chain [i, end]: linked transfers and the first one after them that is not.
    std::size_t end = i;
    while (end < batch.size() && (batch[end].flags & kLinked)) ++end;
    if (end == batch.size()) {  // the batch ends inside the chain: none of it goes
      for (std::size_t k = i; k < batch.size(); ++k) {
        out[k].refusal = k + 1 == batch.size() ? Refusal::kLinkedEventChainOpen : Refusal::kLinkedEventFailed;
      }
      break;
    }
    if (end == i) {
      out[i] = ApplyOne(batch[i], known, now_us, nullptr);
    } else {
      UndoLog undo;
      undo.accepted = accepted_.size();
      undo.settled = settled_.size();
      std::size_t failed = end + 1;
      for (std::size_t k = i; k <= end; ++k) {
        out[k] = ApplyOne(batch[k], known, now_us, &undo);
        if (out[k].refusal != Refusal::kNone) {
          failed = k;
          break;
        }
      }
      if (failed <= end) {
        Rollback(undo);
        for (std::size_t k = i; k <= end; ++k) {
          if (k != failed) out[k] = Outcome{Refusal::kLinkedEventFailed, false, {}};
        }
      }
    }
    i = end + 1;
  }
  batch_.clear();  // its keys view `batch`
  return out;
}

void Book::Expire(std::int64_t now_us) {
  Reset();
  while (!deadlines_.empty() && deadlines_.begin()->first <= now_us) {
    const std::string id = deadlines_.begin()->second;
    Transfer t = pending_.at(id);
    DropPending(id);
    Account& payer = accounts_.at(t.debit_account);
    Account& payee = accounts_.at(t.credit_account);
    payer.debits_pending -= t.amount;
    payee.credits_pending -= t.amount;
    Touch(payer.id);
    Touch(payee.id);
    t.state = PendingState::kExpired;
    t.debit_balance = payer.balance;
    t.credit_balance = payee.balance;
    settled_.push_back(std::move(t));
  }
}

bool Book::AnyExpired(std::int64_t now_us) const { return !deadlines_.empty() && deadlines_.begin()->first <= now_us; }

std::pair<std::int64_t, std::int64_t> Book::Sums(std::int64_t currency) const {
  std::int64_t balances = 0, pending = 0;
  for (const auto& [id, a] : accounts_) {
    if (a.currency != currency) continue;
    balances += a.balance;
    pending += a.debits_pending - a.credits_pending;
  }
  return {balances, pending};
}

}  // namespace solidum::ledger
