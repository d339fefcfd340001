// An election as the counting engines see it: candidates, seats and weighted ranked
// ballots. Plain data, no store: built by the BLT reader, by the governance module from a
// closed ballot box, or by tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace solidum::tally {

// Limits on what an election may hold; the BLT reader and the ballot box refuse more.
inline constexpr std::size_t kCandidatesMax = 1000;
// Ballot papers in one count (sum of weights). Meek counts in units of 10^-9 votes in an
// int64, so 10^9 papers of value 1 still fit with room for a factor of nine.
inline constexpr std::int64_t kPapersMax = 1'000'000'000;
inline constexpr std::size_t kCandidateNameBytesMax = 400;

using CandidateIndex = std::uint16_t;
static_assert(kCandidatesMax <= 0xFFFF, "candidate indices are 16-bit");

struct Candidate {
  std::string name;
  std::string affiliation;  // party or list; empty when none
  std::string group;        // for balance rules, e.g. a gender; empty when none
  bool withdrawn = false;   // on the ballot paper but out of the count
};

// Ballot i ranks candidates prefs[offsets[i]] .. prefs[offsets[i+1]-1], most preferred
// first, each at most once, and stands for weights[i] identical papers (weights > 0).
struct Election {
  std::string title;
  int seats = 0;
  std::vector<Candidate> candidates;
  std::vector<std::uint32_t> offsets{0};
  std::vector<CandidateIndex> prefs;
  std::vector<std::int64_t> weights;

  std::size_t ballot_count() const { return weights.size(); }
  std::span<const CandidateIndex> ballot(std::size_t i) const {
    return {prefs.data() + offsets[i], prefs.data() + offsets[i + 1]};
  }
  void AddBallot(std::span<const CandidateIndex> ranking, std::int64_t weight) {
    prefs.insert(prefs.end(), ranking.begin(), ranking.end());
    offsets.push_back(static_cast<std::uint32_t>(prefs.size()));
    weights.push_back(weight);
  }
  // Sum of the weights of ballots with at least one preference.
  std::int64_t PaperCount() const;
};

}  // namespace solidum::tally
