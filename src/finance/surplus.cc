#include "finance/surplus.h"

#include <algorithm>
#include <numeric>
#include <limits>
#include <optional>
#include <unordered_set>

#include "common/assert.h"

namespace solidum::finance {

namespace {

Result<void> CheckRules(const SurplusRules& r) {
  auto bp = [](const char* name, std::int64_t v) -> Result<void> {
    if (v < 0 || v > kBasisPoints) {
      return Error::Invalid(std::string("/rules/") + name, "out_of_range", "0 to 10,000 basis points (0 to 100 %).");
    }
    return Ok();
  };
  SOLIDUM_TRY(bp("reserve_bp", r.reserve_bp));
  SOLIDUM_TRY(bp("reserve_min_bp", r.reserve_min_bp));
  SOLIDUM_TRY(bp("fund_bp", r.fund_bp));
  SOLIDUM_TRY(bp("share_interest_bp", r.share_interest_bp));
  SOLIDUM_TRY(bp("share_interest_cap_bp", r.share_interest_cap_bp));
  SOLIDUM_TRY(bp("refunds_bp", r.refunds_bp));
  if (r.reserve_bp < r.reserve_min_bp) {
    return Error::Invalid("/rules/reserve_bp", "below_statutes", "The statutes put at least " + std::to_string(r.reserve_min_bp) +
                                                                     " basis points of the surplus in the reserve.");
  }
  if (r.reserve_bp + r.fund_bp > kBasisPoints) {
    return Error::Invalid("/rules/fund_bp", "out_of_range", "The reserve and the fund together take at most the whole surplus.");
  }
  if (r.share_interest_bp > r.share_interest_cap_bp) {
    return Error::Invalid("/rules/share_interest_bp", "above_statutes",
                          "The statutes cap interest on share capital at " + std::to_string(r.share_interest_cap_bp) + " basis points.");
  }
  return Ok();
}

// The index of the first member whose id an earlier member has, if any.
std::optional<std::size_t> FirstRepeated(std::span<const SurplusMember> members) {
  std::vector<std::int64_t> ids(members.size());
  for (std::size_t i = 0; i < members.size(); ++i) ids[i] = members[i].member;
  std::sort(ids.begin(), ids.end());
  const auto twice = std::adjacent_find(ids.begin(), ids.end());
  if (twice == ids.end()) return std::nullopt;
  // Rare: find the earliest member listed a second time (any id, not only this one).
  std::unordered_set<std::int64_t> seen;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!seen.insert(members[i].member).second) return i;
  }
  return std::nullopt;
}


// Largest-remainder apportioning of `total` over n weights, weight(i) >= 0 summing to
// `sum` > 0, each part given to give(i, part) in order. Remainders are kept as R:
// std::uint64_t when the weights sum to at most INT64_MAX (every real case: half the
// memory, and 64-bit division where the product fits), Int128 otherwise. Answers what it
// gave (= total).
template <typename R, typename Weight, typename Give>
Int128 ApportionAs(std::int64_t total, std::size_t n, Int128 sum, Weight weight, Give give) {
  std::vector<R> remainder(n);
  std::vector<std::int64_t> floor(n);
  Int128 given = 0;
  const bool narrow = sum <= std::numeric_limits<std::int64_t>::max();
  const auto sum64 = static_cast<std::int64_t>(narrow ? sum : 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t w = weight(i);
    std::int64_t product = 0;
    if (narrow && !__builtin_mul_overflow(total, w, &product)) {
      floor[i] = product / sum64;
      remainder[i] = static_cast<R>(product % sum64);
    } else {
      const Int128 exact = Int128(total) * w;
      floor[i] = static_cast<std::int64_t>(exact / sum);
      remainder[i] = static_cast<R>(exact % sum);
    }
    given += floor[i];
  }
  // The `left` largest remainders, ties to the earlier weight: a strict order, so the
  // selection (linear, not a sort of millions) is deterministic.
  const auto left = static_cast<std::size_t>(Int128(total) - given);
  if (left > 0) {
    std::vector<std::uint32_t> order;
    order.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (remainder[i] > 0) order.push_back(static_cast<std::uint32_t>(i));
    }
    SOLIDUM_ASSERT(left < order.size());  // each remainder is less than one unit
    const auto before = [&](std::uint32_t x, std::uint32_t y) { return remainder[x] > remainder[y] || (remainder[x] == remainder[y] && x < y); };
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(left), order.end(), before);
    for (std::size_t k = 0; k < left; ++k) ++floor[order[k]];
  }
  for (std::size_t i = 0; i < n; ++i) give(i, floor[i]);
  return total;
}

// Apportion over accessors; gives nothing (and answers 0) when every weight is 0.
template <typename Weight, typename Give>
std::int64_t ApportionOver(std::int64_t total, std::size_t n, Weight weight, Give give) {
  SOLIDUM_ASSERT(n < (std::size_t{1} << 32));
  Int128 sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += weight(i);
  if (sum == 0 || total == 0) return 0;
  if (sum <= std::numeric_limits<std::int64_t>::max()) return static_cast<std::int64_t>(ApportionAs<std::uint64_t>(total, n, sum, weight, give));
  return static_cast<std::int64_t>(ApportionAs<Int128>(total, n, sum, weight, give));
}

}  // namespace

std::vector<std::int64_t> Apportion(std::int64_t total, std::span<const std::int64_t> weights) {
  std::vector<std::int64_t> out(weights.size(), 0);
  ApportionOver(total, weights.size(), [&](std::size_t i) { return weights[i]; }, [&](std::size_t i, std::int64_t part) { out[i] = part; });
  return out;
}

Result<SurplusAllocation> AllocateSurplus(std::int64_t surplus, const SurplusRules& rules, std::span<const SurplusMember> members) {
  if (surplus < 0 || surplus > kSurplusMax) {
    return Error::Invalid("/surplus", "out_of_range", "The distributable surplus is 0 to " + std::to_string(kSurplusMax) + " minor units.");
  }
  SOLIDUM_TRY(CheckRules(rules));
  if (members.size() > kSurplusMembersMax) return Error::Invalid("/members", "too_many", "Too many members.");
  for (std::size_t i = 0; i < members.size(); ++i) {
    auto at = [i](const char* rest) { return "/members/" + std::to_string(i) + rest; };  // only on error
    if (members[i].capital < 0 || members[i].capital > kSurplusMax) return Error::Invalid(at("/capital"), "out_of_range", "Not negative.");
    if (members[i].patronage < 0 || members[i].patronage > kSurplusMax) {
      return Error::Invalid(at("/patronage"), "out_of_range", "Not negative.");
    }
  }
  if (auto twice = FirstRepeated(members)) return Error::Invalid("/members/" + std::to_string(*twice) + "/member", "repeated", "This member is listed twice.");

  SurplusAllocation a;
  a.surplus = surplus;
  a.reserve = BasisPointsOf(surplus, rules.reserve_bp);
  a.fund = std::min(BasisPointsOf(surplus, rules.fund_bp), surplus - a.reserve);
  std::int64_t left = surplus - a.reserve - a.fund;

  // Interest on capital: each member's due, or the same fraction of it when `left` is short.
  a.members.reserve(members.size());
  Int128 wanted = 0;
  for (const SurplusMember& m : members) {
    a.members.push_back({m.member, BasisPointsOf(m.capital, rules.share_interest_bp), 0});
    wanted += a.members.back().interest;
  }
  if (wanted <= left) {
    a.interest = static_cast<std::int64_t>(wanted);
  } else {
    std::vector<std::int64_t> due(members.size());
    for (std::size_t i = 0; i < members.size(); ++i) due[i] = a.members[i].interest;
    a.interest = ApportionOver(left, due.size(), [&](std::size_t i) { return due[i]; },
                               [&](std::size_t i, std::int64_t part) { a.members[i].interest = part; });
  }
  left -= a.interest;

  // Refunds: 0 when no one has patronage.
  const std::int64_t pool = BasisPointsOf(left, rules.refunds_bp);
  a.refunds = ApportionOver(pool, members.size(), [&](std::size_t i) { return members[i].patronage; },
                            [&](std::size_t i, std::int64_t part) { a.members[i].refund = part; });
  if (rules.interest_at_most_refunds && a.interest > a.refunds) {
    return Error::Invalid("/rules/interest_at_most_refunds", "capital_before_labour",
                          "Interest on capital (" + std::to_string(a.interest) + ") would exceed the patronage refunds (" +
                              std::to_string(a.refunds) + "): lower the interest rate or raise the refunds.");
  }
  a.retained = left - a.refunds;
  SOLIDUM_ASSERT(a.reserve + a.fund + a.interest + a.refunds + a.retained == surplus);
  return a;
}

}  // namespace solidum::finance
