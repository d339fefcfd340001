// Meek STV. Each candidate keeps a share (keep value) of every vote that reaches them and
// passes the rest on: hopefuls keep all, excluded candidates none, elected ones just
// enough to hold the quota. Iterating keep values <- keep x quota / votes converges.
//
// Speed: a paper's course only depends on the elected candidates it meets before its
// first hopeful, so at the start of each stage the ballots are folded into a prefix tree
// of those courses (a few thousand nodes for a million ballots), and every iteration is
// one pass over the tree. Each paper is still counted as the rule says, paper by paper:
// all papers through a node carry the same remainder, so node x papers is exact.
#include <algorithm>
#include <unordered_map>

#include "governance/tally/engine.h"

namespace solidum::tally::detail {
namespace {

constexpr int kIterationsMax = 10000;

struct Node {
  CandidateIndex candidate = 0;
  std::uint32_t parent = 0;        // nodes come after their parent
  std::int64_t through = 0;        // papers that reach this candidate on this course
  std::int64_t end = 0;            // papers whose course ends here
};

class Meek {
 public:
  explicit Meek(Context& cx) : cx_(cx) {
    const auto n = cx.election.candidates.size();
    keep_.assign(n, cx.scale);
    for (std::size_t c = 0; c < n; ++c) {
      if (cx.status[c] == Status::kWithdrawn) keep_[c] = 0;
    }
    votes_.assign(n, 0);
    dense_ = n <= 64;
    // Papers: those with at least one standing candidate.
    for (std::size_t b = 0; b < cx.election.ballot_count(); ++b) {
      for (CandidateIndex c : cx.election.ballot(b)) {
        if (cx.status[c] != Status::kWithdrawn) {
          valid_ += cx.election.weights[b];
          break;
        }
      }
    }
    tolerance_ = cx.scale / 100000;  // 0.00001 of a vote
  }

  Result<Tally> Run() {
    cx_.tally.valid_papers = valid_;
    BuildTree();
    Distribute();
    cx_.tally.quota = quota_;
    Stage& first = PushStage(StageKind::kFirstPreferences);
    bool newly = ElectReached(first);
    while (cx_.SeatsLeft() > 0) {
      if (cx_.DeemRemainingElected(votes_, false, cx_.tally.stages.back())) break;
      std::vector<std::string> notes;
      StageKind kind = StageKind::kSurplus;
      std::optional<CandidateIndex> excluded;
      bool doomed = false;
      for (CandidateIndex c : cx_.Hopefuls()) doomed = doomed || cx_.Doomed(c);
      if (!newly || doomed) {
        kind = StageKind::kExclusion;
        excluded = cx_.LowestToExclude(votes_, false, notes);
        cx_.status[*excluded] = Status::kExcluded;
        keep_[*excluded] = 0;
        if (doomed) notes.push_back(cx_.Name(*excluded) + " excluded: electing them would break a balance rule");
      }
      BuildTree();
      const bool converged = Iterate();
      Stage& s = PushStage(kind);
      if (excluded) s.excluded.push_back(*excluded);
      s.notes = std::move(notes);
      if (!converged) s.notes.push_back("Stopped iterating after " + std::to_string(kIterationsMax) + " rounds without converging");
      newly = ElectReached(s);
    }
    return std::move(cx_.tally);
  }

 private:
  std::uint32_t Child(std::uint32_t parent, CandidateIndex c) {
    const std::size_t n = cx_.election.candidates.size();
    std::uint32_t* slot = nullptr;
    if (dense_) {
      slot = &children_[parent * n + c];
    } else {
      slot = &sparse_children_[(static_cast<std::uint64_t>(parent) << 16) | c];
    }
    if (*slot == 0) {
      *slot = static_cast<std::uint32_t>(nodes_.size());
      nodes_.push_back(Node{c, parent, 0, 0});
      if (dense_) children_.resize(nodes_.size() * n, 0);  // may move: slot is not used after
    }
    return dense_ ? children_[parent * n + c] : sparse_children_[(static_cast<std::uint64_t>(parent) << 16) | c];
  }

  // Folds the ballots into the courses their papers take under the current statuses: the
  // elected candidates met in order, then the first hopeful (which keeps everything left).
  void BuildTree() {
    const std::size_t n = cx_.election.candidates.size();
    nodes_.assign(1, Node{});  // the root
    children_.assign(dense_ ? n : 0, 0);
    sparse_children_.clear();
    root_end_ = 0;
    const Election& e = cx_.election;
    for (std::size_t b = 0; b < e.ballot_count(); ++b) {
      const std::int64_t w = e.weights[b];
      std::uint32_t node = 0;
      bool standing = false;
      for (CandidateIndex c : e.ballot(b)) {
        const Status st = cx_.status[c];
        standing = standing || st != Status::kWithdrawn;
        if (st == Status::kExcluded || st == Status::kWithdrawn) continue;
        node = Child(node, c);
        nodes_[node].through += w;
        if (st == Status::kHopeful) break;
      }
      if (node != 0) nodes_[node].end += w;
      else if (standing) root_end_ += w;  // every standing preference excluded
    }
    remainder_.assign(nodes_.size(), 0);
  }

  // One pass: every paper's value shared out along its course; quota from what is left.
  void Distribute() {
    std::fill(votes_.begin(), votes_.end(), 0);
    std::int64_t exhausted = 0;
    remainder_[0] = cx_.scale;
    for (std::size_t i = 1; i < nodes_.size(); ++i) {
      const Node& node = nodes_[i];
      const std::int64_t in = remainder_[node.parent];
      const std::int64_t kept = MulDiv(in, keep_[node.candidate], cx_.scale);
      votes_[node.candidate] += node.through * kept;
      remainder_[i] = in - kept;
      exhausted += node.end * remainder_[i];
    }
    // Ballots with nothing left standing (every preference excluded) exhaust whole.
    std::int64_t in_play = valid_ * cx_.scale - exhausted - root_end_ * cx_.scale;
    exhausted_ = valid_ * cx_.scale - in_play;
    quota_ = in_play / (cx_.seats + 1) + 1;  // just over 1 / (seats + 1) of the votes in play
  }

  // Iterates keep values until the elected candidates' surpluses add up to less than the
  // tolerance. Hopefuls who pass the quota on the way are elected when the stage ends (as
  // the reference counts do), so every stage reports converged figures.
  bool Iterate() {
    for (int round = 0; round < kIterationsMax; ++round) {
      Distribute();
      std::int64_t surplus = 0;
      for (std::size_t c = 0; c < votes_.size(); ++c) {
        if (cx_.status[c] == Status::kElected) surplus += std::max<std::int64_t>(votes_[c] - quota_, 0);
      }
      if (surplus < tolerance_) return true;
      bool changed = false;
      for (std::size_t c = 0; c < votes_.size(); ++c) {
        if (cx_.status[c] != Status::kElected || votes_[c] == 0) continue;
        const std::int64_t k = std::min(MulDivUp(keep_[c], quota_, votes_[c]), cx_.scale);
        changed = changed || k != keep_[c];
        keep_[c] = k;
      }
      if (!changed) return true;  // as close as the decimals allow
    }
    return false;
  }

  Stage& PushStage(StageKind kind) {
    Stage s;
    s.kind = kind;
    s.votes = votes_;
    s.non_transferable = exhausted_;
    s.quota = quota_;
    cx_.tally.stages.push_back(std::move(s));
    return cx_.tally.stages.back();
  }

  bool ElectReached(Stage& s) {
    std::vector<CandidateIndex> reached;
    for (CandidateIndex c : cx_.Hopefuls()) {
      if (votes_[c] >= quota_) reached.push_back(c);
    }
    bool any = false;
    for (CandidateIndex c : cx_.RankByVotes(reached, votes_, false, s.notes)) {
      if (cx_.SeatsLeft() == 0 || cx_.Doomed(c)) continue;
      cx_.Elect(c, s);
      any = true;
    }
    return any;
  }

  Context& cx_;
  std::vector<std::int64_t> keep_;
  std::vector<std::int64_t> votes_;
  std::vector<Node> nodes_;
  std::vector<std::int64_t> remainder_;
  std::vector<std::uint32_t> children_;                          // dense: node * candidates + candidate
  std::unordered_map<std::uint64_t, std::uint32_t> sparse_children_;  // above 64 candidates
  bool dense_ = true;
  std::int64_t valid_ = 0;
  std::int64_t root_end_ = 0;
  std::int64_t exhausted_ = 0;
  std::int64_t quota_ = 0;
  std::int64_t tolerance_ = 1;
};

}  // namespace

Result<Tally> CountMeek(Context& cx) { return Meek(cx).Run(); }

}  // namespace solidum::tally::detail
