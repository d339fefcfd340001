// Internal to the tally library: what the counting engines share (statuses, ties,
// balance rules, stage snapshots). Not part of the library's contract.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "governance/tally/count.h"

namespace solidum::tally::detail {

enum class Status : std::uint8_t { kHopeful, kElected, kExcluded, kWithdrawn };

struct Context {
  const Election& election;
  Options options;
  int seats = 0;
  int decimals = 0;
  std::int64_t scale = 1;                 // 10^decimals
  std::vector<Status> status;
  std::vector<std::uint32_t> lot_order;   // by lot, the candidate with the larger number wins
  std::vector<int> group_rule;            // per candidate: index into options.balance, or -1
  Tally tally;

  Context(const Election& e, const Options& o, int seats_to_fill, int decimal_places);

  const std::string& Name(CandidateIndex c) const { return election.candidates[c].name; }
  int ElectedCount() const { return static_cast<int>(tally.elected.size()); }
  int SeatsLeft() const { return seats - ElectedCount(); }
  std::vector<CandidateIndex> Hopefuls() const;

  // Balance rules: electing c now would leave too few seats for the groups still short.
  bool Doomed(CandidateIndex c) const;
  // Without c, c's group could no longer reach its minimum.
  bool Guarded(CandidateIndex c) const;

  // Which of `tied` (equal now) to take: the one with the most (most=true) or fewest votes
  // at the first stage, scanning forwards or backwards, at which they differ; else by lot.
  // Records how the tie was broken in `notes`.
  CandidateIndex BreakTie(std::vector<CandidateIndex> tied, bool most, bool forwards,
                          std::vector<std::string>& notes) const;
  // Candidates of `pool` by votes (current stage), most first, ties broken as above.
  std::vector<CandidateIndex> RankByVotes(std::vector<CandidateIndex> pool,
                                          const std::vector<std::int64_t>& votes, bool forwards,
                                          std::vector<std::string>& notes) const;
  // The candidate to exclude: fewest votes among hopefuls, doomed ones first, never a
  // guarded one (unless all are).
  CandidateIndex LowestToExclude(const std::vector<std::int64_t>& votes, bool forwards,
                                 std::vector<std::string>& notes) const;

  void Elect(CandidateIndex c, Stage& stage);
  // Elects every hopeful when no more stand than seats are left; true if it did.
  bool DeemRemainingElected(const std::vector<std::int64_t>& votes, bool forwards, Stage& stage);
};

std::int64_t MulDiv(std::int64_t a, std::int64_t b, std::int64_t c);      // floor(a*b/c), a,b,c >= 0
std::int64_t MulDivUp(std::int64_t a, std::int64_t b, std::int64_t c);    // ceil(a*b/c)

Result<Tally> CountGregory(Context& cx);      // scottish, wigm, irv
Result<Tally> CountMeek(Context& cx);
Result<Tally> CountSingleStage(Context& cx);  // plurality, block, approval

}  // namespace solidum::tally::detail
