// Funds on both stores: a fund is made whole (its currency, five system accounts and its
// row) or not at all; backers' contributions reach the pool once per id, each backer with
// one capital account; the pool never lends what it does not have; bad input is named.
#include "finance/funds.h"

#include <gtest/gtest.h>

#include <thread>

#include "../../tests/support/test_store.h"

namespace solidum::finance {
namespace {

class FundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "funds"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto conn = store_->Acquire();
    for (const char* name : {"Fonds régional", "Fondation Solidaire", "Banque Éthique"}) {
      auto org = conn->QueryOne("INSERT INTO organisations (name, created_at, updated_at) VALUES (?, 'x', 'x') RETURNING id", {std::string(name)});
      ASSERT_TRUE(org.ok()) << org.error().message;
      orgs_.push_back((*org)->Int(0));
    }
    ledger_ = std::make_unique<ledger::Ledger>(*store_, clock_);
    ASSERT_TRUE(ledger_->Start().ok());
    funds_ = std::make_unique<Funds>(*store_, *ledger_);
  }
  std::int64_t Count(const std::string& table) {
    auto conn = store_->Acquire();
    auto r = conn->QueryOne("SELECT COUNT(*) FROM " + table, {});
    EXPECT_TRUE(r.ok());
    return r.ok() ? (*r)->Int(0) : -1;
  }

  solidum::testing::TempDir dir_;
  ManualClock clock_{1'800'000'000'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<Funds> funds_;
  std::vector<std::int64_t> orgs_;
};

TEST_F(FundsTest, AFundIsMadeWholeOrNotAtAll) {
  auto fund = funds_->Create(orgs_[0], {"Fonds d'amorçage", "FONDS-IDF", "EUR", 2});
  ASSERT_TRUE(fund.ok()) << fund.error().message;
  EXPECT_EQ(fund->code, "FONDS-IDF");
  EXPECT_EQ(fund->decimals, 2);
  EXPECT_EQ(Count("funds"), 1);
  EXPECT_EQ(Count("ledger_accounts"), 5);
  auto listed = funds_->List(orgs_[0]);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).pool_account, fund->pool_account);
  EXPECT_EQ(funds_->Get(orgs_[1], fund->id).error().kind, ErrorKind::kNotFound);  // another organisation's

  // A taken code: refused, and nothing of the second fund is left behind.
  auto twice = funds_->Create(orgs_[0], {"Another", "FONDS-IDF", "EUR", 2});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, "code_taken");
  EXPECT_EQ(Count("funds"), 1);
  EXPECT_EQ(Count("currencies"), 1);
  EXPECT_EQ(Count("ledger_accounts"), 5);
  auto bad = [&](FundInput in) {
    auto r = funds_->Create(orgs_[0], in);
    return r.ok() ? std::string("ok") : r.error().fields.empty() ? r.error().code : r.error().fields[0].field;
  };
  EXPECT_EQ(bad({"", "X", "EUR", 2}), "/name");
  EXPECT_EQ(bad({"Fund", "lower case", "EUR", 2}), "/code");
  EXPECT_EQ(bad({"Fund", "F2", "EUR", 9}), "/decimals");
  EXPECT_EQ(Count("currencies"), 1);
}

TEST_F(FundsTest, BackersContributeOncePerIdAndThePoolNeverLendsWhatItHasNot) {
  auto fund = funds_->Create(orgs_[0], {"Fonds", "FONDS-A", "EUR", 2});
  ASSERT_TRUE(fund.ok()) << fund.error().message;
  auto c1 = funds_->Contribute(*fund, {"2027-01", orgs_[1], 5'000'000, "Dotation 2027"});
  ASSERT_TRUE(c1.ok()) << c1.error().message;
  EXPECT_FALSE(c1->replayed);
  auto again = funds_->Contribute(*fund, {"2027-01", orgs_[1], 5'000'000, "Dotation 2027"});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  auto changed = funds_->Contribute(*fund, {"2027-01", orgs_[1], 6'000'000, "Dotation 2027"});
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().code, "id_reused_with_different_content");
  ASSERT_TRUE(funds_->Contribute(*fund, {"bank-1", orgs_[2], 2'500'000, ""}).ok());
  ASSERT_TRUE(funds_->Contribute(*fund, {"2027-02", orgs_[1], 1'000'000, ""}).ok());

  auto f = funds_->Figures(*fund);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->pool, 8'500'000);
  EXPECT_EQ(f->capital, 8'500'000);
  EXPECT_EQ(f->backers, (std::vector<FundFigures::Backer>{{orgs_[1], "Fondation Solidaire", 6'000'000}, {orgs_[2], "Banque Éthique", 2'500'000}}));
  EXPECT_EQ(Count("fund_backers"), 2);

  // The pool's credit limit is 0: a disbursement beyond it is refused by the ledger.
  auto loan = ledger_->OpenAccount(fund->currency_id, {std::nullopt, "Loan 1", 0, std::nullopt, true});
  ASSERT_TRUE(loan.ok()) << loan.error().message;
  ledger::TransferRequest too_much;
  too_much.id = "f-test-disburse";
  too_much.debit_account = fund->pool_account;
  too_much.credit_account = loan->state.id;
  too_much.amount = 8'500'001;
  auto out = ledger_->Transfer({too_much});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at(0).refusal, ledger::Refusal::kExceedsCreditLimit);

  auto bad = [&](ContributionInput in) {
    auto r = funds_->Contribute(*fund, in);
    return r.ok() ? std::string("ok") : r.error().fields.at(0).field + " " + r.error().fields.at(0).code;
  };
  EXPECT_EQ(bad({"", orgs_[1], 1, ""}), "/id invalid");
  EXPECT_EQ(bad({std::string(41, 'x'), orgs_[1], 1, ""}), "/id invalid");
  EXPECT_EQ(bad({"x", orgs_[1], 0, ""}), "/amount out_of_range");
  EXPECT_EQ(bad({"x", 999'999, 1, ""}), "/backer unknown_organisation");
  EXPECT_EQ(Count("fund_backers"), 2);
}

TEST_F(FundsTest, ConcurrentFirstContributionsOpenOneCapitalAccount) {
  auto fund = funds_->Create(orgs_[0], {"Fonds", "FONDS-B", "EUR", 2});
  ASSERT_TRUE(fund.ok());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      if (funds_->Contribute(*fund, {"c" + std::to_string(i), orgs_[1], 100, ""}).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(Count("fund_backers"), 1);
  EXPECT_EQ(Count("ledger_accounts"), 6);
  auto f = funds_->Figures(*fund);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->pool, 800);
}

}  // namespace
}  // namespace solidum::finance
