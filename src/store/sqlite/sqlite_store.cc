#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/text.h"
#include "store/migrations.h"
#include "store_sqlite_migrations_embedded.h"

namespace solidum::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;

Error StoreError(sqlite3* db, int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xFF;
  if (primary == SQLITE_CONSTRAINT) {
    return Error::Make(ErrorKind::kConflict, "conflict", std::move(msg));
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Error::Make(ErrorKind::kUnavailable, "store_busy", std::move(msg));
  }
  return Error::Make(ErrorKind::kInternal, "store_error", std::move(msg));
}

// WAL checkpoints (copying the log's pages into the database file): a thread of the store
// runs one once the log holds kWalPagesCheckpoint pages, so that no committing request waits
// for it; a commit that finds the log at kWalPagesCheckpointNow pages (the thread fell
// behind) runs one itself, as SQLite's own automatic checkpoint would at 1,000.
constexpr int kWalPagesCheckpoint = 1000;
constexpr int kWalPagesCheckpointNow = 20000;

// The store's checkpoints: its own connection and thread, woken by every connection's WAL
// hook.
class Checkpointer {
 public:
  ~Checkpointer() { Stop(); }
  Result<void> Start(const std::string& path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      Error e = StoreError(db_, rc, "open " + path);
      sqlite3_close_v2(db_);
      db_ = nullptr;
      return e;
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    sqlite3_exec(db_, "PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr);
    thread_ = std::thread([this] { Run(); });
    return Ok();
  }
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
  }
  // sqlite3_wal_hook's callback (it replaces the connection's automatic checkpoint).
  static int Hook(void* self, sqlite3* db, const char* schema, int pages) {
    if (pages >= kWalPagesCheckpointNow) {
      sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (pages >= kWalPagesCheckpoint) {
      auto* c = static_cast<Checkpointer*>(self);
      {
        std::lock_guard lock(c->mu_);
        c->wanted_ = true;
      }
      c->cv_.notify_one();
    }
    return SQLITE_OK;
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stopping_ || wanted_; });
      if (stopping_) return;
      wanted_ = false;
      lock.unlock();
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      lock.lock();
    }
  }
  sqlite3* db_ = nullptr;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false, stopping_ = false;
};

class SqliteConn final : public Conn {
 public:
  explicit SqliteConn(sqlite3* db) : db_(db) {}
  Backend backend() const override { return Backend::kSqlite; }
  ~SqliteConn() override {
    for (auto& [sql, stmt] : stmts_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Result<Rows> Query(std::string_view sql, Params params) override {
    SOLIDUM_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    Rows rows;
    int ncol = sqlite3_column_count(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value> cols;
      cols.reserve(static_cast<std::size_t>(ncol));
      for (int i = 0; i < ncol; ++i) cols.push_back(Column(stmt, i));
      rows.emplace_back(std::move(cols));
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return StoreError(db_, rc, "query");
    return rows;
  }

  Result<std::int64_t> Exec(std::string_view sql, Params params) override {
    SOLIDUM_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return StoreError(db_, rc, "exec");
    return static_cast<std::int64_t>(sqlite3_changes64(db_));
  }

  Result<void> ExecScript(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : "script failed";
      sqlite3_free(err);
      return StoreError(nullptr, rc, msg);
    }
    return Ok();
  }

  Result<void> Begin(TxKind kind) override {
    return Simple(kind == TxKind::kRead ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE");
  }
  Result<void> Commit() override { return Simple("COMMIT"); }
  Result<void> Rollback() override {
    if (sqlite3_get_autocommit(db_)) return Ok();  // SQLite already rolled back
    return Simple("ROLLBACK");
  }

 private:
  // Prepared once per connection like any statement (sqlite3_exec would compile it every
  // time: twice per round of the ledger's writer).
  Result<void> Simple(const char* sql) {
    SOLIDUM_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, {}));
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return StoreError(db_, rc, sql);
    return Ok();
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql, Params params) {
    sqlite3_stmt* stmt = nullptr;
    auto it = stmts_.find(sql);
    if (it != stmts_.end()) {
      stmt = it->second;
    } else {
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) return StoreError(db_, rc, "prepare");
      stmts_.emplace(std::string(sql), stmt);
    }
    sqlite3_clear_bindings(stmt);
    SOLIDUM_ASSERT(sqlite3_bind_parameter_count(stmt) == static_cast<int>(params.size()));
    for (std::size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      int rc = std::visit(
          [&](const auto& v) -> int {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, Null>) return sqlite3_bind_null(stmt, idx);
            else if constexpr (std::is_same_v<V, std::int64_t>) return sqlite3_bind_int64(stmt, idx, v);
            else if constexpr (std::is_same_v<V, double>) return sqlite3_bind_double(stmt, idx, v);
            else if constexpr (std::is_same_v<V, Blob>) return sqlite3_bind_blob64(stmt, idx, v.bytes.data(), v.bytes.size(), SQLITE_STATIC);
            else return sqlite3_bind_text64(stmt, idx, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
          },
          params[i]);
      if (rc != SQLITE_OK) return StoreError(db_, rc, "bind");
    }
    return stmt;
  }

  static Value Column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER: return std::int64_t{sqlite3_column_int64(stmt, i)};
      case SQLITE_FLOAT: return sqlite3_column_double(stmt, i);
      case SQLITE_NULL: return Null{};
      case SQLITE_BLOB: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
        return Blob{n ? std::string(p, n) : std::string()};
      }
      default: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
      }
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, text::TransparentHash, std::equal_to<>> stmts_;  // by SQL
};

std::vector<Migration> SqliteMigrations() {
  std::vector<Migration> out;
  for (const auto& f : solidum_sqlite_migrations::kFiles) out.push_back(MakeMigration(f.name, f.content));
  return out;
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, int pool_size) : path_(std::move(path)), pool_(pool_size, [this] { return Connect(); }) {}

  Result<void> Init() {
    // One connection first, alone, to set the database-wide settings.
    SOLIDUM_TRY(pool_.Init());
    auto conn = pool_.Take();
    auto r = conn->ExecScript("PRAGMA journal_mode=WAL;");
    pool_.Give(std::move(conn));
    SOLIDUM_TRY(r);
    return checkpointer_.Start(path_);
  }

  Backend backend() const override { return Backend::kSqlite; }
  std::string describe() const override { return "sqlite:" + path_; }
  ConnLease Acquire() override { return ConnLease(this, pool_.Take()); }

  Result<int> Migrate() override {
    auto migrations = SqliteMigrations();
    return ApplyMigrations(*this, migrations);
  }

  Result<void> RefreshStatistics() override {
    ConnLease conn = Acquire();
    return conn->ExecScript("PRAGMA optimize;");
  }

 protected:
  void Release(std::unique_ptr<Conn> conn) override { pool_.Give(std::move(conn)); }

 private:
  Result<std::unique_ptr<Conn>> Connect() {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path_.c_str(), &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      Error e = StoreError(db, rc, "open " + path_);
      sqlite3_close_v2(db);
      return e;
    }
    auto conn = std::make_unique<SqliteConn>(db);
    // solidum_fold(x): text::FoldLetters, for the full-text index (src/registry/search_store.cc).
    sqlite3_create_function_v2(
        db, "solidum_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
        [](sqlite3_context* ctx, int, sqlite3_value** argv) {
          const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
          if (!p) return sqlite3_result_null(ctx);
          std::string folded = text::FoldLetters(std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))));
          sqlite3_result_text64(ctx, folded.data(), folded.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        },
        nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_wal_hook(db, &Checkpointer::Hook, &checkpointer_);
    SOLIDUM_TRY(conn->ExecScript(
        "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;"));
    return std::unique_ptr<Conn>(std::move(conn));
  }

  std::string path_;
  Checkpointer checkpointer_;  // before pool_: the connections' hook points to it
  ConnPool pool_;
};

}  // namespace

Result<std::int64_t> Backup(const std::string& path, const std::string& dest) {
  std::error_code ec;
  if (std::filesystem::exists(dest, ec)) {
    return Error::Make(ErrorKind::kConflict, "exists", dest + " exists: choose a new file for the backup.");
  }
  if (!std::filesystem::exists(path, ec)) return Error::NotFound("No database at " + path + ".");
  std::string tmp = dest + ".tmp";
  std::filesystem::remove(tmp, ec);
  sqlite3* src = nullptr;
  sqlite3* out = nullptr;
  auto close = [&] {
    sqlite3_close_v2(src);
    sqlite3_close_v2(out);
  };
  int rc = sqlite3_open_v2(path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_open_v2(tmp.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    Error e = StoreError(out ? out : src, rc, "backup: open");
    close();
    return e;
  }
  sqlite3_busy_timeout(src, kBusyTimeoutMs);
  sqlite3_backup* b = sqlite3_backup_init(out, "main", src, "main");
  if (!b) {
    Error e = StoreError(out, sqlite3_errcode(out), "backup");
    close();
    return e;
  }
  rc = sqlite3_backup_step(b, -1);  // every page at once: one snapshot
  std::int64_t pages = sqlite3_backup_pagecount(b);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    Error e = StoreError(nullptr, rc, "backup");
    close();
    std::filesystem::remove(tmp, ec);
    return e;
  }
  std::string check;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(out, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    check = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  close();
  if (check != "ok") {
    std::filesystem::remove(tmp, ec);
    return Error::Make(ErrorKind::kInternal, "backup_corrupt", "The backup failed its integrity check: " + check);
  }
  std::filesystem::rename(tmp, dest, ec);
  if (ec) return Error::Make(ErrorKind::kInternal, "write_failed", "backup: " + ec.message());
  return pages;
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const StoreOptions& options) {
  // Memory statistics take a global mutex on every allocation; Solidum never reads them.
  static const int kConfigured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return sqlite3_initialize();
  }();
  (void)kConfigured;
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) {
    return Error::Make(ErrorKind::kInternal, "store_error",
                       "cannot create directory " + parent.string() + ": " + ec.message());
  }
  auto store = std::make_unique<SqliteStore>(path, options.pool_size < 1 ? 1 : options.pool_size);
  SOLIDUM_TRY(store->Init());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace solidum::store::sqlite
