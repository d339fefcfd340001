// The store's part of search: full text (FTS5 on SQLite; a tsvector under a GIN index on
// PostgreSQL, over text normalised as FTS5's unicode61 tokenizer sees it), and the register
// change sequence the catalogue catches up with (the same SQL on both).
#include <boost/json.hpp>

#include "common/assert.h"

#include "common/text.h"
#include "registry/search_index.h"

namespace solidum::registry::search_store {

using store::Conn;

namespace {

// The statement that fills the full-text index for the organisations that `condition` (on
// o.id) selects. Migration 0003_search.sql fills it for all rows with the same SQL.
std::string IndexStatement(std::string_view condition) {
  return R"(INSERT INTO organisations_fts (rowid, names, texts, activities, place)
SELECT o.id,
       solidum_fold(o.name || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(o.other_names)), '')),
       solidum_fold(o.description || ' ' || o.mission || ' ' ||
         COALESCE((SELECT group_concat(COALESCE(json_extract(value, '$.description'), '') || ' ' ||
                                       COALESCE(json_extract(value, '$.mission'), ''), ' ')
                   FROM json_each(o.translations)), '')),
       solidum_fold(COALESCE((SELECT group_concat(a.label_en || ' ' || COALESCE(a.label_fr, '') || ' ' ||
                                     COALESCE(a.label_es, '') || ' ' || COALESCE(a.label_pt, ''), ' ')
                 FROM json_each(o.activities) j JOIN activities a ON a.code = j.value), '')),
       solidum_fold(COALESCE(o.street, '') || ' ' || COALESCE(o.locality, '') || ' ' || COALESCE(o.region, '') || ' ' ||
         COALESCE(o.postcode, ''))
FROM organisations o WHERE )" + std::string(condition) + " AND o.deleted_at IS NULL";
}

// JSON list columns as the store wrote them.
template <typename T>
void DecodeList(const std::optional<std::string>& text, std::vector<T>& out) {
  out.clear();
  if (!text || *text == "[]") return;
  boost::system::error_code ec;
  auto v = boost::json::parse(*text, ec);
  SOLIDUM_ASSERT(!ec && v.is_array());
  for (const auto& e : v.as_array()) {
    if constexpr (std::is_same_v<T, std::string>) out.emplace_back(e.as_string());
    else out.push_back(e.as_int64());
  }
}

// PostgreSQL: what FTS5's columns hold, each lower-cased, unaccented and cut into words at
// every character that is not a letter or digit, weighted as FTS5's bm25 weighs them.
std::string PgIndexStatement(std::string_view condition) {
  auto words = PgWeightedWords;
  std::string names =
      "o.name || ' ' || COALESCE((SELECT string_agg(value, ' ') FROM json_array_elements_text(CAST(o.other_names AS "
      "json))), '')";
  std::string texts =
      "o.description || ' ' || o.mission || ' ' || COALESCE((SELECT string_agg(COALESCE(value->>'description', '') || "
      "' ' || COALESCE(value->>'mission', ''), ' ') FROM json_each(CAST(o.translations AS json))), '')";
  std::string activities =
      "COALESCE((SELECT string_agg(a.label_en || ' ' || COALESCE(a.label_fr, '') || ' ' || COALESCE(a.label_es, '') || "
      "' ' || COALESCE(a.label_pt, ''), ' ') FROM json_array_elements_text(CAST(o.activities AS json)) j(code) "
      "JOIN activities a ON a.code = j.code), '')";
  std::string place =
      "COALESCE(o.street, '') || ' ' || COALESCE(o.locality, '') || ' ' || COALESCE(o.region, '') || ' ' || "
      "COALESCE(o.postcode, '')";
  return "UPDATE organisations o SET search = CASE WHEN o.deleted_at IS NULL THEN " + words(names, 'A') + " || " +
         words(texts, 'D') + " || " + words(activities, 'C') + " || " + words(place, 'C') + " END WHERE " +
         std::string(condition);
}

// The words of an FTS5 query as FtsQuery writes it ("w1" "w2" "w3"*), the last a prefix.
std::vector<std::string> QueryWords(const std::string& fts) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while ((i = fts.find('"', i)) != std::string::npos) {
    auto end = fts.find('"', i + 1);
    if (end == std::string::npos) break;
    out.push_back(fts.substr(i + 1, end - i - 1));
    i = end + 1;
  }
  return out;
}

bool IsPostgres(const Conn& conn) { return conn.backend() == store::Backend::kPostgres; }

// Rows of (id, rank) as matches.
TextMatches Matches(const store::Rows& rows) {
  TextMatches out;
  out.ids.reserve(rows.size());
  out.ranks.reserve(rows.size());
  for (const auto& r : rows) {
    out.ids.push_back(r.Int(0));
    out.ranks.push_back(r.Real(1));
  }
  return out;
}

}  // namespace

Result<std::int64_t> NextChange(Conn& conn) {
  SOLIDUM_ASSIGN_OR_RETURN(
      auto row, conn.QueryOne("UPDATE register_state SET change_seq = change_seq + 1 WHERE id = 1 RETURNING change_seq", {}));
  SOLIDUM_ASSERT(row.has_value());
  return row->Int(0);
}

Result<std::int64_t> CurrentChange(Conn& conn) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT change_seq FROM register_state WHERE id = 1", {}));
  SOLIDUM_ASSERT(row.has_value());
  return row->Int(0);
}

Result<CatalogueChanges> ChangesSince(Conn& conn, std::int64_t since, const std::string& today) {
  CatalogueChanges out;
  SOLIDUM_ASSIGN_OR_RETURN(out.change_seq, CurrentChange(conn));
  if (out.change_seq <= since) return out;
  SOLIDUM_ASSIGN_OR_RETURN(
      auto rows, conn.Query("SELECT id, deleted_at IS NOT NULL, name, legal_form, country, status, region, latitude, "
                            "longitude, activities, sdgs, members, workers, volunteers, founded_year, network_scope "
                            "FROM organisations WHERE change_seq > ? ORDER BY id",
                            {since}));
  // The networks each changed organisation is a current member of, through member networks
  // too (UNION, not UNION ALL: ends even if a cycle slipped in).
  static const std::string kCurrent =
      " r.kind = 'member_of' AND r.deleted_at IS NULL AND (r.start_date IS NULL OR r.start_date <= ?) AND "
      "(r.end_date IS NULL OR r.end_date > ?) AND r.object_id IN (SELECT id FROM organisations WHERE deleted_at IS NULL) ";
  static const std::string kNetworks =
      "WITH RECURSIVE up(org, network) AS ("
      " SELECT r.subject_id, r.object_id FROM relationships r WHERE" + kCurrent +
      "  AND r.subject_id IN (SELECT id FROM organisations WHERE change_seq > ? AND deleted_at IS NULL)"
      " UNION"
      " SELECT up.org, r.object_id FROM up JOIN relationships r ON r.subject_id = up.network WHERE" + kCurrent +
      ") SELECT org, network FROM up ORDER BY org, network";
  SOLIDUM_ASSIGN_OR_RETURN(auto memberships, conn.Query(kNetworks, {today, today, since, today, today}));
  std::size_t m = 0;
  for (const auto& r : rows) {
    if (r.Int(1) != 0) {
      out.removed.push_back(r.Int(0));
      continue;
    }
    CatalogueEntry e;
    e.id = r.Int(0);
    e.name = r.Text(2);
    e.legal_form = r.OptText(3);
    e.country = r.OptText(4);
    e.status = r.OptText(5);
    e.region = r.OptText(6);
    e.latitude = r.OptReal(7);
    e.longitude = r.OptReal(8);
    DecodeList(r.OptText(9), e.activities);
    DecodeList(r.OptText(10), e.sdgs);
    e.members = r.OptInt(11);
    e.workers = r.OptInt(12);
    e.volunteers = r.OptInt(13);
    e.founded_year = r.OptInt(14);
    e.network_scope = r.OptText(15);
    while (m < memberships.size() && memberships[m].Int(0) < e.id) ++m;
    for (; m < memberships.size() && memberships[m].Int(0) == e.id; ++m) e.networks.push_back(memberships[m].Int(1));
    out.entries.push_back(std::move(e));
  }
  return out;
}

Result<void> Reindex(Conn& conn, std::int64_t id, bool fresh, std::vector<std::int64_t>* later) {
  if (IsPostgres(conn)) {  // an UPDATE of the row: nothing to remove first, and no FTS5 flush to batch
    if (later) {
      later->push_back(id);
      return Ok();
    }
    static const std::string kOne = PgIndexStatement("o.id = ?");
    SOLIDUM_TRY(conn.Exec(kOne, {id}));
    return Ok();
  }
  if (!fresh) SOLIDUM_TRY(conn.Exec("DELETE FROM organisations_fts WHERE rowid = ?", {id}));
  if (later) {
    later->push_back(id);
    return Ok();
  }
  static const std::string kOne = IndexStatement("o.id = ?");
  SOLIDUM_TRY(conn.Exec(kOne, {id}));
  return Ok();
}

Result<void> IndexMany(Conn& conn, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return Ok();
  static const std::string kMany =
      IndexStatement("o.id IN (" + std::string(store::JsonIntegers(store::Backend::kSqlite)) + ")");
  static const std::string kPgMany =
      PgIndexStatement("o.id IN (" + std::string(store::JsonIntegers(store::Backend::kPostgres)) + ")");
  SOLIDUM_TRY(conn.Exec(IsPostgres(conn) ? kPgMany : kMany, {store::JsonArray(ids)}));
  return Ok();
}

std::string PgWeightedWords(std::string_view expr, char weight) {
  return "setweight(to_tsvector('simple', regexp_replace(unaccent(lower(" + std::string(expr) + ")), '[^[:alnum:]]+', ' ', 'g')), '" +
         weight + "')";
}

// Each word normalised as the index is (lower, unaccent, cut at non-alphanumerics); a word
// that falls into several (Paris–Lyon) is a phrase; all words must match; the last is a prefix.
Result<std::string> PgTsQuery(Conn& conn, const std::string& fts) {
  std::string tsquery;
  auto words = QueryWords(fts);
  boost::json::array list;
  for (const auto& w : words) list.emplace_back(w);
  // All the words normalised in one round trip, in their order.
  SOLIDUM_ASSIGN_OR_RETURN(
      auto normalised,
      conn.Query("SELECT trim(regexp_replace(unaccent(lower(value)), '[^[:alnum:]]+', ' ', 'g')) "
                 "FROM json_array_elements_text(CAST(? AS json)) WITH ORDINALITY ORDER BY ordinality",
                 {boost::json::serialize(list)}));
  for (std::size_t i = 0; i < normalised.size(); ++i) {
    std::string parts = normalised[i].Text(0);
    if (parts.empty()) continue;
    std::string phrase;
    std::size_t start = 0;
    while (start <= parts.size()) {
      auto space = parts.find(' ', start);
      std::string part = parts.substr(start, space == std::string::npos ? std::string::npos : space - start);
      if (!part.empty()) phrase += (phrase.empty() ? "'" : " <-> '") + part + "'";
      if (space == std::string::npos) break;
      start = space + 1;
    }
    if (i + 1 == normalised.size()) phrase += ":*";
    tsquery += (tsquery.empty() ? "" : " & ") + (phrase.find("<->") != std::string::npos ? "(" + phrase + ")" : phrase);
  }
  return tsquery;
}

namespace {

// PostgreSQL: ts_rank with weights like bm25's, negated so that lower is better as with bm25.
Result<TextMatches> PgMatchText(Conn& conn, const std::string& fts) {
  SOLIDUM_ASSIGN_OR_RETURN(auto tsquery, PgTsQuery(conn, fts));
  if (tsquery.empty()) return TextMatches{};
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT o.id, -ts_rank('{0.1, 0.2, 0.4, 1.0}', o.search, q) "
                                                 "FROM organisations o, to_tsquery('simple', ?) q "
                                                 "WHERE o.search @@ q AND o.deleted_at IS NULL ORDER BY o.id",
                                                 {tsquery}));
  return Matches(rows);
}

}  // namespace

Result<TextMatches> MatchText(Conn& conn, const std::string& fts) {
  if (IsPostgres(conn)) return PgMatchText(conn, fts);
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT rowid, bm25(organisations_fts, 10.0, 1.0, 2.0, 2.0) "
                                                 "FROM organisations_fts WHERE organisations_fts MATCH ? ORDER BY rowid",
                                                 {text::FoldLetters(fts)}));
  return Matches(rows);
}

}  // namespace solidum::registry::search_store
