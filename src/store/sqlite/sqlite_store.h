// The SQLite backend: one file in WAL mode, a pool of connections (readers run in
// parallel, writers take the lock with BEGIN IMMEDIATE and wait up to busy_timeout),
// synchronous=FULL so a committed transaction survives a power cut, foreign keys on.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "store/store.h"

namespace solidum::store::sqlite {

// Opens (creating when missing, with its parent directory) the database at `path`.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const StoreOptions& options);

}  // namespace solidum::store::sqlite
