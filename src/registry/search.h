// Searching the register: text (case and accents folded), place (a box or a radius),
// filters that combine, facet counts, cursor pages. The query is parsed and validated here
// (pure); the store-specific part is in search_store.cc (FTS5 on SQLite, tsvector on PostgreSQL).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "registry/organisations.h"
#include "store/store.h"

namespace solidum::registry {

struct BoundingBox {
  double min_lon, min_lat, max_lon, max_lat;
};

struct Near {
  double lat, lon, km;
};

enum class SearchSort { kId, kName, kRelevance, kDistance };

struct SearchQuery {
  std::string text;                     // free text; empty for none
  std::optional<BoundingBox> bbox;
  std::optional<Near> near;
  std::vector<std::string> legal_forms, activities, countries, statuses, network_scopes;
  std::vector<std::int64_t> sdgs;
  std::vector<std::int64_t> networks;  // ids of networks the organisations are members of
  SearchSort sort = SearchSort::kId;
  int limit = 50;
  // Where the previous page ended: the last id (kId), name and id (kName), or the offset
  // (kRelevance, kDistance: those orders change as the register changes).
  std::optional<std::string> after_name;
  std::int64_t after_id = 0;
  std::int64_t offset = 0;
  bool facets = true;
};

inline constexpr std::size_t kSearchTextCharsMax = 200;
inline constexpr std::size_t kFilterValuesMax = 50;
inline constexpr double kNearKmMax = 20000;
inline constexpr int kFacetValuesMax = 50;
// How deep offset pages (relevance, distance) go, as search engines do: past it, narrow the
// search (keyset sorts, id and name, have no such limit).
inline constexpr std::int64_t kSearchOffsetMax = 10000;

// Parses query parameters (q, bbox, near, legal_form, activity, country, sdg, status,
// sort, limit, cursor, facets). Errors name the parameter as "?name".
Result<SearchQuery> ParseSearchQuery(const std::vector<std::pair<std::string, std::string>>& params);

struct FacetValue {
  std::string value;
  std::int64_t count;
};

struct SearchResult {
  std::vector<Document> items;
  std::int64_t total = 0;
  std::optional<std::string> next_cursor;
  std::map<std::string, std::vector<FacetValue>> facets;  // by filter name
};

// Turns free text into an FTS5 query: each word a quoted term, the last one a prefix.
// Answers "" when there is no word.
std::string FtsQuery(std::string_view text);

}  // namespace solidum::registry
