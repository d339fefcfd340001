// Year-end surplus allocations kept in the store (issue 7): the pure engine
// (finance::AllocateSurplus) applied to an organisation's members, reviewed as a draft,
// approved or rejected by the members' vote on an agenda item of an assembly
// (governance::FindVotedItem), then posted to the organisation's share-capital ledger book
// (finance::Shares must keep its capital).
//
// Posting: accounts for the year's surplus, the reserve and the development fund are
// opened for the allocation; each member owed something gets an account of what the
// co-operative owes them ("payable", opened once per member). The surplus account pays
// the reserve (reserve and retained), the fund, and each member their interest and refund,
// every transfer under an id derived from the allocation (u<allocation>-...), so posting
// again after a crash moves nothing twice; Start() finishes an allocation left "posting".
// Members' capital, when not given, is their paid-up capital in the share register.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "finance/shares.h"
#include "finance/surplus.h"
#include "governance/assemblies.h"
#include "ledger/ledger.h"
#include "store/store.h"

namespace solidum::finance {

inline constexpr std::size_t kAllocationMembersMax = 100'000;  // per allocation kept in the store

struct AllocationMemberInput {
  std::int64_t member_id = 0;
  std::int64_t patronage = 0;
  std::optional<std::int64_t> capital;  // the share register's paid-up capital when not given
};

struct AllocationInput {
  std::string year;           // "2026", as the statutes name the financial year
  std::int64_t surplus = 0;
  SurplusRules rules;
  std::string rules_json;     // as given, kept with the allocation
  std::string basis = "hours";
  std::vector<AllocationMemberInput> members;
};

struct AllocationLine {
  std::int64_t member_id = 0;
  std::string member_name;
  std::int64_t capital = 0, patronage = 0, interest = 0, refund = 0;
};

struct Allocation {
  std::int64_t id = 0, organisation_id = 0;
  std::string year, basis, rules_json, status;  // draft, approved, rejected, posting, posted
  std::int64_t surplus = 0, reserve = 0, fund = 0, interest = 0, refunds = 0, retained = 0;
  std::optional<std::string> decision;
  std::string created_at, updated_at;
  std::int64_t version = 1;
  std::vector<AllocationLine> lines;  // by member name (Get only)
};

class Allocations {
 public:
  Allocations(store::Store& store, ledger::Ledger& ledger, Shares& shares, const Clock& clock);

  // Finishes the postings a crash interrupted. Call once before serving.
  Result<void> Start();

  // A draft. Errors: "/year", "/members" (too many), "/members/<i>/member_id" (not a
  // member, or twice), "/members/<i>/patronage", "/members/<i>/capital", the engine's
  // ("/surplus", "/rules/..."); kConflict "year_taken".
  Result<Allocation> Create(std::int64_t organisation, const AllocationInput& input);
  Result<Allocation> Get(std::int64_t organisation, std::int64_t id);
  Result<std::vector<Allocation>> List(std::int64_t organisation);
  // The members' vote: adopted -> approved, else rejected. kConflict "wrong_status",
  // "not_voted"; "/item_id"; kPreconditionFailed "version_mismatch".
  Result<Allocation> Decide(std::int64_t organisation, std::int64_t id, std::int64_t expected_version, std::int64_t assembly_id, std::int64_t item_id);
  // The organisation's agenda items decided by a vote, newest first: what Decide may take.
  Result<std::vector<governance::VotedItem>> Votes(std::int64_t organisation);
  // An approved allocation to the ledger. kConflict "wrong_status"; kNotFound when the
  // organisation keeps no share capital; kPreconditionFailed "version_mismatch".
  Result<Allocation> Post(std::int64_t organisation, std::int64_t id, std::int64_t expected_version);

  // A signed-in user's refunds and interest on capital, from the allocations of every
  // organisation where they are a member (approved or posted; drafts are not theirs to
  // see yet), newest year first, at most 100.
  struct OwnLine {
    std::int64_t organisation_id = 0, member_id = 0, allocation_id = 0;
    std::string year, status;
    std::int64_t interest = 0, refund = 0;
  };
  Result<std::vector<OwnLine>> OfUser(std::int64_t user_id);

 private:
  Result<void> PostAll(const ShareBook& book, std::int64_t id);
  Result<std::int64_t> Payable(const ShareBook& book, std::int64_t member, const std::string& name);
  std::string Now() const;

  store::Store& store_;
  ledger::Ledger& ledger_;
  Shares& shares_;
  const Clock& clock_;
  std::mutex payables_mu_;
};

}  // namespace solidum::finance
