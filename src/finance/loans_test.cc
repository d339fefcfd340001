// Loans on both stores, from product to repayment: applications checked against their
// product and decided by the committee's voted agenda item; a contract's schedule stored;
// tranches lent from the pool (never more than it holds); repayments split fees, interest,
// principal and posted once per id in date order, closing the loan when it is repaid; a
// write-off and a recovery; what a crash left unposted posted at start; the portfolio
// with jobs by sector and territory. The ledger's balances are checked at every step.
#include "finance/loans.h"
#include "finance/group_loans.h"

#include <gtest/gtest.h>

#include "../../tests/support/test_store.h"

namespace solidum::finance {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

year_month_day D(int y, unsigned m, unsigned d) { return year_month_day{year{y}, month{m}, day{d}}; }

std::string Field(const Error& e) { return e.fields.empty() ? e.code : e.fields.at(0).field; }

class LoansTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "loans"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto conn = store_->Acquire();
    // The fund's network, a backer, and three borrowers in two sectors and two countries.
    const std::vector<std::tuple<const char*, const char*, const char*>> orgs{
        {"Réseau solidaire", "FR", "ICA10"}, {"Fondation", "FR", "ICA10"}, {"Coop Boulangerie", "FR", "ICA30"},
        {"Cooperativa Textil", "ES", "ICA20"}, {"Coop Vélo", "FR", "ICA30"}};
    for (const auto& [name, country, activity] : orgs) {
      auto org = conn->QueryOne("INSERT INTO organisations (name, country, primary_activity, created_at, updated_at) VALUES (?, ?, ?, 'x', 'x') RETURNING id",
                                {std::string(name), std::string(country), std::string(activity)});
      ASSERT_TRUE(org.ok()) << org.error().message;
      orgs_.push_back((*org)->Int(0));
    }
    ledger_ = std::make_unique<ledger::Ledger>(*store_, clock_);
    ASSERT_TRUE(ledger_->Start().ok());
    funds_ = std::make_unique<Funds>(*store_, *ledger_);
    loans_ = std::make_unique<Loans>(*store_, *ledger_, clock_);
    auto fund = funds_->Create(orgs_[0], {"Fonds solidaire", "FS-1", "EUR", 2});
    ASSERT_TRUE(fund.ok()) << fund.error().message;
    fund_ = *fund;
    ASSERT_TRUE(funds_->Contribute(fund_, {"dotation", orgs_[1], 10'000'000, ""}).ok());  // 100,000.00
    ProductInput p;
    p.name = "Prêt d'amorçage";
    p.annual_rate_ppm = 120'000;  // 12 % a year: 1 % a month, the textbook annuity
    p.principal_min = 100'000;
    p.principal_max = 5'000'000;
    p.instalments_max = 60;
    p.grace_max = 12;
    auto product = loans_->CreateProduct(fund_, p);
    ASSERT_TRUE(product.ok()) << product.error().message;
    product_ = *product;
  }

  std::int64_t Balance(std::int64_t account) {
    auto a = ledger_->ReadAccount(account);
    EXPECT_TRUE(a.ok() && a->has_value());
    return a.ok() && *a ? (*a)->balance : -1;
  }
  std::int64_t Count(const std::string& table) {
    auto conn = store_->Acquire();
    auto r = conn->QueryOne("SELECT COUNT(*) FROM " + table, {});
    return r.ok() ? (*r)->Int(0) : -1;
  }
  // An assembly of `org` in session with one item decided as `decision` (JSON or null).
  std::pair<std::int64_t, std::int64_t> CommitteeItem(std::int64_t org, std::optional<std::string> decision) {
    auto conn = store_->Acquire();
    auto a = conn->QueryOne("INSERT INTO assemblies (organisation_id, kind, title, starts_at, timezone, notice_days, quorum_percent, quorum_scope, proxy_limit, "
                            "state, created_at, updated_at) VALUES (?, 'ordinary', 'Comité d''engagement', '2027-01-10T18:00', 'Europe/Paris', 0, 50, "
                            "'overall', 1, 'in_session', 'x', 'x') RETURNING id",
                            {org});
    EXPECT_TRUE(a.ok()) << a.error().message;
    auto i = conn->QueryOne("INSERT INTO assembly_items (assembly_id, position, title, decision) VALUES (?, 1, 'Prêt à la boulangerie', ?) RETURNING id",
                            {(*a)->Int(0), store::Opt(decision)});
    EXPECT_TRUE(i.ok()) << i.error().message;
    return {(*a)->Int(0), (*i)->Int(0)};
  }
  // An application approved by a committee vote, for `amount` over 12 months.
  Application Approved(std::int64_t borrower, std::int64_t amount, int instalments = 12, std::int64_t jobs_created = 2, std::int64_t jobs_kept = 3) {
    ApplicationInput in{product_.id, borrower, amount, instalments, 0, 0, "Un four à pain", jobs_created, jobs_kept, ""};
    auto app = loans_->Apply(fund_, in, std::nullopt);
    EXPECT_TRUE(app.ok()) << app.error().message;
    auto [assembly, item] = CommitteeItem(orgs_[0], R"({"kind":"show_of_hands","adopted":true,"yes":5,"no":1,"abstain":0,"rule":"simple"})");
    auto decided = loans_->Decide(fund_, app->id, app->version, assembly, item);
    EXPECT_TRUE(decided.ok()) << decided.error().message;
    return *decided;
  }

  solidum::testing::TempDir dir_;
  ManualClock clock_{2'208'988'800'000'000};  // 2040-01-01: every date the tests record has passed
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<Funds> funds_;
  std::unique_ptr<Loans> loans_;
  std::vector<std::int64_t> orgs_;
  Fund fund_;
  Product product_;
};

TEST_F(LoansTest, BadProductsAndApplicationsAreNamedAndStoreNothing) {
  auto product = [&](auto change) {
    ProductInput p;
    p.name = "Autre";
    p.principal_max = 1000;
    p.instalments_max = 12;
    change(p);
    auto r = loans_->CreateProduct(fund_, p);
    return r.ok() ? std::string("ok") : Field(r.error());
  };
  EXPECT_EQ(product([](ProductInput& p) { p.annual_rate_ppm = 1'000'001; }), "/annual_rate_ppm");  // over 100 % a year
  EXPECT_EQ(product([](ProductInput& p) { p.grace_max = 12; }), "/grace_max");                     // grace as long as the term
  EXPECT_EQ(product([](ProductInput& p) { p.principal_min = 0; }), "/principal_min");
  EXPECT_EQ(product([](ProductInput& p) { p.principal_max = 0; }), "/principal_max");
  EXPECT_EQ(product([](ProductInput& p) { p.name = " "; }), "/name");
  EXPECT_EQ(product([](ProductInput& p) { p.name = "Prêt d'amorçage"; }), "name_taken");
  EXPECT_EQ(Count("loan_products"), 1);

  auto apply = [&](auto change) {
    ApplicationInput in{product_.id, orgs_[2], 1'000'000, 12, 0, 0, "Un four", 1, 0, ""};
    change(in);
    auto r = loans_->Apply(fund_, in, std::nullopt);
    return r.ok() ? std::string("ok") : Field(r.error());
  };
  EXPECT_EQ(apply([](ApplicationInput& in) { in.amount = 0; }), "/amount");
  EXPECT_EQ(apply([](ApplicationInput& in) { in.amount = -5; }), "/amount");
  EXPECT_EQ(apply([](ApplicationInput& in) { in.amount = 5'000'001; }), "/amount");
  EXPECT_EQ(apply([](ApplicationInput& in) { in.instalments = 61; }), "/instalments");
  EXPECT_EQ(apply([](ApplicationInput& in) { in.grace_principal = 12; }), "/grace_principal");  // the whole term
  EXPECT_EQ(apply([](ApplicationInput& in) { in.grace_principal = 2, in.grace_interest = 3; }), "/grace_interest");
  EXPECT_EQ(apply([&](ApplicationInput& in) { in.organisation_id = 999'999; }), "/organisation_id");
  EXPECT_EQ(apply([&](ApplicationInput& in) { in.product_id = 999'999; }), "/product_id");
  EXPECT_EQ(apply([](ApplicationInput& in) { in.jobs_created = -1; }), "/jobs_created");
  EXPECT_EQ(apply([](ApplicationInput& in) { in.purpose = ""; }), "/purpose");
  EXPECT_EQ(apply([](ApplicationInput& in) { in.business_plan_url = "javascript:alert(1)"; }), "/business_plan_url");
  EXPECT_EQ(Count("loan_applications"), 0);
  EXPECT_EQ(apply([](ApplicationInput& in) { in.business_plan_url = "https://example.org/plan.pdf"; }), "ok");
}

TEST_F(LoansTest, TheCommitteeDecidesByAVoteAndOnlyThen) {
  ApplicationInput in{product_.id, orgs_[2], 1'000'000, 12, 0, 0, "Un four à pain", 2, 3, ""};
  auto app = loans_->Apply(fund_, in, std::nullopt);
  ASSERT_TRUE(app.ok()) << app.error().message;
  EXPECT_EQ(app->stage, "submitted");
  EXPECT_EQ(app->organisation_name, "Coop Boulangerie");
  auto noted = loans_->AddNote(fund_, app->id, std::nullopt, "Plan solide, trésorerie tendue.");
  ASSERT_TRUE(noted.ok());
  ASSERT_EQ(noted->notes.size(), 1u);
  EXPECT_EQ(noted->notes[0].body, "Plan solide, trésorerie tendue.");
  EXPECT_EQ(Field(loans_->AddNote(fund_, app->id, std::nullopt, "  ").error()), "/body");

  auto review = loans_->Move(fund_, app->id, app->version, "in_review");
  ASSERT_TRUE(review.ok());
  EXPECT_EQ(review->stage, "in_review");
  EXPECT_EQ(loans_->Move(fund_, app->id, app->version, "withdrawn").error().code, "version_mismatch");
  EXPECT_EQ(Field(loans_->Move(fund_, app->id, review->version, "approved").error()), "/stage");  // the committee's to say

  // A note is not a vote; another organisation's assembly is not the committee.
  auto [a1, noted_item] = CommitteeItem(orgs_[0], R"({"kind":"note","note":"Discussed"})");
  EXPECT_EQ(loans_->Decide(fund_, app->id, review->version, a1, noted_item).error().code, "not_voted");
  auto [a2, undecided] = CommitteeItem(orgs_[0], std::nullopt);
  EXPECT_EQ(loans_->Decide(fund_, app->id, review->version, a2, undecided).error().code, "not_voted");
  auto [a3, elsewhere] = CommitteeItem(orgs_[1], R"({"kind":"show_of_hands","adopted":true})");
  EXPECT_EQ(Field(loans_->Decide(fund_, app->id, review->version, a3, elsewhere).error()), "/item_id");
  // Not contracted before approval.
  EXPECT_EQ(loans_->Contract(fund_, app->id, {D(2027, 1, 15), {}}).error().code, "wrong_stage");

  auto [a4, rejected_item] = CommitteeItem(orgs_[0], R"({"kind":"show_of_hands","adopted":false,"yes":2,"no":4,"abstain":0,"rule":"simple"})");
  auto rejected = loans_->Decide(fund_, app->id, review->version, a4, rejected_item);
  ASSERT_TRUE(rejected.ok()) << rejected.error().message;
  EXPECT_EQ(rejected->stage, "rejected");
  ASSERT_TRUE(rejected->decision.has_value());
  EXPECT_NE(rejected->decision->find("\"no\":4"), std::string::npos) << *rejected->decision;
  EXPECT_EQ(loans_->Decide(fund_, app->id, rejected->version, a4, rejected_item).error().code, "wrong_stage");
  EXPECT_EQ(Count("loans"), 0);

  auto listed = loans_->Applications(fund_, "rejected");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(loans_->Applications(fund_, "approved")->size(), 0u);
}

TEST_F(LoansTest, AContractIsLentInTranchesAndRepaidOncePerIdInDateOrder) {
  const Application app = Approved(orgs_[2], 1'000'000);  // 10,000.00 at 1 % a month over 12 months
  // Tranches: they add up to the amount and come before the first principal falls due.
  EXPECT_EQ(Field(loans_->Contract(fund_, app.id, {D(2027, 1, 15), {{600'000, D(2027, 1, 15)}, {300'000, D(2027, 1, 20)}}}).error()), "/tranches");
  EXPECT_EQ(Field(loans_->Contract(fund_, app.id, {D(2027, 1, 15), {{600'000, D(2027, 1, 15)}, {400'000, D(2027, 3, 1)}}}).error()), "/tranches/1/planned_on");
  EXPECT_EQ(Count("loans"), 0);
  auto loan = loans_->Contract(fund_, app.id, {D(2027, 1, 15), {{600'000, D(2027, 1, 15)}, {400'000, D(2027, 2, 1)}}});
  ASSERT_TRUE(loan.ok()) << loan.error().message;
  EXPECT_EQ(loan->status, "active");
  ASSERT_EQ(loan->schedule.size(), 12u);
  EXPECT_EQ(loan->schedule[0].due, D(2027, 2, 15));
  EXPECT_EQ(loan->schedule[0].principal + loan->schedule[0].interest, 88'849);  // the textbook annuity
  EXPECT_EQ(loans_->GetApplication(fund_, app.id)->stage, "contracted");
  EXPECT_EQ(loans_->Contract(fund_, app.id, {D(2027, 1, 15), {}}).error().code, "wrong_stage");  // one contract

  // Nothing repays principal not lent yet.
  EXPECT_EQ(loans_->Repay(fund_, loan->id, {"early", 100'000, D(2027, 1, 16)}).error().code, "not_disbursed");
  ASSERT_TRUE(loans_->Disburse(fund_, loan->id, 1, D(2027, 1, 15)).ok());
  EXPECT_TRUE(loans_->Disburse(fund_, loan->id, 1, D(2027, 1, 15)).ok());  // a replay
  EXPECT_EQ(loans_->Disburse(fund_, loan->id, 1, D(2027, 1, 16)).error().code, "already_disbursed");
  EXPECT_EQ(Field(loans_->Disburse(fund_, loan->id, 3, D(2027, 1, 16)).error()), "/tranche");
  EXPECT_EQ(Field(loans_->Disburse(fund_, loan->id, 2, D(2040, 1, 3)).error()), "/on");  // not yet
  auto lent = loans_->Disburse(fund_, loan->id, 2, D(2027, 2, 1));
  ASSERT_TRUE(lent.ok()) << lent.error().message;
  EXPECT_EQ(lent->disbursed, 1'000'000);
  EXPECT_EQ(Balance(fund_.pool_account), 9'000'000);
  EXPECT_EQ(Balance(lent->account_id), 1'000'000);

  // The first instalment, on time: 10,000 interest, 78,849 principal.
  auto first = loans_->Repay(fund_, loan->id, {"2027-02", 88'849, D(2027, 2, 15)});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->replayed);
  EXPECT_EQ(first->record.interest, 10'000);
  EXPECT_EQ(first->record.principal, 78'849);
  EXPECT_EQ(Balance(fund_.pool_account), 9'088'849);
  EXPECT_EQ(Balance(fund_.interest_account), -10'000);
  EXPECT_EQ(Balance(lent->account_id), 921'151);
  // The same again moves nothing; the same id with another amount is refused.
  auto again = loans_->Repay(fund_, loan->id, {"2027-02", 88'849, D(2027, 2, 15)});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(Balance(fund_.pool_account), 9'088'849);
  EXPECT_EQ(loans_->Repay(fund_, loan->id, {"2027-02", 88'000, D(2027, 2, 15)}).error().code, "id_reused_with_different_content");
  EXPECT_EQ(loans_->Repay(fund_, loan->id, {"late-entry", 100, D(2027, 2, 1)}).error().code, "out_of_order");
  EXPECT_EQ(Field(loans_->Repay(fund_, loan->id, {"neg", -1, D(2027, 3, 1)}).error()), "/amount");
  EXPECT_EQ(Field(loans_->Repay(fund_, loan->id, {"", 1, D(2027, 3, 1)}).error()), "/request_id");
  // Money is recorded once it has moved: the clock says 1 January 2040.
  EXPECT_EQ(Field(loans_->Repay(fund_, loan->id, {"future", 100, D(2040, 1, 3)}).error()), "/paid_on");
  EXPECT_EQ(loans_->Repay(fund_, loan->id, {"future", 100, D(2040, 1, 3)}).error().fields.at(0).code, "in_future");

  // Two months late: the position shows arrears.
  auto late = loans_->GetLoan(fund_, loan->id, D(2027, 4, 20));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->position.arrears, 2 * 88'849);
  EXPECT_EQ(late->position.days_in_arrears, 36);  // since 15 March

  // The rest at once, and a little more: the loan is repaid, the excess a deposit.
  std::int64_t left = 0;
  for (std::size_t i = 1; i < loan->schedule.size(); ++i) left += loan->schedule[i].principal + loan->schedule[i].interest;
  auto rest = loans_->Repay(fund_, loan->id, {"rest", left + 500, D(2027, 4, 20)});
  ASSERT_TRUE(rest.ok()) << rest.error().message;
  EXPECT_EQ(rest->record.overpaid, 500);
  auto repaid = loans_->GetLoan(fund_, loan->id, D(2027, 4, 20));
  EXPECT_EQ(repaid->status, "repaid");
  EXPECT_TRUE(repaid->position.repaid);
  EXPECT_EQ(Balance(repaid->account_id), 0);
  EXPECT_EQ(Balance(fund_.deposits_account), -500);
  EXPECT_EQ(-Balance(fund_.interest_account), 66'186);  // the schedule's interest, to the cent
  EXPECT_EQ(loans_->Repay(fund_, loan->id, {"after", 100, D(2027, 5, 1)}).error().code, "loan_closed");
  EXPECT_TRUE(ledger_->Verify().ok());
}

TEST_F(LoansTest, AWriteOffMovesWhatIsOutstandingToLossesAndLaterMoneyIsARecovery) {
  const Application app = Approved(orgs_[3], 2'000'000);
  auto loan = loans_->Contract(fund_, app.id, {D(2027, 1, 31), {{1'000'000, D(2027, 1, 31)}, {1'000'000, D(2027, 2, 10)}}});
  ASSERT_TRUE(loan.ok()) << loan.error().message;
  ASSERT_TRUE(loans_->Disburse(fund_, loan->id, 1, D(2027, 1, 31)).ok());
  EXPECT_EQ(loans_->WriteOff(fund_, loan->id, loan->version + 1, D(2027, 6, 1)).error().code, "tranches_pending");
  auto lent = loans_->Disburse(fund_, loan->id, 2, D(2027, 2, 10));
  ASSERT_TRUE(lent.ok());
  EXPECT_EQ(loans_->WriteOff(fund_, loan->id, lent->version - 1, D(2027, 6, 1)).error().code, "version_mismatch");
  auto first = loans_->Repay(fund_, loan->id, {"1", 177'698, D(2027, 2, 28)});
  ASSERT_TRUE(first.ok()) << first.error().message;
  const std::int64_t outstanding = 2'000'000 - first->record.principal;
  auto current = loans_->GetLoan(fund_, loan->id, D(2027, 6, 1));
  auto off = loans_->WriteOff(fund_, loan->id, current->version, D(2027, 6, 1));
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_EQ(off->status, "written_off");
  EXPECT_EQ(off->position.written_off, outstanding);
  EXPECT_EQ(Balance(fund_.losses_account), outstanding);
  EXPECT_EQ(Balance(off->account_id), 0);
  EXPECT_EQ(loans_->WriteOff(fund_, loan->id, off->version, D(2027, 6, 2)).error().code, "loan_closed");
  auto recovered = loans_->Repay(fund_, loan->id, {"recovery", 50'000, D(2027, 9, 1)});
  ASSERT_TRUE(recovered.ok()) << recovered.error().message;
  EXPECT_EQ(recovered->record.recovered, 50'000);
  EXPECT_EQ(recovered->record.principal, 0);
  EXPECT_EQ(Balance(fund_.losses_account), outstanding - 50'000);
  EXPECT_TRUE(ledger_->Verify().ok());
}

TEST_F(LoansTest, ALoanInDifficultyIsRescheduledWithItsArrearsCapitalised) {
  const Application app = Approved(orgs_[2], 1'000'000);
  auto loan = loans_->Contract(fund_, app.id, {D(2027, 1, 15), {}});
  ASSERT_TRUE(loan.ok()) << loan.error().message;
  EXPECT_EQ(loans_->Reschedule(fund_, loan->id, loan->version, {D(2027, 6, 1), 18, 0, 0, std::nullopt}).error().code, "tranches_pending");
  auto lent = loans_->Disburse(fund_, loan->id, 1, D(2027, 1, 15));
  ASSERT_TRUE(lent.ok());
  ASSERT_TRUE(loans_->Repay(fund_, loan->id, {"feb", 88'849, D(2027, 2, 15)}).ok());
  // Then nothing for three months: March, April and May in arrears.
  auto late = loans_->GetLoan(fund_, loan->id, D(2027, 6, 1));
  ASSERT_TRUE(late.ok());
  const std::int64_t interest_due = late->schedule[1].interest + late->schedule[2].interest + late->schedule[3].interest;
  EXPECT_EQ(late->position.arrears, 3 * 88'849);
  EXPECT_EQ(Field(loans_->Reschedule(fund_, loan->id, late->version, {D(2027, 6, 1), 18, 18, 0, std::nullopt}).error()), "/grace_principal");
  EXPECT_EQ(loans_->Reschedule(fund_, loan->id, late->version - 1, {D(2027, 6, 1), 18, 0, 0, std::nullopt}).error().code, "version_mismatch");
  EXPECT_EQ(loans_->Reschedule(fund_, loan->id, late->version, {D(2027, 2, 1), 18, 0, 0, std::nullopt}).error().code, "out_of_order");

  // Eighteen months at 6 % from 1 June, three of them without principal.
  auto r = loans_->Reschedule(fund_, loan->id, late->version, {D(2027, 6, 1), 18, 3, 0, 60'000});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->reschedulings.size(), 1u);
  EXPECT_EQ(r->reschedulings[0].capitalised_interest, interest_due);
  EXPECT_EQ(r->position.arrears, 0);
  EXPECT_EQ(r->position.principal_outstanding, 921'151 + interest_due);
  EXPECT_EQ(r->terms.annual_rate_ppm, 60'000);
  EXPECT_EQ(r->schedule.size(), 1u + 18u);  // February as paid, then the new instalments
  EXPECT_EQ(r->schedule[1].due, D(2027, 7, 1));
  EXPECT_EQ(r->schedule[1].principal, 0);  // grace
  // The ledger agrees: the capitalised interest was earned and is now owed as principal.
  EXPECT_EQ(Balance(r->account_id), 921'151 + interest_due);
  EXPECT_EQ(Balance(fund_.interest_account), -(10'000 + interest_due));
  // Repaid to the end on the new schedule: the loan closes, the account at zero.
  std::int64_t rest = 0;
  for (std::size_t i = 1; i < r->schedule.size(); ++i) rest += r->schedule[i].principal + r->schedule[i].interest;
  auto paid = loans_->Repay(fund_, loan->id, {"all", rest, D(2027, 7, 1)});
  ASSERT_TRUE(paid.ok()) << paid.error().message;
  EXPECT_EQ(paid->record.overpaid, 0);
  EXPECT_EQ(loans_->GetLoan(fund_, loan->id, D(2027, 7, 1))->status, "repaid");
  EXPECT_EQ(Balance(r->account_id), 0);
  EXPECT_TRUE(ledger_->Verify().ok());
}

TEST_F(LoansTest, WhatACrashLeftUnpostedIsPostedAtStart) {
  const Application app = Approved(orgs_[2], 1'000'000);
  auto loan = loans_->Contract(fund_, app.id, {D(2027, 1, 15), {}});
  ASSERT_TRUE(loan.ok());
  ASSERT_TRUE(loans_->Disburse(fund_, loan->id, 1, D(2027, 1, 15)).ok());
  // As a crash between the commit and the posting leaves it: the row, no money moved.
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->Exec("INSERT INTO loan_repayments (loan_id, request_id, seq, paid_on, amount, fees, interest, principal, overpaid, recovered, created_at) "
                           "VALUES (?, 'crashed', 1, '2027-02-15', 88849, 0, 10000, 78849, 0, 0, 'x')",
                           {loan->id})
                    .ok());
  }
  EXPECT_EQ(Balance(loan->account_id), 1'000'000);
  ASSERT_TRUE(loans_->Start().ok());
  EXPECT_EQ(Balance(loan->account_id), 921'151);
  EXPECT_EQ(Balance(fund_.interest_account), -10'000);
  ASSERT_TRUE(loans_->Start().ok());  // nothing twice
  EXPECT_EQ(Balance(loan->account_id), 921'151);
  auto got = loans_->GetLoan(fund_, loan->id, D(2027, 2, 15));
  ASSERT_EQ(got->repayments.size(), 1u);
  EXPECT_TRUE(got->repayments[0].posted);
  // A disbursement the ledger took before a crash: its day asked for is in the row (the
  // outbox), the row not marked disbursed. Finished at start.
  const Application app2 = Approved(orgs_[4], 500'000);
  auto loan2 = loans_->Contract(fund_, app2.id, {D(2027, 3, 1), {}});
  ASSERT_TRUE(loan2.ok());
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->Exec("UPDATE loan_tranches SET disbursing_on = '2027-03-02' WHERE loan_id = ?", {loan2->id}).ok());
  }
  ledger::TransferRequest t;
  t.id = "f" + std::to_string(fund_.id) + "-l" + std::to_string(loan2->id) + "-d1";
  t.debit_account = fund_.pool_account;
  t.credit_account = loan2->account_id;
  t.amount = 500'000;
  t.memo = "Loan " + std::to_string(loan2->id) + ", tranche 1 disbursed on 2027-03-02";
  ASSERT_TRUE(ledger_->Transfer({t}).ok());
  ASSERT_TRUE(loans_->Start().ok());
  auto got2 = loans_->GetLoan(fund_, loan2->id, D(2027, 3, 2));
  ASSERT_TRUE(got2->tranches[0].disbursed_on.has_value());
  EXPECT_EQ(*got2->tranches[0].disbursed_on, D(2027, 3, 2));
  EXPECT_EQ(got2->disbursed, 500'000);
  // One the ledger never took: forgotten at start, so the tranche may be disbursed again,
  // on another day too (that request was never answered).
  const Application app3 = Approved(orgs_[3], 200'000);
  auto loan3 = loans_->Contract(fund_, app3.id, {D(2027, 3, 1), {}});
  ASSERT_TRUE(loan3.ok());
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->Exec("UPDATE loan_tranches SET disbursing_on = '2027-03-02' WHERE loan_id = ?", {loan3->id}).ok());
  }
  EXPECT_EQ(loans_->Disburse(fund_, loan3->id, 1, D(2027, 3, 3)).error().code, "already_disbursed");  // in flight on another day
  ASSERT_TRUE(loans_->Start().ok());
  auto got3 = loans_->GetLoan(fund_, loan3->id, D(2027, 3, 3));
  EXPECT_FALSE(got3->tranches[0].disbursed_on.has_value());
  EXPECT_EQ(Balance(loan3->account_id), 0);
  auto disbursed3 = loans_->Disburse(fund_, loan3->id, 1, D(2027, 3, 3));
  ASSERT_TRUE(disbursed3.ok()) << disbursed3.error().message;
  EXPECT_EQ(Balance(loan3->account_id), 200'000);
  {
    auto conn = store_->Acquire();
    auto left = conn->QueryOne("SELECT COUNT(*) FROM loan_tranches WHERE disbursing_on IS NOT NULL", {});
    ASSERT_TRUE(left.ok());
    EXPECT_EQ((*left)->Int(0), 0);
  }
  EXPECT_TRUE(ledger_->Verify().ok());
}

TEST_F(LoansTest, ThePortfolioAndItsJobsBySectorAndTerritory) {
  std::vector<Loan> loans;
  for (auto [org, amount, created, kept] : {std::tuple{2, 1'000'000, 2, 3}, std::tuple{3, 2'000'000, 5, 0}, std::tuple{4, 500'000, 1, 1}}) {
    const Application app = Approved(orgs_[static_cast<std::size_t>(org)], amount, 12, created, kept);
    auto loan = loans_->Contract(fund_, app.id, {D(2027, 1, 15), {}});
    ASSERT_TRUE(loan.ok()) << loan.error().message;
    ASSERT_TRUE(loans_->Disburse(fund_, loan->id, 1, D(2027, 1, 15)).ok());
    loans.push_back(*loan);
  }
  // The first pays on time; the others never: 45 days late on 1 April.
  ASSERT_TRUE(loans_->Repay(fund_, loans[0].id, {"a", 88'849, D(2027, 2, 15)}).ok());
  ASSERT_TRUE(loans_->Repay(fund_, loans[0].id, {"b", 88'849, D(2027, 3, 15)}).ok());
  auto r = loans_->Report(fund_, D(2027, 4, 1));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->figures.loans, 3);
  EXPECT_EQ(r->figures.disbursed, 3'500'000);
  const std::int64_t first_outstanding = 1'000'000 - 78'849 - (88'849 - 9'212);
  EXPECT_EQ(r->figures.outstanding, first_outstanding + 2'500'000);
  EXPECT_EQ(r->figures.at_risk_30, 2'500'000);
  EXPECT_EQ(r->figures.at_risk_90, 0);
  EXPECT_EQ(r->figures.par30_bp, (std::int64_t{2'500'000} * 10'000 * 2 + r->figures.outstanding) / (2 * r->figures.outstanding));
  EXPECT_EQ(r->jobs_created, 8);
  EXPECT_EQ(r->jobs_kept, 4);
  ASSERT_EQ(r->by_territory.size(), 2u);
  EXPECT_EQ(r->by_territory[0].key, "FR");  // 7 jobs
  EXPECT_EQ(r->by_territory[0].loans, 2);
  EXPECT_EQ(r->by_territory[1].key, "ES");
  EXPECT_EQ(r->by_territory[1].jobs_created, 5);
  ASSERT_EQ(r->by_sector.size(), 2u);
  EXPECT_EQ(r->by_sector[0].key, "ICA30");  // 2 + 3 + 1 + 1
  EXPECT_EQ(r->by_sector[0].disbursed, 1'500'000);
  auto list = loans_->List(fund_, D(2027, 4, 1));
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ(list->at(2).id, loans[0].id);  // newest first
  EXPECT_EQ(list->at(2).position.principal_outstanding, first_outstanding);
}

}  // namespace
}  // namespace solidum::finance

namespace solidum::finance {
namespace {

// A solidarity group's loan: shared among its members, collected at its meetings member by
// member, one member covered by another, another in arrears that show on the group's loan.
TEST_F(LoansTest, AGroupLoanIsCollectedMemberByMemberUnderJointLiability) {
  GroupLoans groups(*store_, *loans_, clock_);
  std::vector<std::int64_t> m;
  {
    auto conn = store_->Acquire();
    for (const auto& [org, name] : std::vector<std::pair<std::int64_t, const char*>>{{orgs_[2], "Aïcha"}, {orgs_[2], "Bineta"}, {orgs_[2], "Coumba"}, {orgs_[3], "Dolores"}}) {
      auto r = conn->QueryOne("INSERT INTO members (organisation_id, kind, name, status, joined_on, created_at, updated_at) "
                              "VALUES (?, 'person', ?, 'active', '2020-01-01', 'x', 'x') RETURNING id",
                              {org, std::string(name)});
      ASSERT_TRUE(r.ok()) << r.error().message;
      m.push_back((*r)->Int(0));
    }
  }
  auto app = Approved(orgs_[2], 300'000, 6);
  auto loan = loans_->Contract(fund_, app.id, {D(2027, 1, 15), {}});
  ASSERT_TRUE(loan.ok()) << loan.error().message;
  const std::int64_t id = loan->id;
  auto set = [&](std::vector<MemberPart> parts) {
    auto r = groups.SetParts(fund_, id, parts);
    return r.ok() ? std::string("ok") : r.error().fields.empty() ? r.error().code : Field(r.error()) + " " + r.error().fields[0].code;
  };
  EXPECT_EQ(set({{m[0], 100'000}, {m[1], 100'000}}), "/members parts_mismatch");
  EXPECT_EQ(set({{m[0], 100'000}, {m[1], 100'000}, {m[3], 100'000}}), "/members/2/member not_a_member");  // another organisation's
  EXPECT_EQ(Count("loan_group_parts"), 0);
  EXPECT_EQ(groups.RecordMeeting(fund_, id, {1, D(2027, 2, 15), {{m[0], 1, {}}}, std::nullopt}).error().code, "no_group");
  ASSERT_EQ(set({{m[0], 100'000}, {m[1], 100'000}, {m[2], 100'000}}), "ok");
  EXPECT_EQ(set({{m[0], 300'000}}), "group_set");
  ASSERT_TRUE(loans_->Disburse(fund_, id, 1, D(2027, 1, 15)).ok());

  auto view = groups.Get(fund_, id, D(2027, 2, 15));
  ASSERT_TRUE(view.ok()) << view.error().message;
  auto owed = [&](std::size_t member, std::size_t k) { return view->standing.members[member].schedule[k].principal + view->standing.members[member].schedule[k].interest; };
  EXPECT_EQ(view->standing.due_now, loan->schedule[0].principal + loan->schedule[0].interest);  // the collection sheet asks the first instalment
  // Meeting 1: Coumba cannot pay; Aïcha pays for her.
  GroupMeetingInput first{1, D(2027, 2, 15), {{m[0], owed(0, 0), {}}, {m[1], owed(1, 0), {}}, {m[2], owed(2, 0), m[0]}}, std::nullopt};
  auto r1 = groups.RecordMeeting(fund_, id, first);
  ASSERT_TRUE(r1.ok()) << r1.error().message;
  EXPECT_FALSE(r1->second);
  EXPECT_EQ(r1->first.loan.position.arrears, 0);
  EXPECT_EQ(r1->first.standing.members[2].covered_by_others, owed(2, 0));
  EXPECT_EQ(r1->first.standing.members[0].paid_for_others, owed(2, 0));
  EXPECT_TRUE(groups.RecordMeeting(fund_, id, first)->second);  // sent again: nothing more
  EXPECT_EQ(Count("loan_repayments"), 1);
  auto other = first;
  other.lines[0].amount += 1;
  EXPECT_EQ(groups.RecordMeeting(fund_, id, other).error().code, "meeting_recorded");
  // Bad sheets: nothing is collected.
  EXPECT_EQ(Field(groups.RecordMeeting(fund_, id, {2, D(2027, 3, 15), {{m[3], 10, {}}}, std::nullopt}).error()), "/lines/0/member");
  EXPECT_EQ(Field(groups.RecordMeeting(fund_, id, {3, D(2027, 3, 15), {{m[0], 10, {}}}, std::nullopt}).error()), "/number");
  EXPECT_EQ(Field(groups.RecordMeeting(fund_, id, {2, D(2027, 2, 14), {{m[0], 10, {}}}, std::nullopt}).error()), "/held_on");
  EXPECT_EQ(Count("loan_repayments"), 1);
  EXPECT_EQ(Count("loan_group_meetings"), 1);
  // Meeting 2: Coumba pays nothing and nobody covers her: her arrears are the group's.
  auto r2 = groups.RecordMeeting(fund_, id, {2, D(2027, 3, 15), {{m[0], owed(0, 1), {}}, {m[1], owed(1, 1), {}}}, std::nullopt});
  ASSERT_TRUE(r2.ok()) << r2.error().message;
  EXPECT_EQ(r2->first.standing.members_in_arrears, 1);
  EXPECT_EQ(r2->first.standing.members[2].position.arrears, owed(2, 1));
  EXPECT_EQ(r2->first.loan.position.arrears, owed(2, 1));
  EXPECT_EQ(r2->first.loan.position.days_in_arrears, 0);  // fell due today
  auto report = loans_->Report(fund_, D(2027, 3, 15));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->figures.arrears, owed(2, 1));
}

}  // namespace
}  // namespace solidum::finance
