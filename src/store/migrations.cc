#include "store/migrations.h"

#include "common/clock.h"
#include "common/text.h"

namespace solidum::store {

Migration MakeMigration(std::string_view file_name, std::string_view sql) {
  auto underscore = file_name.find('_');
  SOLIDUM_ASSERT(underscore != std::string_view::npos);
  auto version = text::ParseInt64(file_name.substr(0, underscore));
  SOLIDUM_ASSERT(version && *version > 0);
  return Migration{static_cast<int>(*version), file_name, sql};
}

namespace {
constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
}

Result<int> AppliedVersion(Conn& conn) {
  SOLIDUM_TRY(conn.Exec(kCreateTable, {}));
  SOLIDUM_ASSIGN_OR_RETURN(auto row,
                           conn.QueryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}));
  return static_cast<int>(row->Int(0));
}

Result<int> ApplyMigrations(Store& store, std::span<const Migration> migrations) {
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    SOLIDUM_ASSERT(migrations[i - 1].version < migrations[i].version);
  }
  int applied = 0;
  for (const Migration& m : migrations) {
    auto r = InTransaction<bool>(store, TxKind::kWrite, [&](Conn& conn) -> Result<bool> {
      SOLIDUM_ASSIGN_OR_RETURN(int current, AppliedVersion(conn));
      if (current >= m.version) return false;
      SOLIDUM_TRY(conn.ExecScript(m.sql));
      SOLIDUM_TRY(conn.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                            {std::int64_t{m.version}, std::string(m.name),
                             FormatTimestamp(SystemClock::Instance().NowMicros())}));
      return true;
    });
    if (!r.ok()) {
      Error e = std::move(r).error();
      e.message = std::string("migration ") + std::string(m.name) + ": " + e.message;
      return e;
    }
    applied += *r ? 1 : 0;
  }
  return applied;
}

}  // namespace solidum::store
