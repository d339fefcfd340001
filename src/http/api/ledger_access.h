// Who may see and act in a currency, and the ledger's JSON, shared by the ledger's,
// the listings' and the trade routes.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <boost/json/object.hpp>

#include "common/json_write.h"
#include "common/result.h"
#include "http/app.h"
#include "ledger/ledger.h"

namespace solidum::http::api {

// The currency's admins (and platform admins), or a member who holds an account in it;
// else kForbidden "not_permitted".
Result<void> MayReadCurrency(Context& ctx, const ledger::Currency& currency);

// May the caller administer the currency (an admin of its organisation, or a platform admin)?
Result<bool> AdministersCurrency(Context& ctx, const ledger::Currency& currency);

// The caller's own account in the currency, if they hold one.
Result<std::optional<std::int64_t>> OwnAccountIn(Context& ctx, std::int64_t currency);

// The first of `accounts` (its index) the caller may not pay from: only its holder (the
// member's user) and its currency's admins may; nullopt when all are permitted.
Result<std::optional<std::int64_t>> FirstNotPermitted(Context& ctx, const std::vector<std::int64_t>& accounts);

// The API's JSON of a currency, and of a transfer as applied (written straight out: the
// answer to every transfer).
boost::json::object CurrencyJson(const ledger::Currency& c);
void WriteTransfer(json_write::Writer& w, const ledger::Transfer& t);

}  // namespace solidum::http::api
