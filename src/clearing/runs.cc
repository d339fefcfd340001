#include "clearing/runs.h"

#include <algorithm>

#include "clearing/packed.h"
#include "clearing/report.h"
#include "common/text.h"

namespace solidum::clearing {

using store::Null;
using store::Value;

namespace {

constexpr std::string_view kRunColumns =
    "id, organisation_id, title, created_by, created_at, obligations, firms, total, nid, cleared, remaining, firms_with_setoff, has_ids, has_due";

RunSummary SummaryOf(const store::Row& r) {
  RunSummary s;
  s.id = r.Int(0);
  s.organisation_id = r.Int(1);
  s.title = r.Text(2);
  s.created_by = r.OptInt(3);
  s.created_at = r.Text(4);
  s.obligations = r.Int(5);
  s.firms = r.Int(6);
  s.total = r.Int(7);
  s.nid = r.Int(8);
  s.cleared = r.Int(9);
  s.remaining = r.Int(10);
  s.firms_with_setoff = r.Int(11);
  s.has_ids = r.Int(12) != 0;
  s.has_due = r.Int(13) != 0;
  return s;
}

Result<void> CheckTitle(std::string_view title) {
  if (!text::IsValidUtf8(title) || text::Trim(title).empty() || text::CodePointCount(title) > kRunTitleCharsMax ||
      text::HasControlChars(title)) {
    return Error::Invalid("/title", "invalid", "Name the run in 1 to " + std::to_string(kRunTitleCharsMax) + " characters.");
  }
  return Ok();
}

// Rows go to the store in slices, so that the parameter sets in memory stay small.
constexpr std::size_t kRowsPerSlice = 20'000;

}  // namespace

Result<RunSummary> Runs::Create(std::int64_t organisation, std::optional<std::int64_t> user, std::string_view title, std::string_view csv) {
  SOLIDUM_TRY(CheckTitle(title));
  SOLIDUM_ASSIGN_OR_RETURN(auto set, ParseObligations(csv));
  if (set.obligations.size() > kRunObligationsMax) {
    return Error{ErrorKind::kInvalidInput, "validation_failed", "The file has too many obligations.",
                 {{"line " + std::to_string(set.obligations[kRunObligationsMax].line), "too_many_obligations",
                   "At most " + std::to_string(kRunObligationsMax) + " obligations in one run here; clear larger files with solidum clear."}}};
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto result, ComputeSetOff(set));

  RunSummary s;
  s.organisation_id = organisation;
  s.title = std::string(text::Trim(title));
  s.created_by = user;
  s.created_at = FormatTimestamp(clock_.NowMicros());
  s.obligations = static_cast<std::int64_t>(set.obligations.size());
  s.firms = static_cast<std::int64_t>(set.firms.size());
  s.total = result.total;
  s.nid = result.nid;
  s.cleared = result.cleared;
  s.remaining = result.remaining;
  s.firms_with_setoff = static_cast<std::int64_t>(FirmsWithSetOff(result));
  s.has_ids = set.has_ids;
  s.has_due = set.has_due;

  // Everything that can be made before the write lock is taken is made here.
  std::vector<std::string> folded(set.firms.size()), pages;
  for (std::size_t f = 0; f < set.firms.size(); ++f) folded[f] = text::Fold(set.firms[f]);
  for (std::size_t begin = 0; begin < set.obligations.size(); begin += kObligationsPerPage) {
    pages.push_back(PackObligations(set, result.left, begin, std::min(set.obligations.size(), begin + kObligationsPerPage)));
  }

  // The run's rows are its own: on PostgreSQL they go in beside the ledger's writer.
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Begin(store::TxKind::kAppend));
  auto write = [&]() -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(
        auto row, conn->QueryOne("INSERT INTO setoff_runs (organisation_id, title, created_by, created_at, obligations, firms, total, nid, "
                                 "cleared, remaining, firms_with_setoff, has_ids, has_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                 {organisation, s.title, store::Opt(user), s.created_at, s.obligations, s.firms, s.total, s.nid, s.cleared,
                                  s.remaining, s.firms_with_setoff, std::int64_t{s.has_ids}, std::int64_t{s.has_due}}));
    s.id = row->Int(0);
    // The firms: 64 rows per statement (Conn::InsertRows), in slices of kRowsPerSlice rows.
    constexpr std::string_view kFirmHead = "INSERT INTO setoff_firms (run_id, idx, name, search_name, owes, owed, set_off)";
    constexpr std::size_t kFirmColumns = 7;
    std::vector<Value> values;
    values.reserve(std::min(set.firms.size(), kRowsPerSlice) * kFirmColumns);
    for (std::size_t f = 0; f < set.firms.size(); ++f) {
      const auto& r = result.firms[f];
      values.insert(values.end(), {Value(s.id), Value(static_cast<std::int64_t>(f)), Value(set.firms[f]), Value(std::move(folded[f])),
                                   Value(r.owes), Value(r.owed), Value(r.set_off)});
      if (values.size() == kRowsPerSlice * kFirmColumns || f + 1 == set.firms.size()) {
        SOLIDUM_TRY(conn->InsertRows(kFirmHead, kFirmColumns, values));
        values.clear();
      }
    }
    // The obligations, packed (clearing/packed.h).
    for (std::size_t page = 0; page < pages.size(); ++page) {
      SOLIDUM_TRY(conn->Exec("INSERT INTO setoff_obligation_pages (run_id, page, data) VALUES (?, ?, ?)",
                             {s.id, static_cast<std::int64_t>(page), store::Blob{std::move(pages[page])}}));
    }
    return Ok();
  };
  if (auto r = write(); !r.ok()) {
    (void)conn->Rollback();
    return r.error();
  }
  SOLIDUM_TRY(conn->Commit());
  return s;
}

Result<RunSummary> Runs::Get(std::int64_t organisation, std::int64_t run) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT " + std::string(kRunColumns) + " FROM setoff_runs WHERE id = ? AND organisation_id = ?",
                                                    {run, organisation}));
  if (!row) return Error::NotFound("No such set-off run.");
  return SummaryOf(*row);
}

Result<std::pair<std::vector<RunSummary>, std::int64_t>> Runs::List(std::int64_t organisation, std::int64_t offset, int limit) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto total, conn->QueryOne("SELECT COUNT(*) FROM setoff_runs WHERE organisation_id = ?", {organisation}));
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kRunColumns) +
                                                      " FROM setoff_runs WHERE organisation_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
                                                  {organisation, static_cast<std::int64_t>(std::clamp(limit, 1, kRunsPageMax)), offset}));
  std::vector<RunSummary> out;
  for (const auto& r : rows) out.push_back(SummaryOf(r));
  return std::make_pair(std::move(out), total->Int(0));
}

Result<std::pair<std::vector<RunFirm>, std::int64_t>> Runs::Firms(std::int64_t organisation, std::int64_t run, const FirmQuery& q) {
  SOLIDUM_TRY(Get(organisation, run));
  std::string where = " FROM setoff_firms WHERE run_id = ?";
  std::vector<Value> params{run};
  if (q.with_setoff_only) where += " AND set_off > 0";
  if (const std::string folded = text::Fold(q.text); !folded.empty()) {
    where += " AND search_name LIKE ? ESCAPE '\\'";
    params.emplace_back(text::LikeContains(folded));
  }
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto total, conn->QueryOne("SELECT COUNT(*)" + where, params));
  params.emplace_back(static_cast<std::int64_t>(std::clamp(q.limit, 1, kFirmsPageMax)));
  params.emplace_back(q.offset);
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT idx, name, owes, owed, set_off" + where + " ORDER BY set_off DESC, idx LIMIT ? OFFSET ?", params));
  std::vector<RunFirm> out;
  for (const auto& r : rows) out.push_back({r.Int(0), r.Text(1), {r.Int(2), r.Int(3), r.Int(4)}});
  return std::make_pair(std::move(out), total->Int(0));
}

Result<std::pair<ObligationSet, SetOff>> Runs::Load(std::int64_t organisation, std::int64_t run) {
  SOLIDUM_ASSIGN_OR_RETURN(auto summary, Get(organisation, run));
  ObligationSet set;
  SetOff result;
  set.has_ids = summary.has_ids;
  set.has_due = summary.has_due;
  result.total = set.total = summary.total;
  result.nid = summary.nid;
  result.cleared = summary.cleared;
  result.remaining = summary.remaining;
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Begin(store::TxKind::kRead));
  auto read = [&]() -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto firms, conn->Query("SELECT name, owes, owed, set_off FROM setoff_firms WHERE run_id = ? ORDER BY idx", {run}));
    for (const auto& r : firms) {
      set.firms.push_back(r.Text(0));
      result.firms.push_back({r.Int(1), r.Int(2), r.Int(3)});
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto pages, conn->Query("SELECT data FROM setoff_obligation_pages WHERE run_id = ? ORDER BY page", {run}));
    for (const auto& p : pages) SOLIDUM_TRY(UnpackObligations(p.Bytes(0), set, result.left));
    if (!pages.empty()) {
      // Each page is checked as it is read; a page missing as a whole shows in the count.
      if (static_cast<std::int64_t>(set.obligations.size()) != summary.obligations) {
        return Error::Internal("A stored set-off run is damaged: it has " + std::to_string(set.obligations.size()) + " of its " +
                               std::to_string(summary.obligations) + " obligations.");
      }
      return Ok();
    }
    // A run stored before the pages (migration 0030): a row per obligation.
    SOLIDUM_ASSIGN_OR_RETURN(auto obligations, conn->Query("SELECT line, debtor, creditor, amount, left_amount, ext_id, due FROM setoff_obligations "
                                                           "WHERE run_id = ? ORDER BY line",
                                                           {run}));
    for (const auto& r : obligations) {
      set.obligations.push_back({static_cast<std::uint32_t>(r.Int(1)), static_cast<std::uint32_t>(r.Int(2)), r.Int(3), static_cast<std::size_t>(r.Int(0))});
      result.left.push_back(r.Int(4));
      if (set.has_ids) set.ids.push_back(r.OptText(5).value_or(""));
      if (set.has_due) set.due.push_back(r.OptText(6).value_or(""));
    }
    return Ok();
  };
  auto r = read();
  (void)conn->Rollback();
  SOLIDUM_TRY(r);
  return std::make_pair(std::move(set), std::move(result));
}

}  // namespace solidum::clearing
