// Searching the library's published resources: the catalogue (catalogue.h) kept in step
// with the store, full-text matches from the store (FTS5 on SQLite, a tsvector on
// PostgreSQL, both over text with case and accents folded) cached per library change
// number, and the page's resources read in the same read transaction.
//
// Every search reads the store's library change number first and catches up (reads the
// rows changed since) when it moved, so a write through this server, another one on the
// same database, or the CLI is seen by the next search.
//
// Thread-safe: searches share the catalogue; catching up takes it exclusively.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "library/catalogue.h"
#include "library/resource.h"
#include "store/store.h"

namespace solidum::library {

struct SearchResult {
  std::vector<Resource> items;  // without body; translations: the published ones
  std::int64_t total = 0;
  std::shared_ptr<const CataloguePage> page;  // its facets (shared with the cache, not copied)
};

class LibrarySearch {
 public:
  explicit LibrarySearch(store::Store& store) : store_(store) {}
  Result<SearchResult> Search(const SearchQuery& query);

 private:
  Result<void> CatchUp(store::Conn& conn, std::int64_t change_seq);
  Result<std::shared_ptr<const TextMatches>> Matches(store::Conn& conn, const std::string& fts, std::int64_t change_seq);

  store::Store& store_;
  std::shared_mutex mu_;  // guards catalogue_ and caught_up_
  Catalogue catalogue_;
  std::int64_t caught_up_ = 0;

  // A bounded cache of values by key, each for one library change number (a write makes
  // them all stale), least recently used out first.
  template <typename T>
  class Cache {
   public:
    explicit Cache(std::size_t entries_max) : entries_max_(entries_max) {}
    std::shared_ptr<const T> Find(const std::string& key, std::int64_t change_seq);
    void Put(const std::string& key, std::int64_t change_seq, std::shared_ptr<const T> value);

   private:
    struct Entry {
      std::int64_t change_seq;
      std::shared_ptr<const T> value;
      std::list<std::string>::iterator lru;
    };
    std::size_t entries_max_;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> lru_;  // most recent first
  };
  // Full-text matches by FTS query; pages (ids, total, facets) by the whole query, as
  // search engines keep their result caches: people ask the same questions and click the
  // same facets, and a page costs one pass over the matches.
  Cache<TextMatches> matches_{256};
  Cache<CataloguePage> pages_{2048};
};

// The store's part.
namespace search_store {
// In each write transaction that changes a resource: takes the next library change number,
// stamps the row with it, and rebuilds its full-text entry (published resources only).
Result<void> Stamp(store::Conn& conn, std::int64_t id);
Result<std::int64_t> CurrentChange(store::Conn& conn);
// Rebuilds every resource's full-text entry and stamps them all with one new change number
// (after a bulk load; a repair).
Result<void> ReindexAll(store::Conn& conn);
// The resources stamped after `since`: entries for the published ones, ids of the others.
Result<std::pair<std::vector<CatalogueEntry>, std::vector<std::int64_t>>> ChangesSince(store::Conn& conn, std::int64_t since);
// The published resources whose text matches an FTS5 query (registry's FtsQuery), by id.
Result<TextMatches> MatchText(store::Conn& conn, const std::string& fts);
}  // namespace search_store

}  // namespace solidum::library
