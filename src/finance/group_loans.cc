#include "finance/group_loans.h"

#include <map>

#include "finance/records.h"

namespace solidum::finance {

namespace {

using std::chrono::year_month_day;
using store::Conn;
using store::TxKind;

using records::Conflict;
using records::Date;
using records::DateOf;

// The repayment a meeting posts; the API refuses this prefix for other repayments.
std::string RequestId(std::int64_t number) { return std::string(kGroupMeetingRequestPrefix) + std::to_string(number); }

year_month_day Today(const Clock& clock) {
  return year_month_day{std::chrono::floor<std::chrono::days>(std::chrono::sys_time<std::chrono::microseconds>(std::chrono::microseconds(clock.NowMicros())))};
}

}  // namespace

GroupLoans::GroupLoans(store::Store& store, Loans& loans, const Clock& clock) : store_(store), loans_(loans), clock_(clock) {}

Result<GroupLoanView> GroupLoans::Load(const Fund& fund, std::int64_t loan, year_month_day as_of) {
  GroupLoanView v;
  SOLIDUM_ASSIGN_OR_RETURN(v.loan, loans_.GetLoan(fund, loan, as_of));
  store::Rows parts, meetings, lines;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(parts, conn->Query("SELECT p.member_id, p.amount, m.name, COALESCE(m.number, '') FROM loan_group_parts p "
                                                "JOIN members m ON m.id = p.member_id WHERE p.loan_id = ? ORDER BY p.position",
                                                {loan}));
    SOLIDUM_ASSIGN_OR_RETURN(meetings, conn->Query("SELECT id, number, held_on FROM loan_group_meetings WHERE loan_id = ? ORDER BY number", {loan}));
    SOLIDUM_ASSIGN_OR_RETURN(lines, conn->Query("SELECT l.meeting_id, l.member_id, l.amount, l.paid_by FROM loan_group_lines l "
                                                "JOIN loan_group_meetings g ON g.id = l.meeting_id WHERE g.loan_id = ? ORDER BY g.number, l.position",
                                                {loan}));
  }
  if (parts.empty()) return Error::NotFound("This loan is not shared among a group's members.");
  for (const auto& p : parts) {
    v.parts.push_back(MemberPart{p.Int(0), p.Int(1)});
    v.members.push_back(GroupMember{p.Int(0), p.Text(2), p.Text(3)});
  }
  std::map<std::int64_t, std::size_t> at;
  for (const auto& m : meetings) {
    at[m.Int(0)] = v.meetings.size();
    v.meetings.push_back(GroupMeetingRecord{m.Int(1), DateOf(m.Text(2)), {}});
  }
  for (const auto& l : lines) {
    if (auto it = at.find(l.Int(0)); it != at.end()) v.meetings[it->second].lines.push_back(CollectionLine{l.Int(1), l.Int(2), l.OptInt(3)});
  }
  std::vector<Collection> collections;
  for (const auto& m : v.meetings) collections.push_back(Collection{m.held_on, m.lines});
  auto standing = Standing(v.loan.schedule, v.loan.terms.principal, v.parts, collections, v.loan.written_off_on, as_of);
  if (!standing.ok()) return Error::Internal("a group loan's sheets do not replay: " + standing.error().message);
  v.standing = std::move(standing).value();
  v.next_meeting = static_cast<std::int64_t>(v.meetings.size()) + 1;
  return v;
}

Result<GroupLoanView> GroupLoans::Get(const Fund& fund, std::int64_t loan, year_month_day as_of) { return Load(fund, loan, as_of); }

Result<GroupLoanView> GroupLoans::SetParts(const Fund& fund, std::int64_t loan, const std::vector<MemberPart>& parts) {
  std::lock_guard lock(mu_);
  const year_month_day today = Today(clock_);
  SOLIDUM_ASSIGN_OR_RETURN(auto l, loans_.GetLoan(fund, loan, today));
  SOLIDUM_TRY(SplitSchedule(l.schedule, l.terms.principal, parts));
  SOLIDUM_TRY((store::InTransaction<bool>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<bool> {
    SOLIDUM_ASSIGN_OR_RETURN(auto has, conn.QueryOne("SELECT 1 FROM loan_group_parts WHERE loan_id = ?", {loan}));
    if (has) return Conflict("group_set", "This loan is shared among its group already.");
    std::vector<std::int64_t> ids;
    for (const auto& p : parts) ids.push_back(p.member);
    auto members = RegisterMembers(conn, l.organisation_id, ids, l.start_on, kGroupLoanMembersMax, "/members");
    if (!members.ok()) {
      Error e = members.error();
      for (auto& f : e.fields) {
        if (f.field != "/members") f.field += "/member";
      }
      return e;
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
      SOLIDUM_TRY(conn.Exec("INSERT INTO loan_group_parts (loan_id, position, member_id, amount) VALUES (?, ?, ?, ?)",
                            {loan, static_cast<std::int64_t>(i), parts[i].member, parts[i].amount}));
    }
    return true;
  })));
  return Load(fund, loan, today);
}

Result<std::pair<GroupLoanView, bool>> GroupLoans::RecordMeeting(const Fund& fund, std::int64_t loan, const GroupMeetingInput& in) {
  using Recorded = std::pair<GroupLoanView, bool>;
  SOLIDUM_TRY(records::CheckNumbered(in.number, in.held_on, clock_.NowMicros()));
  std::lock_guard lock(mu_);
  auto loaded = Load(fund, loan, in.held_on);
  if (!loaded.ok()) {
    if (loaded.error().kind != ErrorKind::kNotFound) return loaded.error();
    SOLIDUM_TRY(loans_.GetLoan(fund, loan, in.held_on));  // no such loan: kNotFound
    return Conflict("no_group", "Share the loan among the group's members first.");
  }
  GroupLoanView view = std::move(loaded).value();
  const auto recorded = static_cast<std::int64_t>(view.meetings.size());
  SOLIDUM_ASSIGN_OR_RETURN(bool replay, records::Place(in.number, recorded, [&](std::size_t i) {
    return view.meetings[i].held_on == in.held_on && view.meetings[i].lines == in.lines;
  }, "meeting_recorded", "Meeting"));
  if (replay) return Recorded{std::move(view), true};
  if (!view.meetings.empty()) SOLIDUM_TRY(records::NotBefore(in.held_on, view.meetings.back().held_on));
  SOLIDUM_ASSIGN_OR_RETURN(auto total, CheckCollection(view.parts, in.lines));
  // The money first: the loan's own checks (closed, not disbursed, out of order).
  auto repaid = loans_.Repay(fund, loan, RepaymentInput{RequestId(in.number), total, in.held_on});
  if (!repaid.ok()) {
    Error e = repaid.error();
    for (auto& f : e.fields) {
      if (f.field == "/paid_on") f.field = "/held_on";
      if (f.field == "/amount") f.field = "/lines";
    }
    return e;
  }
  SOLIDUM_TRY((store::InTransaction<bool>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<bool> {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO loan_group_meetings (loan_id, number, held_on, entered_by, entered_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                                     {loan, in.number, Date(in.held_on), store::Opt(in.entered_by), FormatTimestamp(clock_.NowMicros())}));
    for (std::size_t i = 0; i < in.lines.size(); ++i) {
      SOLIDUM_TRY(conn.Exec("INSERT INTO loan_group_lines (meeting_id, position, member_id, amount, paid_by) VALUES (?, ?, ?, ?, ?)",
                            {row->Int(0), static_cast<std::int64_t>(i), in.lines[i].member, in.lines[i].amount, store::Opt(in.lines[i].paid_by)}));
    }
    return true;
  })));
  SOLIDUM_ASSIGN_OR_RETURN(auto after, Load(fund, loan, in.held_on));
  return Recorded{std::move(after), false};
}

Result<std::vector<GroupLoans::Own>> GroupLoans::OfUser(std::int64_t user_id, Funds& funds) {
  store::Rows rows;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(rows, conn->Query("SELECT l.id, p.member_id, f.organisation_id, f.id, o.name FROM members m JOIN loan_group_parts p ON p.member_id = m.id "
                                               "JOIN loans l ON l.id = p.loan_id JOIN funds f ON f.id = l.fund_id JOIN organisations o ON o.id = l.organisation_id "
                                               "WHERE m.user_id = ? ORDER BY l.id DESC LIMIT 50",
                                               {user_id}));
  }
  const year_month_day today = Today(clock_);
  std::vector<Own> out;
  for (const auto& r : rows) {
    SOLIDUM_ASSIGN_OR_RETURN(auto fund, funds.Get(r.Int(2), r.Int(3)));
    SOLIDUM_ASSIGN_OR_RETURN(auto view, Load(fund, r.Int(0), today));
    for (const auto& s : view.standing.members) {
      if (s.member == r.Int(1)) out.push_back(Own{r.Int(0), s.member, fund.name, r.Text(4), fund.unit, view.loan.status, fund.decimals, s});
    }
  }
  return out;
}

}  // namespace solidum::finance
