#include "finance/group_lending.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "finance/surplus.h"

namespace solidum::finance {

Result<std::vector<std::vector<Due>>> SplitSchedule(std::span<const Due> schedule, std::int64_t principal, std::span<const MemberPart> parts) {
  if (parts.empty() || parts.size() > kGroupLoanMembersMax) {
    return Error::Invalid("/members", "out_of_range", "A group loan has 1 to " + std::to_string(kGroupLoanMembersMax) + " members.");
  }
  std::set<std::int64_t> seen;
  std::int64_t sum = 0;
  std::vector<std::int64_t> weights;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string at = "/members/" + std::to_string(i);
    if (!seen.insert(parts[i].member).second) return Error::Invalid(at + "/member", "repeated", "Listed twice.");
    if (parts[i].amount < 1 || parts[i].amount > principal) return Error::Invalid(at + "/amount", "out_of_range", "A part of the loan, at least 1.");
    sum += parts[i].amount;
    weights.push_back(parts[i].amount);
  }
  if (sum != principal) {
    return Error::Invalid("/members", "parts_mismatch", "The parts add up to " + std::to_string(sum) + ", not the loan's " + std::to_string(principal) + ".");
  }
  std::vector<std::vector<Due>> out(parts.size());
  for (auto& s : out) s.reserve(schedule.size());
  for (const Due& d : schedule) {
    const auto p = Apportion(d.principal, weights);
    const auto i = Apportion(d.interest, weights);
    const auto f = Apportion(d.fees, weights);
    for (std::size_t m = 0; m < parts.size(); ++m) out[m].push_back(Due{d.due, p[m], i[m], f[m]});
  }
  return out;
}

Result<std::int64_t> CheckCollection(std::span<const MemberPart> parts, std::span<const CollectionLine> lines) {
  if (lines.empty() || lines.size() > kGroupLoanMembersMax) {
    return Error::Invalid("/lines", "out_of_range", "A collection sheet has 1 to " + std::to_string(kGroupLoanMembersMax) + " lines.");
  }
  std::set<std::int64_t> members, seen;
  for (const auto& p : parts) members.insert(p.member);
  std::int64_t total = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string at = "/lines/" + std::to_string(i);
    const auto& l = lines[i];
    if (!members.contains(l.member)) return Error::Invalid(at + "/member", "unknown_member", "Not a member of this group loan.");
    if (!seen.insert(l.member).second) return Error::Invalid(at + "/member", "repeated", "One line per member a meeting.");
    if (l.paid_by && !members.contains(*l.paid_by)) return Error::Invalid(at + "/paid_by", "unknown_member", "Not a member of this group loan.");
    if (l.paid_by && *l.paid_by == l.member) return Error::Invalid(at + "/paid_by", "same_member", "Leave it out when the member pays their own part.");
    if (l.amount < 1 || l.amount > kPrincipalMax) return Error::Invalid(at + "/amount", "out_of_range", "A positive amount in minor units.");
    total += l.amount;
  }
  return total;
}

Result<GroupStanding> Standing(std::span<const Due> schedule, std::int64_t principal, std::span<const MemberPart> parts,
                               std::span<const Collection> meetings, std::optional<std::chrono::year_month_day> written_off_on,
                               std::chrono::year_month_day as_of) {
  SOLIDUM_ASSIGN_OR_RETURN(auto split, SplitSchedule(schedule, principal, parts));
  if (meetings.size() > kCollectionsMax) return Error::Invalid("/meetings", "too_many", "At most 5,000 meetings a loan.");
  std::map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < parts.size(); ++i) index[parts[i].member] = i;
  GroupStanding g;
  std::vector<std::vector<Repayment>> paid(parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    MemberStanding s;
    s.member = parts[i].member;
    s.part = parts[i].amount;
    s.schedule = std::move(split[i]);
    g.members.push_back(std::move(s));
  }
  for (std::size_t k = 0; k < meetings.size(); ++k) {
    const Collection& c = meetings[k];
    if (std::chrono::sys_days(c.held_on) > std::chrono::sys_days(as_of)) continue;
    if (auto checked = CheckCollection(parts, c.lines); !checked.ok()) {
      Error e = checked.error();
      for (auto& f : e.fields) f.field = "/meetings/" + std::to_string(k) + f.field;
      return e;
    }
    for (const auto& l : c.lines) {
      const std::size_t m = index.at(l.member);
      paid[m].push_back(Repayment{c.held_on, l.amount});
      g.members[m].paid += l.amount;
      g.collected += l.amount;
      if (l.paid_by) {
        g.members[m].covered_by_others += l.amount;
        g.members[index.at(*l.paid_by)].paid_for_others += l.amount;
      }
    }
  }
  for (std::size_t m = 0; m < g.members.size(); ++m) {
    auto& s = g.members[m];
    SOLIDUM_ASSIGN_OR_RETURN(s.position, Position(s.schedule, paid[m], written_off_on, as_of));
    s.due_now = s.position.arrears;
    g.arrears += s.position.arrears;
    g.due_now += s.due_now;
    if (s.position.arrears > 0) ++g.members_in_arrears;
  }
  return g;
}

}  // namespace solidum::finance
