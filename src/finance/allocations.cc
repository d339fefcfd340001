#include "finance/allocations.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "common/json_write.h"
#include "common/text.h"
#include "finance/records.h"
#include "governance/assemblies.h"

namespace solidum::finance {

namespace {

using store::Conn;
using store::TxKind;

using records::Conflict;

constexpr std::string_view kColumns =
    "id, organisation_id, financial_year, basis, rules, status, surplus, reserve, fund, interest, refunds, retained, decision, created_at, updated_at, version";

Allocation AllocationOf(const store::Row& r) {
  Allocation a;
  a.id = r.Int(0);
  a.organisation_id = r.Int(1);
  a.year = r.Text(2);
  a.basis = r.Text(3);
  a.rules_json = r.Text(4);
  a.status = r.Text(5);
  a.surplus = r.Int(6);
  a.reserve = r.Int(7);
  a.fund = r.Int(8);
  a.interest = r.Int(9);
  a.refunds = r.Int(10);
  a.retained = r.Int(11);
  a.decision = r.OptText(12);
  a.created_at = r.Text(13);
  a.updated_at = r.Text(14);
  a.version = r.Int(15);
  return a;
}

Result<Allocation> Load(Conn& conn, std::int64_t organisation, std::int64_t id, bool lines) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kColumns) + " FROM surplus_allocations WHERE id = ? AND organisation_id = ?",
                                                   {id, organisation}));
  if (!row) return Error::NotFound("No surplus allocation " + std::to_string(id) + " here.");
  Allocation a = AllocationOf(*row);
  if (lines) {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT l.member_id, m.name, l.capital, l.patronage, l.interest, l.refund FROM surplus_lines l "
                                                   "JOIN members m ON m.id = l.member_id WHERE l.allocation_id = ? ORDER BY m.name, l.member_id",
                                                   {id}));
    for (const auto& r : rows) a.lines.push_back(AllocationLine{r.Int(0), r.Text(1), r.Int(2), r.Int(3), r.Int(4), r.Int(5)});
  }
  return a;
}

Error Stale() { return records::Stale("allocation"); }

}  // namespace

Allocations::Allocations(store::Store& store, ledger::Ledger& ledger, Shares& shares, const Clock& clock)
    : store_(store), ledger_(ledger), shares_(shares), clock_(clock) {}

std::string Allocations::Now() const { return FormatTimestamp(clock_.NowMicros()); }

Result<Allocation> Allocations::Create(std::int64_t organisation, const AllocationInput& in) {
  const std::string year(text::Trim(in.year));
  if (year.empty() || year.size() > 20 || !text::IsValidUtf8(year) || text::HasControlChars(year)) {
    return Error::Invalid("/year", "invalid", "The financial year, as the statutes name it: 1 to 20 characters, such as 2026.");
  }
  if (in.members.size() > kAllocationMembersMax) return Error::Invalid("/members", "too_many", "At most 100,000 members per allocation kept here.");
  // Capital from the share register where not given.
  std::unordered_map<std::int64_t, std::int64_t> paid_up;
  if (auto reg = shares_.Register(organisation); reg.ok()) {
    for (const auto& h : reg->holdings) paid_up[h.member_id] += h.capital;
  }
  return store::InTransaction<Allocation>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Allocation> {
    SOLIDUM_ASSIGN_OR_RETURN(auto taken, conn.QueryOne("SELECT 1 FROM surplus_allocations WHERE organisation_id = ? AND financial_year = ?", {organisation, year}));
    if (taken) return Conflict("year_taken", "This organisation has an allocation for " + year + " already.");
    // Every line a member of the organisation, once.
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT id FROM members WHERE organisation_id = ?", {organisation}));
    std::unordered_set<std::int64_t> known, seen;
    for (const auto& r : rows) known.insert(r.Int(0));
    std::vector<FieldError> errors;
    std::vector<SurplusMember> members;
    members.reserve(in.members.size());
    for (std::size_t i = 0; i < in.members.size() && errors.size() < 20; ++i) {
      const auto& m = in.members[i];
      const std::string at = "/members/" + std::to_string(i);
      if (!known.contains(m.member_id)) errors.push_back({at + "/member_id", "not_a_member", "Not a member of this organisation."});
      else if (!seen.insert(m.member_id).second) errors.push_back({at + "/member_id", "repeated", "This member is listed twice."});
      const std::int64_t capital = m.capital ? *m.capital : paid_up[m.member_id];
      members.push_back(SurplusMember{m.member_id, capital, m.patronage});
    }
    if (!errors.empty()) return Error::Invalid(std::move(errors));
    auto computed = AllocateSurplus(in.surplus, in.rules, members);
    if (!computed.ok()) return std::move(computed).error();  // "/members/<i>/patronage" and the rules' fields, as the engine names them
    const auto& a = *computed;
    const std::string now = Now();
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO surplus_allocations (organisation_id, financial_year, surplus, rules, basis, reserve, fund, interest, "
                                                     "refunds, retained, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?) RETURNING id",
                                                     {organisation, year, a.surplus, in.rules_json, in.basis, a.reserve, a.fund, a.interest, a.refunds, a.retained,
                                                      now, now}));
    const std::int64_t id = row->Int(0);
    std::vector<store::Value> values;
    values.reserve(members.size() * 6);
    for (std::size_t i = 0; i < members.size(); ++i) {
      values.insert(values.end(), {id, members[i].member, members[i].capital, members[i].patronage, a.members[i].interest, a.members[i].refund});
    }
    SOLIDUM_TRY(conn.InsertRows("INSERT INTO surplus_lines (allocation_id, member_id, capital, patronage, interest, refund)", 6, values));
    return Load(conn, organisation, id, true);
  });
}

Result<Allocation> Allocations::Get(std::int64_t organisation, std::int64_t id) {
  auto conn = store_.Acquire();
  return Load(*conn, organisation, id, true);
}

Result<std::vector<Allocation>> Allocations::List(std::int64_t organisation) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kColumns) + " FROM surplus_allocations WHERE organisation_id = ? ORDER BY financial_year DESC",
                                                  {organisation}));
  std::vector<Allocation> out;
  for (const auto& r : rows) out.push_back(AllocationOf(r));
  return out;
}

Result<Allocation> Allocations::Decide(std::int64_t organisation, std::int64_t id, std::int64_t expected_version, std::int64_t assembly_id, std::int64_t item_id) {
  return store::InTransaction<Allocation>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Allocation> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, Load(conn, organisation, id, false));
    if (a.version != expected_version) return Stale();
    if (a.status != "draft") return Conflict("wrong_status", "An allocation that is " + a.status + " is not decided again.");
    SOLIDUM_ASSIGN_OR_RETURN(auto voted, governance::FindVotedItem(conn, organisation, assembly_id, item_id));
    boost::json::object d{{"assembly_id", assembly_id}, {"item_id", item_id}, {"title", voted.title}, {"adopted", voted.adopted}};
    for (const char* k : {"kind", "yes", "no", "abstain", "rule", "ballot_id"}) {
      if (const auto* v = voted.decision.if_contains(k)) d[k] = *v;
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto changed, conn.Exec("UPDATE surplus_allocations SET status = ?, decision = ?, updated_at = ?, version = version + 1 "
                                                     "WHERE id = ? AND version = ?",
                                                     {std::string(voted.adopted ? "approved" : "rejected"), json_write::Serialize(d), Now(), id, expected_version}));
    if (changed != 1) return Stale();
    return Load(conn, organisation, id, true);
  });
}

Result<std::vector<Allocations::OwnLine>> Allocations::OfUser(std::int64_t user_id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT a.organisation_id, m.id, a.id, a.financial_year, a.status, l.interest, l.refund FROM members m "
                                                  "JOIN surplus_lines l ON l.member_id = m.id JOIN surplus_allocations a ON a.id = l.allocation_id "
                                                  "WHERE m.user_id = ? AND a.status IN ('approved', 'posting', 'posted') "
                                                  "ORDER BY a.financial_year DESC, a.id DESC LIMIT 100",
                                                  {user_id}));
  std::vector<OwnLine> out;
  for (const auto& r : rows) out.push_back(OwnLine{r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Int(5), r.Int(6)});
  return out;
}

Result<std::vector<governance::VotedItem>> Allocations::Votes(std::int64_t organisation) {
  auto conn = store_.Acquire();
  return governance::VotedItems(*conn, organisation, 200);
}

Result<std::int64_t> Allocations::Payable(const ShareBook& book, std::int64_t member, const std::string& name) {
  std::lock_guard lock(payables_mu_);
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto has, conn->QueryOne("SELECT account_id FROM member_payables WHERE organisation_id = ? AND member_id = ?", {book.organisation_id, member}));
    if (has) return has->Int(0);
  }
  std::string label = "Owed to: " + name;
  if (text::CodePointCount(label) > ledger::kLedgerNameCharsMax) label = "Owed to member " + std::to_string(member);
  SOLIDUM_ASSIGN_OR_RETURN(auto account, ledger_.OpenAccount(book.currency_id, ledger::AccountInput{std::nullopt, label, ledger::kLimitMax, 0, false}));
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec("INSERT INTO member_payables (organisation_id, member_id, account_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                         {book.organisation_id, member, account.state.id}));
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT account_id FROM member_payables WHERE organisation_id = ? AND member_id = ?", {book.organisation_id, member}));
  if (!row) return Error::Internal("payable row missing after insert");
  return row->Int(0);
}

Result<Allocation> Allocations::Post(std::int64_t organisation, std::int64_t id, std::int64_t expected_version) {
  SOLIDUM_ASSIGN_OR_RETURN(auto book, shares_.Book(organisation));
  Allocation a;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(a, Load(*conn, organisation, id, false));
  }
  if (a.version != expected_version) return Stale();
  if (a.status != "approved") return Conflict("wrong_status", "Only an allocation the members approved is posted; this one is " + a.status + ".");
  // The allocation's own accounts, opened before it moves to "posting".
  auto open = [&](const std::string& name, std::int64_t credit_limit) {
    return ledger_.OpenAccount(book.currency_id, ledger::AccountInput{std::nullopt, name + " " + a.year, credit_limit, std::nullopt, true});
  };
  SOLIDUM_ASSIGN_OR_RETURN(auto surplus, open("Surplus", 0));
  SOLIDUM_ASSIGN_OR_RETURN(auto reserve, open("Reserve from the surplus", ledger::kLimitMax));
  SOLIDUM_ASSIGN_OR_RETURN(auto fund, open("Development fund from the surplus", ledger::kLimitMax));
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto changed, conn->Exec("UPDATE surplus_allocations SET status = 'posting', surplus_account = ?, reserve_account = ?, fund_account = ?, "
                                                      "updated_at = ?, version = version + 1 WHERE id = ? AND version = ? AND status = 'approved'",
                                                      {surplus.state.id, reserve.state.id, fund.state.id, Now(), id, expected_version}));
    if (changed != 1) return Stale();
  }
  SOLIDUM_TRY(PostAll(book, id));
  return Get(organisation, id);
}

Result<void> Allocations::PostAll(const ShareBook& book, std::int64_t id) {
  Allocation a;
  std::int64_t surplus = 0, reserve = 0, fund = 0;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(a, Load(*conn, book.organisation_id, id, true));
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT surplus_account, reserve_account, fund_account FROM surplus_allocations WHERE id = ?", {id}));
    if (!row || row->IsNull(0)) return Error::Internal("a surplus allocation posting has no accounts");
    surplus = row->Int(0);
    reserve = row->Int(1);
    fund = row->Int(2);
  }
  const std::string prefix = "u" + std::to_string(id) + "-";
  // The surplus account takes what each part owes: it ends at the whole surplus, appropriated.
  std::vector<ledger::TransferRequest> batch;
  auto add = [&](std::string tid, std::int64_t debit, std::int64_t credit, std::int64_t amount, std::string memo) {
    if (amount <= 0) return;
    batch.push_back(ledger::TransferRequest{prefix + tid, debit, credit, amount, 0, "", 0, std::move(memo)});
  };
  auto flush = [&]() -> Result<void> {
    if (batch.empty()) return Ok();
    SOLIDUM_ASSIGN_OR_RETURN(auto outcomes, ledger_.Transfer(std::move(batch)));
    batch.clear();
    for (const auto& o : outcomes) {
      if (o.refusal != ledger::Refusal::kNone) return Error::Internal("the ledger refused a surplus posting: " + std::string(ledger::RefusalCode(o.refusal)));
    }
    return Ok();
  };
  add("reserve", reserve, surplus, a.reserve + a.retained, "Surplus " + a.year + ": to the reserve");
  add("fund", fund, surplus, a.fund, "Surplus " + a.year + ": to the development fund");
  for (const auto& line : a.lines) {
    const std::int64_t owed = line.interest + line.refund;
    if (owed <= 0) continue;
    SOLIDUM_ASSIGN_OR_RETURN(auto payable, Payable(book, line.member_id, line.member_name));
    add("m" + std::to_string(line.member_id), payable, surplus, owed, "Surplus " + a.year + ": refund and interest");
    if (batch.size() >= ledger::kTransfersPerBatchMax - 1) SOLIDUM_TRY(flush());
  }
  SOLIDUM_TRY(flush());
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec("UPDATE surplus_allocations SET status = 'posted', updated_at = ?, version = version + 1 WHERE id = ? AND status = 'posting'", {Now(), id}));
  return Ok();
}

Result<void> Allocations::Start() {
  store::Rows rows;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(rows, conn->Query("SELECT organisation_id, id FROM surplus_allocations WHERE status = 'posting'"));
  }
  for (const auto& r : rows) {
    SOLIDUM_ASSIGN_OR_RETURN(auto book, shares_.Book(r.Int(0)));
    SOLIDUM_TRY(PostAll(book, r.Int(1)));
  }
  return Ok();
}

}  // namespace solidum::finance
