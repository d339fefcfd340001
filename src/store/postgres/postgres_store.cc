#include "store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <charconv>
#include <optional>
#include <cstdlib>
#include <unordered_map>
#include <vector>

#include "common/text.h"
#include "store/migrations.h"
#include "store_postgres_migrations_embedded.h"

namespace solidum::store::postgres {
namespace {

// The advisory lock every write transaction takes: one writer at a time, database-wide.
constexpr std::int64_t kWriteLockKey = 0x736f6c6964756dLL;  // "solidum"
constexpr int kConnectTimeoutSeconds = 10;
// Statements each connection keeps prepared; past this the cache is dropped and refilled
// (the SQL is a fixed set in practice; this bounds a bug).
constexpr std::size_t kPreparedMax = 2000;

// Type OIDs (pg_type.h is server-side; these values are fixed by PostgreSQL).
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700;

Error FromResult(const PGresult* res, PGconn* conn, std::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = std::string(what) + ": " + std::string(text::Trim(res ? PQresultErrorMessage(res) : PQerrorMessage(conn)));
  std::string_view code = state ? state : "";
  if (code.starts_with("23")) {  // integrity constraint violation
    Error e = Error::Make(ErrorKind::kConflict, "conflict", std::move(msg));
    if (const char* constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : nullptr) {
      e.fields.push_back({constraint, "conflict", "violates " + std::string(constraint)});
    }
    return e;
  }
  // serialization failure, deadlock, lock not available, too many connections, shutting down
  if (code == "40001" || code == "40P01" || code == "55P03" || code == "53300" || code.starts_with("57P") ||
      code.starts_with("08")) {
    return Error::Make(ErrorKind::kUnavailable, "store_busy", std::move(msg));
  }
  return Error::Make(ErrorKind::kInternal, "store_error", std::move(msg));
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// BYTEA as PostgreSQL answers it in the text format: a backslash, "x", two hex digits a byte.
std::string FromHex(std::string_view s) {
  std::string out;
  if (!s.starts_with("\\x")) return out;
  s.remove_prefix(2);
  out.reserve(s.size() / 2);
  auto digit = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < s.size(); i += 2) out.push_back(static_cast<char>(digit(s[i]) * 16 + digit(s[i + 1])));
  return out;
}

Value ToValue(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return Null{};
  const char* p = PQgetvalue(res, row, col);
  std::size_t n = static_cast<std::size_t>(PQgetlength(res, row, col));
  std::string_view s(p, n);
  switch (PQftype(res, col)) {
    case kInt8:
    case kInt4:
    case kInt2:
    case kOid: {
      std::int64_t v = 0;
      std::from_chars(s.data(), s.data() + s.size(), v);
      return v;
    }
    case kBool:
      return std::int64_t{s == "t" ? 1 : 0};
    case kBytea:
      return Blob{FromHex(s)};
    case kNumeric:
      if (s.find_first_of(".eE") == std::string_view::npos && s.size() < 19) {
        std::int64_t v = 0;
        std::from_chars(s.data(), s.data() + s.size(), v);
        return v;
      }
      [[fallthrough]];
    case kFloat4:
    case kFloat8:
      return std::strtod(std::string(s).c_str(), nullptr);
    default:
      return std::string(s);
  }
}

// The rows a command changed (0 for those that do not say).
std::int64_t RowsChanged(const PGresult* res) {
  const char* tuples = PQcmdTuples(const_cast<PGresult*>(res));
  return tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0;
}

// Statements sent per pipeline sync: results of a few hundred INSERTs are small enough that
// neither side's socket buffer fills while the other is still sending.
constexpr std::size_t kPipelineChunk = 500;

// A parameter in PostgreSQL's text format (`buf` holds it); nullptr for NULL. A Blob is
// sent in the binary format: its bytes as they are (see Formats).
const char* AsText(const Value& v, std::string& buf) {
  return std::visit(
      [&](const auto& x) -> const char* {
        using V = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<V, Null>) {
          return nullptr;
        } else if constexpr (std::is_same_v<V, std::int64_t>) {
          buf = std::to_string(x);
          return buf.c_str();
        } else if constexpr (std::is_same_v<V, double>) {
          char tmp[32];
          auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, x);
          SOLIDUM_ASSERT(ec == std::errc());
          buf.assign(tmp, end);
          return buf.c_str();
        } else if constexpr (std::is_same_v<V, Blob>) {
          return x.bytes.data();
        } else {
          return x.c_str();
        }
      },
      v);
}

// Each parameter's length and format (1: binary, for a Blob; 0: text), for PQexec*.
struct Formats {
  std::vector<int> lengths, formats;
  bool any = false;  // some parameter is binary
  explicit Formats(Params params) : lengths(params.size(), 0), formats(params.size(), 0) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (const auto* b = std::get_if<Blob>(&params[i])) {
        lengths[i] = static_cast<int>(b->bytes.size());
        formats[i] = 1;
        any = true;
      }
    }
  }
  const int* Lengths() const { return any ? lengths.data() : nullptr; }
  const int* Kinds() const { return any ? formats.data() : nullptr; }
};

class PgConn final : public Conn {
 public:
  explicit PgConn(PGconn* conn) : conn_(conn) {}
  ~PgConn() override { PQfinish(conn_); }
  Backend backend() const override { return Backend::kPostgres; }

  bool Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

  Result<Rows> Query(std::string_view sql, Params params) override {
    SOLIDUM_ASSIGN_OR_RETURN(auto res, Run(sql, params));
    Rows rows;
    int n = PQntuples(res.get()), cols = PQnfields(res.get());
    rows.reserve(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(cols));
      for (int c = 0; c < cols; ++c) values.push_back(ToValue(res.get(), r, c));
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  Result<std::int64_t> Exec(std::string_view sql, Params params) override {
    SOLIDUM_ASSIGN_OR_RETURN(auto res, Run(sql, params));
    return RowsChanged(res.get());
  }

  Result<std::vector<std::int64_t>> ExecEach(std::string_view sql, std::span<const std::vector<Value>> param_sets) override {
    std::vector<std::int64_t> each;
    if (param_sets.empty()) return each;
    each.reserve(param_sets.size());
    std::size_t n = param_sets.front().size();
    // Prepared once with every parameter's type left to the statement.
    std::vector<Oid> types(n, 0);
    SOLIDUM_ASSIGN_OR_RETURN(const std::string* statement, Prepare(sql, types));
    if (PQenterPipelineMode(conn_) != 1) return FromResult(nullptr, conn_, "pipeline");
    std::optional<Error> failed;
    std::vector<std::string> texts(n);
    std::vector<const char*> values(n);
    for (std::size_t start = 0; start < param_sets.size() && !failed; start += kPipelineChunk) {
      std::size_t end = std::min(param_sets.size(), start + kPipelineChunk);
      for (std::size_t s = start; s < end; ++s) {
        SOLIDUM_ASSERT(param_sets[s].size() == n);
        for (std::size_t i = 0; i < n; ++i) values[i] = AsText(param_sets[s][i], texts[i]);
        const Formats formats(param_sets[s]);
        if (PQsendQueryPrepared(conn_, statement->c_str(), static_cast<int>(n), values.data(), formats.Lengths(), formats.Kinds(), 0) != 1) {
          failed = FromResult(nullptr, conn_, "pipeline send");
          break;
        }
      }
      if (PQpipelineSync(conn_) != 1 && !failed) failed = FromResult(nullptr, conn_, "pipeline sync");
      // Each statement's result, then the sync's.
      for (;;) {
        ResultPtr res(PQgetResult(conn_));
        if (!res) {  // the end of one statement's results, or a broken connection
          if (PQstatus(conn_) != CONNECTION_OK) {
            if (!failed) failed = FromResult(nullptr, conn_, "pipeline");
            break;
          }
          continue;
        }
        auto status = PQresultStatus(res.get());
        if (status == PGRES_PIPELINE_SYNC) break;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
          each.push_back(RowsChanged(res.get()));
        } else if (status != PGRES_PIPELINE_ABORTED && !failed) {
          failed = FromResult(res.get(), conn_, "query");
        }
      }
    }
    PQexitPipelineMode(conn_);
    if (failed) return *failed;
    return each;
  }

  Result<void> ExecScript(std::string_view sql) override {
    ResultPtr res(PQexec(conn_, std::string(sql).c_str()));
    auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return FromResult(res.get(), conn_, "script");
    return Ok();
  }

  Result<void> Begin(TxKind kind) override {
    if (kind == TxKind::kRead) return ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ");
    SOLIDUM_TRY(ExecScript("BEGIN"));
    if (kind == TxKind::kAppend) return Ok();
    static const std::string kLock = "SELECT pg_advisory_xact_lock(" + std::to_string(kWriteLockKey) + ")";
    auto locked = ExecScript(kLock);
    if (!locked.ok()) (void)ExecScript("ROLLBACK");
    return locked;
  }
  Result<void> Commit() override { return ExecScript("COMMIT"); }
  Result<void> Rollback() override {
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return Ok();
    return ExecScript("ROLLBACK");
  }

 private:
  // The name of `sql` prepared with `types` (0: inferred) on this connection, preparing it
  // the first time.
  Result<const std::string*> Prepare(std::string_view sql, const std::vector<Oid>& types) {
    std::string key(sql);
    key += '\x1f';
    for (Oid t : types) key += t == kInt8 ? 'i' : t == kFloat8 ? 'd' : '0';
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      if (prepared_.size() >= kPreparedMax) {
        ResultPtr(PQexec(conn_, "DEALLOCATE ALL"));
        prepared_.clear();
      }
      std::string name = "s" + std::to_string(next_statement_++);
      ResultPtr prep(PQprepare(conn_, name.c_str(), NumberPlaceholders(sql).c_str(), static_cast<int>(types.size()),
                               types.data()));
      if (PQresultStatus(prep.get()) != PGRES_COMMAND_OK) return FromResult(prep.get(), conn_, "prepare");
      it = prepared_.emplace(std::move(key), std::move(name)).first;
    }
    return &it->second;
  }

  // Prepares (once per SQL and parameter types) and runs a statement.
  Result<ResultPtr> Run(std::string_view sql, Params params) {
    std::vector<Oid> types(params.size());
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      types[i] = std::holds_alternative<std::int64_t>(params[i]) ? kInt8
                 : std::holds_alternative<double>(params[i])     ? kFloat8
                 : std::holds_alternative<Blob>(params[i])       ? kBytea
                                                                 : 0;  // text or NULL: as the statement wants it
      values[i] = AsText(params[i], texts[i]);
    }
    SOLIDUM_ASSIGN_OR_RETURN(const std::string* statement, Prepare(sql, types));
    const Formats formats(params);
    ResultPtr res(PQexecPrepared(conn_, statement->c_str(), static_cast<int>(params.size()), values.data(), formats.Lengths(),
                                 formats.Kinds(), 0));
    auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return FromResult(res.get(), conn_, "query");
    return res;
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL + parameter types -> statement name
  std::uint64_t next_statement_ = 0;
};

std::vector<Migration> PostgresMigrations() {
  std::vector<Migration> out;
  for (const auto& f : solidum_postgres_migrations::kFiles) out.push_back(MakeMigration(f.name, f.content));
  return out;
}

class PgStore final : public Store {
 public:
  PgStore(std::string url, int pool_size) : url_(std::move(url)), pool_(pool_size, [this] { return Connect(); }) {}

  Result<void> Init() { return pool_.Init(); }

  Backend backend() const override { return Backend::kPostgres; }
  std::string describe() const override { return RedactPassword(url_); }
  ConnLease Acquire() override { return ConnLease(this, pool_.Take()); }

  Result<int> Migrate() override {
    auto migrations = PostgresMigrations();
    return ApplyMigrations(*this, migrations);
  }

  Result<void> RefreshStatistics() override {
    ConnLease conn = Acquire();
    return conn->ExecScript("ANALYZE");
  }

 protected:
  void Release(std::unique_ptr<Conn> conn) override {
    bool keep = static_cast<PgConn*>(conn.get())->Healthy();
    pool_.Give(std::move(conn), keep);
  }

 private:
  Result<std::unique_ptr<Conn>> Connect() {
    // Keywords beside the URL: a timeout, UTC with ISO dates whatever the server's defaults, and
    // no JIT (it costs tens of milliseconds to compile a plan for queries that take a few).
    const char* keys[] = {"dbname", "connect_timeout", "options", "application_name", nullptr};
    std::string timeout = std::to_string(kConnectTimeoutSeconds);
    const char* values[] = {url_.c_str(), timeout.c_str(), "-c TimeZone=UTC -c DateStyle=ISO -c jit=off", "solidum", nullptr};
    PGconn* c = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (PQstatus(c) != CONNECTION_OK) {
      std::string msg(text::Trim(PQerrorMessage(c)));
      PQfinish(c);
      return Error::Make(ErrorKind::kUnavailable, "store_unavailable", "cannot connect to " + describe() + ": " + msg);
    }
    auto conn = std::make_unique<PgConn>(c);
    // Notices (NOTICE: relation already exists, skipping) are for people at psql, not logs.
    PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
    return std::unique_ptr<Conn>(std::move(conn));
  }

  std::string url_;
  ConnPool pool_;
};

}  // namespace

std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      out += c;
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::string RedactPassword(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  auto start = scheme + 3;
  auto at = url.find('@', start);
  auto slash = url.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    // No user info; a password may still come as a query parameter.
    std::string out(url);
    auto p = out.find("password=");
    if (p != std::string::npos) {
      auto end = out.find('&', p);
      out.replace(p + 9, end == std::string::npos ? std::string::npos : end - p - 9, "***");
    }
    return out;
  }
  auto colon = url.find(':', start);
  std::string out(url);
  if (colon != std::string_view::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  auto p = out.find("password=");
  if (p != std::string::npos) {
    auto end = out.find('&', p);
    out.replace(p + 9, end == std::string::npos ? std::string::npos : end - p - 9, "***");
  }
  return out;
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, const StoreOptions& options) {
  auto store = std::make_unique<PgStore>(url, options.pool_size);
  SOLIDUM_TRY(store->Init());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace solidum::store::postgres
