#include "finance/surplus.h"

#include <algorithm>
#include <numeric>
#include <set>

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

}  // namespace

std::vector<std::int64_t> Apportion(std::int64_t total, std::span<const std::int64_t> weights) {
  std::vector<std::int64_t> out(weights.size(), 0);
  Int128 sum = 0;
  for (std::int64_t w : weights) sum += w;
  if (sum == 0 || total == 0) return out;
  std::vector<Int128> remainder(weights.size());
  Int128 given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const Int128 exact = Int128(total) * weights[i];
    out[i] = static_cast<std::int64_t>(exact / sum);
    remainder[i] = exact % sum;
    given += out[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; given < total; ++k, ++given) ++out[order[k]];
  return out;
}

Result<SurplusAllocation> AllocateSurplus(std::int64_t surplus, const SurplusRules& rules, std::span<const SurplusMember> members) {
  if (surplus < 0 || surplus > kSurplusMax) {
    return Error::Invalid("/surplus", "out_of_range", "The distributable surplus is 0 to " + std::to_string(kSurplusMax) + " minor units.");
  }
  SOLIDUM_TRY(CheckRules(rules));
  if (members.size() > kSurplusMembersMax) return Error::Invalid("/members", "too_many", "Too many members.");
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string at = "/members/" + std::to_string(i);
    if (!seen.insert(members[i].member).second) return Error::Invalid(at + "/member", "repeated", "This member is listed twice.");
    if (members[i].capital < 0 || members[i].capital > kSurplusMax) return Error::Invalid(at + "/capital", "out_of_range", "Not negative.");
    if (members[i].patronage < 0 || members[i].patronage > kSurplusMax) {
      return Error::Invalid(at + "/patronage", "out_of_range", "Not negative.");
    }
  }

  SurplusAllocation a;
  a.surplus = surplus;
  a.reserve = BasisPointsOf(surplus, rules.reserve_bp);
  a.fund = std::min(BasisPointsOf(surplus, rules.fund_bp), surplus - a.reserve);
  std::int64_t left = surplus - a.reserve - a.fund;

  // Interest on capital: each member's due, or the same fraction of it when `left` is short.
  std::vector<std::int64_t> due(members.size());
  Int128 wanted = 0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    due[i] = BasisPointsOf(members[i].capital, rules.share_interest_bp);
    wanted += due[i];
  }
  std::vector<std::int64_t> interest = wanted <= left ? due : Apportion(left, due);
  a.interest = std::accumulate(interest.begin(), interest.end(), std::int64_t{0});
  left -= a.interest;

  std::vector<std::int64_t> weights(members.size());
  for (std::size_t i = 0; i < members.size(); ++i) weights[i] = members[i].patronage;
  const std::int64_t pool = BasisPointsOf(left, rules.refunds_bp);
  std::vector<std::int64_t> refunds = Apportion(pool, weights);
  a.refunds = std::accumulate(refunds.begin(), refunds.end(), std::int64_t{0});  // 0 when no one has patronage
  if (rules.interest_at_most_refunds && a.interest > a.refunds) {
    return Error::Invalid("/rules/interest_at_most_refunds", "capital_before_labour",
                          "Interest on capital (" + std::to_string(a.interest) + ") would exceed the patronage refunds (" +
                              std::to_string(a.refunds) + "): lower the interest rate or raise the refunds.");
  }
  a.retained = left - a.refunds;
  for (std::size_t i = 0; i < members.size(); ++i) a.members.push_back({members[i].member, interest[i], refunds[i]});
  SOLIDUM_ASSERT(a.reserve + a.fund + a.interest + a.refunds + a.retained == surplus);
  return a;
}

}  // namespace solidum::finance
