// Reading a surplus allocation's inputs from outside: the rules (JSON, as statutes and the
// API give them) and the year's activity per member (CSV, as payroll or till systems
// export it). Every problem names its field or its line; nothing is guessed.
//
// Rules, percentages in basis points (30 % is 3000), amounts in minor units:
//   {"surplus": 12000000, "reserve_bp": 3000, "reserve_min_bp": 1500, "fund_bp": 500,
//    "share_interest_bp": 200, "share_interest_cap_bp": 400, "refunds_bp": 8000,
//    "interest_at_most_refunds": true, "basis": "hours"}
// Only "surplus" is required (it may also come from elsewhere: `surplus_required`);
// "basis" (hours, wages or purchases) labels what patronage counts.
//
// Activity: a header naming the columns member, capital, patronage (any order), and
// optionally name; then one row per member: an id of at most 64 bytes, unique, paid-up
// capital in minor units and patronage (hours, wages or purchases in minor units), both
// whole numbers >= 0.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "finance/surplus.h"

namespace solidum::finance {

inline constexpr std::size_t kActivityFileBytesMax = std::size_t{1} << 30;  // 1 GiB: 10 M members with names
inline constexpr std::size_t kMemberIdBytesMax = 64;

struct SurplusInput {
  std::int64_t surplus = 0;
  bool has_surplus = false;
  SurplusRules rules;
  std::string basis = "hours";  // hours, wages, purchases
};

// Errors: invalid fields named by JSON Pointer ("/reserve_bp"), unknown fields too.
Result<SurplusInput> ParseSurplusRules(const boost::json::value& rules, bool surplus_required = true);

struct Activity {
  std::vector<std::string> ids;      // as written, in file order
  std::vector<std::string> names;    // by row; empty when there is no name column
  std::vector<SurplusMember> members;  // member = the row's index in `ids`
};

// Errors: a field named "line N" with a message saying what is wrong there.
using ActivityProgress = std::function<void(std::size_t done, std::size_t total)>;
Result<Activity> ParseActivity(std::string_view csv, const ActivityProgress& progress = {});

}  // namespace solidum::finance
