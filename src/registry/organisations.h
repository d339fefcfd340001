// Organisations in the store: create, read, change with optimistic concurrency, soft
// delete, list with cursor pagination. Thread-safe; every call is one transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "identity/identity.h"
#include "registry/organisation.h"
#include "store/store.h"

namespace solidum::registry {

struct SearchQuery;
struct SearchResult;
struct MapPoints;
struct PortraitRow;
enum class PortraitGroup;
class SearchIndex;
class TermResolver;

// One record of an import, in the API's JSON shape with source and source_id set, and the
// line (or feature number) it came from.
// Writes of at least this many rows refresh the store's planner statistics afterwards
// (Store::RefreshStatistics): PostgreSQL plans the next queries for the data as it now is.
inline constexpr std::size_t kBulkWriteRows = 1000;

struct ImportRow {
  std::size_t line = 0;
  boost::json::value record;
};

struct RowRejection {
  std::size_t line = 0;
  std::string reason;
};

struct ImportSummary {
  std::size_t read = 0, created = 0, updated = 0, unchanged = 0;
  std::vector<RowRejection> rejected;  // by line
  std::vector<RowRejection> warnings;  // values left out of rows that were kept
  std::vector<std::int64_t> ids;       // the organisations of the rows kept (created, updated, unchanged)
};

// An organisation's public JSON, as stored at its last write, with its version (the ETag).
struct Document {
  std::int64_t id = 0;
  std::int64_t version = 0;
  std::string json;
};

class Organisations {
 public:
  Organisations(store::Store& store, identity::Identity& identity, const Clock& clock);
  ~Organisations();

  // Creates the organisation; `creator` (when given) becomes its first admin, in the same
  // transaction. Errors: validation (incl. "/legal_form" or "/country" "unknown_term").
  Result<Organisation> Create(const OrganisationChanges& input, std::optional<std::int64_t> creator);

  // Creates many in one transaction (demo data, imports): all or none. Answers the ids.
  Result<std::vector<std::int64_t>> CreateMany(const std::vector<Organisation>& orgs);

  // Live organisations (not deleted).
  Result<std::int64_t> Count();

  // Errors: kNotFound for unknown or deleted ids.
  Result<Organisation> Get(std::int64_t id);
  // The public JSON, read in one column: the fast path for the API. Same errors as Get.
  Result<Document> GetDocument(std::int64_t id);

  // Applies `changes` when the stored version is `expected_version`.
  // Errors: kNotFound; kPreconditionFailed "version_mismatch" when someone changed it first.
  Result<Organisation> Update(std::int64_t id, std::int64_t expected_version, const OrganisationChanges& changes);

  // Soft delete. Same errors as Update.
  Result<void> Delete(std::int64_t id, std::int64_t expected_version);

  // Creates or updates each row by (source, source_id); a row the same as what is stored
  // changes nothing. Bad rows are reported with their line and reason, the others kept.
  // Commits every 1,000 rows; `progress` hears how many rows are done. Errors only for the
  // store itself failing (rows committed before stay).
  Result<ImportSummary> Import(const std::vector<ImportRow>& rows, const std::function<void(std::size_t)>& progress);

  // Searches the register (text, place, filters, facets); see search.h.
  Result<SearchResult> Search(const SearchQuery& query);
  // Every match with a place, for the map (the query's sort and page are ignored).
  Result<MapPoints> Map(const SearchQuery& query);
  // Matches grouped by `group`, with headcounts.
  Result<std::vector<PortraitRow>> Portrait(const SearchQuery& query, PortraitGroup group);
  // Calls `each` with every live organisation, in id order, a page at a time (one read
  // transaction: a consistent snapshot). Stops at the first error `each` answers.
  Result<void> ForEach(const std::function<Result<void>(const std::vector<Organisation>&)>& each);

  // The vocabularies as imports match them (codes, labels in four languages, aliases).
  Result<TermResolver> Terms();

  // Loads the search catalogue now rather than at the first search.
  Result<void> WarmUp();


 private:
  Result<void> CheckVocabulary(store::Conn& conn, const Organisation& org);
  // The controlled vocabularies, read once: they change only with migrations, which run
  // before serving.
  Result<void> LoadVocabularies(store::Conn& conn);
  // Inserts of one transaction sent together at its end (PostgreSQL: one pipeline), with
  // ids reserved ahead and the full text indexed once for all.
  struct PendingInserts {
    std::vector<std::vector<store::Value>> rows;
    std::vector<std::int64_t> index_later;
    std::vector<std::int64_t> free_ids;  // reserved, not used yet
    std::int64_t sqlite_next = 0;        // SQLite: the next id after those reserved
  };
  // Reserves `n` more ids for `pending` (PostgreSQL: nextval; SQLite: above every id used).
  Result<void> ReserveIds(store::Conn& conn, std::size_t n, PendingInserts& pending);
  // Sends the pending inserts and indexes them.
  Result<void> Flush(store::Conn& conn, PendingInserts& pending);
  // Both stamp the row with `change_seq` (search_store::NextChange, once per transaction).
  // With `pending`, the row is queued (Flush writes it) and no role can be granted.
  Result<std::int64_t> Insert(store::Conn& conn, const Organisation& org, std::optional<std::int64_t> creator,
                              std::int64_t change_seq, PendingInserts* pending = nullptr);
  Result<Organisation> Rewrite(store::Conn& conn, const Organisation& current, const OrganisationChanges& changes,
                               std::int64_t change_seq);

  store::Store& store_;
  identity::Identity& identity_;
  const Clock& clock_;
  std::mutex vocabulary_mu_;
  bool vocabularies_loaded_ = false;  // written once under vocabulary_mu_, then only read
  std::map<std::string, std::set<std::string>, std::less<>> vocabularies_;
  std::unique_ptr<SearchIndex> search_;
  // Documents of search pages as they were at one register change number; any write empties
  // it (writes are rare, searches are not). A search then needs one small read, not the
  // documents, from the store: it matters on PostgreSQL, across the network.
  static constexpr std::size_t kDocCacheBytesMax = 64 * 1024 * 1024;
  std::mutex doc_cache_mu_;
  std::int64_t doc_cache_seq_ = -1;
  std::unordered_map<std::int64_t, Document> doc_cache_;
  std::size_t doc_cache_bytes_ = 0;
};

}  // namespace solidum::registry
