// Tontines (ROSCAs) kept in the store (issue 7): an organisation's members who each put in
// the same contribution every round, one of them taking the whole pot each time, until
// everyone has had theirs.
//
// The tontine fixes, when it is created, its members (from the organisation's register),
// the contribution, the period (weekly or monthly: the dates rounds fall due), and how the
// pot's order is decided: the members' order, a lottery whose seed is published at the
// start (anyone can recompute the draw: finance::LotteryOrder), or bidding. Rounds are
// recorded whole and in order: the bids (bidding), and the contributions missed with who
// covered each. Each round is checked by replaying the tontine with it
// (finance::ReplayTontine) and is idempotent by its number, as savings-group meetings are.
// Recorded rounds are never changed. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "finance/savings_groups.h"
#include "finance/tontine.h"
#include "store/store.h"

namespace solidum::finance {

inline constexpr std::size_t kTontinesMax = 1'000;  // per organisation

enum class RoundPeriod { kWeekly, kMonthly };
std::string_view Name(RoundPeriod p);
std::optional<RoundPeriod> ParseRoundPeriod(std::string_view s);
// The date round `number` (1-based) falls due.
std::chrono::year_month_day RoundDue(std::chrono::year_month_day start, RoundPeriod period, std::int64_t number);

struct TontineInput {
  std::string name, unit;
  std::int64_t decimals = 0;
  std::int64_t contribution = 0;
  PotOrder order = PotOrder::kFixed;
  std::string seed;  // lottery and bidding: given, or drawn at random when empty
  RoundPeriod period = RoundPeriod::kMonthly;
  std::chrono::year_month_day started_on{};
  std::vector<std::int64_t> members;  // the register's ids; fixed order: the pot's order
};

struct TontineSummary {
  std::int64_t id = 0, organisation_id = 0;
  std::string name, unit;
  std::int64_t decimals = 0, contribution = 0, members = 0, rounds = 0;
  PotOrder order = PotOrder::kFixed;
  RoundPeriod period = RoundPeriod::kMonthly;
  std::chrono::year_month_day started_on{};
};

struct RecordedRound {
  std::int64_t number = 0;
  std::chrono::year_month_day held_on{};
  RoundFacts facts;
};

struct TontineView {
  TontineSummary tontine;
  std::optional<std::chrono::year_month_day> as_of;  // set when asked as of a day
  std::string seed;
  std::vector<GroupMember> members;
  std::vector<RecordedRound> rounds;
  TontineState state;
  // The next round, when the cycle is not over: its number, due date, and who takes the
  // pot when already known (fixed order, lottery, or the last member left when bidding).
  std::optional<std::int64_t> next_round;
  std::optional<std::chrono::year_month_day> next_due;
  std::optional<std::int64_t> next_recipient;
};

struct RoundInput {
  std::int64_t number = 0;
  std::chrono::year_month_day held_on{};
  RoundFacts facts;
  std::optional<std::int64_t> entered_by;
};

class Tontines {
 public:
  Tontines(store::Store& store, const Clock& clock);

  // Errors: "/name", "/unit", "/decimals", "/contribution", "/seed", "/started_on",
  // "/members" and "/members/<i>"; kConflict "name_taken", "too_many_tontines".
  Result<TontineView> Create(std::int64_t organisation, const TontineInput& input);
  Result<std::vector<TontineSummary>> List(std::int64_t organisation);
  // With `as_of`, the tontine as it stood at the end of that day: the rounds held by then,
  // and each member's position (paid in, received) from them. kNotFound.
  Result<TontineView> Get(std::int64_t organisation, std::int64_t tontine, std::optional<std::chrono::year_month_day> as_of = std::nullopt);

  // Errors: "/number" (out_of_order), "/held_on" (invalid, before the previous round or
  // the start, in the future), the engine's "/bids/<i>/...", "/missed/<i>/..."; kConflict
  // "cycle_complete", "round_recorded". The second of the pair: a replay.
  Result<std::pair<TontineView, bool>> RecordRound(std::int64_t organisation, std::int64_t tontine, const RoundInput& input);

  struct Own {
    TontineSummary tontine;
    std::int64_t member_id = 0;
    MemberPosition position;
  };
  Result<std::vector<Own>> OfUser(std::int64_t user_id);

 private:
  std::string Now() const;
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace solidum::finance
