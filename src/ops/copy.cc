#include "ops/copy.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "registry/search_index.h"

namespace solidum::ops {

using store::Backend;
using store::Conn;
using store::Row;
using store::Rows;
using store::TxKind;
using store::Value;

namespace {

// Columns derived from others, rebuilt after a copy rather than copied.
const std::set<std::string>& DerivedColumns() {
  static const std::set<std::string> kDerived = {"organisations.search"};
  return kDerived;
}

struct Column {
  std::string name;
  int pk = 0;          // position in the primary key, 0 when not in it
  bool bytes = false;  // BLOB / BYTEA: an attachment's content, up to megabytes a row
};

struct Table {
  std::string name;
  std::vector<Column> columns;  // those both stores have, in the source's order
};

std::string Quote(const std::string& identifier) { return "\"" + identifier + "\""; }

Result<std::vector<std::string>> TableNames(Conn& conn) {
  std::vector<std::string> out;
  if (conn.backend() == Backend::kSqlite) {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_master "
                                                   "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                                                   {}));
    std::vector<std::string> virtuals;
    for (const auto& r : rows) {
      if (r.Int(1)) virtuals.push_back(r.Text(0));
    }
    for (const auto& r : rows) {
      const std::string& name = r.Text(0);
      bool derived = r.Int(1) != 0;  // FTS5 and its shadow tables
      for (const auto& v : virtuals) derived = derived || name.starts_with(v + "_");
      if (!derived) out.push_back(name);
    }
    return out;
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                                 "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
                                                 {}));
  for (const auto& r : rows) out.push_back(r.Text(0));
  return out;
}

Result<std::vector<Column>> ColumnsOf(Conn& conn, const std::string& table) {
  std::vector<Column> out;
  SOLIDUM_ASSIGN_OR_RETURN(
      auto rows,
      conn.backend() == Backend::kSqlite
          ? conn.Query("SELECT name, pk, upper(type) = 'BLOB' FROM pragma_table_info(?) ORDER BY cid", {table})
          : conn.Query("SELECT a.attname, COALESCE(array_position(CAST(i.indkey AS int2[]), a.attnum), 0), CAST(a.atttypid = 17 AS integer) "
                       "FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid "
                       "JOIN pg_namespace n ON n.oid = t.relnamespace "
                       "LEFT JOIN pg_index i ON i.indrelid = t.oid AND i.indisprimary "
                       "WHERE t.relname = ? AND n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped "
                       "ORDER BY a.attnum",
                       {table}));
  for (const auto& r : rows) out.push_back({r.Text(0), static_cast<int>(r.Int(1)), r.Int(2) != 0});
  return out;
}

// (table, table it references) for every foreign key.
Result<std::vector<std::pair<std::string, std::string>>> References(Conn& conn, const std::vector<std::string>& tables) {
  std::vector<std::pair<std::string, std::string>> out;
  if (conn.backend() == Backend::kSqlite) {
    for (const auto& t : tables) {
      SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", {t}));
      for (const auto& r : rows) out.emplace_back(t, r.Text(0));
    }
    return out;
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT c.relname, r.relname FROM pg_constraint k "
                                                 "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid "
                                                 "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                                 "WHERE k.contype = 'f' AND n.nspname = current_schema()",
                                                 {}));
  for (const auto& r : rows) out.emplace_back(r.Text(0), r.Text(1));
  return out;
}

// The tables both stores have, referenced ones first, with the columns both have.
Result<std::vector<Table>> Plan(Conn& from, Conn& to) {
  SOLIDUM_ASSIGN_OR_RETURN(auto source, TableNames(from));
  SOLIDUM_ASSIGN_OR_RETURN(auto dest, TableNames(to));
  std::vector<std::string> names;
  std::set_intersection(source.begin(), source.end(), dest.begin(), dest.end(), std::back_inserter(names));
  SOLIDUM_ASSIGN_OR_RETURN(auto refs, References(to, names));
  std::map<std::string, std::set<std::string>> needs;
  for (const auto& n : names) needs[n];
  for (const auto& [t, r] : refs) {
    if (t != r && needs.contains(t) && needs.contains(r)) needs[t].insert(r);
  }
  std::vector<std::string> order;
  std::set<std::string> done;
  while (order.size() < names.size()) {
    bool progressed = false;
    for (const auto& n : names) {
      if (done.contains(n)) continue;
      if (std::all_of(needs[n].begin(), needs[n].end(), [&](const auto& r) { return done.contains(r); })) {
        order.push_back(n);
        done.insert(n);
        progressed = true;
      }
    }
    if (!progressed) return Error::Internal("the tables' foreign keys form a cycle");
  }
  std::vector<Table> out;
  for (const auto& n : order) {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, ColumnsOf(from, n));
    SOLIDUM_ASSIGN_OR_RETURN(auto b, ColumnsOf(to, n));
    Table t{n, {}};
    for (const auto& c : a) {
      if (DerivedColumns().contains(n + "." + c.name)) continue;
      if (std::any_of(b.begin(), b.end(), [&](const Column& d) { return d.name == c.name; })) t.columns.push_back(c);
    }
    if (!t.columns.empty()) out.push_back(std::move(t));
  }
  return out;
}

std::string SelectList(const Table& t) {
  std::string cols;
  for (const auto& c : t.columns) cols += (cols.empty() ? "" : ", ") + Quote(c.name);
  return cols;
}

// ORDER BY the primary key (all columns when there is none): a total order for paging.
std::string OrderBy(const Table& t) {
  std::vector<Column> key;
  for (const auto& c : t.columns) {
    if (c.pk > 0) key.push_back(c);
  }
  std::sort(key.begin(), key.end(), [](const Column& a, const Column& b) { return a.pk < b.pk; });
  if (key.empty()) key = t.columns;
  std::string out;
  for (const auto& c : key) out += (out.empty() ? "" : ", ") + Quote(c.name);
  return out;
}

// Calls `page` with the table's rows, kCopyPageRows at a time.
Result<void> ForEachPage(Conn& conn, const Table& t, const std::function<Result<void>(const Rows&)>& page) {
  std::string sql = "SELECT " + SelectList(t) + " FROM " + Quote(t.name) + " ORDER BY " + OrderBy(t) + " LIMIT ? OFFSET ?";
  // Rows of files are megabytes each: a few a page keep the memory bounded.
  const bool files = std::any_of(t.columns.begin(), t.columns.end(), [](const Column& c) { return c.bytes; });
  const std::size_t size = files ? kCopyFilePageRows : kCopyPageRows;
  for (std::int64_t offset = 0;; offset += static_cast<std::int64_t>(size)) {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(sql, {static_cast<std::int64_t>(size), offset}));
    if (!rows.empty()) SOLIDUM_TRY(page(rows));
    if (rows.size() < size) return Ok();
  }
}

void AppendValue(std::string& out, const Value& v) {
  std::visit(
      [&](const auto& x) {
        using V = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<V, store::Null>) {
          out += 'N';
        } else if constexpr (std::is_same_v<V, std::int64_t>) {
          out += 'i' + std::to_string(x);
        } else if constexpr (std::is_same_v<V, double>) {
          char buf[32];
          auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
          out += 'd';
          out.append(buf, end);
        } else if constexpr (std::is_same_v<V, store::Blob>) {
          out += 'b' + std::to_string(x.bytes.size()) + ':' + x.bytes;
        } else {
          out += 't' + std::to_string(x.size()) + ':' + x;
        }
      },
      v);
  out += '\x1f';
}

constexpr std::size_t kDigestBytes = 16;

Result<TableSum> Checksum(Conn& conn, const Table& t) {
  TableSum sum{t.name, 0, ""};
  std::vector<std::array<unsigned char, kDigestBytes>> digests;
  std::string row_text;
  SOLIDUM_TRY(ForEachPage(conn, t, [&](const Rows& rows) -> Result<void> {
    for (const auto& r : rows) {
      row_text.clear();
      for (std::size_t i = 0; i < r.size(); ++i) AppendValue(row_text, r.At(i));
      auto& d = digests.emplace_back();
      crypto_generichash(d.data(), d.size(), reinterpret_cast<const unsigned char*>(row_text.data()), row_text.size(),
                         nullptr, 0);
    }
    return Ok();
  }));
  // Sorted, so that the order each store returns rows in (its collation) does not matter.
  std::sort(digests.begin(), digests.end());
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kDigestBytes);
  for (const auto& d : digests) crypto_generichash_update(&state, d.data(), d.size());
  std::array<unsigned char, kDigestBytes> total{};
  crypto_generichash_final(&state, total.data(), total.size());
  static const char* kHex = "0123456789abcdef";
  for (unsigned char c : total) {
    sum.checksum += kHex[c >> 4];
    sum.checksum += kHex[c & 15];
  }
  sum.rows = static_cast<std::int64_t>(digests.size());
  return sum;
}

Result<void> InsertRows(Conn& to, const Table& t, const Rows& rows) {
  std::size_t per = std::max<std::size_t>(1, kCopyParamsPerStatement / t.columns.size());
  std::string marks = "(";
  for (std::size_t i = 0; i < t.columns.size(); ++i) marks += i ? ", ?" : "?";
  marks += ')';
  std::string head = "INSERT INTO " + Quote(t.name) + " (" + SelectList(t) + ") VALUES ";
  for (std::size_t start = 0; start < rows.size(); start += per) {
    std::size_t n = std::min(per, rows.size() - start);
    std::string sql = head;
    std::vector<Value> values;
    values.reserve(n * t.columns.size());
    for (std::size_t r = 0; r < n; ++r) {
      sql += r ? ", " + marks : marks;
      for (std::size_t c = 0; c < t.columns.size(); ++c) values.push_back(rows[start + r].At(c));
    }
    SOLIDUM_TRY(to.Exec(sql, values));
  }
  return Ok();
}

// PostgreSQL's identity columns continue after the ids copied in.
Result<void> MoveSequencesPastIds(Conn& to) {
  if (to.backend() != Backend::kPostgres) return Ok();  // SQLite's AUTOINCREMENT follows inserted ids
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, to.Query("SELECT table_name, column_name FROM information_schema.columns WHERE "
                                               "table_schema = current_schema() AND is_identity = 'YES'",
                                               {}));
  for (const auto& r : rows) {
    std::string table = r.Text(0), column = r.Text(1);
    SOLIDUM_TRY(to.Query("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(" + Quote(column) + ") FROM " +
                             Quote(table) + "), 0) + 1, false)",
                         {table, column}));
  }
  return Ok();
}

// Rebuilds the full-text index of every organisation (the destination's own kind).
Result<void> Reindex(Conn& to) {
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, to.Query("SELECT id FROM organisations WHERE deleted_at IS NULL ORDER BY id", {}));
  std::vector<std::int64_t> ids;
  for (const auto& r : rows) {
    ids.push_back(r.Int(0));
    if (ids.size() == 1000) {
      SOLIDUM_TRY(registry::search_store::IndexMany(to, ids));
      ids.clear();
    }
  }
  return registry::search_store::IndexMany(to, ids);
}

}  // namespace

Result<std::vector<TableSum>> CopyStore(store::Store& from, store::Store& to, const CopyProgress& progress) {
  SOLIDUM_ASSIGN_OR_RETURN(int from_version, from.SchemaVersion());
  SOLIDUM_ASSIGN_OR_RETURN(int to_version, to.SchemaVersion());
  if (from_version != to_version) {
    return Error::Make(ErrorKind::kConflict, "schema_differs",
                       "The stores are at schema versions " + std::to_string(from_version) + " and " +
                           std::to_string(to_version) + ": migrate both with this version of solidum first.");
  }
  auto source = from.Acquire();
  SOLIDUM_TRY(source->Begin(TxKind::kRead));
  auto r = store::InTransaction<std::vector<TableSum>>(
      to, TxKind::kWrite, [&](Conn& dest) -> Result<std::vector<TableSum>> {
        SOLIDUM_ASSIGN_OR_RETURN(auto used, dest.QueryOne("SELECT (SELECT COUNT(*) FROM organisations) + "
                                                          "(SELECT COUNT(*) FROM users)",
                                                          {}));
        if (used->Int(0) != 0) {
          return Error::Make(ErrorKind::kConflict, "not_empty",
                             "The destination already has organisations or users: copy into a new, empty database.");
        }
        SOLIDUM_ASSIGN_OR_RETURN(auto plan, Plan(*source, dest));
        // What the migrations seeded (vocabularies, the migration history) is replaced too.
        for (auto t = plan.rbegin(); t != plan.rend(); ++t) SOLIDUM_TRY(dest.Exec("DELETE FROM " + Quote(t->name), {}));
        std::vector<TableSum> sums;
        for (const auto& t : plan) {
          SOLIDUM_ASSIGN_OR_RETURN(auto count, source->QueryOne("SELECT COUNT(*) FROM " + Quote(t.name), {}));
          std::int64_t total = count->Int(0), done = 0;
          SOLIDUM_TRY(ForEachPage(*source, t, [&](const Rows& rows) -> Result<void> {
            SOLIDUM_TRY(InsertRows(dest, t, rows));
            done += static_cast<std::int64_t>(rows.size());
            if (progress) progress(t.name, done, total);
            return Ok();
          }));
          if (progress && total == 0) progress(t.name, 0, 0);
        }
        SOLIDUM_TRY(MoveSequencesPastIds(dest));
        SOLIDUM_TRY(Reindex(dest));
        // Verified before the destination commits: counts and checksums, table by table.
        for (const auto& t : plan) {
          SOLIDUM_ASSIGN_OR_RETURN(auto a, Checksum(*source, t));
          SOLIDUM_ASSIGN_OR_RETURN(auto b, Checksum(dest, t));
          if (a.rows != b.rows || a.checksum != b.checksum) {
            return Error::Make(ErrorKind::kInternal, "checksum_mismatch",
                               "Table " + t.name + " differs after the copy (" + std::to_string(a.rows) + " rows, " +
                                   a.checksum + " in the source; " + std::to_string(b.rows) + " rows, " + b.checksum +
                                   " in the destination); nothing was written.");
          }
          sums.push_back(std::move(a));
        }
        return sums;
      });
  (void)source->Rollback();
  if (r.ok()) SOLIDUM_TRY(to.RefreshStatistics());
  return r;
}

Result<std::vector<TableSum>> Checksums(store::Store& s) {
  auto conn = s.Acquire();
  SOLIDUM_TRY(conn->Begin(TxKind::kRead));
  auto r = [&]() -> Result<std::vector<TableSum>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto plan, Plan(*conn, *conn));
    std::vector<TableSum> out;
    for (const auto& t : plan) {
      SOLIDUM_ASSIGN_OR_RETURN(auto sum, Checksum(*conn, t));
      out.push_back(std::move(sum));
    }
    return out;
  }();
  (void)conn->Rollback();
  return r;
}

}  // namespace solidum::ops
