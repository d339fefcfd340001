#include "finance/savings_group.h"

#include <map>
#include <set>

#include "common/assert.h"
#include "finance/rounding.h"
#include "finance/surplus.h"

namespace solidum::finance {

namespace {

Result<void> CheckRules(const SavingsGroupRules& r) {
  if (r.share_value < 1 || r.share_value > kGroupAmountMax) return Error::Invalid("/rules/share_value", "out_of_range", "A share costs at least 1.");
  if (r.shares_max_per_meeting < 1 || r.shares_max_per_meeting > 100) {
    return Error::Invalid("/rules/shares_max_per_meeting", "out_of_range", "1 to 100 shares per meeting.");
  }
  if (r.social_contribution < 0 || r.social_contribution > kGroupAmountMax) {
    return Error::Invalid("/rules/social_contribution", "out_of_range", "Not negative.");
  }
  if (r.interest_bp < 0 || r.interest_bp > kBasisPoints) return Error::Invalid("/rules/interest_bp", "out_of_range", "0 to 10,000 basis points.");
  if (r.interest_every_meetings < 1 || r.interest_every_meetings > 52) {
    return Error::Invalid("/rules/interest_every_meetings", "out_of_range", "Every 1 to 52 meetings.");
  }
  if (r.opening_social_fund < 0 || r.opening_social_fund > kGroupAmountMax) {
    return Error::Invalid("/rules/opening_social_fund", "out_of_range", "Not negative.");
  }
  return Ok();
}

}  // namespace

Result<SavingsGroupState> ReplaySavingsGroup(std::span<const std::int64_t> members, const SavingsGroupRules& rules,
                                             std::span<const MeetingRecord> meetings, bool share_out) {
  SOLIDUM_TRY(CheckRules(rules));
  if (members.empty() || members.size() > kGroupMembersMax) {
    return Error::Invalid("/members", "out_of_range", "A group has 1 to " + std::to_string(kGroupMembersMax) + " members.");
  }
  if (meetings.size() > kMeetingsMax) return Error::Invalid("/meetings", "too_many", "At most " + std::to_string(kMeetingsMax) + " meetings a cycle.");
  std::map<std::int64_t, std::size_t> index;
  SavingsGroupState st;
  st.social_fund = rules.opening_social_fund;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!index.emplace(members[i], i).second) return Error::Invalid("/members/" + std::to_string(i), "repeated", "Listed twice.");
    st.members.push_back(GroupMemberPosition{members[i], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  }
  // The loan's age in meetings, for the interest periods; -1: no loan.
  std::vector<int> loan_age(members.size(), -1);

  for (std::size_t m = 0; m < meetings.size(); ++m) {
    const MeetingRecord& rec = meetings[m];
    const std::string at = "/meetings/" + std::to_string(m);
    // Who is there: known members, once each.
    std::set<std::int64_t> present;
    if (rec.present.empty()) return Error::Invalid(at + "/present", "required", "A meeting records who was present.");
    for (std::size_t i = 0; i < rec.present.size(); ++i) {
      const std::string lat = at + "/present/" + std::to_string(i);
      if (!index.contains(rec.present[i])) return Error::Invalid(lat, "unknown_member", "Not a member of this group.");
      if (!present.insert(rec.present[i]).second) return Error::Invalid(lat, "repeated", "Once per member per meeting.");
    }
    auto in_person = [&](const std::vector<MemberAmount>& lines, const char* kind) -> Result<void> {
      for (std::size_t i = 0; i < lines.size(); ++i) {
        if (index.contains(lines[i].member) && !present.contains(lines[i].member)) {
          return Error::Invalid(at + "/" + kind + "/" + std::to_string(i) + "/member", "absent",
                                "Only members present at the meeting buy shares or take a loan.");
        }
      }
      return Ok();
    };
    SOLIDUM_TRY(in_person(rec.shares, "shares"));
    SOLIDUM_TRY(in_person(rec.loans, "loans"));
    // Each line: a known member, once per kind, an amount in range.
    auto each = [&](const std::vector<MemberAmount>& lines, const char* kind, std::int64_t lo, std::int64_t hi,
                    auto&& apply) -> Result<void> {
      std::set<std::int64_t> seen;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string lat = at + "/" + kind + "/" + std::to_string(i);
        auto it = index.find(lines[i].member);
        if (it == index.end()) return Error::Invalid(lat + "/member", "unknown_member", "Not a member of this group.");
        if (!seen.insert(lines[i].member).second) return Error::Invalid(lat + "/member", "repeated", "Once per member per meeting.");
        if (lines[i].amount < lo || lines[i].amount > hi) {
          return Error::Invalid(lat + "/amount", "out_of_range", std::to_string(lo) + " to " + std::to_string(hi) + ".");
        }
        SOLIDUM_TRY(apply(st.members[it->second], it->second, lines[i].amount, lat));
      }
      return Ok();
    };
    // 1. Interest on loans a period old.
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (loan_age[i] < 0) continue;
      ++loan_age[i];
      if (loan_age[i] % rules.interest_every_meetings != 0) continue;
      auto& p = st.members[i];
      if (p.loan_balance > (std::int64_t{1} << 61)) {
        return Error::Invalid(at, "amounts_too_large", "A loan's balance has outgrown what the ledger holds.");
      }
      const std::int64_t charge = BasisPointsOf(p.loan_balance, rules.interest_bp);
      p.loan_balance += charge;
      p.interest_charged += charge;
      st.loans_outstanding += charge;
    }
    // 2. Shares, social contributions, fines.
    SOLIDUM_TRY(each(rec.shares, "shares", 1, rules.shares_max_per_meeting,
                     [&](GroupMemberPosition& p, std::size_t, std::int64_t n, const std::string&) -> Result<void> {
                       p.shares += n;
                       p.savings += n * rules.share_value;
                       st.total_shares += n;
                       st.loan_fund += n * rules.share_value;
                       return Ok();
                     }));
    std::set<std::int64_t> social;
    for (std::size_t i = 0; i < rec.social.size(); ++i) {
      const std::string lat = at + "/social/" + std::to_string(i);
      auto it = index.find(rec.social[i]);
      if (it == index.end()) return Error::Invalid(lat, "unknown_member", "Not a member of this group.");
      if (!social.insert(rec.social[i]).second) return Error::Invalid(lat, "repeated", "Once per member per meeting.");
      st.members[it->second].social_paid += rules.social_contribution;
      st.social_fund += rules.social_contribution;
    }
    SOLIDUM_TRY(each(rec.fines, "fines", 1, kGroupAmountMax, [&](GroupMemberPosition& p, std::size_t, std::int64_t a, const std::string&) -> Result<void> {
      p.fines += a;
      st.loan_fund += a;
      return Ok();
    }));
    // 3. Repayments.
    SOLIDUM_TRY(each(rec.repayments, "repayments", 1, kGroupAmountMax,
                     [&](GroupMemberPosition& p, std::size_t i, std::int64_t a, const std::string& lat) -> Result<void> {
                       if (a > p.loan_balance) {
                         return Error::Invalid(lat + "/amount", "exceeds_balance", "The member owes " + std::to_string(p.loan_balance) + ".");
                       }
                       p.loan_balance -= a;
                       p.repaid += a;
                       st.loans_outstanding -= a;
                       st.loan_fund += a;
                       if (p.loan_balance == 0) loan_age[i] = -1;
                       return Ok();
                     }));
    // 4. Grants and loans out.
    SOLIDUM_TRY(each(rec.grants, "grants", 1, kGroupAmountMax,
                     [&](GroupMemberPosition& p, std::size_t, std::int64_t a, const std::string& lat) -> Result<void> {
                       if (a > st.social_fund) {
                         return Error::Invalid(lat + "/amount", "exceeds_fund", "The social fund holds " + std::to_string(st.social_fund) + ".");
                       }
                       p.grants += a;
                       st.social_fund -= a;
                       return Ok();
                     }));
    SOLIDUM_TRY(each(rec.loans, "loans", 1, kGroupAmountMax,
                     [&](GroupMemberPosition& p, std::size_t i, std::int64_t a, const std::string& lat) -> Result<void> {
                       if (p.loan_balance > 0) return Error::Invalid(lat + "/member", "loan_outstanding", "One loan per member at a time.");
                       if (a > st.loan_fund) {
                         return Error::Invalid(lat + "/amount", "exceeds_fund", "The loan fund holds " + std::to_string(st.loan_fund) + ".");
                       }
                       p.loan_balance = a;
                       p.borrowed += a;
                       st.loans_outstanding += a;
                       st.loan_fund -= a;
                       loan_age[i] = 0;
                       return Ok();
                     }));
    ++st.meetings;
  }
  if (!share_out) return st;
  if (st.loans_outstanding > 0) {
    return Error::Invalid("/share_out", "loans_outstanding", std::to_string(st.loans_outstanding) + " is still owed: every loan is repaid first.");
  }
  std::vector<std::int64_t> weights;
  for (const auto& p : st.members) weights.push_back(p.shares);
  const auto parts = Apportion(st.loan_fund, weights);
  std::int64_t paid = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    st.members[i].share_out = parts[i];
    paid += parts[i];
  }
  if (st.total_shares > 0) {
    st.return_per_share_bp =
        static_cast<std::int64_t>(RoundHalfUp(Int128(st.loan_fund) * kBasisPoints, Int128(st.total_shares) * rules.share_value));
    SOLIDUM_ASSERT(paid == st.loan_fund);
    st.loan_fund = 0;
  }
  st.shared_out = true;
  return st;
}

}  // namespace solidum::finance
