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

// Copies the database at `path` into a new file `dest` with SQLite's online backup API, in
// one step under one read transaction: consistent while servers keep writing (in WAL mode
// readers do not block writers), then checks the copy (PRAGMA integrity_check). Written to
// dest.tmp and renamed, so a failed backup leaves no half file. Answers the pages copied.
// Errors: `dest` exists (kConflict "exists"), cannot be written, or fails the check.
Result<std::int64_t> Backup(const std::string& path, const std::string& dest);

}  // namespace solidum::store::sqlite
