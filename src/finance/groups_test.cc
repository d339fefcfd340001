// Savings groups and tontines on both stores: meetings and rounds recorded in order, once
// per number, checked by replaying the cycle (nothing kept of a refused one); money that
// changes hands only in front of the members present; the share-out and the next cycle
// with the social fund carried over; a tontine's pot by order, lottery and bidding; each
// member's own view.
#include <tuple>

#include <gtest/gtest.h>

#include "../../tests/support/test_store.h"
#include "finance/savings_groups.h"
#include "finance/tontines.h"

namespace solidum::finance {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

year_month_day D(int y, unsigned m, unsigned d) { return year_month_day{year{y}, month{m}, day{d}}; }
std::string Field(const Error& e) { return e.fields.empty() ? e.code : e.fields.at(0).field + " " + e.fields.at(0).code; }

class GroupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "groups"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto conn = store_->Acquire();
    auto org = conn->QueryOne("INSERT INTO organisations (name, created_at, updated_at) VALUES ('Association Jigiya', 'x', 'x') RETURNING id", {});
    ASSERT_TRUE(org.ok());
    org_ = (*org)->Int(0);
    auto other = conn->QueryOne("INSERT INTO organisations (name, created_at, updated_at) VALUES ('Elsewhere', 'x', 'x') RETURNING id", {});
    ASSERT_TRUE(other.ok());
    auto user = conn->QueryOne("INSERT INTO users (email, password_hash, created_at) VALUES ('awa@example.org', 'x', 'x') RETURNING id", {});
    ASSERT_TRUE(user.ok());
    user_ = (*user)->Int(0);
    // Awa (with an account), Binta, Coumba, Dado; Fanta left in 2026; Gnima is another
    // organisation's.
    const std::vector<std::tuple<const char*, std::int64_t, const char*, bool>> people{
        {"Awa", org_, nullptr, true}, {"Binta", org_, nullptr, false}, {"Coumba", org_, nullptr, false},
        {"Dado", org_, nullptr, false}, {"Fanta", org_, "2026-06-30", false}, {"Gnima", (*other)->Int(0), nullptr, false}};
    for (const auto& [name, o, left, linked] : people) {
      auto m = conn->QueryOne("INSERT INTO members (organisation_id, kind, name, status, joined_on, left_on, user_id, created_at, updated_at) "
                              "VALUES (?, 'person', ?, 'active', '2020-01-01', ?, ?, 'x', 'x') RETURNING id",
                              {o, std::string(name), left ? store::Value(std::string(left)) : store::Value(store::Null{}),
                               linked ? store::Value(user_) : store::Value(store::Null{})});
      ASSERT_TRUE(m.ok()) << m.error().message;
      m_.push_back((*m)->Int(0));
    }
    ledger_ = std::make_unique<ledger::Ledger>(*store_, clock_);
    ASSERT_TRUE(ledger_->Start().ok());
    groups_ = std::make_unique<SavingsGroups>(*store_, *ledger_, clock_);
    tontines_ = std::make_unique<Tontines>(*store_, clock_);
  }
  // The ledger's balance of an account of the group's book.
  std::int64_t Balance(std::int64_t account) {
    auto a = ledger_->ReadAccount(account);
    return a.ok() && *a ? (*a)->balance : -1;
  }
  std::int64_t Count(const std::string& table) {
    auto conn = store_->Acquire();
    auto r = conn->QueryOne("SELECT COUNT(*) FROM " + table, {});
    return r.ok() ? (*r)->Int(0) : -1;
  }
  SavingsGroupInput Group() {
    SavingsGroupInput in;
    in.name = "Jigiya 1";
    in.unit = "XOF";
    in.decimals = 0;
    in.started_on = D(2027, 1, 4);
    in.rules = SavingsGroupRules{500, 5, 100, 1'000, 4, 0};  // 500 a share; 10 % every 4 weekly meetings
    in.members = {m_[0], m_[1], m_[2]};
    return in;
  }
  MeetingInput Meeting(std::int64_t number, year_month_day on) {
    MeetingInput in;
    in.number = number;
    in.held_on = on;
    in.record.present = {m_[0], m_[1], m_[2]};
    return in;
  }

  solidum::testing::TempDir dir_;
  ManualClock clock_{2'208'988'800'000'000};  // 2040-01-01
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<SavingsGroups> groups_;
  std::unique_ptr<Tontines> tontines_;
  std::int64_t org_ = 0, user_ = 0;
  std::vector<std::int64_t> m_;
};

TEST_F(GroupsTest, ASavingsGroupIsCheckedByField) {
  auto bad = [&](SavingsGroupInput in) {
    auto r = groups_->Create(org_, in);
    return r.ok() ? std::string("ok") : Field(r.error());
  };
  auto in = Group();
  in.name = " ";
  EXPECT_EQ(bad(in), "/name invalid");
  in = Group();
  in.rules.share_value = 0;
  EXPECT_EQ(bad(in), "/rules/share_value out_of_range");
  in = Group();
  in.members = {m_[0], m_[4]};  // Fanta left in 2026, before the cycle starts
  EXPECT_EQ(bad(in), "/members/1 not_a_member");
  in.members = {m_[0], m_[5]};  // another organisation's
  EXPECT_EQ(bad(in), "/members/1 not_a_member");
  in.members = {m_[0], m_[0]};
  EXPECT_EQ(bad(in), "/members/1 repeated");
  in.members = {};
  EXPECT_EQ(bad(in), "/members out_of_range");
  EXPECT_EQ(Count("savings_groups"), 0);
  EXPECT_EQ(Count("savings_group_cycles"), 0);
  ASSERT_EQ(bad(Group()), "ok");
  EXPECT_EQ(bad(Group()), "name_taken");
}

TEST_F(GroupsTest, MeetingsAreRecordedInOrderOncePerNumberAndShareOut) {
  auto g = groups_->Create(org_, Group());
  ASSERT_TRUE(g.ok()) << g.error().message;
  const std::int64_t id = g->group.id;
  auto m1 = Meeting(1, D(2027, 1, 4));
  m1.record.shares = {{m_[0], 5}, {m_[1], 3}, {m_[2], 2}};  // 5,000 in the box
  m1.record.social = {m_[0], m_[1], m_[2]};
  m1.record.loans = {{m_[1], 4'000}};
  auto r1 = groups_->RecordMeeting(org_, id, m1);
  ASSERT_TRUE(r1.ok()) << r1.error().message;
  EXPECT_FALSE(r1->second);
  EXPECT_EQ(r1->first.state.loan_fund, 1'000);
  EXPECT_EQ(r1->first.state.social_fund, 300);
  // The same on the group's ledger book.
  const auto& book = r1->first.group;
  EXPECT_EQ(Balance(book.loan_fund_account), 1'000);
  EXPECT_EQ(Balance(book.social_fund_account), 300);
  EXPECT_EQ(Balance(book.members_account), -1'300);
  // Sent again (a phone that lost the answer): the same meeting, nothing more.
  auto again = groups_->RecordMeeting(org_, id, m1);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->second);
  EXPECT_EQ(Count("savings_group_meetings"), 1);
  auto changed = m1;
  changed.record.shares[0].amount = 4;
  EXPECT_EQ(Field(groups_->RecordMeeting(org_, id, changed).error()), "meeting_recorded");

  const auto lines = Count("savings_group_lines");
  auto bad = [&](MeetingInput in) {
    auto r = groups_->RecordMeeting(org_, id, in);
    return r.ok() ? std::string("ok") : Field(r.error());
  };
  auto m2 = Meeting(2, D(2027, 1, 11));
  m2.record.present = {m_[0], m_[1]};
  m2.record.shares = {{m_[0], 1}, {m_[2], 1}};  // Coumba was not there: bought outside a meeting
  EXPECT_EQ(bad(m2), "/shares/1/member absent");
  m2.record.shares = {{m_[0], 6}};
  EXPECT_EQ(bad(m2), "/shares/0/amount out_of_range");
  m2.record.shares = {};
  m2.record.loans = {{m_[0], 1'001}};
  EXPECT_EQ(bad(m2), "/loans/0/amount exceeds_fund");
  m2.record.loans = {};
  m2.record.repayments = {{m_[2], 1}};  // owes nothing
  EXPECT_EQ(bad(m2), "/repayments/0/amount exceeds_balance");
  m2.record.repayments = {{m_[1], 2'000}};  // Binta's repayment, brought by Awa
  m2.number = 3;
  EXPECT_EQ(bad(m2), "/number out_of_order");
  m2.number = 2;
  m2.held_on = D(2027, 1, 3);
  EXPECT_EQ(bad(m2), "/held_on before_previous");
  m2.held_on = D(2040, 1, 3);
  EXPECT_EQ(bad(m2), "/held_on in_future");
  EXPECT_EQ(Count("savings_group_meetings"), 1);
  EXPECT_EQ(Count("savings_group_lines"), lines);
  m2.held_on = D(2027, 1, 11);
  ASSERT_EQ(bad(m2), "ok");

  // The cycle cannot share out while Binta owes (the charge came at the fourth meeting).
  for (int k = 3; k <= 4; ++k) ASSERT_EQ(bad(Meeting(k, D(2027, 1, static_cast<unsigned>(4 + 7 * (k - 1))))), "ok");
  EXPECT_EQ(Field(groups_->ShareOut(org_, id, D(2027, 2, 1)).error()), "loans_outstanding");
  auto v = groups_->Get(org_, id);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->state.members[1].loan_balance, 2'000);  // the charge comes at the fourth meeting after the loan
  auto m5 = Meeting(5, D(2027, 2, 1));
  m5.record.repayments = {{m_[1], 2'000}};
  EXPECT_EQ(bad(m5), "ok");  // 2,200 is owed by then: this leaves 200
  EXPECT_EQ(Count("savings_group_meetings"), 5);
  EXPECT_EQ(Field(groups_->ShareOut(org_, id, D(2027, 2, 1)).error()), "loans_outstanding");
  m5 = Meeting(6, D(2027, 2, 1));
  m5.record.repayments = {{m_[1], 200}};
  m5.record.grants = {{m_[2], 100}};
  ASSERT_EQ(bad(m5), "ok");
  auto out = groups_->ShareOut(org_, id, D(2027, 2, 1));
  ASSERT_TRUE(out.ok()) << out.error().message;
  // 5,000 of shares + 200 of service charge, for 10 shares.
  EXPECT_EQ(out->state.members[0].share_out, 2'600);
  EXPECT_EQ(out->state.members[1].share_out, 1'560);
  EXPECT_EQ(out->state.members[2].share_out, 1'040);
  EXPECT_EQ(out->state.social_fund, 200);
  // On the ledger: the box is emptied back to the members, the social fund stays.
  EXPECT_EQ(Balance(book.loan_fund_account), 0);
  EXPECT_EQ(Balance(book.social_fund_account), 200);
  EXPECT_EQ(Balance(book.members_account), -200);
  auto out_transfer = ledger_->FindTransfer("v" + std::to_string(id) + "-c1-out");
  ASSERT_TRUE(out_transfer.ok() && *out_transfer);
  EXPECT_EQ((*out_transfer)->amount, 5'200);
  EXPECT_EQ(bad(Meeting(7, D(2027, 2, 8))), "cycle_closed");
  EXPECT_EQ(Field(groups_->ShareOut(org_, id, D(2027, 2, 2)).error()), "cycle_closed");

  // The next cycle: Dado joins, and the social fund is carried over.
  auto next = groups_->NextCycle(org_, id, D(2027, 2, 8), std::nullopt, std::vector<std::int64_t>{m_[0], m_[1], m_[2], m_[3]});
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->cycle.number, 2);
  EXPECT_EQ(next->cycle.members.size(), 4u);
  EXPECT_EQ(next->state.social_fund, 200);
  EXPECT_EQ(next->meetings.size(), 0u);
  EXPECT_EQ(Field(groups_->NextCycle(org_, id, D(2027, 2, 9), std::nullopt, std::nullopt).error()), "cycle_open");
  auto n1 = Meeting(1, D(2027, 2, 8));
  n1.record.present = {m_[3]};
  n1.record.shares = {{m_[3], 2}};
  ASSERT_EQ(bad(n1), "ok");
  EXPECT_EQ(Balance(book.loan_fund_account), 1'000);
  EXPECT_EQ(Balance(book.social_fund_account), 200);

  // Awa sees her place in the current cycle.
  auto own = groups_->OfUser(user_);
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ((*own)[0].member_id, m_[0]);
  EXPECT_EQ((*own)[0].group.cycle, 2);
  EXPECT_EQ((*own)[0].position.shares, 0);
  auto list = groups_->List(org_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].meetings, 1);
  EXPECT_EQ((*list)[0].members, 4);
  EXPECT_EQ(groups_->Get(org_ + 1, id).error().kind, ErrorKind::kNotFound);
}

TEST_F(GroupsTest, AMeetingACrashLeftUnpostedIsPostedAtStart) {
  auto g = groups_->Create(org_, Group());
  ASSERT_TRUE(g.ok()) << g.error().message;
  const auto book = g->group;
  auto m1 = Meeting(1, D(2027, 1, 4));
  m1.record.shares = {{m_[0], 2}, {m_[1], 2}};
  m1.record.social = {m_[0]};
  m1.record.loans = {{m_[2], 1'500}};
  ASSERT_TRUE(groups_->RecordMeeting(org_, book.id, m1).ok());
  EXPECT_EQ(Balance(book.loan_fund_account), 500);
  // A crash between a meeting's commit and its posting leaves its row and lines with
  // posted_at null and nothing on the ledger: written here as RecordMeeting writes them.
  {
    auto conn = store_->Acquire();
    auto cycle = conn->QueryOne("SELECT id FROM savings_group_cycles WHERE group_id = ?", {book.id});
    ASSERT_TRUE(cycle.ok() && *cycle);
    auto row = conn->QueryOne("INSERT INTO savings_group_meetings (cycle_id, number, held_on, entered_at) VALUES (?, 2, '2027-01-11', 'x') RETURNING id",
                              {(*cycle)->Int(0)});
    ASSERT_TRUE(row.ok()) << row.error().message;
    const std::int64_t meeting = (*row)->Int(0);
    const std::vector<std::tuple<const char*, std::int64_t, std::int64_t>> lines{
        {"present", m_[2], 0}, {"shares", m_[2], 1}, {"repayments", m_[2], 1'000}};
    for (const auto& [kind, member, amount] : lines) {
      ASSERT_TRUE(conn->Exec("INSERT INTO savings_group_lines (meeting_id, kind, position, member_id, amount) VALUES (?, ?, 0, ?, ?)",
                             {meeting, std::string(kind), member, amount}).ok());
    }
  }
  EXPECT_EQ(Balance(book.loan_fund_account), 500);
  ASSERT_TRUE(groups_->Start().ok());
  EXPECT_EQ(Balance(book.loan_fund_account), 2'000);
  EXPECT_EQ(Count("savings_group_meetings WHERE posted_at IS NULL"), 0);
  // A crash after posting, before the mark: the transfers' ids are the meeting's, so
  // posting again moves nothing.
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->Exec("UPDATE savings_group_meetings SET posted_at = NULL", {}).ok());
  }
  ASSERT_TRUE(groups_->Start().ok());
  EXPECT_EQ(Balance(book.loan_fund_account), 2'000);
  EXPECT_EQ(Balance(book.social_fund_account), 100);
  EXPECT_EQ(Balance(book.members_account), -2'100);
  EXPECT_EQ(Count("savings_group_meetings WHERE posted_at IS NULL"), 0);
}

TEST_F(GroupsTest, ATontineTakesRoundsInOrderWithBidsAndMissedContributions) {
  TontineInput in;
  in.name = "Tontine du marché";
  in.unit = "XOF";
  in.contribution = 10'000;
  in.order = PotOrder::kBidding;
  in.period = RoundPeriod::kMonthly;
  in.started_on = D(2027, 1, 31);
  in.members = {m_[0], m_[1], m_[2]};
  auto t = tontines_->Create(org_, in);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->seed.size(), 32u);  // drawn at random, published now
  EXPECT_EQ(t->next_round, 1);
  EXPECT_EQ(t->next_due, D(2027, 1, 31));
  EXPECT_FALSE(t->next_recipient.has_value());  // bidding decides
  const std::int64_t id = t->tontine.id;
  auto bad = [&](RoundInput r) {
    auto x = tontines_->RecordRound(org_, id, r);
    return x.ok() ? std::string("ok") : Field(x.error());
  };
  RoundInput r1{1, D(2027, 1, 31), RoundFacts{{{m_[0], 27'000}, {m_[1], 28'500}}, {{m_[2], m_[0]}}}, user_};
  EXPECT_EQ(bad(RoundInput{1, D(2027, 1, 31), RoundFacts{{{m_[3], 27'000}}, {}}, user_}), "/bids/0/member unknown_member");
  EXPECT_EQ(bad(RoundInput{1, D(2027, 1, 31), RoundFacts{{{m_[0], 30'001}}, {}}, user_}), "/bids/0/amount out_of_range");
  EXPECT_EQ(bad(RoundInput{1, D(2027, 1, 31), RoundFacts{{{m_[0], 27'000}}, {{m_[0], m_[0]}}}, user_}), "/missed/0/coverer cannot_cover");
  EXPECT_EQ(Count("tontine_rounds"), 0);
  auto x1 = tontines_->RecordRound(org_, id, r1);
  ASSERT_TRUE(x1.ok()) << x1.error().message;
  EXPECT_EQ(x1->first.state.rounds[0].recipient, m_[0]);
  EXPECT_EQ(x1->first.state.rounds[0].discount, 3'000);
  EXPECT_EQ(x1->first.state.members[2].owes_for_missed, 10'000);  // Coumba owes Awa
  EXPECT_EQ(x1->first.state.members[0].covered_for_others, 10'000);
  EXPECT_TRUE(tontines_->RecordRound(org_, id, r1)->second);
  auto other = r1;
  other.facts.bids[0].amount = 26'000;
  EXPECT_EQ(Field(tontines_->RecordRound(org_, id, other).error()), "round_recorded");
  EXPECT_EQ(bad(RoundInput{2, D(2027, 2, 28), RoundFacts{{{m_[0], 20'000}}, {}}, user_}), "/bids/0/member already_received");
  ASSERT_EQ(bad(RoundInput{2, D(2027, 2, 28), RoundFacts{{{m_[2], 29'000}}, {}}, user_}), "ok");
  auto v = tontines_->Get(org_, id);
  ASSERT_TRUE(v.ok());
  const auto after_two = v->state.members;
  EXPECT_EQ(v->next_recipient, m_[1]);  // the last left takes the last pot whole
  EXPECT_EQ(v->next_due, D(2027, 3, 31));
  EXPECT_EQ(bad(RoundInput{3, D(2027, 3, 31), RoundFacts{{{m_[1], 29'000}}, {}}, user_}), "/bids last_pot");
  ASSERT_EQ(bad(RoundInput{3, D(2027, 3, 31), RoundFacts{}, user_}), "ok");
  EXPECT_EQ(bad(RoundInput{4, D(2027, 4, 30), RoundFacts{}, user_}), "cycle_complete");
  v = tontines_->Get(org_, id);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->next_round.has_value());
  std::int64_t net = 0;
  for (const auto& p : v->state.members) net += p.net;
  EXPECT_EQ(net, 0);  // over a whole cycle, no one's gain is not another's contribution
  // Each member's position at any time: as of a day, from the rounds held by then.
  auto then = tontines_->Get(org_, id, D(2027, 3, 30));
  ASSERT_TRUE(then.ok());
  EXPECT_EQ(then->as_of, D(2027, 3, 30));
  EXPECT_EQ(then->rounds.size(), 2u);
  ASSERT_EQ(then->state.members.size(), after_two.size());
  for (std::size_t i = 0; i < after_two.size(); ++i) {
    EXPECT_EQ(then->state.members[i].paid_in, after_two[i].paid_in);
    EXPECT_EQ(then->state.members[i].received, after_two[i].received);
    EXPECT_EQ(then->state.members[i].net, after_two[i].net);
  }
  EXPECT_NE(then->state.members[1].received, v->state.members[1].received);  // Binta's pot came on the 31st
  auto before = tontines_->Get(org_, id, D(2027, 1, 30));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->rounds.size(), 0u);
  for (const auto& p : before->state.members) EXPECT_EQ(p.paid_in + p.received, 0);
  EXPECT_EQ(Field(tontines_->Get(org_, id, std::chrono::year_month_day{std::chrono::year(2027), std::chrono::month(2), std::chrono::day(30)}).error()), "?as_of invalid_date");
  auto own = tontines_->OfUser(user_);
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ((*own)[0].position.pot_round, 1);
}

TEST_F(GroupsTest, ALotteryTontinePublishesItsDrawAtTheStart) {
  TontineInput in;
  in.name = "Lottery";
  in.unit = "KES";
  in.decimals = 2;
  in.contribution = 50'000;
  in.order = PotOrder::kLottery;
  in.seed = "minutes of 2027-01-01";
  in.period = RoundPeriod::kWeekly;
  in.started_on = D(2027, 1, 1);
  in.members = {m_[0], m_[1], m_[2], m_[3]};
  auto t = tontines_->Create(org_, in);
  ASSERT_TRUE(t.ok()) << t.error().message;
  const auto order = LotteryOrder(in.members, in.seed);
  EXPECT_EQ(t->state.lottery_order, order);
  EXPECT_EQ(t->next_recipient, order[0]);
  auto x = tontines_->RecordRound(org_, t->tontine.id, RoundInput{1, D(2027, 1, 1), {}, std::nullopt});
  ASSERT_TRUE(x.ok()) << x.error().message;
  EXPECT_EQ(x->first.state.rounds[0].recipient, order[0]);
  EXPECT_EQ(x->first.next_recipient, order[1]);
  EXPECT_EQ(x->first.next_due, D(2027, 1, 8));
  in.name = "Fixed";
  in.order = PotOrder::kFixed;
  EXPECT_EQ(Field(tontines_->Create(org_, in).error()), "/seed invalid");
  in.seed = "";
  in.contribution = 0;
  EXPECT_EQ(Field(tontines_->Create(org_, in).error()), "/contribution out_of_range");
  EXPECT_EQ(RoundDue(D(2027, 1, 31), RoundPeriod::kMonthly, 2), D(2027, 2, 28));
}

}  // namespace
}  // namespace solidum::finance
