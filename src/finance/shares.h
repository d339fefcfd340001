// Member shares (issue 7): a co-operative's share capital and its register.
//
// The capital is kept on a ledger book of the organisation's own (Ledger::CreateBook):
// "cash" (what members paid in, never below zero) and a capital account per member (what
// the co-operative owes back, never above zero: no one is repaid more than they put in).
// Share classes (per member class where the statutes say so) have a nominal value, the
// least and most shares a member of the class holds, and how long shares are held before
// they may be redeemed. A member subscribes shares and pays them in instalments (each a
// ledger transfer: member's capital -> cash, idempotent by the caller's id); once paid in
// full, the subscription becomes a numbered certificate. Certificates are transferred to
// another member of the class (the capital moves between their accounts; the price is
// theirs) or redeemed (cash -> member), the last one split when only part of it goes.
//
// A member's vote never depends on the shares held: governance counts members (one
// member, one vote, or by college), never this register.
//
// Money and rows: a payment, transfer or redemption records its row first (posted_at null:
// an outbox) and then posts; Start() posts what a crash left. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "ledger/ledger.h"
#include "store/store.h"

namespace solidum::finance {

inline constexpr std::int64_t kSharesMax = 1'000'000;  // per subscription or movement
inline constexpr std::size_t kShareClassesMax = 50;
inline constexpr std::size_t kShareRequestIdBytesMax = 40;

struct ShareBook {
  std::int64_t organisation_id = 0, currency_id = 0, cash_account = 0;
  std::string code, unit;
  std::int64_t decimals = 2;
};

struct ShareClassInput {
  std::string code, name;
  std::int64_t nominal = 0;              // one share, minor units
  std::string member_class;              // a member class's code; "" for any member
  std::int64_t min_shares = 1, max_shares = 1'000;
  std::int64_t min_holding_years = 0;
};
struct ShareClass : ShareClassInput {
  std::int64_t id = 0;
  std::optional<std::int64_t> member_class_id;
};

struct Subscription {
  std::int64_t id = 0, class_id = 0, member_id = 0;
  std::string class_code, member_name;
  std::int64_t shares = 0, amount = 0, paid = 0;
  std::chrono::year_month_day subscribed_on{};
  std::optional<std::int64_t> certificate_number;
  std::int64_t version = 1;
};

struct Certificate {
  std::int64_t id = 0, number = 0, class_id = 0, member_id = 0, shares = 0;
  std::string class_code, member_name, origin;
  std::chrono::year_month_day issued_on{};
  std::optional<std::chrono::year_month_day> cancelled_on;
};

// One line of the register: a member's shares of a class.
struct Holding {
  std::int64_t member_id = 0;
  std::string member_name, member_number, class_code;
  std::int64_t shares = 0;       // on live certificates
  std::int64_t capital = 0;      // their nominal value
  std::int64_t subscribed = 0;   // shares subscribed, not yet paid in full
  std::int64_t unpaid = 0;       // what is still to pay on them
};

struct ShareRegister {
  std::vector<Holding> holdings;  // by member name, then class
  std::int64_t shares = 0, capital = 0, unpaid = 0, members = 0;
  std::int64_t cash = 0;          // the ledger's cash: paid in, less redeemed
};

struct SubscribeInput {
  std::int64_t class_id = 0, member_id = 0, shares = 0;
  std::chrono::year_month_day subscribed_on{};
};
struct SharePaymentInput {
  std::string request_id;
  std::int64_t amount = 0;
  std::chrono::year_month_day paid_on{};
};
struct ShareMovementInput {
  std::string request_id;
  std::int64_t class_id = 0, from_member = 0;
  std::optional<std::int64_t> to_member;  // a transfer; none: a redemption
  std::int64_t shares = 0;
  std::chrono::year_month_day on{};
};
struct ShareMovement {
  std::int64_t id = 0;
  std::string request_id, kind;
  std::int64_t shares = 0, amount = 0;
  bool replayed = false;
};

class Shares {
 public:
  Shares(store::Store& store, ledger::Ledger& ledger, const Clock& clock);

  // Posts what a crash left unposted. Call once before serving.
  Result<void> Start();

  // The organisation's share-capital book. Errors: the ledger's ("/code", "/unit",
  // "/decimals"; kConflict "code_taken"); kConflict "book_exists".
  Result<ShareBook> Open(std::int64_t organisation, const std::string& code, const std::string& unit, std::int64_t decimals);
  Result<ShareBook> Book(std::int64_t organisation);  // kNotFound before Open

  // Errors: "/code", "/name", "/nominal", "/member_class" (unknown_class), "/min_shares",
  // "/max_shares", "/min_holding_years"; kConflict "code_taken", "too_many_classes".
  Result<ShareClass> CreateClass(std::int64_t organisation, const ShareClassInput& input);
  Result<std::vector<ShareClass>> Classes(std::int64_t organisation);

  // Errors: "/class_id", "/member_id" (not a member now, or of another class than the
  // share class is for), "/shares" (not positive, or more than the class allows with what
  // the member holds and has subscribed), "/subscribed_on".
  Result<Subscription> Subscribe(std::int64_t organisation, const SubscribeInput& input);
  // Errors: "/request_id", "/amount" (not positive, or more than is left to pay),
  // "/paid_on"; kConflict "id_reused_with_different_content", "paid_in_full". The second
  // of the pair: a replay.
  Result<std::pair<Subscription, bool>> Pay(std::int64_t organisation, std::int64_t subscription, const SharePaymentInput& input);
  // A transfer (to_member) or a redemption. Errors: "/request_id", "/shares" (more than
  // held, or leaving a member below the class's minimum, or the receiver above its
  // maximum), "/to_member" (not a member eligible for the class), "/on"; kConflict
  // "holding_period" (redeemed too soon), "cash_insufficient",
  // "id_reused_with_different_content".
  Result<ShareMovement> Move(std::int64_t organisation, const ShareMovementInput& input);

  Result<ShareRegister> Register(std::int64_t organisation);
  Result<std::vector<Subscription>> Subscriptions(std::int64_t organisation, std::optional<std::int64_t> member);
  Result<std::vector<Certificate>> Certificates(std::int64_t organisation, std::optional<std::int64_t> member);

  // A signed-in user's own shares, in every organisation where they are a member.
  struct Own {
    std::int64_t organisation_id = 0, member_id = 0;
    std::string organisation_name, unit;
    std::int64_t decimals = 2;
    std::vector<Certificate> certificates;   // live ones
    std::vector<Subscription> subscriptions; // not yet paid in full
  };
  Result<std::vector<Own>> OfUser(std::int64_t user_id);

 private:
  Result<std::int64_t> MemberAccount(const ShareBook& book, std::int64_t member);
  Result<void> PostPayment(const ShareBook& book, std::int64_t subscription, const std::string& request_id);
  Result<void> PostMovement(const ShareBook& book, std::int64_t movement);
  std::string Now() const;

  store::Store& store_;
  ledger::Ledger& ledger_;
  const Clock& clock_;
  std::mutex accounts_mu_;  // one capital account per member, however many pay at once
};

}  // namespace solidum::finance
