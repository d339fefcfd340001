// Trade between communities, the pure part: exchange rates written as people write them,
// exact conversion between two currencies' minor units, and the two linked transfers of a
// payment across a link. No store, no clock.
//
// A link between currencies A and B has a clearing account in each: in A, the account of
// B's community (account_a); in B, the account of A's community (account_b). A member of A
// paying a member of B pays account_a in A, and account_b pays the payee in B: two
// transfers in one linked chain, so both happen or neither. The clearing accounts' balances
// are the two communities' positions towards each other; their limits bound the imbalance.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ledger/book.h"

namespace solidum::ledger {

// One unit of A is worth num/den units of B (whole units, not minor ones).
struct Rate {
  std::int64_t num = 1;
  std::int64_t den = 1;  // a power of ten
};

inline constexpr int kRateDecimalsMax = 9;
inline constexpr std::int64_t kRateMax = 1'000'000'000;

// "1.5" -> {15, 10}: a positive decimal with at most kRateDecimalsMax decimals, at most
// kRateMax. Nullopt otherwise.
std::optional<Rate> ParseRate(std::string_view text);
// {15, 10} -> "1.5".
std::string FormatRate(const Rate& rate);

// `amount` minor units of A in minor units of B (decimals `from_decimals`, `to_decimals`),
// rounded down: a link never makes value out of rounding. `inverse` converts from B to A.
// Nullopt when the result leaves 64 bits. `round_up` rounds up instead (what the payer
// owes for an amount the payee must receive).
std::optional<std::int64_t> Convert(std::int64_t amount, const Rate& rate, std::int64_t from_decimals, std::int64_t to_decimals, bool inverse,
                                    bool round_up = false);

// The two sides of a link, as the payment needs them.
struct LinkSide {
  std::int64_t currency = 0;
  std::int64_t decimals = 0;
  std::int64_t clearing_account = 0;  // the other community's account in this currency
};

// The legs of a payment of `amount` (the payer's minor units) from `payer` (in `from`) to
// `payee` (in `to`), at `rate` (from a to b; `inverse` when paying from b to a). The first
// leg keeps the client's id, the second takes id + kSecondLegSuffix. Errors:
// validation "/amount" too_small (nothing arrives after rounding) or out_of_range
// (overflow), "/id" too long for the suffix.
inline constexpr std::string_view kSecondLegSuffix = "/b";
struct CrossPayment {
  std::string id;
  std::int64_t payer = 0, payee = 0;
  std::int64_t amount = 0;   // in the payer's minor units; with `receive`, in the payee's
  std::string memo;
  bool receive = false;      // `amount` is what must arrive (the payer pays it converted, rounded up)
};
Result<std::vector<TransferRequest>> CrossLegs(const CrossPayment& p, const LinkSide& from, const LinkSide& to, const Rate& rate, bool inverse);

// The same, the direction found from the accounts' currencies: `a` and `b` are the link's
// sides (rate from a to b); the payer's account is in `payer_currency`, the payee's in
// `payee_currency` (nullopt: no such account). Errors as CrossLegs, and validation
// "/debit_account" or "/credit_account" not_in_link when an account is not on the side
// the payment needs (`a_code`, `b_code` name the currencies in the message).
Result<std::vector<TransferRequest>> CrossLegsBetween(const CrossPayment& p, const LinkSide& a, const LinkSide& b, const Rate& rate,
                                                      std::optional<std::int64_t> payer_currency, std::optional<std::int64_t> payee_currency,
                                                      std::string_view a_code, std::string_view b_code);

}  // namespace solidum::ledger
