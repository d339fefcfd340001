// Member shares on both stores: classes per member class; subscriptions paid in
// instalments, once per id, a certificate when paid in full; transfers between members of
// the class and redemptions after the holding period, each certificate split as needed;
// the register and the ledger agree at every step; bad input named, nothing half-done.
#include "finance/shares.h"

#include <gtest/gtest.h>

#include "../../tests/support/test_store.h"

namespace solidum::finance {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

year_month_day D(int y, unsigned m, unsigned d) { return year_month_day{year{y}, month{m}, day{d}}; }
std::string Field(const Error& e) { return e.fields.empty() ? e.code : e.fields.at(0).field + " " + e.fields.at(0).code; }

class SharesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "shares"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto conn = store_->Acquire();
    auto org = conn->QueryOne("INSERT INTO organisations (name, created_at, updated_at) VALUES ('Scop des Ateliers', 'x', 'x') RETURNING id", {});
    ASSERT_TRUE(org.ok());
    org_ = (*org)->Int(0);
    for (const char* code : {"worker", "user"}) {
      auto c = conn->QueryOne("INSERT INTO member_classes (organisation_id, code, name, created_at, updated_at) VALUES (?, ?, ?, 'x', 'x') RETURNING id",
                              {org_, std::string(code), std::string(code)});
      ASSERT_TRUE(c.ok()) << c.error().message;
      classes_.push_back((*c)->Int(0));
    }
    // Ana and Bo are workers, Cy a user; Dee left in 2026.
    const std::vector<std::tuple<const char*, int, const char*>> people{{"Ana", 0, nullptr}, {"Bo", 0, nullptr}, {"Cy", 1, nullptr}, {"Dee", 0, "2026-06-30"}};
    for (const auto& [name, cls, left] : people) {
      auto m = conn->QueryOne("INSERT INTO members (organisation_id, kind, name, class_id, status, joined_on, left_on, created_at, updated_at) "
                              "VALUES (?, 'person', ?, ?, 'active', '2020-01-01', ?, 'x', 'x') RETURNING id",
                              {org_, std::string(name), classes_[static_cast<std::size_t>(cls)], left ? store::Value(std::string(left)) : store::Value(store::Null{})});
      ASSERT_TRUE(m.ok()) << m.error().message;
      members_.push_back((*m)->Int(0));
    }
    ledger_ = std::make_unique<ledger::Ledger>(*store_, clock_);
    ASSERT_TRUE(ledger_->Start().ok());
    shares_ = std::make_unique<Shares>(*store_, *ledger_, clock_);
    auto book = shares_->Open(org_, "PARTS-ATL", "EUR", 2);
    ASSERT_TRUE(book.ok()) << book.error().message;
    book_ = *book;
    ShareClassInput worker{"a", "Parts de travailleurs", 10'000, "worker", 1, 100, 5};  // 100.00 each, held 5 years
    auto a = shares_->CreateClass(org_, worker);
    ASSERT_TRUE(a.ok()) << a.error().message;
    class_a_ = a->id;
  }
  std::int64_t Balance(std::int64_t account) {
    auto a = ledger_->ReadAccount(account);
    return a.ok() && *a ? (*a)->balance : -1;
  }
  std::int64_t Count(const std::string& table) {
    auto conn = store_->Acquire();
    auto r = conn->QueryOne("SELECT COUNT(*) FROM " + table, {});
    return r.ok() ? (*r)->Int(0) : -1;
  }
  // Subscribes and pays `shares` for a member at once; answers the subscription.
  Subscription Holding(std::int64_t member, std::int64_t shares, year_month_day on, const std::string& id) {
    auto s = shares_->Subscribe(org_, {class_a_, member, shares, on});
    EXPECT_TRUE(s.ok()) << s.error().message;
    auto p = shares_->Pay(org_, s->id, {id, s->amount, on});
    EXPECT_TRUE(p.ok()) << p.error().message;
    return p->first;
  }

  solidum::testing::TempDir dir_;
  ManualClock clock_{2'208'988'800'000'000};  // 2040-01-01: every date the tests record has passed
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<Shares> shares_;
  std::int64_t org_ = 0, class_a_ = 0;
  std::vector<std::int64_t> classes_, members_;
  ShareBook book_;
};

TEST_F(SharesTest, ClassesAndSubscriptionsAreCheckedByField) {
  EXPECT_EQ(shares_->Open(org_, "PARTS-2", "EUR", 2).error().code, "book_exists");
  auto bad_class = [&](ShareClassInput in) {
    auto r = shares_->CreateClass(org_, in);
    return r.ok() ? std::string("ok") : Field(r.error());
  };
  EXPECT_EQ(bad_class({"B c", "x", 100, "", 0, 10, 0}), "/code invalid_code");
  EXPECT_EQ(bad_class({"b", "x", 0, "", 0, 10, 0}), "/nominal out_of_range");
  EXPECT_EQ(bad_class({"b", "x", -5, "", 0, 10, 0}), "/nominal out_of_range");
  EXPECT_EQ(bad_class({"b", "x", 100, "investor", 0, 10, 0}), "/member_class unknown_class");
  EXPECT_EQ(bad_class({"b", "x", 100, "", 5, 4, 0}), "/max_shares out_of_range");
  EXPECT_EQ(bad_class({"a", "x", 100, "", 0, 10, 0}), "code_taken");
  EXPECT_EQ(bad_class({"b", "x", 1'000'000'000'000, "", 0, 1'000'000, 0}), "/max_shares too_large");  // 10^18 minor units a member
  auto bad_sub = [&](SubscribeInput in) {
    auto r = shares_->Subscribe(org_, in);
    return r.ok() ? std::string("ok") : Field(r.error());
  };
  EXPECT_EQ(bad_sub({class_a_, members_[0], 0, D(2027, 1, 1)}), "/shares out_of_range");
  EXPECT_EQ(bad_sub({class_a_, members_[0], 101, D(2027, 1, 1)}), "/shares above_maximum");
  EXPECT_EQ(bad_sub({class_a_, members_[2], 1, D(2027, 1, 1)}), "/member_id wrong_member_class");  // Cy is a user
  EXPECT_EQ(bad_sub({class_a_, members_[3], 1, D(2027, 1, 1)}), "/member_id not_a_member");        // Dee left
  EXPECT_EQ(bad_sub({999, members_[0], 1, D(2027, 1, 1)}), "/class_id unknown_class");
  EXPECT_EQ(Count("share_subscriptions"), 0);
}

TEST_F(SharesTest, ASubscriptionIsPaidInInstalmentsOncePerIdThenCertified) {
  auto s = shares_->Subscribe(org_, {class_a_, members_[0], 30, D(2027, 1, 10)});  // 3,000.00
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->amount, 300'000);
  auto first = shares_->Pay(org_, s->id, {"jan", 100'000, D(2027, 1, 10)});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->second);
  EXPECT_EQ(first->first.paid, 100'000);
  EXPECT_FALSE(first->first.certificate_number.has_value());
  auto again = shares_->Pay(org_, s->id, {"jan", 100'000, D(2027, 1, 10)});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->second);
  EXPECT_EQ(again->first.paid, 100'000);
  EXPECT_EQ(Balance(book_.cash_account), 100'000);
  EXPECT_EQ(shares_->Pay(org_, s->id, {"jan", 1, D(2027, 1, 10)}).error().code, "id_reused_with_different_content");
  EXPECT_EQ(Field(shares_->Pay(org_, s->id, {"feb", 200'001, D(2027, 2, 10)}).error()), "/amount more_than_owed");
  EXPECT_EQ(Field(shares_->Pay(org_, s->id, {"feb", -1, D(2027, 2, 10)}).error()), "/amount out_of_range");
  EXPECT_EQ(Field(shares_->Pay(org_, s->id, {"feb", 1, D(2040, 1, 3)}).error()), "/paid_on in_future");  // the clock says 1 January 2040
  auto reg = shares_->Register(org_);
  ASSERT_TRUE(reg.ok()) << reg.error().message;
  EXPECT_EQ(reg->shares, 0);
  EXPECT_EQ(reg->unpaid, 200'000);
  auto rest = shares_->Pay(org_, s->id, {"feb", 200'000, D(2027, 2, 10)});
  ASSERT_TRUE(rest.ok()) << rest.error().message;
  ASSERT_TRUE(rest->first.certificate_number.has_value());
  EXPECT_EQ(*rest->first.certificate_number, 1);
  EXPECT_EQ(shares_->Pay(org_, s->id, {"mar", 1, D(2027, 3, 10)}).error().code, "paid_in_full");
  reg = shares_->Register(org_);
  EXPECT_EQ(reg->shares, 30);
  EXPECT_EQ(reg->capital, 300'000);
  EXPECT_EQ(reg->cash, 300'000);
  EXPECT_EQ(reg->members, 1);
  ASSERT_EQ(reg->holdings.size(), 1u);
  EXPECT_EQ(reg->holdings[0].member_name, "Ana");
  EXPECT_TRUE(ledger_->Verify().ok());
}

TEST_F(SharesTest, TransfersAndRedemptionsSplitCertificatesAndKeepTheRules) {
  Holding(members_[0], 10, D(2020, 3, 1), "a1");  // certificate 1: 10 shares since 2020
  Holding(members_[0], 5, D(2026, 3, 1), "a2");   // certificate 2: 5 since 2026
  // Ana gives Bo 12 shares: certificate 1 whole, 2 of certificate 2 (3 remain, dated 2026).
  auto t = shares_->Move(org_, {"gift", class_a_, members_[0], members_[1], 12, D(2027, 1, 15)});
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->amount, 120'000);
  EXPECT_TRUE(shares_->Move(org_, {"gift", class_a_, members_[0], members_[1], 12, D(2027, 1, 15)})->replayed);
  EXPECT_EQ(shares_->Move(org_, {"gift", class_a_, members_[0], members_[1], 11, D(2027, 1, 15)}).error().code, "id_reused_with_different_content");
  auto certs = shares_->Certificates(org_, members_[0]);
  ASSERT_TRUE(certs.ok());
  std::int64_t live = 0;
  for (const auto& k : *certs) live += k.cancelled_on ? 0 : k.shares;
  EXPECT_EQ(live, 3);
  auto reg = shares_->Register(org_);
  ASSERT_EQ(reg->holdings.size(), 2u);
  EXPECT_EQ(reg->holdings[0].member_name, "Ana");
  EXPECT_EQ(reg->holdings[0].shares, 3);
  EXPECT_EQ(reg->holdings[1].shares, 12);
  EXPECT_EQ(reg->cash, 150'000);  // a transfer between members moves no cash

  // The rules: not more than held; not to a user; a member who stays keeps one share;
  // not redeemed before five years (Ana's remaining shares date from 2026).
  EXPECT_EQ(Field(shares_->Move(org_, {"x1", class_a_, members_[0], members_[1], 4, D(2027, 2, 1)}).error()), "/shares more_than_held");
  EXPECT_EQ(Field(shares_->Move(org_, {"x2", class_a_, members_[0], members_[2], 1, D(2027, 2, 1)}).error()), "/to_member wrong_member_class");
  EXPECT_EQ(Field(shares_->Move(org_, {"x3", class_a_, members_[0], std::nullopt, 3, D(2032, 2, 1)}).error()), "/shares below_minimum");
  EXPECT_EQ(shares_->Move(org_, {"x4", class_a_, members_[0], std::nullopt, 2, D(2030, 2, 1)}).error().code, "holding_period");
  // Bo's shares came by transfer in 2027: his own holding period starts then.
  EXPECT_EQ(shares_->Move(org_, {"x5", class_a_, members_[1], std::nullopt, 2, D(2031, 1, 1)}).error().code, "holding_period");
  auto redeemed = shares_->Move(org_, {"r1", class_a_, members_[0], std::nullopt, 2, D(2031, 3, 1)});
  ASSERT_TRUE(redeemed.ok()) << redeemed.error().message;
  EXPECT_EQ(redeemed->kind, "redemption");
  reg = shares_->Register(org_);
  EXPECT_EQ(reg->cash, 130'000);
  EXPECT_EQ(reg->shares, 13);
  EXPECT_EQ(Count("share_movements"), 2);
  EXPECT_TRUE(ledger_->Verify().ok());
}

TEST_F(SharesTest, WhatACrashLeftUnpostedIsPostedAtStart) {
  auto s = shares_->Subscribe(org_, {class_a_, members_[0], 3, D(2027, 1, 10)});
  ASSERT_TRUE(s.ok());
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->Exec("INSERT INTO share_payments (subscription_id, request_id, amount, paid_on, created_at) VALUES (?, 'crashed', 30000, '2027-01-10', 'x')",
                           {s->id})
                    .ok());
  }
  EXPECT_EQ(Balance(book_.cash_account), 0);
  ASSERT_TRUE(shares_->Start().ok());
  EXPECT_EQ(Balance(book_.cash_account), 30'000);
  ASSERT_TRUE(shares_->Start().ok());
  EXPECT_EQ(Balance(book_.cash_account), 30'000);
}

}  // namespace
}  // namespace solidum::finance
