// Solidarity investment funds on the ledger (issue 7; the plan in docs/architecture.md,
// "funds and loans on the ledger"). A fund belongs to an organisation of the register (a
// network, a regional fund) and keeps its books in a ledger currency of its own, made with
// its system accounts in one transaction (Ledger::CreateBook): the pool of cash to lend
// (credit limit 0: the ledger refuses to lend what the fund does not have), interest and
// fee income, losses, and borrowers' deposits (overpayments to give back). Backers
// (organisations of the register) contribute capital: backer's capital account -> pool,
// each contribution a ledger transfer with the caller's id, so sending one twice moves
// money once. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "ledger/ledger.h"
#include "store/store.h"

namespace solidum::finance {

inline constexpr std::size_t kContributionIdBytesMax = 40;  // the ledger id adds "f<fund>-c-"
inline constexpr std::size_t kFundNameCharsMax = 200;

struct FundInput {
  std::string name;
  std::string code;      // the fund's ledger currency code, e.g. "FONDS-IDF"
  std::string unit;      // the real currency it counts in, e.g. "EUR"
  std::int64_t decimals = 2;
};

struct Fund {
  std::int64_t id = 0, organisation_id = 0, currency_id = 0;
  std::string name, code, unit;
  std::int64_t decimals = 0;
  std::int64_t pool_account = 0, interest_account = 0, fees_account = 0, losses_account = 0, deposits_account = 0;
  std::string created_at;
};

// A fund's position, in minor units, as of the ledger's last commit.
struct FundFigures {
  std::int64_t pool = 0;      // cash to lend
  std::int64_t capital = 0;   // contributed by backers
  std::int64_t interest = 0;  // earned
  std::int64_t fees = 0;      // earned
  std::int64_t losses = 0;    // written off
  std::int64_t deposits = 0;  // owed back to borrowers
  struct Backer {
    std::int64_t organisation = 0;
    std::string name;  // as the register has it now
    std::int64_t capital = 0;
    bool operator==(const Backer&) const = default;
  };
  std::vector<Backer> backers;  // by organisation id
};

struct ContributionInput {
  std::string id;            // the caller's, 1 to kContributionIdBytesMax bytes
  std::int64_t backer = 0;   // an organisation of the register
  std::int64_t amount = 0;   // > 0, minor units
  std::string memo;
};

class Funds {
 public:
  Funds(store::Store& store, ledger::Ledger& ledger);

  // Errors: "/name" (1 to 200 characters), the ledger's for the currency ("/code",
  // "/unit", "/decimals"; kConflict "code_taken").
  Result<Fund> Create(std::int64_t organisation, const FundInput& input);
  // kNotFound unless the fund is the organisation's.
  Result<Fund> Get(std::int64_t organisation, std::int64_t id);
  Result<std::vector<Fund>> List(std::int64_t organisation);
  // Any organisation's fund (kNotFound when there is none), and every fund, by name.
  Result<Fund> Find(std::int64_t id);
  Result<std::vector<Fund>> All();
  Result<FundFigures> Figures(const Fund& fund);

  // Backer's capital -> pool. Errors: "/id", "/amount", "/backer" (unknown_organisation),
  // the ledger's refusal as kConflict with its code (id_reused_with_different_content...).
  Result<ledger::Outcome> Contribute(const Fund& fund, const ContributionInput& input);

 private:
  // The backer's capital account in the fund, opened on the first contribution.
  Result<std::int64_t> BackerAccount(const Fund& fund, std::int64_t backer);
  store::Store& store_;
  ledger::Ledger& ledger_;
  std::mutex backers_mu_;  // one capital account per backer, however many contribute at once
};

}  // namespace solidum::finance
