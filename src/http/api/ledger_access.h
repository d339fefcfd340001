// Who may see and act in a currency, shared by the ledger's and the listings' routes.
#pragma once

#include <cstdint>
#include <optional>

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

}  // namespace solidum::http::api
