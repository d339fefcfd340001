#include "finance/savings_groups.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>

#include <sodium.h>

#include "finance/records.h"

namespace solidum::finance {

namespace {

using std::chrono::year_month_day;
using store::Conn;
using store::TxKind;

using records::Conflict;
using records::Date;
using records::DateOf;

// The meeting's lists, by the name the store and the API give them.
constexpr std::array<std::string_view, 7> kKinds{"present", "shares", "social", "fines", "repayments", "grants", "loans"};

std::vector<MemberAmount>* Amounts(MeetingRecord& r, std::string_view kind) {
  if (kind == "shares") return &r.shares;
  if (kind == "fines") return &r.fines;
  if (kind == "repayments") return &r.repayments;
  if (kind == "grants") return &r.grants;
  if (kind == "loans") return &r.loans;
  return nullptr;
}
std::vector<std::int64_t>* Ids(MeetingRecord& r, std::string_view kind) {
  if (kind == "present") return &r.present;
  if (kind == "social") return &r.social;
  return nullptr;
}

Result<void> CheckGroupText(const std::string& name, const std::string& unit, std::int64_t decimals) {
  std::vector<FieldError> errors;
  if (name.empty() || !records::IsText(name, 200, false)) errors.push_back({"/name", "invalid", "1 to 200 characters."});
  if (unit.empty() || !records::IsText(unit, 20, false)) errors.push_back({"/unit", "invalid", "1 to 20 characters: XOF, KES, EUR, ..."});
  if (decimals < 0 || decimals > 4) errors.push_back({"/decimals", "out_of_range", "0 to 4."});
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return Ok();
}

// The engine names a meeting's line "/meetings/<m>/..."; the API names the meeting's own.
Error AtMeeting(Error e) {
  for (auto& f : e.fields) {
    if (f.field.rfind("/meetings/", 0) != 0) continue;
    const auto slash = f.field.find('/', 10);
    f.field = slash == std::string::npos ? "" : f.field.substr(slash);
  }
  return e;
}

Result<SavingsGroupSummary> LoadGroup(Conn& conn, std::int64_t organisation, std::int64_t group) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT id, organisation_id, name, unit, decimals, currency_id, members_account, loan_fund_account, "
                                                   "social_fund_account FROM savings_groups WHERE id = ? AND organisation_id = ?",
                                                   {group, organisation}));
  if (!row) return Error::NotFound("This organisation has no savings group " + std::to_string(group) + ".");
  SavingsGroupSummary s;
  s.id = row->Int(0);
  s.organisation_id = row->Int(1);
  s.name = row->Text(2);
  s.unit = row->Text(3);
  s.decimals = row->Int(4);
  s.currency_id = row->Int(5);
  s.members_account = row->Int(6);
  s.loan_fund_account = row->Int(7);
  s.social_fund_account = row->Int(8);
  return s;
}

// The group's current cycle, or with `id`, that cycle.
Result<SavingsGroupCycle> LoadCycle(Conn& conn, std::int64_t group, std::optional<std::int64_t> id = std::nullopt) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT id, number, started_on, share_value, shares_max_per_meeting, social_contribution, interest_bp, "
                                                   "interest_every_meetings, opening_social_fund, shared_out_on FROM savings_group_cycles "
                                                   "WHERE group_id = ? AND (? = 0 OR id = ?) ORDER BY number DESC LIMIT 1",
                                                   {group, id.value_or(0), id.value_or(0)}));
  if (!row) return Error::Internal("a savings group without a cycle");
  SavingsGroupCycle c;
  c.id = row->Int(0);
  c.number = row->Int(1);
  c.started_on = DateOf(row->Text(2));
  c.rules.share_value = row->Int(3);
  c.rules.shares_max_per_meeting = static_cast<int>(row->Int(4));
  c.rules.social_contribution = row->Int(5);
  c.rules.interest_bp = row->Int(6);
  c.rules.interest_every_meetings = static_cast<int>(row->Int(7));
  c.rules.opening_social_fund = row->Int(8);
  c.shared_out_on = records::OptDate(row->OptText(9));
  SOLIDUM_ASSIGN_OR_RETURN(auto members, conn.Query("SELECT m.id, m.name, COALESCE(m.number, '') FROM savings_group_members g JOIN members m ON m.id = g.member_id "
                                                    "WHERE g.cycle_id = ? ORDER BY g.position",
                                                    {c.id}));
  for (const auto& m : members) c.members.push_back(GroupMember{m.Int(0), m.Text(1), m.Text(2)});
  return c;
}

Result<std::vector<RecordedMeeting>> LoadMeetings(Conn& conn, std::int64_t cycle) {
  SOLIDUM_ASSIGN_OR_RETURN(auto meetings, conn.Query("SELECT id, number, held_on FROM savings_group_meetings WHERE cycle_id = ? ORDER BY number", {cycle}));
  SOLIDUM_ASSIGN_OR_RETURN(auto lines, conn.Query("SELECT l.meeting_id, l.kind, l.member_id, l.amount FROM savings_group_lines l "
                                                  "JOIN savings_group_meetings g ON g.id = l.meeting_id WHERE g.cycle_id = ? "
                                                  "ORDER BY g.number, l.kind, l.position",
                                                  {cycle}));
  std::vector<RecordedMeeting> out;
  std::map<std::int64_t, std::size_t> at;
  for (const auto& m : meetings) {
    at[m.Int(0)] = out.size();
    out.push_back(RecordedMeeting{m.Int(1), DateOf(m.Text(2)), {}});
  }
  for (const auto& l : lines) {
    auto it = at.find(l.Int(0));
    if (it == at.end()) continue;
    MeetingRecord& r = out[it->second].record;
    const std::string& kind = l.Text(1);
    if (auto* a = Amounts(r, kind)) a->push_back(MemberAmount{l.Int(2), l.Int(3)});
    else if (auto* ids = Ids(r, kind)) ids->push_back(l.Int(2));
  }
  return out;
}

std::vector<std::int64_t> MemberIds(const SavingsGroupCycle& c) {
  std::vector<std::int64_t> ids;
  for (const auto& m : c.members) ids.push_back(m.member_id);
  return ids;
}

Result<SavingsGroupState> Replay(const SavingsGroupCycle& c, const std::vector<RecordedMeeting>& meetings, bool share_out) {
  std::vector<MeetingRecord> records;
  records.reserve(meetings.size());
  for (const auto& m : meetings) records.push_back(m.record);
  const auto ids = MemberIds(c);
  return ReplaySavingsGroup(ids, c.rules, records, share_out);
}

Result<SavingsGroupView> LoadView(Conn& conn, std::int64_t organisation, std::int64_t group) {
  SavingsGroupView v;
  SOLIDUM_ASSIGN_OR_RETURN(v.group, LoadGroup(conn, organisation, group));
  SOLIDUM_ASSIGN_OR_RETURN(v.cycle, LoadCycle(conn, group));
  SOLIDUM_ASSIGN_OR_RETURN(v.meetings, LoadMeetings(conn, v.cycle.id));
  auto st = Replay(v.cycle, v.meetings, v.cycle.shared_out_on.has_value());
  if (!st.ok()) return Error::Internal("a recorded savings-group cycle does not replay: " + st.error().message);
  v.state = std::move(st).value();
  v.group.cycle = v.cycle.number;
  v.group.members = static_cast<std::int64_t>(v.cycle.members.size());
  v.group.meetings = static_cast<std::int64_t>(v.meetings.size());
  if (!v.meetings.empty()) v.group.last_meeting = v.meetings.back().held_on;
  return v;
}

Result<std::int64_t> InsertCycle(Conn& conn, std::int64_t group, std::int64_t number, year_month_day started_on, const SavingsGroupRules& r,
                                 const std::vector<GroupMember>& members, const std::string& now) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO savings_group_cycles (group_id, number, started_on, share_value, shares_max_per_meeting, "
                                                   "social_contribution, interest_bp, interest_every_meetings, opening_social_fund, created_at) "
                                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                   {group, number, Date(started_on), r.share_value, std::int64_t{r.shares_max_per_meeting},
                                                    r.social_contribution, r.interest_bp, std::int64_t{r.interest_every_meetings}, r.opening_social_fund, now}));
  const std::int64_t cycle = row->Int(0);
  for (std::size_t i = 0; i < members.size(); ++i) {
    SOLIDUM_TRY(conn.Exec("INSERT INTO savings_group_members (cycle_id, position, member_id) VALUES (?, ?, ?)",
                          {cycle, static_cast<std::int64_t>(i), members[i].member_id}));
  }
  return cycle;
}

// The rules and members of a cycle that has no meeting yet: the engine checks them.
Result<std::vector<GroupMember>> CheckCycle(Conn& conn, std::int64_t organisation, year_month_day started_on, const SavingsGroupRules& rules,
                                            const std::vector<std::int64_t>& ids) {
  SOLIDUM_ASSIGN_OR_RETURN(auto members, RegisterMembers(conn, organisation, ids, started_on, kGroupMembersMax, "/members"));
  SOLIDUM_TRY(ReplaySavingsGroup(ids, rules, {}, false));
  return members;
}

}  // namespace

Result<std::vector<GroupMember>> RegisterMembers(Conn& conn, std::int64_t organisation, const std::vector<std::int64_t>& ids, year_month_day on,
                                                 std::size_t max, const std::string& field) {
  if (ids.empty() || ids.size() > max) return Error::Invalid(field, "out_of_range", "1 to " + std::to_string(max) + " members.");
  std::vector<FieldError> errors;
  std::vector<GroupMember> out;
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string at = field + "/" + std::to_string(i);
    if (!seen.insert(ids[i]).second) {
      errors.push_back({at, "repeated", "Listed twice."});
      continue;
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT name, COALESCE(number, '') FROM members WHERE id = ? AND organisation_id = ? AND joined_on <= ? "
                                                     "AND (left_on IS NULL OR left_on > ?)",
                                                     {ids[i], organisation, Date(on), Date(on)}));
    if (!row) {
      errors.push_back({at, "not_a_member", "Not a member of the organisation on " + Date(on) + "."});
      continue;
    }
    out.push_back(GroupMember{ids[i], row->Text(0), row->Text(1)});
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return out;
}

SavingsGroups::SavingsGroups(store::Store& store, ledger::Ledger& ledger, const Clock& clock) : store_(store), ledger_(ledger), clock_(clock) {}

std::string SavingsGroups::Now() const { return FormatTimestamp(clock_.NowMicros()); }

Result<SavingsGroupView> SavingsGroups::Create(std::int64_t organisation, const SavingsGroupInput& in) {
  const std::string name(text::Trim(in.name)), unit(text::Trim(in.unit));
  SOLIDUM_TRY(CheckGroupText(name, unit, in.decimals));
  if (!in.started_on.ok()) return Error::Invalid("/started_on", "invalid_date", "A date, YYYY-MM-DD.");
  SavingsGroupRules rules = in.rules;
  rules.opening_social_fund = 0;
  // The group's ledger book, created with it in one transaction: a code of its own (codes
  // are unique across the platform), members' cash (may go far below zero: it is what the
  // members put in), the loan fund and the social fund (never below zero).
  unsigned char random[4];
  randombytes_buf(random, sizeof random);
  char hex[9];
  sodium_bin2hex(hex, sizeof hex, random, sizeof random);
  std::string code = "VSLA-" + std::string(hex);
  for (auto& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ledger::BookInput book;
  book.currency = ledger::CurrencyInput{code, name, unit, in.decimals, 0, std::nullopt};
  book.accounts = {ledger::AccountInput{std::nullopt, "Members' cash", ledger::kLimitMax, std::nullopt, true},
                   ledger::AccountInput{std::nullopt, "Loan fund (the box)", 0, std::nullopt, true},
                   ledger::AccountInput{std::nullopt, "Social fund", 0, std::nullopt, true}};
  std::int64_t id = 0;
  book.also = [&](Conn& conn, const ledger::Currency& c, const std::vector<std::int64_t>& a) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*), SUM(CASE WHEN name = ? THEN 1 ELSE 0 END) FROM savings_groups WHERE organisation_id = ?",
                                                       {name, organisation}));
    if (!count->IsNull(1) && count->Int(1) > 0) return Conflict("name_taken", "A savings group of this organisation has this name already.");
    if (count->Int(0) >= static_cast<std::int64_t>(kSavingsGroupsMax)) return Conflict("too_many_groups", "At most 1,000 savings groups.");
    SOLIDUM_ASSIGN_OR_RETURN(auto members, CheckCycle(conn, organisation, in.started_on, rules, in.members));
    const std::string now = Now();
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO savings_groups (organisation_id, name, unit, decimals, currency_id, members_account, "
                                                     "loan_fund_account, social_fund_account, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                     {organisation, name, unit, in.decimals, c.id, a.at(0), a.at(1), a.at(2), now}));
    id = row->Int(0);
    SOLIDUM_TRY(InsertCycle(conn, id, 1, in.started_on, rules, members, now));
    return Ok();
  };
  SOLIDUM_TRY(ledger_.CreateBook(organisation, book));
  return Get(organisation, id);
}

Result<std::vector<SavingsGroupSummary>> SavingsGroups::List(std::int64_t organisation) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT g.id, g.organisation_id, g.name, g.unit, g.decimals, c.number, "
                                                  "(SELECT COUNT(*) FROM savings_group_members m WHERE m.cycle_id = c.id), "
                                                  "(SELECT COUNT(*) FROM savings_group_meetings m WHERE m.cycle_id = c.id), "
                                                  "(SELECT MAX(held_on) FROM savings_group_meetings m WHERE m.cycle_id = c.id), "
                                                  "g.currency_id, g.members_account, g.loan_fund_account, g.social_fund_account "
                                                  "FROM savings_groups g JOIN savings_group_cycles c ON c.group_id = g.id "
                                                  "AND c.number = (SELECT MAX(number) FROM savings_group_cycles x WHERE x.group_id = g.id) "
                                                  "WHERE g.organisation_id = ? ORDER BY g.name",
                                                  {organisation}));
  std::vector<SavingsGroupSummary> out;
  for (const auto& r : rows) {
    out.push_back(SavingsGroupSummary{r.Int(0), r.Int(1), r.Int(9), r.Int(10), r.Int(11), r.Int(12), r.Text(2), r.Text(3), r.Int(4), r.Int(5), r.Int(6), r.Int(7),
                                      records::OptDate(r.OptText(8))});
  }
  return out;
}

Result<SavingsGroupView> SavingsGroups::Get(std::int64_t organisation, std::int64_t group) {
  auto conn = store_.Acquire();
  return LoadView(*conn, organisation, group);
}

Result<std::pair<SavingsGroupView, bool>> SavingsGroups::RecordMeeting(std::int64_t organisation, std::int64_t group, const MeetingInput& in) {
  using Recorded = std::pair<SavingsGroupView, bool>;
  SOLIDUM_TRY(records::CheckNumbered(in.number, in.held_on, clock_.NowMicros()));
  SOLIDUM_ASSIGN_OR_RETURN(auto done, store::InTransaction<Recorded>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Recorded> {
    SOLIDUM_ASSIGN_OR_RETURN(auto view, LoadView(conn, organisation, group));
    const auto recorded = static_cast<std::int64_t>(view.meetings.size());
    if (view.cycle.shared_out_on && in.number > recorded) return Conflict("cycle_closed", "This cycle is shared out: start the next one.");
    SOLIDUM_ASSIGN_OR_RETURN(bool replay, records::Place(in.number, recorded, [&](std::size_t i) {
      return view.meetings[i].held_on == in.held_on && view.meetings[i].record == in.record;
    }, "meeting_recorded", "Meeting"));
    if (replay) return Recorded{std::move(view), true};
    SOLIDUM_TRY(records::NotBefore(in.held_on, view.meetings.empty() ? view.cycle.started_on : view.meetings.back().held_on));
    view.meetings.push_back(RecordedMeeting{in.number, in.held_on, in.record});
    auto st = Replay(view.cycle, view.meetings, false);
    if (!st.ok()) return AtMeeting(st.error());
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO savings_group_meetings (cycle_id, number, held_on, entered_by, entered_at) "
                                                     "VALUES (?, ?, ?, ?, ?) RETURNING id",
                                                     {view.cycle.id, in.number, Date(in.held_on), store::Opt(in.entered_by), Now()}));
    const std::int64_t meeting = row->Int(0);
    MeetingRecord rec = in.record;
    for (std::string_view kind : kKinds) {
      const std::string k(kind);
      if (auto* a = Amounts(rec, kind)) {
        for (std::size_t i = 0; i < a->size(); ++i) {
          SOLIDUM_TRY(conn.Exec("INSERT INTO savings_group_lines (meeting_id, kind, position, member_id, amount) VALUES (?, ?, ?, ?, ?)",
                                {meeting, k, static_cast<std::int64_t>(i), (*a)[i].member, (*a)[i].amount}));
        }
      } else if (auto* ids = Ids(rec, kind)) {
        for (std::size_t i = 0; i < ids->size(); ++i) {
          SOLIDUM_TRY(conn.Exec("INSERT INTO savings_group_lines (meeting_id, kind, position, member_id, amount) VALUES (?, ?, ?, ?, 0)",
                                {meeting, k, static_cast<std::int64_t>(i), (*ids)[i]}));
        }
      }
    }
    view.state = std::move(st).value();
    view.group.meetings = recorded + 1;
    view.group.last_meeting = in.held_on;
    return Recorded{std::move(view), false};
  }));
  // The money, once the meeting is kept (a replay posts what a crash left).
  SOLIDUM_TRY(Post(group, done.first.cycle.id, in.number));
  return done;
}

Result<SavingsGroupView> SavingsGroups::ShareOut(std::int64_t organisation, std::int64_t group, year_month_day on) {
  if (!on.ok()) return Error::Invalid("/on", "invalid_date", "A date, YYYY-MM-DD.");
  SOLIDUM_TRY(records::NotInFuture(on, clock_.NowMicros(), "/on"));
  SOLIDUM_ASSIGN_OR_RETURN(auto out, store::InTransaction<SavingsGroupView>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<SavingsGroupView> {
    SOLIDUM_ASSIGN_OR_RETURN(auto view, LoadView(conn, organisation, group));
    if (view.cycle.shared_out_on) return Conflict("cycle_closed", "This cycle is shared out already.");
    if (view.meetings.empty()) return Conflict("no_meetings", "A cycle shares out what its meetings saved: none is recorded.");
    if (std::chrono::sys_days(on) < std::chrono::sys_days(view.meetings.back().held_on)) {
      return Error::Invalid("/on", "before_previous", "Not before the last meeting, " + Date(view.meetings.back().held_on) + ".");
    }
    auto st = Replay(view.cycle, view.meetings, true);
    if (!st.ok()) return Conflict("loans_outstanding", st.error().fields.empty() ? st.error().message : st.error().fields.at(0).message);
    SOLIDUM_TRY(conn.Exec("UPDATE savings_group_cycles SET shared_out_on = ? WHERE id = ?", {Date(on), view.cycle.id}));
    view.cycle.shared_out_on = on;
    view.state = std::move(st).value();
    return view;
  }));
  SOLIDUM_TRY(Post(group, out.cycle.id, std::nullopt));
  return out;
}

// The chain of one meeting, or of a share-out: ids "v<group>-c<cycle>-m<number>-<leg>" and
// "v<group>-c<cycle>-out".
Result<void> SavingsGroups::Post(std::int64_t group, std::int64_t cycle, std::optional<std::int64_t> number) {
  SavingsGroupView v;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT g.organisation_id, c.share_out_posted_at, (SELECT posted_at FROM savings_group_meetings m "
                                                      "WHERE m.cycle_id = c.id AND m.number = ?) FROM savings_groups g JOIN savings_group_cycles c ON c.group_id = g.id "
                                                      "WHERE g.id = ? AND c.id = ?",
                                                      {number.value_or(0), group, cycle}));
    if (!row) return Error::Internal("a savings group's cycle to post is missing");
    if (!row->IsNull(number ? 2 : 1)) return Ok();  // posted already
    SOLIDUM_ASSIGN_OR_RETURN(v.group, LoadGroup(*conn, row->Int(0), group));
    SOLIDUM_ASSIGN_OR_RETURN(v.cycle, LoadCycle(*conn, group, cycle));
    SOLIDUM_ASSIGN_OR_RETURN(v.meetings, LoadMeetings(*conn, cycle));
  }
  const SavingsGroupCycle& cyc = v.cycle;
  const std::string prefix = "v" + std::to_string(group) + "-c" + std::to_string(cyc.number);
  const auto& g = v.group;
  std::vector<ledger::TransferRequest> chain;
  auto leg = [&](const std::string& id, std::int64_t from, std::int64_t to, std::int64_t amount, const std::string& memo) {
    if (amount <= 0) return;
    ledger::TransferRequest t;
    t.id = id;
    t.debit_account = from;
    t.credit_account = to;
    t.amount = amount;
    t.flags = ledger::kLinked;
    t.memo = memo;
    chain.push_back(std::move(t));
  };
  if (number) {
    const RecordedMeeting& m = v.meetings.at(static_cast<std::size_t>(*number - 1));
    const std::string at = prefix + "-m" + std::to_string(*number);
    const std::string on = " (meeting " + std::to_string(*number) + ", " + Date(m.held_on) + ")";
    std::int64_t in = 0, loans = 0, grants = 0;
    for (const auto& l : m.record.shares) in += l.amount * cyc.rules.share_value;
    for (const auto& l : m.record.fines) in += l.amount;
    for (const auto& l : m.record.repayments) in += l.amount;
    for (const auto& l : m.record.loans) loans += l.amount;
    for (const auto& l : m.record.grants) grants += l.amount;
    const std::int64_t social = static_cast<std::int64_t>(m.record.social.size()) * cyc.rules.social_contribution;
    leg(at + "-in", g.members_account, g.loan_fund_account, in, "Shares, fines and repayments" + on);
    leg(at + "-social", g.members_account, g.social_fund_account, social, "Social fund contributions" + on);
    leg(at + "-loans", g.loan_fund_account, g.members_account, loans, "Loans" + on);
    leg(at + "-grants", g.social_fund_account, g.members_account, grants, "Grants from the social fund" + on);
  } else {
    // The cycle's meetings first (a crash may have left one), then all the box held.
    for (const auto& m : v.meetings) SOLIDUM_TRY(Post(group, cycle, m.number));
    SOLIDUM_ASSIGN_OR_RETURN(auto st, Replay(cyc, v.meetings, true));
    std::int64_t paid = 0;
    for (const auto& p : st.members) paid += p.share_out;
    leg(prefix + "-out", g.loan_fund_account, g.members_account, paid, "Share-out of cycle " + std::to_string(cyc.number));
  }
  if (!chain.empty()) {
    chain.back().flags = 0;  // the chain ends here
    SOLIDUM_ASSIGN_OR_RETURN(auto outcomes, ledger_.Transfer(chain));
    if (auto failed = ledger::FailedLink(outcomes)) {
      return Error::Internal("the ledger refused a savings group's meeting: " + std::string(ledger::RefusalCode(outcomes[*failed].refusal)));
    }
  }
  auto conn = store_.Acquire();
  if (number) {
    SOLIDUM_TRY(conn->Exec("UPDATE savings_group_meetings SET posted_at = ? WHERE cycle_id = ? AND number = ? AND posted_at IS NULL", {Now(), cycle, *number}));
  } else {
    SOLIDUM_TRY(conn->Exec("UPDATE savings_group_cycles SET share_out_posted_at = ? WHERE id = ? AND share_out_posted_at IS NULL", {Now(), cycle}));
  }
  return Ok();
}

Result<void> SavingsGroups::Start() {
  // Cycle by cycle, in order: its meetings, then its share-out.
  store::Rows rows;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(rows, conn->Query("SELECT c.group_id, m.cycle_id, m.number FROM savings_group_meetings m JOIN savings_group_cycles c ON c.id = m.cycle_id "
                                               "WHERE m.posted_at IS NULL UNION ALL SELECT group_id, id, 0 FROM savings_group_cycles "
                                               "WHERE shared_out_on IS NOT NULL AND share_out_posted_at IS NULL ORDER BY 2, 3"));
  }
  std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>> todo;
  for (const auto& r : rows) todo.emplace_back(r.Int(0), r.Int(1), r.Int(2));
  std::stable_sort(todo.begin(), todo.end(), [](const auto& a, const auto& b) {
    // A share-out (number 0) after the cycle's meetings.
    const auto key = [](const auto& t) { return std::pair{std::get<1>(t), std::get<2>(t) == 0 ? INT64_MAX : std::get<2>(t)}; };
    return key(a) < key(b);
  });
  for (const auto& [group, cycle, number] : todo) SOLIDUM_TRY(Post(group, cycle, number ? std::optional<std::int64_t>(number) : std::nullopt));
  return Ok();
}

Result<SavingsGroupView> SavingsGroups::NextCycle(std::int64_t organisation, std::int64_t group, year_month_day started_on,
                                                  std::optional<SavingsGroupRules> rules, std::optional<std::vector<std::int64_t>> members) {
  if (!started_on.ok()) return Error::Invalid("/started_on", "invalid_date", "A date, YYYY-MM-DD.");
  return store::InTransaction<SavingsGroupView>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<SavingsGroupView> {
    SOLIDUM_ASSIGN_OR_RETURN(auto view, LoadView(conn, organisation, group));
    if (!view.cycle.shared_out_on) return Conflict("cycle_open", "Share out this cycle before starting the next.");
    if (std::chrono::sys_days(started_on) < std::chrono::sys_days(*view.cycle.shared_out_on)) {
      return Error::Invalid("/started_on", "before_previous", "Not before the last share-out, " + Date(*view.cycle.shared_out_on) + ".");
    }
    SavingsGroupRules r = rules.value_or(view.cycle.rules);
    r.opening_social_fund = view.state.social_fund;
    const auto ids = members.value_or(MemberIds(view.cycle));
    SOLIDUM_ASSIGN_OR_RETURN(auto checked, CheckCycle(conn, organisation, started_on, r, ids));
    SOLIDUM_TRY(InsertCycle(conn, group, view.cycle.number + 1, started_on, r, checked, Now()));
    return LoadView(conn, organisation, group);
  });
}

Result<std::vector<SavingsGroups::Own>> SavingsGroups::OfUser(std::int64_t user_id) {
  store::Rows rows;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(rows, conn->Query("SELECT g.organisation_id, g.id, m.id FROM members m JOIN savings_group_members s ON s.member_id = m.id "
                                               "JOIN savings_group_cycles c ON c.id = s.cycle_id JOIN savings_groups g ON g.id = c.group_id "
                                               "WHERE m.user_id = ? AND c.number = (SELECT MAX(number) FROM savings_group_cycles x WHERE x.group_id = g.id) "
                                               "ORDER BY g.name LIMIT 100",
                                               {user_id}));
  }
  std::vector<Own> out;
  for (const auto& r : rows) {
    SOLIDUM_ASSIGN_OR_RETURN(auto view, Get(r.Int(0), r.Int(1)));
    for (const auto& p : view.state.members) {
      if (p.member == r.Int(2)) out.push_back(Own{view.group, p.member, view.cycle.rules.share_value, p});
    }
  }
  return out;
}

}  // namespace solidum::finance
