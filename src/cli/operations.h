// The commands that act on a whole installation: copy between stores, backup, checksums.
#pragma once

#include <string>

#include "common/result.h"
#include "store/store.h"

namespace solidum::cli {

// Prints the error (and its fields) to stderr; answers exit code 1.
int Fail(const Error& e);

// Opens and migrates the store at `url`.
Result<std::unique_ptr<store::Store>> OpenAndMigrate(const std::string& url, int pool_size);

// solidum copy --from A --to B: migrates both, copies, prints each table's rows and
// checksum. Exit 0 when verified, 1 otherwise (nothing written to B).
int RunCopy(const std::string& from, const std::string& to);
// solidum backup FILE: an online, consistent copy of the SQLite store `db` into FILE.
int RunBackup(const std::string& db, const std::string& file);
// solidum checksums: each table's rows and checksum, as copy prints them.
int RunChecksums(store::Store& store);

}  // namespace solidum::cli
