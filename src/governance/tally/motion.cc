#include "governance/tally/motion.h"

#include <utility>

namespace solidum::tally {
namespace {

__extension__ using Int128 = __int128;

// The threshold as a fraction p/q and whether reaching it exactly is enough.
struct Fraction {
  std::int64_t p, q;
  bool inclusive;
};
Fraction Of(Threshold t) {
  switch (t) {
    case Threshold::kSimple: return {1, 2, false};
    case Threshold::kTwoThirds: return {2, 3, true};
    case Threshold::kThreeQuarters: return {3, 4, true};
  }
  return {1, 2, false};
}

std::int64_t Base(const CollegeVotes& c, const MotionRule& rule) {
  if (rule.base == MajorityBase::kMembers) return c.entitled;
  return c.yes + c.no + (rule.abstentions == Abstentions::kAgainst ? c.abstain : 0);
}

// Does yes/base reach p/q? Exact.
bool Reaches(Int128 yes, Int128 base, const Fraction& f) {
  if (base <= 0) return false;
  const Int128 lhs = yes * f.q, rhs = base * f.p;
  return f.inclusive ? lhs >= rhs : lhs > rhs;
}

std::int64_t Ppm(std::int64_t yes, std::int64_t base) {
  return base > 0 ? static_cast<std::int64_t>(static_cast<Int128>(yes) * 1'000'000 / base) : 0;
}

}  // namespace

std::optional<Threshold> ParseThreshold(std::string_view s) {
  if (s == "simple") return Threshold::kSimple;
  if (s == "two_thirds") return Threshold::kTwoThirds;
  if (s == "three_quarters") return Threshold::kThreeQuarters;
  return std::nullopt;
}
std::optional<MajorityBase> ParseMajorityBase(std::string_view s) {
  if (s == "votes_cast") return MajorityBase::kVotesCast;
  if (s == "members") return MajorityBase::kMembers;
  return std::nullopt;
}
std::optional<Abstentions> ParseAbstentions(std::string_view s) {
  if (s == "excluded") return Abstentions::kExcluded;
  if (s == "against") return Abstentions::kAgainst;
  return std::nullopt;
}
std::string_view ThresholdName(Threshold t) {
  switch (t) {
    case Threshold::kSimple: return "simple";
    case Threshold::kTwoThirds: return "two_thirds";
    case Threshold::kThreeQuarters: return "three_quarters";
  }
  return "simple";
}
std::string_view MajorityBaseName(MajorityBase b) { return b == MajorityBase::kMembers ? "members" : "votes_cast"; }
std::string_view AbstentionsName(Abstentions a) { return a == Abstentions::kAgainst ? "against" : "excluded"; }

MotionResult CountMotion(const std::vector<CollegeVotes>& colleges, const MotionRule& rule) {
  MotionResult out;
  const Fraction f = Of(rule.threshold);
  for (const auto& c : colleges) {
    out.yes += c.yes;
    out.no += c.no;
    out.abstain += c.abstain;
    out.entitled += c.entitled;
    out.college_share_ppm.push_back(Ppm(c.yes, Base(c, rule)));
  }
  std::string words = rule.threshold == Threshold::kSimple      ? "more than half"
                      : rule.threshold == Threshold::kTwoThirds ? "at least two-thirds"
                                                                 : "at least three-quarters";
  words += rule.base == MajorityBase::kMembers ? " of the members entitled to vote" : " of the votes cast";
  if (rule.base == MajorityBase::kVotesCast) {
    words += rule.abstentions == Abstentions::kAgainst ? "; abstentions count as votes cast" : "; abstentions not counted";
  }
  if (!rule.weighted) {
    CollegeVotes all{"", 0, out.yes, out.no, out.abstain, out.entitled};
    const std::int64_t base = Base(all, rule);
    out.adopted = Reaches(out.yes, base, f);
    out.share_ppm = Ppm(out.yes, base);
    out.rule = words + "; one member, one vote";
    return out;
  }
  // Weighted: sum of weight x share over colleges with a base, against threshold x the
  // sum of their weights; shares to 12 decimals.
  constexpr Int128 kUnit = 1'000'000'000'000;
  Int128 weighted = 0, weights = 0;
  std::string split;
  for (const auto& c : colleges) {
    split += (split.empty() ? "" : "/") + std::to_string(c.weight);
    const std::int64_t base = Base(c, rule);
    if (base <= 0 || c.weight <= 0) continue;
    weighted += c.weight * (static_cast<Int128>(c.yes) * kUnit / base);
    weights += c.weight;
  }
  if (weights > 0) {
    out.adopted = Reaches(weighted, weights * kUnit, f);
    out.share_ppm = static_cast<std::int64_t>(weighted / weights / 1'000'000);
  }
  out.rule = words + "; colleges weighted " + split + " %, colleges without votes left out";
  return out;
}

}  // namespace solidum::tally
