#include "cli/operations.h"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "cli/progress.h"
#include "ops/copy.h"
#include "store/sqlite/sqlite_store.h"

namespace solidum::cli {

namespace {

void PrintSums(const std::vector<ops::TableSum>& sums) {
  for (const auto& s : sums) std::printf("%-28s %10lld rows  %s\n", s.table.c_str(), static_cast<long long>(s.rows), s.checksum.c_str());
}

}  // namespace

int Fail(const Error& e) {
  std::string msg = e.message;
  for (const auto& f : e.fields) msg += "\n  " + f.field + ": " + f.message;
  std::fprintf(stderr, "solidum: %s\n", msg.c_str());
  return 1;
}

Result<std::unique_ptr<store::Store>> OpenAndMigrate(const std::string& url, int pool_size) {
  SOLIDUM_ASSIGN_OR_RETURN(auto store, store::Open(url, {.pool_size = pool_size}));
  SOLIDUM_ASSIGN_OR_RETURN(int applied, store->Migrate());
  if (applied > 0) spdlog::info("applied {} migration(s) to {}", applied, store->describe());
  return store;
}

int RunCopy(const std::string& from_url, const std::string& to_url) {
  auto from = OpenAndMigrate(from_url, 2);
  if (!from.ok()) return Fail(from.error());
  auto to = OpenAndMigrate(to_url, 2);
  if (!to.ok()) return Fail(to.error());
  ProgressBar bar;
  auto sums = ops::CopyStore(**from, **to, [&](std::string_view table, std::int64_t done, std::int64_t total) {
    bar.Show(table, static_cast<std::size_t>(done), static_cast<std::size_t>(total));
  });
  if (!sums.ok()) return Fail(sums.error());
  PrintSums(*sums);
  std::fprintf(stderr, "copied %s to %s: %zu tables, counts and checksums verified\n", (*from)->describe().c_str(),
               (*to)->describe().c_str(), sums->size());
  return 0;
}

int RunBackup(const std::string& db, const std::string& file) {
  if (!db.starts_with("sqlite:")) {
    return Fail(Error::Invalid("--db", "not_sqlite",
                               "solidum backup copies a SQLite store; back up PostgreSQL with pg_dump or base backups "
                               "(docs/operations.md)."));
  }
  std::string path = db.substr(7);
  if (path.starts_with("//")) path.erase(0, 2);
  auto r = store::sqlite::Backup(path, file);
  if (!r.ok()) return Fail(r.error());
  std::fprintf(stderr, "backed up %s to %s (%lld pages, integrity checked)\n", path.c_str(), file.c_str(),
               static_cast<long long>(*r));
  return 0;
}

int RunChecksums(store::Store& store) {
  auto sums = ops::Checksums(store);
  if (!sums.ok()) return Fail(sums.error());
  PrintSums(*sums);
  return 0;
}

}  // namespace solidum::cli
