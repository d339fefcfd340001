// LinkProposals: linking two communities' currencies when no one administers both. An
// admin of currency a proposes (the rate, each side's clearing limit, a note); an admin of
// currency b accepts, which makes the link (Ledger::CreateLink) and closes the proposal in
// one transaction, or declines; the proposer may withdraw it while it is open. Who may do
// what is the HTTP layer's to check; this keeps the proposals and their states.
// Thread-safe (each call borrows its own connection).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "ledger/ledger.h"
#include "store/store.h"

namespace solidum::ledger {

enum class ProposalStatus { kOpen, kAccepted, kDeclined, kWithdrawn };
std::string_view ProposalStatusName(ProposalStatus s);

struct LinkProposal {
  std::int64_t id = 0;
  Currency a, b;
  Rate rate;
  std::int64_t clearing_credit_limit_a = 0, clearing_credit_limit_b = 0;
  std::string note;
  ProposalStatus status = ProposalStatus::kOpen;
  std::optional<std::int64_t> proposed_by;
  std::string proposed_at;
  std::optional<std::int64_t> decided_by;
  std::string decided_at;                // empty while open
  std::optional<std::int64_t> link_id;   // when accepted
};

inline constexpr std::size_t kProposalNoteCharsMax = 2000;
inline constexpr int kProposalsListedMax = 200;

class LinkProposals {
 public:
  LinkProposals(store::Store& store, const Clock& clock, Ledger& ledger) : store_(store), clock_(clock), ledger_(ledger) {}

  // Errors: LinkInput's (CheckLinkInput), "/note" too long, kNotFound (a currency),
  // kConflict "link_exists" (linked already, either way round), "proposal_exists" (an
  // open proposal for the pair, either way round).
  Result<LinkProposal> Propose(const LinkInput& input, std::string_view note);
  Result<LinkProposal> Get(std::int64_t id);  // kNotFound when there is none
  // The proposals a currency is in (as a or b), newest first, at most kProposalsListedMax.
  Result<std::vector<LinkProposal>> Of(std::int64_t currency);
  // Makes the link and closes the proposal, both or neither. Errors: kNotFound, kConflict
  // "proposal_closed" (accepted, declined or withdrawn already), "link_exists".
  Result<Link> Accept(std::int64_t id, std::int64_t by);
  // Closes an open proposal as declined (b's answer) or withdrawn (a's). Errors:
  // kNotFound, kConflict "proposal_closed".
  Result<LinkProposal> Close(std::int64_t id, ProposalStatus as, std::int64_t by);

 private:
  // The proposals a query's WHERE (and ORDER/LIMIT) selects, with their currencies.
  Result<std::vector<LinkProposal>> Load(std::string_view where, std::initializer_list<store::Value> params);
  store::Store& store_;
  const Clock& clock_;
  Ledger& ledger_;
};

}  // namespace solidum::ledger
