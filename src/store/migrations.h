// The migration runner shared by all backends. Each backend embeds its own numbered
// files (NNNN_name.sql) and hands them here; versions apply in order, each in its own
// write transaction, recorded in schema_migrations. Safe when two processes start at once:
// the version check happens inside the write transaction.
#pragma once

#include <span>
#include <string_view>

#include "common/result.h"
#include "store/store.h"

namespace solidum::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Parses "0001_init.sql" into version 1. Asserts on malformed embedded names (a build bug).
Migration MakeMigration(std::string_view file_name, std::string_view sql);

Result<int> ApplyMigrations(Store& store, std::span<const Migration> migrations);
Result<int> AppliedVersion(Conn& conn);

}  // namespace solidum::store
