// Loans from a solidarity fund (issue 7), kept in the store, their money on the fund's
// ledger book (docs/architecture.md, "funds and loans on the ledger"):
//
//  products -> applications (submitted -> in_review -> approved | rejected; withdrawn
//  before a decision) with review notes and the committee's decision, taken from a voted
//  agenda item of one of the fund organisation's assemblies -> the loan contract: its
//  schedule (finance::ComputeSchedule) stored, its tranches planned, a ledger account for
//  its principal -> disbursements (pool -> loan, a tranche each) -> repayments, each split
//  by finance::Position (fees, interest, principal; beyond the loan: a deposit to give
//  back; after a write-off: a recovery) and posted as one linked chain -> repaid, or
//  written off (loan -> losses).
//
// Money and rows stay together across crashes:
//  - a disbursement posts first, under the id f<fund>-l<loan>-d<tranche>, then records
//    the tranche as disbursed; a retry posts nothing twice and records it;
//  - a repayment or a write-off records its row first (posted_at null: an outbox), then
//    posts its chain under ids derived from the row, then marks it posted. Start() posts
//    whatever a crash left unposted. The ledger's idempotent ids make posting twice
//    harmless.
// Repayments of one loan are recorded in date order (a repayment dated before the last
// one is refused: reverse and re-enter instead), each bumping the loan's version, so two
// servers cannot split the same money twice. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "finance/funds.h"
#include "finance/schedule.h"
#include "finance/servicing.h"
#include "ledger/ledger.h"
#include "store/store.h"

namespace solidum::finance {

inline constexpr std::size_t kProductNameCharsMax = 200;
inline constexpr std::size_t kPurposeCharsMax = 4000;
inline constexpr std::size_t kNoteCharsMax = 10000;
inline constexpr std::size_t kUrlBytesMax = 2000;
inline constexpr std::size_t kTranchesMax = 24;
inline constexpr std::size_t kRepaymentIdBytesMax = 40;
inline constexpr std::int64_t kJobsMax = 1'000'000;
inline constexpr std::size_t kProductsPerFundMax = 100;
inline constexpr std::size_t kLoansListMax = 10'000;

struct ProductInput {
  std::string name;
  Method method = Method::kEqualInstalments;
  Period period = Period::kMonthly;
  std::int64_t annual_rate_ppm = 0;
  std::int64_t principal_min = 1, principal_max = 0;
  int instalments_max = 0;
  int grace_max = 0;  // periods of grace on principal, at most
  GraceInterest grace_interest_rule = GraceInterest::kDeferred;
};
struct Product : ProductInput {
  std::int64_t id = 0, fund_id = 0;
  std::string created_at;
};

struct ApplicationInput {
  std::int64_t product_id = 0;
  std::int64_t organisation_id = 0;  // the applicant, in the register
  std::int64_t amount = 0;           // minor units
  int instalments = 0;
  int grace_principal = 0, grace_interest = 0;
  std::string purpose;
  std::int64_t jobs_created = 0, jobs_kept = 0;
  std::string business_plan_url;     // optional: where the plan is (an http(s) link)
};

struct Note {
  std::int64_t id = 0;
  std::optional<std::int64_t> author_id;
  std::string author_name, body, created_at;
};

struct Application : ApplicationInput {
  std::int64_t id = 0, fund_id = 0;
  std::string organisation_name, product_name;
  std::string stage;                  // submitted, in_review, approved, rejected, withdrawn, contracted
  std::optional<std::string> decision;  // JSON: {assembly_id, item_id, adopted, yes, no, abstain, rule}
  std::optional<std::int64_t> loan_id;
  std::optional<std::int64_t> created_by;
  std::string created_at, updated_at;
  std::int64_t version = 1;
  std::vector<Note> notes;            // oldest first (GetApplication only)
};

// Files (the business plan, accounts, photos) may be added to or removed from an
// application until the committee decides: submitted or in review.
bool AcceptsFiles(const Application& a);
inline constexpr std::string_view kApplicationFiles = "loan_application";  // attachments' owner kind

struct TrancheInput {
  std::int64_t amount = 0;
  std::chrono::year_month_day planned_on{};
};
struct ContractInput {
  std::chrono::year_month_day start_on{};  // the first instalment falls a period later
  std::vector<TrancheInput> tranches;      // empty: the whole amount on the start day
};

struct Tranche {
  int n = 0;
  std::int64_t amount = 0;
  std::chrono::year_month_day planned_on{};
  std::optional<std::chrono::year_month_day> disbursed_on;
};

struct RepaymentRecord {
  std::string request_id;
  std::int64_t seq = 0;
  std::chrono::year_month_day paid_on{};
  std::int64_t amount = 0, fees = 0, interest = 0, principal = 0, overpaid = 0, recovered = 0;
  std::string created_at;
  bool posted = false;
};

struct Rescheduling {
  std::int64_t n = 0;
  std::chrono::year_month_day on{};
  std::int64_t capitalised_interest = 0, capitalised_fees = 0;
  std::string created_at;
};

struct RescheduleInput {
  std::chrono::year_month_day on{};
  int instalments = 0;                          // of the new schedule
  int grace_principal = 0, grace_interest = 0;
  std::optional<std::int64_t> annual_rate_ppm;  // the loan's own when not given
};

struct Loan {
  std::int64_t id = 0, fund_id = 0, application_id = 0, organisation_id = 0, account_id = 0;
  std::string organisation_name;
  Terms terms;                                 // first_due: the first instalment's
  std::chrono::year_month_day start_on{};
  std::string status;                          // active, repaid, written_off
  std::optional<std::chrono::year_month_day> written_off_on;
  std::string created_at;
  std::int64_t version = 1;
  std::int64_t jobs_created = 0, jobs_kept = 0;
  std::vector<Due> schedule;
  std::vector<Tranche> tranches;
  std::vector<RepaymentRecord> repayments;     // in order
  std::vector<Rescheduling> reschedulings;     // in order
  std::int64_t disbursed = 0;
  LoanPosition position;                       // as of the day asked
};

struct RepaymentInput {
  std::string request_id;  // the caller's: the same again records nothing more
  std::int64_t amount = 0;
  std::chrono::year_month_day paid_on{};
};

struct Repaid {
  RepaymentRecord record;
  bool replayed = false;
};

// A fund's portfolio on a day, and the social side: jobs created and kept by the
// organisations it lends to, by sector (their primary ICA activity) and territory
// (their country).
struct JobsRow {
  std::string key;  // activity or country code; "" when the register has none
  std::int64_t loans = 0, disbursed = 0, jobs_created = 0, jobs_kept = 0;
};
struct PortfolioReport {
  Portfolio figures;
  std::int64_t jobs_created = 0, jobs_kept = 0;
  std::vector<JobsRow> by_sector, by_territory;  // most jobs first
};

class Loans {
 public:
  Loans(store::Store& store, ledger::Ledger& ledger, const Clock& clock);

  // Posts what a crash left unposted (repayments, write-offs) and records disbursements
  // the ledger has but the rows lack. Call once before serving.
  Result<void> Start();

  // Errors: "/name", "/annual_rate_ppm" (over 100 % a year), "/principal_min",
  // "/principal_max", "/instalments_max", "/grace_max" (not shorter than the term);
  // kConflict "name_taken".
  Result<Product> CreateProduct(const Fund& fund, const ProductInput& input);
  Result<std::vector<Product>> Products(const Fund& fund);
  // Every fund's products in one query (the public list of funds), by fund id then name.
  Result<std::vector<Product>> AllProducts();

  // Errors: "/product_id" (not this fund's), "/organisation_id" (not in the register),
  // "/amount" (outside the product's range), "/instalments", "/grace_principal" (longer
  // than the product allows or than the term), "/grace_interest", "/purpose",
  // "/jobs_created", "/jobs_kept", "/business_plan_url".
  Result<Application> Apply(const Fund& fund, const ApplicationInput& input, std::optional<std::int64_t> by);
  Result<std::vector<Application>> Applications(const Fund& fund, const std::string& stage);  // "" for all
  Result<Application> GetApplication(const Fund& fund, std::int64_t id);
  // One of the organisation's own applications (kNotFound when it is not theirs).
  Result<Application> OwnApplication(std::int64_t organisation, std::int64_t id);
  // What an organisation applied for, in every fund, newest first (without the notes).
  Result<std::vector<Application>> OfApplicant(std::int64_t organisation);
  Result<Application> AddNote(const Fund& fund, std::int64_t id, std::optional<std::int64_t> author, const std::string& body);
  // To "in_review" (from submitted) or "withdrawn" (before a decision). Errors: "/stage";
  // kPreconditionFailed "version_mismatch"; kConflict "wrong_stage".
  Result<Application> Move(const Fund& fund, std::int64_t id, std::int64_t expected_version, const std::string& stage);
  // The committee's decision: the agenda item `item_id` of assembly `assembly_id`, held by
  // the fund's organisation, decided by a vote (show of hands or ballot); adopted ->
  // approved, else rejected. Errors: "/item_id" (no such item there), kConflict
  // "not_voted" (undecided, or decided by a note), "wrong_stage"; kPreconditionFailed
  // "version_mismatch".
  Result<Application> Decide(const Fund& fund, std::int64_t id, std::int64_t expected_version, std::int64_t assembly_id, std::int64_t item_id);
  // The agenda items of the fund organisation's assemblies decided by a vote, newest
  // first (at most 200): what Decide may take.
  struct Vote {
    std::int64_t assembly_id = 0, item_id = 0;
    std::string assembly_title, starts_at, title;
    bool adopted = false;
  };
  Result<std::vector<Vote>> Votes(const Fund& fund);

  // An approved application's contract. Errors: "/start_on", "/tranches" (more than
  // kTranchesMax, not summing to the amount), "/tranches/<i>/amount",
  // "/tranches/<i>/planned_on" (before the start or after the first instalment with
  // principal); kConflict "wrong_stage".
  Result<Loan> Contract(const Fund& fund, std::int64_t application_id, const ContractInput& input);
  // With its position at the end of `as_of`.
  Result<Loan> GetLoan(const Fund& fund, std::int64_t id, std::chrono::year_month_day as_of);
  // The newest kLoansListMax loans, without schedules and repayments.
  Result<std::vector<Loan>> List(const Fund& fund, std::chrono::year_month_day as_of);

  // Tranche `n` (1-based) pool -> loan, recorded as disbursed on `on`. Errors:
  // "/tranche"; kConflict "already_disbursed" (on another day; the same day again is a
  // replay), "pool_insufficient", "loan_closed".
  Result<Loan> Disburse(const Fund& fund, std::int64_t id, int tranche, std::chrono::year_month_day on);
  // Errors: "/request_id", "/amount", "/paid_on" (before the start); kConflict
  // "loan_closed" (repaid in full), "out_of_order" (before the last repayment),
  // "not_disbursed" (it would repay principal not yet lent), "id_reused_with_different_content".
  Result<Repaid> Repay(const Fund& fund, std::int64_t id, const RepaymentInput& input);
  // The principal outstanding on `on` -> losses; money received afterwards is a recovery.
  // Errors: "/on"; kConflict "loan_closed", "tranches_pending" (disburse them first),
  // "out_of_order" (before the last repayment); kPreconditionFailed "version_mismatch".
  Result<Loan> WriteOff(const Fund& fund, std::int64_t id, std::int64_t expected_version, std::chrono::year_month_day on);

  // A new schedule from `on` (finance::Reschedule): arrears capitalised, posted to the
  // ledger (income -> loan) through the same outbox as repayments. Errors: "/on",
  // "/instalments", "/grace_principal", "/grace_interest", "/annual_rate_ppm"; kConflict
  // "loan_closed", "tranches_pending", "out_of_order"; kPreconditionFailed
  // "version_mismatch".
  Result<Loan> Reschedule(const Fund& fund, std::int64_t id, std::int64_t expected_version, const RescheduleInput& input);

  Result<PortfolioReport> Report(const Fund& fund, std::chrono::year_month_day as_of);

 private:
  // Loans with their position on `as_of`, newest first: the `newest` ones, or all.
  Result<std::vector<Loan>> Positions(const Fund& fund, std::chrono::year_month_day as_of, std::optional<std::size_t> newest);
  Result<void> PostRepayment(const Fund& fund, std::int64_t loan_id, std::int64_t account, const RepaymentRecord& r);
  Result<void> PostCapitalised(const Fund& fund, std::int64_t loan_id, std::int64_t account, const Rescheduling& r);
  Result<void> PostWriteOff(const Fund& fund, std::int64_t loan_id, std::int64_t account, std::int64_t amount);
  Result<void> PostDisbursement(const Fund& fund, std::int64_t id, int tranche, std::int64_t amount, std::int64_t account, std::chrono::year_month_day on);
  std::string Now() const;

  store::Store& store_;
  ledger::Ledger& ledger_;
  const Clock& clock_;
};

}  // namespace solidum::finance
