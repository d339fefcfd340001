// Obligations between firms, read from CSV: the input of multilateral set-off.
//
// The file has a header naming its columns: `debtor,creditor,amount` and optionally `id`
// and `due` (in any order; other columns are refused, so a misspelt one is not dropped
// silently). Firms are named by any text (the datasets number them); amounts are positive
// integers in minor units. Pure; reads from memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace solidum::clearing {

inline constexpr std::size_t kObligationsMax = 20'000'000;           // rows in one run
inline constexpr std::size_t kObligationsFileBytesMax = 2ull << 30;  // 2 GiB
inline constexpr std::size_t kFirmNameBytesMax = 200;
inline constexpr std::size_t kObligationIdBytesMax = 100;
inline constexpr std::int64_t kAmountMax = 1'000'000'000'000'000;  // 10^15 minor units per obligation

struct Obligation {
  std::uint32_t debtor = 0;    // index into ObligationSet::firms
  std::uint32_t creditor = 0;  // never the debtor
  std::int64_t amount = 0;     // > 0, <= kAmountMax
  std::size_t line = 0;        // where it was read (1-based, the header is line 1)
};

struct ObligationSet {
  std::vector<std::string> firms;  // in order of first appearance
  std::vector<Obligation> obligations;
  // Present only when the file has the column (one entry per obligation, "" if empty).
  bool has_ids = false, has_due = false;
  std::vector<std::string> ids, due;
  std::int64_t total = 0;  // sum of amounts (checked not to overflow)
};

// Errors are Error::Invalid with field "line N" (code "invalid_obligations") naming the
// first bad line: a missing or unknown column, a short or long row, an empty firm, a firm
// that owes itself, an amount that is not a positive integer or exceeds kAmountMax, a
// repeated id, a due date not YYYY-MM-DD, too many rows, a total that overflows.
// `progress(done_bytes, total_bytes)`, when given, is called now and then.
using Progress = std::function<void(std::size_t done, std::size_t total)>;
Result<ObligationSet> ParseObligations(std::string_view csv, const Progress& progress = {});

}  // namespace solidum::clearing
