// Year-end surplus allocation: a pure engine that divides a co-operative's distributable
// surplus as its statutes say, people and labour before capital, exactly: the parts sum
// to the surplus to the minor unit.
//
// Order (ICA's third principle; French SCOP, Italian and Spanish co-operative law shape):
//  1. the legal / indivisible reserve: `reserve_bp` of the surplus, at least the statutes'
//     `reserve_min_bp`;
//  2. an optional community or development fund: `fund_bp` of the surplus;
//  3. interest on members' paid-up share capital at `share_interest_bp` a year, never
//     above the statutes' cap `share_interest_cap_bp`; when what is left cannot pay it
//     all, each member gets the same fraction of theirs;
//  4. patronage refunds: `refunds_bp` of what is left after 1-3, to members in proportion
//     to their work (hours or wages) or their use (purchases) over the year;
//  5. what is left stays in the reserve (retained).
// With `interest_at_most_refunds` (labour before capital), the interest on capital may
// not exceed the refunds: such rules are refused.
//
// Every division by a proportion is apportioned by the largest-remainder method (Hamilton):
// floors first, then one minor unit each to the largest remainders, ties to the earlier
// member, so that the parts sum exactly. Linear in the members (a selection, not a sort).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "finance/rounding.h"

namespace solidum::finance {

inline constexpr std::size_t kSurplusMembersMax = 10'000'000;  // the largest credit-union federations have 7 million
inline constexpr std::int64_t kSurplusMax = 1'000'000'000'000'000;  // minor units

struct SurplusRules {
  std::int64_t reserve_bp = 0;
  std::int64_t reserve_min_bp = 0;          // the statutes' minimum reserve
  std::int64_t fund_bp = 0;
  std::int64_t share_interest_bp = 0;       // a year, on paid-up capital
  std::int64_t share_interest_cap_bp = 0;   // the statutes' cap
  std::int64_t refunds_bp = kBasisPoints;   // of what is left after reserve, fund and interest
  bool interest_at_most_refunds = true;
};

struct SurplusMember {
  std::int64_t member = 0;       // the caller's id, given back
  std::int64_t capital = 0;      // paid-up share capital over the year (average), minor units
  std::int64_t patronage = 0;    // work or use over the year, in the basis's unit (hours, cents)
};

struct SurplusShare {
  std::int64_t member = 0;
  std::int64_t interest = 0;  // on capital
  std::int64_t refund = 0;    // patronage refund
};

struct SurplusAllocation {
  std::int64_t surplus = 0;
  std::int64_t reserve = 0;   // step 1
  std::int64_t fund = 0;      // step 2
  std::int64_t interest = 0;  // step 3, all members
  std::int64_t refunds = 0;   // step 4, all members
  std::int64_t retained = 0;  // step 5, to the reserve as well
  std::vector<SurplusShare> members;  // in the order given
};

// Errors (invalid fields): "/surplus" out of range; "/rules/<name>" out of range, below the
// statutes' minimum or above their cap; "/rules/interest_at_most_refunds" when the
// interest would exceed the refunds; "/members/<i>/..." negative or repeated.
Result<SurplusAllocation> AllocateSurplus(std::int64_t surplus, const SurplusRules& rules, std::span<const SurplusMember> members);

// `total` apportioned to `weights` (non-negative) by largest remainders; all zero weights
// give nothing to anyone (the caller keeps `total`). The parts sum to `total` otherwise.
std::vector<std::int64_t> Apportion(std::int64_t total, std::span<const std::int64_t> weights);

}  // namespace solidum::finance
