#include "ledger/exchange.h"

namespace solidum::ledger {

__extension__ typedef __int128 Int128;

std::optional<Rate> ParseRate(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 10 || frac.size() > static_cast<std::size_t>(kRateDecimalsMax)) return std::nullopt;
  if (dot != std::string_view::npos && frac.empty()) return std::nullopt;
  Rate r{0, 1};
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    r.num = r.num * 10 + (c - '0');
  }
  if (r.num > kRateMax) return std::nullopt;
  for (char c : frac) {
    if (c < '0' || c > '9') return std::nullopt;
    r.num = r.num * 10 + (c - '0');
    r.den *= 10;
  }
  // The shortest form: "1.50" and "1.5" are one rate.
  while (r.den > 1 && r.num % 10 == 0) {
    r.num /= 10;
    r.den /= 10;
  }
  if (r.num <= 0 || r.num / r.den > kRateMax || (r.num / r.den == kRateMax && r.num % r.den != 0)) return std::nullopt;
  return r;
}

std::string FormatRate(const Rate& r) {
  std::string out = std::to_string(r.num / r.den);
  if (r.den > 1) {
    std::string frac = std::to_string(r.num % r.den);
    const std::size_t width = std::to_string(r.den).size() - 1;
    out += '.' + std::string(width - frac.size(), '0') + frac;
    while (out.back() == '0') out.pop_back();
  }
  return out;
}

std::optional<std::int64_t> Convert(std::int64_t amount, const Rate& rate, std::int64_t from_decimals, std::int64_t to_decimals, bool inverse,
                                    bool round_up) {
  Int128 num = amount, den = 1;
  num *= inverse ? rate.den : rate.num;
  den *= inverse ? rate.num : rate.den;
  // Minor units: amount / 10^from whole units; the result in 10^to minor units.
  for (std::int64_t i = 0; i < to_decimals; ++i) num *= 10;
  for (std::int64_t i = 0; i < from_decimals; ++i) den *= 10;
  const Int128 out = num / den + (round_up && num % den != 0 ? 1 : 0);  // amounts are positive: division rounds down
  if (out > INT64_MAX) return std::nullopt;
  return static_cast<std::int64_t>(out);
}

Result<std::vector<TransferRequest>> CrossLegs(const CrossPayment& p, const LinkSide& from, const LinkSide& to, const Rate& rate, bool inverse) {
  if (p.id.size() + kSecondLegSuffix.size() > kTransferIdBytesMax) {
    return Error::Invalid("/id", "too_long", "A payment to another community takes an id of at most " +
                                                 std::to_string(kTransferIdBytesMax - kSecondLegSuffix.size()) + " bytes.");
  }
  const std::string field = p.receive ? "/receive_amount" : "/amount";  // as the client named it
  if (p.amount <= 0) return Error::Invalid(field, "out_of_range", "Give an amount above zero.");
  // Either what leaves (converted, rounded down) or what arrives (paid for, rounded up):
  // the clearing accounts never give out more value than they take in.
  const auto converted = p.receive ? Convert(p.amount, rate, to.decimals, from.decimals, !inverse, true)
                                   : Convert(p.amount, rate, from.decimals, to.decimals, inverse);
  if (!converted) return Error::Invalid(field, "out_of_range", "This amount is too large to convert.");
  if (*converted <= 0) return Error::Invalid(field, "too_small", "Nothing would arrive after conversion: send more.");
  const std::int64_t leaves = p.receive ? *converted : p.amount;
  const std::int64_t arrives = p.receive ? p.amount : *converted;
  TransferRequest first;
  first.id = p.id;
  first.debit_account = p.payer;
  first.credit_account = from.clearing_account;
  first.amount = leaves;
  first.flags = kLinked;
  first.memo = p.memo;
  TransferRequest second;
  second.id = p.id + std::string(kSecondLegSuffix);
  second.debit_account = to.clearing_account;
  second.credit_account = p.payee;
  second.amount = arrives;
  second.memo = p.memo;
  return std::vector<TransferRequest>{std::move(first), std::move(second)};
}

Result<std::vector<TransferRequest>> CrossLegsBetween(const CrossPayment& p, const LinkSide& a, const LinkSide& b, const Rate& rate,
                                                      std::optional<std::int64_t> payer_currency, std::optional<std::int64_t> payee_currency,
                                                      std::string_view a_code, std::string_view b_code) {
  if (!payer_currency || (*payer_currency != a.currency && *payer_currency != b.currency)) {
    return Error::Invalid("/debit_account", "not_in_link", "Pay from an account in " + std::string(a_code) + " or " + std::string(b_code) + ".");
  }
  const bool inverse = *payer_currency == b.currency;
  const LinkSide& to = inverse ? a : b;
  if (!payee_currency || *payee_currency != to.currency) {
    return Error::Invalid("/credit_account", "not_in_link", "Pay to an account in " + std::string(inverse ? a_code : b_code) + ".");
  }
  return CrossLegs(p, inverse ? b : a, to, rate, inverse);
}

}  // namespace solidum::ledger
