// A run's obligations packed into pages of bytes, for the store (clearing/runs.h): a run
// of 285,000 obligations is 15 BLOBs rather than 285,000 rows, so storing it holds the
// store's write lock (which the ledger's writer and the votes wait behind) for a fraction
// of the time. The obligations are only ever read whole (the report files and posting),
// so nothing is lost by not having them as rows.
//
// A page holds obligations [begin, end) of a set, in file order, each with what the
// set-off left of it. Format (version 1): one byte 1, then per obligation the unsigned
// LEB128 varints of: the line's distance from the previous one (from 0 on the page's
// first), debtor, creditor, amount, left; then, when the set has the column, the id and
// the due date, each as its byte length (varint) and its bytes. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearing/obligations.h"
#include "common/result.h"

namespace solidum::clearing {

inline constexpr std::size_t kObligationsPerPage = 20'000;

// Packs obligations [begin, end) of `set` with `left[i]` for each (left.size() ==
// set.obligations.size()). A bug in the caller (a range out of bounds) is an assertion.
std::string PackObligations(const ObligationSet& set, std::span<const std::int64_t> left, std::size_t begin, std::size_t end);

// Appends a page's obligations to `set` (set.firms, has_ids and has_due must already be
// as when it was packed) and their left amounts to `left`. A page that is not what
// PackObligations writes (truncated, an unknown version, a firm out of range, an amount
// out of bounds, lines not increasing) is refused with Error::Internal and appends nothing.
Result<void> UnpackObligations(std::string_view page, ObligationSet& set, std::vector<std::int64_t>& left);

}  // namespace solidum::clearing
