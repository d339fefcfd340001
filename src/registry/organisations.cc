#include "registry/organisations.h"

#include <boost/json.hpp>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "common/text.h"

#include "common/json_write.h"
#include "registry/networks.h"
#include "registry/search_index.h"
#include "registry/terms.h"

namespace solidum::registry {

using store::Conn;
using store::Null;
using store::TxKind;
using store::Opt;
using store::Value;

namespace {

// JSON text columns: lists and maps of the record.
std::string Encode(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return json_write::Serialize(a);
}
std::string Encode(const std::vector<std::int64_t>& v) {
  boost::json::array a;
  for (auto n : v) a.emplace_back(n);
  return json_write::Serialize(a);
}
std::string Encode(const std::map<std::string, int>& m) {
  boost::json::object o;
  for (const auto& [k, n] : m) o[k] = n;
  return json_write::Serialize(o);
}
std::string Encode(const std::map<std::string, Translation>& m) {
  boost::json::object o;
  for (const auto& [k, t] : m) o[k] = {{"description", t.description}, {"mission", t.mission}};
  return json_write::Serialize(o);
}

// The store wrote these columns itself; anything unreadable is a bug, not input.
boost::json::value ParseStored(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  SOLIDUM_ASSERT(!ec);
  return v;
}
void Decode(const std::string& text, std::vector<std::string>& out) {
  out.clear();
  if (text == "[]") return;
  auto v = ParseStored(text);
  for (const auto& e : v.as_array()) out.emplace_back(e.as_string());
}
void Decode(const std::string& text, std::vector<std::int64_t>& out) {
  out.clear();
  if (text == "[]") return;
  auto v = ParseStored(text);
  for (const auto& e : v.as_array()) out.push_back(e.as_int64());
}
void Decode(const std::string& text, std::map<std::string, int>& out) {
  out.clear();
  if (text == "{}") return;
  auto v = ParseStored(text);
  for (const auto& kv : v.as_object()) out[std::string(kv.key())] = static_cast<int>(kv.value().as_int64());
}
void Decode(const std::string& text, std::map<std::string, Translation>& out) {
  out.clear();
  if (text == "{}") return;
  auto v = ParseStored(text);
  for (const auto& kv : v.as_object()) {
    const auto& t = kv.value().as_object();
    out[std::string(kv.key())] =
        Translation{std::string(t.at("description").as_string()), std::string(t.at("mission").as_string())};
  }
}

// The record's columns, in one table: SELECT, INSERT and UPDATE are made from it, so a new
// field is one line here (and one migration).
struct Column {
  const char* name;
  Value (*get)(const Organisation&);
  void (*set)(Organisation&, const store::Row&, std::size_t);
};

#define SOLIDUM_TEXT(f) \
  {#f, [](const Organisation& o) -> Value { return o.f; }, [](Organisation& o, const store::Row& r, std::size_t i) { o.f = r.Text(i); }}
#define SOLIDUM_OPT_TEXT(f) \
  {#f, [](const Organisation& o) -> Value { return Opt(o.f); }, [](Organisation& o, const store::Row& r, std::size_t i) { o.f = r.OptText(i); }}
#define SOLIDUM_OPT_INT(f) \
  {#f, [](const Organisation& o) -> Value { return Opt(o.f); }, [](Organisation& o, const store::Row& r, std::size_t i) { o.f = r.OptInt(i); }}
#define SOLIDUM_OPT_REAL(f) \
  {#f, [](const Organisation& o) -> Value { return Opt(o.f); }, [](Organisation& o, const store::Row& r, std::size_t i) { o.f = r.OptReal(i); }}
#define SOLIDUM_JSON(f) \
  {#f, [](const Organisation& o) -> Value { return Encode(o.f); }, [](Organisation& o, const store::Row& r, std::size_t i) { Decode(r.Text(i), o.f); }}

const Column kColumns[] = {
    SOLIDUM_TEXT(name),           SOLIDUM_JSON(other_names),     SOLIDUM_TEXT(description),
    SOLIDUM_TEXT(mission),        SOLIDUM_OPT_TEXT(language),    SOLIDUM_JSON(translations),
    SOLIDUM_OPT_TEXT(legal_form), SOLIDUM_OPT_TEXT(primary_activity), SOLIDUM_JSON(activities),
    SOLIDUM_OPT_TEXT(membership_type), SOLIDUM_OPT_TEXT(street), SOLIDUM_OPT_TEXT(locality),
    SOLIDUM_OPT_TEXT(region),     SOLIDUM_OPT_TEXT(postcode),    SOLIDUM_OPT_TEXT(country),
    SOLIDUM_OPT_REAL(latitude),   SOLIDUM_OPT_REAL(longitude),   SOLIDUM_OPT_TEXT(website),
    SOLIDUM_JSON(urls),           SOLIDUM_OPT_TEXT(email),       SOLIDUM_OPT_TEXT(phone),
    SOLIDUM_JSON(languages),      SOLIDUM_OPT_INT(founded_year), SOLIDUM_TEXT(status),
    SOLIDUM_OPT_INT(members),     SOLIDUM_OPT_INT(workers),      SOLIDUM_OPT_INT(volunteers),
    SOLIDUM_OPT_INT(counts_year), SOLIDUM_JSON(sdgs),            SOLIDUM_JSON(principles),
    SOLIDUM_OPT_TEXT(source),     SOLIDUM_OPT_TEXT(source_id),   SOLIDUM_OPT_TEXT(network_scope),
};
#undef SOLIDUM_TEXT
#undef SOLIDUM_OPT_TEXT
#undef SOLIDUM_OPT_INT
#undef SOLIDUM_OPT_REAL
#undef SOLIDUM_JSON

// The first columns of every SELECT, before kColumns.
constexpr std::size_t kFixedColumns = 4;  // id, version, created_at, updated_at

const std::string& SelectColumns() {
  static const std::string cols = [] {
    std::string c = "id, version, created_at, updated_at";
    for (const auto& col : kColumns) c += std::string(", ") + col.name;
    return c;
  }();
  return cols;
}

Organisation FromRow(const store::Row& r) {
  Organisation o;
  o.id = r.Int(0);
  o.version = r.Int(1);
  o.created_at = r.Text(2);
  o.updated_at = r.Text(3);
  std::size_t i = kFixedColumns;
  for (const auto& col : kColumns) col.set(o, r, i++);
  return o;
}

std::string Render(const Organisation& o) {
  std::string json;
  json.reserve(1024);
  json_write::Writer w(json);
  WriteJson(w, o);
  return json;
}

// A document from (id, version, doc, <all columns>): the stored JSON, or one rendered from
// the columns for rows that predate stored documents.
constexpr std::string_view kDocumentColumns = "id, version, doc";

std::vector<Value> Values(const Organisation& o) {
  std::vector<Value> v;
  v.reserve(std::size(kColumns) + 6);
  for (const auto& col : kColumns) v.push_back(col.get(o));
  return v;
}


Result<std::optional<Organisation>> Load(Conn& conn, std::int64_t id) {
  static const std::string kSql =
      "SELECT " + SelectColumns() + " FROM organisations WHERE id = ? AND deleted_at IS NULL";
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(kSql, {id}));
  if (!row) return std::optional<Organisation>();
  return std::optional<Organisation>(FromRow(*row));
}

// Removes from `record` the values that `e` found wrong, when none of them is one a row
// cannot do without (name, place, identity). Answers whether it removed anything.
bool LeaveOut(boost::json::value& record, const Error& e) {
  if (e.kind != ErrorKind::kInvalidInput || e.fields.empty() || !record.is_object()) return false;
  auto& o = record.get_object();
  std::map<std::string, std::vector<std::size_t>> items;  // list field -> bad indexes
  std::set<std::string> whole;
  for (const auto& f : e.fields) {
    std::string_view p = f.field;
    if (!p.starts_with('/')) return false;
    p.remove_prefix(1);
    auto slash = p.find('/');
    std::string top(p.substr(0, slash));
    if (top == "name" || top == "source" || top == "source_id" || top == "latitude" || top == "longitude" ||
        !o.contains(top)) {
      return false;
    }
    auto index = slash == std::string_view::npos ? std::nullopt : text::ParseInt64(p.substr(slash + 1));
    if (index && o[top].is_array() && static_cast<std::size_t>(*index) < o[top].get_array().size()) {
      items[top].push_back(static_cast<std::size_t>(*index));
    } else {
      whole.insert(top);
    }
  }
  for (auto& [top, indexes] : items) {
    if (whole.contains(top)) continue;
    std::sort(indexes.rbegin(), indexes.rend());
    auto& a = o[top].get_array();
    for (auto i : indexes) a.erase(a.begin() + static_cast<std::ptrdiff_t>(i));
  }
  for (const auto& top : whole) o.erase(top);
  return true;
}

Error NotFound(std::int64_t id) { return Error::NotFound("No organisation " + std::to_string(id) + "."); }

Error VersionMismatch(std::int64_t current) {
  return Error::Make(ErrorKind::kPreconditionFailed, "version_mismatch",
                     "The organisation was changed by someone else (now at version " + std::to_string(current) +
                         "). Reload it and apply your change again.");
}

}  // namespace

Organisations::Organisations(store::Store& store, identity::Identity& identity, const Clock& clock)
    : store_(store), identity_(identity), clock_(clock), search_(std::make_unique<SearchIndex>(clock)) {}

Organisations::~Organisations() = default;

Result<void> Organisations::LoadVocabularies(Conn& conn) {
  std::lock_guard lock(vocabulary_mu_);
  if (vocabularies_loaded_) return Ok();
  for (const char* table : {"legal_forms", "countries", "membership_types", "activities", "network_scopes"}) {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(std::string("SELECT code FROM ") + table, {}));
    auto& terms = vocabularies_[table];
    for (const auto& r : rows) terms.insert(r.Text(0));
  }
  vocabularies_loaded_ = true;
  return Ok();
}

Result<void> Organisations::CheckVocabulary(Conn& conn, const Organisation& org) {
  SOLIDUM_TRY(LoadVocabularies(conn));
  std::vector<FieldError> errors;
  auto check = [&](const char* table, const std::string& code, std::string field, const char* what) {
    if (!vocabularies_.at(table).contains(code)) {
      errors.push_back({std::move(field), "unknown_term",
                        std::string("Not a known ") + what + " (see GET /api/v1/vocabularies/" + table + ")."});
    }
  };
  if (org.legal_form) check("legal_forms", *org.legal_form, "/legal_form", "legal form code");
  if (org.country) check("countries", *org.country, "/country", "ISO 3166-1 alpha-2 country code");
  if (org.membership_type) check("membership_types", *org.membership_type, "/membership_type", "membership type code");
  if (org.network_scope) check("network_scopes", *org.network_scope, "/network_scope", "network scope");
  if (org.primary_activity) check("activities", *org.primary_activity, "/primary_activity", "ICA activity code");
  for (std::size_t i = 0; i < org.activities.size(); ++i) {
    if (org.primary_activity && org.activities[i] == *org.primary_activity) continue;
    check("activities", org.activities[i], "/activities/" + std::to_string(i), "ICA activity code");
  }
  if (errors.empty()) return Ok();
  return Error{ErrorKind::kInvalidInput, "validation_failed", "The request has invalid fields.", std::move(errors)};
}

namespace {

// The INSERT of a whole organisation row, with its id, document and change number.
const std::string& InsertSql() {
  static const std::string kSql = [] {
    std::string cols, marks;
    for (const auto& col : kColumns) {
      cols += std::string(col.name) + ", ";
      marks += "?, ";
    }
    return "INSERT INTO organisations (id, " + cols +
           "version, created_at, updated_at, created_by, doc, change_seq) VALUES (?, " + marks + "1, ?, ?, ?, ?, ?)";
  }();
  return kSql;
}

}  // namespace

Result<void> Organisations::ReserveIds(Conn& conn, std::size_t n, PendingInserts& pending) {
  if (n == 0) return Ok();
  if (conn.backend() == store::Backend::kPostgres) {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT nextval(pg_get_serial_sequence('organisations', 'id')) "
                                                   "FROM generate_series(1, ?)",
                                                   {static_cast<std::int64_t>(n)}));
    for (const auto& r : rows) pending.free_ids.push_back(r.Int(0));
  } else {
    // Inside the write transaction no one else takes ids: the AUTOINCREMENT rule (above
    // every id ever used), then on from there.
    if (pending.sqlite_next == 0) {
      SOLIDUM_ASSIGN_OR_RETURN(
          auto next, conn.QueryOne("SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'organisations'), 0), "
                                   "COALESCE((SELECT MAX(id) FROM organisations), 0)) + 1",
                                   {}));
      pending.sqlite_next = next->Int(0);
    }
    for (std::size_t i = 0; i < n; ++i) pending.free_ids.push_back(pending.sqlite_next++);
  }
  std::reverse(pending.free_ids.begin(), pending.free_ids.end());  // taken from the back, in order
  return Ok();
}

Result<void> Organisations::Flush(Conn& conn, PendingInserts& pending) {
  SOLIDUM_TRY(conn.ExecMany(InsertSql(), pending.rows));
  pending.rows.clear();
  SOLIDUM_TRY(search_store::IndexMany(conn, pending.index_later));
  pending.index_later.clear();
  return Ok();
}

Result<std::int64_t> Organisations::Insert(Conn& conn, const Organisation& org, std::optional<std::int64_t> creator,
                                           std::int64_t change_seq, PendingInserts* pending) {
  SOLIDUM_ASSERT(!(pending && creator));
  SOLIDUM_TRY(CheckVocabulary(conn, org));
  // The id is taken first so that the row goes in whole, its rendered document included
  // (an INSERT then an UPDATE cost a fifth of an import).
  PendingInserts one;
  PendingInserts& ids = pending ? *pending : one;
  if (ids.free_ids.empty()) SOLIDUM_TRY(ReserveIds(conn, 1, ids));
  Organisation stored = org;
  stored.id = ids.free_ids.back();
  ids.free_ids.pop_back();
  stored.version = 1;
  std::vector<Value> values;
  values.reserve(std::size(kColumns) + 6);
  values.emplace_back(stored.id);
  for (auto& v : Values(stored)) values.push_back(std::move(v));
  values.push_back(stored.created_at);
  values.push_back(stored.updated_at);
  values.push_back(Opt(creator));
  values.push_back(Render(stored));
  values.push_back(change_seq);
  if (pending) {
    pending->rows.push_back(std::move(values));
    pending->index_later.push_back(stored.id);
    return stored.id;
  }
  auto inserted = conn.Exec(InsertSql(), values);
  if (!inserted.ok()) {
    if (inserted.error().kind == ErrorKind::kConflict && org.source) {
      Error e = Error::Make(ErrorKind::kConflict, "source_taken", "An organisation already has this source and source_id.");
      e.fields.push_back({"/source_id", "taken", "An organisation already has this source and source_id."});
      return e;
    }
    return std::move(inserted).error();
  }
  SOLIDUM_TRY(search_store::Reindex(conn, stored.id, /*fresh=*/true));
  if (creator) SOLIDUM_TRY(identity_.Grant(conn, *creator, stored.id, identity::Role::kAdmin));
  return stored.id;
}

Result<Organisation> Organisations::Create(const OrganisationChanges& input, std::optional<std::int64_t> creator) {
  Organisation org;
  SOLIDUM_TRY(Apply(input, org));
  org.created_at = org.updated_at = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Organisation>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Organisation> {
    SOLIDUM_ASSIGN_OR_RETURN(auto change, search_store::NextChange(conn));
    SOLIDUM_ASSIGN_OR_RETURN(org.id, Insert(conn, org, creator, change));
    return org;
  });
}

Result<std::vector<std::int64_t>> Organisations::CreateMany(const std::vector<Organisation>& orgs) {
  std::string now = FormatTimestamp(clock_.NowMicros());
  using Ids = std::vector<std::int64_t>;
  auto ids = store::InTransaction<Ids>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Ids> {
    Ids ids;
    ids.reserve(orgs.size());
    SOLIDUM_ASSIGN_OR_RETURN(auto change, search_store::NextChange(conn));
    PendingInserts pending;
    SOLIDUM_TRY(ReserveIds(conn, orgs.size(), pending));
    for (Organisation org : orgs) {
      org.created_at = org.updated_at = now;
      SOLIDUM_ASSIGN_OR_RETURN(auto id, Insert(conn, org, std::nullopt, change, &pending));
      ids.push_back(id);
    }
    SOLIDUM_TRY(Flush(conn, pending));
    return ids;
  });
  if (ids.ok() && orgs.size() >= kBulkWriteRows) SOLIDUM_TRY(store_.RefreshStatistics());
  return ids;
}

Result<std::int64_t> Organisations::Count() {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT COUNT(*) FROM organisations WHERE deleted_at IS NULL", {}));
  return row->Int(0);
}

Result<Organisation> Organisations::Get(std::int64_t id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto org, Load(*conn, id));
  if (!org) return NotFound(id);
  return std::move(*org);
}

Result<SearchResult> Organisations::Search(const SearchQuery& query) {
  // No transaction: each statement reads the register as committed when it runs. A document
  // newer than the catalogue that chose it is the newer one; one deleted since is left out.
  auto lease = store_.Acquire();
  Conn& conn = *lease;
  // The documents of a page, and the register's change number read in the same statement.
  auto documents = [&](const std::vector<std::int64_t>& page_ids,
                       std::vector<Document>& out) -> Result<std::optional<std::int64_t>> {
    if (page_ids.empty()) {
      SOLIDUM_ASSIGN_OR_RETURN(auto seq, search_store::CurrentChange(conn));
      return std::optional<std::int64_t>(seq);
    }
    std::string sql = "SELECT id, version, doc, (SELECT change_seq FROM register_state WHERE id = 1) FROM organisations "
                      "WHERE deleted_at IS NULL AND id IN (";
    std::vector<Value> ids;
    for (std::size_t i = 0; i < page_ids.size(); ++i) {
      sql += i ? ", ?" : "?";
      ids.emplace_back(page_ids[i]);
    }
    sql += ')';
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(sql, ids));
    std::unordered_map<std::int64_t, const store::Row*> by_id;
    for (const auto& r : rows) by_id[r.Int(0)] = &r;
    for (auto id : page_ids) {
      auto it = by_id.find(id);
      if (it == by_id.end()) continue;  // deleted since the catalogue answered
      const store::Row& r = *it->second;
      Document doc{id, r.Int(1), r.OptText(2).value_or("")};
      if (doc.json.empty()) {  // a row that predates stored documents
        SOLIDUM_ASSIGN_OR_RETURN(auto org, Load(conn, id));
        if (org) doc.json = Render(*org);
      }
      out.push_back(std::move(doc));
    }
    if (rows.empty()) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(rows.front().Int(3));
  };
  auto result_of = [](CataloguePage& page, std::vector<Document> items) {
    SearchResult result;
    result.total = page.total;
    result.next_cursor = std::move(page.next_cursor);
    result.facets = std::move(page.facets);
    result.items = std::move(items);
    return result;
  };
  // The common case in one round trip: answer from the catalogue as it is, and check with
  // the documents that the register has not moved since.
  if (auto fast = search_->SearchIfCurrent(query)) {
    auto& [page, at] = *fast;
    std::vector<Document> items;
    bool cached = true;
    {
      std::lock_guard lock(doc_cache_mu_);
      if (doc_cache_seq_ != at) cached = false;
      for (std::size_t i = 0; cached && i < page.ids.size(); ++i) {
        auto it = doc_cache_.find(page.ids[i]);
        if (it == doc_cache_.end()) cached = false;
        else items.push_back(it->second);
      }
    }
    if (cached) {  // then only the change number: has the register moved?
      SOLIDUM_ASSIGN_OR_RETURN(auto now, search_store::CurrentChange(conn));
      if (now == at) return result_of(page, std::move(items));
    } else {
      items.clear();
      SOLIDUM_ASSIGN_OR_RETURN(auto seq, documents(page.ids, items));
      if (seq && *seq == at) {
        std::lock_guard lock(doc_cache_mu_);
        if (doc_cache_seq_ != at) {
          doc_cache_.clear();
          doc_cache_bytes_ = 0;
          doc_cache_seq_ = at;
        }
        for (const auto& d : items) {
          if (doc_cache_bytes_ + d.json.size() > kDocCacheBytesMax) break;
          if (doc_cache_.emplace(d.id, d).second) doc_cache_bytes_ += d.json.size();
        }
        return result_of(page, std::move(items));
      }
    }
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto page, search_->Search(conn, query));
  std::vector<Document> items;
  SOLIDUM_TRY(documents(page.ids, items));
  return result_of(page, std::move(items));
}

Result<MapPoints> Organisations::Map(const SearchQuery& query) {
  auto conn = store_.Acquire();
  return search_->Map(*conn, query);
}

Result<std::vector<PortraitRow>> Organisations::Portrait(const SearchQuery& query, PortraitGroup group) {
  auto conn = store_.Acquire();
  return search_->Portrait(*conn, query, group);
}

Result<void> Organisations::ForEach(const std::function<Result<void>(const std::vector<Organisation>&)>& each) {
  auto r = store::InTransaction<bool>(store_, TxKind::kRead, [&](Conn& conn) -> Result<bool> {
    static const std::string kSql = "SELECT " + SelectColumns() +
                                    " FROM organisations WHERE id > ? AND deleted_at IS NULL ORDER BY id LIMIT 1000";
    std::int64_t after = 0;
    for (;;) {
      SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(kSql, {after}));
      if (rows.empty()) return true;
      std::vector<Organisation> page;
      page.reserve(rows.size());
      for (const auto& r : rows) page.push_back(FromRow(r));
      after = page.back().id;
      SOLIDUM_TRY(each(page));
    }
  });
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

Result<TermResolver> Organisations::Terms() {
  auto conn = store_.Acquire();
  return LoadTerms(*conn);
}

Result<void> Organisations::WarmUp() {
  auto r = store::InTransaction<bool>(store_, TxKind::kRead, [&](Conn& conn) -> Result<bool> {
    SOLIDUM_TRY(search_->CatchUp(conn));
    return true;
  });
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

Result<Document> Organisations::GetDocument(std::int64_t id) {
  auto conn = store_.Acquire();
  static const std::string kSql =
      std::string("SELECT ") + std::string(kDocumentColumns) + " FROM organisations WHERE id = ? AND deleted_at IS NULL";
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne(kSql, {id}));
  if (!row) return NotFound(id);
  if (!row->IsNull(2)) return Document{id, row->Int(1), row->Text(2)};
  SOLIDUM_ASSIGN_OR_RETURN(auto org, Load(*conn, id));
  if (!org) return NotFound(id);
  return Document{id, org->version, Render(*org)};
}

Result<Organisation> Organisations::Rewrite(Conn& conn, const Organisation& current, const OrganisationChanges& changes,
                                            std::int64_t change_seq) {
  Organisation org = current;
  SOLIDUM_TRY(Apply(changes, org));
  SOLIDUM_TRY(CheckVocabulary(conn, org));
  org.version = current.version + 1;
  org.updated_at = FormatTimestamp(clock_.NowMicros());
  // The version check in WHERE makes this a compare-and-set even across servers
  // sharing one database.
  static const std::string kSql = [] {
    std::string sets;
    for (const auto& col : kColumns) sets += std::string(col.name) + " = ?, ";
    return "UPDATE organisations SET " + sets +
           "version = ?, updated_at = ?, doc = ?, change_seq = ? WHERE id = ? AND version = ? AND deleted_at IS NULL";
  }();
  std::vector<Value> values = Values(org);
  values.push_back(org.version);
  values.push_back(org.updated_at);
  values.push_back(Render(org));
  values.push_back(change_seq);
  values.push_back(org.id);
  values.push_back(current.version);
  auto changed = conn.Exec(kSql, values);
  if (!changed.ok()) {
    if (changed.error().kind == ErrorKind::kConflict && org.source) {
      return Error::Invalid("/source_id", "taken", "An organisation already has this source and source_id.");
    }
    return std::move(changed).error();
  }
  if (*changed != 1) return VersionMismatch(current.version);
  SOLIDUM_TRY(search_store::Reindex(conn, org.id));
  return org;
}

Result<Organisation> Organisations::Update(std::int64_t id, std::int64_t expected_version,
                                           const OrganisationChanges& changes) {
  return store::InTransaction<Organisation>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Organisation> {
    SOLIDUM_ASSIGN_OR_RETURN(auto current, Load(conn, id));
    if (!current) return NotFound(id);
    if (current->version != expected_version) return VersionMismatch(current->version);
    SOLIDUM_ASSIGN_OR_RETURN(auto change, search_store::NextChange(conn));
    return Rewrite(conn, *current, changes, change);
  });
}

Result<ImportSummary> Organisations::Import(const std::vector<ImportRow>& rows,
                                            const std::function<void(std::size_t)>& progress) {
  constexpr std::size_t kBatchRows = 1000;  // one transaction (one fsync) per batch
  ImportSummary summary;
  summary.read = rows.size();
  auto reject = [&](std::size_t line, const Error& e) {
    std::string reason = e.message;
    for (const auto& f : e.fields) reason += " " + f.field + ": " + f.message;
    summary.rejected.push_back({line, reason});
  };
  for (std::size_t start = 0; start < rows.size(); start += kBatchRows) {
    std::size_t end = std::min(rows.size(), start + kBatchRows);
    ImportSummary batch;  // counted only when the batch commits
    auto r = store::InTransaction<bool>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<bool> {
      batch = ImportSummary{};
      std::string now = FormatTimestamp(clock_.NowMicros());
      PendingInserts pending;
      // Which of the batch's (source, source_id) are here already, in one query per source.
      struct Known {
        std::int64_t id;
        bool deleted;
      };
      std::map<std::pair<std::string, std::string>, Known> known;
      std::set<std::pair<std::string, std::string>> queued;  // inserted in this batch, not flushed yet
      bool prefetched = true;  // `known` is the whole truth, until a flush in the middle of the batch
      {
        std::map<std::string, boost::json::array> by_source;
        for (std::size_t i = start; i < end; ++i) {
          const auto* o = rows[i].record.if_object();
          const auto* src = o ? o->if_contains("source") : nullptr;
          const auto* sid = o ? o->if_contains("source_id") : nullptr;
          if (src && sid && src->is_string() && sid->is_string()) by_source[std::string(src->get_string())].push_back(*sid);
        }
        static const std::string kKnown = "SELECT source_id, id, deleted_at IS NOT NULL FROM organisations WHERE source = ? "
                                          "AND source_id IN (" + std::string(store::JsonTexts(conn.backend())) + ")";
        for (const auto& [source, ids] : by_source) {
          SOLIDUM_ASSIGN_OR_RETURN(auto found, conn.Query(kKnown, {source, boost::json::serialize(ids)}));
          for (const auto& r : found) known[{source, r.Text(0)}] = Known{r.Int(1), r.Int(2) != 0};
        }
        std::size_t fresh = 0;
        for (const auto& [source, ids] : by_source) {
          for (const auto& id : ids) fresh += known.contains({source, std::string(id.get_string())}) ? 0 : 1;
        }
        SOLIDUM_TRY(ReserveIds(conn, fresh, pending));
      }
      std::optional<std::int64_t> change;  // taken at the batch's first write: no churn when nothing changes
      auto next_change = [&]() -> Result<std::int64_t> {
        if (!change) {
          SOLIDUM_ASSIGN_OR_RETURN(change, search_store::NextChange(conn));
        }
        return *change;
      };
      for (std::size_t i = start; i < end; ++i) {
        const ImportRow& row = rows[i];
        // A row is checked whole (fields, vocabulary, provenance) before anything of it is
        // written, so a bad row leaves nothing behind. No savepoint per row: FTS5 flushes its
        // pending index at every savepoint, which made imports five times slower.
        std::int64_t row_id = 0;
        auto attempt = [&](const boost::json::value& record) -> Result<int> {  // 0 created, 1 updated, 2 unchanged
          SOLIDUM_ASSIGN_OR_RETURN(auto changes, ParseOrganisation(record, Mode::kCreate));
          std::pair<std::string, std::string> key{changes.source.value, changes.source_id.value};
          if (queued.contains(key)) {  // the same identifier twice in a batch: write the first, then ask
            SOLIDUM_TRY(Flush(conn, pending));
            queued.clear();
            prefetched = false;
          }
          std::optional<Known> found;
          if (prefetched) {
            if (auto it = known.find(key); it != known.end()) found = it->second;
          } else {
            SOLIDUM_ASSIGN_OR_RETURN(
                auto row, conn.QueryOne("SELECT id, deleted_at IS NOT NULL FROM organisations WHERE source = ? AND "
                                        "source_id = ?",
                                        {key.first, key.second}));
            if (row) found = Known{row->Int(0), row->Int(1) != 0};
          }
          if (!found) {
            Organisation org;
            SOLIDUM_TRY(Apply(changes, org));
            org.created_at = org.updated_at = now;
            SOLIDUM_ASSIGN_OR_RETURN(auto seq, next_change());
            SOLIDUM_ASSIGN_OR_RETURN(row_id, Insert(conn, org, std::nullopt, seq, &pending));
            queued.insert(key);
            return 0;
          }
          if (found->deleted) {
            return Error::Make(ErrorKind::kConflict, "deleted_here", "This organisation was deleted in this register.");
          }
          row_id = found->id;
          SOLIDUM_ASSIGN_OR_RETURN(auto current, Load(conn, found->id));
          Organisation candidate = *current;
          SOLIDUM_TRY(Apply(changes, candidate));
          if (Render(candidate) == Render(*current)) return 2;
          SOLIDUM_ASSIGN_OR_RETURN(auto seq, next_change());
          SOLIDUM_TRY(Rewrite(conn, *current, changes, seq));
          return 1;
        };
        // Open data is imperfect: a bad phone number or an unknown term should not cost the
        // whole organisation. Such values are left out, with a warning naming them; a row
        // is refused only for its name, its place or its identity.
        boost::json::value record = row.record;
        auto outcome = attempt(record);
        for (int round = 0; round < 3 && !outcome.ok() && LeaveOut(record, outcome.error()); ++round) {
          for (const auto& f : outcome.error().fields) {
            batch.warnings.push_back({row.line, "left out " + f.field + ": " + f.message});
          }
          outcome = attempt(record);
        }
        if (!outcome.ok()) {
          // Bad rows are refused before any write; anything else (the store failing, a
          // conflict with a concurrent writer) ends the import and rolls back this batch.
          if (outcome.error().kind != ErrorKind::kInvalidInput && outcome.error().code != "deleted_here") {
            return std::move(outcome).error();
          }
          reject(row.line, outcome.error());
          continue;
        }
        (*outcome == 0 ? batch.created : *outcome == 1 ? batch.updated : batch.unchanged)++;
        batch.ids.push_back(row_id);
      }
      SOLIDUM_TRY(Flush(conn, pending));
      return true;
    });
    if (!r.ok()) return std::move(r).error();
    summary.created += batch.created;
    summary.updated += batch.updated;
    summary.unchanged += batch.unchanged;
    summary.warnings.insert(summary.warnings.end(), batch.warnings.begin(), batch.warnings.end());
    summary.ids.insert(summary.ids.end(), batch.ids.begin(), batch.ids.end());
    if (progress) progress(end);
  }
  std::sort(summary.rejected.begin(), summary.rejected.end(),
            [](const RowRejection& a, const RowRejection& b) { return a.line < b.line; });
  if (summary.created + summary.updated >= kBulkWriteRows) SOLIDUM_TRY(store_.RefreshStatistics());
  return summary;
}

Result<void> Organisations::Delete(std::int64_t id, std::int64_t expected_version) {
  auto r = store::InTransaction<bool>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<bool> {
    SOLIDUM_ASSIGN_OR_RETURN(auto current, Load(conn, id));
    if (!current) return NotFound(id);
    if (current->version != expected_version) return VersionMismatch(current->version);
    std::string now = FormatTimestamp(clock_.NowMicros());
    SOLIDUM_ASSIGN_OR_RETURN(auto change, search_store::NextChange(conn));
    SOLIDUM_ASSIGN_OR_RETURN(auto changed,
                             conn.Exec("UPDATE organisations SET deleted_at = ?, updated_at = ?, version = version + 1, "
                                       "change_seq = ? WHERE id = ? AND version = ? AND deleted_at IS NULL",
                                       {now, now, change, id, expected_version}));
    if (changed != 1) return VersionMismatch(current->version);
    SOLIDUM_TRY(StampWithMembers(conn, id, change));  // a deleted network's members leave it
    SOLIDUM_TRY(search_store::Reindex(conn, id));
    return true;
  });
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

}  // namespace solidum::registry
