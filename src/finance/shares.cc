#include "finance/shares.h"

#include <algorithm>
#include <map>

#include "common/text.h"
#include "finance/records.h"

namespace solidum::finance {

namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;
using store::Conn;
using store::TxKind;

using records::Conflict;
using records::Date;
using records::DateOf;

bool IsCode(std::string_view s) {
  return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; });
}

constexpr std::string_view kClassColumns = "c.id, c.code, c.name, c.nominal, c.member_class_id, COALESCE(m.code, ''), c.min_shares, c.max_shares, c.min_holding_years";
constexpr std::string_view kClassFrom = " FROM share_classes c LEFT JOIN member_classes m ON m.id = c.member_class_id";

ShareClass ClassOf(const store::Row& r) {
  ShareClass c;
  c.id = r.Int(0);
  c.code = r.Text(1);
  c.name = r.Text(2);
  c.nominal = r.Int(3);
  c.member_class_id = r.OptInt(4);
  c.member_class = r.Text(5);
  c.min_shares = r.Int(6);
  c.max_shares = r.Int(7);
  c.min_holding_years = r.Int(8);
  return c;
}

Result<ShareClass> LoadClass(Conn& conn, std::int64_t organisation, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kClassColumns) + std::string(kClassFrom) + " WHERE c.id = ? AND c.organisation_id = ?",
                                                   {id, organisation}));
  if (!row) return Error::Invalid("/class_id", "unknown_class", "This organisation has no share class " + std::to_string(id) + ".");
  return ClassOf(*row);
}

// The member, if they are one of the organisation on `on` and may hold shares of `c`.
Result<std::string> EligibleMember(Conn& conn, std::int64_t organisation, std::int64_t member, const ShareClass& c, year_month_day on, const char* field) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT name, class_id FROM members WHERE id = ? AND organisation_id = ? AND joined_on <= ? "
                                                   "AND (left_on IS NULL OR left_on > ?)",
                                                   {member, organisation, Date(on), Date(on)}));
  if (!row) return Error::Invalid(field, "not_a_member", "Not a member of the organisation on " + Date(on) + ".");
  if (c.member_class_id && row->OptInt(1) != c.member_class_id) {
    return Error::Invalid(field, "wrong_member_class", "Shares of class " + c.code + " are for members of the class " + c.member_class + ".");
  }
  return row->Text(0);
}

// Shares held on live certificates, and subscribed but not yet paid in full.
Result<std::pair<std::int64_t, std::int64_t>> HeldAndPending(Conn& conn, std::int64_t organisation, std::int64_t member, std::int64_t class_id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto held, conn.QueryOne("SELECT COALESCE(SUM(shares), 0) FROM share_certificates WHERE organisation_id = ? AND member_id = ? "
                                                    "AND class_id = ? AND cancelled_on IS NULL",
                                                    {organisation, member, class_id}));
  SOLIDUM_ASSIGN_OR_RETURN(auto pending, conn.QueryOne("SELECT COALESCE(SUM(shares), 0) FROM share_subscriptions WHERE organisation_id = ? AND member_id = ? "
                                                       "AND class_id = ? AND certificate_id IS NULL",
                                                       {organisation, member, class_id}));
  return std::pair{held->Int(0), pending->Int(0)};
}

Result<std::int64_t> IssueCertificate(Conn& conn, std::int64_t organisation, std::int64_t class_id, std::int64_t member, std::int64_t shares,
                                      year_month_day issued_on, const char* origin) {
  SOLIDUM_ASSIGN_OR_RETURN(auto next, conn.QueryOne("SELECT COALESCE(MAX(number), 0) + 1 FROM share_certificates WHERE organisation_id = ?", {organisation}));
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO share_certificates (organisation_id, number, class_id, member_id, shares, issued_on, origin) "
                                                   "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                   {organisation, next->Int(0), class_id, member, shares, Date(issued_on), std::string(origin)}));
  return row->Int(0);
}

constexpr std::string_view kSubscriptionColumns =
    "s.id, s.class_id, s.member_id, c.code, m.name, s.shares, s.amount, s.paid, s.subscribed_on, k.number, s.version";
constexpr std::string_view kSubscriptionFrom =
    " FROM share_subscriptions s JOIN share_classes c ON c.id = s.class_id JOIN members m ON m.id = s.member_id "
    "LEFT JOIN share_certificates k ON k.id = s.certificate_id";

Subscription SubscriptionOf(const store::Row& r) {
  return Subscription{r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Int(5), r.Int(6), r.Int(7), DateOf(r.Text(8)), r.OptInt(9), r.Int(10)};
}

Result<Subscription> LoadSubscription(Conn& conn, std::int64_t organisation, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kSubscriptionColumns) + std::string(kSubscriptionFrom) +
                                                       " WHERE s.id = ? AND s.organisation_id = ?",
                                                   {id, organisation}));
  if (!row) return Error::NotFound("No subscription " + std::to_string(id) + " here.");
  return SubscriptionOf(*row);
}

std::string Prefix(std::int64_t organisation) { return "s" + std::to_string(organisation); }

Result<void> Posted(const std::vector<ledger::Outcome>& outcomes, const char* what) {
  if (auto failed = ledger::FailedLink(outcomes)) {
    return Error::Internal(std::string("the ledger refused a share ") + what + ": " + std::string(ledger::RefusalCode(outcomes[*failed].refusal)));
  }
  return Ok();
}

bool ValidRequestId(const std::string& id) {
  return !id.empty() && id.size() <= kShareRequestIdBytesMax && text::IsValidUtf8(id) && !text::HasControlChars(id);
}

}  // namespace

Shares::Shares(store::Store& store, ledger::Ledger& ledger, const Clock& clock) : store_(store), ledger_(ledger), clock_(clock) {}

std::string Shares::Now() const { return FormatTimestamp(clock_.NowMicros()); }

Result<ShareBook> Shares::Open(std::int64_t organisation, const std::string& code, const std::string& unit, std::int64_t decimals) {
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto has, conn->QueryOne("SELECT 1 FROM share_books WHERE organisation_id = ?", {organisation}));
    if (has) return Conflict("book_exists", "This organisation keeps its share capital already.");
  }
  ledger::BookInput book;
  book.currency = ledger::CurrencyInput{code, "Share capital", unit, decimals, 0, std::nullopt};
  book.accounts = {ledger::AccountInput{std::nullopt, "Cash: share capital paid in", 0, std::nullopt, true}};
  book.also = [&](Conn& conn, const ledger::Currency& c, const std::vector<std::int64_t>& a) -> Result<void> {
    SOLIDUM_TRY(conn.Exec("INSERT INTO share_books (organisation_id, currency_id, cash_account, created_at) VALUES (?, ?, ?, ?)",
                          {organisation, c.id, a.at(0), c.created_at}));
    return Ok();
  };
  SOLIDUM_TRY(ledger_.CreateBook(organisation, book));
  return Book(organisation);
}

Result<ShareBook> Shares::Book(std::int64_t organisation) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT b.organisation_id, b.currency_id, b.cash_account, c.code, c.unit, c.decimals FROM share_books b "
                                                    "JOIN currencies c ON c.id = b.currency_id WHERE b.organisation_id = ?",
                                                    {organisation}));
  if (!row) return Error::NotFound("This organisation keeps no share capital on Solidum yet.");
  return ShareBook{row->Int(0), row->Int(1), row->Int(2), row->Text(3), row->Text(4), row->Int(5)};
}

Result<ShareClass> Shares::CreateClass(std::int64_t organisation, const ShareClassInput& in) {
  std::vector<FieldError> errors;
  if (!IsCode(in.code)) errors.push_back({"/code", "invalid_code", "A short code: lower-case letters, digits, - and _."});
  const std::string name(text::Trim(in.name));
  if (name.empty() || !text::IsValidUtf8(name) || text::HasControlChars(name) || text::CodePointCount(name) > 200) {
    errors.push_back({"/name", "invalid", "1 to 200 characters."});
  }
  if (in.nominal <= 0 || in.nominal > ledger::kLimitMax) errors.push_back({"/nominal", "out_of_range", "A positive amount in minor units."});
  if (in.min_shares < 0 || in.min_shares > kSharesMax) errors.push_back({"/min_shares", "out_of_range", "0 to 1,000,000."});
  if (in.max_shares < std::max<std::int64_t>(in.min_shares, 1) || in.max_shares > kSharesMax) {
    errors.push_back({"/max_shares", "out_of_range", "At least the minimum (and 1), at most 1,000,000."});
  }
  if (in.min_holding_years < 0 || in.min_holding_years > 100) errors.push_back({"/min_holding_years", "out_of_range", "0 to 100 years."});
  // A member's whole holding stays within what the ledger holds, so no amount overflows.
  if (errors.empty() && in.max_shares > ledger::kLimitMax / in.nominal) {
    errors.push_back({"/max_shares", "too_large", "Most shares times the nominal value exceeds what the ledger holds (" + std::to_string(ledger::kLimitMax) + ")."});
  }
  return store::InTransaction<ShareClass>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<ShareClass> {
    std::optional<std::int64_t> member_class;
    if (!in.member_class.empty()) {
      SOLIDUM_ASSIGN_OR_RETURN(auto mc, conn.QueryOne("SELECT id FROM member_classes WHERE organisation_id = ? AND code = ?", {organisation, in.member_class}));
      if (!mc) errors.push_back({"/member_class", "unknown_class", "No member class has the code \"" + in.member_class + "\" here."});
      else member_class = mc->Int(0);
    }
    if (!errors.empty()) return Error::Invalid(std::move(errors));
    SOLIDUM_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*), SUM(CASE WHEN code = ? THEN 1 ELSE 0 END) FROM share_classes WHERE organisation_id = ?",
                                                       {in.code, organisation}));
    if (!count->IsNull(1) && count->Int(1) > 0) return Conflict("code_taken", "A share class has this code already.");
    if (count->Int(0) >= static_cast<std::int64_t>(kShareClassesMax)) return Conflict("too_many_classes", "At most 50 share classes.");
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO share_classes (organisation_id, code, name, nominal, member_class_id, min_shares, max_shares, "
                                                     "min_holding_years, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                     {organisation, in.code, name, in.nominal, store::Opt(member_class), in.min_shares, in.max_shares,
                                                      in.min_holding_years, Now()}));
    ShareClass c;
    static_cast<ShareClassInput&>(c) = in;
    c.name = name;
    c.id = row->Int(0);
    c.member_class_id = member_class;
    return c;
  });
}

Result<std::vector<ShareClass>> Shares::Classes(std::int64_t organisation) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kClassColumns) + std::string(kClassFrom) + " WHERE c.organisation_id = ? ORDER BY c.code",
                                                  {organisation}));
  std::vector<ShareClass> out;
  for (const auto& r : rows) out.push_back(ClassOf(r));
  return out;
}

Result<Subscription> Shares::Subscribe(std::int64_t organisation, const SubscribeInput& in) {
  SOLIDUM_TRY(Book(organisation));
  if (!in.subscribed_on.ok()) return Error::Invalid("/subscribed_on", "invalid_date", "A date, YYYY-MM-DD.");
  SOLIDUM_TRY(records::NotInFuture(in.subscribed_on, clock_.NowMicros(), "/subscribed_on"));
  if (in.shares <= 0 || in.shares > kSharesMax) return Error::Invalid("/shares", "out_of_range", "A positive number of shares.");
  return store::InTransaction<Subscription>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Subscription> {
    SOLIDUM_ASSIGN_OR_RETURN(auto c, LoadClass(conn, organisation, in.class_id));
    SOLIDUM_TRY(EligibleMember(conn, organisation, in.member_id, c, in.subscribed_on, "/member_id"));
    SOLIDUM_ASSIGN_OR_RETURN(auto has, HeldAndPending(conn, organisation, in.member_id, c.id));
    if (has.first + has.second + in.shares > c.max_shares) {
      return Error::Invalid("/shares", "above_maximum", "A member holds at most " + std::to_string(c.max_shares) + " shares of class " + c.code + "; this one has " +
                                                            std::to_string(has.first + has.second) + ", paid or subscribed.");
    }
    if (has.first + has.second + in.shares < c.min_shares) {
      return Error::Invalid("/shares", "below_minimum", "A member holds at least " + std::to_string(c.min_shares) + " shares of class " + c.code + ".");
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO share_subscriptions (organisation_id, class_id, member_id, shares, amount, subscribed_on, created_at) "
                                                     "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                     {organisation, c.id, in.member_id, in.shares, in.shares * c.nominal, Date(in.subscribed_on), Now()}));
    return LoadSubscription(conn, organisation, row->Int(0));
  });
}

Result<std::int64_t> Shares::MemberAccount(const ShareBook& book, std::int64_t member) {
  std::lock_guard lock(accounts_mu_);
  std::string name;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto has, conn->QueryOne("SELECT account_id FROM share_accounts WHERE organisation_id = ? AND member_id = ?", {book.organisation_id, member}));
    if (has) return has->Int(0);
    SOLIDUM_ASSIGN_OR_RETURN(auto m, conn->QueryOne("SELECT name FROM members WHERE id = ?", {member}));
    name = m ? m->Text(0) : std::to_string(member);
  }
  std::string label = "Capital: " + name;
  if (text::CodePointCount(label) > ledger::kLedgerNameCharsMax) label = "Capital: member " + std::to_string(member);
  // Never above zero: the co-operative owes a member back at most what they paid in.
  SOLIDUM_ASSIGN_OR_RETURN(auto account, ledger_.OpenAccount(book.currency_id, ledger::AccountInput{std::nullopt, label, ledger::kLimitMax, 0, false}));
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec("INSERT INTO share_accounts (organisation_id, member_id, account_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                         {book.organisation_id, member, account.state.id}));
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT account_id FROM share_accounts WHERE organisation_id = ? AND member_id = ?", {book.organisation_id, member}));
  if (!row) return Error::Internal("share account row missing after insert");
  return row->Int(0);
}

Result<void> Shares::PostPayment(const ShareBook& book, std::int64_t subscription, const std::string& request_id) {
  store::Row row({});
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto r, conn->QueryOne("SELECT p.amount, p.paid_on, s.member_id, p.posted_at FROM share_payments p "
                                                    "JOIN share_subscriptions s ON s.id = p.subscription_id WHERE p.subscription_id = ? AND p.request_id = ?",
                                                    {subscription, request_id}));
    if (!r) return Error::Internal("share payment row missing");
    if (!r->IsNull(3)) return Ok();
    row = *r;
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto account, MemberAccount(book, row.Int(2)));
  ledger::TransferRequest t;
  t.id = Prefix(book.organisation_id) + "-p" + std::to_string(subscription) + "-" + request_id;
  t.debit_account = account;
  t.credit_account = book.cash_account;
  t.amount = row.Int(0);
  t.memo = "Shares paid on " + row.Text(1) + " (subscription " + std::to_string(subscription) + ")";
  SOLIDUM_ASSIGN_OR_RETURN(auto outcomes, ledger_.Transfer({t}));
  SOLIDUM_TRY(Posted(outcomes, "payment"));
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec("UPDATE share_payments SET posted_at = ? WHERE subscription_id = ? AND request_id = ? AND posted_at IS NULL", {Now(), subscription, request_id}));
  return Ok();
}

Result<std::pair<Subscription, bool>> Shares::Pay(std::int64_t organisation, std::int64_t subscription, const SharePaymentInput& in) {
  SOLIDUM_ASSIGN_OR_RETURN(auto book, Book(organisation));
  std::vector<FieldError> errors;
  if (!ValidRequestId(in.request_id)) errors.push_back({"/request_id", "invalid", "Your id for this payment: 1 to 40 bytes."});
  if (in.amount <= 0 || in.amount > ledger::kLimitMax) errors.push_back({"/amount", "out_of_range", "A positive amount in minor units."});
  if (!in.paid_on.ok()) errors.push_back({"/paid_on", "invalid_date", "A date, YYYY-MM-DD."});
  else if (auto future = records::NotInFuture(in.paid_on, clock_.NowMicros(), "/paid_on"); !future.ok()) errors.push_back(future.error().fields.at(0));
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  using Done = std::pair<Subscription, bool>;
  SOLIDUM_ASSIGN_OR_RETURN(auto done, store::InTransaction<Done>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Done> {
    SOLIDUM_ASSIGN_OR_RETURN(auto s, LoadSubscription(conn, organisation, subscription));
    SOLIDUM_ASSIGN_OR_RETURN(auto before, conn.QueryOne("SELECT amount, paid_on FROM share_payments WHERE subscription_id = ? AND request_id = ?",
                                                        {subscription, in.request_id}));
    if (before) {
      if (before->Int(0) != in.amount || before->Text(1) != Date(in.paid_on)) {
        return Conflict("id_reused_with_different_content", "A payment with this id was recorded with another amount or date.");
      }
      return Done{s, true};
    }
    if (s.paid >= s.amount) return Conflict("paid_in_full", "This subscription is paid in full.");
    if (in.amount > s.amount - s.paid) {
      return Error::Invalid("/amount", "more_than_owed", "At most " + std::to_string(s.amount - s.paid) + " is left to pay on this subscription.");
    }
    if (sys_days(in.paid_on) < sys_days(s.subscribed_on)) return Error::Invalid("/paid_on", "before_subscription", "Not before the subscription.");
    const std::string now = Now();
    SOLIDUM_TRY(conn.Exec("INSERT INTO share_payments (subscription_id, request_id, amount, paid_on, created_at) VALUES (?, ?, ?, ?, ?)",
                          {subscription, in.request_id, in.amount, Date(in.paid_on), now}));
    SOLIDUM_TRY(conn.Exec("UPDATE share_subscriptions SET paid = paid + ?, version = version + 1 WHERE id = ?", {in.amount, subscription}));
    if (s.paid + in.amount == s.amount) {
      SOLIDUM_ASSIGN_OR_RETURN(auto certificate, IssueCertificate(conn, organisation, s.class_id, s.member_id, s.shares, in.paid_on, "subscription"));
      SOLIDUM_TRY(conn.Exec("UPDATE share_subscriptions SET certificate_id = ? WHERE id = ?", {certificate, subscription}));
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto after, LoadSubscription(conn, organisation, subscription));
    return Done{after, false};
  }));
  SOLIDUM_TRY(PostPayment(book, subscription, in.request_id));  // a replay finishes a posting a crash interrupted
  return done;
}

Result<void> Shares::PostMovement(const ShareBook& book, std::int64_t movement) {
  store::Row row({});
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto r, conn->QueryOne("SELECT kind, from_member, to_member, amount, on_date, request_id, posted_at FROM share_movements WHERE id = ?",
                                                    {movement}));
    if (!r) return Error::Internal("share movement row missing");
    if (!r->IsNull(6)) return Ok();
    row = *r;
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto from, MemberAccount(book, row.Int(1)));
  ledger::TransferRequest t;
  const bool transfer = row.Text(0) == "transfer";
  t.id = Prefix(book.organisation_id) + (transfer ? "-t-" : "-r-") + row.Text(5);
  if (transfer) {
    SOLIDUM_ASSIGN_OR_RETURN(t.debit_account, MemberAccount(book, row.Int(2)));
  } else {
    t.debit_account = book.cash_account;
  }
  t.credit_account = from;
  t.amount = row.Int(3);
  t.memo = std::string(transfer ? "Shares transferred" : "Shares redeemed") + " on " + row.Text(4);
  SOLIDUM_ASSIGN_OR_RETURN(auto outcomes, ledger_.Transfer({t}));
  SOLIDUM_TRY(Posted(outcomes, transfer ? "transfer" : "redemption"));
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec("UPDATE share_movements SET posted_at = ? WHERE id = ? AND posted_at IS NULL", {Now(), movement}));
  return Ok();
}

Result<ShareMovement> Shares::Move(std::int64_t organisation, const ShareMovementInput& in) {
  SOLIDUM_ASSIGN_OR_RETURN(auto book, Book(organisation));
  std::vector<FieldError> errors;
  if (!ValidRequestId(in.request_id)) errors.push_back({"/request_id", "invalid", "Your id for this movement: 1 to 40 bytes."});
  if (in.shares <= 0 || in.shares > kSharesMax) errors.push_back({"/shares", "out_of_range", "A positive number of shares."});
  if (!in.on.ok()) errors.push_back({"/on", "invalid_date", "A date, YYYY-MM-DD."});
  else if (auto future = records::NotInFuture(in.on, clock_.NowMicros(), "/on"); !future.ok()) errors.push_back(future.error().fields.at(0));
  if (in.to_member && *in.to_member == in.from_member) errors.push_back({"/to_member", "same_member", "Another member than the one who transfers."});
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  const char* kind = in.to_member ? "transfer" : "redemption";
  SOLIDUM_ASSIGN_OR_RETURN(auto cash, ledger_.ReadAccount(book.cash_account));
  const std::int64_t cash_now = cash ? cash->balance : 0;
  SOLIDUM_ASSIGN_OR_RETURN(auto done, store::InTransaction<ShareMovement>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<ShareMovement> {
    SOLIDUM_ASSIGN_OR_RETURN(auto before, conn.QueryOne("SELECT id, kind, class_id, from_member, to_member, shares, on_date, amount FROM share_movements "
                                                        "WHERE organisation_id = ? AND request_id = ?",
                                                        {organisation, in.request_id}));
    if (before) {
      if (before->Text(1) != kind || before->Int(2) != in.class_id || before->Int(3) != in.from_member || before->OptInt(4) != in.to_member ||
          before->Int(5) != in.shares || before->Text(6) != Date(in.on)) {
        return Conflict("id_reused_with_different_content", "A movement with this id was recorded with other content.");
      }
      return ShareMovement{before->Int(0), in.request_id, kind, in.shares, before->Int(7), true};
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto c, LoadClass(conn, organisation, in.class_id));
    SOLIDUM_ASSIGN_OR_RETURN(auto held, HeldAndPending(conn, organisation, in.from_member, c.id));
    if (in.shares > held.first) {
      return Error::Invalid("/shares", "more_than_held", "The member holds " + std::to_string(held.first) + " paid-up shares of class " + c.code + ".");
    }
    // A member who stays keeps the class's minimum.
    SOLIDUM_ASSIGN_OR_RETURN(auto stays, conn.QueryOne("SELECT 1 FROM members WHERE id = ? AND organisation_id = ? AND (left_on IS NULL OR left_on > ?)",
                                                       {in.from_member, organisation, Date(in.on)}));
    if (stays && held.first - in.shares < c.min_shares) {
      return Error::Invalid("/shares", "below_minimum", "A member keeps at least " + std::to_string(c.min_shares) + " shares of class " + c.code +
                                                            " while a member; redeem the rest when they leave.");
    }
    const std::int64_t amount = in.shares * c.nominal;
    if (in.to_member) {
      SOLIDUM_TRY(EligibleMember(conn, organisation, *in.to_member, c, in.on, "/to_member"));
      SOLIDUM_ASSIGN_OR_RETURN(auto has, HeldAndPending(conn, organisation, *in.to_member, c.id));
      if (has.first + has.second + in.shares > c.max_shares) {
        return Error::Invalid("/shares", "above_maximum", "The receiver would hold more than " + std::to_string(c.max_shares) + " shares of class " + c.code + ".");
      }
    } else if (amount > cash_now) {
      return Conflict("cash_insufficient", "The share capital's cash holds less than this redemption.");
    }
    // Live certificates, oldest first: cancelled until they cover the shares; the last
    // split (its remainder keeps the original date, so the holding period is kept).
    SOLIDUM_ASSIGN_OR_RETURN(auto live, conn.Query("SELECT id, shares, issued_on FROM share_certificates WHERE organisation_id = ? AND member_id = ? "
                                                   "AND class_id = ? AND cancelled_on IS NULL ORDER BY issued_on, number",
                                                   {organisation, in.from_member, c.id}));
    if (!in.to_member && c.min_holding_years > 0) {
      const auto oldest = DateOf(live.front().Text(2));
      const auto allowed = year_month_day(oldest.year() + std::chrono::years(c.min_holding_years), oldest.month(), oldest.day());
      const auto since = allowed.ok() ? allowed : year_month_day(std::chrono::year_month_day_last(allowed.year(), std::chrono::month_day_last(allowed.month())));
      if (sys_days(in.on) < sys_days(since)) {
        return Conflict("holding_period", "Shares of class " + c.code + " are held " + std::to_string(c.min_holding_years) + " years before a redemption: from " +
                                              Date(since) + ".");
      }
    }
    std::int64_t left = in.shares;
    for (const auto& k : live) {
      if (left == 0) break;
      SOLIDUM_TRY(conn.Exec("UPDATE share_certificates SET cancelled_on = ? WHERE id = ?", {Date(in.on), k.Int(0)}));
      const std::int64_t take = std::min(left, k.Int(1));
      if (take < k.Int(1)) SOLIDUM_TRY(IssueCertificate(conn, organisation, c.id, in.from_member, k.Int(1) - take, DateOf(k.Text(2)), "remainder"));
      left -= take;
    }
    if (in.to_member) SOLIDUM_TRY(IssueCertificate(conn, organisation, c.id, *in.to_member, in.shares, in.on, "transfer"));
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO share_movements (organisation_id, request_id, kind, class_id, from_member, to_member, shares, amount, "
                                                     "on_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                     {organisation, in.request_id, std::string(kind), c.id, in.from_member, store::Opt(in.to_member), in.shares,
                                                      amount, Date(in.on), Now()}));
    return ShareMovement{row->Int(0), in.request_id, kind, in.shares, amount, false};
  }));
  SOLIDUM_TRY(PostMovement(book, done.id));
  return done;
}

Result<ShareRegister> Shares::Register(std::int64_t organisation) {
  SOLIDUM_ASSIGN_OR_RETURN(auto book, Book(organisation));
  store::Rows held, pending;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(held, conn->Query("SELECT k.member_id, m.name, COALESCE(m.number, ''), c.code, SUM(k.shares), SUM(k.shares) * c.nominal "
                                               "FROM share_certificates k JOIN members m ON m.id = k.member_id JOIN share_classes c ON c.id = k.class_id "
                                               "WHERE k.organisation_id = ? AND k.cancelled_on IS NULL GROUP BY k.member_id, m.name, m.number, c.code, c.nominal",
                                               {organisation}));
    SOLIDUM_ASSIGN_OR_RETURN(pending, conn->Query("SELECT s.member_id, m.name, COALESCE(m.number, ''), c.code, SUM(s.shares), SUM(s.amount - s.paid) "
                                                  "FROM share_subscriptions s JOIN members m ON m.id = s.member_id JOIN share_classes c ON c.id = s.class_id "
                                                  "WHERE s.organisation_id = ? AND s.certificate_id IS NULL GROUP BY s.member_id, m.name, m.number, c.code",
                                                  {organisation}));
  }
  std::map<std::pair<std::string, std::int64_t>, std::map<std::string, Holding>> lines;  // (name, member) -> class -> line
  auto line = [&](const store::Row& r) -> Holding& {
    Holding& h = lines[{r.Text(1), r.Int(0)}][r.Text(3)];
    h.member_id = r.Int(0);
    h.member_name = r.Text(1);
    h.member_number = r.Text(2);
    h.class_code = r.Text(3);
    return h;
  };
  for (const auto& r : held) {
    Holding& h = line(r);
    h.shares = r.Int(4);
    h.capital = r.Int(5);
  }
  for (const auto& r : pending) {
    Holding& h = line(r);
    h.subscribed = r.Int(4);
    h.unpaid = r.Int(5);
  }
  ShareRegister out;
  for (auto& [member, classes] : lines) {
    bool holds = false;
    for (auto& [code, h] : classes) {
      out.shares += h.shares;
      out.capital += h.capital;
      out.unpaid += h.unpaid;
      holds = holds || h.shares > 0;
      out.holdings.push_back(std::move(h));
    }
    if (holds) ++out.members;
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto cash, ledger_.ReadAccount(book.cash_account));
  out.cash = cash ? cash->balance : 0;
  return out;
}

Result<std::vector<Subscription>> Shares::Subscriptions(std::int64_t organisation, std::optional<std::int64_t> member) {
  auto conn = store_.Acquire();
  std::string sql = "SELECT " + std::string(kSubscriptionColumns) + std::string(kSubscriptionFrom) + " WHERE s.organisation_id = ?";
  std::vector<store::Value> params{organisation};
  if (member) {
    sql += " AND s.member_id = ?";
    params.emplace_back(*member);
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query(sql + " ORDER BY s.id DESC LIMIT 5000", params));
  std::vector<Subscription> out;
  for (const auto& r : rows) out.push_back(SubscriptionOf(r));
  return out;
}

Result<std::vector<Certificate>> Shares::Certificates(std::int64_t organisation, std::optional<std::int64_t> member) {
  auto conn = store_.Acquire();
  std::string sql = "SELECT k.id, k.number, k.class_id, k.member_id, k.shares, c.code, m.name, k.origin, k.issued_on, k.cancelled_on "
                    "FROM share_certificates k JOIN share_classes c ON c.id = k.class_id JOIN members m ON m.id = k.member_id WHERE k.organisation_id = ?";
  std::vector<store::Value> params{organisation};
  if (member) {
    sql += " AND k.member_id = ?";
    params.emplace_back(*member);
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query(sql + " ORDER BY k.number LIMIT 5000", params));
  std::vector<Certificate> out;
  for (const auto& r : rows) {
    Certificate k{r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Text(5), r.Text(6), r.Text(7), DateOf(r.Text(8)), std::nullopt};
    if (!r.IsNull(9)) k.cancelled_on = DateOf(r.Text(9));
    out.push_back(std::move(k));
  }
  return out;
}

Result<std::vector<Shares::Own>> Shares::OfUser(std::int64_t user_id) {
  store::Rows rows;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(rows, conn->Query("SELECT m.organisation_id, m.id, o.name, c.unit, c.decimals FROM members m JOIN organisations o ON o.id = m.organisation_id "
                                               "JOIN share_books b ON b.organisation_id = m.organisation_id JOIN currencies c ON c.id = b.currency_id "
                                               "WHERE m.user_id = ? ORDER BY o.name, m.id",
                                               {user_id}));
  }
  std::vector<Own> out;
  for (const auto& r : rows) {
    Own own{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4), {}, {}};
    SOLIDUM_ASSIGN_OR_RETURN(auto certificates, Certificates(own.organisation_id, own.member_id));
    for (auto& k : certificates) {
      if (!k.cancelled_on) own.certificates.push_back(std::move(k));
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto subscriptions, Subscriptions(own.organisation_id, own.member_id));
    for (auto& s : subscriptions) {
      if (!s.certificate_number) own.subscriptions.push_back(std::move(s));
    }
    out.push_back(std::move(own));
  }
  return out;
}

Result<void> Shares::Start() {
  store::Rows payments, movements;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(payments, conn->Query("SELECT s.organisation_id, p.subscription_id, p.request_id FROM share_payments p "
                                                   "JOIN share_subscriptions s ON s.id = p.subscription_id WHERE p.posted_at IS NULL"));
    SOLIDUM_ASSIGN_OR_RETURN(movements, conn->Query("SELECT organisation_id, id FROM share_movements WHERE posted_at IS NULL ORDER BY id"));
  }
  for (const auto& p : payments) {
    SOLIDUM_ASSIGN_OR_RETURN(auto book, Book(p.Int(0)));
    SOLIDUM_TRY(PostPayment(book, p.Int(1), p.Text(2)));
  }
  for (const auto& m : movements) {
    SOLIDUM_ASSIGN_OR_RETURN(auto book, Book(m.Int(0)));
    SOLIDUM_TRY(PostMovement(book, m.Int(1)));
  }
  return Ok();
}

}  // namespace solidum::finance
