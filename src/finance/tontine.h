// Tontines (ROSCAs: rotating savings and credit associations): a pure engine that replays
// a tontine's rounds and tells who takes each pot, what everyone has paid in and received,
// and who owes whom for missed contributions. No store, no clock.
//
// Every member contributes `contribution` each round; each round's pot goes to one member
// who has not yet had one, so a cycle has as many rounds as members. Who takes the pot:
//  - fixed: the order the members were listed in;
//  - lottery: a draw anyone can check: members ranked by BLAKE2b-256 of
//    "<seed>:<member id>" (hex, lowest first), with the seed published before the draw
//    (for instance the hash of the previous meeting's minutes);
//  - bidding: members who have not had a pot bid the amount they would accept; the lowest
//    bid takes the pot (ties: the lottery ranking), and the discount (pot minus the bid)
//    is shared equally among the round's other members, by largest remainders (ties to
//    the earlier member), so it sums exactly. The last member left takes the last pot
//    whole, without bidding.
// A missed contribution is covered, so the pot is always whole: by another member or by
// the group's fund (`coverer` absent). The member who missed then owes the coverer.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace solidum::finance {

enum class PotOrder { kFixed, kLottery, kBidding };
std::string_view Name(PotOrder o);
std::optional<PotOrder> ParsePotOrder(std::string_view s);

inline constexpr std::size_t kTontineMembersMax = 500;
inline constexpr std::int64_t kContributionMax = 1'000'000'000'000;  // minor units

struct TontineRules {
  std::int64_t contribution = 0;  // per member per round, minor units
  PotOrder order = PotOrder::kFixed;
  std::string seed;               // lottery and bidding ties; published before the draw
};

struct Bid {
  std::int64_t member = 0;
  std::int64_t amount = 0;  // what the member would accept, 1..pot
};
struct Missed {
  std::int64_t member = 0;
  std::optional<std::int64_t> coverer;  // absent: the group's fund
};
struct RoundFacts {
  std::vector<Bid> bids;        // bidding only
  std::vector<Missed> missed;   // contributions not paid by their member this round
};

struct RoundResult {
  int number = 0;  // 1-based
  std::int64_t recipient = 0;
  std::int64_t pot = 0;       // all contributions
  std::int64_t received = 0;  // pot, or the winning bid
  std::int64_t discount = 0;  // shared among the round's other members
  std::vector<std::pair<std::int64_t, std::int64_t>> discount_shares;  // (member, share)
};

struct MemberPosition {
  std::int64_t member = 0;
  std::int64_t paid_in = 0;         // contributions paid by the member (covered ones not included)
  std::int64_t received = 0;        // pot received, plus discount shares
  std::int64_t covered_for_others = 0;
  std::int64_t owes_for_missed = 0;  // contributions others (or the fund) covered for them
  std::optional<int> pot_round;      // the round they took the pot, if yet
  // received - paid_in - owes_for_missed: ahead (positive) or behind. Covering for
  // others is a claim on them, so it does not count. The members' nets sum to zero over
  // a whole cycle, and each is zero in a fixed or lottery tontine.
  std::int64_t net = 0;
};

struct TontineState {
  std::vector<RoundResult> rounds;
  std::vector<MemberPosition> members;  // in the order given
  std::int64_t fund_covered = 0;        // contributions the group's fund covered
  std::vector<std::int64_t> lottery_order;  // lottery: the whole drawn order
};

// Replays `rounds` (at most one per member). Errors name the field: "/members" (none, too
// many, repeated), "/rules/contribution", "/rounds" (more rounds than members),
// "/rounds/<r>/bids/<i>" (unknown member, already had a pot, out of range, twice, no bid
// in a bidding round), "/rounds/<r>/missed/<i>" (unknown member or coverer, twice, a
// member covering themselves).
Result<TontineState> ReplayTontine(std::span<const std::int64_t> members, const TontineRules& rules, std::span<const RoundFacts> rounds);

// The lottery ranking of `members` for `seed` (lowest hash first).
std::vector<std::int64_t> LotteryOrder(std::span<const std::int64_t> members, std::string_view seed);

}  // namespace solidum::finance
