// Store: where Solidum keeps everything. One interface, one implementation per backend
// (sqlite/ now, postgres/ next), chosen by a URL: "sqlite:PATH" or "postgresql://...".
//
// SQL is written once for all backends, with `?` placeholders (a backend that numbers its
// parameters rewrites them), standard types (INTEGER/BIGINT, TEXT, DOUBLE PRECISION) and
// timestamps as RFC 3339 text (common/clock.h). Backend-specific SQL (full-text search)
// asks `backend()` first.
//
// Thread safety: Store is thread-safe; a Conn belongs to one thread at a time, from
// Acquire() until the lease is dropped.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"

namespace solidum::store {

enum class Backend { kSqlite, kPostgres };

struct Null {};
// Bytes that are not text (an attachment's content): SQLite BLOB, PostgreSQL BYTEA.
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};
using Value = std::variant<Null, std::int64_t, double, std::string, Blob>;

// A nullable column's value: NULL for nullopt.
template <typename T>
Value Opt(const std::optional<T>& v) {
  if (!v) return Null{};
  return Value(*v);
}

// A subquery "SELECT value FROM ..." of the integers in a JSON array parameter ("[1,2,3]"):
// one parameter for a list of any length.
std::string_view JsonIntegers(Backend backend);
// The same for the strings of a JSON array parameter (["a","b"]).
std::string_view JsonTexts(Backend backend);
// `ids` as the JSON array parameter those take ("[1,2,3]").
std::string JsonArray(std::span<const std::int64_t> ids);

// One result row. Column accessors assert on type mismatch: a programming error.
class Row {
 public:
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
  std::size_t size() const { return cols_.size(); }
  bool IsNull(std::size_t i) const { return std::holds_alternative<Null>(At(i)); }
  std::int64_t Int(std::size_t i) const;
  double Real(std::size_t i) const;          // accepts an integer column too
  const std::string& Text(std::size_t i) const;
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  std::optional<double> OptReal(std::size_t i) const;
  std::optional<std::string> OptText(std::size_t i) const;
  const std::string& Bytes(std::size_t i) const;  // a BLOB / BYTEA column
  const Value& At(std::size_t i) const;

 private:
  std::vector<Value> cols_;
};

using Rows = std::vector<Row>;
using Params = std::span<const Value>;

enum class TxKind {
  kRead,    // a consistent snapshot for reads
  kWrite,   // takes the write lock at once (SQLite: BEGIN IMMEDIATE), so it cannot deadlock later
  // Only inserts rows of its own (a new record and its parts), which no other transaction
  // reads or changes before it commits, and reads nothing it relies on staying as it was.
  // SQLite: as kWrite (one writer per file). PostgreSQL: without the database-wide write
  // lock, so a long one (a set-off run's 40,000 rows) does not hold up the other writers.
  kAppend,
};

// One database connection. Errors: constraint violations come back as kConflict with
// code "conflict" (field: the constraint's columns where known); a busy database as
// kUnavailable "store_busy"; anything else as kInternal "store_error".
class Conn {
 public:
  virtual ~Conn() = default;
  virtual Backend backend() const = 0;
  virtual Result<Rows> Query(std::string_view sql, Params params = {}) = 0;
  // Runs a statement that returns no rows; answers the number of rows it changed.
  virtual Result<std::int64_t> Exec(std::string_view sql, Params params = {}) = 0;
  // Runs several statements with no parameters (migrations).
  virtual Result<void> ExecScript(std::string_view sql) = 0;
  // Runs one statement once per parameter set, in order, stopping at the first error;
  // answers the rows changed in all. PostgreSQL sends them in pipeline mode (a round trip
  // per few hundred, not per statement), so the statement's parameter types must follow from
  // the statement itself (INSERT ... VALUES, SET col = ?, WHERE col = ?). SQLite runs them
  // one by one (no round trips to save).
  Result<std::int64_t> ExecMany(std::string_view sql, std::span<const std::vector<Value>> param_sets);
  // The same, answering the rows each statement changed, in order. On PostgreSQL a failed
  // statement aborts the transaction (and the statements after it in the pipeline).
  virtual Result<std::vector<std::int64_t>> ExecEach(std::string_view sql, std::span<const std::vector<Value>> param_sets);
  // Inserts rows of `columns` values each, laid end to end in `values` (so its size is a
  // multiple of `columns`), with `head` = "INSERT INTO table (col, ...)": one statement per
  // kRowsPerInsert rows (multi-row VALUES), the rest one by one, so that both stores parse
  // and step a statement per many rows, not per row (PostgreSQL: in one pipeline, as
  // ExecEach). Stops at the first error.
  static constexpr std::size_t kRowsPerInsert = 64;
  Result<void> InsertRows(std::string_view head, std::size_t columns, std::span<const Value> values);
  virtual Result<void> Begin(TxKind kind) = 0;
  virtual Result<void> Commit() = 0;
  virtual Result<void> Rollback() = 0;

  Result<Rows> Query(std::string_view sql, std::initializer_list<Value> params) {
    return Query(sql, Params(params.begin(), params.size()));
  }
  Result<std::int64_t> Exec(std::string_view sql, std::initializer_list<Value> params) {
    return Exec(sql, Params(params.begin(), params.size()));
  }
  // At most one row, or nullopt.
  Result<std::optional<Row>> QueryOne(std::string_view sql, Params params);
  Result<std::optional<Row>> QueryOne(std::string_view sql, std::initializer_list<Value> params) {
    return QueryOne(sql, Params(params.begin(), params.size()));
  }
};

class Store;

// A connection borrowed from the store's pool; returned when the lease goes.
class ConnLease {
 public:
  ConnLease(Store* store, std::unique_ptr<Conn> conn) : store_(store), conn_(std::move(conn)) {}
  ConnLease(ConnLease&&) noexcept = default;
  ConnLease& operator=(ConnLease&&) noexcept = default;
  ~ConnLease();
  Conn& operator*() { return *conn_; }
  Conn* operator->() { return conn_.get(); }

 private:
  Store* store_;
  std::unique_ptr<Conn> conn_;
};

struct StoreOptions {
  int pool_size = 8;  // connections kept open
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Backend backend() const = 0;
  // A display form of the URL with any password removed; safe to log.
  virtual std::string describe() const = 0;
  // Blocks until a connection is free. Thread-safe.
  virtual ConnLease Acquire() = 0;
  // Applies every migration not applied yet; answers how many it applied.
  virtual Result<int> Migrate() = 0;
  // Highest applied migration version (0 when none).
  Result<int> SchemaVersion();
  // Refreshes the planner's statistics after a bulk write (PostgreSQL: ANALYZE; SQLite:
  // PRAGMA optimize), so that the next queries are planned for the data as it now is.
  virtual Result<void> RefreshStatistics() = 0;

 protected:
  friend class ConnLease;
  virtual void Release(std::unique_ptr<Conn> conn) = 0;
};

// The connections of a store: up to `size` open, handed out one thread at a time; Acquire
// blocks while all are leased. `connect` opens a new one; a store that connected once and
// cannot connect again (fd exhaustion) stops the process (SOLIDUM_ASSERT).
class ConnPool {
 public:
  using Connect = std::function<Result<std::unique_ptr<Conn>>()>;
  ConnPool(int size, Connect connect) : size_(size < 1 ? 1 : size), connect_(std::move(connect)) {}
  ~ConnPool();
  // Opens the first connection now, so that a bad URL or file fails at Open.
  Result<void> Init();
  std::unique_ptr<Conn> Take();
  // Back to the pool; dropped instead when `keep` says no (a connection the server closed).
  void Give(std::unique_ptr<Conn> conn, bool keep = true);

 private:
  int size_;
  Connect connect_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;
  int leased_ = 0;
};

// Opens the store the URL names. Does not migrate.
Result<std::unique_ptr<Store>> Open(std::string_view url, const StoreOptions& options = {});

// Runs `fn` in a transaction on a pooled connection: commits when it returns a value,
// rolls back when it returns an Error (or throws). The error is passed through.
template <typename T>
Result<T> InTransaction(Store& store, TxKind kind, const std::function<Result<T>(Conn&)>& fn) {
  ConnLease conn = store.Acquire();
  SOLIDUM_TRY(conn->Begin(kind));
  Result<T> r = Error::Internal("transaction body did not run");
  try {
    r = fn(*conn);
  } catch (...) {
    (void)conn->Rollback();
    throw;
  }
  if (!r.ok()) {
    (void)conn->Rollback();
    return r;
  }
  if (auto c = conn->Commit(); !c.ok()) {
    (void)conn->Rollback();
    return std::move(c).error();
  }
  return r;
}

}  // namespace solidum::store
