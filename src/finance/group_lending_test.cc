// Group lending: the schedule split among members to the minor unit, instalment by
// instalment; each member's own arrears; a member covered by another under joint
// liability; arrears nobody covers are the group's; bad sheets named by line.
#include "finance/group_lending.h"

#include <gtest/gtest.h>

#include <random>

#include "finance/schedule.h"

namespace solidum::finance {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

year_month_day D(int y, unsigned m, unsigned d) { return year_month_day{year{y}, month{m}, day{d}}; }

std::vector<Due> Dues(const Terms& t) {
  auto s = ComputeSchedule(t);
  EXPECT_TRUE(s.ok());
  std::vector<Due> out;
  for (const auto& i : s->instalments) out.push_back(Due{i.due, i.principal, i.interest, 0});
  return out;
}

Terms Weekly(std::int64_t principal) {
  Terms t;
  t.principal = principal;
  t.annual_rate_ppm = 200'000;
  t.method = Method::kFlat;
  t.period = Period::kWeekly;
  t.instalments = 10;
  t.first_due = D(2027, 1, 8);
  return t;
}

std::string Field(const Error& e) { return e.fields.empty() ? e.code : e.fields.at(0).field + " " + e.fields.at(0).code; }

TEST(GroupLending, TheMembersSchedulesAddUpToTheGroupsInstalmentByInstalment) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 300; ++round) {
    const int n = std::uniform_int_distribution<int>(1, 12)(rng);
    std::vector<MemberPart> parts;
    std::int64_t principal = 0;
    for (int i = 0; i < n; ++i) {
      parts.push_back({100 + i, std::uniform_int_distribution<std::int64_t>(1, 500'000)(rng)});
      principal += parts.back().amount;
    }
    Terms t = Weekly(principal);
    t.method = round % 2 ? Method::kEqualInstalments : Method::kFlat;
    const auto dues = Dues(t);
    auto split = SplitSchedule(dues, principal, parts);
    ASSERT_TRUE(split.ok()) << split.error().message;
    std::int64_t own_principal = 0;
    for (std::size_t k = 0; k < dues.size(); ++k) {
      std::int64_t p = 0, i = 0;
      for (const auto& s : *split) {
        p += s[k].principal;
        i += s[k].interest;
        EXPECT_EQ(s[k].due, dues[k].due);
      }
      EXPECT_EQ(p, dues[k].principal) << round;
      EXPECT_EQ(i, dues[k].interest) << round;
    }
    for (const auto& d : (*split)[0]) own_principal += d.principal;
    // Each member owes about their part: within one minor unit per instalment.
    EXPECT_LE(std::abs(own_principal - parts[0].amount), static_cast<std::int64_t>(dues.size())) << round;
  }
}

TEST(GroupLending, AMemberCoveredByAnotherIsCurrentAndOwesThemWhileUncoveredArrearsAreTheGroups) {
  // Three women borrow 300,000 together: 100,000 each, ten weekly instalments.
  const std::vector<MemberPart> parts{{1, 100'000}, {2, 100'000}, {3, 100'000}};
  const auto dues = Dues(Weekly(300'000));
  auto split = SplitSchedule(dues, 300'000, parts);
  ASSERT_TRUE(split.ok());
  // What member m owes at instalment k (their parts differ by a minor unit at most).
  auto owed = [&](std::size_t m, std::size_t k) { return (*split)[m][k].principal + (*split)[m][k].interest; };
  // Week 1: everyone pays. Week 2: member 3 cannot; member 1 pays for her. Week 3: member 3
  // pays nothing and nobody covers her.
  std::vector<Collection> meetings{
      {D(2027, 1, 8), {{1, owed(0, 0), {}}, {2, owed(1, 0), {}}, {3, owed(2, 0), {}}}},
      {D(2027, 1, 15), {{1, owed(0, 1), {}}, {2, owed(1, 1), {}}, {3, owed(2, 1), 1}}},
      {D(2027, 1, 22), {{1, owed(0, 2), {}}, {2, owed(1, 2), {}}}},
  };
  auto g = Standing(dues, 300'000, parts, meetings, std::nullopt, D(2027, 1, 22));
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g->members[0].position.arrears, 0);
  EXPECT_EQ(g->members[0].paid_for_others, owed(2, 1));
  EXPECT_EQ(g->members[2].covered_by_others, owed(2, 1));
  EXPECT_EQ(g->members[2].position.arrears, owed(2, 2));
  EXPECT_EQ(g->members_in_arrears, 1);
  EXPECT_EQ(g->arrears, g->members[2].position.arrears);
  EXPECT_EQ(g->due_now, g->arrears);
  // The group's own loan, paid the sheets' totals, is in arrears by the same amount.
  std::vector<Repayment> totals;
  for (const auto& m : meetings) {
    std::int64_t sum = 0;
    for (const auto& l : m.lines) sum += l.amount;
    totals.push_back({m.held_on, sum});
  }
  auto group = Position(dues, totals, std::nullopt, D(2027, 1, 22));
  ASSERT_TRUE(group.ok());
  EXPECT_EQ(group->arrears, g->arrears);
  EXPECT_EQ(g->collected, group->paid);
  // Before the third meeting, nobody is late.
  auto before = Standing(dues, 300'000, parts, meetings, std::nullopt, D(2027, 1, 21));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->members_in_arrears, 0);
}

TEST(GroupLending, BadPartsAndSheetsAreNamedByLine) {
  const std::vector<MemberPart> parts{{1, 100}, {2, 200}};
  const auto dues = Dues(Weekly(300));
  EXPECT_EQ(Field(SplitSchedule(dues, 301, parts).error()), "/members parts_mismatch");
  EXPECT_EQ(Field(SplitSchedule(dues, 300, std::vector<MemberPart>{{1, 100}, {1, 200}}).error()), "/members/1/member repeated");
  EXPECT_EQ(Field(SplitSchedule(dues, 300, std::vector<MemberPart>{{1, 0}, {2, 300}}).error()), "/members/0/amount out_of_range");
  EXPECT_EQ(Field(SplitSchedule(dues, 300, std::vector<MemberPart>{}).error()), "/members out_of_range");
  auto check = [&](std::vector<CollectionLine> lines) {
    auto r = CheckCollection(parts, lines);
    return r.ok() ? std::to_string(*r) : Field(r.error());
  };
  EXPECT_EQ(check({{1, 10, {}}, {2, 5, 1}}), "15");
  EXPECT_EQ(check({}), "/lines out_of_range");
  EXPECT_EQ(check({{3, 10, {}}}), "/lines/0/member unknown_member");
  EXPECT_EQ(check({{1, 10, {}}, {1, 10, {}}}), "/lines/1/member repeated");
  EXPECT_EQ(check({{1, 10, 3}}), "/lines/0/paid_by unknown_member");
  EXPECT_EQ(check({{1, 10, 1}}), "/lines/0/paid_by same_member");
  EXPECT_EQ(check({{1, 0, {}}}), "/lines/0/amount out_of_range");
}

}  // namespace
}  // namespace solidum::finance
