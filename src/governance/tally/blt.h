// The BLT ballot format (Hill, Wichmann and Woodall; used by OpenSTV, OpenTally, Droop,
// and the preference profiles Scottish councils publish):
//
//   # comment lines (before the body)
//   9 4                      candidates, seats
//   -3                       optional: withdrawn candidates, negative
//   1 3 5 6 4 0              weight, then candidates in order of preference, then 0
//   (id) 2 1 0               an optional ballot id in parentheses is ignored
//   0                        end of the ballots
//   "Heather ANDERSON" "SNP" one line per candidate: name, optional affiliation
//   "Ward 4 - Coldside"      the title
//
// The reader names the line of every fault. A ballot line without its closing 0 is read to
// the end of the line and reported as a warning (published files omit it); everything
// else that does not fit the format is an error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "governance/tally/election.h"

namespace solidum::tally {

// Files above this are refused before they are read. A million ballots of fifteen
// preferences take about 40 MB.
inline constexpr std::uint64_t kBltBytesMax = 1ull << 30;

struct BltWarning {
  std::size_t line = 0;
  std::string message;
};

struct BltFile {
  Election election;
  std::vector<BltWarning> warnings;
  std::int64_t empty_papers = 0;  // papers with no preference for a standing candidate
};

// Errors are kInvalidInput with code "invalid_blt"; the single field is "line N" and its
// code says what is wrong (e.g. "candidate_out_of_range", "repeated_preference").
Result<BltFile> ParseBlt(std::string_view text);

// Reads and parses a file, refusing one above kBltBytesMax before reading it.
Result<BltFile> ReadBltFile(const std::string& path);

// Writes `election` back in BLT: every ballot line closed with 0, names and affiliations
// quoted, the title last. ParseBlt(WriteBlt(e)) gives e back.
std::string WriteBlt(const Election& election);

}  // namespace solidum::tally
