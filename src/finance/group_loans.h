// Group loans with joint liability kept in the store (issue 7): a solidarity group (an
// organisation of the register, its members in its member register) borrows one loan of a
// fund (finance::Loans: application, committee vote, contract, disbursement) and shares it
// among its members; the group's meetings collect the repayments on a collection sheet,
// member by member (finance::Standing: each member's own schedule and arrears, who paid
// for whom). Each meeting's total is one repayment of the group's loan (Loans::Repay,
// request id "group-meeting-<number>", a prefix the API refuses for other repayments), so
// the loan's position, the fund's portfolio and PAR see the group as one borrower, and a
// member's arrears nobody covered are the group's.
//
// The parts are set once, before the first meeting. Meetings are recorded whole and in
// order, numbered 1, 2, ..., idempotent by their number: the repayment is posted first
// (idempotent by its request id), then the sheet is kept; a meeting sent again after a
// crash between the two posts nothing more and keeps the sheet. Recorded meetings are
// never changed. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "finance/funds.h"
#include "finance/group_lending.h"
#include "finance/loans.h"
#include "finance/savings_groups.h"
#include "store/store.h"

namespace solidum::finance {

inline constexpr std::string_view kGroupMeetingRequestPrefix = "group-meeting-";

struct GroupMeetingRecord {
  std::int64_t number = 0;
  std::chrono::year_month_day held_on{};
  std::vector<CollectionLine> lines;
};

struct GroupLoanView {
  Loan loan;                              // with its position on the day
  std::vector<GroupMember> members;       // names from the register, in the parts' order
  std::vector<MemberPart> parts;
  std::vector<GroupMeetingRecord> meetings;
  GroupStanding standing;                 // on the day
  std::int64_t next_meeting = 1;
};

struct GroupMeetingInput {
  std::int64_t number = 0;
  std::chrono::year_month_day held_on{};
  std::vector<CollectionLine> lines;
  std::optional<std::int64_t> entered_by;
};

class GroupLoans {
 public:
  GroupLoans(store::Store& store, Loans& loans, const Clock& clock);

  // Shares the loan among the borrowing organisation's members. Errors: SplitSchedule's
  // ("/members", "/members/<i>/member", "/members/<i>/amount"), "/members/<i>/member"
  // not_a_member (of the borrower on the loan's start); kConflict "group_set".
  Result<GroupLoanView> SetParts(const Fund& fund, std::int64_t loan, const std::vector<MemberPart>& parts);
  // kNotFound for a loan without parts.
  Result<GroupLoanView> Get(const Fund& fund, std::int64_t loan, std::chrono::year_month_day as_of);
  // Errors: "/number" out_of_order, "/held_on" (before the last meeting, in the future),
  // CheckCollection's "/lines/<i>/...", and Repay's ("/paid_on" as "/held_on"; kConflict
  // loan_closed, not_disbursed, out_of_order); kConflict "meeting_recorded", "no_group".
  // The second of the pair: a replay.
  Result<std::pair<GroupLoanView, bool>> RecordMeeting(const Fund& fund, std::int64_t loan, const GroupMeetingInput& input);

  // A signed-in user's part in every group loan they share, today (at most 50).
  struct Own {
    std::int64_t loan_id = 0, member_id = 0;
    std::string fund_name, group_name, unit, loan_status;
    std::int64_t decimals = 0;
    MemberStanding standing;
  };
  Result<std::vector<Own>> OfUser(std::int64_t user_id, Funds& funds);

 private:
  Result<GroupLoanView> Load(const Fund& fund, std::int64_t loan, std::chrono::year_month_day as_of);
  store::Store& store_;
  Loans& loans_;
  const Clock& clock_;
  std::mutex mu_;  // one meeting of a group at a time (repayment, then the sheet)
};

}  // namespace solidum::finance
