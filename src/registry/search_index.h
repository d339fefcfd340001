// SearchIndex: the catalogue (catalogue.h) kept in step with the store, plus a cache of
// full-text matches. Every question first reads the store's register change number in the
// caller's transaction and catches up (reads the rows changed since) when it moved, so a
// write through this server, another server on the same database, or the CLI is seen by
// the next search.
//
// Thread-safe: searches share the catalogue; catching up takes it exclusively.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "registry/catalogue.h"
#include "registry/search.h"
#include "store/store.h"

namespace solidum::registry {

// What changed in the register since a change number: entries to upsert, ids to remove.
struct CatalogueChanges {
  std::int64_t change_seq = 0;  // the register's change number these bring the catalogue to
  std::vector<CatalogueEntry> entries;
  std::vector<std::int64_t> removed;
};

class SearchIndex {
 public:
  explicit SearchIndex(const Clock& clock) : clock_(clock) {}

  // All take a connection in a read transaction: the change number, the full-text matches
  // and the caller's later reads (documents) see one state of the register.
  Result<CataloguePage> Search(store::Conn& conn, const SearchQuery& query);
  Result<MapPoints> Map(store::Conn& conn, const SearchQuery& query);
  Result<std::vector<PortraitRow>> Portrait(store::Conn& conn, const SearchQuery& query, PortraitGroup group);

  // The same search from what the index holds now, without asking the store, when it can
  // (no text, or the text's matches cached for the state it holds); nullopt otherwise.
  // Answers the page and the change number of that state: the caller must check it against
  // the store's (Organisations::Search reads it with the documents, in one round trip) and
  // use Search when they differ.
  std::optional<std::pair<CataloguePage, std::int64_t>> SearchIfCurrent(const SearchQuery& query);

  // Brings the catalogue up to date (the questions above do it themselves; serve calls it
  // before listening so that the first search does not pay for loading).
  Result<void> CatchUp(store::Conn& conn);

 private:
  // Runs `ask(catalogue, text)` on a caught-up catalogue under the shared lock; `text` is
  // null without q. Answers `empty` when q has no word (nothing can match).
  template <typename T, typename Ask>
  Result<T> Ask(store::Conn& conn, const SearchQuery& query, T empty, Ask&& ask);
  Result<std::int64_t> CatchUpTo(store::Conn& conn);  // answers the store's change number
  Result<std::shared_ptr<TextMatches>> MatchText(store::Conn& conn, const std::string& fts, std::int64_t change_seq);
  // The cached matches of `fts` for `change_seq` (made most recent), or null.
  std::shared_ptr<TextMatches> CachedMatches(const std::string& fts, std::int64_t change_seq);

  const Clock& clock_;
  std::shared_mutex mu_;  // guards catalogue_, caught_up_ and day_
  Catalogue catalogue_;
  std::int64_t caught_up_ = 0;  // the change number the catalogue reflects
  // The day it was loaded on: memberships start and end with days, without a write, so a
  // new day loads the catalogue afresh.
  std::string day_;
  std::mutex catch_up_mu_;      // one catch-up at a time; others wait for it

  // Full-text matches by FTS query, for one change number (a write makes them all stale).
  // Bounded by entries and by ids held.
  static constexpr std::size_t kTextCacheEntriesMax = 512;
  static constexpr std::size_t kTextCacheIdsMax = 4'000'000;  // ~64 MB
  struct Cached {
    std::int64_t change_seq;
    std::shared_ptr<TextMatches> matches;
    std::list<std::string>::iterator lru;
  };
  std::mutex cache_mu_;
  std::unordered_map<std::string, Cached> cache_;
  std::list<std::string> lru_;  // most recent first
  std::size_t cached_ids_ = 0;
};

// The SQLite parts.
namespace search_store {
// Takes the next register change number; call once in each write transaction that changes
// organisations (or what the catalogue holds of them) and stamp the rows with it.
Result<std::int64_t> NextChange(store::Conn& conn);
Result<std::int64_t> CurrentChange(store::Conn& conn);
// The rows stamped after `since` (all of them for 0), with the current change number.
// `today` (YYYY-MM-DD) decides which memberships are current.
Result<CatalogueChanges> ChangesSince(store::Conn& conn, std::int64_t since, const std::string& today);
// Rebuilds the full-text entry of one organisation from its row (removes it when deleted).
// Call in the transaction that wrote it; `fresh` for a row just inserted (nothing to remove
// first). With `later`, the id is only noted, for one IndexMany over a whole batch at its
// end (any statement savepoint makes FTS5 flush its pending index, so batch it).
Result<void> Reindex(store::Conn& conn, std::int64_t id, bool fresh = false, std::vector<std::int64_t>* later = nullptr);
Result<void> IndexMany(store::Conn& conn, const std::vector<std::int64_t>& ids);
// PostgreSQL: the tsvector of the text `expr` (an SQL expression) with `weight` (A-D): lower-
// cased, unaccented, cut at every non-alphanumeric character, as PgTsQuery normalises words.
std::string PgWeightedWords(std::string_view expr, char weight);
// PostgreSQL: the tsquery of an FTS5 query as FtsQuery writes it, its words normalised as
// the tsvectors are ("" when no word is left). Shared with the library's search.
Result<std::string> PgTsQuery(store::Conn& conn, const std::string& fts);
// The organisations whose text matches an FTS5 query, by id, with their bm25 rank.
Result<TextMatches> MatchText(store::Conn& conn, const std::string& fts);
}  // namespace search_store

}  // namespace solidum::registry
