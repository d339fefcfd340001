#include "store/store.h"

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
    return Error::Make(ErrorKind::kInvalidInput, "backend_unavailable",
                       "PostgreSQL support is not built yet (see issue 4)");
  }
  return Error::Make(ErrorKind::kInvalidInput, "bad_store_url",
                     "store URL must start with sqlite: or postgresql://");
}

}  // namespace solidum::store
