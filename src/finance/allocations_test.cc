// Surplus allocations on both stores: a draft from the members' work and their paid-up
// capital in the share register, checked member by member; approved only by the members'
// vote in assembly; posted once to the share-capital book, where what each member is owed
// and the reserve add up to the surplus.
#include "finance/allocations.h"

#include <gtest/gtest.h>

#include "../../tests/support/test_store.h"

namespace solidum::finance {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

std::string Field(const Error& e) { return e.fields.empty() ? e.code : e.fields.at(0).field + " " + e.fields.at(0).code; }

class AllocationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "allocations"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto conn = store_->Acquire();
    org_ = (*conn->QueryOne("INSERT INTO organisations (name, created_at, updated_at) VALUES ('Scop', 'x', 'x') RETURNING id", {}))->Int(0);
    other_ = (*conn->QueryOne("INSERT INTO organisations (name, created_at, updated_at) VALUES ('Other', 'x', 'x') RETURNING id", {}))->Int(0);
    for (const char* name : {"Ana", "Bo", "Cy"}) {
      auto m = conn->QueryOne("INSERT INTO members (organisation_id, kind, name, status, joined_on, created_at, updated_at) VALUES (?, 'person', ?, 'active', '2020-01-01', 'x', 'x') RETURNING id",
                              {org_, std::string(name)});
      ASSERT_TRUE(m.ok()) << m.error().message;
      members_.push_back((*m)->Int(0));
    }
    stranger_ = (*conn->QueryOne("INSERT INTO members (organisation_id, kind, name, status, joined_on, created_at, updated_at) VALUES (?, 'person', 'Zed', 'active', '2020-01-01', 'x', 'x') RETURNING id",
                                 {other_}))->Int(0);
    ledger_ = std::make_unique<ledger::Ledger>(*store_, clock_);
    ASSERT_TRUE(ledger_->Start().ok());
    shares_ = std::make_unique<Shares>(*store_, *ledger_, clock_);
    allocations_ = std::make_unique<Allocations>(*store_, *ledger_, *shares_, clock_);
    ASSERT_TRUE(shares_->Open(org_, "PARTS-SCOP", "EUR", 2).ok());
    auto cls = shares_->CreateClass(org_, {"a", "Parts", 100'00, "", 1, 100'000, 0});
    ASSERT_TRUE(cls.ok()) << cls.error().message;
    // Paid-up capital: Ana 10,000.00, Bo 30,000.00, Cy none.
    for (auto [m, n] : {std::pair{members_[0], 100}, std::pair{members_[1], 300}}) {
      auto s = shares_->Subscribe(org_, {cls->id, m, n, year_month_day{year{2026}, month{1}, day{5}}});
      ASSERT_TRUE(s.ok()) << s.error().message;
      ASSERT_TRUE(shares_->Pay(org_, s->id, {"p", s->amount, year_month_day{year{2026}, month{1}, day{5}}}).ok());
    }
  }
  // The worked SCOP example of the engine's tests: 100,000.00; 15 % reserve, 5 % fund, 3 %
  // on capital, half the rest by hours (1,000, 1,500 and 500).
  AllocationInput Input() {
    AllocationInput in;
    in.year = "2026";
    in.surplus = 10'000'000;
    in.rules.reserve_bp = 1'500;
    in.rules.reserve_min_bp = 1'500;
    in.rules.fund_bp = 500;
    in.rules.share_interest_bp = 300;
    in.rules.share_interest_cap_bp = 400;
    in.rules.refunds_bp = 5'000;
    in.rules_json = "{}";
    in.members = {{members_[0], 1'000, std::nullopt}, {members_[1], 1'500, std::nullopt}, {members_[2], 500, std::nullopt}};
    return in;
  }
  std::int64_t Balance(std::int64_t account) {
    auto a = ledger_->ReadAccount(account);
    return a.ok() && *a ? (*a)->balance : -1;
  }
  std::pair<std::int64_t, std::int64_t> VotedItem(bool adopted) {
    auto conn = store_->Acquire();
    auto a = conn->QueryOne("INSERT INTO assemblies (organisation_id, kind, title, starts_at, timezone, notice_days, quorum_percent, quorum_scope, proxy_limit, "
                            "state, created_at, updated_at) VALUES (?, 'ordinary', 'AG 2027', '2027-05-10T18:00', 'Europe/Paris', 15, 25, 'overall', 1, "
                            "'in_session', 'x', 'x') RETURNING id",
                            {org_});
    auto i = conn->QueryOne("INSERT INTO assembly_items (assembly_id, position, title, decision) VALUES (?, 1, 'Affectation du résultat 2026', ?) RETURNING id",
                            {(*a)->Int(0), std::string(adopted ? R"({"kind":"show_of_hands","adopted":true,"yes":40,"no":2,"abstain":1})"
                                                               : R"({"kind":"show_of_hands","adopted":false,"yes":10,"no":30,"abstain":1})")});
    return {(*a)->Int(0), (*i)->Int(0)};
  }

  solidum::testing::TempDir dir_;
  ManualClock clock_{2'208'988'800'000'000};  // 2040-01-01: every date the tests record has passed
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<Shares> shares_;
  std::unique_ptr<Allocations> allocations_;
  std::int64_t org_ = 0, other_ = 0, stranger_ = 0;
  std::vector<std::int64_t> members_;
};

TEST_F(AllocationsTest, ADraftIsApprovedByTheMembersVoteThenPostedOnce) {
  // Bad input first: nothing is kept.
  auto in = Input();
  in.members.push_back({stranger_, 10, std::nullopt});
  EXPECT_EQ(Field(allocations_->Create(org_, in).error()), "/members/3/member_id not_a_member");
  in = Input();
  in.members.push_back({members_[0], 10, std::nullopt});
  EXPECT_EQ(Field(allocations_->Create(org_, in).error()), "/members/3/member_id repeated");
  in = Input();
  in.rules.fund_bp = 9'000;  // reserve and fund over 100 %
  EXPECT_EQ(Field(allocations_->Create(org_, in).error()), "/rules/fund_bp out_of_range");
  in = Input();
  in.members[1].patronage = -3;
  EXPECT_EQ(Field(allocations_->Create(org_, in).error()), "/members/1/patronage out_of_range");
  EXPECT_TRUE(allocations_->List(org_)->empty());

  auto a = allocations_->Create(org_, Input());
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->status, "draft");
  EXPECT_EQ(a->reserve, 1'500'000);
  EXPECT_EQ(a->interest, 120'000);  // 3 % of 10,000.00 and 30,000.00 from the share register
  EXPECT_EQ(a->refunds, 3'940'000);
  ASSERT_EQ(a->lines.size(), 3u);
  EXPECT_EQ(a->lines[0].member_name, "Ana");
  EXPECT_EQ(a->lines[0].capital, 1'000'000);
  EXPECT_EQ(a->lines[0].refund, 1'313'333);
  EXPECT_EQ(a->lines[2].refund, 656'667);
  EXPECT_EQ(allocations_->Create(org_, Input()).error().code, "year_taken");

  // Not posted before the members approve it; a rejection is final.
  EXPECT_EQ(allocations_->Post(org_, a->id, a->version).error().code, "wrong_status");
  auto [assembly, item] = VotedItem(true);
  EXPECT_EQ(allocations_->Decide(org_, a->id, a->version + 1, assembly, item).error().code, "version_mismatch");
  auto approved = allocations_->Decide(org_, a->id, a->version, assembly, item);
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ(approved->status, "approved");
  EXPECT_EQ(allocations_->Decide(org_, a->id, approved->version, assembly, item).error().code, "wrong_status");

  auto posted = allocations_->Post(org_, a->id, approved->version);
  ASSERT_TRUE(posted.ok()) << posted.error().message;
  EXPECT_EQ(posted->status, "posted");
  EXPECT_EQ(allocations_->Post(org_, a->id, posted->version).error().code, "wrong_status");
  // What the co-operative owes each member, on the ledger.
  auto conn = store_->Acquire();
  auto owed = conn->QueryOne("SELECT account_id FROM member_payables WHERE organisation_id = ? AND member_id = ?", {org_, members_[0]});
  ASSERT_TRUE(owed.ok() && owed->has_value());
  EXPECT_EQ(Balance((*owed)->Int(0)), -(30'000 + 1'313'333));
  auto sums = conn->QueryOne("SELECT surplus_account, reserve_account, fund_account FROM surplus_allocations WHERE id = ?", {a->id});
  EXPECT_EQ(Balance((*sums)->Int(0)), 10'000'000);             // the whole surplus, appropriated
  EXPECT_EQ(Balance((*sums)->Int(1)), -(1'500'000 + 3'940'000));  // reserve and what is retained
  EXPECT_EQ(Balance((*sums)->Int(2)), -500'000);
  EXPECT_TRUE(ledger_->Verify().ok());
  // Posting again after a crash moves nothing twice.
  ASSERT_TRUE(conn->Exec("UPDATE surplus_allocations SET status = 'posting' WHERE id = ?", {a->id}).ok());
  ASSERT_TRUE(allocations_->Start().ok());
  EXPECT_EQ(Balance((*owed)->Int(0)), -(30'000 + 1'313'333));
  EXPECT_EQ(allocations_->Get(org_, a->id)->status, "posted");
}

TEST_F(AllocationsTest, TheMembersMayRejectIt) {
  auto a = allocations_->Create(org_, Input());
  ASSERT_TRUE(a.ok());
  auto [assembly, item] = VotedItem(false);
  auto rejected = allocations_->Decide(org_, a->id, a->version, assembly, item);
  ASSERT_TRUE(rejected.ok()) << rejected.error().message;
  EXPECT_EQ(rejected->status, "rejected");
  EXPECT_EQ(allocations_->Post(org_, a->id, rejected->version).error().code, "wrong_status");
}

}  // namespace
}  // namespace solidum::finance
