#include "ledger/link_proposals.h"

#include <algorithm>
#include <map>

#include "common/text.h"

namespace solidum::ledger {

using store::Conn;
using store::Opt;

namespace {

constexpr std::string_view kColumns =
    "id, currency_a, currency_b, rate_num, rate_den, clearing_credit_limit_a, clearing_credit_limit_b, note, status, "
    "proposed_by, proposed_at, decided_by, decided_at, link_id";

std::optional<ProposalStatus> ParseStatus(std::string_view s) {
  if (s == "open") return ProposalStatus::kOpen;
  if (s == "accepted") return ProposalStatus::kAccepted;
  if (s == "declined") return ProposalStatus::kDeclined;
  if (s == "withdrawn") return ProposalStatus::kWithdrawn;
  return std::nullopt;
}

Error Closed(const LinkProposal& p) {
  return Error::Make(ErrorKind::kConflict, "proposal_closed",
                     "This proposal was " + std::string(ProposalStatusName(p.status)) + " already.");
}

}  // namespace

std::string_view ProposalStatusName(ProposalStatus s) {
  switch (s) {
    case ProposalStatus::kOpen: return "open";
    case ProposalStatus::kAccepted: return "accepted";
    case ProposalStatus::kDeclined: return "declined";
    case ProposalStatus::kWithdrawn: return "withdrawn";
  }
  return "open";
}

Result<LinkProposal> LinkProposals::Propose(const LinkInput& in, std::string_view note) {
  SOLIDUM_ASSIGN_OR_RETURN(auto rate, CheckLinkInput(in));
  if (!text::IsValidUtf8(note) || text::HasControlChars(note)) return Error::Invalid("/note", "invalid", "Plain text only.");
  if (text::CodePointCount(note) > kProposalNoteCharsMax) {
    return Error::Invalid("/note", "too_long", "At most " + std::to_string(kProposalNoteCharsMax) + " characters.");
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto a, ledger_.GetCurrency(in.currency_a));
  SOLIDUM_ASSIGN_OR_RETURN(auto b, ledger_.GetCurrency(in.currency_b));
  const std::string now = FormatTimestamp(clock_.NowMicros());
  auto id = store::InTransaction<std::int64_t>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<std::int64_t> {
    SOLIDUM_TRY(CheckNotLinked(conn, a, b));
    SOLIDUM_ASSIGN_OR_RETURN(auto open, conn.QueryOne("SELECT id FROM currency_link_proposals WHERE pair_low = ? AND pair_high = ? AND status = 'open'",
                                                      {std::min(a.id, b.id), std::max(a.id, b.id)}));
    if (open) {
      return Error::Make(ErrorKind::kConflict, "proposal_exists",
                         "A link between " + a.def.code + " and " + b.def.code + " is proposed already (proposal " + std::to_string(open->Int(0)) + ").");
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO currency_link_proposals (currency_a, currency_b, rate_num, rate_den, clearing_credit_limit_a, "
                                                     "clearing_credit_limit_b, note, status, proposed_by, proposed_at, pair_low, pair_high) "
                                                     "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id",
                                                     {a.id, b.id, rate.num, rate.den, in.clearing_credit_limit_a, in.clearing_credit_limit_b,
                                                      std::string(text::Trim(note)), Opt(in.created_by), now, std::min(a.id, b.id), std::max(a.id, b.id)}));
    return row->Int(0);
  });
  if (!id.ok()) return id.error();
  return Get(*id);
}

Result<std::vector<LinkProposal>> LinkProposals::Load(std::string_view where, std::initializer_list<store::Value> params) {
  store::Rows rows;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(rows, conn->Query("SELECT " + std::string(kColumns) + " FROM currency_link_proposals " + std::string(where), params));
  }
  std::map<std::int64_t, Currency> currencies;  // a currency is in many proposals: read once
  auto currency = [&](std::int64_t id) -> Result<Currency> {
    if (auto it = currencies.find(id); it != currencies.end()) return it->second;
    SOLIDUM_ASSIGN_OR_RETURN(auto c, ledger_.GetCurrency(id));
    return currencies.emplace(id, std::move(c)).first->second;
  };
  std::vector<LinkProposal> out;
  for (const auto& row : rows) {
    LinkProposal p;
    p.id = row.Int(0);
    SOLIDUM_ASSIGN_OR_RETURN(p.a, currency(row.Int(1)));
    SOLIDUM_ASSIGN_OR_RETURN(p.b, currency(row.Int(2)));
    p.rate = Rate{row.Int(3), row.Int(4)};
    p.clearing_credit_limit_a = row.Int(5);
    p.clearing_credit_limit_b = row.Int(6);
    p.note = row.Text(7);
    p.status = ParseStatus(row.Text(8)).value_or(ProposalStatus::kOpen);
    p.proposed_by = row.OptInt(9);
    p.proposed_at = row.Text(10);
    p.decided_by = row.OptInt(11);
    if (!row.IsNull(12)) p.decided_at = row.Text(12);
    p.link_id = row.OptInt(13);
    out.push_back(std::move(p));
  }
  return out;
}

Result<LinkProposal> LinkProposals::Get(std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto found, Load("WHERE id = ?", {id}));
  if (found.empty()) return Error::NotFound("No link proposal " + std::to_string(id) + ".");
  return std::move(found.front());
}

Result<std::vector<LinkProposal>> LinkProposals::Of(std::int64_t currency) {
  return Load("WHERE currency_a = ? OR currency_b = ? ORDER BY id DESC LIMIT " + std::to_string(kProposalsListedMax), {currency, currency});
}

Result<Link> LinkProposals::Accept(std::int64_t id, std::int64_t by) {
  SOLIDUM_ASSIGN_OR_RETURN(auto p, Get(id));
  if (p.status != ProposalStatus::kOpen) return Closed(p);
  LinkInput in;
  in.currency_a = p.a.id;
  in.currency_b = p.b.id;
  in.rate = FormatRate(p.rate);
  in.clearing_credit_limit_a = p.clearing_credit_limit_a;
  in.clearing_credit_limit_b = p.clearing_credit_limit_b;
  in.created_by = by;
  const std::string now = FormatTimestamp(clock_.NowMicros());
  // Closed in the link's transaction, and only if still open (withdrawn meanwhile: no link).
  in.also = [&](Conn& conn, std::int64_t link_id) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto n, conn.Exec("UPDATE currency_link_proposals SET status = 'accepted', decided_by = ?, decided_at = ?, link_id = ? "
                                               "WHERE id = ? AND status = 'open'",
                                               {by, now, link_id, id}));
    if (n != 1) return Error::Make(ErrorKind::kConflict, "proposal_closed", "This proposal was closed meanwhile.");
    return Ok();
  };
  return ledger_.CreateLink(in);
}

Result<LinkProposal> LinkProposals::Close(std::int64_t id, ProposalStatus as, std::int64_t by) {
  SOLIDUM_ASSIGN_OR_RETURN(auto p, Get(id));
  if (p.status != ProposalStatus::kOpen) return Closed(p);
  if (as != ProposalStatus::kDeclined && as != ProposalStatus::kWithdrawn) return Error::Internal("a proposal closes as declined or withdrawn");
  std::int64_t n = 0;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(n, conn->Exec("UPDATE currency_link_proposals SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'open'",
                                           {std::string(ProposalStatusName(as)), by, FormatTimestamp(clock_.NowMicros()), id}));
  }
  if (n != 1) {
    SOLIDUM_ASSIGN_OR_RETURN(auto now, Get(id));
    return Closed(now);
  }
  return Get(id);
}

}  // namespace solidum::ledger
