#include "finance/tontine.h"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <set>

#include "common/assert.h"
#include "finance/surplus.h"

namespace solidum::finance {

namespace {

constexpr std::size_t kSeedBytesMax = 200;

std::string DrawHash(std::string_view seed, std::int64_t member) {
  const std::string input = std::string(seed) + ":" + std::to_string(member);
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(input.data()), input.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

}  // namespace

std::string_view Name(PotOrder o) {
  switch (o) {
    case PotOrder::kFixed:
      return "fixed";
    case PotOrder::kLottery:
      return "lottery";
    case PotOrder::kBidding:
      return "bidding";
  }
  return "";
}

std::optional<PotOrder> ParsePotOrder(std::string_view s) {
  for (PotOrder o : {PotOrder::kFixed, PotOrder::kLottery, PotOrder::kBidding}) {
    if (Name(o) == s) return o;
  }
  return std::nullopt;
}

std::vector<std::int64_t> LotteryOrder(std::span<const std::int64_t> members, std::string_view seed) {
  std::vector<std::pair<std::string, std::int64_t>> ranked;
  ranked.reserve(members.size());
  for (std::int64_t m : members) ranked.emplace_back(DrawHash(seed, m), m);
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::int64_t> out;
  for (const auto& [hash, m] : ranked) out.push_back(m);
  return out;
}

Result<TontineState> ReplayTontine(std::span<const std::int64_t> members, const TontineRules& rules, std::span<const RoundFacts> rounds) {
  if (members.empty() || members.size() > kTontineMembersMax) {
    return Error::Invalid("/members", "out_of_range", "A tontine has 1 to " + std::to_string(kTontineMembersMax) + " members.");
  }
  std::map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!index.emplace(members[i], i).second) return Error::Invalid("/members/" + std::to_string(i), "repeated", "Listed twice.");
  }
  if (rules.contribution < 1 || rules.contribution > kContributionMax) {
    return Error::Invalid("/rules/contribution", "out_of_range", "The contribution is 1 to " + std::to_string(kContributionMax) + " minor units.");
  }
  if (rules.order != PotOrder::kFixed && (rules.seed.empty() || rules.seed.size() > kSeedBytesMax)) {
    return Error::Invalid("/rules/seed", "required", "A draw needs a published seed (1 to 200 bytes).");
  }
  if (rounds.size() > members.size()) {
    return Error::Invalid("/rounds", "too_many", "A cycle has one round per member: " + std::to_string(members.size()) + ".");
  }

  TontineState st;
  for (std::int64_t m : members) st.members.push_back(MemberPosition{m, 0, 0, 0, 0, std::nullopt, 0});
  std::vector<std::size_t> rank(members.size());  // lottery rank, for draws and bidding ties
  if (rules.order != PotOrder::kFixed) {
    const auto drawn = LotteryOrder(members, rules.seed);
    for (std::size_t k = 0; k < drawn.size(); ++k) rank[index[drawn[k]]] = k;
    if (rules.order == PotOrder::kLottery) st.lottery_order = drawn;
  }
  const std::int64_t pot = rules.contribution * static_cast<std::int64_t>(members.size());
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    const RoundFacts& facts = rounds[r];
    const std::string at = "/rounds/" + std::to_string(r);
    // Missed contributions and who covered them.
    std::set<std::int64_t> missed;
    for (std::size_t i = 0; i < facts.missed.size(); ++i) {
      const Missed& m = facts.missed[i];
      const std::string mat = at + "/missed/" + std::to_string(i);
      if (!index.contains(m.member)) return Error::Invalid(mat + "/member", "unknown_member", "Not a member of this tontine.");
      if (!missed.insert(m.member).second) return Error::Invalid(mat + "/member", "repeated", "Listed twice in this round.");
    }
    for (std::size_t i = 0; i < facts.missed.size(); ++i) {
      const Missed& m = facts.missed[i];
      const std::string mat = at + "/missed/" + std::to_string(i) + "/coverer";
      if (!m.coverer) continue;
      if (!index.contains(*m.coverer)) return Error::Invalid(mat, "unknown_member", "Not a member of this tontine.");
      if (*m.coverer == m.member || missed.contains(*m.coverer)) {
        return Error::Invalid(mat, "cannot_cover", "A member who missed this round cannot cover it.");
      }
    }
    // Who takes the pot.
    std::size_t winner = members.size();
    std::int64_t received = pot;
    if (rules.order == PotOrder::kFixed) {
      winner = r;
    } else if (rules.order == PotOrder::kLottery) {
      winner = index[st.lottery_order[r]];
    } else {
      std::size_t left = 0;
      for (const auto& p : st.members) left += p.pot_round ? 0 : 1;
      if (left == 1 && !facts.bids.empty()) {
        return Error::Invalid(at + "/bids", "last_pot", "The last member to take a pot takes it whole, without bidding.");
      }
      std::set<std::int64_t> bidders;
      for (std::size_t i = 0; i < facts.bids.size(); ++i) {
        const Bid& b = facts.bids[i];
        const std::string bat = at + "/bids/" + std::to_string(i);
        auto it = index.find(b.member);
        if (it == index.end()) return Error::Invalid(bat + "/member", "unknown_member", "Not a member of this tontine.");
        if (st.members[it->second].pot_round) return Error::Invalid(bat + "/member", "already_received", "This member has had a pot.");
        if (!bidders.insert(b.member).second) return Error::Invalid(bat + "/member", "repeated", "One bid per member per round.");
        if (b.amount < 1 || b.amount > pot) {
          return Error::Invalid(bat + "/amount", "out_of_range", "A bid is 1 to the pot, " + std::to_string(pot) + ".");
        }
        const std::size_t who = it->second;
        if (winner == members.size() || b.amount < received || (b.amount == received && rank[who] < rank[winner])) {
          winner = who;
          received = b.amount;
        }
      }
      if (winner == members.size()) {
        // No bid: only when one member is left to take a pot, at its full value.
        if (left != 1) return Error::Invalid(at + "/bids", "required", "A bidding round needs at least one bid.");
        for (std::size_t i = 0; i < members.size(); ++i) {
          if (!st.members[i].pot_round) winner = i;
        }
        received = pot;
      }
    }
    SOLIDUM_ASSERT(winner < members.size() && !st.members[winner].pot_round);

    RoundResult res;
    res.number = static_cast<int>(r) + 1;
    res.recipient = members[winner];
    res.pot = pot;
    res.received = received;
    res.discount = pot - received;
    for (std::size_t i = 0; i < members.size(); ++i) {
      MemberPosition& p = st.members[i];
      if (missed.contains(p.member)) p.owes_for_missed += rules.contribution;
      else p.paid_in += rules.contribution;
    }
    for (const Missed& m : facts.missed) {
      if (m.coverer) st.members[index[*m.coverer]].covered_for_others += rules.contribution;
      else st.fund_covered += rules.contribution;
    }
    st.members[winner].received += received;
    st.members[winner].pot_round = res.number;
    if (res.discount > 0 && members.size() > 1) {
      std::vector<std::int64_t> equal(members.size(), 1);
      equal[winner] = 0;
      const auto shares = Apportion(res.discount, equal);
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (i == winner) continue;
        st.members[i].received += shares[i];
        res.discount_shares.emplace_back(members[i], shares[i]);
      }
    }
    st.rounds.push_back(std::move(res));
  }
  for (auto& p : st.members) p.net = p.received - p.paid_in - p.owes_for_missed;
  return st;
}

}  // namespace solidum::finance
