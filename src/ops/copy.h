// Moving a whole installation between stores (SQLite to PostgreSQL when a network grows,
// and back), verified: every table's rows are counted and checksummed on both sides before
// the destination commits.
//
// The copy takes one consistent snapshot of the source (a read transaction), and writes the
// destination in one transaction: all or nothing. Tables are those both stores have (minus
// derived ones: the full-text index, rebuilt at the end), in foreign-key order, the columns
// both have; ids are kept, and PostgreSQL's identity sequences are moved past them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace solidum::ops {

struct TableSum {
  std::string table;
  std::int64_t rows = 0;
  std::string checksum;  // BLAKE2b-128 over the sorted digests of the rows, hex
};

// Rows read and written per statement batch; the page read from the source at a time.
inline constexpr std::size_t kCopyPageRows = 5000;
inline constexpr std::size_t kCopyFilePageRows = 4;  // tables with a BLOB column (attachments): 4 x 20 MiB at most
inline constexpr std::size_t kCopyParamsPerStatement = 4000;

using CopyProgress = std::function<void(std::string_view table, std::int64_t done, std::int64_t total)>;

// Copies everything from `from` to `to`. Both must be migrated to the same schema version.
// Errors: kConflict "not_empty" when `to` has organisations or users, "schema_differs";
// kInternal "checksum_mismatch" naming the table (the destination is rolled back).
Result<std::vector<TableSum>> CopyStore(store::Store& from, store::Store& to, const CopyProgress& progress);

// The row count and checksum of every table `CopyStore` copies, on one store.
Result<std::vector<TableSum>> Checksums(store::Store& s);

}  // namespace solidum::ops
