// Counting engines: plain data in (an Election), plain data out (a Tally). No store, no
// clock; deterministic: the same election, options and seed give the same tally.
//
// Methods
//   scottish   Scottish STV (Scottish Local Government Elections Order 2007): weighted
//              inclusive Gregory; Droop quota floor(valid / (seats + 1)) + 1, a whole
//              number; elected on reaching it; the largest surplus transferred first,
//              every paper of the candidate at value x surplus / total, cut (not rounded)
//              at 5 decimal places; one exclusion per stage at current values; ties by
//              the earliest stage at which the candidates differed, then by lot.
//   wigm       the same rule counted to 9 decimal places.
//   meek       Meek STV (Hill, Wichmann and Woodall's Algorithm 123 as New Zealand counts
//              it): 9 decimal places, keep values, a Droop quota recomputed as papers
//              exhaust, iterated until the elected candidates' surpluses add up to less
//              than 0.00001 of a vote; ties by the latest stage at which they differed,
//              then by lot.
//   irv        instant runoff for one seat: a majority of the papers still in the count.
//   plurality  one vote for the first preference; the most votes win (block voting: the
//   block      first `seats` preferences get one vote each);
//   approval   one vote for every candidate ranked.
//
// Ties "by lot" follow one permutation of the candidates drawn from Options::seed
// (SplitMix64 and Fisher-Yates), printed in Tally::notes so anyone can redo the draw.
//
// Balance rules ("at least k of the seats to group g", e.g. a gender) are kept by the
// Grey-Fitzgerald rule: a candidate whose election would leave too few seats for the
// groups still short is doomed and excluded first; a candidate without whom a group could
// no longer reach its minimum is guarded and never excluded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "governance/tally/election.h"

namespace solidum::tally {

enum class Method { kScottish, kWigm, kMeek, kIrv, kPlurality, kBlock, kApproval };

std::optional<Method> ParseMethod(std::string_view name);
std::string_view MethodName(Method method);
bool IsStv(Method method);

struct BalanceRule {
  std::string group;  // matches Candidate::group
  int seats_min = 0;
};

struct Options {
  Method method = Method::kScottish;
  int seats = 0;            // 0: the election's own number
  std::uint64_t seed = 1;   // for ties that only a draw can break
  std::vector<BalanceRule> balance;
};

enum class StageKind {
  kFirstPreferences,  // or the only stage of a plurality, block or approval count
  kSurplus,           // a surplus transferred (Meek: surpluses redistributed)
  kExclusion,         // a candidate excluded and their papers transferred
};

// Votes are fixed-point numbers: integers in units of 10^-Tally::decimals of a vote.
struct Stage {
  StageKind kind = StageKind::kFirstPreferences;
  std::vector<std::int64_t> votes;           // per candidate, after this stage
  std::int64_t non_transferable = 0;         // exhausted papers and fractions lost
  std::int64_t quota = 0;                    // in force at this stage
  std::vector<CandidateIndex> elected;       // elected at this stage, in order
  std::vector<CandidateIndex> excluded;      // excluded to make this stage
  std::optional<CandidateIndex> surplus;     // whose surplus made this stage
  std::vector<std::string> notes;            // ties broken, candidates deemed elected...
};

struct Tally {
  Method method = Method::kScottish;
  int seats = 0;
  int decimals = 0;
  std::int64_t valid_papers = 0;
  std::int64_t quota = 0;                    // at the first stage
  std::vector<CandidateIndex> elected;       // in order of election
  std::vector<Stage> stages;
  std::vector<std::string> notes;
};

// Refuses (kInvalidInput) a method that cannot fill the seats asked (irv for more than one
// seat), seats out of 1..candidates, balance rules that no result could meet, and an
// election whose ballots break Election's contract.
Result<Tally> Count(const Election& election, const Options& options);

// "1234.56789" for FormatFixed(123456789, 5); negative values keep their sign.
std::string FormatFixed(std::int64_t value, int decimals);

}  // namespace solidum::tally
