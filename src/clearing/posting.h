// Posting a set-off run into the ledger (issue 6): each firm's statement in a currency of
// the network (a business barter circuit's, say) records what the run cancelled for it.
//
// A firm's set-off cancels as much of its debts as of its claims, so its balance must not
// change; what is recorded is the cancellation. For each firm with a set-off s, a linked
// pair through the currency's "Set-off clearing" system account: the clearing account pays
// the firm s ("claims cancelled"), then the firm pays the clearing account s ("debts
// cancelled"). Credit comes first, so no firm's balance ever goes below where it was (its
// credit limit cannot refuse it); only an upper limit, a frozen or a closed account can,
// and then that firm's pair is refused whole and reported. Every balance ends as it began,
// the clearing account's too.
//
// Firms are matched to the currency's open accounts by their exact name in the file. If
// any firm with a set-off has no such account, or several, nothing is posted. Ids are
// "setoff-R-F-in" / "-out" (run R, firm F): posting a run again replays what was posted and
// moves nothing, so a posting cut short is completed by posting again.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clearing/runs.h"
#include "common/result.h"
#include "ledger/ledger.h"

namespace solidum::clearing {

inline constexpr std::string_view kClearingAccountName = "Set-off clearing";

struct PostingReport {
  std::int64_t clearing_account = 0;
  std::int64_t firms = 0;     // firms with a set-off
  std::int64_t posted = 0;    // their pairs applied now
  std::int64_t replayed = 0;  // applied by an earlier posting
  struct Refused {
    std::string firm;
    std::int64_t account = 0;
    std::string code;  // the ledger's refusal (exceeds_upper_limit, account_frozen, ...)
  };
  std::vector<Refused> refused;
};

// Errors: kNotFound (the run, not the organisation's; the currency), validation
// "/currency_id" firms_without_accounts (naming the first ones), the ledger's.
Result<PostingReport> PostRun(Runs& runs, ledger::Ledger& ledger, std::int64_t organisation, std::int64_t run, std::int64_t currency);

}  // namespace solidum::clearing
