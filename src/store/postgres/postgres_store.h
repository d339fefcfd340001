// The PostgreSQL backend, through libpq: a pool of connections, each statement prepared
// once per connection (by its SQL and the types of its parameters), `?` placeholders
// rewritten to $1, $2, ...
//
// Transactions keep SQLite's semantics, so that the code above is the same on both: a read
// transaction is one snapshot (REPEATABLE READ); a write transaction takes one
// database-wide advisory lock first (pg_advisory_xact_lock), so writes are serialised
// across every server on the database as SQLite serialises them in one file. Writes to
// the register are rare and short; what must scale is reads, which run in parallel.
//
// Values: BIGINT/INTEGER/SMALLINT and NUMERIC without a fraction come back as integers,
// BOOLEAN as 0/1, REAL/DOUBLE/NUMERIC as doubles, everything else as text.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "store/store.h"

namespace solidum::store::postgres {

// Connects to `url` (postgresql://user:password@host:port/dbname?options) and checks it.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, const StoreOptions& options);

// `url` with its password replaced by "***"; safe to log.
std::string RedactPassword(std::string_view url);

// `sql` with each `?` outside quotes turned into $1, $2, ...
std::string NumberPlaceholders(std::string_view sql);

}  // namespace solidum::store::postgres
