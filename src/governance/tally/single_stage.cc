// Plurality, block and approval: one stage, one vote per candidate a ballot supports
// (its first preference; its first `seats` preferences; every candidate it ranks).
#include <algorithm>

#include "governance/tally/engine.h"

namespace solidum::tally::detail {

Result<Tally> CountSingleStage(Context& cx) {
  const Election& e = cx.election;
  std::vector<std::int64_t> votes(e.candidates.size(), 0);
  std::size_t per_ballot = e.candidates.size();
  if (cx.options.method == Method::kPlurality) per_ballot = 1;
  if (cx.options.method == Method::kBlock) per_ballot = static_cast<std::size_t>(cx.seats);
  std::int64_t valid = 0;
  for (std::size_t b = 0; b < e.ballot_count(); ++b) {
    std::size_t given = 0;
    for (CandidateIndex c : e.ballot(b)) {
      if (given == per_ballot) break;
      if (cx.status[c] == Status::kWithdrawn) continue;
      votes[c] += e.weights[b];
      ++given;
    }
    if (given > 0) valid += e.weights[b];
  }
  cx.tally.valid_papers = valid;
  Stage stage;
  stage.kind = StageKind::kFirstPreferences;
  stage.votes = votes;
  cx.tally.stages.push_back(stage);
  Stage& s = cx.tally.stages.back();
  // Seats go down the ranking; a candidate whose election would break a balance rule is
  // passed over for the next.
  std::vector<std::string> ties;  // every tie in the ranking; only one at the last seat matters
  const std::vector<CandidateIndex> ranking = cx.RankByVotes(cx.Hopefuls(), votes, false, ties);
  std::size_t i = 0;
  for (; i < ranking.size() && cx.SeatsLeft() > 0; ++i) {
    const CandidateIndex c = ranking[i];
    if (cx.Doomed(c)) {
      s.notes.push_back(cx.Name(c) + " passed over: electing them would break a balance rule");
      continue;
    }
    cx.Elect(c, s);
  }
  if (!s.elected.empty() && i < ranking.size() && votes[ranking[i]] == votes[s.elected.back()]) {
    s.notes.push_back("Tie for the last seat between " + cx.Name(s.elected.back()) + " and " + cx.Name(ranking[i]) +
                      " broken by lot: " + cx.Name(s.elected.back()));
  }
  return std::move(cx.tally);
}

}  // namespace solidum::tally::detail
