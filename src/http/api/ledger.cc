// The ledger over HTTP: an organisation's currencies and accounts (its admins set them
// up), an account's state (its holder and the currency's admins), and transfers, one or a
// batch of up to 8,190, each answered in order once durable.
//
// Who may send a transfer: the holder of its debit account (the member's user) or an
// admin of the account's currency. A post or void names the pending transfer's debit
// account (`debit_account`) so that it can be authorised before it reaches the writer; the
// book checks it is the pending transfer's. One item not permitted refuses the whole
// request (403, naming the item): nothing is applied.
#include <boost/json.hpp>

#include <cctype>
#include <chrono>
#include <cmath>
#include <map>

#include "common/json_fields.h"
#include "common/json_write.h"
#include "common/clock.h"
#include "common/limits.h"
#include "common/text.h"
#include "http/api/ledger_access.h"
#include "http/api/paging.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"
#include "identity/secrets.h"
#include "ledger/ledger.h"

namespace solidum::http::api {

using identity::Action;
using identity::Role;

namespace {

constexpr std::size_t kStatementRowsMax = 100'000;  // one CSV statement

boost::json::value OptJson(const std::optional<std::int64_t>& v) { return v ? boost::json::value(*v) : nullptr; }

}  // namespace

boost::json::object CurrencyJson(const ledger::Currency& c) {
  return {{"id", c.id},
          {"organisation_id", c.organisation_id},
          {"code", c.def.code},
          {"name", c.def.name},
          {"unit", c.def.unit},
          {"decimals", c.def.decimals},
          {"default_credit_limit", c.def.default_credit_limit},
          {"default_upper_limit", OptJson(c.def.default_upper_limit)},
          {"created_at", c.created_at}};
}

namespace {

boost::json::object AccountJson(const ledger::Account& a) {
  return {{"id", a.id},
          {"currency_id", a.currency},
          {"credit_limit", a.credit_limit},
          {"upper_limit", OptJson(a.upper_limit)},
          {"status", ledger::AccountStatusName(a.status)},
          {"balance", a.balance},
          {"debits_pending", a.debits_pending},
          {"credits_pending", a.credits_pending},
          {"available", a.balance - a.debits_pending + a.credit_limit}};
}

}  // namespace

void WriteTransfer(json_write::Writer& w, const ledger::Transfer& t) {
  w.BeginObject();
  w.Key("id").String(t.request.id);
  w.Key("debit_account").Int(t.debit_account);
  w.Key("credit_account").Int(t.credit_account);
  w.Key("amount").Int(t.amount);
  w.Key("linked").Bool((t.request.flags & ledger::kLinked) != 0);
  w.Key("pending").Bool((t.request.flags & ledger::kPending) != 0);
  w.Key("post_pending").Bool((t.request.flags & ledger::kPostPending) != 0);
  w.Key("void_pending").Bool((t.request.flags & ledger::kVoidPending) != 0);
  w.Key("memo").String(t.request.memo);
  w.Key("at_us").Int(t.at_us);
  if (!t.request.pending_id.empty()) w.Key("pending_id").String(t.request.pending_id);
  if (t.request.timeout_seconds > 0) w.Key("timeout_seconds").Int(t.request.timeout_seconds);
  w.EndObject();
}

namespace {

boost::json::object AccountInfoJson(const ledger::AccountInfo& a) {
  auto json = AccountJson(a.state);
  json["member_id"] = OptJson(a.member_id);
  json["name"] = a.name;
  return json;
}

// The currency, when it is this organisation's.
Result<ledger::Currency> OrganisationCurrency(Context& ctx) {
  SOLIDUM_ASSIGN_OR_RETURN(auto org, ctx.IdParam("id"));
  SOLIDUM_ASSIGN_OR_RETURN(auto currency_id, ctx.IdParam("cid"));
  SOLIDUM_ASSIGN_OR_RETURN(auto currency, ctx.services.ledger.GetCurrency(currency_id));
  if (currency.organisation_id != org) return Error::NotFound("No currency " + std::to_string(currency_id) + " here.");
  return currency;
}

Response CreateCurrency(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  ledger::CurrencyInput in;
  in.code = r.Text("code", {.required = true, .max_chars = ledger::kCurrencyCodeBytesMax}).value;
  in.name = r.Text("name", {.required = true, .max_chars = ledger::kLedgerNameCharsMax}).value;
  in.unit = r.Text("unit", {.required = true, .max_chars = 50}).value;
  in.decimals = r.Integer("decimals", 0, ledger::kDecimalsMax, true).value;
  in.default_credit_limit = r.Integer("default_credit_limit", 0, INT64_MAX, true).value;
  auto upper = r.Integer("default_upper_limit", 0, INT64_MAX);
  if (upper.has_value()) in.default_upper_limit = upper.value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto c, ctx.services.ledger.CreateCurrency(org, in));
  return Json(201, CurrencyJson(c));
}

Response GetCurrency(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto c, ctx.services.ledger.GetCurrency(id));
  return Json(200, CurrencyJson(c));
}

// GET /currencies/by-code/{code}: codes are public, and how one community's admins find
// another's currency to propose a link (case folded to the codes' capitals).
Response CurrencyByCode(Context& ctx) {
  std::string code(ctx.Param("code"));
  for (char& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  SOLIDUM_HTTP_TRY(auto c, ctx.services.ledger.CurrencyByCode(code));
  return Json(200, CurrencyJson(c));
}

Response OpenAccount(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto currency, OrganisationCurrency(ctx));
  const std::int64_t currency_id = currency.id;
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  ledger::AccountInput in;
  auto member = r.Integer("member_id", 1, INT64_MAX);
  if (member.has_value()) in.member_id = member.value;
  in.name = r.Text("name", {.required = true, .max_chars = ledger::kLedgerNameCharsMax}).value;
  auto limit = r.Integer("credit_limit", 0, INT64_MAX);
  if (limit.has_value()) in.credit_limit = limit.value;
  auto upper = r.Integer("upper_limit", 0, INT64_MAX);
  if (upper.has_value()) in.upper_limit = upper.value;
  in.no_upper_limit = upper.present && upper.is_null;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto a, ctx.services.ledger.OpenAccount(currency_id, in));
  return Json(201, AccountInfoJson(a));
}

Response ListCurrencies(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.ledger.ListCurrencies(org));
  boost::json::array items;
  for (const auto& c : list) items.push_back(CurrencyJson(c));
  return Json(200, boost::json::object{{"items", std::move(items)}});
}

Response ListAccounts(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto currency, OrganisationCurrency(ctx));
  Paging paging{100};
  for (const auto& [key, value] : ctx.request.query) {
    SOLIDUM_HTTP_TRY(bool taken, TakePagingParam(key, value, paging));
    if (!taken) return Problem(Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known."), ctx.request.path);
  }
  SOLIDUM_HTTP_TRY(auto page, ctx.services.ledger.ListAccounts(currency.id, paging.offset, paging.limit));
  boost::json::array items;
  for (const auto& a : page.first) items.push_back(AccountInfoJson(a));
  const std::size_t shown = items.size();
  return Json(200, boost::json::object{{"items", std::move(items)}, {"total", page.second}, {"next_cursor", NextCursor(paging, shown, page.second)}});
}

Response ChangeAccount(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto currency, OrganisationCurrency(ctx));
  SOLIDUM_HTTP_TRY(auto account, ctx.IdParam("aid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  ledger::AccountChange change;
  auto status = r.Text("status", {.nullable = false, .max_chars = 10});
  if (status.has_value()) {
    change.status = ledger::ParseAccountStatus(status.value);
    if (!change.status) r.Fail("status", "unknown_term", "One of: open, frozen, closed.");
  }
  auto limit = r.Integer("credit_limit", 0, INT64_MAX);
  if (limit.has_value()) change.credit_limit = limit.value;
  auto upper = r.Integer("upper_limit", 0, INT64_MAX);
  change.set_upper_limit = upper.present;
  if (upper.has_value()) change.upper_limit = upper.value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto a, ctx.services.ledger.ChangeAccount(currency.id, account, change));
  return Json(200, AccountInfoJson(a));
}

}  // namespace

// May the caller act for these accounts? The holder may; so may an admin of the currency's
// organisation (and a platform admin). Unknown accounts pass: the book refuses them. It
// runs on every transfer request, so every fact it reads is remembered: the accounts'
// holders (Ledger::HoldersOf), the caller's member records (Members::IdsOfUser) and roles
// (Identity::RoleIn).
Result<std::optional<std::int64_t>> FirstNotPermitted(Context& ctx, const std::vector<std::int64_t>& accounts) {
  if (ctx.principal.is_platform_admin) return std::optional<std::int64_t>();
  SOLIDUM_ASSIGN_OR_RETURN(auto holders, ctx.services.ledger.HoldersOf(accounts));
  if (holders.empty()) return std::optional<std::int64_t>();
  const std::int64_t user = ctx.principal.user_id.value_or(0);
  std::optional<std::vector<std::int64_t>> mine;  // the caller's member records, read once if a holder is a member
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    auto it = holders.find(accounts[i]);
    if (it == holders.end()) continue;
    const auto& member = it->second.member;
    if (member && !mine) {
      SOLIDUM_ASSIGN_OR_RETURN(mine, ctx.services.members.IdsOfUser(user));
    }
    if (member && std::binary_search(mine->begin(), mine->end(), *member)) continue;
    SOLIDUM_ASSIGN_OR_RETURN(auto role, ctx.services.identity.RoleIn(user, it->second.organisation));
    if (role < Role::kAdmin) return std::optional<std::int64_t>(static_cast<std::int64_t>(i));
  }
  return std::optional<std::int64_t>();
}

namespace {

// The account named by {aid} when the caller may see it: its holder or the currency's
// admins; anyone else gets 404, as if it did not exist (its existence is private too).
Result<ledger::Account> VisibleAccount(Context& ctx) {
  SOLIDUM_ASSIGN_OR_RETURN(auto id, ctx.IdParam("aid"));
  SOLIDUM_ASSIGN_OR_RETURN(auto state, ctx.services.ledger.ReadAccount(id));
  if (!state) return Error::NotFound("No account " + std::to_string(id) + ".");
  SOLIDUM_ASSIGN_OR_RETURN(auto denied, FirstNotPermitted(ctx, {id}));
  if (denied) return Error::NotFound("No account " + std::to_string(id) + ".");
  return *state;
}

boost::json::object EntryJson(const ledger::Entry& e, std::int64_t account) {
  const bool paid = e.transfer.debit_account == account;
  const auto& t = e.transfer;
  boost::json::object o{{"seq", e.seq},
                        {"id", t.request.id},
                        {"at", FormatTimestamp(t.at_us)},
                        {"kind", ledger::EntryKind(t.request.flags)},
                        {"direction", paid ? "out" : "in"},
                        {"counterparty", boost::json::object{{"account", paid ? t.credit_account : t.debit_account},
                                                             {"name", paid ? e.credit_name : e.debit_name}}},
                        {"amount", t.amount},
                        {"change", e.change},
                        {"balance", e.balance},
                        {"memo", t.request.memo}};
  if (!t.request.pending_id.empty()) o["pending_id"] = t.request.pending_id;
  return o;
}

// GET .../entries?limit=&cursor=: newest first; the cursor is the last entry's seq.
Response ListEntries(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto account, VisibleAccount(ctx));
  std::int64_t limit = 50, before = 0;
  for (const auto& [key, value] : ctx.request.query) {
    auto n = text::ParseInt64(value);
    if (key == "limit") {
      if (!n || *n < 1 || *n > ledger::kEntriesPageMax) {
        return Problem(Error::Invalid("?limit", "out_of_range", "From 1 to " + std::to_string(ledger::kEntriesPageMax) + "."), ctx.request.path);
      }
      limit = *n;
    } else if (key == "cursor") {
      if (!n || *n < 1) return Problem(Error::Invalid("?cursor", "invalid_cursor", "Use the next_cursor of the page before."), ctx.request.path);
      before = *n;
    } else {
      return Problem(Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known."), ctx.request.path);
    }
  }
  auto entries = ctx.services.ledger.Statement(account.id, before, static_cast<int>(limit));
  if (!entries.ok() && entries.error().code == "unknown_position") {
    return Problem(Error::Invalid("?cursor", "invalid_cursor", entries.error().message), ctx.request.path);
  }
  SOLIDUM_HTTP_CHECK(entries);
  boost::json::array items;
  for (const auto& e : *entries) items.push_back(EntryJson(e, account.id));
  boost::json::value next = nullptr;
  if (static_cast<std::int64_t>(entries->size()) == limit) next = std::to_string(entries->back().seq);
  return Json(200, boost::json::object{{"account", AccountJson(account)}, {"items", std::move(items)}, {"next_cursor", next}});
}

// Microseconds at 00:00 UTC of a YYYY-MM-DD date (already checked by IsIsoDate).
std::int64_t DayStartMicros(std::string_view date) {
  using namespace std::chrono;
  const int y = std::stoi(std::string(date.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(date.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(date.substr(8, 2))));
  const sys_days day{year{y} / month{m} / std::chrono::day{d}};
  return duration_cast<microseconds>(day.time_since_epoch()).count();
}

// GET .../statement.csv?from=&to=: the account's transfers between two dates (inclusive,
// UTC), oldest first, with amounts in the currency's unit and the running balance.
Response StatementCsv(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto account, VisibleAccount(ctx));
  std::int64_t from_us = INT64_MIN, to_us = INT64_MAX;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : ctx.request.query) {
    if (key != "from" && key != "to") {
      errors.push_back({"?" + key, "unknown_parameter", "This parameter is not known."});
    } else if (!text::IsIsoDate(value)) {
      errors.push_back({"?" + key, "invalid_date", "Give a date as YYYY-MM-DD."});
    } else if (key == "from") {
      from_us = DayStartMicros(value);
    } else {
      to_us = DayStartMicros(value) + 86'400'000'000LL;  // the whole day
    }
  }
  if (errors.empty() && from_us >= to_us) errors.push_back({"?to", "before_from", "The end comes before the start."});
  if (!errors.empty()) {
    return Problem(Error::Invalid(std::move(errors)), ctx.request.path);
  }
  SOLIDUM_HTTP_TRY(auto currency, ctx.services.ledger.GetCurrency(account.currency));
  std::vector<ledger::Entry> kept;
  for (std::int64_t before = 0;;) {
    SOLIDUM_HTTP_TRY(auto page, ctx.services.ledger.Statement(account.id, before, ledger::kEntriesPageMax));
    bool older = page.empty();
    for (auto& e : page) {
      if (e.transfer.at_us < from_us) {
        older = true;
        break;
      }
      if (e.transfer.at_us < to_us) kept.push_back(std::move(e));
    }
    if (kept.size() > kStatementRowsMax) {
      return Problem(Error::Invalid("?from", "too_many_entries", "More than " + std::to_string(kStatementRowsMax) +
                                                                     " transfers: ask for a shorter period."),
                     ctx.request.path);
    }
    if (older || page.size() < static_cast<std::size_t>(ledger::kEntriesPageMax)) break;
    before = page.back().seq;
  }
  const auto amount = [&](std::int64_t v) { return ledger::FormatAmount(v, currency.def.decimals); };
  std::string out = "date,transfer,kind,counterparty_account,counterparty,memo,paid_in,paid_out,reserved,balance\r\n";
  for (auto it = kept.rbegin(); it != kept.rend(); ++it) {
    const auto& t = it->transfer;
    const bool paid = t.debit_account == account.id;
    out += FormatTimestamp(t.at_us);
    out += ',';
    text::AppendCsvText(out, t.request.id);
    out += ',';
    out += ledger::EntryKind(t.request.flags);
    out += ',' + std::to_string(paid ? t.credit_account : t.debit_account) + ',';
    text::AppendCsvText(out, paid ? it->credit_name : it->debit_name);
    out += ',';
    text::AppendCsvText(out, t.request.memo);
    out += ',';
    if (it->change > 0) out += amount(it->change);
    out += ',';
    if (it->change < 0) out += amount(-it->change);
    out += ',';
    if (t.request.flags & ledger::kPending) out += amount(paid ? -t.amount : t.amount);
    out += ',' + amount(it->balance) + "\r\n";
  }
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.SetHeader("Content-Disposition", "attachment; filename=\"statement-" + currency.def.code + "-" + std::to_string(account.id) + ".csv\"");
  r.body = std::move(out);
  return r;
}

Response GetAccount(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto account, VisibleAccount(ctx));
  return Json(200, AccountJson(account));
}

// Whom to pay is for the currency's members and admins, and for those of the currencies
// linked to it (trade between communities).
Result<void> MaySeeDirectory(Context& ctx, const ledger::Currency& currency) {
  auto direct = MayReadCurrency(ctx, currency);
  if (direct.ok() || direct.error().kind != ErrorKind::kForbidden) return direct;
  SOLIDUM_ASSIGN_OR_RETURN(auto links, ctx.services.ledger.LinksOf(currency.id));
  for (const auto& l : links) {
    if (MayReadCurrency(ctx, l.a.id == currency.id ? l.b : l.a).ok()) return Ok();
  }
  return direct;
}

// GET /currencies/{cid}/directory?q=&limit=: the open accounts a member can pay.
Response Directory(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto cid, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto currency, ctx.services.ledger.GetCurrency(cid));
  std::string query;
  std::int64_t limit = 50;
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "q") {
      if (value.size() > 200) return Problem(Error::Invalid("?q", "too_long", "At most 200 characters."), ctx.request.path);
      query = value;
    } else if (key == "limit") {
      auto n = text::ParseInt64(value);
      if (!n || *n < 1 || *n > static_cast<std::int64_t>(ledger::kAccountsPageMax)) {
        return Problem(Error::Invalid("?limit", "out_of_range", "From 1 to " + std::to_string(ledger::kAccountsPageMax) + "."), ctx.request.path);
      }
      limit = *n;
    } else {
      return Problem(Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known."), ctx.request.path);
    }
  }
  SOLIDUM_HTTP_CHECK(MaySeeDirectory(ctx, currency));
  SOLIDUM_HTTP_TRY(auto found, ctx.services.ledger.Directory(currency.id, query, static_cast<int>(limit)));
  boost::json::array items;
  for (const auto& [id, name] : found) items.push_back({{"id", id}, {"name", name}});
  return Json(200, boost::json::object{{"items", std::move(items)}});
}

// GET /me/accounts: the signed-in user's accounts in every currency.
Response MyAccounts(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto held, ctx.services.ledger.AccountsOfUser(*ctx.principal.user_id));
  boost::json::array items;
  for (const auto& h : held) {
    auto o = AccountInfoJson(h.account);
    o["currency"] = CurrencyJson(h.currency);
    o["organisation_name"] = h.organisation_name;
    items.push_back(std::move(o));
  }
  return Json(200, boost::json::object{{"items", std::move(items)}});
}

// GET /me/joinable-currencies: the currencies of the user's organisations they may join.
Response JoinableCurrencies(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto list, ctx.services.ledger.JoinableCurrencies(*ctx.principal.user_id));
  boost::json::array items;
  for (const auto& [currency, organisation] : list) items.push_back({{"currency", CurrencyJson(currency)}, {"organisation_name", organisation}});
  return Json(200, boost::json::object{{"items", std::move(items)}});
}

// POST /currencies/{cid}/join: a member opens their own account.
Response Join(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto cid, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto account, ctx.services.ledger.Join(cid, *ctx.principal.user_id));
  return Json(201, AccountInfoJson(account));
}

// GET /currencies/{cid}/statistics?months=N: for the currency's admins and the members
// who hold an account in it (a small community's spread of balances says much about each).
Response CurrencyStatistics(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto cid, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto currency, ctx.services.ledger.GetCurrency(cid));
  std::int64_t months = 12;
  for (const auto& [key, value] : ctx.request.query) {
    auto n = text::ParseInt64(value);
    if (key != "months") return Problem(Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known."), ctx.request.path);
    if (!n || *n < 1 || *n > ledger::kStatisticsMonthsMax) {
      return Problem(Error::Invalid("?months", "out_of_range", "From 1 to " + std::to_string(ledger::kStatisticsMonthsMax) + "."), ctx.request.path);
    }
    months = *n;
  }
  SOLIDUM_HTTP_CHECK(MayReadCurrency(ctx, currency));
  SOLIDUM_HTTP_TRY(auto stats, ctx.services.ledger.Statistics(currency.id, static_cast<int>(months)));
  const auto& b = stats.balances;
  boost::json::array histogram;
  for (const auto& h : b.histogram) histogram.push_back({{"from", h.from}, {"to", h.to}, {"count", h.count}});
  boost::json::array monthly;
  for (const auto& m : stats.months) {
    boost::json::value velocity = nullptr;
    if (m.supply && *m.supply > 0) velocity = std::round(static_cast<double>(m.volume) / static_cast<double>(*m.supply) * 1000.0) / 1000.0;
    monthly.push_back({{"month", m.month},
                       {"trades", m.trades},
                       {"volume", m.volume},
                       {"active_accounts", m.active_accounts},
                       {"supply", OptJson(m.supply)},
                       {"velocity", velocity}});
  }
  boost::json::object balances{{"accounts", b.accounts}, {"open", b.open},     {"frozen", b.frozen}, {"closed", b.closed},
                               {"negative", b.negative}, {"zero", b.zero},     {"positive", b.positive}, {"min", b.min},
                               {"p10", b.p10},           {"median", b.median}, {"p90", b.p90},       {"max", b.max},
                               {"supply", b.supply},     {"histogram", std::move(histogram)}};
  return Json(200, boost::json::object{{"currency", CurrencyJson(currency)}, {"balances", std::move(balances)}, {"months", std::move(monthly)}});
}

Result<ledger::TransferRequest> ParseTransfer(const boost::json::value& v, const std::string& path) {
  json_fields::ObjectReader r(v, path);
  ledger::TransferRequest t;
  t.id = r.Text("id", {.required = true, .max_chars = ledger::kTransferIdBytesMax, .trim = false}).value;
  t.debit_account = r.Integer("debit_account", 1, INT64_MAX).value;
  t.credit_account = r.Integer("credit_account", 1, INT64_MAX).value;
  t.amount = r.Integer("amount", 0, INT64_MAX).value;
  auto flag = [&](std::string_view key, std::uint32_t bit) {
    if (r.Bool(key).value) t.flags |= bit;
  };
  flag("linked", ledger::kLinked);
  flag("pending", ledger::kPending);
  flag("post_pending", ledger::kPostPending);
  flag("void_pending", ledger::kVoidPending);
  t.pending_id = r.Text("pending_id", {.max_chars = ledger::kTransferIdBytesMax, .trim = false}).value;
  t.timeout_seconds = r.Integer("timeout_seconds", 0, ledger::kTimeoutSecondsMax).value;
  t.memo = r.Text("memo", {.max_chars = ledger::kMemoBytesMax}).value;
  const bool settles = (t.flags & (ledger::kPostPending | ledger::kVoidPending)) != 0;
  if (t.debit_account == 0) r.Fail("debit_account", "required", settles ? "Name the pending transfer's debit account." : "Required.");
  if (!settles && t.credit_account == 0) r.Fail("credit_account", "required", "Required.");
  SOLIDUM_TRY(r.Finish());
  return t;
}

void WriteOutcome(json_write::Writer& w, const ledger::Outcome& o) {
  w.BeginObject().Key("result").String(ledger::RefusalCode(o.refusal));
  if (o.refusal == ledger::Refusal::kNone) {
    w.Key("replayed").Bool(o.replayed);
    w.Key("transfer");
    WriteTransfer(w, o.transfer);
  }
  w.EndObject();
}

// Written straight into the body, without a JSON tree: every single transfer is answered here.
Response TransfersAnswer(const Result<std::vector<ledger::Outcome>>& outcomes, bool many, const std::string& path) {
  if (!outcomes.ok()) return Problem(outcomes.error(), path);
  Response r;
  json_write::Writer w(r.body);
  if (many) {
    r.body.reserve(outcomes->size() * 320);
    w.BeginArray();
    for (const auto& o : *outcomes) WriteOutcome(w, o);
    w.EndArray();
    return r;
  }
  const auto& o = outcomes->at(0);
  if (o.refusal != ledger::Refusal::kNone) {
    Error e = Error::Make(ErrorKind::kConflict, std::string(ledger::RefusalCode(o.refusal)), "The transfer was refused: " +
                                                                                                     std::string(ledger::RefusalCode(o.refusal)) + ".");
    return Problem(e, path);
  }
  r.status = o.replayed ? 200 : 201;
  r.body.reserve(320);
  WriteOutcome(w, o);
  return r;
}

Response CreateTransfers(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  const bool many = body.is_array();
  std::vector<ledger::TransferRequest> batch;
  std::vector<FieldError> errors;
  if (many) {
    const auto& items = body.as_array();
    if (items.size() > ledger::kTransfersPerBatchMax) {
      return Problem(Error::Invalid("", "too_many_transfers", "At most " + std::to_string(ledger::kTransfersPerBatchMax) + " transfers at once."),
                     ctx.request.path);
    }
    if (items.empty()) return Problem(Error::Invalid("", "empty", "Send at least one transfer."), ctx.request.path);
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto t = ParseTransfer(items[i], "/" + std::to_string(i));
      if (!t.ok()) {
        for (const auto& f : t.error().fields) errors.push_back(f);
        continue;
      }
      batch.push_back(std::move(*t));
    }
  } else {
    auto t = ParseTransfer(body, "");
    if (!t.ok()) return Problem(t.error(), ctx.request.path);
    batch.push_back(std::move(*t));
  }
  if (!errors.empty()) {
    return Problem(Error::Invalid(std::move(errors)), ctx.request.path);
  }
  std::vector<std::int64_t> debits;
  for (const auto& t : batch) debits.push_back(t.debit_account);
  SOLIDUM_HTTP_TRY(auto denied, FirstNotPermitted(ctx, debits));
  if (denied) {
    const std::string at = many ? "/" + std::to_string(*denied) + "/debit_account" : "/debit_account";
    return Problem(Error::Make(ErrorKind::kForbidden, "not_permitted", "Only the account's holder or the currency's admins may pay from account " +
                                                                          std::to_string(debits[static_cast<std::size_t>(*denied)]) + " (" + at + ")."),
                   ctx.request.path);
  }
  // Answered once the writer's round is durable, without holding a thread meanwhile.
  Response later;
  later.later = [&ledger = ctx.services.ledger, batch = std::move(batch), many, path = ctx.request.path](Resume resume) mutable {
    ledger.TransferAsync(std::move(batch), [resume = std::move(resume), many, path](Result<std::vector<ledger::Outcome>> outcomes) {
      resume([outcomes = std::move(outcomes), many, path] { return TransfersAnswer(outcomes, many, path); });
    });
  };
  return later;
}

// POST /reversals {reverses, reason}: a currency's admins undo a transfer (entries are
// append-only: a correction is a new transfer back). The reversal's id is derived from
// the original's, so that reversing twice answers the first reversal and moves nothing.
Response CreateReversal(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  const std::string reverses = r.Text("reverses", {.required = true, .max_chars = ledger::kTransferIdBytesMax, .trim = false}).value;
  const std::string reason = r.Text("reason", {.max_chars = ledger::kReversalReasonBytesMax}).value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  if (reason.size() > ledger::kReversalReasonBytesMax) {
    return Problem(Error::Invalid("/reason", "too_long", "At most " + std::to_string(ledger::kReversalReasonBytesMax) + " bytes."), ctx.request.path);
  }
  SOLIDUM_HTTP_TRY(auto original, ctx.services.ledger.FindTransfer(reverses));
  if (!original) return Problem(Error::NotFound("No transfer " + reverses + "."), ctx.request.path);
  SOLIDUM_HTTP_TRY(auto account, ctx.services.ledger.ReadAccount(original->debit_account));
  if (!account) return Problem(Error::NotFound("No transfer " + reverses + "."), ctx.request.path);
  SOLIDUM_HTTP_TRY(auto currency, ctx.services.ledger.GetCurrency(account->currency));
  SOLIDUM_HTTP_TRY(bool admin, AdministersCurrency(ctx, currency));
  // Others learn nothing of the transfer, not even that it exists.
  if (!admin) return Problem(Error::NotFound("No transfer " + reverses + "."), ctx.request.path);
  SOLIDUM_HTTP_TRY(auto reversal, ledger::ReversalOf(*original, "rev-" + identity::HashSecret(reverses).substr(0, 32), reason));
  SOLIDUM_HTTP_TRY(auto outcomes, ctx.services.ledger.Transfer({std::move(reversal)}));
  return TransfersAnswer(outcomes, false, ctx.request.path);
}

}  // namespace

Result<bool> AdministersCurrency(Context& ctx, const ledger::Currency& currency) {
  if (ctx.principal.is_platform_admin) return true;
  SOLIDUM_ASSIGN_OR_RETURN(auto role, ctx.services.identity.RoleIn(*ctx.principal.user_id, currency.organisation_id));
  return role >= Role::kAdmin;
}

Result<std::optional<std::int64_t>> OwnAccountIn(Context& ctx, std::int64_t currency) {
  auto conn = ctx.services.store.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT a.id FROM ledger_accounts a JOIN members m ON m.id = a.member_id "
                                                    "WHERE a.currency_id = ? AND m.user_id = ? ORDER BY a.id LIMIT 1",
                                                    {currency, *ctx.principal.user_id}));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(row->Int(0));
}

Result<void> MayReadCurrency(Context& ctx, const ledger::Currency& currency) {
  SOLIDUM_ASSIGN_OR_RETURN(bool admin, AdministersCurrency(ctx, currency));
  if (admin) return Ok();
  SOLIDUM_ASSIGN_OR_RETURN(auto own, OwnAccountIn(ctx, currency.id));
  if (own) return Ok();
  return Error::Make(ErrorKind::kForbidden, "not_permitted", "Only the currency's members and admins may see this.");
}

void RegisterLedger(Router& router) {
  const std::string currencies = "/api/v1/organisations/{id}/currencies";
  router.Add({"POST", currencies, Action::kLedgerAdmin, "id", CreateCurrency, "Create a currency (a mutual-credit exchange or a time bank)"});
  router.Add({"GET", currencies, Action::kAnyone, "", ListCurrencies, "The organisation's currencies"});
  router.Add({"POST", currencies + "/{cid}/accounts", Action::kLedgerAdmin, "id", OpenAccount, "Open an account in one of the organisation's currencies"});
  router.Add({"GET", currencies + "/{cid}/accounts", Action::kLedgerAdmin, "id", ListAccounts, "A currency's accounts with their balances, paged"});
  router.Add({"PATCH", currencies + "/{cid}/accounts/{aid}", Action::kLedgerAdmin, "id", ChangeAccount,
              "Freeze, reopen or close an account; change its limits"});
  router.Add({"GET", "/api/v1/currencies/{cid}", Action::kAnyone, "", GetCurrency, "A currency: its unit, decimals and default limits"});
  router.Add({"GET", "/api/v1/currencies/by-code/{code}", Action::kAnyone, "", CurrencyByCode, "A currency by its code (codes are unique)"});
  router.Add({"GET", "/api/v1/me/joinable-currencies", Action::kSignedIn, "", JoinableCurrencies,
              "The currencies of the user's organisations in which they may open their own account"});
  router.Add({"POST", "/api/v1/currencies/{cid}/join", Action::kSignedIn, "", Join,
              "Open one's own account in a currency of an organisation one is a current member of"});
  router.Add({"GET", "/api/v1/me/accounts", Action::kSignedIn, "", MyAccounts, "The signed-in user's accounts in every currency, with balances"});
  router.Add({"GET", "/api/v1/currencies/{cid}/directory", Action::kSignedIn, "", Directory,
              "A currency's open accounts by name, for its members and admins: whom to pay"});
  router.Add({"GET", "/api/v1/currencies/{cid}/statistics", Action::kSignedIn, "", CurrencyStatistics,
              "A currency's statistics: trades, volume, active accounts, supply and velocity by month; the spread of balances"});
  router.Add({"GET", "/api/v1/accounts/{aid}", Action::kSignedIn, "", GetAccount, "An account's balance and limits (its holder and the currency's admins)"});
  router.Add({"GET", "/api/v1/accounts/{aid}/entries", Action::kSignedIn, "", ListEntries,
              "An account's statement: its transfers newest first, with the running balance, paged"});
  router.Add({"GET", "/api/v1/accounts/{aid}/statement.csv", Action::kSignedIn, "", StatementCsv,
              "An account's statement between two dates as CSV, oldest first"});
  router.Add({"POST", "/api/v1/reversals", Action::kSignedIn, "", CreateReversal,
              "Reverse a transfer (the currency's admins): the same amount back, once"});
  Route transfers{"POST", "/api/v1/transfers", Action::kSignedIn, "", CreateTransfers,
                  "Transfer: one, or an array of up to 8,190 answered in order, once durable"};
  transfers.body_bytes_max = limits::kUploadBodyBytesMax;
  transfers.quick = true;  // its reads are a token and two small lookups; the writer does the rest
  router.Add(std::move(transfers));
}

}  // namespace solidum::http::api
