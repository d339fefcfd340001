// A network's set-off runs, kept (issue 6): its admins upload the obligations between the
// firms they federate, Solidum computes the set-off (clearing::ComputeSetOff) and stores
// the run (its summary, each firm's set-off as a row, each obligation's amount before and
// after, packed in pages: clearing/packed.h),
// so that the report can be read, searched and downloaded later, and the next run can
// start from what was left.
//
// A run is a record: it is never changed or deleted. Who may run and read is decided by
// the HTTP layer (the organisation's admins); this library parses, computes and stores.
// Thread-safe (each call takes its own connection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clearing/obligations.h"
#include "clearing/setoff.h"
#include "common/clock.h"
#include "common/result.h"
#include "store/store.h"

namespace solidum::clearing {

inline constexpr std::size_t kRunTitleCharsMax = 200;
inline constexpr int kRunsPageMax = 100;
inline constexpr int kFirmsPageMax = 500;
// Obligations in one run uploaded through the API (the CLI takes kObligationsMax): a run
// is held in memory whole while it is computed and stored.
inline constexpr std::size_t kRunObligationsMax = 2'000'000;

struct RunSummary {
  std::int64_t id = 0;
  std::int64_t organisation_id = 0;
  std::string title;
  std::optional<std::int64_t> created_by;  // user id
  std::string created_at;
  std::int64_t obligations = 0, firms = 0;
  std::int64_t total = 0, nid = 0, cleared = 0, remaining = 0;
  std::int64_t firms_with_setoff = 0;
  bool has_ids = false, has_due = false;
};

struct RunFirm {
  std::int64_t index = 0;  // in order of first appearance in the file
  std::string name;
  FirmSetOff set_off;
};

struct FirmQuery {
  std::string text;          // part of the firm's name (case folded); all when empty
  bool with_setoff_only = false;
  std::int64_t offset = 0;
  int limit = 50;            // 1 to kFirmsPageMax
};

class Runs {
 public:
  Runs(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Parses `csv` (the format of clearing/obligations.h), computes the set-off and stores the
  // run, all or nothing. Errors: validation "/title"; the file's first bad line (field
  // "line N", code "invalid_obligations"); more than kRunObligationsMax obligations
  // (field "line N" too); the store's.
  Result<RunSummary> Create(std::int64_t organisation, std::optional<std::int64_t> user, std::string_view title, std::string_view csv);

  // Errors: kNotFound when the run is not the organisation's.
  Result<RunSummary> Get(std::int64_t organisation, std::int64_t run);
  // The organisation's runs, newest first, and how many there are.
  Result<std::pair<std::vector<RunSummary>, std::int64_t>> List(std::int64_t organisation, std::int64_t offset, int limit);
  // A run's firms, the largest set-off first (then in file order), and how many match.
  Result<std::pair<std::vector<RunFirm>, std::int64_t>> Firms(std::int64_t organisation, std::int64_t run, const FirmQuery& query);

  // The run as computed, read back: its obligations (in file order, with ids and due dates
  // when the file had them) and its set-off. For the report files (clearing/report.h).
  Result<std::pair<ObligationSet, SetOff>> Load(std::int64_t organisation, std::int64_t run);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace solidum::clearing
