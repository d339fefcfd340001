// Multilateral set-off: the largest amount of debt that firms owing each other can cancel
// at once, without money, while every firm's net position (what it is owed minus what it
// owes) stays exactly as it was. Pure: obligations in, the set-off out.
//
// It is a minimum-cost flow (as in the Slovenian clearing system and its literature,
// "multilateral trade credit set-off"): each obligation is an arc from debtor to creditor
// whose flow is the amount left owing, between 0 and the original amount, costing 1 per
// unit; each firm must send out as much more than it receives as it did before. The
// cheapest such flow leaves the least debt; LEMON's NetworkSimplex solves it exactly in
// integers.
//
// Guarantees, checked after every run (a failure is an internal error, never a result):
// every firm's net position unchanged, no obligation increased or made negative,
// cleared + remaining = total.
#pragma once

#include <cstdint>
#include <vector>

#include "clearing/obligations.h"
#include "common/result.h"

namespace solidum::clearing {

struct FirmSetOff {
  std::int64_t owes = 0;     // before: the firm's debts
  std::int64_t owed = 0;     // before: what others owe it
  std::int64_t set_off = 0;  // cancelled, on both sides alike (its net position is kept)
};

struct SetOff {
  std::int64_t total = 0;      // all debt before
  std::int64_t nid = 0;        // net internal debt: the sum of net debtors' net positions, the least any set-off could leave
  std::int64_t cleared = 0;    // cancelled
  std::int64_t remaining = 0;  // left owing: total - cleared
  std::vector<std::int64_t> left;  // per obligation, in input order: the amount still owed
  std::vector<FirmSetOff> firms;   // per firm, in ObligationSet::firms order
};

// Errors: kInternal if the solver fails or a guarantee does not hold (a bug).
Result<SetOff> ComputeSetOff(const ObligationSet& set);

// The guarantees above, for `left` against `set`; used by ComputeSetOff and by tests.
Result<void> CheckSetOff(const ObligationSet& set, const SetOff& result);

}  // namespace solidum::clearing
