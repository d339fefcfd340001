// Set-off runs on both stores: a run is stored whole or not at all, reads back exactly as
// computed (its report files equal the ones computed straight from the file, on a real
// 100,000-obligation network too), and its firms are searched and paged.
#include "clearing/runs.h"
#include "common/files.h"

#include <gtest/gtest.h>

#include <map>

#include "clearing/posting.h"
#include "clearing/report.h"
#include "../../tests/support/test_store.h"

namespace solidum::clearing {
namespace {

class RunsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "runs"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto conn = store_->Acquire();
    for (const char* name : {"Réseau des SCOP", "Other network"}) {
      auto org = conn->QueryOne("INSERT INTO organisations (name, created_at, updated_at) VALUES (?, 'x', 'x') RETURNING id", {std::string(name)});
      ASSERT_TRUE(org.ok()) << org.error().message;
      orgs_.push_back((*org)->Int(0));
    }
    runs_ = std::make_unique<Runs>(*store_, clock_);
  }
  std::int64_t Count(const std::string& table) {
    auto conn = store_->Acquire();
    auto r = conn->QueryOne("SELECT COUNT(*) FROM " + table, {});
    EXPECT_TRUE(r.ok());
    return r.ok() ? (*r)->Int(0) : -1;
  }
  // The run read back gives the same report files as computing straight from `csv`.
  void ExpectSameAsComputed(const RunSummary& run, std::string_view csv) {
    auto set = ParseObligations(csv);
    ASSERT_TRUE(set.ok());
    auto direct = ComputeSetOff(*set);
    ASSERT_TRUE(direct.ok());
    EXPECT_EQ(run.obligations, static_cast<std::int64_t>(set->obligations.size()));
    EXPECT_EQ(run.firms, static_cast<std::int64_t>(set->firms.size()));
    EXPECT_EQ(run.total, direct->total);
    EXPECT_EQ(run.nid, direct->nid);
    EXPECT_EQ(run.cleared, direct->cleared);
    EXPECT_EQ(run.remaining, direct->remaining);
    EXPECT_EQ(run.firms_with_setoff, static_cast<std::int64_t>(FirmsWithSetOff(*direct)));
    auto loaded = runs_->Load(run.organisation_id, run.id);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_TRUE(CheckSetOff(loaded->first, loaded->second).ok());
    EXPECT_EQ(RemainingCsv(loaded->first, loaded->second), RemainingCsv(*set, *direct));
    EXPECT_EQ(FirmsCsv(loaded->first, loaded->second), FirmsCsv(*set, *direct));
  }

  solidum::testing::TempDir dir_;
  ManualClock clock_{1'800'000'000'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Runs> runs_;
  std::vector<std::int64_t> orgs_;
};

// A cycle of three firms owing 100, 80 and 120 (80 of it cancels), a pair owing each other,
// and a firm that only owes.
const std::string kCsv =
    "id,debtor,creditor,amount,due\n"
    "F-1,Café Crème,Boulangerie,100,2026-12-01\n"
    "F-2,Boulangerie,\"Menuiserie, Fils\",80,\n"
    "F-3,\"Menuiserie, Fils\",Café Crème,120,2026-12-15\n"
    "F-4,Imprimerie,Librairie,50,\n"
    "F-5,Librairie,Imprimerie,30,\n"
    "F-6,Solo,Boulangerie,7,\n";

TEST_F(RunsTest, AreStoredAndReadBackExactlyAsComputed) {
  auto run = runs_->Create(orgs_[0], std::nullopt, "  November invoices ", kCsv);
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->title, "November invoices");
  EXPECT_EQ(run->total, 387);
  EXPECT_EQ(run->cleared, 3 * 80 + 2 * 30);
  EXPECT_EQ(run->remaining, 387 - 300);
  EXPECT_TRUE(run->has_ids);
  EXPECT_TRUE(run->has_due);
  ExpectSameAsComputed(*run, kCsv);
  auto got = runs_->Get(orgs_[0], run->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->cleared, run->cleared);
  EXPECT_EQ(got->created_at, run->created_at);
  // Another network's id does not reach it.
  auto other = runs_->Get(orgs_[1], run->id);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, ErrorKind::kNotFound);
  EXPECT_FALSE(runs_->Load(orgs_[1], run->id).ok());
  EXPECT_FALSE(runs_->Firms(orgs_[1], run->id, {}).ok());
}

TEST_F(RunsTest, ABadFileOrTitleStoresNothingAndNamesTheLine) {
  auto bad = runs_->Create(orgs_[0], std::nullopt, "Bad", "debtor,creditor,amount\nA,B,10\nC,D,-3\n");
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.error().fields.size(), 1u);
  EXPECT_EQ(bad.error().fields[0].field, "line 3");
  auto untitled = runs_->Create(orgs_[0], std::nullopt, " \t", kCsv);
  ASSERT_FALSE(untitled.ok());
  EXPECT_EQ(untitled.error().fields.at(0).field, "/title");
  EXPECT_FALSE(runs_->Create(orgs_[0], std::nullopt, std::string(kRunTitleCharsMax + 1, 'x'), kCsv).ok());
  EXPECT_EQ(Count("setoff_runs"), 0);
  EXPECT_EQ(Count("setoff_firms"), 0);
  EXPECT_EQ(Count("setoff_obligations"), 0);
  EXPECT_EQ(Count("setoff_obligation_pages"), 0);
}

TEST_F(RunsTest, FirmsComeLargestSetOffFirstSearchableWithAccentsFolded) {
  auto run = runs_->Create(orgs_[0], std::nullopt, "November", kCsv);
  ASSERT_TRUE(run.ok()) << run.error().message;
  auto all = runs_->Firms(orgs_[0], run->id, {});
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->second, 6);
  ASSERT_EQ(all->first.size(), 6u);
  // Café, Boulangerie and Menuiserie set off 80 each (file order among equals), then the
  // pair's 30, then Solo with none.
  std::vector<std::string> names;
  for (const auto& f : all->first) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Café Crème", "Boulangerie", "Menuiserie, Fils", "Imprimerie", "Librairie", "Solo"}));
  EXPECT_EQ(all->first[0].set_off.set_off, 80);
  EXPECT_EQ(all->first[0].set_off.owes, 100);
  EXPECT_EQ(all->first[0].set_off.owed, 120);
  EXPECT_EQ(all->first[5].set_off.set_off, 0);

  auto cafe = runs_->Firms(orgs_[0], run->id, {.text = "CAFE creme"});
  ASSERT_TRUE(cafe.ok());
  ASSERT_EQ(cafe->second, 1);
  EXPECT_EQ(cafe->first.at(0).name, "Café Crème");
  auto punctuated = runs_->Firms(orgs_[0], run->id, {.text = "menuiserie,FILS"});  // punctuation folded as in the name
  ASSERT_TRUE(punctuated.ok());
  ASSERT_EQ(punctuated->second, 1);
  EXPECT_EQ(punctuated->first.at(0).name, "Menuiserie, Fils");
  auto none = runs_->Firms(orgs_[0], run->id, {.text = "scierie"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->second, 0);
  auto with = runs_->Firms(orgs_[0], run->id, {.text = "", .with_setoff_only = true, .offset = 3, .limit = 10});
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(with->second, 5);
  ASSERT_EQ(with->first.size(), 2u);
  EXPECT_EQ(with->first[0].name, "Imprimerie");
}

TEST_F(RunsTest, AreListedNewestFirstPerNetwork) {
  for (const char* title : {"September", "October", "November"}) {
    ASSERT_TRUE(runs_->Create(orgs_[0], std::nullopt, title, kCsv).ok());
    clock_.Advance(1'000'000);
  }
  ASSERT_TRUE(runs_->Create(orgs_[1], std::nullopt, "Elsewhere", kCsv).ok());
  auto list = runs_->List(orgs_[0], 0, 2);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->second, 3);
  ASSERT_EQ(list->first.size(), 2u);
  EXPECT_EQ(list->first[0].title, "November");
  EXPECT_EQ(list->first[1].title, "October");
}

TEST_F(RunsTest, ARealNetworkOfAHundredThousandObligationsReadsBackTheSame) {
  std::string csv;
  ASSERT_TRUE(files::ReadWhole(std::string(SOLIDUM_SOURCE_DIR) + "/../shared/datasets/obligations/synthetic_network_01.csv", kObligationsFileBytesMax, csv).ok());
  auto run = runs_->Create(orgs_[0], std::nullopt, "Synthetic network 01", csv);
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_GT(run->obligations, 100'000);
  EXPECT_GT(run->cleared, 0);
  // Packed 20,000 obligations to a page, no row each.
  EXPECT_EQ(Count("setoff_obligation_pages"), (run->obligations + 19'999) / 20'000);
  EXPECT_EQ(Count("setoff_obligations"), 0);
  ExpectSameAsComputed(*run, csv);
  // A page gone is a damaged run, not a shorter one.
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->Exec("DELETE FROM setoff_obligation_pages WHERE run_id = ? AND page = 1", {run->id}).ok());
  }
  auto damaged = runs_->Load(orgs_[0], run->id);
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.error().kind, ErrorKind::kInternal);
}

// Runs stored before the pages (a row per obligation) still read back the same.
TEST_F(RunsTest, ARunStoredARowPerObligationBeforeThePagesReadsBackTheSame) {
  auto run = runs_->Create(orgs_[0], std::nullopt, "Before the pages", kCsv);
  ASSERT_TRUE(run.ok()) << run.error().message;
  auto set = ParseObligations(kCsv);
  ASSERT_TRUE(set.ok());
  auto result = ComputeSetOff(*set);
  ASSERT_TRUE(result.ok());
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->Exec("DELETE FROM setoff_obligation_pages WHERE run_id = ?", {run->id}).ok());
    for (std::size_t i = 0; i < set->obligations.size(); ++i) {
      const auto& o = set->obligations[i];
      auto text = [](const std::string& v) { return v.empty() ? store::Value(store::Null{}) : store::Value(v); };
      ASSERT_TRUE(conn->Exec("INSERT INTO setoff_obligations (run_id, line, debtor, creditor, amount, left_amount, ext_id, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             {run->id, static_cast<std::int64_t>(o.line), std::int64_t{o.debtor}, std::int64_t{o.creditor}, o.amount, result->left[i],
                              text(set->ids[i]), text(set->due[i])})
                      .ok());
    }
  }
  ExpectSameAsComputed(*run, kCsv);
}

// Posting a run: each firm's statement shows its set-off as claims then debts cancelled,
// every balance ends as it began, a frozen account's pair is refused whole, posting again
// moves nothing, and firms without an account stop the posting before anything moves.
TEST_F(RunsTest, APostedRunRecordsEachFirmsSetOffAndLeavesEveryBalance) {
  ledger::Ledger ledger(*store_, clock_);
  ASSERT_TRUE(ledger.Start().ok());
  auto currency = ledger.CreateCurrency(orgs_[0], ledger::CurrencyInput{"BARTER", "Barter circuit", "credit", 2, 0, std::nullopt});
  ASSERT_TRUE(currency.ok()) << currency.error().message;
  auto run = runs_->Create(orgs_[0], std::nullopt, "November", kCsv);
  ASSERT_TRUE(run.ok());
  std::map<std::string, std::int64_t> account;
  for (const char* name : {"Café Crème", "Boulangerie", "Menuiserie, Fils", "Imprimerie"}) {
    auto a = ledger.OpenAccount(currency->id, ledger::AccountInput{std::nullopt, name, std::nullopt, std::nullopt, false});
    ASSERT_TRUE(a.ok());
    account[name] = a->state.id;
  }
  // Librairie has no account yet: nothing is posted.
  auto missing = PostRun(*runs_, ledger, orgs_[0], run->id, currency->id);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().fields.at(0).code, "firms_without_accounts");
  EXPECT_NE(missing.error().fields.at(0).message.find("Librairie"), std::string::npos);
  EXPECT_EQ(Count("transfers"), 0);

  // Librairie may hold at most 10: the 30 it is credited first would take it over, so its
  // pair is refused whole and reported; the others are posted.
  auto lib = ledger.OpenAccount(currency->id, ledger::AccountInput{std::nullopt, "Librairie", std::nullopt, 10, false});
  ASSERT_TRUE(lib.ok());
  auto posted = PostRun(*runs_, ledger, orgs_[0], run->id, currency->id);
  ASSERT_TRUE(posted.ok()) << posted.error().message;
  EXPECT_EQ(posted->firms, 5);
  EXPECT_EQ(posted->posted, 4);
  ASSERT_EQ(posted->refused.size(), 1u);
  EXPECT_EQ(posted->refused[0].firm, "Librairie");
  EXPECT_EQ(posted->refused[0].code, "exceeds_upper_limit");
  account["Librairie"] = lib->state.id;
  for (const auto& [name, id] : account) EXPECT_EQ(ledger.AccountState(id)->balance, 0) << name;
  EXPECT_EQ(ledger.AccountState(posted->clearing_account)->balance, 0);
  auto statement = ledger.Statement(account["Café Crème"], 0, 10);
  ASSERT_TRUE(statement.ok());
  ASSERT_EQ(statement->size(), 2u);
  EXPECT_EQ((*statement)[1].change, 80);   // oldest: claims cancelled
  EXPECT_EQ((*statement)[0].change, -80);  // then debts cancelled
  EXPECT_EQ((*statement)[0].transfer.request.memo, "Set-off run " + std::to_string(run->id) + ": debts cancelled");

  // With the limit lifted, posting again completes it: the others replay, nothing moves twice.
  ASSERT_TRUE(ledger.ChangeAccount(currency->id, lib->state.id, ledger::AccountChange{std::nullopt, std::nullopt, true, std::nullopt}).ok());
  auto again = PostRun(*runs_, ledger, orgs_[0], run->id, currency->id);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->posted, 1);
  EXPECT_EQ(again->replayed, 4);
  EXPECT_TRUE(again->refused.empty());
  EXPECT_EQ(again->clearing_account, posted->clearing_account);
  EXPECT_EQ(Count("transfers"), 10);
  for (const auto& [name, id] : account) EXPECT_EQ(ledger.AccountState(id)->balance, 0) << name;
  EXPECT_TRUE(ledger.Verify().ok());
  // Another network's run is not reached.
  EXPECT_FALSE(PostRun(*runs_, ledger, orgs_[1], run->id, currency->id).ok());
}

}  // namespace
}  // namespace solidum::clearing
