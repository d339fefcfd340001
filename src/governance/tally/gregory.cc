// Weighted inclusive Gregory (Scottish STV, WIGM) and instant runoff.
//
// Each group of identical papers sits in the pile of the candidate it counts for, with the
// value each of its papers carries. A surplus moves every paper of the elected candidate
// on at value x surplus / total, cut at the count's decimals; an exclusion moves them on
// at their value. A paper moves at most once per candidate, so a count costs
// O(preferences), whatever the number of stages.
#include <algorithm>

#include "governance/tally/engine.h"

namespace solidum::tally::detail {
namespace {

struct Paper {
  std::uint32_t ballot;
  std::uint32_t next;      // index into the ballot's preferences of where it now sits
  std::int64_t weight;     // identical papers
  std::int64_t value;      // per paper, in units of 10^-decimals
};

class Gregory {
 public:
  explicit Gregory(Context& cx) : cx_(cx), irv_(cx.options.method == Method::kIrv) {
    const auto n = cx.election.candidates.size();
    votes_.assign(n, 0);
    piles_.resize(n);
    forwards_ = !irv_;  // Scottish rule 50/51: the earliest stage; instant runoff: the latest
  }

  Result<Tally> Run() {
    const Election& e = cx_.election;
    papers_.reserve(e.ballot_count());
    for (std::size_t b = 0; b < e.ballot_count(); ++b) {
      Paper p{static_cast<std::uint32_t>(b), 0, e.weights[b], cx_.scale};
      if (!Advance(p)) continue;  // nothing but withdrawn candidates
      valid_ += p.weight;
      Place(static_cast<std::uint32_t>(papers_.size()), p);
      papers_.push_back(p);
    }
    cx_.tally.valid_papers = valid_;
    quota_ = irv_ ? 0 : (valid_ / (cx_.seats + 1) + 1) * cx_.scale;
    cx_.tally.quota = irv_ ? MajorityQuota() : quota_;

    Stage& first = PushStage(StageKind::kFirstPreferences);
    ElectReached(first);
    while (cx_.SeatsLeft() > 0) {
      if (cx_.DeemRemainingElected(votes_, forwards_, cx_.tally.stages.back())) break;
      std::vector<std::string> notes;
      const auto doomed = AnyDoomed();
      if (!doomed && !pending_.empty()) {
        const CandidateIndex c = LargestSurplus(notes);
        pending_.erase(std::find(pending_.begin(), pending_.end(), c));
        if (votes_[c] <= quota_) continue;  // exactly the quota: nothing to transfer
        TransferSurplus(c);
        Stage& s = PushStage(StageKind::kSurplus);
        s.surplus = c;
        s.notes = std::move(notes);
        ElectReached(s);
      } else {
        const CandidateIndex c = cx_.LowestToExclude(votes_, forwards_, notes);
        Exclude(c);
        Stage& s = PushStage(StageKind::kExclusion);
        s.excluded.push_back(c);
        s.notes = std::move(notes);
        if (doomed) s.notes.push_back(cx_.Name(c) + " excluded: electing them would break a balance rule");
        ElectReached(s);
      }
    }
    return std::move(cx_.tally);
  }

 private:
  // Moves p to its next standing (hopeful) preference; false when it has none (exhausted).
  bool Advance(Paper& p) const {
    const auto ranking = cx_.election.ballot(p.ballot);
    while (p.next < ranking.size() && cx_.status[ranking[p.next]] != Status::kHopeful) ++p.next;
    return p.next < ranking.size();
  }
  void Place(std::uint32_t index, const Paper& p) {
    const CandidateIndex c = cx_.election.ballot(p.ballot)[p.next];
    piles_[c].push_back(index);
    votes_[c] += p.weight * p.value;
  }

  // Moves every paper of c on, each at new_value(its value); c's pile is emptied.
  template <typename NewValue>
  void MovePile(CandidateIndex c, NewValue new_value) {
    std::vector<std::uint32_t> pile = std::move(piles_[c]);
    piles_[c].clear();
    for (std::uint32_t index : pile) {
      Paper& p = papers_[index];
      p.value = new_value(p.value);
      if (p.value == 0 || !Advance(p)) continue;
      Place(index, p);
    }
  }

  void TransferSurplus(CandidateIndex c) {
    const std::int64_t total = votes_[c];
    const std::int64_t surplus = total - quota_;
    MovePile(c, [&](std::int64_t value) { return MulDiv(value, surplus, total); });
    votes_[c] = quota_;
  }

  void Exclude(CandidateIndex c) {
    cx_.status[c] = Status::kExcluded;
    MovePile(c, [](std::int64_t value) { return value; });
    votes_[c] = 0;
  }

  std::int64_t MajorityQuota() const {
    std::int64_t live = 0;
    for (std::size_t c = 0; c < votes_.size(); ++c) {
      if (cx_.status[c] == Status::kHopeful) live += votes_[c];
    }
    return live / 2 + 1;  // votes are whole papers here (scale 1)
  }

  Stage& PushStage(StageKind kind) {
    Stage s;
    s.kind = kind;
    s.votes = votes_;
    std::int64_t held = 0;
    for (std::int64_t v : votes_) held += v;
    s.non_transferable = valid_ * cx_.scale - held;
    if (irv_) quota_ = MajorityQuota();
    s.quota = quota_;
    cx_.tally.stages.push_back(std::move(s));
    return cx_.tally.stages.back();
  }

  void ElectReached(Stage& s) {
    std::vector<CandidateIndex> reached;
    for (CandidateIndex c : cx_.Hopefuls()) {
      if (votes_[c] >= quota_) reached.push_back(c);
    }
    for (CandidateIndex c : cx_.RankByVotes(reached, votes_, forwards_, s.notes)) {
      if (cx_.SeatsLeft() == 0) break;
      if (cx_.Doomed(c)) continue;  // excluded at the next stage
      cx_.Elect(c, s);
      pending_.push_back(c);
    }
  }

  bool AnyDoomed() const {
    for (CandidateIndex c : cx_.Hopefuls()) {
      if (cx_.Doomed(c)) return true;
    }
    return false;
  }

  CandidateIndex LargestSurplus(std::vector<std::string>& notes) const {
    std::int64_t best = -1;
    for (CandidateIndex c : pending_) best = std::max(best, votes_[c]);
    std::vector<CandidateIndex> tied;
    for (CandidateIndex c : pending_) {
      if (votes_[c] == best) tied.push_back(c);
    }
    return cx_.BreakTie(tied, true, forwards_, notes);
  }

  Context& cx_;
  const bool irv_;
  bool forwards_ = true;
  std::int64_t valid_ = 0;
  std::int64_t quota_ = 0;
  std::vector<Paper> papers_;
  std::vector<std::vector<std::uint32_t>> piles_;
  std::vector<std::int64_t> votes_;
  std::vector<CandidateIndex> pending_;  // elected, surplus not yet transferred
};

}  // namespace

Result<Tally> CountGregory(Context& cx) { return Gregory(cx).Run(); }

}  // namespace solidum::tally::detail
