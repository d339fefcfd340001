// Group lending with joint liability (solidarity groups, issue 7): a pure engine that
// follows each member of a group loan and the group as a whole. No store, no clock.
//
// A solidarity group borrows one loan and shares it among its members, each for their own
// part (`shares`: what each borrowed). The loan's schedule is split among them in
// proportion to their parts: every instalment's principal, interest and fees apportioned by
// largest remainders (ties to the earlier member), so the members' schedules add up to the
// group's exactly, instalment by instalment.
//
// Money is collected at the group's meetings on a collection sheet: each line is an
// amount paid towards one member's part, by that member or, under joint liability, by
// another member of the group (`paid_by`) when someone cannot pay. Each member's payments
// are applied to their own schedule (finance::Position, fees, interest, principal), which
// gives their own arrears: individual monitoring. The group's loan takes the sheet's total,
// so a member's arrears that the others do not cover are the group's arrears. What members
// paid for each other is kept as what the one covered owes the others.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"
#include "finance/servicing.h"

namespace solidum::finance {

inline constexpr std::size_t kGroupLoanMembersMax = 60;
inline constexpr std::size_t kCollectionsMax = 5'000;  // meetings of a loan

struct MemberPart {
  std::int64_t member = 0;
  std::int64_t amount = 0;  // the part of the principal they borrowed, > 0
};

struct CollectionLine {
  std::int64_t member = 0;                // whose part it pays
  std::int64_t amount = 0;                // > 0
  std::optional<std::int64_t> paid_by;    // another member of the group; none: the member
  bool operator==(const CollectionLine&) const = default;
};

struct Collection {
  std::chrono::year_month_day held_on{};
  std::vector<CollectionLine> lines;
};

struct MemberStanding {
  std::int64_t member = 0, part = 0;
  std::vector<Due> schedule;           // their share of the group's
  LoanPosition position;               // their payments on their schedule, on the day
  std::int64_t due_now = 0;            // what the collection sheet asks of them on the day
  std::int64_t paid = 0;               // towards their part, by anyone
  std::int64_t paid_for_others = 0;    // they paid towards other members' parts
  std::int64_t covered_by_others = 0;  // others paid towards their part: they owe it back
};

struct GroupStanding {
  std::vector<MemberStanding> members;  // in the order of the parts
  std::int64_t collected = 0;           // every line of every meeting until the day
  std::int64_t arrears = 0;             // the members' arrears added up
  std::int64_t members_in_arrears = 0;
  std::int64_t due_now = 0;             // the collection sheet's total on the day
};

// Splits `schedule` in proportion to `parts`. Errors: "/members" (none, too many),
// "/members/<i>/member" repeated, "/members/<i>/amount" not positive, "/members" parts
// not adding up to `principal` (parts_mismatch).
Result<std::vector<std::vector<Due>>> SplitSchedule(std::span<const Due> schedule, std::int64_t principal, std::span<const MemberPart> parts);

// Checks one meeting's lines against the group. Errors: "/lines" (none, too many),
// "/lines/<i>/member" unknown_member or repeated, "/lines/<i>/paid_by" unknown_member or
// same_member, "/lines/<i>/amount" out_of_range.
Result<std::int64_t> CheckCollection(std::span<const MemberPart> parts, std::span<const CollectionLine> lines);

// The group and each member at the end of `as_of` (meetings after it are not counted).
Result<GroupStanding> Standing(std::span<const Due> schedule, std::int64_t principal, std::span<const MemberPart> parts,
                               std::span<const Collection> meetings, std::optional<std::chrono::year_month_day> written_off_on,
                               std::chrono::year_month_day as_of);

}  // namespace solidum::finance
