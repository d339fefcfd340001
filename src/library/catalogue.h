// Searching the library: the query (parsed and validated here) and the catalogue, a
// compact in-memory copy of what search filters, sorts and counts on, one entry per
// published resource. Pure: no store, no clock. LibrarySearch (search.h) keeps one in step
// with the store and brings the full-text matches.
//
// Why in memory, as the register's catalogue: facets count the matches of every filter
// but their own; one pass over packed rows does the total, five facets and the page at
// once, where SQL would evaluate the match set six times per request.
//
// Not thread-safe: LibrarySearch guards it (readers shared, catching up exclusive).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/dictionary.h"
#include "common/result.h"

namespace solidum::library {

enum class SearchSort { kRelevance, kNewest, kTitle };

struct SearchQuery {
  std::string text;  // free text; empty for none
  std::vector<std::string> types, themes, languages, countries;
  std::vector<std::int64_t> sdgs;
  std::optional<std::int64_t> organisation;  // resources about it
  std::optional<std::int64_t> publisher;
  SearchSort sort = SearchSort::kNewest;  // kRelevance by default when there is text
  int limit = 20;
  std::int64_t offset = 0;
  bool facets = true;
};

inline constexpr std::size_t kSearchTextCharsMax = 200;
inline constexpr std::size_t kFilterValuesMax = 50;
inline constexpr int kSearchLimitMax = 100;
inline constexpr std::int64_t kSearchOffsetMax = 10'000;  // past it, narrow the search
inline constexpr std::size_t kFacetValuesMax = 50;
inline constexpr std::size_t kThemeSlots = 256;  // themes interned (5 standard + custom)

// Parses q, type, theme, language, country, sdg (each repeatable, or comma-separated),
// organisation, publisher, sort (relevance | newest | title), limit, offset, facets
// (true | false). Errors name the parameter as "?name".
Result<SearchQuery> ParseSearchQuery(const std::vector<std::pair<std::string, std::string>>& params);

// What the catalogue holds of one published resource.
struct CatalogueEntry {
  std::int64_t id = 0;
  std::string type, language;
  std::vector<std::string> themes, countries;
  std::vector<std::int64_t> sdgs, organisations;
  std::int64_t publisher = 0;
  std::string published_at;  // newest first
  std::string title_key;     // folded title, for the title order
};

// The resources whose text matches a query, sorted by id, with their rank (lower is better).
struct TextMatches {
  std::vector<std::int64_t> ids;
  std::vector<double> ranks;
};

struct FacetValue {
  std::string value;
  std::int64_t count = 0;
};

struct CataloguePage {
  std::vector<std::int64_t> ids;  // the page, in order
  std::int64_t total = 0;
  std::map<std::string, std::vector<FacetValue>> facets;  // type, theme, language, country, sdg
};

class Catalogue {
 public:
  // Adds or replaces the entry with this id.
  void Upsert(const CatalogueEntry& entry);
  void Remove(std::int64_t id);  // no-op when absent
  std::size_t size() const { return rows_.size(); }

  // One pass over the matches of `query` (only those in `text` when given, which must be
  // sorted by id): total, facets (each counting every filter but its own), the page.
  CataloguePage Search(const SearchQuery& query, const TextMatches* text) const;

 private:
  // One resource, packed: what a scan tests, lists in pools.
  struct Row {
    std::int64_t id = 0;
    std::int64_t publisher = 0;
    std::uint64_t themes[kThemeSlots / 64] = {};
    std::uint32_t sdgs = 0;  // bit n for SDG n
    std::uint32_t countries_begin = 0, organisations_begin = 0;
    std::uint16_t countries_count = 0, organisations_count = 0;
    std::uint16_t language = 0;
    std::uint8_t type = 0;
  };
  std::size_t RowOf(std::int64_t id) const;  // rows_.size() when absent
  Row Pack(const CatalogueEntry& e);
  void CompactPools();

  Dictionary types_, languages_, themes_, countries_;
  std::vector<Row> rows_;  // sorted by id
  std::vector<std::int64_t> published_;   // parallel to rows_: published_at as a number that sorts as it does
  std::vector<std::string> title_key_;    // parallel to rows_
  std::vector<std::uint16_t> country_pool_;
  std::vector<std::int64_t> organisation_pool_;
  std::size_t pool_garbage_ = 0;
};

}  // namespace solidum::library
