// Savings groups (VSLA: village savings and loan associations): a pure engine that replays
// a cycle of meetings, as the group's secretary records them (on paper first, entered
// afterwards, in order), and computes the share-out at the end. No store, no clock.
//
// Money changes hands only at a meeting, in front of the members there: every meeting
// records who was present, and shares are bought and loans taken only by members present
// (a purchase "outside a meeting" is refused as absent). Repayments, contributions and
// fines may be brought by someone else on an absent member's behalf.
//
// At each meeting, in this order:
//  1. interest: every `interest_every_meetings` meetings (the first after a loan's
//     disbursement included), each outstanding loan grows by `interest_bp` of its
//     balance, rounded half up (the group's service charge, e.g. 10 % a month);
//  2. members buy 1 to `shares_max_per_meeting` shares at `share_value` each, and pay
//     their social-fund contribution and any fines; shares and fines go to the loan fund;
//  3. repayments (at most what the member owes) go to the loan fund;
//  4. grants from the social fund (at most what it holds) and new loans from the loan
//     fund (at most what it holds; one loan per member at a time) go out.
// Share-out, once every loan is repaid: the loan fund's cash, shares' value, interest and
// fines together, goes back to the members in proportion to their shares (largest
// remainders, ties to the earlier member). The social fund is not shared out: it carries
// over to the next cycle.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace solidum::finance {

inline constexpr std::size_t kGroupMembersMax = 100;
inline constexpr std::size_t kMeetingsMax = 260;  // five years of weekly meetings
inline constexpr std::int64_t kGroupAmountMax = 1'000'000'000'000;

struct SavingsGroupRules {
  std::int64_t share_value = 0;        // minor units
  int shares_max_per_meeting = 5;      // 1..
  std::int64_t social_contribution = 0;  // per member per meeting attended, minor units
  std::int64_t interest_bp = 0;        // per interest period, on the balance
  int interest_every_meetings = 1;     // 4: weekly meetings, monthly interest
  std::int64_t opening_social_fund = 0;  // carried over from the previous cycle
};

struct MemberAmount {
  std::int64_t member = 0;
  std::int64_t amount = 0;
  bool operator==(const MemberAmount&) const = default;
};
struct MeetingRecord {
  std::vector<MemberAmount> shares;   // amount = number of shares bought
  std::vector<std::int64_t> social;   // members who paid the social contribution
  std::vector<MemberAmount> fines;
  std::vector<MemberAmount> repayments;
  std::vector<MemberAmount> grants;   // from the social fund
  std::vector<MemberAmount> loans;    // from the loan fund
  std::vector<std::int64_t> present;  // members at the meeting
  bool operator==(const MeetingRecord&) const = default;
};

struct GroupMemberPosition {
  std::int64_t member = 0;
  std::int64_t shares = 0;
  std::int64_t savings = 0;          // shares x share value
  std::int64_t loan_balance = 0;     // owed now, interest included
  std::int64_t borrowed = 0, repaid = 0, interest_charged = 0;
  std::int64_t fines = 0, social_paid = 0, grants = 0;
  std::int64_t share_out = 0;        // paid at the share-out (0 before)
};

struct SavingsGroupState {
  int meetings = 0;
  std::int64_t loan_fund = 0;     // cash in the box for lending
  std::int64_t social_fund = 0;
  std::int64_t loans_outstanding = 0;
  std::int64_t total_shares = 0;
  std::vector<GroupMemberPosition> members;  // in the order given
  bool shared_out = false;
  // At the share-out: what one share returns, in basis points of its price (12,000: each
  // share came back with 20 % more).
  std::int64_t return_per_share_bp = 0;
};

// Replays the meetings; with `share_out`, ends the cycle (refused while a loan is
// outstanding: "/share_out loans_outstanding"). Errors name the meeting and the line:
// "/meetings/<m>/<kind>/<i>" with unknown_member, out_of_range, exceeds_balance,
// exceeds_fund, loan_outstanding, repeated, absent (shares or a loan for a member not
// present); "/meetings/<m>/present" required (nobody present).
Result<SavingsGroupState> ReplaySavingsGroup(std::span<const std::int64_t> members, const SavingsGroupRules& rules,
                                             std::span<const MeetingRecord> meetings, bool share_out);

}  // namespace solidum::finance
