#include "library/search.h"

#include <boost/json.hpp>

#include "common/assert.h"
#include "common/text.h"
#include "library/library.h"
#include "registry/search.h"
#include "registry/search_index.h"

namespace solidum::library {

using store::Conn;

namespace search_store {

using registry::search_store::PgWeightedWords;

namespace {

bool IsPostgres(const Conn& conn) { return conn.backend() == store::Backend::kPostgres; }

// The statement that fills the tsvector (published resources only), without its WHERE.
std::string PgIndex() {
  return "UPDATE library_resources SET search = CASE WHEN stage = 'published' THEN " + PgWeightedWords("title", 'A') + " || " +
         PgWeightedWords("summary", 'B') + " || " + PgWeightedWords("body", 'D') + " END";
}

}  // namespace

Result<void> Stamp(Conn& conn, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto seq, conn.QueryOne("UPDATE library_state SET change_seq = change_seq + 1 WHERE id = 1 RETURNING change_seq", {}));
  SOLIDUM_ASSERT(seq.has_value());
  SOLIDUM_TRY(conn.Exec("UPDATE library_resources SET change_seq = ? WHERE id = ?", {seq->Int(0), id}));
  if (IsPostgres(conn)) {
    static const std::string kIndex = PgIndex() + " WHERE id = ?";
    SOLIDUM_TRY(conn.Exec(kIndex, {id}));
    return Ok();
  }
  SOLIDUM_TRY(conn.Exec("DELETE FROM library_fts WHERE rowid = ?", {id}));
  SOLIDUM_TRY(conn.Exec("INSERT INTO library_fts (rowid, title, summary, body) SELECT id, solidum_fold(title), solidum_fold(summary), "
                        "solidum_fold(body) FROM library_resources WHERE id = ? AND stage = 'published'",
                        {id}));
  return Ok();
}

Result<void> ReindexAll(Conn& conn) {
  SOLIDUM_ASSIGN_OR_RETURN(auto seq, conn.QueryOne("UPDATE library_state SET change_seq = change_seq + 1 WHERE id = 1 RETURNING change_seq", {}));
  SOLIDUM_ASSERT(seq.has_value());
  SOLIDUM_TRY(conn.Exec("UPDATE library_resources SET change_seq = ?", {seq->Int(0)}));
  if (IsPostgres(conn)) {
    SOLIDUM_TRY(conn.Exec(PgIndex(), {}));
    return Ok();
  }
  SOLIDUM_TRY(conn.Exec("DELETE FROM library_fts", {}));
  SOLIDUM_TRY(conn.Exec("INSERT INTO library_fts (rowid, title, summary, body) SELECT id, solidum_fold(title), solidum_fold(summary), "
                        "solidum_fold(body) FROM library_resources WHERE stage = 'published'",
                        {}));
  return Ok();
}

Result<std::int64_t> CurrentChange(Conn& conn) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT change_seq FROM library_state WHERE id = 1", {}));
  SOLIDUM_ASSERT(row.has_value());
  return row->Int(0);
}

Result<std::pair<std::vector<CatalogueEntry>, std::vector<std::int64_t>>> ChangesSince(Conn& conn, std::int64_t since) {
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT id, stage, type, language, themes, sdgs, countries, publisher_id, "
                                                 "COALESCE(published_at, ''), title FROM library_resources WHERE change_seq > ? ORDER BY id",
                                                 {since}));
  SOLIDUM_ASSIGN_OR_RETURN(auto about, conn.Query("SELECT l.resource_id, l.organisation_id FROM library_resource_organisations l "
                                                  "JOIN library_resources r ON r.id = l.resource_id WHERE r.change_seq > ? "
                                                  "ORDER BY l.resource_id, l.organisation_id",
                                                  {since}));
  std::pair<std::vector<CatalogueEntry>, std::vector<std::int64_t>> out;
  std::size_t a = 0;
  for (const auto& r : rows) {
    const std::int64_t id = r.Int(0);
    if (r.Text(1) != "published") {
      out.second.push_back(id);
      continue;
    }
    CatalogueEntry e;
    e.id = id;
    e.type = r.Text(2);
    e.language = r.Text(3);
    e.themes = StringsOf(r.Text(4));
    e.sdgs = IntegersOf(r.Text(5));
    e.countries = StringsOf(r.Text(6));
    e.publisher = r.Int(7);
    e.published_at = r.Text(8);
    e.title_key = text::Fold(r.Text(9));
    while (a < about.size() && about[a].Int(0) < id) ++a;
    for (; a < about.size() && about[a].Int(0) == id; ++a) e.organisations.push_back(about[a].Int(1));
    out.first.push_back(std::move(e));
  }
  return out;
}

Result<TextMatches> MatchText(Conn& conn, const std::string& fts) {
  TextMatches out;
  store::Rows rows;
  if (IsPostgres(conn)) {
    SOLIDUM_ASSIGN_OR_RETURN(auto tsquery, registry::search_store::PgTsQuery(conn, fts));
    if (tsquery.empty()) return out;
    SOLIDUM_ASSIGN_OR_RETURN(rows, conn.Query("SELECT r.id, -ts_rank('{0.1, 0.2, 0.4, 1.0}', r.search, q) FROM library_resources r, "
                                              "to_tsquery('simple', ?) q WHERE r.search @@ q ORDER BY r.id",
                                              {tsquery}));
  } else {
    SOLIDUM_ASSIGN_OR_RETURN(rows, conn.Query("SELECT rowid, bm25(library_fts, 10.0, 4.0, 1.0) FROM library_fts "
                                              "WHERE library_fts MATCH ? ORDER BY rowid",
                                              {text::FoldLetters(fts)}));
  }
  out.ids.reserve(rows.size());
  out.ranks.reserve(rows.size());
  for (const auto& r : rows) {
    out.ids.push_back(r.Int(0));
    out.ranks.push_back(r.Real(1));
  }
  return out;
}

}  // namespace search_store

Result<void> LibrarySearch::CatchUp(Conn& conn, std::int64_t change_seq) {
  {
    std::shared_lock lock(mu_);
    if (caught_up_ == change_seq) return Ok();
  }
  std::unique_lock lock(mu_);
  if (caught_up_ >= change_seq) return Ok();
  SOLIDUM_ASSIGN_OR_RETURN(auto changes, search_store::ChangesSince(conn, caught_up_));
  for (const auto& e : changes.first) catalogue_.Upsert(e);
  for (auto id : changes.second) catalogue_.Remove(id);
  caught_up_ = change_seq;
  return Ok();
}

template <typename T>
std::shared_ptr<const T> LibrarySearch::Cache<T>::Find(const std::string& key, std::int64_t change_seq) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.change_seq != change_seq) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.value;
}

template <typename T>
void LibrarySearch::Cache<T>::Put(const std::string& key, std::int64_t change_seq, std::shared_ptr<const T> value) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    if (it->second.change_seq > change_seq) return;  // a newer one is there
    it->second.change_seq = change_seq;
    it->second.value = std::move(value);
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return;
  }
  lru_.push_front(key);
  entries_.emplace(key, Entry{change_seq, std::move(value), lru_.begin()});
  if (entries_.size() > entries_max_) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
}

Result<std::shared_ptr<const TextMatches>> LibrarySearch::Matches(Conn& conn, const std::string& fts, std::int64_t change_seq) {
  if (auto hit = matches_.Find(fts, change_seq)) return hit;
  SOLIDUM_ASSIGN_OR_RETURN(auto found, search_store::MatchText(conn, fts));
  auto matches = std::make_shared<const TextMatches>(std::move(found));
  matches_.Put(fts, change_seq, matches);
  return matches;
}

namespace {

// The query as a key: every field that changes the answer.
std::string KeyOf(const SearchQuery& q) {
  std::string k = q.text;
  auto add = [&](char tag, const auto& list) {
    k += '\x1f';
    k += tag;
    for (const auto& v : list) {
      k += '\x1e';
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) k += v;
      else k += std::to_string(v);
    }
  };
  add('t', q.types);
  add('h', q.themes);
  add('l', q.languages);
  add('c', q.countries);
  add('s', q.sdgs);
  k += '\x1f' + std::to_string(q.organisation.value_or(0)) + '/' + std::to_string(q.publisher.value_or(0)) + '/' +
       std::to_string(static_cast<int>(q.sort)) + '/' + std::to_string(q.limit) + '/' + std::to_string(q.offset) + '/' + (q.facets ? "f" : "");
  return k;
}

}  // namespace

Result<SearchResult> LibrarySearch::Search(const SearchQuery& query) {
  return store::InTransaction<SearchResult>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<SearchResult> {
    SearchResult out;
    SOLIDUM_ASSIGN_OR_RETURN(auto seq, search_store::CurrentChange(conn));
    SOLIDUM_TRY(CatchUp(conn, seq));
    const std::string key = KeyOf(query);
    auto page = pages_.Find(key, seq);
    if (!page) {
      std::shared_ptr<const TextMatches> text;
      if (!query.text.empty()) {
        const std::string fts = registry::FtsQuery(query.text);
        if (fts.empty()) {
          text = std::make_shared<const TextMatches>();  // no word: nothing matches
        } else {
          SOLIDUM_ASSIGN_OR_RETURN(text, Matches(conn, fts, seq));
        }
      }
      std::shared_lock lock(mu_);
      // A page is kept for this change number only when the catalogue holds that state.
      auto fresh = std::make_shared<const CataloguePage>(catalogue_.Search(query, text.get()));
      if (caught_up_ == seq) pages_.Put(key, seq, fresh);
      page = std::move(fresh);
    }
    out.total = page->total;
    SOLIDUM_ASSIGN_OR_RETURN(out.items, LoadPublished(conn, page->ids));
    out.page = std::move(page);
    return out;
  });
}

}  // namespace solidum::library
