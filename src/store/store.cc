#include "store/store.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include "store/migrations.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace solidum::store {

const Value& Row::At(std::size_t i) const {
  SOLIDUM_ASSERT(i < cols_.size());
  return cols_[i];
}

std::int64_t Row::Int(std::size_t i) const {
  const Value& v = At(i);
  SOLIDUM_ASSERT(std::holds_alternative<std::int64_t>(v));
  return std::get<std::int64_t>(v);
}

double Row::Real(std::size_t i) const {
  const Value& v = At(i);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  SOLIDUM_ASSERT(std::holds_alternative<double>(v));
  return std::get<double>(v);
}

const std::string& Row::Text(std::size_t i) const {
  const Value& v = At(i);
  SOLIDUM_ASSERT(std::holds_alternative<std::string>(v));
  return std::get<std::string>(v);
}

const std::string& Row::Bytes(std::size_t i) const {
  const Value& v = At(i);
  SOLIDUM_ASSERT(std::holds_alternative<Blob>(v));
  return std::get<Blob>(v).bytes;
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}
std::optional<double> Row::OptReal(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Real(i);
}
std::optional<std::string> Row::OptText(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

Result<std::optional<Row>> Conn::QueryOne(std::string_view sql, Params params) {
  SOLIDUM_ASSIGN_OR_RETURN(Rows rows, Query(sql, params));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

ConnLease::~ConnLease() {
  if (conn_) store_->Release(std::move(conn_));
}

std::string_view JsonIntegers(Backend backend) {
  if (backend == Backend::kSqlite) return "SELECT value FROM json_each(?)";
  return "SELECT CAST(value AS BIGINT) AS value FROM json_array_elements_text(CAST(? AS json))";
}

std::string JsonArray(std::span<const std::int64_t> ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  out += ']';
  return out;
}

Result<int> Store::SchemaVersion() {
  ConnLease conn = Acquire();
  return AppliedVersion(*conn);
}

std::string_view JsonTexts(Backend backend) {
  if (backend == Backend::kSqlite) return "SELECT value FROM json_each(?)";
  return "SELECT value FROM json_array_elements_text(CAST(? AS json))";
}

Result<std::int64_t> Conn::ExecMany(std::string_view sql, std::span<const std::vector<Value>> param_sets) {
  SOLIDUM_ASSIGN_OR_RETURN(auto each, ExecEach(sql, param_sets));
  std::int64_t changed = 0;
  for (auto n : each) changed += n;
  return changed;
}

Result<std::vector<std::int64_t>> Conn::ExecEach(std::string_view sql, std::span<const std::vector<Value>> param_sets) {
  std::vector<std::int64_t> each;
  each.reserve(param_sets.size());
  for (const auto& params : param_sets) {
    SOLIDUM_ASSIGN_OR_RETURN(auto n, Exec(sql, Params(params.data(), params.size())));
    each.push_back(n);
  }
  return each;
}

Result<void> Conn::InsertRows(std::string_view head, std::size_t columns, std::span<const Value> values) {
  SOLIDUM_ASSERT(columns > 0 && values.size() % columns == 0);
  auto statement = [&](std::size_t rows) {
    std::string row = "(";
    for (std::size_t c = 0; c < columns; ++c) row += c ? ", ?" : "?";
    row += ')';
    std::string sql(head);
    sql += " VALUES ";
    for (std::size_t r = 0; r < rows; ++r) {
      if (r) sql += ", ";
      sql += row;
    }
    return sql;
  };
  const std::size_t rows = values.size() / columns;
  const std::size_t full = rows / kRowsPerInsert * kRowsPerInsert;
  // Statements of `per` rows each for rows [from, to).
  auto run = [&](std::size_t per, std::size_t from, std::size_t to) -> Result<void> {
    if (from == to) return Ok();
    const std::string sql = statement(per);
    if (backend() == Backend::kSqlite) {  // no round trips to save: straight from `values`
      for (std::size_t r = from; r < to; r += per) SOLIDUM_TRY(Exec(sql, values.subspan(r * columns, per * columns)));
      return Ok();
    }
    std::vector<std::vector<Value>> sets;  // PostgreSQL: one pipeline
    for (std::size_t r = from; r < to; r += per) {
      sets.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(r * columns), values.begin() + static_cast<std::ptrdiff_t>((r + per) * columns));
    }
    SOLIDUM_TRY(ExecEach(sql, sets));
    return Ok();
  };
  SOLIDUM_TRY(run(kRowsPerInsert, 0, full));
  return run(1, full, rows);
}

ConnPool::~ConnPool() {
  std::lock_guard lock(mu_);
  SOLIDUM_ASSERT(leased_ == 0);
  idle_.clear();
}

Result<void> ConnPool::Init() {
  SOLIDUM_ASSIGN_OR_RETURN(auto conn, connect_());
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(conn));
  ++open_;
  return Ok();
}

std::unique_ptr<Conn> ConnPool::Take() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      ++leased_;
      return c;
    }
    if (open_ < size_) {
      ++open_;
      ++leased_;
      lock.unlock();
      // It connected at Init(). A database server restarting gets ten seconds to come back;
      // past that (or fd exhaustion) no request can be answered: stop, for the supervisor.
      auto c = connect_();
      for (int attempt = 0; !c.ok() && attempt < 20; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        c = connect_();
      }
      if (!c.ok()) std::fprintf(stderr, "solidum: cannot open a store connection: %s\n", c.error().message.c_str());
      SOLIDUM_ASSERT(c.ok());
      return std::move(c).value();
    }
    cv_.wait(lock);
  }
}

void ConnPool::Give(std::unique_ptr<Conn> conn, bool keep) {
  {
    std::lock_guard lock(mu_);
    --leased_;
    if (keep) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  if (!keep) conn.reset();
  cv_.notify_one();
}

Result<std::unique_ptr<Store>> Open(std::string_view url, const StoreOptions& options) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    std::string path(url.substr(kSqlite.size()));
    if (path.starts_with("//")) path.erase(0, 2);  // accept sqlite://PATH too
    if (path.empty()) {
      return Error::Make(ErrorKind::kInvalidInput, "bad_store_url", "sqlite: URL has no path");
    }
    return sqlite::OpenSqliteStore(path, options);
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return postgres::OpenPostgresStore(std::string(url), options);
  }
  return Error::Make(ErrorKind::kInvalidInput, "bad_store_url",
                     "store URL must start with sqlite: or postgresql://");
}

}  // namespace solidum::store
