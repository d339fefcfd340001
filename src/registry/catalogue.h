// The catalogue: a compact in-memory copy of what search, the map and portraits filter,
// sort and count on (place, legal form, country, status, region, activities, SDGs,
// networks, name, headcounts), one entry per live organisation. A pure engine: no store,
// no clock. Organisations keeps one in step with the store (see SearchIndex in
// search_index.h); this file only answers questions over the entries it holds.
//
// Why in memory: the search target is thousands of requests per second with facets over
// 100,000 organisations. Each facet counts the matches of every filter but its own, so SQL
// evaluated the match set six times per request (76 ms for one text+box+filter count at
// 100,000 rows). One pass over packed arrays here takes well under a millisecond; the store
// keeps what only it does well: full text (FTS5), documents, durability.
//
// Not thread-safe: SearchIndex guards it (readers shared, refresh exclusive).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/dictionary.h"
#include "registry/search.h"

namespace solidum::registry {

// What the catalogue holds of one organisation.
struct CatalogueEntry {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> legal_form, country, status, region, network_scope;
  std::optional<double> latitude, longitude;
  std::vector<std::string> activities;
  std::vector<std::int64_t> sdgs;
  // The networks it is a current member of, directly or through a member network (a
  // member of a regional network that is a member of a national one is in both).
  std::vector<std::int64_t> networks;
  std::optional<std::int64_t> members, workers, volunteers, founded_year;
};

// What a scan tests first of each organisation, packed in 32 bytes (two per cache line):
// its place (NaN without one) and its legal form, country, status and network scope as
// indexes into the catalogue's dictionaries. Internal to the catalogue; TextMatches keeps copies.
struct CatalogueSlot {
  double lat, lon;
  std::uint32_t code[4];
};

// Where an organisation's list values (activities, then SDGs, then networks) sit in a pool
// of dictionary indexes. Internal to the catalogue; TextMatches keeps copies.
struct CatalogueTags {
  std::uint32_t begin = 0;
  std::uint16_t count[3] = {0, 0, 0};
  std::uint32_t size() const { return std::uint32_t{count[0]} + count[1] + count[2]; }
};

// The organisations whose text matches a query, with their full-text rank (lower is better,
// as FTS5's bm25), sorted by id.
struct TextMatches {
  std::vector<std::int64_t> ids;
  std::vector<double> ranks;
  // The catalogue's rows of `ids` (Catalogue::Resolve), valid while the catalogue's
  // generation is `resolved_for`; Search resolves on the fly otherwise.
  // Their slots are copied next to each other too: a scan of the matches then reads memory in
  // order instead of missing the cache at every match (the copy tripled search throughput).
  std::vector<std::uint32_t> rows;
  std::vector<CatalogueSlot> slots;
  std::vector<CatalogueTags> tags;
  std::vector<std::uint32_t> tag_pool;
  std::uint64_t resolved_for = 0;
};

// A page of search results: ids in order; the caller fetches their documents.
struct CataloguePage {
  std::vector<std::int64_t> ids;
  std::int64_t total = 0;
  std::optional<std::string> next_cursor;
  std::map<std::string, std::vector<FacetValue>> facets;
};

// The map's points: every match with a place, as parallel arrays; legal forms as indexes
// into `legal_forms` (-1 for none).
struct MapPoints {
  std::vector<std::int64_t> ids;
  std::vector<double> latitudes, longitudes;
  std::vector<int> legal_form_index;
  std::vector<std::string> legal_forms;
};

enum class PortraitGroup { kCountry, kRegion, kLegalForm, kActivity, kNetwork, kYear };

// One row of a portrait: organisations in the group, and the sums of their headcounts with
// how many organisations reported each (a sum over 40 of 100 is not a census).
struct PortraitRow {
  std::string group;  // "" for organisations without a value
  std::int64_t organisations = 0;
  std::int64_t members = 0, workers = 0, volunteers = 0;
  std::int64_t members_reported = 0, workers_reported = 0, volunteers_reported = 0;
};

class Catalogue {
 public:
  // Adds or replaces the entry with this id.
  void Upsert(const CatalogueEntry& entry);
  // Removes it (no-op when absent).
  void Remove(std::int64_t id);
  std::size_t size() const { return id_.size(); }
  // Changes at every Upsert and Remove; never the same in two catalogues.
  std::uint64_t generation() const { return generation_; }
  // Fills text.rows for this generation, so that cached matches are not resolved again.
  void Resolve(TextMatches& text) const;

  // One pass over the matches of `query` (place, filters and, when `text` is given, only
  // the organisations in it): total, facets (each counting all filters but its own) and the
  // page that `query`'s sort and cursor ask for. `text` must be sorted by id.
  CataloguePage Search(const SearchQuery& query, const TextMatches* text) const;

  // All matches with a place (the query's sort and page are ignored).
  MapPoints Map(const SearchQuery& query, const TextMatches* text) const;

  // Matches grouped: largest group first, then by name (years in order); organisations
  // without a value in the group "", last. An organisation with several activities or
  // networks counts in each.
  std::vector<PortraitRow> Portrait(const SearchQuery& query, const TextMatches* text, PortraitGroup group) const;

 private:
  // Values of one dimension are interned (common/dictionary.h): rows hold small indexes (kNone for no value).
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;
  // Values kept per list (activities, SDGs, networks) of one organisation; the record's own
  // limits are far below.
  static constexpr std::size_t kListValuesMax = 4096;
  enum Dim { kLegalForm, kCountry, kStatus, kNetworkScope, kActivity, kSdg, kNetwork, kRegion, kDims };
  static constexpr int kFacetDims = 7;  // the first seven are filters with facets

  // Calls visit(candidate, failed_filter_bits) for every row that passes text and place,
  // where the bits say which facet filters (Dim) it fails.
  template <typename Visit>
  void Scan(const SearchQuery& query, const TextMatches* text, Visit&& visit) const;
  std::size_t RowOf(std::int64_t id) const;  // size() when absent
  void Write(std::size_t row, const CatalogueEntry& e);
  void CompactTags();

  Dictionary dims_[kDims];
  // One slot per organisation, sorted by id (parallel arrays: scans touch only what they test).
  std::vector<std::int64_t> id_;
  std::vector<CatalogueSlot> slot_;
  std::vector<std::uint32_t> region_;  // portraits only
  std::vector<CatalogueTags> span_;
  std::vector<std::uint32_t> tags_;  // append-only between compactions
  std::size_t tags_garbage_ = 0;     // values no row points at any more
  std::vector<std::string> name_;
  std::vector<std::int64_t> members_, workers_, volunteers_, founded_;  // -1 when unknown
  std::uint64_t generation_ = 0;  // 0 until the first change: no matches resolved yet
};

}  // namespace solidum::registry
