// Counting a motion: yes / no / abstain against the majority the statutes require, per
// college and weighted where the statutes weight colleges. Pure.
//
// Rules
//   threshold  simple: more than half; two_thirds: at least 2/3; three_quarters: at least 3/4
//   base       votes_cast: yes / (yes + no), plus abstentions when they count against;
//              members: yes / the members entitled to vote (everyone who did not vote
//              yes counts against)
//   colleges   unweighted: every vote counts the same (one member, one vote);
//              weighted: each college's share of yes, weighted by its college weight,
//              colleges without a vote left out and the others' weights rescaled
// Shares are exact fractions when unweighted; weighted shares are computed to 12 decimals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace solidum::tally {

enum class Threshold { kSimple, kTwoThirds, kThreeQuarters };
enum class MajorityBase { kVotesCast, kMembers };
enum class Abstentions { kExcluded, kAgainst };

struct MotionRule {
  Threshold threshold = Threshold::kSimple;
  MajorityBase base = MajorityBase::kVotesCast;
  Abstentions abstentions = Abstentions::kExcluded;
  bool weighted = false;
};

std::optional<Threshold> ParseThreshold(std::string_view s);
std::optional<MajorityBase> ParseMajorityBase(std::string_view s);
std::optional<Abstentions> ParseAbstentions(std::string_view s);
std::string_view ThresholdName(Threshold t);
std::string_view MajorityBaseName(MajorityBase b);
std::string_view AbstentionsName(Abstentions a);

struct CollegeVotes {
  std::string name;            // the college (member class) or "" for all members
  std::int64_t weight = 0;     // percent, for weighted counts
  std::int64_t yes = 0, no = 0, abstain = 0;
  std::int64_t entitled = 0;   // members entitled to vote in it
};

struct MotionResult {
  bool adopted = false;
  std::int64_t yes = 0, no = 0, abstain = 0, entitled = 0;
  // The share of yes as the rule measures it, in millionths (rounded down), for display.
  std::int64_t share_ppm = 0;
  std::vector<std::int64_t> college_share_ppm;  // per college, same order
  std::string rule;  // the rule applied, in words (English), e.g. "two-thirds of votes cast; abstentions not counted"
};

MotionResult CountMotion(const std::vector<CollegeVotes>& colleges, const MotionRule& rule);

}  // namespace solidum::tally
