#include "clearing/posting.h"

#include <algorithm>

namespace solidum::clearing {

namespace {

constexpr std::size_t kMissingNamed = 10;  // named in the error; the rest counted

}  // namespace

Result<PostingReport> PostRun(Runs& runs, ledger::Ledger& ledger, std::int64_t organisation, std::int64_t run, std::int64_t currency) {
  SOLIDUM_TRY(ledger.GetCurrency(currency));
  // The firms with a set-off, largest first.
  std::vector<RunFirm> firms;
  for (FirmQuery q{.text = "", .with_setoff_only = true, .offset = 0, .limit = kFirmsPageMax};; q.offset += kFirmsPageMax) {
    SOLIDUM_ASSIGN_OR_RETURN(auto page, runs.Firms(organisation, run, q));
    firms.insert(firms.end(), page.first.begin(), page.first.end());
    if (page.first.size() < static_cast<std::size_t>(kFirmsPageMax)) break;
  }
  std::vector<std::string> names;
  names.reserve(firms.size());
  for (const auto& f : firms) names.push_back(f.name);
  SOLIDUM_ASSIGN_OR_RETURN(auto accounts, ledger.OpenAccountsNamed(currency, names));
  std::vector<std::string> missing;
  for (const auto& f : firms) {
    auto it = accounts.find(f.name);
    if (it == accounts.end() || it->second.size() != 1) missing.push_back(f.name + (it == accounts.end() ? "" : " (several accounts)"));
  }
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < std::min(missing.size(), kMissingNamed); ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > kMissingNamed) list += ", …";
    return Error::Invalid("/currency_id", "firms_without_accounts",
                          std::to_string(missing.size()) + " firms with a set-off have no open account of that exact name in this currency: " + list +
                              ". Open them (or rename them) and post again; nothing was posted.");
  }
  PostingReport report;
  report.firms = static_cast<std::int64_t>(firms.size());
  if (firms.empty()) return report;
  SOLIDUM_ASSIGN_OR_RETURN(report.clearing_account, ledger.SystemAccount(currency, std::string(kClearingAccountName)));

  const std::string prefix = "setoff-" + std::to_string(run) + "-";
  const std::string memo = "Set-off run " + std::to_string(run) + ": ";
  constexpr std::size_t kFirmsPerBatch = ledger::kTransfersPerBatchMax / 2;
  for (std::size_t from = 0; from < firms.size(); from += kFirmsPerBatch) {
    const std::size_t to = std::min(firms.size(), from + kFirmsPerBatch);
    std::vector<ledger::TransferRequest> batch;
    batch.reserve(2 * (to - from));
    for (std::size_t i = from; i < to; ++i) {
      const auto& f = firms[i];
      const std::int64_t account = accounts[f.name].front();
      ledger::TransferRequest in, out;
      in.id = prefix + std::to_string(f.index) + "-in";
      in.debit_account = report.clearing_account;
      in.credit_account = account;
      in.amount = f.set_off.set_off;
      in.flags = ledger::kLinked;
      in.memo = memo + "claims cancelled";
      out.id = prefix + std::to_string(f.index) + "-out";
      out.debit_account = account;
      out.credit_account = report.clearing_account;
      out.amount = f.set_off.set_off;
      out.memo = memo + "debts cancelled";
      batch.push_back(std::move(in));
      batch.push_back(std::move(out));
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto outcomes, ledger.Transfer(std::move(batch)));
    for (std::size_t i = from; i < to; ++i) {
      const std::span<const ledger::Outcome> pair(outcomes.data() + 2 * (i - from), 2);
      if (const auto failed = ledger::FailedLink(pair)) {
        report.refused.push_back({firms[i].name, accounts[firms[i].name].front(), std::string(ledger::RefusalCode(pair[*failed].refusal))});
        continue;
      }
      (pair[0].replayed && pair[1].replayed ? report.replayed : report.posted) += 1;
    }
  }
  return report;
}

}  // namespace solidum::clearing
