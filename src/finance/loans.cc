#include "finance/loans.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <tuple>

#include "common/json_write.h"
#include "common/text.h"
#include "finance/records.h"
#include "finance/rounding.h"
#include "governance/assemblies.h"

namespace solidum::finance {

namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;
using store::Conn;
using store::TxKind;

using records::Conflict;
using records::Date;
using records::DateOf;
using records::IsText;
using records::OptDate;
Error Stale(const std::string& what) { return records::Stale(what); }

// ---- products

constexpr std::string_view kProductColumns =
    "id, fund_id, name, method, period, annual_rate_ppm, principal_min, principal_max, instalments_max, grace_max, "
    "grace_interest_rule, created_at";

Product ProductOf(const store::Row& r) {
  Product p;
  p.id = r.Int(0);
  p.fund_id = r.Int(1);
  p.name = r.Text(2);
  p.method = ParseMethod(r.Text(3)).value_or(Method::kEqualInstalments);
  p.period = ParsePeriod(r.Text(4)).value_or(Period::kMonthly);
  p.annual_rate_ppm = r.Int(5);
  p.principal_min = r.Int(6);
  p.principal_max = r.Int(7);
  p.instalments_max = static_cast<int>(r.Int(8));
  p.grace_max = static_cast<int>(r.Int(9));
  p.grace_interest_rule = ParseGraceInterest(r.Text(10)).value_or(GraceInterest::kDeferred);
  p.created_at = r.Text(11);
  return p;
}

Result<Product> LoadProduct(Conn& conn, std::int64_t fund, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kProductColumns) + " FROM loan_products WHERE id = ? AND fund_id = ?", {id, fund}));
  if (!row) return Error::Invalid("/product_id", "unknown_product", "This fund has no product " + std::to_string(id) + ".");
  return ProductOf(*row);
}

// ---- applications

constexpr std::string_view kApplicationColumns =
    "a.id, a.fund_id, a.product_id, a.organisation_id, a.amount, a.instalments, a.grace_principal, a.grace_interest, a.purpose, "
    "a.jobs_created, a.jobs_kept, a.business_plan_url, a.stage, a.decision, a.created_by, a.created_at, a.updated_at, a.version, "
    "o.name, p.name, l.id";
constexpr std::string_view kApplicationFrom =
    " FROM loan_applications a JOIN organisations o ON o.id = a.organisation_id JOIN loan_products p ON p.id = a.product_id "
    "LEFT JOIN loans l ON l.application_id = a.id";

Application ApplicationOf(const store::Row& r) {
  Application a;
  a.id = r.Int(0);
  a.fund_id = r.Int(1);
  a.product_id = r.Int(2);
  a.organisation_id = r.Int(3);
  a.amount = r.Int(4);
  a.instalments = static_cast<int>(r.Int(5));
  a.grace_principal = static_cast<int>(r.Int(6));
  a.grace_interest = static_cast<int>(r.Int(7));
  a.purpose = r.Text(8);
  a.jobs_created = r.Int(9);
  a.jobs_kept = r.Int(10);
  a.business_plan_url = r.OptText(11).value_or("");
  a.stage = r.Text(12);
  a.decision = r.OptText(13);
  a.created_by = r.OptInt(14);
  a.created_at = r.Text(15);
  a.updated_at = r.Text(16);
  a.version = r.Int(17);
  a.organisation_name = r.Text(18);
  a.product_name = r.Text(19);
  a.loan_id = r.OptInt(20);
  return a;
}

Result<Application> LoadApplication(Conn& conn, std::int64_t fund, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kApplicationColumns) + std::string(kApplicationFrom) +
                                                       " WHERE a.id = ? AND a.fund_id = ?",
                                                   {id, fund}));
  if (!row) return Error::NotFound("This fund has no application " + std::to_string(id) + ".");
  Application a = ApplicationOf(*row);
  SOLIDUM_ASSIGN_OR_RETURN(auto notes, conn.Query("SELECT n.id, n.author_id, COALESCE(u.display_name, ''), n.body, n.created_at "
                                                  "FROM loan_application_notes n LEFT JOIN users u ON u.id = n.author_id "
                                                  "WHERE n.application_id = ? ORDER BY n.id",
                                                  {id}));
  for (const auto& n : notes) a.notes.push_back(Note{n.Int(0), n.OptInt(1), n.Text(2), n.Text(3), n.Text(4)});
  return a;
}

// The terms an application's figures give under its product, checked by field.
Result<void> CheckAgainstProduct(const Product& p, const ApplicationInput& in) {
  std::vector<FieldError> errors;
  if (in.amount < p.principal_min || in.amount > p.principal_max) {
    errors.push_back({"/amount", "out_of_range", "This product lends " + std::to_string(p.principal_min) + " to " + std::to_string(p.principal_max) + " minor units."});
  }
  if (in.instalments < 1 || in.instalments > p.instalments_max) {
    errors.push_back({"/instalments", "out_of_range", "This product has 1 to " + std::to_string(p.instalments_max) + " instalments."});
  } else if (in.grace_principal < 0 || in.grace_principal > p.grace_max || in.grace_principal >= in.instalments) {
    errors.push_back({"/grace_principal", "out_of_range",
                      "Grace on principal is 0 to " + std::to_string(std::min(p.grace_max, in.instalments - 1)) + " periods: shorter than the term."});
  } else if (in.grace_interest < 0 || in.grace_interest > in.grace_principal) {
    errors.push_back({"/grace_interest", "out_of_range", "Grace on interest is 0 to the grace on principal."});
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return Ok();
}

Terms TermsOf(const Product& p, const ApplicationInput& in, year_month_day start) {
  Terms t;
  t.principal = in.amount;
  t.annual_rate_ppm = p.annual_rate_ppm;
  t.method = p.method;
  t.period = p.period;
  t.instalments = in.instalments;
  t.grace_principal = in.grace_principal;
  t.grace_interest = in.grace_interest;
  t.grace_interest_rule = p.grace_interest_rule;
  t.first_due = DueDate(start, p.period, 1);
  return t;
}

// ---- loans

constexpr std::string_view kLoanColumns =
    "l.id, l.fund_id, l.application_id, l.organisation_id, l.account_id, l.principal, l.method, l.period, l.annual_rate_ppm, "
    "l.instalments, l.grace_principal, l.grace_interest, l.grace_interest_rule, l.start_on, l.status, l.written_off_on, "
    "l.created_at, l.version, o.name, a.jobs_created, a.jobs_kept";
constexpr std::string_view kLoanFrom =
    " FROM loans l JOIN organisations o ON o.id = l.organisation_id JOIN loan_applications a ON a.id = l.application_id";

Loan LoanOf(const store::Row& r) {
  Loan l;
  l.id = r.Int(0);
  l.fund_id = r.Int(1);
  l.application_id = r.Int(2);
  l.organisation_id = r.Int(3);
  l.account_id = r.Int(4);
  l.terms.principal = r.Int(5);
  l.terms.method = ParseMethod(r.Text(6)).value_or(Method::kEqualInstalments);
  l.terms.period = ParsePeriod(r.Text(7)).value_or(Period::kMonthly);
  l.terms.annual_rate_ppm = r.Int(8);
  l.terms.instalments = static_cast<int>(r.Int(9));
  l.terms.grace_principal = static_cast<int>(r.Int(10));
  l.terms.grace_interest = static_cast<int>(r.Int(11));
  l.terms.grace_interest_rule = ParseGraceInterest(r.Text(12)).value_or(GraceInterest::kDeferred);
  l.start_on = DateOf(r.Text(13));
  l.terms.first_due = DueDate(l.start_on, l.terms.period, 1);
  l.status = r.Text(14);
  l.written_off_on = OptDate(r.OptText(15));
  l.created_at = r.Text(16);
  l.version = r.Int(17);
  l.organisation_name = r.Text(18);
  l.jobs_created = r.Int(19);
  l.jobs_kept = r.Int(20);
  return l;
}

// The loan with its schedule, tranches and repayments (no position yet).
Result<Loan> LoadLoan(Conn& conn, std::int64_t fund, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kLoanColumns) + std::string(kLoanFrom) + " WHERE l.id = ? AND l.fund_id = ?", {id, fund}));
  if (!row) return Error::NotFound("This fund has no loan " + std::to_string(id) + ".");
  Loan l = LoanOf(*row);
  SOLIDUM_ASSIGN_OR_RETURN(auto dues, conn.Query("SELECT due_on, principal, interest, fees FROM loan_instalments WHERE loan_id = ? ORDER BY n", {id}));
  for (const auto& d : dues) l.schedule.push_back(Due{DateOf(d.Text(0)), d.Int(1), d.Int(2), d.Int(3)});
  SOLIDUM_ASSIGN_OR_RETURN(auto tranches, conn.Query("SELECT n, amount, planned_on, disbursed_on FROM loan_tranches WHERE loan_id = ? ORDER BY n", {id}));
  for (const auto& t : tranches) {
    l.tranches.push_back(Tranche{static_cast<int>(t.Int(0)), t.Int(1), DateOf(t.Text(2)), OptDate(t.OptText(3))});
    if (!t.IsNull(3)) l.disbursed += t.Int(1);
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto repaid, conn.Query("SELECT request_id, seq, paid_on, amount, fees, interest, principal, overpaid, recovered, created_at, "
                                                   "posted_at FROM loan_repayments WHERE loan_id = ? ORDER BY seq",
                                                   {id}));
  for (const auto& r : repaid) {
    l.repayments.push_back(RepaymentRecord{r.Text(0), r.Int(1), DateOf(r.Text(2)), r.Int(3), r.Int(4), r.Int(5), r.Int(6), r.Int(7), r.Int(8), r.Text(9), !r.IsNull(10)});
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto rescheduled, conn.Query("SELECT n, on_date, capitalised_interest, capitalised_fees, created_at FROM loan_reschedulings "
                                                        "WHERE loan_id = ? ORDER BY n",
                                                        {id}));
  for (const auto& r : rescheduled) l.reschedulings.push_back(Rescheduling{r.Int(0), DateOf(r.Text(1)), r.Int(2), r.Int(3), r.Text(4)});
  return l;
}

Result<LoanPosition> PositionOf(const Loan& l, year_month_day as_of) {
  std::vector<Repayment> repayments;
  repayments.reserve(l.repayments.size());
  for (const auto& r : l.repayments) repayments.push_back(Repayment{r.paid_on, r.amount});
  return Position(l.schedule, repayments, l.written_off_on, as_of);
}

std::string LoanPrefix(const Fund& fund, std::int64_t loan) { return "f" + std::to_string(fund.id) + "-l" + std::to_string(loan); }

Result<void> CheckOutcomes(const std::vector<ledger::Outcome>& outcomes, const char* what) {
  if (auto failed = ledger::FailedLink(outcomes)) {
    return Error::Internal(std::string("the ledger refused a loan's ") + what + ": " + std::string(ledger::RefusalCode(outcomes[*failed].refusal)));
  }
  return Ok();
}

}  // namespace

Loans::Loans(store::Store& store, ledger::Ledger& ledger, const Clock& clock) : store_(store), ledger_(ledger), clock_(clock) {}

std::string Loans::Now() const { return FormatTimestamp(clock_.NowMicros()); }

Result<void> Loans::Start() {
  store::Rows repayments, writeoffs, tranches, capitalised;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(capitalised, conn->Query("SELECT r.loan_id, l.fund_id, r.n FROM loan_reschedulings r JOIN loans l ON l.id = r.loan_id "
                                                      "WHERE r.capitalised_posted_at IS NULL ORDER BY r.loan_id, r.n"));
    SOLIDUM_ASSIGN_OR_RETURN(repayments, conn->Query("SELECT r.loan_id, l.fund_id, l.account_id, r.request_id FROM loan_repayments r "
                                                     "JOIN loans l ON l.id = r.loan_id WHERE r.posted_at IS NULL ORDER BY r.loan_id, r.seq"));
    SOLIDUM_ASSIGN_OR_RETURN(writeoffs, conn->Query("SELECT id, fund_id FROM loans WHERE status = 'written_off' AND written_off_posted_at IS NULL"));
    SOLIDUM_ASSIGN_OR_RETURN(tranches, conn->Query("SELECT t.loan_id, l.fund_id, t.n, t.amount, l.account_id, t.disbursing_on FROM loan_tranches t "
                                                   "JOIN loans l ON l.id = t.loan_id WHERE t.disbursed_on IS NULL AND t.disbursing_on IS NOT NULL"));
  }
  Funds funds(store_, ledger_);
  auto fund_of = [&](std::int64_t fund_id) { return funds.Find(fund_id); };
  for (const auto& c : capitalised) {
    SOLIDUM_ASSIGN_OR_RETURN(auto fund, fund_of(c.Int(1)));
    SOLIDUM_ASSIGN_OR_RETURN(auto loan, [&] {
      auto conn = store_.Acquire();
      return LoadLoan(*conn, fund.id, c.Int(0));
    }());
    for (const auto& r : loan.reschedulings) {
      if (r.n == c.Int(2)) SOLIDUM_TRY(PostCapitalised(fund, loan.id, loan.account_id, r));
    }
  }
  for (const auto& r : repayments) {
    SOLIDUM_ASSIGN_OR_RETURN(auto fund, fund_of(r.Int(1)));
    SOLIDUM_ASSIGN_OR_RETURN(auto loan, [&] {
      auto conn = store_.Acquire();
      return LoadLoan(*conn, fund.id, r.Int(0));
    }());
    for (const auto& rec : loan.repayments) {
      if (rec.request_id == r.Text(3)) SOLIDUM_TRY(PostRepayment(fund, loan.id, loan.account_id, rec));
    }
  }
  for (const auto& w : writeoffs) {
    SOLIDUM_ASSIGN_OR_RETURN(auto fund, fund_of(w.Int(1)));
    SOLIDUM_ASSIGN_OR_RETURN(auto loan, [&] {
      auto conn = store_.Acquire();
      return LoadLoan(*conn, fund.id, w.Int(0));
    }());
    SOLIDUM_ASSIGN_OR_RETURN(auto position, PositionOf(loan, *loan.written_off_on));
    SOLIDUM_TRY(PostWriteOff(fund, loan.id, loan.account_id, position.written_off));
  }
  // A disbursement a crash interrupted: finished if the ledger took it (posting it again
  // is a replay of the same id), forgotten if not (that request was never answered).
  for (const auto& t : tranches) {
    SOLIDUM_ASSIGN_OR_RETURN(auto fund, fund_of(t.Int(1)));
    const auto tranche = static_cast<int>(t.Int(2));
    SOLIDUM_ASSIGN_OR_RETURN(auto found, ledger_.FindTransfer(LoanPrefix(fund, t.Int(0)) + "-d" + std::to_string(tranche)));
    auto on = ParseDate(t.Text(5));
    if (found && on) {
      auto posted = PostDisbursement(fund, t.Int(0), tranche, t.Int(3), t.Int(4), *on);
      if (posted.ok()) continue;
      if (posted.error().kind != ErrorKind::kConflict) return posted.error();
    }
    auto conn = store_.Acquire();
    SOLIDUM_TRY(conn->Exec("UPDATE loan_tranches SET disbursing_on = NULL WHERE loan_id = ? AND n = ? AND disbursed_on IS NULL", {t.Int(0), t.Int(2)}));
  }
  return Ok();
}

// ---- products

Result<Product> Loans::CreateProduct(const Fund& fund, const ProductInput& in) {
  std::vector<FieldError> errors;
  const std::string name(text::Trim(in.name));
  if (name.empty() || !IsText(name, kProductNameCharsMax, false)) errors.push_back({"/name", "invalid", "A product's name is 1 to 200 characters."});
  if (in.annual_rate_ppm < 0 || in.annual_rate_ppm > kAnnualRatePpmMax) {
    errors.push_back({"/annual_rate_ppm", "out_of_range", "0 to 1,000,000 parts per million (100 %) a year."});
  }
  if (in.principal_min < 1 || in.principal_min > kPrincipalMax) {
    errors.push_back({"/principal_min", "out_of_range", "A positive amount in minor units."});
  } else if (in.principal_max < in.principal_min || in.principal_max > kPrincipalMax) {
    errors.push_back({"/principal_max", "out_of_range", "At least the minimum, at most " + std::to_string(kPrincipalMax) + "."});
  }
  if (in.instalments_max < 1 || in.instalments_max > kInstalmentsMax) {
    errors.push_back({"/instalments_max", "out_of_range", "1 to " + std::to_string(kInstalmentsMax) + " instalments."});
  } else if (in.grace_max < 0 || in.grace_max >= in.instalments_max) {
    errors.push_back({"/grace_max", "longer_than_term", "Grace is 0 to " + std::to_string(in.instalments_max - 1) + " periods: shorter than the longest term."});
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return store::InTransaction<Product>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Product> {
    SOLIDUM_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*) FROM loan_products WHERE fund_id = ?", {fund.id}));
    if (count->Int(0) >= static_cast<std::int64_t>(kProductsPerFundMax)) return Conflict("too_many_products", "A fund has at most 100 products.");
    SOLIDUM_ASSIGN_OR_RETURN(auto taken, conn.QueryOne("SELECT 1 FROM loan_products WHERE fund_id = ? AND name = ?", {fund.id, name}));
    if (taken) return Conflict("name_taken", "This fund has a product of that name.");
    const std::string now = Now();
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO loan_products (fund_id, name, method, period, annual_rate_ppm, principal_min, principal_max, "
                                                     "instalments_max, grace_max, grace_interest_rule, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                                     "RETURNING id",
                                                     {fund.id, name, std::string(Name(in.method)), std::string(Name(in.period)), in.annual_rate_ppm,
                                                      in.principal_min, in.principal_max, std::int64_t{in.instalments_max}, std::int64_t{in.grace_max},
                                                      std::string(Name(in.grace_interest_rule)), now}));
    Product p;
    static_cast<ProductInput&>(p) = in;
    p.name = name;
    p.id = row->Int(0);
    p.fund_id = fund.id;
    p.created_at = now;
    return p;
  });
}

Result<std::vector<Product>> Loans::Products(const Fund& fund) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kProductColumns) + " FROM loan_products WHERE fund_id = ? ORDER BY name, id", {fund.id}));
  std::vector<Product> out;
  for (const auto& r : rows) out.push_back(ProductOf(r));
  return out;
}

Result<std::vector<Product>> Loans::AllProducts() {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kProductColumns) + " FROM loan_products ORDER BY fund_id, name, id"));
  std::vector<Product> out;
  for (const auto& r : rows) out.push_back(ProductOf(r));
  return out;
}

// ---- applications

Result<Application> Loans::Apply(const Fund& fund, const ApplicationInput& in, std::optional<std::int64_t> by) {
  std::vector<FieldError> errors;
  const std::string purpose(text::Trim(in.purpose));
  if (purpose.empty() || !IsText(purpose, kPurposeCharsMax, true)) errors.push_back({"/purpose", "invalid", "What the loan is for: 1 to 4,000 characters."});
  if (in.jobs_created < 0 || in.jobs_created > kJobsMax) errors.push_back({"/jobs_created", "out_of_range", "0 to 1,000,000."});
  if (in.jobs_kept < 0 || in.jobs_kept > kJobsMax) errors.push_back({"/jobs_kept", "out_of_range", "0 to 1,000,000."});
  if (!in.business_plan_url.empty() &&
      (in.business_plan_url.size() > kUrlBytesMax || !IsText(in.business_plan_url, kUrlBytesMax, false) ||
       !(in.business_plan_url.starts_with("https://") || in.business_plan_url.starts_with("http://")))) {
    errors.push_back({"/business_plan_url", "invalid", "A link starting with https:// or http://."});
  }
  return store::InTransaction<Application>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Application> {
    auto product = LoadProduct(conn, fund.id, in.product_id);
    if (!product.ok()) {
      errors.insert(errors.begin(), product.error().fields.begin(), product.error().fields.end());
    } else if (auto terms = CheckAgainstProduct(*product, in); !terms.ok()) {
      errors.insert(errors.end(), terms.error().fields.begin(), terms.error().fields.end());
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto org, conn.QueryOne("SELECT 1 FROM organisations WHERE id = ? AND deleted_at IS NULL", {in.organisation_id}));
    if (!org) errors.push_back({"/organisation_id", "unknown_organisation", "No organisation " + std::to_string(in.organisation_id) + " in the register."});
    if (!errors.empty()) return Error::Invalid(std::move(errors));
    const std::string now = Now();
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO loan_applications (fund_id, product_id, organisation_id, amount, instalments, grace_principal, "
                                                     "grace_interest, purpose, jobs_created, jobs_kept, business_plan_url, stage, created_by, created_at, updated_at) "
                                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?) RETURNING id",
                                                     {fund.id, in.product_id, in.organisation_id, in.amount, std::int64_t{in.instalments},
                                                      std::int64_t{in.grace_principal}, std::int64_t{in.grace_interest}, purpose, in.jobs_created,
                                                      in.jobs_kept, in.business_plan_url.empty() ? store::Value(store::Null{}) : store::Value(in.business_plan_url),
                                                      store::Opt(by), now, now}));
    return LoadApplication(conn, fund.id, row->Int(0));
  });
}

Result<std::vector<Application>> Loans::Applications(const Fund& fund, const std::string& stage) {
  auto conn = store_.Acquire();
  std::string sql = "SELECT " + std::string(kApplicationColumns) + std::string(kApplicationFrom) + " WHERE a.fund_id = ?";
  std::vector<store::Value> params{fund.id};
  if (!stage.empty()) {
    sql += " AND a.stage = ?";
    params.emplace_back(stage);
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query(sql + " ORDER BY a.id DESC LIMIT 1000", params));
  std::vector<Application> out;
  for (const auto& r : rows) out.push_back(ApplicationOf(r));
  return out;
}

Result<std::vector<Application>> Loans::OfApplicant(std::int64_t organisation) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kApplicationColumns) + std::string(kApplicationFrom) +
                                                      " WHERE a.organisation_id = ? ORDER BY a.id DESC LIMIT 1000",
                                                  {organisation}));
  std::vector<Application> out;
  for (const auto& r : rows) out.push_back(ApplicationOf(r));
  return out;
}

bool AcceptsFiles(const Application& a) { return a.stage == "submitted" || a.stage == "in_review"; }

Result<Application> Loans::OwnApplication(std::int64_t organisation, std::int64_t id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT " + std::string(kApplicationColumns) + std::string(kApplicationFrom) +
                                                        " WHERE a.organisation_id = ? AND a.id = ?",
                                                    {organisation, id}));
  if (!row) return Error::NotFound("This organisation has no loan application " + std::to_string(id) + ".");
  return ApplicationOf(*row);
}

Result<Application> Loans::GetApplication(const Fund& fund, std::int64_t id) {
  auto conn = store_.Acquire();
  return LoadApplication(*conn, fund.id, id);
}

Result<Application> Loans::AddNote(const Fund& fund, std::int64_t id, std::optional<std::int64_t> author, const std::string& body) {
  const std::string note(text::Trim(body));
  if (note.empty() || !IsText(note, kNoteCharsMax, true)) return Error::Invalid("/body", "invalid", "A note is 1 to 10,000 characters.");
  return store::InTransaction<Application>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Application> {
    SOLIDUM_TRY(LoadApplication(conn, fund.id, id));
    SOLIDUM_TRY(conn.Exec("INSERT INTO loan_application_notes (application_id, author_id, body, created_at) VALUES (?, ?, ?, ?)", {id, store::Opt(author), note, Now()}));
    return LoadApplication(conn, fund.id, id);
  });
}

namespace {

// Moves an application from one of `from` to `to`, checking its version; `decision` too.
Result<void> Advance(Conn& conn, const Application& a, std::int64_t expected_version, std::initializer_list<std::string_view> from, const std::string& to,
                     const std::optional<std::string>& decision, const std::string& now) {
  if (a.version != expected_version) return Stale("application");
  if (std::find(from.begin(), from.end(), a.stage) == from.end()) {
    return Conflict("wrong_stage", "An application that is " + a.stage + " cannot become " + to + ".");
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto changed, conn.Exec("UPDATE loan_applications SET stage = ?, decision = COALESCE(?, decision), updated_at = ?, version = version + 1 "
                                                   "WHERE id = ? AND version = ?",
                                                   {to, store::Opt(decision), now, a.id, expected_version}));
  if (changed != 1) return Stale("application");
  return Ok();
}

}  // namespace

Result<Application> Loans::Move(const Fund& fund, std::int64_t id, std::int64_t expected_version, const std::string& stage) {
  if (stage != "in_review" && stage != "withdrawn") return Error::Invalid("/stage", "invalid", "in_review or withdrawn (a decision is the committee's).");
  return store::InTransaction<Application>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Application> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadApplication(conn, fund.id, id));
    if (stage == "in_review") {
      SOLIDUM_TRY(Advance(conn, a, expected_version, {"submitted"}, stage, std::nullopt, Now()));
    } else {
      SOLIDUM_TRY(Advance(conn, a, expected_version, {"submitted", "in_review"}, stage, std::nullopt, Now()));
    }
    return LoadApplication(conn, fund.id, id);
  });
}

Result<Application> Loans::Decide(const Fund& fund, std::int64_t id, std::int64_t expected_version, std::int64_t assembly_id, std::int64_t item_id) {
  return store::InTransaction<Application>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Application> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadApplication(conn, fund.id, id));
    SOLIDUM_ASSIGN_OR_RETURN(auto voted, governance::FindVotedItem(conn, fund.organisation_id, assembly_id, item_id));
    boost::json::object d{{"assembly_id", assembly_id}, {"item_id", item_id}, {"title", voted.title}, {"adopted", voted.adopted}};
    for (const char* k : {"kind", "yes", "no", "abstain", "rule", "ballot_id"}) {
      if (const auto* v = voted.decision.if_contains(k)) d[k] = *v;
    }
    SOLIDUM_TRY(Advance(conn, a, expected_version, {"submitted", "in_review"}, voted.adopted ? "approved" : "rejected", json_write::Serialize(d), Now()));
    return LoadApplication(conn, fund.id, id);
  });
}

Result<std::vector<Loans::Vote>> Loans::Votes(const Fund& fund) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto voted, governance::VotedItems(*conn, fund.organisation_id, 200));
  std::vector<Vote> out;
  for (const auto& v : voted) out.push_back(Vote{v.assembly_id, v.item_id, v.assembly_title, v.starts_at, v.title, v.adopted});
  return out;
}

// ---- contracts

Result<Loan> Loans::Contract(const Fund& fund, std::int64_t application_id, const ContractInput& in) {
  if (!in.start_on.ok()) return Error::Invalid("/start_on", "invalid_date", "A date, YYYY-MM-DD.");
  Application app;
  Product product;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(app, LoadApplication(*conn, fund.id, application_id));
    if (app.stage != "approved") return Conflict("wrong_stage", "Only an approved application gets a contract; this one is " + app.stage + ".");
    SOLIDUM_ASSIGN_OR_RETURN(product, LoadProduct(*conn, fund.id, app.product_id));
  }
  const Terms terms = TermsOf(product, app, in.start_on);
  auto computed = ComputeSchedule(terms);
  if (!computed.ok()) {
    auto e = computed.error();
    for (auto& f : e.fields) f.field = f.field == "/first_due" ? "/start_on" : f.field;
    return e;
  }
  // The schedule's dates count from the start, so that month ends stay month ends.
  for (std::size_t i = 0; i < computed->instalments.size(); ++i) computed->instalments[i].due = DueDate(in.start_on, terms.period, static_cast<int>(i) + 1);

  std::vector<TrancheInput> tranches = in.tranches;
  if (tranches.empty()) tranches.push_back({app.amount, in.start_on});
  if (tranches.size() > kTranchesMax) return Error::Invalid("/tranches", "too_many", "At most 24 tranches.");
  // Every tranche is lent before the first instalment that repays principal.
  const year_month_day last_day = DueDate(in.start_on, terms.period, terms.grace_principal + 1);
  std::vector<FieldError> errors;
  Int128 sum = 0;
  for (std::size_t i = 0; i < tranches.size(); ++i) {
    const std::string at = "/tranches/" + std::to_string(i);
    if (tranches[i].amount <= 0 || tranches[i].amount > app.amount) errors.push_back({at + "/amount", "out_of_range", "A positive part of the amount lent."});
    sum += tranches[i].amount;
    if (!tranches[i].planned_on.ok() || sys_days(tranches[i].planned_on) < sys_days(in.start_on) || sys_days(tranches[i].planned_on) >= sys_days(last_day)) {
      errors.push_back({at + "/planned_on", "out_of_range", "From the start to before " + Date(last_day) + ", the first instalment with principal."});
    }
  }
  if (errors.empty() && sum != app.amount) errors.push_back({"/tranches", "wrong_total", "The tranches add up to the amount lent, " + std::to_string(app.amount) + "."});
  if (!errors.empty()) return Error::Invalid(std::move(errors));

  // The loan's principal account: it never goes below zero, so no one repays principal
  // that was not lent. Opened before the rows; a failed contract leaves it empty, unused.
  std::string label = "Loan: " + app.organisation_name;
  if (text::CodePointCount(label) > ledger::kLedgerNameCharsMax) label = "Loan: organisation " + std::to_string(app.organisation_id);
  SOLIDUM_ASSIGN_OR_RETURN(auto account, ledger_.OpenAccount(fund.currency_id, ledger::AccountInput{std::nullopt, label, 0, std::nullopt, true}));

  SOLIDUM_ASSIGN_OR_RETURN(auto loan_id, store::InTransaction<std::int64_t>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<std::int64_t> {
    SOLIDUM_ASSIGN_OR_RETURN(auto fresh, LoadApplication(conn, fund.id, application_id));
    if (fresh.stage != "approved" || fresh.version != app.version) return Conflict("wrong_stage", "The application changed meanwhile: reload it.");
    const std::string now = Now();
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO loans (fund_id, application_id, organisation_id, account_id, principal, method, period, "
                                                     "annual_rate_ppm, instalments, grace_principal, grace_interest, grace_interest_rule, start_on, status, "
                                                     "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?) RETURNING id",
                                                     {fund.id, application_id, app.organisation_id, account.state.id, terms.principal,
                                                      std::string(Name(terms.method)), std::string(Name(terms.period)), terms.annual_rate_ppm,
                                                      std::int64_t{terms.instalments}, std::int64_t{terms.grace_principal}, std::int64_t{terms.grace_interest},
                                                      std::string(Name(terms.grace_interest_rule)), Date(in.start_on), now}));
    const std::int64_t id = row->Int(0);
    std::vector<store::Value> values;
    for (const auto& inst : computed->instalments) {
      values.insert(values.end(), {id, std::int64_t{inst.number}, Date(inst.due), inst.principal, inst.interest, std::int64_t{0}});
    }
    SOLIDUM_TRY(conn.InsertRows("INSERT INTO loan_instalments (loan_id, n, due_on, principal, interest, fees)", 6, values));
    values.clear();
    for (std::size_t i = 0; i < tranches.size(); ++i) {
      values.insert(values.end(), {id, static_cast<std::int64_t>(i + 1), tranches[i].amount, Date(tranches[i].planned_on)});
    }
    SOLIDUM_TRY(conn.InsertRows("INSERT INTO loan_tranches (loan_id, n, amount, planned_on)", 4, values));
    SOLIDUM_TRY(Advance(conn, fresh, fresh.version, {"approved"}, "contracted", std::nullopt, now));
    return id;
  }));
  return GetLoan(fund, loan_id, in.start_on);
}

Result<Loan> Loans::GetLoan(const Fund& fund, std::int64_t id, year_month_day as_of) {
  Loan l;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(l, LoadLoan(*conn, fund.id, id));
  }
  SOLIDUM_ASSIGN_OR_RETURN(l.position, PositionOf(l, as_of));
  return l;
}

Result<std::vector<Loan>> Loans::List(const Fund& fund, year_month_day as_of) { return Positions(fund, as_of, kLoansListMax); }

Result<std::vector<Loan>> Loans::Positions(const Fund& fund, year_month_day as_of, std::optional<std::size_t> newest) {
  // Four queries for the whole fund, not four per loan. With `newest`, the newest loans
  // only, and only their instalments, repayments and tranches (ids from the oldest shown).
  store::Rows loans, dues, paid, lent;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(loans, conn->Query("SELECT " + std::string(kLoanColumns) + std::string(kLoanFrom) + " WHERE l.fund_id = ? ORDER BY l.id DESC" +
                                                    (newest ? " LIMIT " + std::to_string(*newest) : std::string()),
                                                {fund.id}));
    const std::int64_t from = loans.empty() ? 0 : loans.back().Int(0);
    SOLIDUM_ASSIGN_OR_RETURN(dues, conn->Query("SELECT i.loan_id, i.due_on, i.principal, i.interest, i.fees FROM loan_instalments i JOIN loans l ON l.id = i.loan_id "
                                               "WHERE l.fund_id = ? AND l.id >= ? ORDER BY i.loan_id, i.n",
                                               {fund.id, from}));
    SOLIDUM_ASSIGN_OR_RETURN(paid, conn->Query("SELECT r.loan_id, r.paid_on, r.amount FROM loan_repayments r JOIN loans l ON l.id = r.loan_id "
                                               "WHERE l.fund_id = ? AND l.id >= ? ORDER BY r.loan_id, r.seq",
                                               {fund.id, from}));
    SOLIDUM_ASSIGN_OR_RETURN(lent, conn->Query("SELECT t.loan_id, SUM(t.amount) FROM loan_tranches t JOIN loans l ON l.id = t.loan_id "
                                               "WHERE l.fund_id = ? AND l.id >= ? AND t.disbursed_on IS NOT NULL GROUP BY t.loan_id",
                                               {fund.id, from}));
  }
  std::map<std::int64_t, std::vector<Due>> schedules;
  for (const auto& d : dues) schedules[d.Int(0)].push_back(Due{DateOf(d.Text(1)), d.Int(2), d.Int(3), d.Int(4)});
  std::map<std::int64_t, std::vector<Repayment>> repayments;
  for (const auto& r : paid) repayments[r.Int(0)].push_back(Repayment{DateOf(r.Text(1)), r.Int(2)});
  std::map<std::int64_t, std::int64_t> disbursed;
  for (const auto& t : lent) disbursed[t.Int(0)] = t.Int(1);
  std::vector<Loan> out;
  out.reserve(loans.size());
  for (const auto& r : loans) {
    Loan l = LoanOf(r);
    l.disbursed = disbursed[l.id];
    SOLIDUM_ASSIGN_OR_RETURN(l.position, Position(schedules[l.id], repayments[l.id], l.written_off_on, as_of));
    l.position.lines.clear();  // the list shows figures, not instalments
    out.push_back(std::move(l));
  }
  return out;
}

// ---- disbursements

Result<Loan> Loans::Disburse(const Fund& fund, std::int64_t id, int tranche, year_month_day on) {
  if (!on.ok()) return Error::Invalid("/on", "invalid_date", "A date, YYYY-MM-DD.");
  SOLIDUM_TRY(records::NotInFuture(on, clock_.NowMicros(), "/on"));
  Loan l;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(l, LoadLoan(*conn, fund.id, id));
  }
  if (tranche < 1 || tranche > static_cast<int>(l.tranches.size())) {
    return Error::Invalid("/tranche", "unknown_tranche", "This loan has tranches 1 to " + std::to_string(l.tranches.size()) + ".");
  }
  const Tranche& t = l.tranches[static_cast<std::size_t>(tranche - 1)];
  if (t.disbursed_on) {
    if (sys_days(*t.disbursed_on) == sys_days(on)) return GetLoan(fund, id, on);  // a replay
    return Conflict("already_disbursed", "Tranche " + std::to_string(tranche) + " was disbursed on " + Date(*t.disbursed_on) + ".");
  }
  if (l.status != "active") return Conflict("loan_closed", "This loan is " + l.status + ".");
  if (sys_days(on) < sys_days(l.start_on)) return Error::Invalid("/on", "before_start", "Not before the loan's start, " + Date(l.start_on) + ".");
  // The day asked for, first (the outbox): one disbursement of a tranche at a time.
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto claimed, conn->Exec("UPDATE loan_tranches SET disbursing_on = ? WHERE loan_id = ? AND n = ? AND disbursed_on IS NULL "
                                                      "AND (disbursing_on IS NULL OR disbursing_on = ?)",
                                                      {Date(on), id, std::int64_t{tranche}, Date(on)}));
    if (claimed == 0) return Conflict("already_disbursed", "Tranche " + std::to_string(tranche) + " is being disbursed on another day: reload the loan.");
  }
  auto posted = PostDisbursement(fund, id, tranche, t.amount, l.account_id, on);
  if (!posted.ok() && posted.error().kind == ErrorKind::kConflict) {
    // Refused: nothing moved, so the tranche is free again.
    auto conn = store_.Acquire();
    SOLIDUM_TRY(conn->Exec("UPDATE loan_tranches SET disbursing_on = NULL WHERE loan_id = ? AND n = ? AND disbursed_on IS NULL", {id, std::int64_t{tranche}}));
    return posted.error();
  }
  SOLIDUM_TRY(posted);  // the store or ledger failed: the outbox stays for Start()
  return GetLoan(fund, id, on);
}

// Posts tranche `tranche` paid on `on` and marks it disbursed. kConflict: the ledger
// refused it (nothing moved); any other error: the store or the ledger failed.
Result<void> Loans::PostDisbursement(const Fund& fund, std::int64_t id, int tranche, std::int64_t amount, std::int64_t account, year_month_day on) {
  ledger::TransferRequest r;
  r.id = LoanPrefix(fund, id) + "-d" + std::to_string(tranche);
  r.debit_account = fund.pool_account;
  r.credit_account = account;
  r.amount = amount;
  r.memo = "Loan " + std::to_string(id) + ", tranche " + std::to_string(tranche) + " disbursed on " + Date(on);
  SOLIDUM_ASSIGN_OR_RETURN(auto outcomes, ledger_.Transfer({r}));
  const auto& o = outcomes.at(0);
  if (o.refusal == ledger::Refusal::kExceedsCreditLimit) return Conflict("pool_insufficient", "The fund's pool holds less than this tranche.");
  if (o.refusal == ledger::Refusal::kIdReusedWithDifferentContent) {
    return Conflict("already_disbursed", "Tranche " + std::to_string(tranche) + " was disbursed on another day: reload the loan.");
  }
  if (o.refusal != ledger::Refusal::kNone) return Error::Internal("the ledger refused a disbursement: " + std::string(ledger::RefusalCode(o.refusal)));
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec("UPDATE loan_tranches SET disbursed_on = ?, disbursing_on = NULL WHERE loan_id = ? AND n = ? AND disbursed_on IS NULL",
                         {Date(on), id, std::int64_t{tranche}}));
  SOLIDUM_TRY(conn->Exec("UPDATE loans SET version = version + 1 WHERE id = ?", {id}));
  return Ok();
}

// ---- repayments

Result<void> Loans::PostRepayment(const Fund& fund, std::int64_t loan_id, std::int64_t account, const RepaymentRecord& rec) {
  const std::string base = LoanPrefix(fund, loan_id) + "-r-" + rec.request_id;
  const std::string memo = "Loan " + std::to_string(loan_id) + ", repayment of " + Date(rec.paid_on);
  std::vector<ledger::TransferRequest> chain;
  auto add = [&](const char* part, std::int64_t debit, std::int64_t amount, const char* what) {
    if (amount <= 0) return;
    ledger::TransferRequest t;
    t.id = base + "-" + part;
    t.debit_account = debit;
    t.credit_account = fund.pool_account;
    t.amount = amount;
    t.flags = ledger::kLinked;
    t.memo = memo + ": " + what;
    chain.push_back(std::move(t));
  };
  add("f", fund.fees_account, rec.fees, "fees");
  add("i", fund.interest_account, rec.interest, "interest");
  add("p", account, rec.principal, "principal");
  add("o", fund.deposits_account, rec.overpaid, "overpaid, to give back");
  add("r", fund.losses_account, rec.recovered, "recovered after the write-off");
  if (!chain.empty()) {
    chain.back().flags = 0;  // the chain ends here
    SOLIDUM_ASSIGN_OR_RETURN(auto outcomes, ledger_.Transfer(std::move(chain)));
    SOLIDUM_TRY(CheckOutcomes(outcomes, "repayment"));
  }
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec("UPDATE loan_repayments SET posted_at = ? WHERE loan_id = ? AND request_id = ? AND posted_at IS NULL", {Now(), loan_id, rec.request_id}));
  return Ok();
}

Result<Repaid> Loans::Repay(const Fund& fund, std::int64_t id, const RepaymentInput& in) {
  std::vector<FieldError> errors;
  if (in.request_id.empty() || in.request_id.size() > kRepaymentIdBytesMax || !text::IsValidUtf8(in.request_id) || text::HasControlChars(in.request_id)) {
    errors.push_back({"/request_id", "invalid", "Your id for this repayment: 1 to 40 bytes."});
  }
  if (in.amount <= 0 || in.amount > kPrincipalMax) errors.push_back({"/amount", "out_of_range", "A positive amount in minor units."});
  if (!in.paid_on.ok()) errors.push_back({"/paid_on", "invalid_date", "A date, YYYY-MM-DD."});
  else if (auto future = records::NotInFuture(in.paid_on, clock_.NowMicros(), "/paid_on"); !future.ok()) errors.push_back(future.error().fields.at(0));
  if (!errors.empty()) return Error::Invalid(std::move(errors));

  // Recorded in one transaction that bumps the loan's version: the split depends on every
  // repayment before it, so two at once on one loan must not both be computed from the same.
  using Recorded = std::pair<Loan, Repaid>;
  SOLIDUM_ASSIGN_OR_RETURN(auto done, store::InTransaction<Recorded>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Recorded> {
    SOLIDUM_ASSIGN_OR_RETURN(auto l, LoadLoan(conn, fund.id, id));
    for (const auto& r : l.repayments) {
      if (r.request_id != in.request_id) continue;
      if (r.amount != in.amount || sys_days(r.paid_on) != sys_days(in.paid_on)) {
        return Conflict("id_reused_with_different_content", "A repayment with this id was recorded with another amount or date.");
      }
      return std::pair{std::move(l), Repaid{r, true}};
    }
    if (l.status == "repaid") return Conflict("loan_closed", "This loan is repaid in full: nothing more is owed.");
    if (sys_days(in.paid_on) < sys_days(l.start_on)) {
      return Error::Invalid("/paid_on", "before_start", "Not before the loan's start, " + Date(l.start_on) + ".");
    }
    if (!l.repayments.empty() && sys_days(in.paid_on) < sys_days(l.repayments.back().paid_on)) {
      return Conflict("out_of_order", "The last repayment recorded is of " + Date(l.repayments.back().paid_on) + ": enter repayments in date order.");
    }
    if (l.written_off_on && sys_days(in.paid_on) < sys_days(*l.written_off_on)) {
      return Conflict("out_of_order", "The loan was written off on " + Date(*l.written_off_on) + ": later money is a recovery.");
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto before, PositionOf(l, in.paid_on));
    RepaymentRecord rec;
    rec.request_id = in.request_id;
    rec.seq = static_cast<std::int64_t>(l.repayments.size()) + 1;
    rec.paid_on = in.paid_on;
    rec.amount = in.amount;
    l.repayments.push_back(rec);
    SOLIDUM_ASSIGN_OR_RETURN(auto after, PositionOf(l, in.paid_on));
    rec.fees = after.fees_repaid - before.fees_repaid;
    rec.interest = after.interest_repaid - before.interest_repaid;
    rec.principal = after.principal_repaid - before.principal_repaid;
    rec.overpaid = after.overpaid - before.overpaid;
    rec.recovered = after.recovered - before.recovered;
    std::int64_t lent = l.disbursed;  // and interest or fees capitalised since: principal too
    for (const auto& r : l.reschedulings) lent += r.capitalised_interest + r.capitalised_fees;
    if (after.principal_repaid > lent) {
      return Conflict("not_disbursed", "This would repay principal not yet disbursed: disburse the tranches first, or pay less.");
    }
    rec.created_at = Now();
    SOLIDUM_TRY(conn.Exec("INSERT INTO loan_repayments (loan_id, request_id, seq, paid_on, amount, fees, interest, principal, overpaid, recovered, created_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          {id, rec.request_id, rec.seq, Date(rec.paid_on), rec.amount, rec.fees, rec.interest, rec.principal, rec.overpaid, rec.recovered,
                           rec.created_at}));
    const std::string status = after.repaid && !l.written_off_on ? "repaid" : l.status;
    SOLIDUM_ASSIGN_OR_RETURN(auto changed, conn.Exec("UPDATE loans SET version = version + 1, status = ? WHERE id = ? AND version = ?", {status, id, l.version}));
    if (changed != 1) return Error::Make(ErrorKind::kUnavailable, "store_busy", "The loan changed meanwhile: send the repayment again.");
    l.repayments.back() = rec;
    return std::pair{std::move(l), Repaid{rec, false}};
  }));
  // Posting after the commit; a replay whose posting a crash interrupted finishes it
  // (nothing moves twice: the ids are the row's).
  if (!done.second.record.posted) SOLIDUM_TRY(PostRepayment(fund, id, done.first.account_id, done.second.record));
  done.second.record.posted = true;
  return done.second;
}

// ---- write-off

Result<void> Loans::PostWriteOff(const Fund& fund, std::int64_t loan_id, std::int64_t account, std::int64_t amount) {
  if (amount > 0) {
    ledger::TransferRequest t;
    t.id = LoanPrefix(fund, loan_id) + "-w";
    t.debit_account = account;
    t.credit_account = fund.losses_account;
    t.amount = amount;
    t.memo = "Loan " + std::to_string(loan_id) + " written off";
    SOLIDUM_ASSIGN_OR_RETURN(auto outcomes, ledger_.Transfer({t}));
    SOLIDUM_TRY(CheckOutcomes(outcomes, "write-off"));
  }
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec("UPDATE loans SET written_off_posted_at = ? WHERE id = ? AND written_off_posted_at IS NULL", {Now(), loan_id}));
  return Ok();
}

Result<Loan> Loans::WriteOff(const Fund& fund, std::int64_t id, std::int64_t expected_version, year_month_day on) {
  if (!on.ok()) return Error::Invalid("/on", "invalid_date", "A date, YYYY-MM-DD.");
  SOLIDUM_TRY(records::NotInFuture(on, clock_.NowMicros(), "/on"));
  using Written = std::pair<Loan, std::int64_t>;  // the loan, the principal written off
  SOLIDUM_ASSIGN_OR_RETURN(auto written, store::InTransaction<Written>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Written> {
    SOLIDUM_ASSIGN_OR_RETURN(auto l, LoadLoan(conn, fund.id, id));
    if (l.version != expected_version) return Stale("loan");
    if (l.status != "active") return Conflict("loan_closed", "This loan is " + l.status + ".");
    for (const auto& t : l.tranches) {
      if (!t.disbursed_on) return Conflict("tranches_pending", "Tranche " + std::to_string(t.n) + " is not disbursed: a write-off covers money lent.");
    }
    if (sys_days(on) < sys_days(l.start_on) || (!l.repayments.empty() && sys_days(on) < sys_days(l.repayments.back().paid_on))) {
      return Conflict("out_of_order", "A write-off comes after the start and the last repayment.");
    }
    l.written_off_on = on;
    SOLIDUM_ASSIGN_OR_RETURN(auto p, PositionOf(l, on));
    SOLIDUM_ASSIGN_OR_RETURN(auto changed, conn.Exec("UPDATE loans SET status = 'written_off', written_off_on = ?, version = version + 1 WHERE id = ? AND version = ?",
                                                     {Date(on), id, expected_version}));
    if (changed != 1) return Stale("loan");
    return std::pair{std::move(l), p.written_off};
  }));
  SOLIDUM_TRY(PostWriteOff(fund, id, written.first.account_id, written.second));
  return GetLoan(fund, id, on);
}

// ---- rescheduling

Result<void> Loans::PostCapitalised(const Fund& fund, std::int64_t loan_id, std::int64_t account, const Rescheduling& r) {
  const std::string base = LoanPrefix(fund, loan_id) + "-s" + std::to_string(r.n);
  const std::string memo = "Loan " + std::to_string(loan_id) + " rescheduled on " + Date(r.on) + ": ";
  std::vector<ledger::TransferRequest> chain;
  for (auto [part, from, amount, what] : {std::tuple{"i", fund.interest_account, r.capitalised_interest, "interest capitalised"},
                                          std::tuple{"f", fund.fees_account, r.capitalised_fees, "fees capitalised"}}) {
    if (amount <= 0) continue;
    ledger::TransferRequest t;
    t.id = base + "-" + part;
    t.debit_account = from;  // earned (below zero) ...
    t.credit_account = account;  // ... and owed as principal
    t.amount = amount;
    t.flags = ledger::kLinked;
    t.memo = memo + what;
    chain.push_back(std::move(t));
  }
  if (!chain.empty()) {
    chain.back().flags = 0;
    SOLIDUM_ASSIGN_OR_RETURN(auto outcomes, ledger_.Transfer(std::move(chain)));
    SOLIDUM_TRY(CheckOutcomes(outcomes, "rescheduling"));
  }
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec("UPDATE loan_reschedulings SET capitalised_posted_at = ? WHERE loan_id = ? AND n = ? AND capitalised_posted_at IS NULL",
                         {Now(), loan_id, r.n}));
  return Ok();
}

Result<Loan> Loans::Reschedule(const Fund& fund, std::int64_t id, std::int64_t expected_version, const RescheduleInput& in) {
  if (!in.on.ok()) return Error::Invalid("/on", "invalid_date", "A date, YYYY-MM-DD.");
  SOLIDUM_TRY(records::NotInFuture(in.on, clock_.NowMicros(), "/on"));
  using Done = std::pair<Loan, Rescheduling>;
  SOLIDUM_ASSIGN_OR_RETURN(auto done, store::InTransaction<Done>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Done> {
    SOLIDUM_ASSIGN_OR_RETURN(auto l, LoadLoan(conn, fund.id, id));
    if (l.version != expected_version) return Stale("loan");
    if (l.status != "active") return Conflict("loan_closed", "This loan is " + l.status + ".");
    for (const auto& t : l.tranches) {
      if (!t.disbursed_on) return Conflict("tranches_pending", "Tranche " + std::to_string(t.n) + " is not disbursed: reschedule what was lent.");
    }
    if (sys_days(in.on) < sys_days(l.start_on) || (!l.repayments.empty() && sys_days(in.on) < sys_days(l.repayments.back().paid_on))) {
      return Conflict("out_of_order", "A rescheduling comes after the start and the last repayment.");
    }
    Terms terms = l.terms;
    terms.instalments = in.instalments;
    terms.grace_principal = in.grace_principal;
    terms.grace_interest = in.grace_interest;
    if (in.annual_rate_ppm) terms.annual_rate_ppm = *in.annual_rate_ppm;
    std::vector<Repayment> repayments;
    for (const auto& r : l.repayments) repayments.push_back(Repayment{r.paid_on, r.amount});
    SOLIDUM_ASSIGN_OR_RETURN(auto next, finance::Reschedule(l.schedule, repayments, in.on, terms));
    // What it replaced, for the record.
    boost::json::array old;
    for (const auto& d : l.schedule) old.push_back({{"due", Date(d.due)}, {"principal", d.principal}, {"interest", d.interest}, {"fees", d.fees}});
    const boost::json::object previous{{"annual_rate_ppm", l.terms.annual_rate_ppm}, {"instalments", l.terms.instalments},
                                       {"grace_principal", l.terms.grace_principal}, {"grace_interest", l.terms.grace_interest}, {"schedule", std::move(old)}};
    Rescheduling r{static_cast<std::int64_t>(l.reschedulings.size()) + 1, in.on, next.capitalised_interest, next.capitalised_fees, Now()};
    SOLIDUM_TRY(conn.Exec("INSERT INTO loan_reschedulings (loan_id, n, on_date, previous, capitalised_interest, capitalised_fees, created_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?)",
                          {id, r.n, Date(in.on), json_write::Serialize(previous), r.capitalised_interest, r.capitalised_fees, r.created_at}));
    SOLIDUM_TRY(conn.Exec("DELETE FROM loan_instalments WHERE loan_id = ?", {id}));
    std::vector<store::Value> values;
    for (std::size_t i = 0; i < next.schedule.size(); ++i) {
      const Due& d = next.schedule[i];
      values.insert(values.end(), {id, static_cast<std::int64_t>(i + 1), Date(d.due), d.principal, d.interest, d.fees});
    }
    SOLIDUM_TRY(conn.InsertRows("INSERT INTO loan_instalments (loan_id, n, due_on, principal, interest, fees)", 6, values));
    SOLIDUM_ASSIGN_OR_RETURN(auto changed, conn.Exec("UPDATE loans SET annual_rate_ppm = ?, instalments = ?, grace_principal = ?, grace_interest = ?, "
                                                     "version = version + 1 WHERE id = ? AND version = ?",
                                                     {terms.annual_rate_ppm, std::int64_t{terms.instalments}, std::int64_t{terms.grace_principal},
                                                      std::int64_t{terms.grace_interest}, id, expected_version}));
    if (changed != 1) return Stale("loan");
    return Done{std::move(l), r};
  }));
  SOLIDUM_TRY(PostCapitalised(fund, id, done.first.account_id, done.second));
  return GetLoan(fund, id, in.on);
}

// ---- portfolio

Result<PortfolioReport> Loans::Report(const Fund& fund, year_month_day as_of) {
  SOLIDUM_ASSIGN_OR_RETURN(auto loans, Positions(fund, as_of, std::nullopt));  // every loan: the figures are the whole portfolio's
  store::Rows orgs;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(orgs, conn->Query("SELECT DISTINCT o.id, COALESCE(o.primary_activity, ''), COALESCE(o.country, '') FROM organisations o "
                                               "JOIN loans l ON l.organisation_id = o.id WHERE l.fund_id = ?",
                                               {fund.id}));
  }
  std::map<std::int64_t, std::pair<std::string, std::string>> where;
  for (const auto& o : orgs) where[o.Int(0)] = {o.Text(1), o.Text(2)};
  PortfolioReport report;
  std::map<std::string, JobsRow> sectors, territories;
  for (const auto& l : loans) {
    report.figures.Add(l.disbursed, l.position);
    report.jobs_created += l.jobs_created;
    report.jobs_kept += l.jobs_kept;
    const auto& [sector, country] = where[l.organisation_id];
    for (auto [rows, key] : {std::pair{&sectors, sector}, std::pair{&territories, country}}) {
      JobsRow& row = (*rows)[key];
      row.key = key;
      ++row.loans;
      row.disbursed += l.disbursed;
      row.jobs_created += l.jobs_created;
      row.jobs_kept += l.jobs_kept;
    }
  }
  report.figures.Finish();
  auto sorted = [](const std::map<std::string, JobsRow>& rows) {
    std::vector<JobsRow> out;
    for (const auto& [k, v] : rows) out.push_back(v);
    std::stable_sort(out.begin(), out.end(), [](const JobsRow& a, const JobsRow& b) { return a.jobs_created + a.jobs_kept > b.jobs_created + b.jobs_kept; });
    return out;
  };
  report.by_sector = sorted(sectors);
  report.by_territory = sorted(territories);
  return report;
}

}  // namespace solidum::finance
