#include "finance/funds.h"

#include "common/text.h"

namespace solidum::finance {

namespace {

using store::Conn;
using store::TxKind;

constexpr std::string_view kFundColumns =
    "f.id, f.organisation_id, f.currency_id, f.name, c.code, c.unit, c.decimals, f.pool_account, f.interest_account, f.fees_account, "
    "f.losses_account, f.deposits_account, f.created_at";

Fund FundOf(const store::Row& r) {
  return Fund{r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6), r.Int(7), r.Int(8), r.Int(9), r.Int(10), r.Int(11), r.Text(12)};
}

// A system account that may go below zero without bound (what the fund owes or earned).
ledger::AccountInput Owing(std::string name) { return ledger::AccountInput{std::nullopt, std::move(name), ledger::kLimitMax, std::nullopt, true}; }
// One that may not (what the fund has).
ledger::AccountInput Having(std::string name) { return ledger::AccountInput{std::nullopt, std::move(name), 0, std::nullopt, true}; }

}  // namespace

Funds::Funds(store::Store& store, ledger::Ledger& ledger) : store_(store), ledger_(ledger) {}

Result<Fund> Funds::Create(std::int64_t organisation, const FundInput& in) {
  const std::string name(text::Trim(in.name));
  if (name.empty() || !text::IsValidUtf8(name) || text::HasControlChars(name) || text::CodePointCount(name) > kFundNameCharsMax) {
    return Error::Invalid("/name", "invalid", "A fund's name is 1 to 200 characters.");
  }
  ledger::BookInput book;
  book.currency = ledger::CurrencyInput{in.code, name, in.unit, in.decimals, 0, std::nullopt};
  book.accounts = {Having("Pool: cash to lend"), Owing("Income: interest"), Owing("Income: fees"), Having("Losses: written off"),
                   Owing("Deposits: owed to borrowers")};
  Fund fund;
  book.also = [&](Conn& conn, const ledger::Currency& c, const std::vector<std::int64_t>& a) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO funds (organisation_id, currency_id, name, pool_account, interest_account, fees_account, "
                                                     "losses_account, deposits_account, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                     {organisation, c.id, name, a.at(0), a.at(1), a.at(2), a.at(3), a.at(4), c.created_at}));
    fund = Fund{row->Int(0), organisation, c.id, name, c.def.code, c.def.unit, c.def.decimals, a[0], a[1], a[2], a[3], a[4], c.created_at};
    return Ok();
  };
  SOLIDUM_TRY(ledger_.CreateBook(organisation, book));
  return fund;
}

Result<Fund> Funds::Get(std::int64_t organisation, std::int64_t id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT " + std::string(kFundColumns) + " FROM funds f JOIN currencies c ON c.id = f.currency_id "
                                                    "WHERE f.id = ? AND f.organisation_id = ?",
                                                    {id, organisation}));
  if (!row) return Error::NotFound("No fund " + std::to_string(id) + " here.");
  return FundOf(*row);
}

Result<std::vector<Fund>> Funds::List(std::int64_t organisation) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kFundColumns) + " FROM funds f JOIN currencies c ON c.id = f.currency_id "
                                                  "WHERE f.organisation_id = ? ORDER BY f.name, f.id",
                                                  {organisation}));
  std::vector<Fund> out;
  for (const auto& r : rows) out.push_back(FundOf(r));
  return out;
}

Result<Fund> Funds::Find(std::int64_t id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT " + std::string(kFundColumns) + " FROM funds f JOIN currencies c ON c.id = f.currency_id WHERE f.id = ?", {id}));
  if (!row) return Error::NotFound("No fund " + std::to_string(id) + ".");
  return FundOf(*row);
}

Result<std::vector<Fund>> Funds::All() {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kFundColumns) + " FROM funds f JOIN currencies c ON c.id = f.currency_id ORDER BY f.name, f.id LIMIT 1000"));
  std::vector<Fund> out;
  for (const auto& r : rows) out.push_back(FundOf(r));
  return out;
}

Result<FundFigures> Funds::Figures(const Fund& fund) {
  auto balance = [&](std::int64_t account) -> Result<std::int64_t> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, ledger_.ReadAccount(account));
    if (!a) return Error::Internal("fund account " + std::to_string(account) + " is missing");
    return a->balance;
  };
  FundFigures f;
  SOLIDUM_ASSIGN_OR_RETURN(f.pool, balance(fund.pool_account));
  SOLIDUM_ASSIGN_OR_RETURN(auto interest, balance(fund.interest_account));
  SOLIDUM_ASSIGN_OR_RETURN(auto fees, balance(fund.fees_account));
  SOLIDUM_ASSIGN_OR_RETURN(f.losses, balance(fund.losses_account));
  SOLIDUM_ASSIGN_OR_RETURN(auto deposits, balance(fund.deposits_account));
  f.interest = -interest;  // what the fund earned or owes sits below zero
  f.fees = -fees;
  f.deposits = -deposits;
  store::Rows rows;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(rows, conn->Query("SELECT b.backer_id, b.account_id, o.name FROM fund_backers b JOIN organisations o ON o.id = b.backer_id "
                                               "WHERE b.fund_id = ? ORDER BY b.backer_id",
                                               {fund.id}));
  }
  for (const auto& r : rows) {
    SOLIDUM_ASSIGN_OR_RETURN(auto b, balance(r.Int(1)));
    f.backers.push_back({r.Int(0), r.Text(2), -b});
    f.capital -= b;
  }
  return f;
}

Result<std::int64_t> Funds::BackerAccount(const Fund& fund, std::int64_t backer) {
  std::lock_guard lock(backers_mu_);
  std::string name;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto has, conn->QueryOne("SELECT account_id FROM fund_backers WHERE fund_id = ? AND backer_id = ?", {fund.id, backer}));
    if (has) return has->Int(0);
    SOLIDUM_ASSIGN_OR_RETURN(auto org, conn->QueryOne("SELECT name FROM organisations WHERE id = ?", {backer}));
    if (!org) return Error::Invalid("/backer", "unknown_organisation", "No organisation " + std::to_string(backer) + " in the register.");
    name = org->Text(0);
  }
  // Names are for people reading statements; the link is the fund_backers row.
  std::string label = "Capital: " + name;
  if (text::CodePointCount(label) > ledger::kLedgerNameCharsMax) label = "Capital: organisation " + std::to_string(backer);
  SOLIDUM_ASSIGN_OR_RETURN(auto account, ledger_.OpenAccount(fund.currency_id, Owing(label)));
  // Another server may have opened one meanwhile: the first row wins, and this account
  // stays empty and unused.
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec("INSERT INTO fund_backers (fund_id, backer_id, account_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                         {fund.id, backer, account.state.id}));
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT account_id FROM fund_backers WHERE fund_id = ? AND backer_id = ?", {fund.id, backer}));
  if (!row) return Error::Internal("fund backer row missing after insert");
  return row->Int(0);
}

Result<ledger::Outcome> Funds::Contribute(const Fund& fund, const ContributionInput& in) {
  if (in.id.empty() || in.id.size() > kContributionIdBytesMax || !text::IsValidUtf8(in.id) || text::HasControlChars(in.id)) {
    return Error::Invalid("/id", "invalid", "Your id for this contribution: 1 to " + std::to_string(kContributionIdBytesMax) + " bytes.");
  }
  if (in.amount <= 0 || in.amount > ledger::kLimitMax) return Error::Invalid("/amount", "out_of_range", "A positive amount in minor units.");
  if (in.memo.size() > ledger::kMemoBytesMax || !text::IsValidUtf8(in.memo)) {
    return Error::Invalid("/memo", "too_long", "At most " + std::to_string(ledger::kMemoBytesMax) + " bytes.");
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto account, BackerAccount(fund, in.backer));
  ledger::TransferRequest t;
  t.id = "f" + std::to_string(fund.id) + "-c-" + in.id;
  t.debit_account = account;
  t.credit_account = fund.pool_account;
  t.amount = in.amount;
  t.memo = in.memo.empty() ? "Capital contribution" : in.memo;
  SOLIDUM_ASSIGN_OR_RETURN(auto outcomes, ledger_.Transfer({t}));
  const ledger::Outcome& o = outcomes.at(0);
  if (o.refusal != ledger::Refusal::kNone) {
    return Error::Make(ErrorKind::kConflict, std::string(ledger::RefusalCode(o.refusal)), "The ledger refused this contribution.");
  }
  return o;
}

}  // namespace solidum::finance
