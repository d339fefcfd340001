#include "governance/tally/count.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "governance/tally/engine.h"

namespace solidum::tally {

namespace {
struct MethodEntry {
  Method method;
  std::string_view name;
};
constexpr MethodEntry kMethods[] = {
    {Method::kScottish, "scottish"}, {Method::kWigm, "wigm"},   {Method::kMeek, "meek"},
    {Method::kIrv, "irv"},           {Method::kPlurality, "plurality"}, {Method::kBlock, "block"},
    {Method::kApproval, "approval"},
};

std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
}  // namespace

std::optional<Method> ParseMethod(std::string_view name) {
  for (const auto& m : kMethods) {
    if (m.name == name) return m.method;
  }
  return std::nullopt;
}

std::string_view MethodName(Method method) {
  for (const auto& m : kMethods) {
    if (m.method == method) return m.name;
  }
  return "?";
}

bool IsStv(Method method) {
  return method == Method::kScottish || method == Method::kWigm || method == Method::kMeek;
}

std::int64_t Election::PaperCount() const {
  std::int64_t n = 0;
  for (std::size_t i = 0; i < ballot_count(); ++i) {
    if (offsets[i + 1] > offsets[i]) n += weights[i];
  }
  return n;
}

std::string FormatFixed(std::int64_t value, int decimals) {
  const bool negative = value < 0;
  std::uint64_t v = negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::string digits = std::to_string(v);
  if (decimals > 0) {
    if (digits.size() <= static_cast<std::size_t>(decimals)) digits.insert(0, static_cast<std::size_t>(decimals) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<std::size_t>(decimals), 1, '.');
  }
  return negative ? "-" + digits : digits;
}

namespace detail {

__extension__ using Int128 = __int128;  // GCC and Clang on 64-bit targets

std::int64_t MulDiv(std::int64_t a, std::int64_t b, std::int64_t c) {
  return static_cast<std::int64_t>(static_cast<Int128>(a) * b / c);
}
std::int64_t MulDivUp(std::int64_t a, std::int64_t b, std::int64_t c) {
  const Int128 p = static_cast<Int128>(a) * b;
  return static_cast<std::int64_t>((p + c - 1) / c);
}

Context::Context(const Election& e, const Options& o, int seats_to_fill, int decimal_places)
    : election(e), options(o), seats(seats_to_fill), decimals(decimal_places) {
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const std::size_t n = e.candidates.size();
  status.assign(n, Status::kHopeful);
  for (std::size_t i = 0; i < n; ++i) {
    if (e.candidates[i].withdrawn) status[i] = Status::kWithdrawn;
  }
  // The draw: a Fisher-Yates shuffle of 1..n driven by SplitMix64 from the seed.
  std::vector<std::uint32_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0u);
  std::uint64_t state = o.seed;
  for (std::size_t i = n; i > 1; --i) {
    std::swap(perm[i - 1], perm[SplitMix64(state) % i]);
  }
  lot_order.assign(n, 0);
  std::string drawn = "Order drawn by lot from seed " + std::to_string(o.seed) + " (a tie by lot goes to the earlier name):";
  for (std::size_t i = 0; i < n; ++i) {
    lot_order[perm[i]] = static_cast<std::uint32_t>(n - i);
    drawn += (i ? ", " : " ") + e.candidates[perm[i]].name;
  }
  group_rule.assign(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t r = 0; r < o.balance.size(); ++r) {
      if (!e.candidates[i].group.empty() && e.candidates[i].group == o.balance[r].group) group_rule[i] = static_cast<int>(r);
    }
  }
  tally.method = o.method;
  tally.seats = seats;
  tally.decimals = decimals;
  tally.notes.push_back(std::move(drawn));
}

std::vector<CandidateIndex> Context::Hopefuls() const {
  std::vector<CandidateIndex> out;
  for (std::size_t i = 0; i < status.size(); ++i) {
    if (status[i] == Status::kHopeful) out.push_back(static_cast<CandidateIndex>(i));
  }
  return out;
}

bool Context::Doomed(CandidateIndex c) const {
  if (options.balance.empty()) return false;
  std::vector<int> need(options.balance.size());
  for (std::size_t r = 0; r < need.size(); ++r) need[r] = options.balance[r].seats_min;
  for (CandidateIndex e : tally.elected) {
    if (group_rule[e] >= 0) --need[static_cast<std::size_t>(group_rule[e])];
  }
  if (group_rule[c] >= 0) --need[static_cast<std::size_t>(group_rule[c])];
  int short_total = 0;
  for (int n : need) short_total += std::max(n, 0);
  return short_total > SeatsLeft() - 1;
}

bool Context::Guarded(CandidateIndex c) const {
  if (options.balance.empty() || group_rule[c] < 0) return false;
  const int rule = group_rule[c];
  int need = options.balance[static_cast<std::size_t>(rule)].seats_min;
  int standing = 0;
  for (std::size_t i = 0; i < status.size(); ++i) {
    if (group_rule[i] != rule) continue;
    if (status[i] == Status::kElected) --need;
    if (status[i] == Status::kHopeful) ++standing;
  }
  return standing - 1 < need;
}

CandidateIndex Context::BreakTie(std::vector<CandidateIndex> tied, bool most, bool forwards,
                                 std::vector<std::string>& notes) const {
  SOLIDUM_ASSERT(!tied.empty());
  if (tied.size() == 1) return tied[0];
  std::string names;
  for (CandidateIndex c : tied) names += (names.empty() ? "" : ", ") + Name(c);
  const auto& stages = tally.stages;
  const std::size_t n = stages.size();
  for (std::size_t k = 0; k < n && tied.size() > 1; ++k) {
    const std::size_t s = forwards ? k : n - 1 - k;
    const auto& v = stages[s].votes;
    std::int64_t best = v[tied[0]];
    for (CandidateIndex c : tied) best = most ? std::max(best, v[c]) : std::min(best, v[c]);
    std::vector<CandidateIndex> kept;
    for (CandidateIndex c : tied) {
      if (v[c] == best) kept.push_back(c);
    }
    if (kept.size() < tied.size()) {
      tied = std::move(kept);
      if (tied.size() == 1) {
        notes.push_back("Tie between " + names + " broken by the votes at stage " + std::to_string(s + 1) + ": " + Name(tied[0]));
        return tied[0];
      }
    }
  }
  CandidateIndex pick = tied[0];
  for (CandidateIndex c : tied) {
    // The draw favours the larger lot number: for the most votes it wins, for the fewest it is kept.
    if (most ? lot_order[c] > lot_order[pick] : lot_order[c] < lot_order[pick]) pick = c;
  }
  notes.push_back("Tie between " + names + " broken by lot: " + Name(pick));
  return pick;
}

std::vector<CandidateIndex> Context::RankByVotes(std::vector<CandidateIndex> pool, const std::vector<std::int64_t>& votes,
                                                 bool forwards, std::vector<std::string>& notes) const {
  std::vector<CandidateIndex> out;
  std::stable_sort(pool.begin(), pool.end(), [&](CandidateIndex a, CandidateIndex b) { return votes[a] > votes[b]; });
  std::size_t i = 0;
  while (i < pool.size()) {
    std::size_t j = i;
    while (j < pool.size() && votes[pool[j]] == votes[pool[i]]) ++j;
    std::vector<CandidateIndex> group(pool.begin() + static_cast<std::ptrdiff_t>(i), pool.begin() + static_cast<std::ptrdiff_t>(j));
    while (!group.empty()) {
      CandidateIndex c = BreakTie(group, true, forwards, notes);
      out.push_back(c);
      group.erase(std::find(group.begin(), group.end(), c));
    }
    i = j;
  }
  return out;
}

CandidateIndex Context::LowestToExclude(const std::vector<std::int64_t>& votes, bool forwards,
                                        std::vector<std::string>& notes) const {
  std::vector<CandidateIndex> pool, doomed;
  for (CandidateIndex c : Hopefuls()) {
    if (Doomed(c)) doomed.push_back(c);
    else if (!Guarded(c)) pool.push_back(c);
  }
  if (!doomed.empty()) pool = doomed;
  if (pool.empty()) pool = Hopefuls();
  SOLIDUM_ASSERT(!pool.empty());
  std::int64_t low = votes[pool[0]];
  for (CandidateIndex c : pool) low = std::min(low, votes[c]);
  std::vector<CandidateIndex> tied;
  for (CandidateIndex c : pool) {
    if (votes[c] == low) tied.push_back(c);
  }
  return BreakTie(tied, false, forwards, notes);
}

void Context::Elect(CandidateIndex c, Stage& stage) {
  status[c] = Status::kElected;
  tally.elected.push_back(c);
  stage.elected.push_back(c);
}

bool Context::DeemRemainingElected(const std::vector<std::int64_t>& votes, bool forwards, Stage& stage) {
  std::vector<CandidateIndex> hopefuls = Hopefuls();
  if (static_cast<int>(hopefuls.size()) > SeatsLeft()) return false;
  for (CandidateIndex c : RankByVotes(hopefuls, votes, forwards, stage.notes)) {
    Elect(c, stage);
    stage.notes.push_back(Name(c) + " deemed elected: no more candidates remain than seats to fill");
  }
  return true;
}

}  // namespace detail

Result<Tally> Count(const Election& election, const Options& options) {
  const auto n = election.candidates.size();
  if (n == 0 || n > kCandidatesMax) return Error::Invalid("candidates", "bad_count", "an election needs between 1 and " + std::to_string(kCandidatesMax) + " candidates");
  const int seats = options.seats > 0 ? options.seats : election.seats;
  if (seats < 1 || static_cast<std::size_t>(seats) > n) {
    return Error::Invalid("seats", "out_of_range", "seats must be between 1 and the number of candidates (" + std::to_string(n) + ")");
  }
  if (options.method == Method::kIrv && seats != 1) {
    return Error::Invalid("seats", "irv_single_seat", "instant runoff fills one seat; for more seats use scottish, meek or wigm");
  }
  if (election.offsets.size() != election.weights.size() + 1 || election.offsets.back() != election.prefs.size()) {
    return Error::Invalid("ballots", "malformed", "ballot offsets do not match the preferences");
  }
  std::int64_t papers = 0;
  std::vector<std::size_t> seen(n, SIZE_MAX);
  for (std::size_t b = 0; b < election.ballot_count(); ++b) {
    if (election.weights[b] <= 0 || election.weights[b] > kPapersMax - papers) {
      return Error::Invalid("ballots", "bad_weight", "ballot " + std::to_string(b + 1) + " has a weight out of range");
    }
    papers += election.weights[b];
    for (CandidateIndex c : election.ballot(b)) {
      if (c >= n) return Error::Invalid("ballots", "unknown_candidate", "ballot " + std::to_string(b + 1) + " ranks an unknown candidate");
      if (seen[c] == b) return Error::Invalid("ballots", "repeated_preference", "ballot " + std::to_string(b + 1) + " ranks a candidate twice");
      seen[c] = b;
    }
  }
  int min_total = 0;
  std::unordered_set<std::string> groups;
  for (const auto& rule : options.balance) {
    if (rule.group.empty() || rule.seats_min < 1 || !groups.insert(rule.group).second) {
      return Error::Invalid("balance", "bad_rule", "each balance rule names a distinct group and at least one seat");
    }
    std::size_t in_group = 0;
    for (const auto& c : election.candidates) in_group += (!c.withdrawn && c.group == rule.group) ? 1 : 0;
    if (in_group < static_cast<std::size_t>(rule.seats_min)) {
      return Error::Invalid("balance", "unreachable", "group \"" + rule.group + "\" needs " + std::to_string(rule.seats_min) + " seats but has " + std::to_string(in_group) + " candidates");
    }
    min_total += rule.seats_min;
  }
  if (min_total > seats) return Error::Invalid("balance", "unreachable", "the balance rules ask for more seats than there are");

  const int decimals = options.method == Method::kScottish ? 5 : (options.method == Method::kWigm || options.method == Method::kMeek) ? 9 : 0;
  detail::Context cx(election, options, seats, decimals);
  switch (options.method) {
    case Method::kScottish:
    case Method::kWigm:
    case Method::kIrv:
      return detail::CountGregory(cx);
    case Method::kMeek:
      return detail::CountMeek(cx);
    case Method::kPlurality:
    case Method::kBlock:
    case Method::kApproval:
      return detail::CountSingleStage(cx);
  }
  return Error::Internal("unknown method");
}

}  // namespace solidum::tally
