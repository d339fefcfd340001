// Savings groups (VSLA) kept in the store (issue 7): an organisation's members who save
// together in cycles of meetings, often entered afterwards from the group's paper book.
//
// A group has a cycle at a time: its rules (share value, 1 to N shares a meeting, the
// social-fund contribution, the service charge on loans) and its members, chosen from the
// organisation's member register (so a member who has a Solidum account sees their own
// savings). Meetings are recorded whole and in order, numbered 1, 2, ... in the cycle:
// who was present, shares bought, social contributions, fines, repayments, grants and
// loans. Each one is checked by replaying the cycle with it (finance::ReplaySavingsGroup):
// shares bought or a loan taken by a member not present, a loan over what the box holds, a
// repayment over what is owed, ... are refused naming the line, and nothing is kept. A
// meeting is idempotent by its number: sent again with the same content it answers the
// meeting recorded; with other content it is refused (meeting_recorded). Recorded meetings
// are never changed: the next meeting corrects (a fine, a grant).
//
// At the end of the cycle, the share-out (every loan repaid) pays the loan fund out in
// proportion to shares; the next cycle starts with the social fund carried over.
//
// The money is cash in the group's box, counted in front of its members. It also goes on
// a ledger book of the group's own (Ledger::CreateBook): the members' cash, the loan fund
// (the box, never below zero) and the social fund (never below zero). Each meeting is one
// linked chain (what came in, the social contributions, the loans and grants paid out), ids
// derived from the group, cycle and meeting; the share-out empties the loan fund back to
// the members. A meeting's row is written first (posted_at null: an outbox) and posted
// after; Start() posts what a crash left. So the ledger's loan fund and social fund always
// equal the replay's, and a network's statistics count the groups' money.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "finance/savings_group.h"
#include "ledger/ledger.h"
#include "store/store.h"

namespace solidum::finance {

inline constexpr std::size_t kSavingsGroupsMax = 1'000;  // per organisation

struct GroupMember {
  std::int64_t member_id = 0;
  std::string name, number;  // from the register
};

struct SavingsGroupInput {
  std::string name, unit;
  std::int64_t decimals = 0;
  std::chrono::year_month_day started_on{};
  SavingsGroupRules rules;              // opening_social_fund is not taken: 0, then carried over
  std::vector<std::int64_t> members;    // the register's member ids, in the book's order
};

struct SavingsGroupCycle {
  std::int64_t id = 0, number = 0;
  std::chrono::year_month_day started_on{};
  SavingsGroupRules rules;
  std::optional<std::chrono::year_month_day> shared_out_on;
  std::vector<GroupMember> members;
};

struct RecordedMeeting {
  std::int64_t number = 0;
  std::chrono::year_month_day held_on{};
  MeetingRecord record;
};

struct SavingsGroupSummary {
  std::int64_t id = 0, organisation_id = 0;
  std::int64_t currency_id = 0, members_account = 0, loan_fund_account = 0, social_fund_account = 0;  // the ledger book
  std::string name, unit;
  std::int64_t decimals = 0, cycle = 0, members = 0, meetings = 0;
  std::optional<std::chrono::year_month_day> last_meeting;
};

struct SavingsGroupView {
  SavingsGroupSummary group;
  SavingsGroupCycle cycle;
  std::vector<RecordedMeeting> meetings;
  SavingsGroupState state;  // replayed; shared out when the cycle is
};

struct MeetingInput {
  std::int64_t number = 0;
  std::chrono::year_month_day held_on{};
  MeetingRecord record;
  std::optional<std::int64_t> entered_by;  // the user
};

class SavingsGroups {
 public:
  SavingsGroups(store::Store& store, ledger::Ledger& ledger, const Clock& clock);

  // Posts the meetings and share-outs a crash left unposted. Call once before serving.
  Result<void> Start();

  // Errors: "/name", "/unit", "/decimals", "/started_on", "/rules/..." (the engine's),
  // "/members" (none, too many), "/members/<i>" (not a member of the organisation on
  // started_on, repeated); kConflict "name_taken", "too_many_groups".
  Result<SavingsGroupView> Create(std::int64_t organisation, const SavingsGroupInput& input);
  Result<std::vector<SavingsGroupSummary>> List(std::int64_t organisation);
  Result<SavingsGroupView> Get(std::int64_t organisation, std::int64_t group);  // kNotFound

  // Errors: "/number" (not the next: out_of_order), "/held_on" (invalid, before the last
  // meeting or the cycle's start, in the future), the engine's "/<kind>/<i>/..." (its
  // "/meetings/<m>" prefix taken off); kConflict "cycle_closed", "meeting_recorded". The
  // second of the pair: a replay of a meeting already recorded.
  Result<std::pair<SavingsGroupView, bool>> RecordMeeting(std::int64_t organisation, std::int64_t group, const MeetingInput& input);

  // Ends the cycle. Errors: "/on" (before the last meeting, in the future); kConflict
  // "cycle_closed", "loans_outstanding", "no_meetings".
  Result<SavingsGroupView> ShareOut(std::int64_t organisation, std::int64_t group, std::chrono::year_month_day on);

  // Starts the next cycle once shared out, with the social fund carried over; rules and
  // members as given, or as the last cycle's. Errors as Create's; kConflict "cycle_open".
  Result<SavingsGroupView> NextCycle(std::int64_t organisation, std::int64_t group, std::chrono::year_month_day started_on,
                                     std::optional<SavingsGroupRules> rules, std::optional<std::vector<std::int64_t>> members);

  // A signed-in user's place in every group's current cycle they belong to.
  struct Own {
    SavingsGroupSummary group;
    std::int64_t member_id = 0;
    std::int64_t share_value = 0;
    GroupMemberPosition position;
  };
  Result<std::vector<Own>> OfUser(std::int64_t user_id);

 private:
  std::string Now() const;
  // Posts meeting `number` of `cycle` (or, with nullopt, its share-out) if not yet posted.
  Result<void> Post(std::int64_t group, std::int64_t cycle, std::optional<std::int64_t> number);
  store::Store& store_;
  ledger::Ledger& ledger_;
  const Clock& clock_;
};

// Members chosen from an organisation's register, checked on `on`: "<field>/<i>"
// not_a_member or repeated; "<field>" out_of_range when fewer than 1 or more than `max`.
Result<std::vector<GroupMember>> RegisterMembers(store::Conn& conn, std::int64_t organisation, const std::vector<std::int64_t>& ids,
                                                 std::chrono::year_month_day on, std::size_t max, const std::string& field);

}  // namespace solidum::finance
